// The chief moderator's console: the agenda, the current item with its timer, advance and undo,
// lock and hide/reveal, the live board of the current item, what the projector shows, and in the
// day-1 presentation a button per group that puts it on the projector and restarts its time;
// the expert session's results (their table, and the toggle that reveals them to everyone).
// Every button waits for the server's ack; a refusal is shown next to the button that caused it.
// In tact 2 a suggestions panel proposes near-duplicate ideas of the whole List A to merge.
import { Board, ackError, el } from "./board.js";
import { t } from "./i18n.js";
import { Live } from "./live.js";
import { Store } from "./store.js";
import { SuggestionsPanel } from "./suggestions.js";
import { TimerView } from "./timer.js";
import { resultsTable } from "./tacts/projector_results.js";
import { kindView } from "./tacts/kind_views.js";

const root = document.getElementById("console");
const $ = (id) => document.getElementById(id);
const notStarted = $("cur-title").textContent;
const store = new Store();
const timer = new TimerView($("cur-timer"));
const inflight = new Set(); // scopes (timer, flow, posts, show, present, results) with a call under way
let joined = Number(root.dataset.joined || 0);
const removed = new Set();
let shownTimer = null;
let scrolledTo = undefined;
let lastCurrent = undefined;

const live = new Live({
  sessionId: Number(root.dataset.sessionId), role: "staff",
  onSnapshot: (snap) => store.load(snap),
  onEvent: (ev) => { countPeople(ev); store.apply(ev); },
  onTimer: (tm) => { if (store.current) { store.current.timer = tm; renderCurrent(); } },
  onStatus: (status) => {
    $("conn").dataset.status = status;
    $("conn").textContent = status === "offline" ? t("mod_offline") : t(status);
  },
});

const board = new Board($("board"), {
  live, canReveal: true, hint: $("merge-hint"), onCard: (card) => card && store.putCard(card),
});

// Only the brainstorm (List A) and only duplicates: clusters belong to the groups' boards.
const suggestions = new SuggestionsPanel($("suggestions"), {
  store, live, kinds: ["brainstorm"], askKey: "sg_ask_dups", noteKey: "sg_note_list_a",
});

store.subscribe((what) => {
  if (what === "rooms") { live.socket.disconnect(); live.socket.connect(); return; }
  if (["all", "agenda", "item", "groups", "session"].includes(what)) renderAgenda();
  if (what !== "participant") render();
});

// The snapshot has no participant list: the count starts from the page and follows the events.
function countPeople(ev) {
  if (ev.type === "participant.joined") joined += 1;
  else if (ev.type === "participant.removed" && !removed.has(ev.data.id)) {
    removed.add(ev.data.id);
    joined = Math.max(0, joined - 1);
  } else return;
  $("joined-count").textContent = String(joined);
}

// -- actions ---------------------------------------------------------------------------
function scopeOf(button) { return button.closest("[data-scope]"); }

function setError(scope, message) {
  const slot = scope && scope.querySelector(".action-error");
  if (slot) slot.textContent = message || "";
}

async function act(button, event, payload) {
  const scope = scopeOf(button);
  const name = scope.dataset.scope;
  if (inflight.has(name)) return;
  inflight.add(name);
  setError(scope, "");
  button.setAttribute("aria-busy", "true");
  render();
  const ack = await live.call(event, payload);
  inflight.delete(name);
  button.removeAttribute("aria-busy");
  // On a conflict the events bring the state the others made; the message says why it moved.
  // Asking for the events since our revision covers one that is still on its way.
  if (!ack || !ack.ok) setError(scope, ackError(ack));
  if (ack && ack.code === "conflict" && !live.syncing) live.sync();
  render();
}

root.addEventListener("click", (e) => {
  const b = e.target.closest("button[data-action]");
  if (!b || b.disabled) return;
  const item = store.current;
  const id = item ? item.id : null;
  const action = b.dataset.action;
  if (action === "advance") act(b, "advance", { current_item_id: id });
  else if (action === "undo") act(b, "undo_advance", { current_item_id: id });
  else if (action === "reveal-results") act(b, "reveal_results", { revealed: !(store.results && store.results.revealed) });
  else if (action.startsWith("show-")) {
    const payload = { mode: b.dataset.mode };
    if (payload.mode === "group") {
      payload.group_id = Number($("show-group").value);
      const one = $("show-initiative").value;
      if (one) payload.initiative_id = Number(one);
    }
    act(b, "show", payload);
  } else if (action.startsWith("deck-")) deckAction(b, action);
  else if (!item) setError(scopeOf(b), notStarted);
  else if (action === "start" || action === "pause") act(b, "timer", { item_id: id, action });
  else if (action === "extend") act(b, "timer", { item_id: id, action, seconds: Number(b.dataset.seconds) });
  else if (action === "present") act(b, "present", { item_id: id, group_id: Number(b.dataset.groupId) });

  else if (action === "lock") act(b, "set_item", { item_id: id, locked: !item.locked });
  else if (action === "hide") act(b, "set_item", { item_id: id, hidden: true });
  else if (action === "reveal") act(b, "set_item", { item_id: id, hidden: false });
});

// Tact 8: a group's deck on the projector from its first slide, then slide by slide.
function deckAction(b, action) {
  if (action === "deck-show") act(b, "present_deck", { group_id: Number(b.dataset.groupId), index: 0 });
  else {
    act(b, "present_deck", { group_id: store.projector.group_id,
      index: (store.projector.slide || 0) + (action === "deck-prev" ? -1 : 1) });
  }
}

// -- rendering -------------------------------------------------------------------------
function sortedItems() { return [...store.items.values()].sort((a, b) => a.position - b.position); }

// Titles of tacts usually begin with "Tact N."; the number is shown apart, so it is not repeated.
function shortTitle(item) {
  if (!item.tact) return item.title;
  const rest = item.title.replace(new RegExp(`^\\S+\\s+${item.tact}\\s*[.:·—–-]\\s*`), "");
  return rest || item.title;
}

function endTime(item) {
  const [h, m] = item.start_time.split(":").map(Number);
  const total = h * 60 + m + item.duration_min;
  return `${String(Math.floor(total / 60) % 24).padStart(2, "0")}:${String(total % 60).padStart(2, "0")}`;
}

function stateLabel(state) { return t(state === "active" ? "current" : state); }

function renderAgenda() {
  const list = $("agenda");
  const current = store.currentItemId;
  const rows = [];
  let day = null;
  for (const it of sortedItems()) {
    if (it.day !== day) {
      day = it.day;
      rows.push(el("li", "mod-day", `${t("day")} ${day}`));
    }
    const li = el("li", `mod-item state-${it.state}`);
    li.dataset.itemId = it.id;
    li.append(el("span", "mod-item-time", it.start_time));
    const body = el("span", "mod-item-body");
    const head = el("span", "mod-item-head");
    if (it.tact) head.append(el("span", "mod-item-tact", `${t("tact")} ${it.tact}`));
    head.append(el("span", `badge badge-${it.state}`, stateLabel(it.state)));
    body.append(head, el("span", "mod-item-title", shortTitle(it)));
    li.append(body);
    if (it.id === current) li.setAttribute("aria-current", "step");
    rows.push(li);
  }
  list.replaceChildren(...rows);
  if (scrolledTo !== current) {
    scrolledTo = current;
    const li = list.querySelector("[aria-current]");
    const box = $("agenda-scroll");
    if (li) box.scrollTop = Math.max(0, li.offsetTop - box.clientHeight / 3);
  }
}

function render() {
  const item = store.current;
  if (lastCurrent !== undefined && lastCurrent !== store.currentItemId) {
    for (const scope of root.querySelectorAll("[data-scope=timer], [data-scope=posts]")) setError(scope, "");
  }
  lastCurrent = store.currentItemId;
  renderCurrent();
  renderFlow(item);
  renderPosts(item);
  renderPresent(item);
  renderDecks(item);
  renderProjector();
  renderResults();
  renderBoard(item);
  suggestions.render(item);
  renderOwn(item);
}

// A kind with its own console script (tacts/kind_views.js): its panel above the board.
let ownPanel = null;  // {key, view, node}
function renderOwn(item) {
  const View = kindView(item, "console", render);
  const key = View ? `${item.id}` : null;
  if (ownPanel && ownPanel.key !== key) { ownPanel.view.destroy(); ownPanel.node.remove(); ownPanel = null; }
  if (!View) return;
  if (!ownPanel) {
    const node = el("div", "panel mod-kind");
    const view = new View({ store, live }, item);
    node.append(view.node);
    root.querySelector(".mod-board-panel").before(node);
    ownPanel = { key, view, node };
  }
  ownPanel.view.update(item);
}

function renderCurrent() {
  const item = store.current;
  $("cur-tact").textContent = item
    ? [item.tact ? `${t("tact")} ${item.tact}` : "", `${t("day")} ${item.day}`,
      `${item.start_time}–${endTime(item)}`].filter(Boolean).join(" · ")
    : "";
  const flags = [];
  if (item && item.locked) flags.push(el("span", "badge badge-locked", t("locked")));
  if (item && item.hidden) flags.push(el("span", "badge badge-hidden", t("posts_hidden")));
  $("cur-flags").replaceChildren(...flags);
  $("cur-title").textContent = item ? shortTitle(item) : notStarted;
  $("cur-instructions").textContent = item ? item.instructions || "" : "";
  $("cur-planned").textContent = item ? `${t("planned")} ${item.duration_min} ${t("min")}` : "";
  const tm = item ? item.timer : null;
  if (tm !== shownTimer) { shownTimer = tm; timer.set(tm); }
  const busy = inflight.has("timer");
  const toggle = $("timer-toggle");
  const running = Boolean(tm && tm.running);
  toggle.dataset.action = running ? "pause" : "start";
  toggle.textContent = running ? t("pause") : t("start");
  toggle.classList.toggle("secondary", running);
  for (const b of root.querySelectorAll("[data-scope=timer] button")) b.disabled = !item || busy;
}

function renderFlow(item) {
  const items = sortedItems();
  const next = items.find((i) => i.position > (item ? item.position : -1));
  const busy = inflight.has("flow");
  $("advance-label").textContent = item ? t("advance") : t("start_program");
  $("next-title").textContent = next ? `→ ${next.tact ? `${t("tact")} ${next.tact}. ` : ""}${shortTitle(next)}` : t("last_item");
  const advance = root.querySelector("[data-action=advance]");
  advance.disabled = busy || !next;
  advance.title = next ? next.title : t("last_item");
  root.querySelector("[data-action=undo]").disabled = busy || !item;
}

function renderPosts(item) {
  const accepts = Boolean(item && item.accepts_posts);
  const busy = inflight.has("posts");
  $("posts-buttons").classList.toggle("hidden", !accepts);
  $("posts-none").classList.toggle("hidden", accepts || !item);
  $("posts-none").textContent = t("no_posts_item");
  if (!accepts) return;
  const lock = $("lock-button");
  lock.textContent = item.locked ? t("unlock") : t("lock");
  lock.setAttribute("aria-pressed", item.locked ? "true" : "false");
  lock.disabled = busy;
  const hide = $("hide-button");
  const reveal = $("reveal-button");
  hide.classList.toggle("hidden", item.hidden);
  reveal.classList.toggle("hidden", !item.hidden);
  hide.disabled = busy;
  reveal.disabled = busy;
  const waiting = store.cardsOf(item.id).filter((c) => !c.revealed).length;
  reveal.textContent = waiting ? `${t("reveal_all")} · ${t("hidden_n").replace("{n}", waiting)}` : t("reveal_all");
}

const MODE_LABEL = {
  join: "show_join", wall: "show_wall", group: "show_group", timer: "show_timer", present: "pj_show_present",
  results: "rs_show_results", deck: "dk_show_deck",
};
let groupsShown = "";
let projectorSeen = "";
let initiativesShown = "";
$("show-group").addEventListener("change", () => renderProjector());

// With a group picked: one of its initiatives in focus on the whole screen (the stakeholder map or
// the flows of tacts 4–5 drawn large), or all of them; offered when it has two or more.
function renderInitiativePick(busy) {
  const pick = $("show-initiative");
  const groupId = Number($("show-group").value);
  const focus = groupId ? store.focusOf(groupId) : [];
  const signature = `${groupId}|${focus.map((x) => `${x.id}:${x.name}`).join("|")}`;
  if (signature !== initiativesShown) {
    const chosen = pick.value;
    const all = el("option", "", t("show_all_initiatives"));
    all.value = "";
    pick.replaceChildren(all, ...focus.map((x) => {
      const o = el("option", "", x.name);
      o.value = String(x.id);
      return o;
    }));
    pick.value = focus.some((x) => String(x.id) === chosen) ? chosen : "";
    initiativesShown = signature;
  }
  pick.classList.toggle("hidden", focus.length < 2);
  pick.disabled = busy;
}

function renderProjector() {
  const { mode, group_id: groupId } = store.projector;
  const busy = inflight.has("show");
  for (const b of root.querySelectorAll("[data-mode]")) {
    const on = b.dataset.mode === mode;
    b.classList.toggle("is-on", on);
    b.setAttribute("aria-pressed", on ? "true" : "false");
    b.disabled = busy;
  }
  const select = $("show-group");
  const groups = [...store.groups.values()].sort((a, b) => a.position - b.position);
  const signature = groups.map((g) => `${g.id}:${g.name}`).join("|");
  if (signature !== groupsShown) {
    const chosen = select.value;
    select.replaceChildren(...groups.map((g) => {
      const o = el("option", "", g.name);
      o.value = String(g.id);
      return o;
    }));
    if (chosen && groups.some((g) => String(g.id) === chosen)) select.value = chosen;
    groupsShown = signature;
  }
  const one = store.projector.initiative_id || null;
  const seen = `${mode}:${groupId}:${one}`;
  const moved = mode === "group" && groupId && projectorSeen !== seen;
  if (moved) select.value = String(groupId);
  renderInitiativePick(busy);
  if (moved) $("show-initiative").value = one ? String(one) : "";
  projectorSeen = seen;
  select.disabled = busy || !groups.length;
  root.querySelector("[data-mode=group]").disabled = busy || !groups.length;
  const group = store.groups.get(groupId);
  const label = t(MODE_LABEL[mode] || "show_join");
  const alone = mode === "group" && one ? store.board.initiatives.get(one) : null;
  const where = (mode === "group" || mode === "present" || mode === "deck") && group
    ? [label, group.name, ...(alone ? [alone.name] : [])].join(" · ") : label;
  $("on-screen").replaceChildren(el("span", "muted", `${t("on_screen")}: `), el("strong", "", where));
}

// The expert session's results: staff always see the numbers; the toggle reveals them to the
// groups and the projector (its mode "results" shows them), or hides them again.
$("show-results").textContent = t("rs_show_results");
let resultsShown = "";

function renderResults() {
  const results = store.results || { revealed: false, criteria: [], groups: [] };
  const revealed = Boolean(results.revealed);
  const groups = results.groups || [];
  const scored = groups.filter((g) => (g.experts || 0) > 0).length;
  $("results-title").textContent = t("rs_panel_title");
  $("results-state").textContent = t(revealed ? "rs_state_revealed" : "rs_state_hidden");
  $("results-state").className = `badge ${revealed ? "badge-revealed" : "badge-hidden"}`;
  $("results-count").textContent = groups.length
    ? t("rs_scored_n").replace("{n}", scored).replace("{m}", groups.length) : "";
  const toggle = $("results-toggle");
  toggle.textContent = t(revealed ? "rs_hide" : "rs_reveal");
  toggle.setAttribute("aria-pressed", revealed ? "true" : "false");
  toggle.classList.toggle("secondary", revealed);
  toggle.disabled = inflight.has("results");
  const signature = JSON.stringify([results, [...store.groups.values()].map((g) => [g.id, g.name])]);
  if (signature === resultsShown) return;
  resultsShown = signature;
  $("results-table").replaceChildren(scored ? resultsTable(results, store) : el("p", "muted", t("rs_no_scores")));
}

// The presentation item: one button per group; the group on the projector is pressed.
let presentShown = "";

function renderPresent(item) {
  const box = $("present-box");
  const on = Boolean(item && item.kind === "presentation");
  box.classList.toggle("hidden", !on);
  if (!on) return;
  $("present-label").textContent = t("pj_present_title");
  const groups = [...store.groups.values()].sort((a, b) => a.position - b.position);
  const row = $("present-buttons");
  const signature = groups.map((g) => `${g.id}:${g.name}`).join("|");
  if (signature !== presentShown) {
    presentShown = signature;
    row.replaceChildren(...groups.map((g) => {
      const b = el("button", "secondary");
      b.type = "button";
      b.dataset.action = "present";
      b.dataset.groupId = String(g.id);
      b.append(el("span", "mod-present-mark"), el("span", "", g.name));
      return b;
    }));
  }
  const { mode, group_id: shown } = store.projector;
  const busy = inflight.has("present");
  for (const b of row.children) {
    const pressed = mode === "present" && Number(b.dataset.groupId) === shown;
    b.classList.toggle("secondary", !pressed);
    b.classList.toggle("is-on", pressed);
    b.setAttribute("aria-pressed", pressed ? "true" : "false");
    b.firstChild.textContent = pressed ? "▶ " : "";
    b.title = `${t("pj_present_group")}: ${b.lastChild.textContent}`;
    b.disabled = busy;
  }
}

// Tact 8 and the expert session: a button per working group that puts its final deck on the
// projector; while a deck shows, the previous and next slide. The group's moderator can drive it
// from the board too (the projector follows whoever pressed last).
let decksShown = "";

function renderDecks(item) {
  const box = $("deck-box");
  const { mode, group_id: shown, slide } = store.projector;
  const on = Boolean(item && (item.kind === "deck" || item.kind === "experts")) || mode === "deck";
  box.classList.toggle("hidden", !on);
  if (!on) return;
  $("deck-label").textContent = t("dk_console_title");
  const groups = store.activeGroups();
  const row = $("deck-buttons");
  const decks = groups.map((g) => store.latestDeckOf(g.id));
  const signature = JSON.stringify(groups.map((g, n) => [g.id, g.name, Boolean(decks[n])]));
  if (signature !== decksShown) {
    decksShown = signature;
    row.replaceChildren(...groups.map((g, n) => {
      const b = el("button", "secondary");
      b.type = "button";
      b.dataset.action = "deck-show";
      b.dataset.groupId = String(g.id);
      b.append(el("span", "mod-present-mark"), el("span", "", g.name));
      if (!decks[n]) b.append(el("span", "muted small", `· ${t("dk_no_deck")}`));
      return b;
    }));
  }
  const busy = inflight.has("deck");
  groups.forEach((g, n) => {
    const b = row.children[n];
    const pressed = mode === "deck" && g.id === shown;
    b.classList.toggle("secondary", !pressed);
    b.classList.toggle("is-on", pressed);
    b.setAttribute("aria-pressed", pressed ? "true" : "false");
    b.firstChild.textContent = pressed ? "▶ " : "";
    b.disabled = busy || !decks[n];
  });
  const deck = mode === "deck" ? store.latestDeckOf(shown) : null;
  const count = deck ? store.slidesOf(deck.id).length : 0;
  const index = Math.min(slide || 0, Math.max(0, count - 1));
  $("deck-steps").classList.toggle("hidden", !deck);
  $("deck-onair").textContent = deck ? t("dk_on_projector").replace("{n}", index + 1).replace("{m}", count) : "";
  $("deck-prev").disabled = busy || !deck || index <= 0;
  $("deck-next").disabled = busy || !deck || index >= count - 1;
  $("deck-prev").setAttribute("aria-label", t("dk_prev"));
  $("deck-next").setAttribute("aria-label", t("dk_next"));
}

function renderBoard(item) {
  const boardItem = item && item.accepts_posts ? item : store.latestItemOf((i) => i.accepts_posts);
  const container = $("board");
  if (!boardItem) {
    $("board-title").textContent = t("board_of");
    $("board-state").classList.add("hidden");
    $("board-count").textContent = "";
    container.className = "mod-board layout-grid";
    board.render(null, [{ key: "none", title: "", cards: [] }]);
    return;
  }
  $("board-title").textContent = `${t("board_of")}: ${shortTitle(boardItem)}`;
  const isCurrent = item && boardItem.id === item.id;
  $("board-state").classList.toggle("hidden", Boolean(isCurrent));
  $("board-state").textContent = stateLabel(boardItem.state);
  $("board-state").className = `badge badge-${boardItem.state}${isCurrent ? " hidden" : ""}`;
  const all = store.cardsOf(boardItem.id);
  $("board-count").textContent = t("cards_n").replace("{n}", all.length);
  if (boardItem.post_scope === "group") {
    const groups = [...store.groups.values()].sort((a, b) => a.position - b.position);
    container.className = "mod-board layout-columns";
    container.dataset.columns = String(groups.length);
    fitColumns();
    board.render(boardItem, groups.map((g) => ({
      key: `g${g.id}`, title: g.name, note: "", cards: store.cardsOf(boardItem.id, g.id),
    })));
  } else {
    container.className = "mod-board layout-grid";
    const names = new Map([...store.groups.values()].map((g) => [g.id, g.name]));
    board.render(boardItem, [{ key: "all", title: "", cards: all }],
      { tag: (c) => names.get(c.group_id) || "" });
  }
}

// Group columns side by side when each gets a readable width, else in two rows.
function fitColumns() {
  const container = $("board");
  const n = Number(container.dataset.columns || 1);
  const width = container.clientWidth || root.clientWidth;
  const cols = width / n >= 230 ? n : Math.max(1, Math.ceil(n / 2));
  container.style.setProperty("--cols", String(cols));
  // Narrow columns show the card actions as icons (the label stays their accessible name).
  container.classList.toggle("is-narrow", container.classList.contains("layout-columns") && width / cols < 340);
}
new ResizeObserver(fitColumns).observe($("board"));
