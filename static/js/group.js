// A group moderator's board: the group's cards of the current tact (or, in a plenary tact, List A
// with this group's ideas marked), live; edit, merge, delete; the moderator can also add a card
// for the group (typed from a flip chart, say).
import { Board, ackError, el } from "./board.js";
import { t } from "./i18n.js";
import { Live, uuid } from "./live.js";
import { Store } from "./store.js";
import { SuggestionsPanel } from "./suggestions.js";
import { TactBoards } from "./tacts/board_tacts.js";
import { TimerView } from "./timer.js";

const MAX_TEXT = 300;
const root = document.getElementById("group-board");
const groupId = Number(root.dataset.groupId);
const $ = (id) => document.getElementById(id);
const notStarted = $("cur-title").textContent;
const store = new Store();
const timer = new TimerView($("cur-timer"));
let shownTimer = null;
let filter = "all";
let pending = null; // {text, client_id}: a resend of the same text reuses the id (no duplicates)
let posting = false;
let postAgain = false; // Enter pressed while a post was in flight: send the box's text after it

const live = new Live({
  sessionId: Number(root.dataset.sessionId), role: "staff",
  // Tact 8's slide edits go through an outbox: a drop or a reload of the laptop loses nothing.
  outboxKey: `takt.outbox.board.${root.dataset.sessionId}.${groupId}`,
  onAck: (entry, ack) => tactBoards.onAck(entry, ack),
  onSnapshot: (snap) => store.load(snap),
  onEvent: (ev) => store.apply(ev),
  onTimer: (tm) => { if (store.current) { store.current.timer = tm; render(); } },
  onStatus: (status) => {
    $("conn").dataset.status = status;
    $("conn").textContent = status === "offline" ? t("mod_offline") : t(status);
  },
});
const board = new Board($("board"), {
  live, canReveal: false, hint: $("merge-hint"), onCard: (card) => card && store.putCard(card),
});
const tactBoards = new TactBoards($("tact-board"), { store, live, groupId });
const suggestions = new SuggestionsPanel($("suggestions"), { store, live, groupId });
store.subscribe((what) => { if (what !== "participant") render(); });

// -- posting a card for the group ------------------------------------------------------
const area = $("post-text");
$("post-keys").textContent = t("post_keys");

function updateCount() {
  const left = MAX_TEXT - area.value.length;
  $("post-count").textContent = t("chars_left").replace("{n}", left);
}
area.addEventListener("input", () => { updateCount(); $("post-error").textContent = ""; });
area.addEventListener("keydown", (e) => {
  if (e.key === "Enter" && !e.shiftKey && !e.isComposing) { e.preventDefault(); $("post-form").requestSubmit(); }
});
updateCount();

$("post-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  if (posting) { postAgain = true; return; }
  const item = store.current;
  const text = area.value.trim();
  if (!item) { $("post-error").textContent = t("closed"); return; }
  if (!text) { $("post-error").textContent = t("empty_text"); return; }
  if (text.length > MAX_TEXT) { $("post-error").textContent = t("too_long"); return; }
  if (!pending || pending.text !== text) pending = { text, client_id: uuid() };
  posting = true;
  $("post-button").disabled = true;
  $("post-button").textContent = t("sending");
  const ack = await live.call("post_card", {
    client_id: pending.client_id, item_id: item.id, text, group_id: groupId,
  });
  posting = false;
  $("post-button").disabled = false;
  $("post-button").textContent = $("post-button").dataset.label;
  if (ack && ack.ok) {
    pending = null;
    // Clear the box only if it still holds what was sent: the moderator may have typed the
    // next card while this one was on its way.
    if (area.value.trim() === text) area.value = "";
    updateCount();
    $("post-error").textContent = "";
    store.putCard(ack.card);
  } else {
    postAgain = false;
    $("post-error").textContent = ackError(ack);
  }
  area.focus();
  if (postAgain) {
    postAgain = false;
    if (area.value.trim()) $("post-form").requestSubmit();
  }
});
$("post-button").dataset.label = $("post-button").textContent;

// -- filter of a plenary board ---------------------------------------------------------
$("board-filter").addEventListener("click", (e) => {
  const b = e.target.closest("[data-filter]");
  if (!b) return;
  filter = b.dataset.filter;
  render();
});

// -- rendering -------------------------------------------------------------------------
function shortTitle(item) {
  if (!item.tact) return item.title;
  const rest = item.title.replace(new RegExp(`^\\S+\\s+${item.tact}\\s*[.:·—–-]\\s*`), "");
  return rest || item.title;
}

function render() {
  const item = store.current;
  const group = store.groups.get(groupId);
  if (group) {
    $("group-name").textContent = group.name;
    $("group-frame").textContent = group.subject_frame || "";
    $("group-frame-row").classList.toggle("hidden", !group.subject_frame);
  }
  $("cur-tact").textContent = item
    ? [item.tact ? `${t("tact")} ${item.tact}` : "", item.start_time].filter(Boolean).join(" · ") : "";
  const flags = [];
  if (item && item.locked) flags.push(el("span", "badge badge-locked", t("locked")));
  if (item && item.hidden) flags.push(el("span", "badge badge-hidden", t("posts_hidden")));
  $("cur-flags").replaceChildren(...flags);
  $("cur-title").textContent = item ? shortTitle(item) : notStarted;
  $("cur-instructions").textContent = item ? item.instructions || "" : "";
  const tm = item ? item.timer : null;
  if (tm !== shownTimer) { shownTimer = tm; timer.set(tm); }
  suggestions.render(item);

  // Tacts 3–5 have their own boards (initiatives, stakeholders, resources) instead of cards.
  const onTactBoard = tactBoards.render(item);
  $("card-board").classList.toggle("hidden", onTactBoard);
  if (onTactBoard) {
    $("post-form").classList.add("hidden");
    $("post-closed").classList.add("hidden");
    return;
  }

  const accepts = Boolean(item && item.accepts_posts && item.state === "active");
  const open = accepts && !item.locked;
  $("post-form").classList.toggle("hidden", !open);
  $("post-closed").classList.toggle("hidden", !(accepts && item.locked));
  $("post-closed").textContent = t("locked");

  const boardItem = item && item.accepts_posts ? item : store.latestItemOf((i) => i.accepts_posts);
  const filterBox = $("board-filter");
  if (!boardItem) {
    $("board-title").textContent = t("board_of");
    $("board-state").classList.add("hidden");
    $("board-count").textContent = "";
    filterBox.classList.add("hidden");
    board.render(null, [{ key: "none", title: "", cards: [] }]);
    return;
  }
  $("board-title").textContent = `${t("board_of")}: ${shortTitle(boardItem)}`;
  const isCurrent = item && boardItem.id === item.id;
  $("board-state").className = `badge badge-${boardItem.state}${isCurrent ? " hidden" : ""}`;
  $("board-state").textContent = t(boardItem.state === "active" ? "current" : boardItem.state);
  if (boardItem.post_scope === "group") {
    filterBox.classList.add("hidden");
    const cards = store.cardsOf(boardItem.id, groupId);
    $("board-count").textContent = t("cards_n").replace("{n}", cards.length);
    board.render(boardItem, [{ key: "group", title: "", cards }]);
    return;
  }
  // A plenary board (List A): everything, with this group's ideas marked; or only this group's.
  const all = store.cardsOf(boardItem.id);
  const mine = all.filter((c) => c.group_id === groupId);
  filterBox.classList.remove("hidden");
  for (const b of filterBox.querySelectorAll("[data-filter]")) {
    const on = b.dataset.filter === filter;
    b.classList.toggle("is-on", on);
    b.setAttribute("aria-pressed", on ? "true" : "false");
    b.textContent = b.dataset.filter === "all" ? `${t("all_posts")} · ${all.length}` : `${t("from_group")} · ${mine.length}`;
  }
  $("board-count").textContent = "";
  board.render(boardItem, [{ key: "plenary", title: "", cards: filter === "mine" ? mine : all }],
    { mark: (c) => (c.group_id === groupId ? t("from_group") : "") });
}
