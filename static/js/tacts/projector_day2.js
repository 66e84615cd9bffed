// Tacts 6 and 7 on the projector (no controls). Tact 6 for the hall: the matrix of requests
// between groups (rows send, columns receive), every request a chip of its status; tact 6 for
// one group: its incoming and sent requests; tact 7 for one group: its initiatives in focus with
// their objectives and key results. The type is the largest at which everything fits, measured
// on the real layout; what still does not fit is counted as "+n". User text only via textContent.
import { t } from "../i18n.js";
import { el } from "../dom.js";

// The item kinds drawn here for one group (the group mode), and the hall's view of tact 6.
export const DAY2_VIEWS = { requests: "requests", okr: "okr" };
export const MATRIX_VIEW = "matrix";
export const DAY2_DRAWN = new Set([MATRIX_VIEW, ...Object.values(DAY2_VIEWS)]);

// A status is told by its colour (CSS, data-status) and its symbol, and named in the legend.
const STATUSES = ["new", "discussing", "accepted", "declined", "done"];
const SYMBOLS = { new: "●", discussing: "?", accepted: "✓", declined: "✕", done: "★" };
const MAX_INITIATIVES = 3;
const FLASH_MS = 8000;

// Type steps in vh (1080p: 1 vh = 10.8 px), largest first; one change rarely moves a step.
const MATRIX_SIZES = [3.8, 3.4, 3.1, 2.8, 2.6, 2.4, 2.2, 2.0, 1.8, 1.6];
const CARD_SIZES = [3.6, 3.3, 3.0, 2.8, 2.6, 2.4];
const OKR_SIZES = [4.4, 4.0, 3.7, 3.4, 3.1, 2.8, 2.6, 2.4];

const fmt = (key, n) => t(key).replace("{n}", n);
const cut = (node) => node.scrollHeight > node.clientHeight + 1 || node.scrollWidth > node.clientWidth + 1;
const lang = () => document.documentElement.lang || undefined;
const screenKey = () => `${window.innerWidth}x${window.innerHeight}`;

function groupsInOrder(store) {
  return store.activeGroups();
}

// The status chip: symbol and, unless `count` is given, the status's name.
function statusChip(status, count) {
  const chip = el("span", "pj6-chip");
  chip.dataset.status = status;
  chip.append(el("span", "pj6-sym", SYMBOLS[status] || "•"));
  chip.append(el("span", "pj6-chip-text", count === undefined ? t(`pj6_status_${status}`) : String(count)));
  if (count !== undefined) chip.setAttribute("aria-label", `${t(`pj6_status_${status}`)}: ${count}`);
  return chip;
}

function countChips(requests) {
  const box = el("div", "pj6-chips");
  for (const status of STATUSES) {
    const n = requests.filter((r) => r.status === status).length;
    if (n) box.append(statusChip(status, n));
  }
  return box;
}

// Highlights a node whose key (a row and the state worth noticing) appears after the first
// paint, for FLASH_MS from that moment: a node rebuilt meanwhile (another change in its cell or
// column) keeps the highlight and its fading where they were. Returns the ms still to go.
const flashes = new WeakMap();

function flash(view, node, key) {
  if (!flashes.has(view)) flashes.set(view, new Map());
  const started = flashes.get(view);
  const now = performance.now();
  if (view.painted && !view.seen.has(key)) started.set(key, now);
  view.seen.add(key);
  const left = started.has(key) ? FLASH_MS - (now - started.get(key)) : 0;
  if (left <= 0) { started.delete(key); return 0; }
  node.classList.add("is-new");
  node.style.animationDelay = `${Math.round(left - FLASH_MS)}ms`;
  setTimeout(() => node.classList.remove("is-new"), left);
  return left;
}

// Entry point from TactView.render: `view` is the TactView (its head, body, parts, seen, painted).
export function renderDay2(view, kind, store, group) {
  if (kind === MATRIX_VIEW) { matrix(view, store); return; }
  view.title.textContent = group ? group.name : t("pj_no_group");
  view.frame.textContent = group ? group.subject_frame || "" : "";
  if (!group) { view.meta.textContent = ""; view.body.replaceChildren(); view.parts = {}; return; }
  if (kind === "requests") groupRequests(view, store, group);
  else objectives(view, store, group);
}

// -- tact 6, the hall: groups × groups ------------------------------------------------------------
function matrix(view, store) {
  const p = view.parts;
  const groups = groupsInOrder(store);
  const known = new Set(groups.map((g) => g.id));
  const requests = [...store.board.requests.values()]
    .filter((r) => known.has(r.from_group_id) && known.has(r.to_group_id));
  view.title.textContent = t("pj6_matrix_title");
  view.frame.textContent = t("pj6_matrix_hint");
  view.meta.textContent = fmt("pj6_requests_n", requests.length);
  if (!p.grid) {
    p.grid = el("div", "pj6-matrix");
    p.legend = el("div", "pj6-legend");
    for (const status of STATUSES) p.legend.append(statusChip(status));
    view.body.append(p.grid, p.legend);
  }
  const shape = JSON.stringify(groups.map((g) => [g.id, g.name]));
  if (p.grid.dataset.shape !== shape) {
    p.grid.dataset.shape = shape;
    p.cells = new Map();
    const n = groups.length;
    p.grid.style.setProperty("--n", n);
    p.grid.dataset.n = String(n);
    const corner = el("div", "pj6-corner");
    corner.append(el("span", "pj6-corner-to", t("pj6_to")), el("span", "pj6-corner-from", t("pj6_from")));
    const nodes = [corner];
    for (const g of groups) {
      const head = el("div", "pj6-colhead");
      head.dataset.groupId = String(g.id);
      head.append(el("span", "pj6-head-name", g.name));
      nodes.push(head);
    }
    for (const from of groups) {
      const head = el("div", "pj6-rowhead");
      head.dataset.groupId = String(from.id);
      head.append(el("span", "pj6-head-name", from.name));
      nodes.push(head);
      for (const to of groups) {
        const cell = el("div", from.id === to.id ? "pj6-cell is-self" : "pj6-cell");
        cell.dataset.from = String(from.id);
        cell.dataset.to = String(to.id);
        if (from.id !== to.id) p.cells.set(`${from.id}:${to.id}`, cell);
        nodes.push(cell);
      }
    }
    p.grid.replaceChildren(...nodes);
  }
  let changed = false;
  for (const [key, cell] of p.cells) {
    const [from, to] = key.split(":").map(Number);
    if (matrixCell(view, cell, store.requestsBetween(from, to))) changed = true;
  }
  const screen = screenKey();
  if (changed || p.grid.dataset.screen !== screen) {
    p.grid.dataset.screen = screen;
    fitMatrix(p.grid, [...p.cells.values()], groups.length);
  }
}

// The largest type at which every request shows two lines of its text in its cell and every
// group's name fits its header without a word broken, but never smaller than the step for
// this many groups. Then each cell gives its requests as many lines as fit (fewer lines for
// all before hiding any) and counts the requests it could not show.
function fitMatrix(grid, cells, n) {
  const floor = Math.min(MATRIX_SIZES.length - 1, Math.max(0, n - 1));
  for (const node of grid.querySelectorAll(".pj6-req, .pj6-reqs")) node.classList.remove("hidden");
  for (const node of grid.querySelectorAll(".pj6-more")) node.classList.add("hidden");
  for (const node of grid.querySelectorAll(".pj6-req-text")) node.style.removeProperty("-webkit-line-clamp");
  const heads = [...grid.querySelectorAll(".pj6-head-name")];
  const colHeads = [...grid.querySelectorAll(".pj6-colhead .pj6-head-name")];
  const matrixCut = () => [...grid.querySelectorAll(".pj6-reqs")].some(cut) || heads.some(cut) || cut(grid);
  grid.classList.add("is-fitting");
  grid.style.setProperty("--h-scale", "1");
  for (let step = 0; step <= floor; step += 1) {
    grid.style.setProperty("--m-size", `${MATRIX_SIZES[step]}vh`);
    grid.dataset.size = String(MATRIX_SIZES[step]);
    sizeSenders(grid);
    if (!matrixCut()) break;
  }
  // At the smallest step a receiver's name with a word wider than its column makes all of
  // them a little smaller (a long name may still end in "…": its row shows it whole).
  const wordCut = (node) => node.scrollWidth > node.clientWidth + 1;
  for (const scale of [0.92, 0.85, 0.78, 0.72]) {
    if (!colHeads.some(wordCut)) break;
    grid.style.setProperty("--h-scale", String(scale));
  }
  grid.classList.remove("is-fitting");
  for (const cell of cells) {
    const list = cell.querySelector(".pj6-reqs");
    if (list) fitList(list, cell.querySelector(".pj6-more"), "pj6_more_n", ".pj6-req-text");
  }
}

// The senders' column is as wide as the longest word of their names (so that no word breaks),
// between a tenth and a fifth of the screen.
function sizeSenders(grid) {
  const names = [...grid.querySelectorAll(".pj6-rowhead .pj6-head-name")];
  let word = 0;
  for (const name of names) {
    name.style.width = "min-content";
    word = Math.max(word, name.scrollWidth);
    name.style.removeProperty("width");
  }
  const vw = window.innerWidth / 100;
  grid.style.setProperty("--senders", `${Math.round(Math.min(20 * vw, Math.max(10 * vw, word + 2 * vw)))}px`);
}

// Rebuilds a cell when its requests changed; returns whether it did.
function matrixCell(view, cell, requests) {
  const sig = JSON.stringify(requests.map((r) => [r.id, r.rev, r.status, r.text]));
  if (cell.dataset.sig === sig) return false;
  cell.dataset.sig = sig;
  cell.dataset.count = String(requests.length);
  const list = el("ol", "pj6-reqs");
  let fresh = 0;
  for (const r of requests) {
    const li = el("li", "pj6-req");
    li.dataset.requestId = String(r.id);
    li.dataset.status = r.status;
    li.append(el("span", "pj6-sym", SYMBOLS[r.status] || "•"), el("span", "pj6-req-text", r.text));
    fresh = Math.max(fresh, flash(view, li, `r${r.id}:${r.status}`));
    list.append(li);
  }
  const more = el("p", "pj6-more hidden");
  cell.replaceChildren(countChips(requests), list, more);
  clearTimeout(cell.flashTimer);
  cell.classList.toggle("is-new", fresh > 0);
  if (fresh) cell.flashTimer = setTimeout(() => cell.classList.remove("is-new"), fresh);
  if (!requests.length) { list.remove(); more.remove(); }
  return true;
}

// While a list is cut: first its entries' texts (`clamped`, when given) lose lines, the
// longest first, down to one line; then its last entries hide, counted in `more`. With nothing
// left shown the list and the count go (the status chips above still count every request).
function fitList(list, more, moreKey, clamped) {
  const items = [...list.children];
  // The lines a text takes now (it is never taller than its clamp).
  const lines = (node) => Math.round(node.clientHeight / (parseFloat(getComputedStyle(node).lineHeight) || 1)) || 1;
  let hidden = 0;
  while (cut(list) && hidden < items.length) {
    const texts = clamped ? items.slice(0, items.length - hidden).map((li) => li.querySelector(clamped)) : [];
    const longest = texts.filter((x) => x && lines(x) > 1)
      .reduce((a, b) => (!a || lines(b) > lines(a) ? b : a), null);
    if (longest) { longest.style.webkitLineClamp = String(lines(longest) - 1); continue; }
    hidden += 1;
    items[items.length - hidden].classList.add("hidden");
    more.textContent = fmt(moreKey, hidden);
    more.classList.remove("hidden");
  }
  if (hidden && hidden === items.length) { list.classList.add("hidden"); more.classList.add("hidden"); }
  return hidden;
}

// -- tact 6, one group: what it received and what it sent -----------------------------------------
function groupRequests(view, store, group) {
  const p = view.parts;
  // Newest first, the declined ones last: what is still open matters most to the hall.
  const order = (list) => [...list.filter((r) => r.status !== "declined"), ...list.filter((r) => r.status === "declined")];
  const incoming = order(store.requestsOf(group.id, "in"));
  const sent = order(store.requestsOf(group.id, "out"));
  view.meta.textContent = t("pj6_requests_title");
  if (!p.columns) {
    p.columns = el("div", "pj6-columns");
    p.inbox = requestColumn("in");
    p.sent = requestColumn("out");
    p.columns.append(p.inbox.box, p.sent.box);
    view.body.append(p.columns);
  }
  const names = new Map([...store.groups.values()].map((g) => [g.id, g.name]));
  // The server names the sending initiative on the request; the store may hold a newer name.
  const initiativeName = (r) => (store.board.initiatives.get(r.initiative_id) || {}).name || r.initiative_name || "";
  const sig = JSON.stringify([screenKey(), [...names], incoming, sent, [...incoming, ...sent].map(initiativeName)]);
  if (p.columns.dataset.sig === sig) return;
  p.columns.dataset.sig = sig;
  // A column with nothing in it leaves most of the width to the other.
  p.columns.dataset.empty = !incoming.length === !sent.length ? "" : incoming.length ? "out" : "in";
  fillColumn(view, p.inbox, incoming, "in", names, initiativeName);
  fillColumn(view, p.sent, sent, "out", names, initiativeName);
  fitColumns([p.inbox, p.sent]);
}

function requestColumn(direction) {
  const box = el("section", `pj6-col pj6-col-${direction}`);
  const head = el("header", "pj6-col-head");
  const title = el("h3", "pj6-col-title", t(direction === "in" ? "pj6_incoming" : "pj6_sent"));
  const count = el("span", "pj6-col-count");
  head.append(title, count);
  const list = el("ol", "pj6-cards");
  const more = el("p", "pj6-more hidden");
  const none = el("p", "pj6-none", t(direction === "in" ? "pj6_no_incoming" : "pj6_no_sent"));
  box.append(head, list, more, none);
  return { box, head, count, list, more, none };
}

function fillColumn(view, col, requests, direction, names, initiativeName) {
  col.count.replaceChildren(el("span", "pj6-col-n", String(requests.length)), countChips(requests));
  col.none.classList.toggle("hidden", requests.length > 0);
  col.list.replaceChildren(...requests.map((r) => {
    const card = el("li", "pj6-card");
    card.dataset.requestId = String(r.id);
    card.dataset.status = r.status;
    const top = el("div", "pj6-card-top");
    const peerId = direction === "in" ? r.from_group_id : r.to_group_id;
    top.append(statusChip(r.status),
      el("span", "pj6-peer", `${direction === "in" ? "←" : "→"} ${names.get(peerId) || "…"}`),
      el("span", "pj6-need", t(`pj6_need_${r.need}`)));
    card.append(top, el("p", "pj6-card-text", r.text));
    const initiative = initiativeName(r);
    if (initiative) card.append(el("p", "pj6-card-init", initiative));
    const solutions = r.solutions || [];
    if (solutions.length) {
      const sol = el("p", "pj6-sol");
      sol.append(el("span", "pj6-sol-text", solutions[solutions.length - 1].text));
      if (solutions.length > 1) sol.append(el("span", "pj6-sol-more", fmt("pj6_solutions_n", solutions.length)));
      card.append(sol);
    }
    flash(view, card, `r${r.id}:${r.status}:${solutions.length}`);
    return card;
  }));
  col.more.classList.add("hidden");
  for (const card of col.list.children) card.classList.remove("hidden");
  col.list.classList.remove("hidden");
}

// Each column gets the largest type at which it shows every request; below the smallest step
// it shows its newest requests and counts the rest.
function fitColumns(cols) {
  for (const c of cols) {
    for (const size of CARD_SIZES) {
      c.box.style.setProperty("--r-size", `${size}vh`);
      c.box.dataset.size = String(size);
      if (!cut(c.list)) break;
    }
    fitList(c.list, c.more, "pj6_more_requests");
  }
}

// -- tact 7, one group: objectives and key results of its initiatives in focus --------------------
function objectives(view, store, group) {
  const p = view.parts;
  if (!p.okr) {
    p.okr = el("div", "pj7-okr");
    p.empty = el("p", "pj-work-empty", t("pj_no_initiatives"));
    view.body.append(p.okr, p.empty);
  }
  const focus = store.focusOf(group.id);
  const shown = focus.slice(0, MAX_INITIATIVES);
  const ranks = new Map(store.listB(group.id).map((r) => [r.initiative_id, r]));
  const data = shown.map((x) => ({ initiative: x, rank: rankLabel(ranks.get(x.id)), objectives: store.objectivesOf(x.id) }));
  const nObjectives = data.reduce((n, d) => n + d.objectives.length, 0);
  const nResults = data.reduce((n, d) => n + d.objectives.reduce((m, o) => m + (o.key_results || []).length, 0), 0);
  view.meta.textContent = [fmt("pj6_objectives_n", nObjectives), fmt("pj6_key_results_n", nResults),
    focus.length > shown.length ? fmt("pj_more_initiatives", focus.length - shown.length) : ""]
    .filter(Boolean).join(" · ");
  p.empty.classList.toggle("hidden", shown.length > 0);
  const sig = JSON.stringify([screenKey(), data]);
  if (p.okr.dataset.sig === sig) return;
  p.okr.dataset.sig = sig;
  p.okr.dataset.count = String(shown.length);
  p.okr.style.setProperty("--count", Math.max(1, shown.length));
  p.okr.replaceChildren(...data.map((d) => initiativeSection(view, d)));
  fitObjectives(p.okr);
}

function rankLabel(row) {
  if (!row || row.rank == null) return "";
  return row.tie ? `=${row.rank}` : String(row.rank);
}

function initiativeSection(view, { initiative, rank, objectives: list }) {
  const section = el("section", "pj7-init");
  section.dataset.initiativeId = String(initiative.id);
  const head = el("header", "pj7-init-head");
  if (rank) head.append(el("span", "pj7-rank", rank));
  head.append(el("h3", "pj7-init-name", initiative.name));
  const objectivesList = el("ol", "pj7-objs");
  for (const o of list) {
    const li = el("li", "pj7-obj");
    li.dataset.objectiveId = String(o.id);
    li.append(el("p", "pj7-obj-text", o.text));
    const krs = el("ul", "pj7-krs");
    for (const kr of o.key_results || []) krs.append(keyResult(view, kr));
    const krMore = el("li", "pj7-kr-more hidden");
    krs.append(krMore);
    if (!(o.key_results || []).length) krs.prepend(el("li", "pj7-kr is-none", t("pj6_no_key_results")));
    li.append(krs);
    flash(view, li, `o${o.id}`);
    objectivesList.append(li);
  }
  const objMore = el("p", "pj7-obj-more hidden");
  section.append(head);
  if (list.length) section.append(objectivesList, objMore);
  else section.append(el("p", "pj7-none", t("pj6_no_objectives")));
  return section;
}

// "metric: baseline → target unit by deadline · owner", each part styled on its own.
function keyResult(view, kr) {
  const li = el("li", "pj7-kr");
  li.dataset.keyResultId = String(kr.id);
  li.append(el("span", "pj7-kr-metric", `${kr.metric}:`), " ");
  const from = kr.baseline == null || kr.baseline === "" ? "" : `${number(kr.baseline)} `;
  li.append(el("span", "pj7-kr-value", `${from}→ ${number(kr.target)}${kr.unit ? ` ${kr.unit}` : ""}`));
  if (kr.deadline) li.append(" ", el("span", "pj7-kr-date", `${t("pj6_by")} ${date(kr.deadline)}`));
  // A short owner's name stays on one line.
  const owner = kr.owner && kr.owner.name ? kr.owner.name : "";
  if (owner) li.append(el("span", "pj7-kr-owner", ` · ${owner.length <= 24 ? owner.replace(/ /g, "\u00a0") : owner}`));
  flash(view, li, `k${kr.id}`);
  return li;
}

function number(x) {
  const n = typeof x === "number" ? x : Number(String(x).replace(",", "."));
  if (x === null || x === undefined || x === "" || !Number.isFinite(n)) return x == null ? "" : String(x);
  return new Intl.NumberFormat(lang(), { maximumFractionDigits: 2 }).format(n);
}

function date(iso) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
  if (!m) return iso || "";
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Intl.DateTimeFormat(lang(), { day: "numeric", month: "numeric", year: "numeric" }).format(d);
}

// Tries the layouts (initiatives one under another, or side by side) from the largest type
// down and keeps the first that fits; below the smallest step it hides key results, then
// objectives, of the tallest initiative until everything left fits, and counts what it hid.
function fitObjectives(box) {
  const layouts = ["rows", "cols"];
  // Overflow loses entries; a name or an objective cut to its last lines loses words: both
  // count while choosing the type, only the first while hiding entries.
  const overflows = () => cut(box) || [...box.children].some((s) => cut(s));
  const clipped = () => [...box.querySelectorAll(".pj7-init-name, .pj7-obj-text")].some(cut);
  box.classList.add("is-fitting");
  try {
    for (const size of OKR_SIZES) {
      box.style.setProperty("--okr-size", `${size}vh`);
      box.dataset.size = String(size);
      for (const layout of layouts) {
        box.dataset.layout = layout;
        if (!overflows() && !clipped()) return;
      }
    }
  } finally {
    box.classList.remove("is-fitting");
  }
  box.dataset.layout = layouts[layouts.length - 1];
  for (let guard = 0; guard < 400 && overflows(); guard += 1) if (!hideOne(box)) break;
}

function hideOne(box) {
  const sections = [...box.children].filter((s) => s.querySelector(".pj7-obj:not(.hidden)"));
  if (!sections.length) return false;
  const section = sections.reduce((a, b) => (b.scrollHeight > a.scrollHeight ? b : a));
  const objs = [...section.querySelectorAll(".pj7-obj:not(.hidden)")];
  const visibleKrs = (o) => [...o.querySelectorAll(".pj7-kr:not(.hidden):not(.is-none)")];
  const fullest = objs.reduce((a, b) => (visibleKrs(b).length > visibleKrs(a).length ? b : a));
  const krs = visibleKrs(fullest);
  if (krs.length > 1 || (objs.length === 1 && krs.length)) {
    krs[krs.length - 1].classList.add("hidden");
    const hidden = fullest.querySelectorAll(".pj7-kr.hidden").length;
    const more = fullest.querySelector(".pj7-kr-more");
    more.textContent = fmt("pj6_more_key_results", hidden);
    more.classList.remove("hidden");
    return true;
  }
  if (objs.length === 1) return false;
  objs[objs.length - 1].classList.add("hidden");
  const more = section.querySelector(".pj7-obj-more");
  more.textContent = fmt("pj6_more_objectives", section.querySelectorAll(".pj7-obj.hidden").length);
  more.classList.remove("hidden");
  return true;
}
