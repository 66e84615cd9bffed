// The chief moderator's console: agenda, timer, advance/undo, lock, hide/reveal, the board of the
// current item and what the projector shows. Every button waits for the server's ack.
import { Board } from "./board.js";
import { t } from "./i18n.js";
import { Live } from "./live.js";
import { Store } from "./store.js";
import { TimerView } from "./timer.js";

const root = document.getElementById("console");
const $ = (id) => document.getElementById(id);
const store = new Store();
const timer = new TimerView($("cur-timer"));
let joined = Number(root.dataset.joined || 0);

function showError(message) { $("console-error").textContent = message || ""; }

const live = new Live({
  sessionId: Number(root.dataset.sessionId), role: "staff",
  onSnapshot: (snap) => store.load(snap),
  onEvent: (ev) => {
    if (ev.type === "participant.joined") { joined += 1; $("joined-count").textContent = joined; }
    if (ev.type === "participant.removed") { joined = Math.max(0, joined - 1); $("joined-count").textContent = joined; }
    store.apply(ev);
  },
  onTimer: (tm) => { if (store.current) { store.current.timer = tm; timer.set(tm); } },
  onStatus: (status) => { $("conn").dataset.status = status; $("conn").textContent = t(status); },
});
const board = new Board($("board"), live, { onError: showError });
store.subscribe(() => render());

async function act(buttonEl, event, payload) {
  buttonEl.disabled = true;
  const ack = await live.call(event, payload);
  buttonEl.disabled = false;
  showError(ack.ok ? "" : (ack.error || t("error")));
  return ack;
}

root.addEventListener("click", (e) => {
  const b = e.target.closest("button[data-action]");
  if (!b) return;
  const item = store.current;
  const id = item ? item.id : null;
  const action = b.dataset.action;
  if (action === "advance") act(b, "advance", { current_item_id: id });
  else if (action === "undo") act(b, "undo_advance", { current_item_id: id });
  else if (!item && action !== "show-join" && !action.startsWith("show-")) showError(t("waiting"));
  else if (action === "start" || action === "pause") act(b, "timer", { item_id: id, action });
  else if (action === "extend") act(b, "timer", { item_id: id, action, seconds: Number(b.dataset.seconds) });
  else if (action === "lock") act(b, "set_item", { item_id: id, locked: !item.locked });
  else if (action === "hide") act(b, "set_item", { item_id: id, hidden: !item.hidden });
  else if (action === "reveal") act(b, "set_item", { item_id: id, hidden: false });
  else if (action.startsWith("show-")) {
    const payload = { mode: b.dataset.mode };
    if (payload.mode === "group") payload.group_id = Number($("show-group").value);
    act(b, "show", payload);
  }
});

function el(tag, cls, text) {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  if (text !== undefined) node.textContent = text;
  return node;
}

function render() {
  const items = [...store.items.values()].sort((a, b) => a.position - b.position);
  const item = store.current;
  // Agenda
  const agenda = $("agenda");
  agenda.replaceChildren();
  let day = null;
  for (const it of items) {
    if (it.day !== day) { day = it.day; agenda.append(el("li", "mod-day", `${t("day")} ${day}`)); }
    const li = el("li", `mod-item state-${it.state}`);
    li.append(el("span", "mod-item-time", it.start_time));
    const text = el("span", "mod-item-title", it.title);
    li.append(text);
    li.append(el("span", `badge badge-${it.state}`, t(it.state === "active" ? "current" : it.state)));
    if (item && it.id === item.id) li.setAttribute("aria-current", "step");
    agenda.append(li);
  }
  agenda.querySelector("[aria-current]")?.scrollIntoView({ block: "nearest" });
  // Current item
  $("cur-tact").textContent = item ? [item.tact ? `${t("tact")} ${item.tact}` : "", `${t("day")} ${item.day}`, item.start_time].filter(Boolean).join(" · ") : "";
  $("cur-title").textContent = item ? item.title : t("waiting");
  $("cur-instructions").textContent = item ? item.instructions : "";
  timer.set(item ? item.timer : null);
  const next = items.find((i) => i.position > (item ? item.position : -1));
  $("next-title").textContent = next ? `→ ${next.title}` : "";
  root.querySelector("[data-action=advance]").disabled = !next;
  $("lock-button").textContent = item && item.locked ? t("unlock") : t("lock");
  $("hide-button").textContent = t("hide");
  $("hide-button").classList.toggle("hidden", Boolean(item && item.hidden));
  $("reveal-button").classList.toggle("hidden", !(item && item.hidden));
  // Projector modes
  for (const b of root.querySelectorAll("[data-mode]")) {
    b.classList.toggle("is-on", b.dataset.mode === store.projector.mode);
  }
  const select = $("show-group");
  const chosen = select.value || String(store.projector.group_id || "");
  select.replaceChildren(...[...store.groups.values()].map((g) => {
    const o = el("option", "", g.name);
    o.value = g.id;
    return o;
  }));
  if (chosen) select.value = chosen;
  // Board of the current item (or, during non-card items, the latest one with cards)
  const boardItem = item && (item.kind === "trends" || item.kind === "brainstorm") ? item
    : store.latestItemOf("brainstorm") || store.latestItemOf("trends");
  if (!boardItem) { $("board-title").textContent = t("board_of"); board.render([], null); return; }
  $("board-title").textContent = `${t("board_of")}: ${boardItem.title}`;
  if (boardItem.kind === "trends") {
    const groups = [...store.groups.values()].sort((a, b) => a.position - b.position);
    board.render(groups.map((g) => ({ title: g.name, cards: store.cardsOf(boardItem.id, g.id) })), boardItem);
  } else {
    board.render([{ title: t("list_a"), cards: store.cardsOf(boardItem.id) }], boardItem);
  }
}
