// Tact 3's staking panel on the group moderator's board: the settings of the group board
// (budget, staking open/closed, totals revealed, participants may cluster, top N, List B
// locked), all through `board_settings`, and the ranked List B with its totals and ties.
import { t } from "../i18n.js";
import { ackError, button, el, input, labelled, syncChildren, tf } from "./board_common.js";

const STAKING_NEXT = { closed: "open", open: "done", done: "open" };
const STAKING_BUTTON = { closed: "bd_staking_open", open: "bd_staking_close", done: "bd_staking_reopen" };

export class StakingPanel {
  // node: where the panel goes; ctx: {store, live, groupId}
  constructor(node, ctx) {
    this.ctx = ctx;
    this.item = null;
    this.settings = null;
    this.busy = new Set();
    this.build(node);
  }

  build(node) {
    const panel = el("section", "bd-box bd-staking");
    panel.dataset.part = "staking";
    const head = el("div", "bd-box-head");
    this.state = el("span", "badge bd-staking-state");
    this.stakingButton = button("", "staking", "");
    head.append(el("h3", "", t("bd_staking")), this.state, this.stakingButton);

    this.budget = input("budget", "", { type: "number", cls: "bd-num" });
    this.budget.min = "1";
    this.budget.max = "50";
    this.topN = input("top_n", "", { type: "number", cls: "bd-num" });
    this.topN.min = "1";
    this.topN.max = "20";
    this.reveal = checkbox("totals_revealed");
    this.cluster = checkbox("participants_cluster");
    this.lock = button("", "lock", "secondary bd-lock");
    const fields = el("div", "bd-settings");
    fields.append(
      labelled(t("bd_budget"), this.budget, "bd-field bd-field-num"),
      labelled(t("bd_top_n"), this.topN, "bd-field bd-field-num"),
      checkLabel(this.reveal, t("bd_reveal_totals")),
      checkLabel(this.cluster, t("bd_participants_cluster")),
      this.lock,
    );
    this.placed = el("p", "bd-placed muted");
    this.error = el("p", "error bd-settings-error");
    this.error.setAttribute("role", "alert");
    panel.append(head, fields, this.placed, this.error);

    const listB = el("section", "bd-box bd-listb");
    listB.dataset.part = "list-b";
    const bHead = el("div", "bd-box-head");
    this.lockedBadge = el("span", "badge badge-locked hidden", t("bd_list_b_locked"));
    this.hiddenBadge = el("span", "badge badge-hidden hidden", t("bd_totals_hidden"));
    bHead.append(el("h3", "", t("bd_list_b")), this.lockedBadge, this.hiddenBadge);
    this.ranking = el("ol", "bd-rank");
    this.rankNote = el("p", "bd-rank-note muted");
    listB.append(bHead, this.ranking, this.rankNote);
    node.append(panel, listB);

    for (const box of [this.budget, this.topN]) {
      box.addEventListener("change", () => this.saveNumber(box));
      box.addEventListener("keydown", (e) => { if (e.key === "Enter") { e.preventDefault(); this.saveNumber(box); } });
    }
    this.reveal.addEventListener("change", () => this.save({ totals_revealed: this.reveal.checked }, this.reveal));
    this.cluster.addEventListener("change", () => this.save({ participants_cluster: this.cluster.checked }, this.cluster));
    this.stakingButton.addEventListener("click", () => {
      this.save({ staking: STAKING_NEXT[this.settings.staking] || "open" }, this.stakingButton);
    });
    this.lock.addEventListener("click", () => this.save({ list_b_locked: !this.settings.list_b_locked }, this.lock));
  }

  render(item, settings, stakes) {
    this.item = item;
    this.settings = settings;
    this.state.textContent = t(`bd_staking_${settings.staking}`);
    this.state.className = `badge bd-staking-state is-${settings.staking}`;
    this.stakingButton.textContent = t(STAKING_BUTTON[settings.staking] || "bd_staking_open");
    this.stakingButton.dataset.staking = settings.staking;
    setValue(this.budget, settings.budget);
    setValue(this.topN, settings.top_n);
    if (!this.busy.has(this.reveal)) this.reveal.checked = Boolean(settings.totals_revealed);
    if (!this.busy.has(this.cluster)) this.cluster.checked = Boolean(settings.participants_cluster);
    this.lock.textContent = t(settings.list_b_locked ? "bd_unlock_list_b" : "bd_lock_list_b");
    this.lock.setAttribute("aria-pressed", settings.list_b_locked ? "true" : "false");
    this.lock.classList.toggle("is-on", Boolean(settings.list_b_locked));
    for (const b of [this.stakingButton, this.lock]) b.disabled = this.busy.has(b);
    this.renderListB(settings, stakes);
  }

  renderListB(settings, stakes) {
    const rows = stakes ? stakes.list_b : this.ctx.store.listB(this.ctx.groupId);
    const focus = new Set(stakes ? stakes.focus : []);
    const max = Math.max(1, ...rows.map((r) => r.total || 0));
    const placed = rows.reduce((sum, r) => sum + (r.total || 0), 0);
    this.placed.textContent = tf("bd_chips_placed", { n: placed });
    this.lockedBadge.classList.toggle("hidden", !settings.list_b_locked);
    this.hiddenBadge.classList.toggle("hidden", Boolean(settings.totals_revealed || settings.list_b_locked));
    const sig = JSON.stringify([rows, [...focus], settings.top_n]);
    if (this.ranking.dataset.sig === sig) return;
    this.ranking.dataset.sig = sig;
    const items = rows.map((r, i) => {
      const li = el("li", "bd-rank-row");
      li.dataset.initiative = String(r.initiative_id);
      if (focus.has(r.initiative_id)) li.classList.add("is-focus");
      const next = rows[i + 1];
      if (focus.has(r.initiative_id) && next && !focus.has(next.initiative_id)) li.classList.add("is-cut");
      const rank = r.rank == null ? "–" : `${r.tie ? "=" : ""}${r.rank}`;
      const rankNode = el("span", "bd-rank-n", rank);
      if (r.tie) rankNode.title = t("bd_tie");
      const bar = el("span", "bd-rank-bar");
      const fill = el("span", "bd-rank-fill");
      fill.style.width = `${Math.round(((r.total || 0) / max) * 100)}%`;
      bar.append(fill);
      li.append(rankNode, el("span", "bd-rank-name", r.name), bar, el("span", "bd-rank-total", r.total == null ? "" : String(r.total)));
      return li;
    });
    if (!items.length) items.push(el("li", "bd-empty muted", t("bd_no_initiatives")));
    syncChildren(this.ranking, items);
    this.rankNote.textContent = rows.length ? tf("bd_top_note", { n: settings.top_n }) : "";
  }

  saveNumber(box) {
    const value = Number(box.value);
    const field = box.dataset.f;
    if (!Number.isInteger(value) || value < Number(box.min) || value > Number(box.max)) {
      this.error.textContent = tf("bd_number_range", { min: box.min, max: box.max });
      return;
    }
    if (this.settings && this.settings[field] === value) { this.error.textContent = ""; return; }
    this.save({ [field]: value }, box);
  }

  async save(patch, control) {
    if (!this.item || this.busy.has(control)) return;
    this.busy.add(control);
    control.setAttribute("aria-busy", "true");
    this.error.textContent = "";
    if (control.tagName === "BUTTON") control.disabled = true;
    const { store, live, groupId } = this.ctx;
    const ack = await live.call("board_settings", { item_id: this.item.id, group_id: groupId, ...patch });
    this.busy.delete(control);
    control.removeAttribute("aria-busy");
    if (ack && ack.ok && ack.board) {
      const key = `${ack.board.item_id}:${ack.board.group_id}`;
      const old = store.board.boards.get(key);
      if (!old || old.rev <= ack.board.rev) store.board.boards.set(key, ack.board);
    } else if (!ack || !ack.ok) {
      this.error.textContent = ackError(ack);
    }
    store.changed("board");
  }
}

function checkLabel(box, text) {
  const label = el("label", "bd-check");
  label.append(box, el("span", "", text));
  return label;
}

function checkbox(f) {
  const box = el("input");
  box.type = "checkbox";
  box.dataset.f = f;
  return box;
}

// Show the server's number unless the moderator is typing a new one.
function setValue(box, value) {
  if (document.activeElement === box || box.getAttribute("aria-busy") === "true") return;
  box.value = String(value);
}
