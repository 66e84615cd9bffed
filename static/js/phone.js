// The phone view: the current item, a post form that survives drops and reloads, own posts
// with their "saved" mark, and everyone's visible posts of the same board.
import { t } from "./i18n.js";
import { Live, uuid } from "./live.js";
import { Store } from "./store.js";
import { mountTacts } from "./tacts/phone_tacts.js";
import { TimerView } from "./timer.js";

const MAX = 300;
const app = document.getElementById("app");
const sessionId = Number(app.dataset.sessionId);
const meId = Number(app.dataset.participantId);
const $ = (id) => document.getElementById(id);
const store = new Store();
const timer = new TimerView($("timer"));
const failed = [];  // refused posts: shown with the reason, their text kept for the user
const draftKey = `takt.draft.${sessionId}.${meId}`;
let editing = null;  // {id, value, error}: an edit in progress survives live re-renders

const live = new Live({
  sessionId, role: "participant", outboxKey: `takt.outbox.${sessionId}.${meId}`,
  onSnapshot: (snap) => store.load(snap),
  onEvent: (ev) => store.apply(ev),
  onTimer: (tm) => { const it = store.current; if (it) { it.timer = tm; timer.set(tm); } },
  onStatus: (status) => {
    const el = $("conn");
    el.dataset.status = status;
    el.textContent = t(status);
    render();  // pending writes say "sending" or "waiting for the connection"
  },
  onAck: (entry, ack) => {
    if (tacts.onAck(entry, ack)) { render(); return; }
    if (ack && ack.ok) {
      if (ack.card) store.putCard(ack.card);
    } else {
      failed.push({ entry, error: (ack && ack.error) || t("error") });
    }
    render();
  },
  onForbidden: () => removed(),
});
// Tacts 3–5 and the day-1 presentation draw into #tact instead of the post form and cards.
const tacts = mountTacts({ root: $("tact"), store, live, meId, refresh: () => render() });

let myGroup = null;
store.subscribe((what, data) => {
  if (what === "me" && data.removed) { removed(); return; }
  if ((what === "me" || what === "all") && store.me) {
    // Moved to another group: reconnect so that the server puts this phone in its new rooms.
    if (myGroup !== null && store.me.group_id !== myGroup) { live.socket.disconnect(); live.socket.connect(); }
    myGroup = store.me.group_id;
  }
  render();
});

function removed() {
  app.innerHTML = "";
  const p = document.createElement("p");
  p.className = "phone-removed";
  p.textContent = t("removed");
  app.append(p);
}

// -- compose ---------------------------------------------------------------------------
const form = $("post-form");
const textarea = $("post-text");
textarea.value = localStorage.getItem(draftKey) || "";

function updateCount() {
  const left = MAX - textarea.value.trim().length;
  $("chars").textContent = left >= 0 ? t("chars_left").replace("{n}", left) : t("too_long");
  $("chars").classList.toggle("error", left < 0);
}
textarea.addEventListener("input", () => {
  localStorage.setItem(draftKey, textarea.value);
  $("post-error").textContent = "";
  updateCount();
});
textarea.addEventListener("keydown", (e) => {
  if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) form.requestSubmit();
});
form.addEventListener("submit", (e) => {
  e.preventDefault();
  const item = store.current;
  const text = textarea.value.trim();
  if (!item) return;
  if (!text) { $("post-error").textContent = t("empty_text"); textarea.focus(); return; }
  if (text.length > MAX) { $("post-error").textContent = t("too_long"); return; }
  live.enqueue("post_card", { client_id: uuid(), item_id: item.id, text });
  textarea.value = "";
  localStorage.removeItem(draftKey);
  updateCount();
  render();
  textarea.focus();
});

// -- rendering -------------------------------------------------------------------------
function el(tag, cls, text) {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  if (text !== undefined) node.textContent = text;
  return node;
}

function render() {
  const item = store.current;
  $("item-tact").textContent = item ? `${t("day")} ${item.day} · ${item.start_time}` : "";
  $("item-title").textContent = item ? item.title : t("waiting");
  // Which group (or day-two team) this phone works in: it follows a move without a rejoin.
  const group = store.me ? store.groups.get(store.me.group_id) : null;
  $("my-group").textContent = group ? `${t(group.stage === 2 ? "tm_team_label" : "my_group_label")}: ${group.name}` : "";
  $("item-instructions").textContent = item ? item.instructions : "";
  if (item) timer.set(item.timer); else timer.set(null);
  if (tacts.render(item)) {
    form.classList.add("hidden");
    $("closed-note").textContent = "";
    $("mine-section").classList.add("hidden");
    $("all-section").classList.add("hidden");
    return;
  }

  const accepts = Boolean(item && item.accepts_posts);
  const open = accepts && item.state === "active" && !item.locked;
  form.classList.toggle("hidden", !open);
  $("post-label").textContent = item ? item.post_label : "";
  textarea.placeholder = item ? item.post_example : "";
  $("closed-note").textContent = !item ? "" : accepts && !open ? t("closed") : (!accepts ? t("info_item") : "");
  updateCount();

  $("mine-section").classList.toggle("hidden", !accepts);
  $("all-section").classList.toggle("hidden", !accepts);
  if (!accepts) return;

  const mine = $("mine");
  mine.replaceChildren();
  const cards = store.cardsOf(item.id);
  const own = cards.filter((c) => c.participant_id === meId);
  for (const f of failed.filter((x) => x.entry.payload.item_id === item.id)) mine.append(failedCard(f));
  const pending = live.outbox().filter((e) => e.event === "post_card" && e.payload.item_id === item.id
    && !own.some((c) => c.client_id === e.payload.client_id));
  for (const e of pending) mine.append(pendingCard(e));
  for (const c of [...own].reverse()) mine.append(ownCard(c, item, open));
  if (!mine.children.length) mine.append(el("li", "empty", t("no_posts")));

  const all = $("all");
  all.replaceChildren();
  const visible = [...cards].reverse();
  for (const c of visible) {
    const li = el("li", "card", c.text);
    li.append(el("span", "author", c.author));
    all.append(li);
  }
  if (!visible.length) all.append(el("li", "empty", t("no_posts")));
  $("all-title").textContent = `${item.post_scope === "group" ? t("my_group") : t("list_a")} · ${visible.length}`;
}

function pendingCard(entry) {
  const li = el("li", "card", entry.payload.text);
  li.append(el("span", "card-status pending", `⏳ ${live.status === "online" ? t("sending") : t("offline")}`));
  return li;
}

function failedCard(f) {
  const li = el("li", "card", f.entry.payload.text);
  li.append(el("span", "card-status failed", `✗ ${t("not_saved")}: ${f.error}`));
  const actions = el("div", "card-actions");
  const back = el("button", "secondary", t("edit"));
  back.type = "button";
  back.addEventListener("click", () => {
    textarea.value = f.entry.payload.text;
    localStorage.setItem(draftKey, textarea.value);
    failed.splice(failed.indexOf(f), 1);
    render();
    textarea.focus();
  });
  const drop = el("button", "danger", t("delete"));
  drop.type = "button";
  drop.addEventListener("click", () => { failed.splice(failed.indexOf(f), 1); render(); });
  actions.append(back, drop);
  li.append(actions);
  return li;
}

function ownCard(card, item, open) {
  if (open && editing && editing.id === card.id) return editCard(card);
  const li = el("li", "card", card.text);
  li.dataset.id = card.id;
  li.append(el("span", "card-status saved", `✓ ${t("saved")}`));
  if (item.hidden && !card.revealed) li.append(el("span", "card-status", t("hidden")));
  if (open) {
    const actions = el("div", "card-actions");
    const edit = el("button", "secondary", t("edit"));
    edit.type = "button";
    edit.addEventListener("click", () => {
      editing = { id: card.id, value: card.text, error: "" };
      render();
      document.querySelector(`li[data-id="${card.id}"] textarea`)?.focus();
    });
    const del = el("button", "danger", t("delete"));
    del.type = "button";
    del.addEventListener("click", async () => {
      if (!window.confirm(t("confirm_delete"))) return;
      const ack = await live.call("delete_card", { kind: card.kind, id: card.id });
      if (ack.ok) store.putCard(ack.card); else window.alert(ack.error || t("error"));
    });
    actions.append(edit, del);
    li.append(actions);
  }
  return li;
}

function editCard(card) {
  const li = el("li", "card card-edit");
  li.dataset.id = card.id;
  const area = el("textarea");
  area.value = editing.value;
  area.maxLength = 600;
  area.addEventListener("input", () => { editing.value = area.value; });
  const err = el("p", "error", editing.error);
  err.setAttribute("role", "alert");
  const actions = el("div", "card-actions");
  const save = el("button", "", t("save"));
  save.type = "button";
  save.addEventListener("click", async () => {
    const ack = await live.call("edit_card", { kind: card.kind, id: card.id, text: area.value });
    if (ack.ok) { editing = null; store.putCard(ack.card); } else { editing.error = ack.error || t("error"); render(); }
  });
  const cancel = el("button", "secondary", t("cancel"));
  cancel.type = "button";
  cancel.addEventListener("click", () => { editing = null; render(); });
  actions.append(save, cancel);
  li.append(area, err, actions);
  return li;
}

updateCount();
