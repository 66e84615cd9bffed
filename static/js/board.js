// Card boards for moderators (chief console and group board): cards in columns with reveal, edit,
// delete (with an inline confirm) and merge (pick "Merge into…" on card A, then card B, optionally
// edit the merged text; Esc cancels). Each card's element is rebuilt only when what it shows
// changes, so live updates neither steal focus nor lose an edit in progress.
// User text is only ever set with textContent.
import { t } from "./i18n.js";

const MAX_TEXT = 300;

export function el(tag, cls, text) {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  if (text !== undefined && text !== null) node.textContent = text;
  return node;
}

// Icons let a narrow board (one column per group) show its actions in one row; the label stays
// the button's name for screen readers and its tooltip.
const ICONS = { edit: "✎", merge: "⊕", delete: "✕" };

function actionButton(label, act, cls = "secondary") {
  const b = el("button", cls);
  b.type = "button";
  b.dataset.act = act;
  if (ICONS[act]) {
    const icon = el("span", "mod-icon", ICONS[act]);
    icon.setAttribute("aria-hidden", "true");
    b.append(icon, el("span", "mod-btn-label", label));
    b.title = label;
  } else b.textContent = label;
  return b;
}

// The message for a refused or unanswered call.
export function ackError(ack) {
  if (!ack) return t("error");
  if (ack.code === "offline") return t("not_sent");
  if (ack.code === "timeout") return t("no_answer");
  return ack.error || (ack.code === "conflict" ? t("conflict") : t("error"));
}

export class Board {
  // container: the element the columns go into.
  // opts: {live, canReveal, hint (element for the merge instructions), onCard(card) for acks}
  constructor(container, opts) {
    this.container = container;
    this.live = opts.live;
    this.canReveal = Boolean(opts.canReveal);
    this.hint = opts.hint || null;
    this.onCard = opts.onCard || (() => {});
    this.mode = null; // {type: edit|delete|merge|compose, key, value, source}
    this.busy = new Set();
    this.errors = new Map();
    this.cards = new Map();
    this.nodes = new Map(); // key -> {li, sig}
    this.known = null; // keys already shown once (new ones flash)
    this.focusWant = null;
    this.last = null;
    container.addEventListener("click", (e) => this.onClick(e));
    container.addEventListener("keydown", (e) => this.onKey(e));
    document.addEventListener("keydown", (e) => {
      if (e.key === "Escape" && this.mode) { e.preventDefault(); this.cancel(); }
    });
    if (this.hint) {
      this.hint.addEventListener("click", (e) => {
        if (e.target.closest("[data-act=cancel]")) this.cancel();
      });
    }
  }

  // columns: [{key, title, note, cards}]; item: the agenda item the cards belong to;
  // opts.tag(card) -> a plain label on the card (its group), or "";
  // opts.mark(card) -> a label that also highlights the card (e.g. "from this group"), or "".
  render(item, columns, opts = {}) {
    const tag = opts.tag || (() => "");
    const mark = opts.mark || (() => "");
    this.last = { item, columns, mark: (c) => ({ tag: tag(c), mark: mark(c) }) };
    this.refresh();
  }

  refresh() {
    if (!this.last) return;
    const { item, columns, mark } = this.last;
    this.cards = new Map();
    for (const col of columns) for (const c of col.cards) this.cards.set(key(c), c);
    // A card that went away (deleted, merged by someone else) ends what was being done with it.
    if (this.mode && (!this.cards.has(this.mode.key)
        || (this.mode.source && !this.cards.has(key(this.mode.source))))) this.mode = null;
    // Cards flash when they arrive live, not when a board (or another item's board) first shows.
    const itemId = item ? item.id : null;
    const firstPaint = this.known === null || this.itemId !== itemId;
    if (firstPaint) { this.known = new Set(); this.itemId = itemId; }
    const colNodes = [];
    for (const col of columns) colNodes.push(this.column(col, item, mark, firstPaint));
    syncChildren(this.container, colNodes);
    for (const k of [...this.nodes.keys()]) if (!this.cards.has(k)) this.nodes.delete(k);
    this.container.classList.toggle("is-merging", this.isPicking());
    this.renderHint();
    this.applyFocus();
  }

  isPicking() { return Boolean(this.mode && this.mode.type === "merge"); }

  column(col, item, mark, firstPaint) {
    let section = this.container.querySelector(`:scope > [data-col="${cssEscape(col.key)}"]`);
    if (!section) {
      section = el("section", "mod-col");
      section.dataset.col = col.key;
      const head = el("header", "mod-col-head");
      head.append(el("h3", "mod-col-title"), el("span", "mod-col-count"));
      section.append(head, el("p", "mod-col-note muted"), el("ul", "mod-cards"));
    }
    section.querySelector(".mod-col-head").classList.toggle("hidden", !col.title);
    section.querySelector(".mod-col-title").textContent = col.title || "";
    section.querySelector(".mod-col-count").textContent = String(col.cards.length);
    const note = section.querySelector(".mod-col-note");
    note.textContent = col.note || "";
    note.classList.toggle("hidden", !col.note);
    const list = section.querySelector(".mod-cards");
    const lis = col.cards.map((c) => this.cardNode(c, item, mark(c), firstPaint));
    if (!lis.length) {
      const empty = list.querySelector(":scope > .mod-empty") || el("li", "mod-empty muted", t("no_posts"));
      lis.push(empty);
    }
    syncChildren(list, lis);
    return section;
  }

  roleOf(k, card) {
    const m = this.mode;
    if (!m) return "view";
    if (m.type === "merge") {
      if (m.key === k) return "source";
      return mergeable(m.source, card) ? "target" : "dim";
    }
    if (m.type === "compose" && key(m.source) === k) return "source";
    return m.key === k ? m.type : "view";
  }

  cardNode(card, item, labels, firstPaint) {
    const k = key(card);
    const role = this.roleOf(k, card);
    const hidden = Boolean(item && item.hidden && !card.revealed);
    const sig = [card.rev, card.text, card.author, hidden, role, this.busy.has(k),
      this.errors.get(k) || "", labels.tag, labels.mark, this.canReveal].join("\u0001");
    const old = this.nodes.get(k);
    if (old && old.sig === sig) return old.li;
    const li = this.buildCard(card, role, hidden, labels);
    if (old) {
      if (old.li.classList.contains("is-new")) li.classList.add("is-new");
      const refocus = focusIn(old.li, li);
      if (old.li.parentNode) old.li.replaceWith(li);
      if (refocus && li.isConnected) refocus.focus({ preventScroll: true });
    } else if (!firstPaint && !this.known.has(k)) {
      li.classList.add("is-new");
      setTimeout(() => li.classList.remove("is-new"), 4000);
    }
    this.known.add(k);
    this.nodes.set(k, { li, sig });
    return li;
  }

  buildCard(card, role, hidden, labels) {
    const k = key(card);
    const busy = this.busy.has(k);
    const li = el("li", `mod-card role-${role}`);
    li.dataset.key = k;
    if (labels.mark) li.classList.add("is-marked");
    if (hidden) li.classList.add("is-hidden-card");
    if (role === "target") {
      li.tabIndex = 0;
      li.setAttribute("role", "button");
      li.setAttribute("aria-label", `${t("merge_here")}: ${card.text}`);
      li.dataset.act = "pick";
    }
    if (role === "edit" || role === "compose") {
      this.editor(li, card, role);
    } else {
      li.append(el("p", "mod-card-text", card.text));
    }
    const meta = el("p", "mod-card-meta");
    if (card.author) meta.append(el("span", "mod-card-author", card.author));
    if (labels.mark) meta.append(el("span", "badge badge-mark", labels.mark));
    if (labels.tag) meta.append(el("span", "badge badge-tag", labels.tag));
    if (hidden) meta.append(el("span", "badge badge-hidden", t("hidden")));
    if (role === "source") meta.append(el("span", "badge badge-merging", t("merging")));
    if (meta.childNodes.length) li.append(meta);
    const error = this.errors.get(k);
    if (error) {
      const p = el("p", "error mod-card-error", error);
      p.setAttribute("role", "alert");
      li.append(p);
    }
    const actions = el("div", "mod-card-actions");
    if (role === "view") {
      if (this.canReveal && hidden) actions.append(actionButton(t("reveal"), "reveal", ""));
      actions.append(actionButton(t("edit"), "edit"), actionButton(t("merge"), "merge"),
        actionButton(t("delete"), "delete", "danger"));
    } else if (role === "delete") {
      actions.append(el("span", "mod-confirm", t("confirm_delete")),
        actionButton(t("delete"), "delete-yes", "danger-solid"), actionButton(t("cancel"), "cancel"));
    } else if (role === "source") {
      actions.append(actionButton(t("cancel"), "cancel"));
    } else if (role === "edit") {
      actions.append(actionButton(t("save"), "save", ""), actionButton(t("cancel"), "cancel"),
        el("span", "mod-keys muted", t("edit_keys")));
    } else if (role === "compose") {
      actions.append(actionButton(t("merge_do"), "merge-yes", ""), actionButton(t("cancel"), "cancel"));
    }
    if (actions.childNodes.length) li.append(actions);
    if (busy) for (const b of li.querySelectorAll("button, textarea")) b.disabled = true;
    li.setAttribute("aria-busy", busy ? "true" : "false");
    return li;
  }

  editor(li, card, role) {
    const k = key(card);
    const id = `edit-${k.replace(":", "-")}`;
    if (role === "compose") {
      const from = el("div", "mod-merge-from");
      from.append(el("span", "mod-merge-from-label", t("merge_source")),
        el("span", "mod-merge-from-text", this.mode.source.text));
      li.append(from);
    }
    const label = el("label", "mod-edit-label", role === "compose" ? t("merge_text") : t("edit_label"));
    label.htmlFor = id;
    const area = el("textarea", "mod-edit");
    area.id = id;
    area.maxLength = MAX_TEXT;
    area.rows = 3;
    area.value = this.mode.value;
    area.dataset.act = "text";
    area.addEventListener("input", () => { if (this.mode && this.mode.key === k) this.mode.value = area.value; });
    li.append(label, area);
  }

  renderHint() {
    if (!this.hint) return;
    const picking = this.isPicking();
    this.hint.classList.toggle("hidden", !picking);
    if (!picking) { this.hint.replaceChildren(); return; }
    const text = el("span", "mod-hint-text", t("merge_pick_keys"));
    const src = el("span", "mod-hint-source", `«${this.mode.source.text}»`);
    this.hint.replaceChildren(text, src, actionButton(t("cancel"), "cancel"));
  }

  // -- interaction ------------------------------------------------------------------------
  onClick(e) {
    const li = e.target.closest(".mod-card");
    if (!li || !this.container.contains(li)) return;
    const k = li.dataset.key;
    const card = this.cards.get(k);
    if (!card) return;
    const target = e.target.closest("[data-act]");
    const act = target ? target.dataset.act : null;
    if (act === "text") return;
    if (li.classList.contains("role-target")) { this.pick(card); return; }
    if (!act || (target.disabled)) return;
    this.act(act, card);
  }

  onKey(e) {
    const li = e.target.closest(".mod-card");
    if (!li) return;
    const card = this.cards.get(li.dataset.key);
    if (!card) return;
    if (e.target === li && li.classList.contains("role-target") && (e.key === "Enter" || e.key === " ")) {
      e.preventDefault();
      this.pick(card);
    } else if (e.target.tagName === "TEXTAREA" && e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      this.act(this.mode && this.mode.type === "compose" ? "merge-yes" : "save", card);
    }
  }

  act(act, card) {
    const k = key(card);
    this.errors.delete(k);
    switch (act) {
      case "reveal":
        this.send(k, "reveal_card", { kind: card.kind, id: card.id }, (ack) => this.onCard(ack.card));
        break;
      case "edit":
        this.setMode({ type: "edit", key: k, value: card.text }, { key: k, act: "text" });
        break;
      case "delete":
        this.setMode({ type: "delete", key: k }, { key: k, act: "cancel" });
        break;
      case "delete-yes":
        this.send(k, "delete_card", { kind: card.kind, id: card.id }, (ack) => {
          this.mode = null;
          this.onCard(ack.card);
        });
        break;
      case "merge": {
        const first = [...this.cards.values()].find((c) => mergeable(card, c));
        this.setMode({ type: "merge", key: k, source: card }, first ? { key: key(first), act: null } : null);
        break;
      }
      case "save": {
        const text = this.mode ? this.mode.value.trim() : "";
        if (!text) { this.errors.set(k, t("empty_text")); this.refresh(); return; }
        if (text === card.text) { this.setMode(null, { key: k, act: "edit" }); return; }
        this.send(k, "edit_card", { kind: card.kind, id: card.id, text }, (ack) => {
          this.mode = null;
          this.focusWant = { key: k, act: "edit" };
          this.onCard(ack.card);
        });
        break;
      }
      case "merge-yes": {
        const m = this.mode;
        if (!m || m.type !== "compose") return;
        const text = m.value.trim();
        if (!text) { this.errors.set(k, t("empty_text")); this.refresh(); return; }
        const payload = { kind: card.kind, id: m.source.id, into: card.id };
        if (text !== card.text) payload.text = text;
        this.send(k, "merge_cards", payload, (ack) => {
          this.mode = null;
          this.focusWant = { key: k, act: "merge" };
          this.onCard(ack.merged);
          this.onCard(ack.into);
        });
        break;
      }
      case "cancel":
        this.cancel();
        break;
      default:
    }
  }

  pick(target) {
    const m = this.mode;
    if (!m || m.type !== "merge" || !mergeable(m.source, target)) return;
    const k = key(target);
    this.setMode({ type: "compose", key: k, value: target.text, source: m.source }, { key: k, act: "text" });
  }

  cancel() {
    const m = this.mode;
    if (!m) return;
    this.mode = null;
    const back = m.type === "compose" ? key(m.source) : m.key;
    this.setMode(null, { key: back, act: m.type === "edit" ? "edit" : m.type === "delete" ? "delete" : "merge" });
  }

  setMode(mode, focus) {
    this.mode = mode;
    this.focusWant = focus || null;
    this.refresh();
  }

  async send(k, event, payload, onOk) {
    if (this.busy.has(k)) return;
    this.busy.add(k);
    this.refresh();
    const ack = await this.live.call(event, payload);
    this.busy.delete(k);
    if (ack && ack.ok) {
      this.errors.delete(k);
      onOk(ack);
    } else {
      this.errors.set(k, ackError(ack));
      this.focusWant = { key: k, act: null };
    }
    this.refresh();
  }

  applyFocus() {
    const want = this.focusWant;
    if (!want) return;
    this.focusWant = null;
    const li = this.container.querySelector(`.mod-card[data-key="${cssEscape(want.key)}"]`);
    if (!li) return;
    const node = want.act ? li.querySelector(`[data-act="${want.act}"]`) : null;
    if (node && node.tagName === "TEXTAREA") {
      node.focus();
      node.setSelectionRange(node.value.length, node.value.length);
    } else if (node) node.focus();
    else {
      if (!li.hasAttribute("tabindex")) li.tabIndex = -1;
      li.focus();
    }
    li.scrollIntoView({ block: "nearest" });
  }
}

function key(card) { return `${card.kind}:${card.id}`; }

// Whether card `b` can take card `a` merged into it: same item and board, not itself.
function mergeable(a, b) {
  return a.kind === b.kind && a.id !== b.id && a.item_id === b.item_id
    && (a.kind !== "trend" || a.group_id === b.group_id);
}

function cssEscape(s) { return window.CSS && CSS.escape ? CSS.escape(s) : s; }

// Put `nodes` into `parent` in this order, moving only what is out of place.
function syncChildren(parent, nodes) {
  const wanted = new Set(nodes);
  for (const child of [...parent.children]) if (!wanted.has(child)) child.remove();
  let previous = null;
  for (const node of nodes) {
    const expected = previous ? previous.nextSibling : parent.firstChild;
    if (expected !== node) parent.insertBefore(node, expected);
    previous = node;
  }
}

// Where the keyboard should go in a rebuilt card: the same control, or the card itself.
function focusIn(oldLi, newLi) {
  const active = document.activeElement;
  if (!active || !oldLi.contains(active)) return null;
  let again = null;
  if (active !== oldLi && active.dataset && active.dataset.act) {
    again = newLi.querySelector(`[data-act="${active.dataset.act}"]`);
  }
  if (!again || again.disabled) {
    if (!newLi.hasAttribute("tabindex")) newLi.tabIndex = -1;
    again = newLi;
  }
  return again;
}
