// Card boards for moderators: render cards with edit, delete, merge and reveal, keeping an
// edit in progress across live updates. User text is always set with textContent.
import { t } from "./i18n.js";

function el(tag, cls, text) {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  if (text !== undefined) node.textContent = text;
  return node;
}

function button(label, cls, onClick) {
  const b = el("button", cls, label);
  b.type = "button";
  b.addEventListener("click", onClick);
  return b;
}

export class Board {
  // live: Live; onError(message); hint: element for merge instructions
  constructor(container, live, { onError, hint }) {
    this.container = container;
    this.live = live;
    this.onError = onError;
    this.hint = hint;
    this.editing = null; // {key, value}
    this.merging = null; // card being merged into another
    document.addEventListener("keydown", (e) => {
      if (e.key === "Escape" && this.merging) { this.merging = null; this.refresh(); }
    });
  }

  async call(event, payload) {
    const ack = await this.live.call(event, payload);
    if (!ack.ok) this.onError(ack.error || t("error"));
    else this.onError("");
    return ack;
  }

  // columns: [{title, cards}], item: the item the cards belong to
  render(columns, item) {
    this.last = [columns, item];
    this.refresh();
  }

  refresh() {
    if (!this.last) return;
    const [columns, item] = this.last;
    const active = document.activeElement;
    const focusKey = active && active.closest && active.closest("[data-key]")?.dataset.key;
    this.container.replaceChildren();
    this.container.classList.toggle("is-merging", Boolean(this.merging));
    if (this.hint) this.hint.textContent = this.merging ? t("merge_pick") : "";
    for (const column of columns) {
      const col = el("section", "mod-col");
      if (column.title) col.append(el("h3", "", `${column.title} · ${column.cards.length}`));
      const list = el("ul", "mod-cards");
      for (const card of column.cards) list.append(this.card(card, item));
      if (!column.cards.length) list.append(el("li", "muted", t("no_posts")));
      col.append(list);
      this.container.append(col);
    }
    if (focusKey) {
      const again = this.container.querySelector(`[data-key="${focusKey}"] textarea`);
      if (again) { again.focus(); again.setSelectionRange(again.value.length, again.value.length); }
    }
  }

  card(card, item) {
    const key = `${card.kind}:${card.id}`;
    const li = el("li", "mod-card");
    li.dataset.key = key;
    if (this.editing && this.editing.key === key) return this.editor(li, card);
    if (this.merging) {
      if (this.merging.id === card.id) li.classList.add("is-source");
      else {
        li.classList.add("is-target");
        li.tabIndex = 0;
        const pick = async () => {
          const source = this.merging;
          this.merging = null;
          await this.call("merge_cards", { kind: card.kind, id: source.id, into: card.id });
          this.refresh();
        };
        li.addEventListener("click", pick);
        li.addEventListener("keydown", (e) => { if (e.key === "Enter") pick(); });
      }
    }
    li.append(el("p", "mod-card-text", card.text));
    const meta = el("p", "mod-card-meta", card.author || "");
    const hidden = item && item.hidden && !card.revealed;
    if (hidden) meta.append(el("span", "badge", t("hidden")));
    li.append(meta);
    if (this.merging) return li;
    const actions = el("div", "mod-card-actions");
    if (hidden) actions.append(button(t("reveal"), "", () => this.call("reveal_card", { kind: card.kind, id: card.id })));
    actions.append(button(t("edit"), "secondary", () => { this.editing = { key, value: card.text }; this.refresh(); }));
    actions.append(button(t("merge"), "secondary", () => { this.merging = card; this.refresh(); }));
    actions.append(button(t("delete"), "danger", () => {
      if (window.confirm(t("confirm_delete"))) this.call("delete_card", { kind: card.kind, id: card.id });
    }));
    li.append(actions);
    return li;
  }

  editor(li, card) {
    li.classList.add("is-editing");
    const area = el("textarea");
    area.value = this.editing.value;
    area.maxLength = 600;
    area.addEventListener("input", () => { this.editing.value = area.value; });
    const actions = el("div", "mod-card-actions");
    actions.append(button(t("save"), "", async () => {
      const ack = await this.call("edit_card", { kind: card.kind, id: card.id, text: area.value });
      if (ack.ok) { this.editing = null; this.refresh(); }
    }));
    actions.append(button(t("cancel"), "secondary", () => { this.editing = null; this.refresh(); }));
    li.append(area, actions);
    return li;
  }
}
