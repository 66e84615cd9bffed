// The projector: no controls. It shows what the chief moderator chose (join screen, the List A
// wall, one group's board, the timer, a group presenting) and keeps the join code, QR and timer
// in view. Tacts 3–5 and the presentation are drawn by tacts/projector_tacts.js, tacts 6–7 by
// tacts/projector_day2.js, the expert session's results by tacts/projector_results.js.
import { t } from "./i18n.js";
import { Live } from "./live.js";
import { Store } from "./store.js";
import { TimerView } from "./timer.js";
import { MATRIX_VIEW } from "./tacts/projector_day2.js";
import { DeckView } from "./tacts/projector_deck.js";
import { ResultsView } from "./tacts/projector_results.js";
import { TEAMS_VIEW } from "./tacts/projector_teams.js";
import { TACT_VIEWS, TactView } from "./tacts/projector_tacts.js";
import { hasKindView, kindView } from "./tacts/kind_views.js";

const root = document.getElementById("projector");
const $ = (id) => document.getElementById(id);
const store = new Store();
const timers = [new TimerView($("pj-timer")), new TimerView($("pj-bigtimer-value"))];
const seen = new Set();
let firstPaint = true;
const tactView = new TactView($("pj-work"));
const resultsView = new ResultsView(root, $("pj-rail"));
const deckView = new DeckView($("pj-deck"));

const live = new Live({
  sessionId: Number(root.dataset.sessionId), role: "projector", key: root.dataset.key,
  onSnapshot: (snap) => store.load(snap),
  onEvent: (ev) => store.apply(ev),
  onTimer: (tm) => { if (store.current) { store.current.timer = tm; render(); } },
  onStatus: (status) => { $("pj-conn").dataset.status = status; },
});
store.subscribe(() => render());
// Drawings are made for their box's pixel size: a new window size redraws them.
let resizing = null;
window.addEventListener("resize", () => {
  clearTimeout(resizing);
  resizing = setTimeout(render, 150);
});

function render() {
  const item = store.current;
  // Titles of tacts already say "Tact N"; the label gives the day and planned start instead.
  $("pj-tact").textContent = item ? `${t("day")} ${item.day} · ${item.start_time}` : "";
  $("pj-timer").classList.toggle("hidden", !item);
  $("pj-title").textContent = item ? item.title : (store.session ? store.session.title : "");
  for (const tv of timers) tv.set(item ? item.timer : null);
  const mode = store.projector.mode || "join";
  const group = store.groups.get(store.projector.group_id) || null;
  // A kind with its own projector script for the whole hall shows in every mode but the join
  // screen, the timer alone, the results and a deck (one of the groups' work: see tactViewOf).
  const own = ["join", "timer", "results", "deck"].includes(mode) || !item || item.scope === "groups" ? null
    : kindView(item, "projector", render);
  const view = own || mode === "results" || mode === "deck" ? null : tactViewOf(mode, item, group);
  root.className = `pj mode-${mode}${view || own ? " view-tacts" : ""}`;
  if (own) { renderOwn(own, item); firstPaint = false; return; }
  if (ownView) { ownView.view.destroy(); ownView = null; tactView.reset(); $("pj-work").replaceChildren(); }
  resultsView.render(store, mode === "results");
  deckView.render(store, mode === "deck");
  if (view && view.item) tactView.renderKind(store, live, kindView(view.item, "projector", render), view.item, group);
  else if (view) tactView.render(store, view, group);
  else if (mode === "wall") renderBoard(store.listA(), t("list_a"), "", false);
  else if (mode === "group") {
    const trendsItem = store.latestItemOf("trends");
    const cards = group && trendsItem ? store.cardsOf(trendsItem.id, group.id) : [];
    renderBoard(cards, group ? group.name : "", group ? group.subject_frame : "", true);
  }
  firstPaint = false;
}

let ownView = null;  // {key, view}: a kind's own projector view (tacts/kind_views.js)

function renderOwn(View, item) {
  resultsView.render(store, false);
  deckView.render(store, false);
  const key = `${item.id}`;
  if (!ownView || ownView.key !== key) {
    if (ownView) ownView.view.destroy();
    tactView.reset();
    ownView = { key, view: new View({ store, live, root: $("pj-work") }, item) };
    $("pj-work").replaceChildren(ownView.view.node);
  }
  ownView.view.update(item);
}

// Which view of tactView shows now, or null for the boards of cards. A group's board follows the
// current item, or between items the latest group work (trends or tacts 3–5) that started. A kind
// of the groups' work with its own projector script (kind_views.js) gives {item}.
// Tact 6 belongs to the whole hall: its matrix of requests shows in every mode but the join
// screen, the timer alone and a chosen group (which gets its own requests).
function tactViewOf(mode, item, group) {
  if (item && item.kind === "requests" && mode !== "join" && mode !== "timer" && !(mode === "group" && group)) {
    return MATRIX_VIEW;
  }
  // Forming the day-two teams belongs to the whole hall too.
  if (item && item.kind === "regrouping" && mode !== "join" && mode !== "timer") return TEAMS_VIEW;
  if (mode === "present") return "present";
  if (mode !== "group") return null;
  const isTact = (i) => Object.hasOwn(TACT_VIEWS, i.kind);
  const isKind = (i) => i.scope === "groups" && hasKindView(i, "projector");
  const isWork = (i) => i.kind === "trends" || isTact(i) || isKind(i);
  const shown = item && isWork(item) ? item : store.latestItemOf(isWork);
  if (shown && isKind(shown)) return { item: shown };
  return shown && isTact(shown) ? TACT_VIEWS[shown.kind] : null;
}

// Cards keep their order (oldest first) so that a new one is added at the end and nothing jumps;
// the type gets smaller as the wall fills so that up to ~150 cards fit without scrolling. The
// columns and size for the count are where a wall starts; on the real layout, while the wall is
// taller than the screen, the type goes a step smaller (over this many columns or one or two
// more, whichever keeps it largest), down to FIT_FLOOR of it; past that the cards keep their
// first four lines (.is-clamped), and then the type goes on shrinking: a card is never left
// off the screen, and no card's text is cut while there is room.
const FIT_STEP = 0.92;
const FIT_FLOOR = 0.7;
const FIT_LEAST = 0.3; // vw: the smallest step, so that the search always ends
let fitted = { key: "", wall: "", count: 0, cols: 0, size: 0, clamped: false };

// key: the cards and the screen (the same fit is kept); wall: the screen, the heading and the
// size for the count (a card added fits at the last fit if there is room: one layout, not a search).
function fitBoard(list, cols, size, key, wall, count) {
  const apply = (c, s, clamped) => {
    list.style.setProperty("--cols", c);
    list.style.setProperty("--card-size", `${s.toFixed(3)}vw`);
    list.classList.toggle("is-clamped", clamped);
  };
  if (!list.offsetParent) { apply(cols, size, false); return; } // not on screen: fitted when it is
  const tall = () => list.scrollHeight > list.clientHeight + 2;
  // A wall that only grew goes on from its last fit (the type never grows back as cards come).
  const grew = fitted.wall === wall && count >= fitted.count;
  if (fitted.key === key || grew) {
    apply(fitted.cols, fitted.size, fitted.clamped);
    if (fitted.key === key || !tall()) { fitted = { ...fitted, key, count }; return; }
  }
  const from = grew ? fitted : { cols, size, clamped: false };
  const largest = (clamped, floor) => {
    let best = null;
    for (let c = from.cols; c <= cols + 2; c += 1) {
      let s = from.size;
      apply(c, s, clamped);
      while (tall() && s * FIT_STEP >= floor) { s *= FIT_STEP; apply(c, s, clamped); }
      if (!tall() && (!best || s > best.size)) best = { cols: c, size: s, clamped };
      if (best && best.size === from.size) break;
    }
    return best;
  };
  const best = (!from.clamped && largest(false, size * FIT_FLOOR)) || largest(true, FIT_LEAST)
    || { cols: cols + 2, size: FIT_LEAST, clamped: true };
  fitted = { key, wall, count, ...best };
  apply(best.cols, best.size, best.clamped);
}

function renderBoard(cards, title, frame, withAuthors) {
  $("pj-board-title").textContent = title;
  $("pj-board-frame").textContent = frame;
  $("pj-board-count").textContent = t("cards_n").replace("{n}", cards.length);
  root.classList.toggle("is-empty", cards.length === 0);
  const n = cards.length;
  const [cols, size] = n <= 6 ? [2, 2.6] : n <= 12 ? [3, 2.1] : n <= 24 ? [4, 1.6]
    : n <= 45 ? [5, 1.25] : n <= 80 ? [6, 1.0] : n <= 120 ? [7, 0.82] : [8, 0.7];
  const list = $("pj-cards");
  const wanted = new Map(cards.map((c) => [`${c.kind}:${c.id}`, c]));
  for (const li of [...list.children]) if (!wanted.has(li.dataset.key)) li.remove();
  const present = new Map([...list.children].map((li) => [li.dataset.key, li]));
  let previous = null;
  for (const [key, card] of wanted) {
    let li = present.get(key);
    if (!li) {
      li = document.createElement("li");
      li.className = "pj-card";
      li.dataset.key = key;
      if (!firstPaint && !seen.has(key)) {
        li.classList.add("is-new");
        setTimeout(() => li.classList.remove("is-new"), 8000);
      }
    }
    seen.add(key);
    if (li.dataset.rev !== String(card.rev)) {
      li.dataset.rev = String(card.rev);
      li.textContent = card.text;
      if (withAuthors && card.author) {
        const who = document.createElement("span");
        who.className = "pj-author";
        who.textContent = card.author;
        li.append(who);
      }
    }
    const expected = previous ? previous.nextSibling : list.firstChild;
    if (expected !== li) list.insertBefore(li, expected);
    previous = li;
  }
  // the same cards on the same screen keep their fit (a timer or another event changes nothing)
  const wall = [innerWidth, innerHeight, title, frame, cols, size].join(",");
  fitBoard(list, cols, size, [wall, ...cards.map((c) => `${c.id}:${c.rev}`)].join(","), wall, n);
}
