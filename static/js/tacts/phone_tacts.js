// Tacts 3–7 and the day-1 presentation on a participant's phone (docs/PROTOCOL.md, "Tacts 3–5",
// "Tacts 6–7"): mounts the view of the current item's kind; each kind has its own module
// (phone_clustering.js, phone_stakeholders.js, phone_resources.js, phone_presentation.js,
// phone_requests.js, phone_okr.js), the shared writes and helpers are in phone_common.js.
import { t } from "../i18n.js";
import { ClusteringView } from "./phone_clustering.js";
import { Writes, el } from "./phone_common.js";
import { DeckView, deckAck } from "./phone_deck.js";
import { OkrView, okrAck } from "./phone_okr.js";
import { PresentationView } from "./phone_presentation.js";
import { RegroupingView } from "./phone_regrouping.js";
import { RequestsView, requestsAck } from "./phone_requests.js";
import { ResourcesView } from "./phone_resources.js";
import { StakeholdersView } from "./phone_stakeholders.js";

const KINDS = ["clustering", "stakeholders", "resources", "presentation", "regrouping", "requests", "okr", "deck"];

const VIEWS = { clustering: ClusteringView, stakeholders: StakeholdersView, resources: ResourcesView,
  presentation: PresentationView, regrouping: RegroupingView, requests: RequestsView, okr: OkrView,
  deck: DeckView };

// Mount into `root`. render(item) draws tacts 3–7 and returns true, or hides `root` and returns
// false for other kinds; onAck(entry, ack) takes this module's acks and returns true for them.
export function mountTacts({ root, store, live, meId, refresh }) {
  const writes = new Writes(store, live);
  const notice = el("p", "ph-notice");
  notice.setAttribute("role", "alert");
  let shown = null;  // {key, view}

  function render(item) {
    const group = store.me ? store.me.group_id : null;
    if (!item || !KINDS.includes(item.kind)) {
      root.hidden = true;
      if (shown) { shown.view.destroy(); shown = null; root.replaceChildren(); }
      return false;
    }
    root.hidden = false;
    const key = `${item.id}:${group}`;
    if (!shown || shown.key !== key) {
      if (shown) shown.view.destroy();
      if (group == null) {
        shown = null;
        root.replaceChildren(el("p", "ph-note", t("ph_no_group")));
        return true;
      }
      const ctx = { store, live, writes, meId, group, refresh };
      shown = { key, view: new VIEWS[item.kind](ctx, item) };
      writes.notice = "";
      root.replaceChildren(notice, shown.view.node);
    }
    notice.textContent = writes.notice;
    shown.view.update();
    return true;
  }

  // Tacts 6–7 take the acks of their own writes (Writes knows those of tacts 3–5).
  return { render, onAck: (entry, ack) => writes.onAck(entry, ack) || deckAck(store, entry, ack)
    || requestsAck(writes, entry, ack)
    || okrAck(writes, entry, ack) };
}
