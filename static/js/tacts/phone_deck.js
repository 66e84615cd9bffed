// Tact 8 on a participant's phone (or a laptop: the layout widens, docs/PROTOCOL.md "Tact 8"):
// the group's final deck in the shared editor (deck_editor.js), one slide at a time at 360 px.
import { el } from "./phone_common.js";
import { DeckEditor } from "./deck_editor.js";

export { deckAck } from "./deck_editor.js";

export class DeckView {
  constructor(ctx, item) {
    this.ctx = ctx;
    this.item = item;
    this.node = el("div", "ph-view ph-deck");
    this.editor = new DeckEditor(this.node, {
      store: ctx.store, live: ctx.live, groupId: ctx.group, canPresent: false, compact: true,
    });
  }

  destroy() { this.editor.flushTimers(); }

  update() { this.editor.render(this.ctx.store.items.get(this.item.id) || this.item); }
}
