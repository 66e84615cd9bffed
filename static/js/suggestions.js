// The suggestions panel on a group moderator's board (tacts 2–3, docs/PROTOCOL.md "Suggestions")
// and on the chief moderator's console (tact 2 only: duplicates in the whole List A, no group):
// the moderator asks, the server proposes near-duplicate ideas to merge and (tact 3) clusters of
// the group's taken ideas to make or fill initiatives. Each proposal is accepted (through the same
// events as a manual merge, move or new initiative), edited (the merged text, the name, an idea
// left out with the ✕ beside it) or dismissed; nothing changes on the board before that.
// Proposals live only on this page.
// User text is only ever set with textContent.
import { ackError, el } from "./board.js";
import { t } from "./i18n.js";
import { uuid } from "./live.js";

const KINDS = ["brainstorm", "clustering"];
const MAX_NAME = 120;
const MAX_TEXT = 300;

function tf(key, params) {
  let s = t(key);
  for (const [k, v] of Object.entries(params)) s = s.split(`{${k}}`).join(String(v));
  return s;
}

// The fewest ideas a proposal stands with: two to merge or to make an initiative, one to move.
const least = (p) => (p.type === "move" ? 1 : 2);
// A merge keeps the longest wording (it keeps the most); the moderator edits it before accepting.
const longest = (texts) => texts.reduce((a, b) => (b.length > a.length ? b : a), "");

// A cluster's name once ideas are left out: the parts of it (the server's `parts`, each with the
// ideas whose text has it) still shared by two of the ideas left, written as the server writes a
// name (method.name_of); null when none is.
function nameLeft(p) {
  const left = new Set(p.idea_ids);
  const labels = (p.parts || []).filter((x) => x.idea_ids.filter((id) => left.has(id)).length >= 2)
    .map((x) => x.label);
  if (!labels.length) return null;
  const name = labels.join(", ");
  return (name[0].toUpperCase() + name.slice(1)).slice(0, MAX_NAME);
}

function button(label, act, cls = "secondary") {
  const b = el("button", cls, label);
  b.type = "button";
  b.dataset.act = act;
  return b;
}

export class SuggestionsPanel {
  // root: an empty <section> (templates/moderator/group.html, console.html); opts: {store, live,
  // groupId (null on the console: the whole List A), kinds (the item kinds it shows for),
  // askKey and noteKey (the i18n keys of the ask button and the note under the title)}.
  constructor(root, { store, live, groupId = null, kinds = KINDS, askKey = "sg_ask", noteKey = "sg_note" }) {
    this.root = root;
    this.store = store;
    this.live = live;
    this.groupId = groupId;
    this.kinds = kinds;
    this.askKey = askKey;
    this.item = null;
    this.result = null; // the last answer: {item_id, kind, considered, duplicates, clusters}
    this.proposals = []; // [{key, type: dup|create|move, ..., value, busy, error}]
    this.asking = false;
    this.message = "";
    const head = el("div", "sg-head");
    head.append(el("h2", "sg-title", t("sg_title")));
    this.ask = button(t(askKey), "ask", "");
    this.status = el("p", "sg-status muted");
    this.status.setAttribute("role", "status");
    head.append(this.ask);
    this.list = el("ol", "sg-list");
    root.append(head, el("p", "sg-note muted small", t(noteKey)), this.status, this.list);
    root.addEventListener("click", (e) => this.onClick(e));
    root.addEventListener("input", (e) => {
      const host = e.target.closest("[data-key]");
      const p = host && this.proposals.find((x) => x.key === host.dataset.key);
      if (p && e.target.dataset.f === "value") { p.value = e.target.value; p.edited = true; }
    });
  }

  // item: the item whose board is shown (brainstorm: List A; clustering: the group's board).
  render(item) {
    const show = Boolean(item && this.kinds.includes(item.kind) && item.state !== "pending");
    this.root.classList.toggle("hidden", !show);
    if (!show) return;
    if (!this.item || this.item.id !== item.id) { this.result = null; this.proposals = []; this.message = ""; }
    this.item = item;
    this.ask.disabled = this.asking;
    this.ask.textContent = this.asking ? t("sg_asking") : (this.result ? t("sg_ask_again") : t(this.askKey));
    this.prune();
    this.status.textContent = this.message;
    const nodes = this.proposals.map((p) => this.node(p));
    const keep = new Set(nodes);
    for (const child of [...this.list.children]) if (!keep.has(child)) child.remove();
    nodes.forEach((n, i) => { if (this.list.children[i] !== n) this.list.insertBefore(n, this.list.children[i] || null); });
  }

  refresh() { this.render(this.item); }

  // -- asking ------------------------------------------------------------------------------
  async request() {
    if (this.asking || !this.item) return;
    this.asking = true;
    this.message = "";
    this.refresh();
    const payload = { item_id: this.item.id };
    if (this.groupId !== null) payload.group_id = this.groupId;
    const ack = await this.live.call("suggest", payload);
    this.asking = false;
    if (ack && ack.ok) {
      this.result = ack.suggestions;
      this.proposals = this.build(ack.suggestions);
      this.message = this.proposals.length
        ? tf("sg_found", { n: this.proposals.length, total: ack.suggestions.considered })
        : tf("sg_none", { total: ack.suggestions.considered });
    } else {
      this.message = ackError(ack);
    }
    this.refresh();
    this.status.focus?.();
  }

  build(s) {
    const out = [];
    s.duplicates.forEach((d, n) => {
      const keep = longest(d.idea_ids.map((id) => this.text(id)));
      out.push({ key: `dup:${n}`, type: "dup", idea_ids: d.idea_ids, selection_ids: d.selection_ids, value: keep });
    });
    s.clusters.forEach((c, n) => {
      out.push({ key: `cl:${n}`, type: c.action, name: c.name, value: c.name, idea_ids: c.idea_ids,
        selection_ids: c.selection_ids, initiative_id: c.initiative_id, parts: c.parts || [] });
    });
    return out;
  }

  text(ideaId) { const c = this.store.idea(ideaId); return c ? c.text : ""; }

  // A proposal whose ideas went away meanwhile (merged, returned, moved by hand) shrinks or goes.
  prune() {
    const sels = this.store.board ? this.store.board.selections : new Map();
    const inits = this.store.board ? this.store.board.initiatives : new Map();
    this.proposals = this.proposals.filter((p) => {
      if (p.busy) return true;
      const alive = p.idea_ids.map((id, i) => [id, p.selection_ids[i]]).filter(([id, sel]) => this.store.idea(id)
        && (sel === undefined || (sels.has(sel) && (p.type === "dup" || !inits.has(sels.get(sel).initiative_id)))));
      p.idea_ids = alive.map(([id]) => id);
      p.selection_ids = p.selection_ids.length ? alive.map(([, sel]) => sel) : [];
      return p.idea_ids.length >= least(p) && (p.type !== "move" || inits.has(p.initiative_id));
    });
  }

  // -- one proposal ----------------------------------------------------------------------------
  node(p) {
    const sig = JSON.stringify([p.type, p.idea_ids, p.busy, p.error, p.initiative_id,
      p.type === "move" ? this.initName(p.initiative_id) : "", p.idea_ids.map((id) => this.text(id))]);
    if (p.li && p.li.dataset.sig === sig) return p.li;
    const li = el("li", `sg-item sg-${p.type}`);
    li.dataset.key = p.key;
    li.dataset.sig = sig;
    const kind = p.type === "dup" ? t("sg_dup") : p.type === "create" ? t("sg_create") : tf("sg_move", { name: this.initName(p.initiative_id) });
    li.append(el("p", "sg-kind", kind));
    const ideas = el("ul", "sg-ideas");
    // An idea the moderator sees does not belong can be left out, as long as the proposal keeps
    // the ideas it needs.
    const droppable = p.idea_ids.length > least(p);
    for (const id of p.idea_ids) {
      const row = el("li", "sg-idea");
      row.append(el("span", "sg-idea-text", this.text(id)));
      if (droppable) {
        const drop = button("✕", "drop", "secondary sg-drop");
        drop.dataset.id = id;
        drop.title = tf("sg_drop", { text: this.text(id) });
        drop.setAttribute("aria-label", drop.title);
        row.append(drop);
      }
      ideas.append(row);
    }
    li.append(ideas);
    if (p.type !== "move") {
      const id = `sg-${p.key.replace(":", "-")}`;
      const label = el("label", "sg-label", p.type === "dup" ? t("merge_text") : t("sg_name"));
      label.htmlFor = id;
      const field = el(p.type === "dup" ? "textarea" : "input", "sg-value");
      field.id = id;
      field.dataset.f = "value";
      field.maxLength = p.type === "dup" ? MAX_TEXT : MAX_NAME;
      if (p.type === "dup") field.rows = 2; else field.type = "text";
      field.value = p.value;
      li.append(label, field);
    }
    if (p.error) {
      const e = el("p", "error sg-error", p.error);
      e.setAttribute("role", "alert");
      li.append(e);
    }
    const actions = el("div", "sg-actions");
    actions.append(button(p.type === "dup" ? t("sg_accept_merge") : t("sg_accept"), "accept", ""),
      button(t("sg_dismiss"), "dismiss"));
    li.append(actions);
    if (p.busy) for (const c of li.querySelectorAll("button, input, textarea")) c.disabled = true;
    p.li = li;
    return li;
  }

  initName(id) { const x = this.store.board && this.store.board.initiatives.get(id); return x ? x.name : ""; }

  onClick(e) {
    const b = e.target.closest("button[data-act]");
    if (!b || b.disabled) return;
    if (b.dataset.act === "ask") { this.request(); return; }
    const host = b.closest("[data-key]");
    const p = host && this.proposals.find((x) => x.key === host.dataset.key);
    if (!p) return;
    if (b.dataset.act === "drop") {
      this.drop(p, Number(b.dataset.id));
      // the focus goes to the next idea's button, or to the proposal's accept button
      const next = this.list.querySelector(`[data-key="${p.key}"] [data-act=drop]`)
        || this.list.querySelector(`[data-key="${p.key}"] [data-act=accept]`);
      next?.focus();
    } else if (b.dataset.act === "dismiss") {
      this.proposals = this.proposals.filter((x) => x !== p);
      this.refresh();
      this.ask.focus();
    } else if (b.dataset.act === "accept") this.accept(p);
  }

  // Leave one idea out of a proposal (nothing is sent: the proposal is only on this page).
  drop(p, ideaId) {
    const at = p.idea_ids.indexOf(ideaId);
    if (at < 0 || p.busy || p.idea_ids.length <= least(p)) return;
    p.idea_ids = p.idea_ids.filter((_, i) => i !== at);
    if (p.selection_ids.length) p.selection_ids = p.selection_ids.filter((_, i) => i !== at);
    // the kept wording, or the name, follows the ideas left, unless the moderator typed their own
    if (p.type === "dup" && !p.edited) p.value = longest(p.idea_ids.map((id) => this.text(id)));
    else if (p.type === "create" && !p.edited) p.value = nameLeft(p) || p.value;
    this.refresh();
  }

  async accept(p) {
    const value = (p.value || "").trim();
    if (p.type !== "move" && !value) { p.error = t("empty_text"); this.refresh(); return; }
    p.busy = true;
    p.error = "";
    this.refresh();
    const error = await (p.type === "dup" ? this.merge(p, value) : p.type === "create" ? this.create(p, value) : this.move(p));
    p.busy = false;
    if (error) p.error = error;
    else {
      this.proposals = this.proposals.filter((x) => x !== p);
      this.message = t("sg_done");
    }
    this.refresh();
  }

  // Every other idea into the first, as "Merge into…" does. In tact 3 the server itself gives
  // each group one selection of the kept idea (the merged one's goes, its initiative placement
  // kept; docs/PROTOCOL.md "merge_cards"); the ack carries this group's changed selections.
  async merge(p, text) {
    const [into, ...rest] = p.idea_ids;
    for (const [i, id] of rest.entries()) {
      const payload = { kind: "idea", id, into };
      if (i === 0 && text !== this.text(into)) payload.text = text;
      const ack = await this.live.call("merge_cards", payload);
      if (!ack || !ack.ok) return ackError(ack);
      this.store.putCard(ack.merged);
      this.store.putCard(ack.into);
      if (ack.selections && ack.selections.length) this.putSelections(ack.selections);
    }
    return null;
  }

  async create(p, name) {
    const ack = await this.live.call("create_initiative", {
      client_id: uuid(), item_id: this.item.id, group_id: this.groupId, name, selection_ids: p.selection_ids,
    });
    if (!ack || !ack.ok) return ackError(ack);
    this.store.putRow(this.store.board.initiatives, ack.initiative);
    this.putSelections(ack.selections || []);
    return null;
  }

  async move(p) {
    for (const id of p.selection_ids) {
      const ack = await this.live.call("move_idea", { id, initiative_id: p.initiative_id, position: 100000 });
      if (!ack || !ack.ok) return ackError(ack);
      this.putSelections(ack.selections);
    }
    return null;
  }

  putSelections(rows) {
    for (const row of rows) if (row) this.store.putRow(this.store.board.selections, row);
    this.store.changed("board");
  }
}
