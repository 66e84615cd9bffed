// One group's work of tacts 3–5 and its day-1 presentation on the projector (no controls):
// clustering → the initiatives as cards with their ideas, and List B once the totals are out;
// stakeholders → the stakeholder map of each initiative in focus; resources → their flow diagrams
// and the flagged sides; present → the group's List B, map and balance while it presents.
// Live updates touch only what changed: cards and ideas keep their elements (a moved idea
// appears in its new card, highlighted, and nothing else moves); drawings are rebuilt only
// when their data or their box changes. User text only ever goes in through textContent.
import { t } from "../i18n.js";
import { el } from "../dom.js";
import { DAY2_DRAWN, DAY2_VIEWS, renderDay2 } from "./projector_day2.js";
import { TEAMS_VIEW, renderTeams } from "./projector_teams.js";
import { flowDiagram, stakeholderMap } from "./svg.js";
import { kindTab } from "./kind_views.js";

// The item kinds this module draws, and the view each one gets (tacts 6–7: projector_day2.js).
export const TACT_VIEWS = {
  clustering: "clustering", stakeholders: "stakeholders", resources: "resources", presentation: "present",
  ...DAY2_VIEWS,
};

const MAX_PANELS = 3;

const fmt = (key, n) => t(key).replace("{n}", n);

// "1", or "=2" for a rank shared with another initiative.
function rankLabel(row) {
  if (!row || row.rank == null) return "";
  return row.tie ? `=${row.rank}` : String(row.rank);
}

export class TactView {
  constructor(root) {
    this.root = root;
    this.key = null;
    this.seen = new Set();
    this.painted = false;
    this.kindView = null;  // a kind's own view of one group's work (renderKind)
  }

  // A fresh frame (head and body) when `key` changes; a kind's view in the old one goes.
  build(key, view) {
    if (key === this.key) return false;
    this.reset();
    this.key = key;
    this.painted = false;
    this.root.replaceChildren();
    this.head = el("div", "pj-work-head");
    this.title = el("h2", "pj-work-title");
    this.frame = el("p", "pj-work-frame");
    this.meta = el("p", "pj-work-meta");
    this.head.append(this.title, this.frame, this.meta);
    this.body = el("div", `pj-work-body pj-view-${view}`);
    this.root.append(this.head, this.body);
    this.parts = {};
    return true;
  }

  // Forget the frame (another view took #pj-work): the next render builds it anew.
  reset() {
    if (this.kindView) { this.kindView.destroy(); this.kindView = null; }
    this.key = null;
  }

  // view: one of TACT_VIEWS' values; group: the group shown (null: none chosen).
  render(store, view, group) {
    this.build(`${view}:${group ? group.id : ""}`, view);
    this.root.dataset.view = view;
    this.root.dataset.groupId = group ? String(group.id) : "";
    if (view === TEAMS_VIEW) { renderTeams(this, store); this.painted = true; return; }
    if (DAY2_DRAWN.has(view)) { renderDay2(this, view, store, group); this.painted = true; return; }
    this.title.textContent = group ? group.name : t("pj_no_group");
    this.frame.textContent = group ? group.subject_frame || "" : "";
    if (!group) { this.meta.textContent = ""; this.body.replaceChildren(); return; }
    if (view === "clustering") this.clustering(store, group);
    else if (view === "stakeholders") this.drawings(store, group, "map");
    else if (view === "resources") this.drawings(store, group, "flows");
    else this.present(store, group);
    this.painted = true;
  }

  // One group's work in a kind's own projector view (kind_views.js, item scope "groups"): the
  // group's name and subject frame and the kind's tab label on top, the view in the body (its
  // class pj-view-<kind>). View is null while the kind's script loads.
  renderKind(store, live, View, item, group) {
    const key = `kind:${item.id}:${group ? group.id : ""}:${View ? "view" : "loading"}`;
    if (this.build(key, item.kind) && group && View) {
      this.kindView = new View({ store, live, root: this.root, group, markNew: (node, k) => this.markNew(node, k) }, item);
      this.body.append(this.kindView.node);
    }
    this.root.dataset.view = item.kind;
    this.root.dataset.groupId = group ? String(group.id) : "";
    this.title.textContent = group ? group.name : t("pj_no_group");
    this.frame.textContent = group ? group.subject_frame || "" : "";
    this.meta.textContent = group && kindTab(item) ? t(kindTab(item)) : "";
    if (!this.kindView) return;
    this.kindView.update(item);
    this.painted = true;
  }

  // A key seen for the first time after the first paint is new: it is highlighted for a while.
  markNew(node, key) {
    if (this.painted && !this.seen.has(key)) {
      node.classList.add("is-new");
      setTimeout(() => node.classList.remove("is-new"), 8000);
    }
    this.seen.add(key);
  }

  // -- tact 3: initiatives and List B -----------------------------------------------------------
  clustering(store, group) {
    const p = this.parts;
    if (!p.cards) {
      p.listB = el("section", "pj-listb hidden");
      p.cards = el("div", "pj-inits");
      p.empty = el("p", "pj-work-empty", t("pj_no_initiatives"));
      this.body.append(p.listB, p.cards, p.empty);
    }
    const item = store.latestItemOf("clustering");
    const settings = item ? store.boardOf(item.id, group.id) : null;
    const stakes = item ? store.stakesOf(item.id, group.id) : null;
    const rows = store.listB(group.id);
    const byId = new Map(rows.map((r) => [r.initiative_id, r]));
    const totals = rows.some((r) => r.total != null);
    const locked = Boolean(settings && settings.list_b_locked);
    const initiatives = store.initiativesOf(group.id);
    const cards = initiatives.map((x) => ({ key: `i${x.id}`, initiative: x, ideas: store.selectionsOf(group.id, x.id) }));
    const pool = store.selectionsOf(group.id, null);
    if (pool.length) cards.push({ key: "pool", initiative: null, ideas: pool });
    const ideaCount = cards.reduce((n, c) => n + c.ideas.length, 0);
    this.meta.textContent = [fmt("pj_initiatives_n", initiatives.length), fmt("pj_ideas_n", ideaCount),
      totals || locked ? "" : t("pj_totals_hidden")].filter(Boolean).join(" · ");
    p.listB.classList.toggle("hidden", !(totals && rows.length));
    if (totals && rows.length) renderListB(p.listB, rows, stakes ? stakes.focus : [], locked);
    p.empty.classList.toggle("hidden", cards.length > 0);
    this.initiativeCards(store, p.cards, cards, byId, totals);
  }

  initiativeCards(store, list, cards, byId, totals) {
    const { cols, rows, size } = cardLayout(store, list, cards);
    list.style.setProperty("--cols", cols);
    list.style.setProperty("--rows", rows);
    const present = new Map([...list.children].map((li) => [li.dataset.key, li]));
    const wanted = new Set(cards.map((c) => c.key));
    for (const [key, node] of present) if (!wanted.has(key)) { node.remove(); present.delete(key); }
    let previous = null;
    for (const c of cards) {
      let card = present.get(c.key);
      if (!card) {
        card = el("article", c.initiative ? "pj-init" : "pj-init is-pool");
        card.dataset.key = c.key;
        if (c.initiative) card.dataset.initiativeId = String(c.initiative.id);
        const head = el("header", "pj-init-head");
        head.append(el("span", "pj-init-rank"), el("h3", "pj-init-name"), el("span", "pj-init-total"));
        card.append(head, el("ol", "pj-ideas"));
        this.markNew(card, c.key);
      }
      const row = c.initiative ? byId.get(c.initiative.id) : null;
      const [rank, name, total] = card.firstChild.children;
      rank.textContent = totals ? rankLabel(row) : "";
      rank.classList.toggle("hidden", !rank.textContent);
      name.textContent = c.initiative ? c.initiative.name : t("pj_pool");
      total.textContent = totals && row && row.total != null ? String(row.total) : "";
      total.classList.toggle("hidden", !total.textContent);
      this.ideaList(store, card.lastChild, c.ideas);
      const expected = previous ? previous.nextSibling : list.firstChild;
      if (expected !== card) list.insertBefore(card, expected);
      previous = card;
    }
    // The estimate is checked on the real layout: one step smaller while anything is cut.
    let step = Math.max(0, IDEA_SIZES.indexOf(size));
    list.style.setProperty("--idea-size", `${IDEA_SIZES[step]}vh`);
    while (step < IDEA_SIZES.length - 1 && cardsCut(list)) {
      step += 1;
      list.style.setProperty("--idea-size", `${IDEA_SIZES[step]}vh`);
    }
  }

  ideaList(store, list, selections) {
    const present = new Map([...list.children].map((li) => [li.dataset.key, li]));
    const wanted = new Set(selections.map((s) => `s${s.id}:${s.initiative_id ?? ""}`));
    for (const [key, li] of present) if (!wanted.has(key)) { li.remove(); present.delete(key); }
    let previous = null;
    for (const s of selections) {
      // The key holds the initiative, so an idea moved to another card counts as new there.
      const key = `s${s.id}:${s.initiative_id ?? ""}`;
      let li = present.get(key);
      if (!li) {
        li = el("li", "pj-idea");
        li.dataset.key = key;
        li.dataset.selectionId = String(s.id);
        this.markNew(li, key);
      }
      const idea = store.idea(s.idea_id);
      const text = idea ? idea.text : "…";
      if (li.textContent !== text) li.textContent = text;
      const expected = previous ? previous.nextSibling : list.firstChild;
      if (expected !== li) list.insertBefore(li, expected);
      previous = li;
    }
  }

  // -- tacts 4 and 5: one drawing per initiative in focus -----------------------------------------
  drawings(store, group, kind) {
    const p = this.parts;
    if (!p.panels) {
      p.panels = el("div", "pj-panels");
      p.empty = el("p", "pj-work-empty", t("pj_no_initiatives"));
      this.body.append(p.panels, p.empty);
    }
    const focus = store.focusOf(group.id);
    // The chief moderator may put one of them on the whole screen (show {initiative_id}).
    const alone = focus.find((x) => x.id === store.projector.initiative_id);
    const shown = alone ? [alone] : focus.slice(0, MAX_PANELS);
    const more = alone ? 0 : focus.length - shown.length;
    const ranks = new Map(store.listB(group.id).map((r) => [r.initiative_id, r]));
    const counts = shown.map((x) => (kind === "map" ? store.stakeholdersOf(x.id).length : store.flowsOf(x.id).length));
    this.meta.textContent = [t(kind === "map" ? "pj_stakeholders" : "pj_balance"),
      more > 0 ? fmt("pj_more_initiatives", more) : ""].filter(Boolean).join(" · ");
    p.empty.classList.toggle("hidden", shown.length > 0);
    p.panels.dataset.count = String(shown.length);
    const ids = shown.map((x) => x.id).join(",");
    if (p.panels.dataset.ids !== ids) {
      p.panels.dataset.ids = ids;
      p.panels.replaceChildren(...shown.map((x) => {
        const panel = el("section", `pj-panel pj-panel-${kind}`);
        panel.dataset.initiativeId = String(x.id);
        const head = el("header", "pj-panel-head");
        head.append(el("span", "pj-panel-rank"), el("h3", "pj-panel-title"), el("span", "pj-panel-note"));
        panel.append(head, el("div", "pj-svg"));
        if (kind === "flows") panel.append(el("ul", "pj-flags"));
        return panel;
      }));
    }
    [...p.panels.children].forEach((panel, i) => {
      const x = shown[i];
      const [rank, title, note] = panel.firstChild.children;
      rank.textContent = rankLabel(ranks.get(x.id));
      rank.classList.toggle("hidden", !rank.textContent);
      title.textContent = x.name;
      note.textContent = counts[i] ? "" : t(kind === "map" ? "pj_no_stakeholders" : "pj_no_flows");
      if (kind === "flows") {
        const flagged = renderFlags(panel.querySelector(".pj-flags"), store, x.id, true);
        panel.classList.toggle("has-flags", flagged > 0);
      }
      drawInto(panel.querySelector(".pj-svg"), store, x, kind, { flags: false });
    });
  }

  // -- the day-1 presentation: the whole group on one screen ----------------------------------------
  // List B on the left (the initiatives in focus marked); beside it the first initiative in focus:
  // its stakeholder map, its resource balance and the sides out of balance.
  present(store, group) {
    const p = this.parts;
    if (!p.side) {
      p.side = el("aside", "pj-present-side");
      p.listB = el("section", "pj-listb");
      p.side.append(p.listB);
      p.main = el("div", "pj-present-main");
      this.body.append(p.side, p.main);
    }
    const item = store.latestItemOf("clustering");
    const settings = item ? store.boardOf(item.id, group.id) : null;
    const stakes = item ? store.stakesOf(item.id, group.id) : null;
    const rows = store.listB(group.id);
    const focus = store.focusOf(group.id);
    const first = focus[0] || null;
    this.meta.textContent = t("pj_presenting");
    renderListB(p.listB, rows, stakes ? stakes.focus : [], Boolean(settings && settings.list_b_locked));
    const id = first ? String(first.id) : "";
    if (p.main.dataset.ids !== id) {
      p.main.dataset.ids = id;
      if (!first) p.main.replaceChildren(el("p", "pj-work-empty", t("pj_no_initiatives")));
      else {
        const row = el("section", "pj-present-row");
        row.dataset.initiativeId = id;
        const head = el("header", "pj-panel-head");
        head.append(el("span", "pj-panel-rank"), el("h3", "pj-panel-title"), el("span", "pj-panel-note"));
        const flags = el("div", "pj-present-flags");
        flags.append(el("h4", "pj-flags-title", t("pj_flagged")), el("ul", "pj-flags"));
        row.append(head, el("div", "pj-svg pj-svg-map"), el("div", "pj-svg pj-svg-flows"), flags);
        p.main.replaceChildren(row);
      }
    }
    if (!first) return;
    const row = p.main.firstChild;
    const [rank, title, note] = row.firstChild.children;
    rank.textContent = rankLabel(rows.find((r) => r.initiative_id === first.id));
    rank.classList.toggle("hidden", !rank.textContent);
    title.textContent = first.name;
    note.textContent = focus.length > 1 ? fmt("pj_more_initiatives", focus.length - 1) : "";
    const flagged = renderFlags(row.querySelector(".pj-flags"), store, first.id, false);
    row.classList.toggle("has-flags", flagged > 0);
    drawInto(row.querySelector(".pj-svg-map"), store, first, "map", {});
    drawInto(row.querySelector(".pj-svg-flows"), store, first, "flows", { flags: false });
  }
}

// The layout and the largest type at which every card's name and ideas fit their cell without
// being cut: ideas flow as chips of about 0.6 em per character, one or two lines each. The type
// goes in steps, so that one move rarely changes it.
const IDEA_SIZES = [3.4, 3.0, 2.7, 2.4, 2.15, 1.9, 1.7, 1.5, 1.35, 1.2];

function cardLayout(store, list, cards) {
  const n = Math.max(1, cards.length);
  const texts = cards.map((c) => ({
    name: c.initiative ? c.initiative.name : t("pj_pool"),
    ideas: c.ideas.map((s) => (store.idea(s.idea_id) || { text: "" }).text),
  }));
  let best = { cols: Math.min(n, 3), rows: Math.ceil(n / Math.min(n, 3)), size: IDEA_SIZES[IDEA_SIZES.length - 1] };
  for (let cols = 1; cols <= Math.min(n, 4); cols += 1) {
    const rows = Math.ceil(n / cols);
    if (rows > 4) continue;
    const size = IDEA_SIZES.find((sz) => texts.every((x) => cardFits(x, list, cols, rows, sz)));
    if (size && size > best.size) best = { cols, rows, size };
  }
  return best;
}

function cardsCut(list) {
  const cut = (node) => node.scrollHeight > node.clientHeight + 2;
  for (const card of list.children) {
    if (cut(card) || cut(card.lastChild) || cut(card.querySelector(".pj-init-name"))) return true;
    for (const li of card.lastChild.children) if (cut(li)) return true;
  }
  return false;
}

function cardFits({ name, ideas }, list, cols, rows, size) {
  const vw = window.innerWidth / 100;
  const vh = window.innerHeight / 100;
  const cellW = ((list.clientWidth || 60 * vw) - 1.1 * vw * (cols - 1)) / cols - 2.2 * vw;
  const cellH = ((list.clientHeight || 75 * vh) - 1.4 * vh * (rows - 1)) / rows - 3.6 * vh;
  const px = size * vh;
  const em = 0.6;
  const longest = (text) => Math.max(0, ...text.split(/\s+/).map((w) => w.length));
  // The name: up to three lines beside the rank and total (about five of its ems).
  const namePx = px * 1.3;
  const nameLine = (cellW - namePx * 5) / (namePx * 0.7);
  if (longest(name) > nameLine || Math.ceil(name.length / nameLine) > 3) return false;
  let height = Math.min(3, Math.ceil(name.length / nameLine)) * namePx * 1.15 + 1 * vh;
  // The ideas, as chips flowing in rows.
  const chipPad = 1.4 * vw + 0.35 * vw;
  const inner = cellW - chipPad;
  const perLine = inner / (px * em);
  let x = 0;
  let rowH = 0;
  for (const text of ideas) {
    if (longest(text) > perLine) return false;
    const lines = Math.ceil(text.length / perLine) || 1;
    if (lines > 2) return false;
    const w = lines > 1 ? cellW : text.length * px * em + chipPad;
    const h = lines * px * 1.22 + 1 * vh;
    if (x > 0 && x + w > cellW) { height += rowH + 0.8 * vh; x = 0; rowH = 0; }
    x += w + 0.6 * vw;
    rowH = Math.max(rowH, h);
  }
  height += rowH;
  return height <= cellH;
}

// List B, ranked, with the totals (null while hidden) and the initiatives in focus marked.
function renderListB(box, rows, focus, locked) {
  const focusSet = new Set(focus || []);
  const max = Math.max(1, ...rows.map((r) => r.total || 0));
  const head = el("h3", "pj-listb-title", t("pj_list_b"));
  if (locked) head.append(el("span", "pj-listb-locked", t("pj_list_b_locked")));
  const list = el("ol", "pj-listb-rows");
  for (const r of rows) {
    const li = el("li", `pj-lb-row${focusSet.has(r.initiative_id) && r.total != null ? " is-focus" : ""}`);
    li.dataset.initiativeId = String(r.initiative_id);
    li.append(el("span", "pj-lb-rank", rankLabel(r)), el("span", "pj-lb-name", r.name));
    if (r.total != null) {
      li.append(el("span", "pj-lb-total", String(r.total)));
      const bar = el("span", "pj-lb-bar");
      bar.style.setProperty("--share", String((r.total || 0) / max));
      li.append(bar);
    }
    list.append(li);
  }
  const signature = JSON.stringify([rows, [...focusSet], locked]);
  if (box.dataset.sig === signature) return;
  box.dataset.sig = signature;
  box.replaceChildren(head, list);
  box.dataset.rows = String(rows.length);
}

// The flagged stakeholders of an initiative with their reasons; returns how many.
function renderFlags(list, store, initiativeId, withNone) {
  const balance = store.balanceOf(initiativeId);
  const alive = new Set(store.stakeholdersOf(initiativeId).map((s) => s.id));
  const flagged = ((balance && balance.rows) || []).filter((r) => r.flag && alive.has(r.stakeholder_id));
  const signature = JSON.stringify(flagged.map((r) => [r.stakeholder_id, r.name, r.flag, r.reason]).concat(withNone));
  if (list.dataset.sig === signature) return flagged.length;
  list.dataset.sig = signature;
  list.replaceChildren(...flagged.map((r) => {
    const li = el("li", "pj-flag");
    li.dataset.stakeholderId = String(r.stakeholder_id);
    li.dataset.flag = r.flag;
    const badge = el("span", "pj-flag-badge", "!");
    badge.setAttribute("aria-hidden", "true");
    li.append(badge, el("strong", "pj-flag-name", r.name), el("span", "pj-flag-reason", r.reason || t(`pj_flag_${r.flag}`)));
    return li;
  }));
  if (!flagged.length && withNone && balance && balance.rows && balance.rows.length) {
    list.append(el("li", "pj-flag is-none", t("pj_all_balanced")));
  }
  return flagged.length;
}

// Draws into a box; nothing is redrawn while neither data nor size changed. The viewBox is the
// box's size in pixels of a 1920-wide screen, so the type is the same share of any projector.
function drawInto(box, store, initiative, kind, options) {
  const unit = Math.max(0.25, window.innerWidth / 1920);
  const width = Math.round(box.clientWidth / unit);
  const height = Math.round(box.clientHeight / unit);
  if (!width || !height) return;
  const stakeholders = store.stakeholdersOf(initiative.id);
  const data = kind === "map"
    ? { initiative, stakeholders }
    : { initiative, stakeholders, flows: store.flowsOf(initiative.id), balance: store.balanceOf(initiative.id) };
  const signature = JSON.stringify([kind, width, height, options, data]);
  if (box.dataset.sig === signature) return;
  box.dataset.sig = signature;
  const drawing = kind === "map"
    ? stakeholderMap(data, { width, height, theme: "dark", ...options })
    : flowDiagram(data, { width, height, theme: "dark", ...options });
  box.replaceChildren(drawing);
}
