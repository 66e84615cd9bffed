// Tact 8 on the group moderator's board (docs/PROTOCOL.md, "Tact 8"): the group's final deck in
// the shared editor (deck_editor.js), with the buttons that present it on the projector.
import { t } from "../i18n.js";
import { el } from "./board_common.js";
import { DeckEditor } from "./deck_editor.js";

export { deckAck } from "./deck_editor.js";

export class DeckView {
  // ctx: see TactBoards (store, live, groupId)
  constructor(root, ctx) {
    root.append(el("h3", "bd-deck-title", t("dk_title")));
    this.editor = new DeckEditor(root, { store: ctx.store, live: ctx.live, groupId: ctx.groupId, canPresent: true });
  }

  render(item) { this.editor.render(item); }
}
