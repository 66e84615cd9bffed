// Tacts 3–7 and the day-1 presentation on a participant's phone (docs/PROTOCOL.md, "Tacts 3–5",
// "Tacts 6–7"): mounts the view of the current item's kind; each kind has its own module
// (phone_clustering.js, phone_stakeholders.js, phone_resources.js, phone_presentation.js,
// phone_requests.js, phone_okr.js), the shared writes and helpers are in phone_common.js.
// Kinds that bring their own phone script (kind_views.js) mount here the same way.
import { t } from "../i18n.js";
import { ClusteringView } from "./phone_clustering.js";
import { Writes, el } from "./phone_common.js";
import { DeckView, deckAck } from "./phone_deck.js";
import { hasKindView, kindAck, kindView } from "./kind_views.js";
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
  let shown = null;  // {key, view, kind}: kind is set for a kind's own view (kind_views.js)
  let keepNotice = false;  // the notice tells of a write of a kind not on screen: kept until shown

  function render(item) {
    const group = store.me ? store.me.group_id : null;
    const own = hasKindView(item, "phone");
    if (!item || (!own && !KINDS.includes(item.kind))) {
      root.hidden = true;
      if (shown) { shown.view.destroy(); shown = null; root.replaceChildren(); }
      return false;
    }
    root.hidden = false;
    // A view of the groups' work follows the phone to another group; one of the whole hall stays.
    const key = own && item.scope !== "groups" ? `${item.id}` : `${item.id}:${group}`;
    if (!shown || shown.key !== key) {
      if (shown) shown.view.destroy();
      shown = null;
      // A kind of the whole hall needs no group; the groups' work does.
      if (group == null && (!own || item.scope === "groups")) {
        root.replaceChildren(el("p", "ph-note", t("ph_no_group")));
        return true;
      }
      const View = own ? kindView(item, "phone", refresh) : VIEWS[item.kind];
      if (!View) { root.replaceChildren(); return true; }  // its script is still loading
      const ctx = { store, live, writes, meId, group, refresh };
      shown = { key, view: new View(ctx, item), kind: own ? item.kind : null };
      if (!keepNotice) writes.notice = "";
      root.replaceChildren(notice, shown.view.node);
    }
    notice.textContent = writes.notice;
    keepNotice = false;
    shown.view.update(item);
    return true;
  }

  // A kind's own writes go as `tact`: their acks go to the view of the kind the write names; with
  // none on screen, a refusal is kept (the kind's view shows it when it comes back) and said on top.
  function ownAck(entry, ack) {
    return kindAck(entry, ack, (kind) => (shown && shown.kind === kind ? shown.view : null),
      (e, error, a) => {
        const reason = error || t("error");
        writes.refused.push({ entry: e, error: reason, code: a && a.code });
        writes.notice = `✗ ${t("not_saved")}: ${reason}`;
        keepNotice = true;
      });
  }

  // Tacts 6–7 take the acks of their own writes (Writes knows those of tacts 3–5).
  return { render, onAck: (entry, ack) => ownAck(entry, ack) || writes.onAck(entry, ack) || deckAck(store, entry, ack)
    || requestsAck(writes, entry, ack)
    || okrAck(writes, entry, ack) };
}
