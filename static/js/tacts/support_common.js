// What the support workshop's kinds (ikigai.js, stages.js) share: the acks of their writes (the
// generic `tact` event, docs/PROTOCOL.md), and reads of their rows in the store
// (store.tacts.<kind>.<list>, loaded from the kind's snapshot and kept current by its events).
// Their stylesheet, static/css/tacts/support.css, comes through kind_views.js (`views.css`).
import { t } from "../i18n.js";
import { InitiativePicker, ackError, chooseInitiative, el } from "./board_common.js";

// Acks of a kind's outbox writes (a phone's creates and suggestions): the rows an ack carries go
// into the store; a refusal is kept with its reason for the view to show. `lists`: ack field ->
// the kind's list ({entry: "entries"}). Returns false for other writes.
export function tactAck(kind, lists) {
  return (writes, entry, ack) => {
    if (entry.event !== "tact" || !entry.payload || entry.payload.kind !== kind) return false;
    if (ack && ack.ok) {
      for (const [field, list] of Object.entries(lists)) {
        if (ack[field]) writes.store.putTactRow(kind, list, ack[field]);
      }
      return true;
    }
    writes.refused.push({ entry, error: (ack && ack.error) || t("error"), code: ack && ack.code });
    return true;
  };
}

// Put the rows a board's call returned into the store and let every view redraw.
export function keepRows(store, kind, lists, ack) {
  for (const [field, list] of Object.entries(lists)) {
    if (ack && ack[field]) store.putTactRow(kind, list, ack[field]);
  }
  store.changed("tact");
}

const position = (store, itemId) => (store.items.get(itemId) || { position: -1 }).position;

// The initiative's ikigai focus: the latest ikigai item's that has one, or "".
export function ikigaiFocus(store, initiativeId) {
  const rows = store.tactRows("ikigai", "focus", (f) => f.initiative_id === initiativeId && f.text)
    .sort((a, b) => position(store, b.item_id) - position(store, a.item_id));
  return rows.length ? rows[0].text : "";
}

// The initiatives a group works on in these kinds: List B's focus first, then the others.
export function groupInitiatives(store, groupId) {
  const focus = store.focusOf(groupId);
  const ids = new Set(focus.map((x) => x.id));
  return [...focus, ...store.initiativesOf(groupId).filter((x) => !ids.has(x.id))];
}

// A phone deletes one of its own rows, once the participant confirms: `action` names the kind's
// delete action; the ack's rows go into the store, a refusal shows as the view's notice.
// ctx: the phone view's (live, store, writes, refresh).
export async function deleteOwnRow(ctx, kind, lists, action, id) {
  if (!window.confirm(t("ph_confirm_delete"))) return;
  const ack = await ctx.live.call("tact", { kind, action, id });
  if (ack.ok) keepRows(ctx.store, kind, lists, ack);
  else { ctx.writes.notice = ackError(ack); ctx.refresh(); }
}

// A group moderator's board of one of the kinds: one initiative at a time, picked in a row of
// tabs (board_common.js chooseInitiative). ctx: see board_tacts.js (store, live, groupId, notice,
// announce, focus, listB, shared). A subclass builds its body after `this.pickRow` and draws it
// in render(item).
export class InitiativeBoard {
  constructor(ctx, item, cls) {
    this.node = this.root = el("div", cls);
    this.ctx = ctx;
    this.item = item;
    this.initiative = null;
    this.pickRow = el("div", "bd-picker");
    this.picker = new InitiativePicker(this.pickRow, (id) => { this.ctx.shared.initiativeId = id; this.render(this.item); });
  }

  update(item) { this.render(item); }

  destroy() {}

  pick() { return chooseInitiative(this); }
}
