// What the phone's tact views (phone_clustering.js, phone_stakeholders.js, phone_resources.js,
// phone_presentation.js) share: small DOM helpers, and the writes with their pending and refused
// state kept around the outbox. User text is only ever set with textContent.
import { el, fill } from "../dom.js";
import { t } from "../i18n.js";
import { Store } from "../store.js";

export const NAME_MAX = 120;
// The writes whose acks this module takes; the others are phone.js's.
const EVENTS = new Set(["take_idea", "drop_idea", "move_idea", "create_initiative", "set_stake",
  "add_stakeholder", "add_value", "add_flow"]);

// -- small helpers -------------------------------------------------------------------------
export { el, fill };

export function button(text, cls, onClick) {
  const b = el("button", cls, text);
  b.type = "button";
  b.addEventListener("click", onClick);
  return b;
}


// Set a select's options ([value, label]) only when they changed, keeping the chosen value.
export function setOptions(select, list) {
  const sig = JSON.stringify(list);
  if (select.dataset.sig === sig) return;
  const value = select.value;
  select.replaceChildren(...list.map(([v, label]) => {
    const o = el("option", "", label);
    o.value = v;
    return o;
  }));
  select.dataset.sig = sig;
  if (list.some(([v]) => v === value)) select.value = value;
}

// Make `parent`'s children the parts of `keys`, in order. A part ({node, update, destroy}) is made
// once and kept; its node moves only when the order changed, so a form inside keeps its focus.
export function keyed(parent, cache, keys, make) {
  for (const [k, part] of cache) {
    if (keys.includes(k)) continue;
    part.node.remove();
    if (part.destroy) part.destroy();
    cache.delete(k);
  }
  const parts = keys.map((k) => {
    if (!cache.has(k)) cache.set(k, make(k));
    return cache.get(k);
  });
  parts.forEach((part, i) => {
    if (parent.children[i] !== part.node) parent.insertBefore(part.node, parent.children[i] || null);
  });
  return parts;
}

// "2", or "=2" when the place is shared.
function rankText(row) {
  return row && row.rank != null ? `${row.tie ? "=" : ""}${row.rank}` : "";
}

export function rankBadge(row) {
  const badge = el("span", "ph-rank", rankText(row));
  badge.setAttribute("aria-label", fill(row.tie ? "ph_place_shared" : "ph_place", { rank: row.rank }));
  return badge;
}

export function stateLine(cls, text) {
  const p = el("span", `ph-state ${cls}`, text);
  if (cls === "failed") p.setAttribute("role", "alert");
  return p;
}

// A labelled field: the label above its control.
export function field(labelText, control, id) {
  const wrap = el("div", "ph-field");
  control.id = id;
  const label = el("label", "", labelText);
  label.htmlFor = id;
  wrap.append(label, control);
  return wrap;
}

export function textInput(name, max, placeholder) {
  const input = el("input");
  input.type = "text";
  input.name = name;
  input.maxLength = max;
  input.autocomplete = "off";
  if (placeholder) input.placeholder = placeholder;
  return input;
}

// The reason a text is refused locally, or "".
export function textError(text, max) {
  if (!text) return t("empty_text");
  if (text.length > max) return t("too_long");
  return "";
}

// -- writes --------------------------------------------------------------------------------
// Creates and absolute values go through the outbox (they survive a drop and a reload); an ack
// puts the saved row into the store, a refusal is kept with its reason until the user acts.
export class Writes {
  constructor(store, live) {
    this.store = store;
    this.live = live;
    this.refused = [];
    this.notice = "";
  }

  send(event, payload, key) {
    const id = key || payload.client_id;
    this.refused = this.refused.filter((f) => f.entry.id !== id);
    this.notice = "";
    this.live.enqueue(event, payload, key);
  }

  pending(event, test = () => true) {
    return this.live.outbox().filter((e) => e.event === event && test(e.payload));
  }

  failed(event, test = () => true) {
    return this.refused.filter((f) => f.entry.event === event && test(f.entry.payload));
  }

  forget(f) { this.refused = this.refused.filter((x) => x !== f); }

  waiting() { return `⏳ ${this.live.status === "online" ? t("sending") : t("ph_waiting")}`; }

  onAck(entry, ack) {
    if (!EVENTS.has(entry.event)) return false;
    if (ack && ack.ok) { this.keep(ack); return true; }
    const error = (ack && ack.error) || t("error");
    this.refused.push({ entry, error });
    // Taking and dropping have no row of their own that stays in view: say it on top too.
    if (entry.event === "take_idea" || entry.event === "drop_idea") this.notice = `✗ ${t("not_saved")}: ${error}`;
    return true;
  }

  // The rows an ack carries go into the store (a later event with a higher rev still wins).
  keep(ack) {
    const b = this.store.board;
    if (ack.initiative) this.store.putRow(b.initiatives, ack.initiative);
    if (ack.selection) this.store.putRow(b.selections, ack.selection);
    for (const s of ack.selections || []) this.store.putRow(b.selections, s);
    if (ack.stakeholder) this.store.putRow(b.stakeholders, ack.stakeholder);
    if (ack.flow) this.store.putRow(b.flows, ack.flow);
    if (ack.mine) b.mine.set(Store.boardKey(ack.mine.item_id, ack.mine.group_id), ack.mine);
  }

  // A delete (not kept across reloads): after its confirm, the row leaves the store at once.
  async remove(event, row, map) {
    if (!window.confirm(t("ph_confirm_delete"))) return;
    const ack = await this.live.call(event, { id: row.id });
    if (ack.ok) {
      this.keep(ack);
      if (map) this.store.putRow(map, { ...row, deleted: true });
      this.notice = "";
    } else {
      this.notice = ack.code === "offline" ? t("not_sent") : ack.code === "timeout" ? t("no_answer")
        : ack.error || t("error");
    }
    this.store.changed("board", row);
  }
}

// A refused create shown where it was made: its text, the reason, "Edit" (back into the form,
// when the form is open) and "Delete" (forget it).
export function refusedRow(writes, f, label, onEdit, refresh) {
  const li = el("li", "ph-row ph-refused", label);
  li.append(stateLine("failed", `✗ ${t("not_saved")}: ${f.error}`));
  const actions = el("div", "ph-actions");
  if (onEdit) actions.append(button(t("edit"), "secondary", () => { writes.forget(f); onEdit(f.entry.payload); refresh(); }));
  actions.append(button(t("delete"), "danger", () => { writes.forget(f); refresh(); }));
  li.append(actions);
  return li;
}

// An initiative's heading: its place in List B (when the totals are known) and its name.
export function initiativeHead(tag = "h2") {
  const node = el("div", "ph-init-head");
  const name = el(tag, "ph-init-name");
  node.append(name);
  return {
    node,
    update(initiative, row) {
      name.textContent = initiative.name;
      node.querySelector(".ph-rank")?.remove();
      if (row && row.rank != null) node.prepend(rankBadge(row));
    },
  };
}

// A view of tacts 4 and 5: one section per initiative that goes on from List B, in its order.
// Subclasses make a section with `section(id)`; a section has `node` and `update(x, row, open)`.
export class FocusView {
  constructor(ctx, item, cls) {
    this.ctx = ctx;
    this.item = item;
    this.sections = new Map();
    this.node = el("div", `ph-view ${cls}`);
    this.note = el("p", "ph-note");
    this.inits = el("div", "ph-inits");
    this.node.append(this.note, this.inits);
  }

  destroy() {}

  update() {
    const { store, group } = this.ctx;
    const item = store.items.get(this.item.id) || this.item;
    const open = item.state === "active" && !item.locked;
    const focus = store.focusOf(group);
    const rows = new Map(store.listB(group).map((r) => [r.initiative_id, r]));
    this.note.textContent = focus.length ? "" : t("ph_no_focus");
    const parts = keyed(this.inits, this.sections, focus.map((x) => x.id), (id) => this.section(id));
    parts.forEach((part, i) => part.update(focus[i], rows.get(focus[i].id), open));
  }
}
