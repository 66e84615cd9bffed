// The ikigai canvas (kind `ikigai`, seed 002; docs/PROTOCOL.md, "Ikigai canvas") on the phone,
// the group moderator's board and the projector: PhoneView, BoardView and ProjectorView, mounted
// by the hosts through kind_views.js (the kind's `views`, facilitation/tacts/ikigai.py). Per
// initiative three columns, "what they want / what they can / what is needed"; the moderator marks
// what stands in all three and writes the initiative's focus from it. Rows:
// store.tacts.ikigai.entries and .focus. User text only ever goes in through textContent.
import { t } from "../i18n.js";
import { uuid } from "../live.js";
import {
  ackError, button as bdButton, clearSent, el, focusAddress, rankLabels, restoreFocus, tf,
} from "./board_common.js";
import {
  FocusView, button, initiativeHead, keyed, refusedRow, stateLine, textError, textInput,
} from "./phone_common.js";
import {
  InitiativeBoard, deleteOwnRow, groupInitiatives, keepRows, tactAck,
} from "./support_common.js";

export const COLUMNS = ["want", "can", "need"];
const KIND = "ikigai";
const ENTRY_MAX = 200;
const FOCUS_MAX = 300;
const LISTS = { entry: "entries", focus: "focus" };

const takeAck = tactAck(KIND, LISTS);

export function entriesOf(store, itemId, initiativeId, column) {
  return store.tactRows(KIND, "entries", (e) => e.item_id === itemId && e.initiative_id === initiativeId
    && (!column || e.column === column)).sort((a, b) => a.id - b.id);
}

export function focusOf(store, itemId, initiativeId) {
  return store.tactRows(KIND, "focus", (f) => f.item_id === itemId && f.initiative_id === initiativeId)[0] || null;
}

// -- the phone ---------------------------------------------------------------------------------
export class PhoneView extends FocusView {
  // ctx (phone_tacts.js): store, live, writes, meId, group, refresh
  constructor(ctx, item) {
    super(ctx, item, "ph-ikigai");
  }

  // phone_tacts.js hands this view the acks of this kind's `tact` writes while it is shown.
  onAck(entry, ack) { return takeAck(this.ctx.writes, entry, ack); }

  section(id) {
    const { store, writes, meId } = this.ctx;
    const itemId = this.item.id;
    const node = el("section", "ph-init ik-init");
    node.dataset.initiativeId = id;
    const head = initiativeHead();
    const focus = el("p", "ik-focus");
    const columns = COLUMNS.map((column) => {
      const box = el("div", `ik-col ik-col-${column}`);
      box.dataset.column = column;
      const list = el("ul", "ik-entries");
      const form = el("form", "ph-form ph-inline ik-form");
      form.noValidate = true;
      const input = textInput("text", ENTRY_MAX, t("ik_entry_ph"));
      input.setAttribute("aria-label", `${t(`ik_${column}`)}: ${t("ik_entry_ph")}`);
      const add = el("button", "secondary", t("ik_add"));
      add.type = "submit";
      add.dataset.action = "add-entry";
      const err = el("p", "error");
      err.setAttribute("role", "alert");
      const row = el("div", "ph-form-row");
      row.append(input, add);
      form.append(row, err);
      input.addEventListener("input", () => { err.textContent = ""; });
      form.addEventListener("submit", (e) => {
        e.preventDefault();
        const text = input.value.trim();
        err.textContent = textError(text, ENTRY_MAX);
        if (err.textContent) return;
        writes.send("tact", { kind: KIND, action: "add_entry", client_id: uuid(), item_id: itemId,
          initiative_id: id, column, text });
        input.value = "";
        this.ctx.refresh();
      });
      box.append(el("h3", "ik-col-title", t(`ik_${column}`)), el("p", "ik-col-hint", t(`ik_${column}_hint`)), list, form);
      return { column, box, list, form, input };
    });
    const grid = el("div", "ik-cols");
    grid.append(...columns.map((c) => c.box));
    node.append(head.node, focus, grid);
    return {
      node,
      update: (initiative, row, open) => {
        head.update(initiative, row);
        const f = focusOf(store, itemId, id);
        focus.textContent = f && f.text ? `${t("ik_focus")}: ${f.text}` : "";
        focus.hidden = !(f && f.text);
        for (const c of columns) {
          const rows = entriesOf(store, itemId, id, c.column);
          const saved = new Set(rows.map((e) => e.client_id));
          const items = rows.map((e) => {
            const li = el("li", e.marked ? "ik-entry is-marked" : "ik-entry");
            li.dataset.entryId = e.id;
            li.append(el("span", "ik-entry-text", e.text));
            if (e.marked) li.append(el("span", "ik-badge", `★ ${t("ik_marked")}`));
            if (e.participant_id === meId && open) {
              const del = button("✕", "ph-chip-del", () => this.remove(e));
              del.dataset.action = "delete-entry";
              del.setAttribute("aria-label", t("ik_delete"));
              li.append(del);
            }
            return li;
          });
          const mine = (p) => p.kind === KIND && p.action === "add_entry" && p.initiative_id === id && p.column === c.column;
          for (const e of writes.pending("tact", (p) => mine(p) && !saved.has(p.client_id))) {
            const li = el("li", "ik-entry ph-pending");
            li.append(el("span", "ik-entry-text", e.payload.text), stateLine("pending", writes.waiting()));
            items.push(li);
          }
          for (const f2 of writes.failed("tact", mine)) {
            items.push(refusedRow(writes, f2, f2.entry.payload.text,
              open && ((p) => { c.input.value = p.text; c.input.focus(); }), this.ctx.refresh));
          }
          if (!items.length) items.push(el("li", "empty", t("ik_empty")));
          c.list.replaceChildren(...items);
          c.form.hidden = !open;
        }
      },
    };
  }

  remove(entry) { return deleteOwnRow(this.ctx, KIND, LISTS, "delete_entry", entry.id); }
}

// -- the group moderator's board -------------------------------------------------------------------
export class BoardView extends InitiativeBoard {
  constructor(ctx, item) {
    super(ctx, item, "ik-board");
    const root = this.root;
    this.busy = false;
    this.focusDraft = new Map(); // initiative id -> text typed and not saved
    this.readonly = el("p", "bd-box bd-readonly muted hidden", t("bd_not_started"));
    this.empty = el("p", "bd-box muted hidden", t("ik_no_initiatives"));
    this.cols = el("div", "ik-board-cols");
    this.columns = COLUMNS.map((column) => {
      const box = el("section", `bd-box ik-col ik-col-${column}`);
      box.dataset.column = column;
      const count = el("span", "bd-count");
      const head = el("div", "bd-col-head");
      head.append(el("h3", "", t(`ik_${column}`)), count);
      const list = el("ul", "ik-entries");
      const form = el("form", "ik-form bd-form-row");
      form.noValidate = true;
      const input = el("input");
      input.type = "text";
      input.maxLength = ENTRY_MAX;
      input.placeholder = t("ik_entry_ph");
      input.dataset.f = `ik-add-${column}`;
      input.setAttribute("aria-label", `${t(`ik_${column}`)}: ${t("ik_entry_ph")}`);
      const add = el("button", "secondary", t("ik_add"));
      add.type = "submit";
      form.append(input, add);
      form.addEventListener("submit", (e) => { e.preventDefault(); this.add(column, input); });
      box.append(head, el("p", "ik-col-hint muted", t(`ik_${column}_hint`)), list, form);
      this.cols.append(box);
      return { column, box, list, count, form, input };
    });
    this.focusBox = el("section", "bd-box ik-focus-box");
    this.focusArea = el("textarea");
    this.focusArea.maxLength = FOCUS_MAX;
    this.focusArea.rows = 2;
    this.focusArea.placeholder = t("ik_focus_ph");
    this.focusArea.dataset.f = "ik-focus";
    this.focusArea.setAttribute("aria-label", t("ik_focus"));
    this.focusArea.addEventListener("input", () => {
      if (this.initiative) this.focusDraft.set(this.initiative.id, this.focusArea.value);
    });
    this.focusNote = el("p", "muted ik-focus-note");
    this.focusError = el("p", "error");
    this.focusError.setAttribute("role", "alert");
    const actions = el("div", "bd-form-row");
    this.fromMarks = bdButton(t("ik_focus_from_marks"), "ik-from-marks");
    this.saveFocus = bdButton(t("ik_focus_save"), "ik-save-focus", "");
    this.clearFocus = bdButton(t("ik_focus_clear"), "ik-clear-focus");
    actions.append(this.fromMarks, this.saveFocus, this.clearFocus);
    this.focusSaved = el("p", "ik-focus-saved");
    this.focusBox.append(el("h3", "", t("ik_focus")), this.focusSaved, this.focusArea, this.focusNote, actions, this.focusError);
    root.append(this.pickRow, this.readonly, this.empty, this.cols, this.focusBox);
    root.addEventListener("click", (e) => this.onClick(e));
  }

  render(item) {
    const addr = focusAddress(this.root);
    const { store } = this.ctx;
    this.item = item;
    const ini = this.pick();
    this.readonly.classList.toggle("hidden", Boolean(item));
    this.empty.classList.toggle("hidden", Boolean(ini));
    this.cols.classList.toggle("hidden", !item || !ini);
    this.focusBox.classList.toggle("hidden", !item || !ini);
    if (!item || !ini) return;
    const marked = {};
    for (const c of this.columns) {
      const rows = entriesOf(store, item.id, ini.id, c.column);
      marked[c.column] = rows.filter((e) => e.marked).length;
      c.count.textContent = t("ik_entries_n").replace("{n}", rows.length);
      const sig = JSON.stringify(rows.map((e) => [e.id, e.rev, e.text, e.marked]));
      if (c.list.dataset.sig !== sig) {
        c.list.dataset.sig = sig;
        c.list.replaceChildren(...(rows.length ? rows.map((e) => this.entryNode(e)) : [el("li", "empty muted", t("ik_empty"))]));
      }
    }
    const saved = focusOf(store, item.id, ini.id);
    this.focusSaved.textContent = saved && saved.text ? saved.text : t("ik_focus_none");
    this.focusSaved.classList.toggle("is-set", Boolean(saved && saved.text));
    const draft = this.focusDraft.get(ini.id);
    const wanted = draft !== undefined ? draft : (saved ? saved.text : "");
    if (this.focusArea.value !== wanted && document.activeElement !== this.focusArea) this.focusArea.value = wanted;
    const complete = COLUMNS.every((c) => marked[c] > 0);
    this.focusNote.textContent = complete ? "" : t("ik_marks_missing")
      .replace("{want}", `${t("ik_want")} ${marked.want}`).replace("{can}", `${t("ik_can")} ${marked.can}`)
      .replace("{need}", `${t("ik_need")} ${marked.need}`);
    this.fromMarks.disabled = !COLUMNS.some((c) => marked[c] > 0);
    this.saveFocus.disabled = this.busy;
    restoreFocus(this.root, addr);
  }

  entryNode(e) {
    const li = el("li", e.marked ? "ik-entry is-marked" : "ik-entry");
    li.dataset.key = `e${e.id}`;
    li.dataset.entryId = e.id;
    const text = el("span", "ik-entry-text", e.text);
    const who = el("span", "ik-author muted", e.author || "");
    const mark = bdButton(e.marked ? `★ ${t("ik_marked")}` : `☆ ${t("ik_mark")}`, "ik-mark", e.marked ? "ik-mark is-on" : "ik-mark secondary");
    mark.dataset.id = e.id;
    mark.setAttribute("aria-pressed", e.marked ? "true" : "false");
    const del = bdButton("✕", "ik-delete", "link ik-del");
    del.dataset.id = e.id;
    del.setAttribute("aria-label", t("ik_delete"));
    del.title = t("ik_delete");
    li.append(text, who, mark, del);
    return li;
  }

  async call(payload) {
    const ack = await this.ctx.live.call("tact", { kind: KIND, ...payload });
    if (ack && ack.ok) { this.ctx.notice.clear(); keepRows(this.ctx.store, KIND, LISTS, ack); } else this.ctx.notice.show(ackError(ack));
    return ack;
  }

  async add(column, input) {
    const text = input.value.trim();
    if (!text || !this.item || !this.initiative) return;
    if (text.length > ENTRY_MAX) { this.ctx.notice.show(t("too_long")); return; }
    const ack = await this.call({ action: "add_entry", client_id: uuid(), item_id: this.item.id,
      initiative_id: this.initiative.id, column, text });
    if (ack && ack.ok) { clearSent(input, text); input.focus(); }
  }

  onClick(e) {
    const b = e.target.closest("[data-act]");
    if (!b || !this.item || !this.initiative) return;
    const entry = b.dataset.id ? this.ctx.store.tacts.ikigai?.entries?.get(Number(b.dataset.id)) : null;
    if (b.dataset.act === "ik-mark" && entry) this.call({ action: "mark_entry", id: entry.id, marked: !entry.marked });
    else if (b.dataset.act === "ik-delete" && entry) {
      if (window.confirm(t("ph_confirm_delete"))) this.call({ action: "delete_entry", id: entry.id });
    } else if (b.dataset.act === "ik-from-marks") {
      const marked = entriesOf(this.ctx.store, this.item.id, this.initiative.id).filter((x) => x.marked);
      this.focusArea.value = COLUMNS.flatMap((c) => marked.filter((x) => x.column === c).map((x) => x.text)).join(" · ").slice(0, FOCUS_MAX);
      this.focusDraft.set(this.initiative.id, this.focusArea.value);
      this.focusArea.focus();
    } else if (b.dataset.act === "ik-save-focus" || b.dataset.act === "ik-clear-focus") {
      const text = b.dataset.act === "ik-clear-focus" ? "" : this.focusArea.value.trim();
      const id = this.initiative.id;
      this.busy = true;
      this.focusError.textContent = "";
      this.ctx.live.call("tact", { kind: KIND, action: "set_focus", item_id: this.item.id, initiative_id: id, text })
        .then((ack) => {
          this.busy = false;
          if (ack && ack.ok) {
            this.focusDraft.delete(id);
            if (!text) this.focusArea.value = "";
            keepRows(this.ctx.store, KIND, LISTS, ack);
            this.ctx.announce(t("ik_saved"));
          } else {
            this.focusError.textContent = ackError(ack);
            this.render(this.item);
          }
        });
    }
  }
}

// -- the projector -----------------------------------------------------------------------------------
// One panel per initiative in the group's focus (at most three): the three columns side by side,
// what stands in all three highlighted, and the focus under them. ctx (projector_tacts.js
// renderKind): store, group, markNew; the host shows the group's name and the kind's tab label.
export class ProjectorView {
  constructor(ctx, item) {
    this.ctx = ctx;
    this.item = item;
    this.node = el("div", "ik-pj");
    this.panels = el("div", "ik-pj-panels");
    this.empty = el("p", "pj-work-empty", t("pj_no_initiatives"));
    this.node.append(this.panels, this.empty);
  }

  destroy() {}

  update(item) {
    const { store, group } = this.ctx;
    this.item = item || this.item;
    const itemId = this.item.id;
    const shown = groupInitiatives(store, group.id).slice(0, 3);
    this.empty.classList.toggle("hidden", shown.length > 0);
    this.panels.dataset.count = String(shown.length);
    const ids = shown.map((x) => x.id).join(",");
    if (this.panels.dataset.ids !== ids) {
      this.panels.dataset.ids = ids;
      this.panels.replaceChildren(...shown.map((x) => {
        const panel = el("section", "ik-pj-panel");
        panel.dataset.initiativeId = String(x.id);
        const cols = el("div", "ik-pj-cols");
        for (const c of COLUMNS) {
          const col = el("div", `ik-pj-col ik-col-${c}`);
          col.dataset.column = c;
          col.append(el("h4", "", t(`ik_${c}`)), el("ul", "ik-pj-entries"), el("p", "ik-pj-more hidden"));
          cols.append(col);
        }
        panel.append(el("h3", "ik-pj-title"), cols, el("p", "ik-pj-focus"));
        return panel;
      }));
    }
    const ranks = rankLabels(store.listB(group.id));
    [...this.panels.children].forEach((panel, i) => {
      const x = shown[i];
      const rank = ranks.get(x.id);
      panel.querySelector(".ik-pj-title").textContent = rank ? `${rank}. ${x.name}` : x.name;
      for (const col of panel.querySelectorAll(".ik-pj-col")) {
        // The wall has room for a few entries per column at a size read from the back of the
        // room (the head counts them all): the marked ones first, then the newest, so that a
        // phone's post shows up; the oldest are the ones left out.
        const rows = entriesOf(store, itemId, x.id, col.dataset.column)
          .sort((a, b) => Number(b.marked) - Number(a.marked) || b.id - a.id);
        const list = col.querySelector("ul");
        const present = new Map([...list.children].map((li) => [li.dataset.key, li]));
        const wanted = new Set(rows.map((e) => `e${e.id}`));
        for (const [k, li] of present) if (!wanted.has(k)) li.remove();
        rows.forEach((e, n) => {
          let li = present.get(`e${e.id}`);
          if (!li) {
            li = el("li", "ik-pj-entry");
            li.dataset.key = `e${e.id}`;
            this.ctx.markNew(li, `ik${e.id}`);
          }
          li.textContent = e.text;
          li.classList.toggle("is-marked", e.marked);
          if (list.children[n] !== li) list.insertBefore(li, list.children[n] || null);
        });
      }
      const f = focusOf(store, itemId, x.id);
      const focus = panel.querySelector(".ik-pj-focus");
      focus.textContent = f && f.text ? `${t("ik_focus")}: ${f.text}` : "";
      focus.classList.toggle("hidden", !(f && f.text));
    });
    for (const col of this.panels.querySelectorAll(".ik-pj-col")) fitColumn(col);
  }
}

// The entries that did not fit went whole into the list's hidden second column: a line under
// the list says how many (it takes a line itself, so they are counted again with it shown).
function fitColumn(col) {
  const list = col.querySelector(".ik-pj-entries");
  const more = col.querySelector(".ik-pj-more");
  const left = () => {
    const edge = list.getBoundingClientRect().right - 1;
    return [...list.children].filter((li) => li.getBoundingClientRect().left >= edge).length;
  };
  more.classList.add("hidden");
  if (!left()) return;
  more.classList.remove("hidden");
  more.textContent = tf("ik_more", { n: left() });
}
