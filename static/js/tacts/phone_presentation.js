// The day-1 presentation on a participant's phone: the group's List B with its places and focus.
import { t } from "../i18n.js";
import { el, fill, rankBadge } from "./phone_common.js";

// -- day-1 presentation -----------------------------------------------------------------------
export class PresentationView {
  constructor(ctx) {
    this.ctx = ctx;
    this.node = el("div", "ph-view ph-presentation");
  }

  destroy() {}

  update() {
    const { store, group } = this.ctx;
    // Whose turn it is stays on the screen: phones get no live projector.changed (PROTOCOL.md).
    const note = el("p", "ph-note", t("ph_present_note"));
    const rows = store.listB(group);
    const ranked = rows.some((r) => r.rank != null);
    const focus = new Set(store.focusOf(group).map((x) => x.id));
    const ol = el("ol", "ph-listb-rows");
    for (const row of rows) {
      const li = el("li", ranked && focus.has(row.initiative_id) ? "ph-focus" : "");
      li.dataset.initiativeId = row.initiative_id;
      if (row.rank != null) li.append(rankBadge(row));
      li.append(el("span", "ph-listb-name", row.name));
      if (row.total != null) li.append(el("span", "ph-total", fill("ph_chips_n", { n: row.total })));
      ol.append(li);
    }
    const listB = el("section", "ph-listb");
    listB.append(el("h2", "ph-h", t("ph_our_list_b")), rows.length ? ol : el("p", "ph-hint", t("ph_list_b_empty")));
    this.node.replaceChildren(note, listB);
  }
}
