// The group moderator's board for tacts 3–7 (docs/PROTOCOL.md, "Tacts 3–5" and "Tacts 6–7"):
// the clustering, stakeholders, resources, requests and objectives boards under tabs. The tab follows the current agenda item; the
// moderator may look at another one until the item changes. group.js calls render() on every
// change of the store; each view rebuilds only what changed. Kinds that bring their own board
// script (kind_views.js, audience "board") get a tab and a pane of their own the same way.
import { t } from "../i18n.js";
import { Notice, ackError, el } from "./board_common.js";
import { ClusteringView } from "./board_clustering.js";
import { DeckView, deckAck } from "./board_deck.js";
import { Members, OkrView } from "./board_okr.js";
import { RequestsView } from "./board_requests.js";
import { ResourcesView } from "./board_resources.js";
import { StakeholdersView } from "./board_stakeholders.js";
import { hasKindView, kindAck, kindTab, kindView } from "./kind_views.js";

export const BOARD_KINDS = ["clustering", "stakeholders", "resources", "requests", "okr", "deck"];
const OWN_KINDS = [...BOARD_KINDS, "presentation"];
const VIEWS = {
  clustering: ClusteringView, stakeholders: StakeholdersView, resources: ResourcesView,
  requests: RequestsView, okr: OkrView, deck: DeckView,
};
// Tab names; the day-2 ones live in strings_board_day2.py.
const TAB_LABELS = { requests: "bd6_view_requests", okr: "bd6_view_okr", deck: "dk_tab" };

export class TactBoards {
  // root: the empty container in templates/moderator/group.html; opts: {store, live, groupId}
  constructor(root, { store, live, groupId }) {
    this.root = root;
    this.store = store;
    this.choice = null; // {kind, itemId}: a tab the moderator picked while that item was current
    this.shownKind = null;
    this.current = null;
    this.tabs = el("div", "bd-tabs");
    this.tabs.setAttribute("role", "group");
    this.tabs.setAttribute("aria-label", t("bd6_boards"));
    const notice = el("div", "bd-notice hidden");
    const announcer = el("p", "sr-only");
    announcer.setAttribute("aria-live", "polite");
    // What the views share: svg is svg.js once loaded; shared.initiativeId is the initiative
    // tacts 4, 5 and 7 show; stakesOf/listB/focus read the group's List B (staff always get the
    // totals: the server sends the masked copy to participants only).
    this.ctx = {
      store, live, groupId, svg: null, shared: { initiativeId: null },
      notice: new Notice(notice),
      announce: (text) => { announcer.textContent = ""; setTimeout(() => { announcer.textContent = text; }, 30); },
    };
    this.ctx.stakesOf = (itemId) => store.stakesOf(itemId, groupId);
    this.ctx.listB = () => store.listB(groupId);
    this.ctx.focus = () => store.focusOf(groupId);
    // Tact 7's owners: the group's participants as far as the page can know them.
    this.ctx.members = new Members(store, groupId);
    this.panes = {};
    this.views = {};
    this.kindViews = {}; // kind -> {itemId, view}: the kinds' own board views (kind_views.js)
    const head = el("div", "bd-head");
    head.append(this.tabs);
    root.append(head, notice, announcer);
    for (const kind of BOARD_KINDS) this.pane(kind);
    this.tabs.addEventListener("click", (e) => {
      const b = e.target.closest("[data-view]");
      if (!b) return;
      this.choice = { kind: b.dataset.view, itemId: this.current ? this.current.id : null };
      this.ctx.notice.clear();
      this.render(this.current);
    });
    // The drawings come from the projector's module; the board works without them.
    import("./svg.js").then((m) => { this.ctx.svg = m; this.render(this.current); }).catch(() => {});
  }

  // A kind's pane, made on first use.
  pane(kind) {
    if (!this.panes[kind]) {
      const pane = el("div", `bd-pane bd-pane-${kind} hidden`);
      pane.dataset.pane = kind;
      this.root.append(pane);
      this.panes[kind] = pane;
    }
    return this.panes[kind];
  }

  // Acks of the outbox writes (tact 8's slides; a kind's own `tact` writes go to its view, and a
  // refusal with its view not on screen is said in the notice): true when taken.
  onAck(entry, ack) {
    return deckAck(this.store, entry, ack) || kindAck(entry, ack,
      (kind) => (this.kindViews[kind] ? this.kindViews[kind].view : null),
      (e, error, a) => this.ctx.notice.show(ackError(a)));
  }

  // Whether an item has a board here: one of tacts 3–8's, or a kind's own board script.
  ours(item) { return OWN_KINDS.includes(item.kind) || hasKindView(item, "board"); }

  // The kinds with their own board script that the program holds, in its order.
  scriptedKinds() {
    const kinds = [];
    for (const i of [...this.store.items.values()].sort((a, b) => a.position - b.position)) {
      if (hasKindView(i, "board") && !BOARD_KINDS.includes(i.kind) && !kinds.includes(i.kind)) kinds.push(i.kind);
    }
    return kinds;
  }

  // Whether the current item is ours, or (in a break after one of ours) ours was the last board.
  wants(current) {
    if (!current) return false;
    if (this.ours(current)) return true;
    if (current.accepts_posts) return false;
    const last = this.store.latestItemOf((i) => i.accepts_posts || this.ours(i));
    return Boolean(last && this.ours(last));
  }

  // Show the board for the current item; false when the card board should show instead.
  render(current) {
    this.current = current;
    const kinds = [...BOARD_KINDS, ...this.scriptedKinds()];
    const items = new Map(kinds.map((k) => [k, this.store.latestItemOf(k)]));
    const started = kinds.filter((k) => items.get(k));
    if (!this.wants(current) || !started.length) {
      this.root.classList.add("hidden");
      return false;
    }
    this.root.classList.remove("hidden");
    if (this.choice && this.choice.itemId !== (current ? current.id : null)) this.choice = null;
    let kind = this.choice && started.includes(this.choice.kind) ? this.choice.kind : null;
    if (!kind && current && started.includes(current.kind)) kind = current.kind;
    if (!kind) kind = started.reduce((a, b) => (items.get(b).position > items.get(a).position ? b : a));
    this.renderTabs(started, items, kind, current);
    if (kind !== this.shownKind) {
      this.pane(kind);
      for (const [k, pane] of Object.entries(this.panes)) pane.classList.toggle("hidden", k !== kind);
      this.shownKind = kind;
    }
    if (!VIEWS[kind]) { this.renderKind(kind, items.get(kind)); return true; }
    if (!this.views[kind]) this.views[kind] = new VIEWS[kind](this.panes[kind], this.ctx);
    this.views[kind].render(items.get(kind));
    return true;
  }

  // A kind's own board view (kind_views.js): made for the kind's latest item, kept while it is.
  renderKind(kind, item) {
    let mounted = this.kindViews[kind];
    if (mounted && mounted.itemId !== item.id) {
      mounted.view.destroy();
      this.panes[kind].replaceChildren();
      delete this.kindViews[kind];
      mounted = null;
    }
    const View = kindView(item, "board", () => this.render(this.current));
    if (!View) return;  // its script is still loading
    if (!mounted) {
      mounted = { itemId: item.id, view: new View(this.ctx, item) };
      this.kindViews[kind] = mounted;
      this.panes[kind].replaceChildren(mounted.view.node);
    }
    mounted.view.update(item);
  }

  renderTabs(started, items, kind, current) {
    const sig = JSON.stringify([started.map((k) => [k, items.get(k).id, items.get(k).tact]), kind, current && current.kind]);
    if (this.tabs.dataset.sig === sig) return;
    this.tabs.dataset.sig = sig;
    const hadFocus = this.tabs.contains(document.activeElement);
    this.tabs.replaceChildren(...started.map((k) => {
      const item = items.get(k);
      const b = el("button", k === kind ? "bd-view-tab is-on" : "bd-view-tab secondary");
      b.type = "button";
      b.dataset.view = k;
      b.setAttribute("aria-pressed", k === kind ? "true" : "false");
      if (item.tact) b.append(el("span", "bd-view-tact", `${t("tact")} ${item.tact}`));
      const label = TAB_LABELS[k] || kindTab(item) || (VIEWS[k] ? `bd_view_${k}` : null);
      b.append(el("span", "", label ? t(label) : item.title));
      if (current && current.id === item.id) b.append(el("span", "badge badge-active", t("current")));
      return b;
    }));
    if (hadFocus) this.tabs.querySelector(".is-on")?.focus({ preventScroll: true });
  }
}
