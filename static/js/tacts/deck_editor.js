// Tact 8's editor of a group's final deck (docs/PROTOCOL.md, "Tact 8"), shared by the group
// moderator's board (board_deck.js) and a participant's phone or laptop (phone_deck.js): the list
// of slides; the chosen slide's title and text, saved as they are typed through the outbox (a
// drop or a reload loses nothing) with a "saved" mark; add, delete and move slides; refresh from
// the data; and, for moderators, present the deck on the projector slide by slide.
// An edit carries the slide's text_rev it started from: when someone else changed the slide
// meanwhile, the server refuses it, the screen shows their text and keeps ours to copy back.
// User text only ever goes in through textContent or a field's value.
import { t } from "../i18n.js";
import { el, fill } from "../dom.js";
import { uuid } from "../live.js";

const TITLE_MAX = 120;
const BODY_MAX = 2000;
const SAVE_DELAY_MS = 700;
const EVENTS = new Set(["edit_slide", "add_slide"]);
// Refusals of this page's deck writes, by outbox entry id ("slide:<id>" or a client id).
const failures = new Map();

function btn(text, act, cls = "secondary") {
  const b = el("button", cls, text);
  b.type = "button";
  b.dataset.act = act;
  return b;
}


// The acks of the deck's outbox writes: a saved slide or deck goes into the store, a refusal is
// kept (with the text that was refused) until the user acts. Returns false for other events.
export function deckAck(store, entry, ack) {
  if (!EVENTS.has(entry.event)) return false;
  if (ack && ack.ok) {
    failures.delete(entry.id);
    if (ack.slide) store.putRow(store.slides, ack.slide);
    if (ack.deck) store.putDeck(ack.deck);
  } else {
    failures.set(entry.id, { error: (ack && ack.error) || t("error"), code: ack && ack.code, payload: entry.payload });
  }
  store.changed("deck");
  return true;
}

export class DeckEditor {
  // opts: {store, live, groupId, canPresent (moderators), compact (phone), onNotice(text)}
  constructor(root, opts) {
    this.root = root;
    this.o = opts;
    this.item = null;
    this.deck = null;
    this.selected = null;
    this.drafts = new Map(); // slide id -> {title, body}: typed, not yet acknowledged
    this.timers = new Map();
    this.busy = false;
    this.build();
  }

  build() {
    const node = el("div", `dk${this.o.compact ? " dk-compact" : ""}`);
    this.none = el("div", "dk-none hidden");
    this.noneText = el("p", "", t("dk_none"));
    this.assembleButton = btn(t("dk_assemble"), "assemble", "dk-assemble");
    this.none.append(this.noneText, this.assembleButton);
    this.bar = el("div", "dk-bar");
    this.refreshButton = btn(`↻ ${t("dk_refresh")}`, "refresh");
    this.refreshButton.title = t("dk_refresh_hint");
    this.addButton = btn(`+ ${t("dk_add")}`, "add");
    this.presentBox = el("div", "dk-present hidden");
    this.presentButton = btn(`▶ ${t("dk_present")}`, "present", "dk-present-go");
    this.onAir = el("span", "dk-onair");
    this.prevAir = btn("◀", "air-prev");
    this.prevAir.setAttribute("aria-label", t("dk_prev"));
    this.nextAir = btn("▶", "air-next");
    this.nextAir.setAttribute("aria-label", t("dk_next"));
    this.presentBox.append(this.presentButton, this.prevAir, this.onAir, this.nextAir);
    this.bar.append(this.refreshButton, this.addButton, this.presentBox);
    this.message = el("p", "dk-message");
    this.message.setAttribute("role", "status");
    this.readonly = el("p", "dk-readonly hidden", t("dk_readonly"));
    this.main = el("div", "dk-main");
    this.list = el("ol", "dk-list");
    this.list.setAttribute("aria-label", t("dk_slides"));
    this.editor = el("section", "dk-edit");
    this.buildEditor();
    this.main.append(this.list, this.editor);
    this.body = el("div", "dk-body hidden");
    this.body.append(this.bar, this.readonly, this.message, this.main);
    node.append(this.none, this.body);
    this.root.append(node);
    node.addEventListener("click", (e) => this.onClick(e));
  }

  buildEditor() {
    const head = el("div", "dk-edit-head");
    this.prev = btn("‹", "prev", "secondary dk-step");
    this.prev.setAttribute("aria-label", t("dk_prev"));
    this.next = btn("›", "next", "secondary dk-step");
    this.next.setAttribute("aria-label", t("dk_next"));
    this.counter = el("span", "dk-counter");
    this.kind = el("span", "dk-kind");
    head.append(this.prev, this.counter, this.next, this.kind);
    this.titleInput = el("input", "dk-title-input");
    this.titleInput.type = "text";
    this.titleInput.maxLength = TITLE_MAX + 20;
    this.titleInput.name = "title";
    this.titleInput.autocomplete = "off";
    this.bodyInput = el("textarea", "dk-body-input");
    this.bodyInput.name = "body";
    this.bodyInput.rows = 12;
    this.bodyInput.maxLength = BODY_MAX + 200;
    this.bodyInput.placeholder = t("dk_body_ph");
    const titleLabel = el("label", "dk-field");
    titleLabel.append(el("span", "dk-label", t("dk_slide_title")), this.titleInput);
    const bodyLabel = el("label", "dk-field");
    this.chars = el("span", "dk-chars");
    const bodyHead = el("span", "dk-label", t("dk_slide_body"));
    bodyHead.append(this.chars);
    bodyLabel.append(bodyHead, this.bodyInput);
    this.status = el("p", "dk-status");
    this.status.setAttribute("aria-live", "polite");
    this.conflict = el("div", "dk-conflict hidden");
    this.conflict.setAttribute("role", "alert");
    this.conflictText = el("p", "dk-conflict-text");
    this.mine = el("pre", "dk-mine");
    this.conflict.append(this.conflictText, el("p", "dk-label", t("dk_conflict_mine")), this.mine,
      btn(t("dk_conflict_use"), "use-mine"));
    const actions = el("div", "dk-actions");
    this.upButton = btn(`↑ ${t("dk_move_up")}`, "up");
    this.downButton = btn(`↓ ${t("dk_move_down")}`, "down");
    this.showButton = btn(`▶ ${t("dk_present_this")}`, "show-this");
    this.deleteButton = btn(t("dk_delete"), "delete", "danger");
    actions.append(this.upButton, this.downButton, this.showButton, this.deleteButton);
    this.editor.append(head, titleLabel, bodyLabel, this.status, this.conflict, actions);
    for (const input of [this.titleInput, this.bodyInput]) {
      input.addEventListener("input", () => this.typed());
    }
  }

  // -- state ----------------------------------------------------------------------------------
  slides() { return this.deck ? this.o.store.slidesOf(this.deck.id) : []; }

  current() { return this.slides().find((s) => s.id === this.selected) || null; }

  open() {
    const item = this.item && (this.o.store.items.get(this.item.id) || this.item);
    if (!this.o.store.me) return true; // staff: any time
    return Boolean(item && item.state === "active" && !item.locked);
  }

  pendingEntry(slideId) {
    return this.o.live.outbox().find((e) => e.id === `slide:${slideId}`) || null;
  }

  // -- rendering ------------------------------------------------------------------------------
  render(item) {
    const { store, groupId } = this.o;
    this.item = item;
    this.deck = item ? store.deckOf(item.id, groupId) : store.latestDeckOf(groupId);
    const writable = this.open();
    this.none.classList.toggle("hidden", Boolean(this.deck));
    this.body.classList.toggle("hidden", !this.deck);
    this.assembleButton.disabled = this.busy || !writable || !item;
    if (!this.deck) return;
    this.adopt();
    const slides = this.slides();
    if (!slides.some((s) => s.id === this.selected)) this.selected = slides.length ? slides[0].id : null;
    this.readonly.classList.toggle("hidden", writable);
    for (const b of [this.refreshButton, this.addButton]) b.disabled = this.busy || !writable;
    this.renderList(slides);
    this.renderEditor(slides, writable);
    this.renderPresent(slides);
  }

  renderList(slides) {
    // Phones get no live projector state (docs/PROTOCOL.md): only moderators see what is on air.
    const air = this.o.canPresent ? this.airIndex() : -1;
    const sig = JSON.stringify([slides.map((s) => [s.id, s.title, s.kind, s.edited]), this.selected, air]);
    if (this.list.dataset.sig === sig) return;
    this.list.dataset.sig = sig;
    const hadFocus = this.list.contains(document.activeElement);
    this.list.replaceChildren(...slides.map((s, n) => {
      const li = el("li", `dk-item${s.id === this.selected ? " is-on" : ""}`);
      li.dataset.slideId = String(s.id);
      const pick = btn("", "pick", "dk-pick");
      pick.dataset.id = String(s.id);
      pick.setAttribute("aria-pressed", s.id === this.selected ? "true" : "false");
      pick.append(el("span", "dk-num", String(n + 1)), el("span", "dk-item-title", s.title));
      if (s.edited) pick.append(el("span", "dk-item-mark", `✎ ${t("dk_edited")}`));
      if (air === n) pick.append(el("span", "dk-item-air", "▶"));
      pick.title = `${n + 1}. ${s.title} · ${t(`dk_kind_${s.kind}`)}`;
      li.append(pick);
      return li;
    }));
    if (hadFocus) this.list.querySelector(".is-on .dk-pick")?.focus({ preventScroll: true });
  }

  renderEditor(slides, writable) {
    const s = this.current();
    this.editor.classList.toggle("hidden", !s);
    if (!s) return;
    const index = slides.indexOf(s);
    this.editor.dataset.slideId = String(s.id);
    this.counter.textContent = fill("dk_slide_n", { n: index + 1, m: slides.length });
    this.kind.textContent = [t(`dk_kind_${s.kind}`),
      s.edited ? (s.editor ? fill("dk_edited_by", { name: s.editor }) : t("dk_edited")) : t("dk_from_data")].join(" · ");
    this.prev.disabled = index <= 0;
    this.next.disabled = index >= slides.length - 1;
    let draft = this.drafts.get(s.id);
    // A draft the server now holds (its save acknowledged, nothing newer typed) is done.
    if (draft && !this.timers.has(s.id) && !this.pendingEntry(s.id) && draft.title.trim() === s.title
        && draft.body.trim() === s.body) {
      this.drafts.delete(s.id);
      draft = null;
    }
    const title = draft ? draft.title : s.title;
    const body = draft ? draft.body : s.body;
    if (this.shownId !== s.id || document.activeElement !== this.titleInput) {
      if (this.titleInput.value !== title) this.titleInput.value = title;
    }
    if (this.shownId !== s.id || document.activeElement !== this.bodyInput) {
      if (this.bodyInput.value !== body) this.bodyInput.value = body;
    }
    this.shownId = s.id;
    this.titleInput.readOnly = !writable;
    this.bodyInput.readOnly = !writable;
    this.upButton.disabled = !writable || index <= 0 || this.busy;
    this.downButton.disabled = !writable || index >= slides.length - 1 || this.busy;
    this.deleteButton.disabled = !writable || this.busy;
    this.showButton.classList.toggle("hidden", !this.o.canPresent);
    this.renderStatus(s);
  }

  renderStatus(s) {
    const key = `slide:${s.id}`;
    const failed = failures.get(key);
    const draft = this.drafts.get(s.id);
    const local = this.localProblem();
    this.chars.textContent = ` · ${fill("dk_chars", { n: this.bodyInput.value.length, m: BODY_MAX })}`;
    this.chars.classList.toggle("error", this.bodyInput.value.length > BODY_MAX);
    let text = "";
    let cls = "dk-status";
    if (local) { text = `✗ ${local}`; cls += " is-failed"; }
    else if (this.pendingEntry(s.id) || this.timers.has(s.id)) {
      text = `⏳ ${this.o.live.status === "online" || this.timers.has(s.id) ? t("dk_saving") : t("dk_waiting")}`;
      cls += " is-pending";
    } else if (failed && failed.code !== "conflict") { text = `✗ ${t("dk_not_saved")}: ${failed.error}`; cls += " is-failed"; }
    else if (!draft && s.edited) { text = `✓ ${t("dk_saved")}`; cls += " is-saved"; }
    this.status.className = cls;
    this.status.textContent = text;
    const conflict = failed && failed.code === "conflict";
    this.conflict.classList.toggle("hidden", !conflict);
    if (conflict) {
      this.conflictText.textContent = failed.error;
      this.mine.textContent = [failed.payload.title, failed.payload.body].filter(Boolean).join("\n\n");
    }
  }

  localProblem() {
    const title = this.titleInput.value.trim();
    if (!title) return t("dk_title_empty");
    if (title.length > TITLE_MAX) return fill("dk_too_long", { n: TITLE_MAX });
    if (this.bodyInput.value.trim().length > BODY_MAX) return fill("dk_too_long", { n: BODY_MAX });
    return "";
  }

  // The index of the slide the projector shows of this deck, or -1.
  airIndex() {
    const p = this.o.store.projector || {};
    if (p.mode !== "deck" || p.group_id !== this.o.groupId || !this.deck) return -1;
    const n = this.slides().length;
    return n ? Math.min(p.slide || 0, n - 1) : -1;
  }

  renderPresent(slides) {
    this.presentBox.classList.toggle("hidden", !this.o.canPresent);
    if (!this.o.canPresent) return;
    const air = this.airIndex();
    this.presentButton.classList.toggle("hidden", air >= 0);
    for (const b of [this.prevAir, this.nextAir, this.onAir]) b.classList.toggle("hidden", air < 0);
    this.onAir.textContent = air >= 0 ? fill("dk_on_projector", { n: air + 1, m: slides.length }) : "";
    this.prevAir.disabled = this.busy || air <= 0;
    this.nextAir.disabled = this.busy || air >= slides.length - 1;
    this.presentButton.disabled = this.busy || !slides.length;
    this.showButton.disabled = this.busy;
  }

  // -- writes ---------------------------------------------------------------------------------
  typed() {
    const s = this.current();
    if (!s) return;
    this.drafts.set(s.id, { title: this.titleInput.value, body: this.bodyInput.value });
    clearTimeout(this.timers.get(s.id));
    this.timers.set(s.id, setTimeout(() => { this.timers.delete(s.id); this.save(s.id); }, SAVE_DELAY_MS));
    this.renderStatus(s);
  }

  // Send the draft of a slide (when it is valid): the outbox keeps one entry per slide, the
  // newest text replacing an unsent one.
  save(slideId) {
    const s = this.o.store.slides.get(slideId);
    const draft = this.drafts.get(slideId);
    if (!s || !draft) return;
    if (s.id === this.selected && this.localProblem()) { this.renderStatus(s); return; }
    const title = draft.title.trim();
    const body = draft.body.trim();
    if (title === s.title && body === s.body) { this.drafts.delete(slideId); this.o.store.changed("deck"); return; }
    const key = `slide:${slideId}`;
    const failed = failures.get(key);
    // After a conflict the base stays the one refused until the user puts their text back.
    const base = failed && failed.code === "conflict" ? failed.payload.base : s.text_rev;
    failures.delete(key);
    this.o.live.enqueue("edit_slide", { id: slideId, title, body, base }, key);
    this.o.store.changed("deck");
  }

  flushTimers() {
    for (const [id, timer] of this.timers) { clearTimeout(timer); this.timers.delete(id); this.save(id); }
  }

  async call(event, payload) {
    this.busy = true;
    this.o.store.changed("deck");
    const ack = await this.o.live.call(event, payload);
    this.busy = false;
    if (ack && ack.ok) {
      if (ack.deck) this.o.store.putDeck(ack.deck);
      if (ack.slide) this.o.store.putRow(this.o.store.slides, ack.slide);
      this.message.textContent = "";
    } else {
      this.message.textContent = ack && ack.code === "offline" ? t("not_sent")
        : ack && ack.code === "timeout" ? t("no_answer") : (ack && ack.error) || t("error");
    }
    this.message.classList.toggle("error", !(ack && ack.ok));
    this.o.store.changed("deck");
    return ack;
  }

  select(id) {
    this.flushTimers();
    this.selected = id;
    this.o.store.changed("deck");
  }

  async onClick(e) {
    const b = e.target.closest("button[data-act]");
    if (!b || b.disabled) return;
    const act = b.dataset.act;
    const { groupId } = this.o;
    const slides = this.slides();
    const index = slides.findIndex((s) => s.id === this.selected);
    if (act === "assemble" || act === "refresh") {
      this.flushTimers();
      const item = this.item || (this.deck && this.o.store.items.get(this.deck.item_id));
      const ack = await this.call("assemble_deck", { item_id: item ? item.id : null, group_id: groupId });
      if (ack && ack.ok && act === "refresh") this.message.textContent = t("dk_refreshed");
    } else if (act === "pick") this.select(Number(b.dataset.id));
    else if (act === "prev" && index > 0) this.select(slides[index - 1].id);
    else if (act === "next" && index < slides.length - 1) this.select(slides[index + 1].id);
    else if (act === "add") {
      this.flushTimers();
      const clientId = uuid();
      this.o.live.enqueue("add_slide", { client_id: clientId, deck_id: this.deck.id, after: this.selected,
        title: t("dk_new_title"), body: "" });
      this.pendingAdd = clientId;
    } else if (act === "delete") {
      if (!window.confirm(t("dk_confirm_delete"))) return;
      this.drafts.delete(this.selected);
      const ack = await this.call("delete_slide", { id: this.selected });
      if (ack && ack.ok) this.selected = slides[index + 1] ? slides[index + 1].id : (slides[index - 1] || {}).id ?? null;
    } else if (act === "up" || act === "down") {
      this.flushTimers();
      await this.call("move_slide", { id: this.selected, position: index + (act === "up" ? -1 : 1) });
    } else if (act === "use-mine") {
      const failed = failures.get(`slide:${this.selected}`);
      if (!failed) return;
      failures.delete(`slide:${this.selected}`);
      this.drafts.set(this.selected, { title: failed.payload.title, body: failed.payload.body });
      this.titleInput.value = failed.payload.title;
      this.bodyInput.value = failed.payload.body;
      this.save(this.selected);
    } else if (act === "present") {
      await this.call("present_deck", { group_id: groupId, index: Math.max(0, index) });
    } else if (act === "show-this") {
      await this.call("present_deck", { group_id: groupId, index: Math.max(0, index) });
    } else if (act === "air-prev" || act === "air-next") {
      const air = this.airIndex();
      await this.call("present_deck", { group_id: groupId, index: air + (act === "air-prev" ? -1 : 1) });
    }
  }

  // A slide added through the outbox becomes the chosen one when its ack or event arrives.
  adopt() {
    if (!this.pendingAdd) return;
    const s = [...this.o.store.slides.values()].find((x) => x.client_id === this.pendingAdd);
    if (s) { this.pendingAdd = null; this.selected = s.id; this.titleInput.focus(); this.titleInput.select(); }
  }
}
