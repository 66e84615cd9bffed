// A group moderator's board: the group's cards of the current tact, live; edit, merge, delete;
// the moderator can add a card for the group (typed from a flip chart, say).
import { Board } from "./board.js";
import { t } from "./i18n.js";
import { Live, uuid } from "./live.js";
import { Store } from "./store.js";
import { TimerView } from "./timer.js";

const root = document.getElementById("group-board");
const groupId = Number(root.dataset.groupId);
const $ = (id) => document.getElementById(id);
const store = new Store();
const timer = new TimerView($("cur-timer"));

const live = new Live({
  sessionId: Number(root.dataset.sessionId), role: "staff",
  onSnapshot: (snap) => store.load(snap),
  onEvent: (ev) => store.apply(ev),
  onTimer: (tm) => { if (store.current) { store.current.timer = tm; timer.set(tm); } },
  onStatus: (status) => { $("conn").dataset.status = status; $("conn").textContent = t(status); },
});
const board = new Board($("board"), live, {
  onError: (m) => { $("board-error").textContent = m || ""; }, hint: $("merge-hint"),
});
store.subscribe(() => render());

$("post-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const item = store.current;
  const text = $("post-text").value.trim();
  if (!item || !text) { $("post-error").textContent = t("empty_text"); return; }
  const ack = await live.call("post_card", { client_id: uuid(), item_id: item.id, text, group_id: groupId });
  if (ack.ok) { $("post-text").value = ""; $("post-error").textContent = ""; store.putCard(ack.card); }
  else $("post-error").textContent = ack.error || t("error");
});

function render() {
  const item = store.current;
  $("cur-tact").textContent = item && item.tact ? `${t("tact")} ${item.tact}` : "";
  $("cur-title").textContent = item ? item.title : t("waiting");
  timer.set(item ? item.timer : null);
  const open = item && (item.kind === "trends" || item.kind === "brainstorm") && item.state === "active" && !item.locked;
  $("post-form").classList.toggle("hidden", !open);
  const boardItem = item && item.kind === "trends" ? item : store.latestItemOf("trends");
  if (item && item.kind === "brainstorm") {
    $("board-title").textContent = `${t("list_a")}`;
    const mine = store.cardsOf(item.id).filter((c) => c.group_id === groupId);
    const others = store.cardsOf(item.id).filter((c) => c.group_id !== groupId);
    board.render([{ title: t("from_group"), cards: mine }, { title: t("from_others"), cards: others }], item);
  } else if (boardItem) {
    $("board-title").textContent = `${t("board_of")}: ${boardItem.title}`;
    board.render([{ title: "", cards: store.cardsOf(boardItem.id, groupId) }], boardItem);
  } else {
    $("board-title").textContent = t("board_of");
    board.render([], null);
  }
}
