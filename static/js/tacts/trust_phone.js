// The trust round on a participant's phone: the prompt on the table, who speaks and when it is
// their own turn, a form for the key points of their own turn (saved as they type through the
// outbox: nothing typed is lost to a drop or a reload), then the common goal and the proposals,
// supported with a tap.
import { t } from "../i18n.js";
import { uuid } from "../live.js";
import {
  KIND, TurnClock, button, el, nameOf, promptCount, promptOf, proposalsOf, refresh, roundOf,
} from "./trust_common.js";

const SAVE_AFTER_MS = 600;

export class View {
  constructor({ store, live, meId }, item) {
    this.store = store;
    this.live = live;
    this.meId = meId;
    this.item = item;
    this.node = el("div", "tr tr-phone");
    this.head = el("section", "tr-ph-now");
    this.promptLabel = el("p", "tr-ph-count");
    this.prompt = el("h2", "tr-ph-prompt");
    this.speaker = el("p", "tr-ph-speaker");
    this.clock = el("span", "tr-clock tr-ph-clock");
    this.turn = new TurnClock(this.clock);
    this.mine = el("p", "tr-ph-mine");
    this.head.append(this.promptLabel, this.prompt, this.speaker, this.mine);
    // The key points of my own turn on the prompt on the table.
    this.form = el("section", "tr-ph-points");
    const label = el("label", "tr-ph-label", t("tr_points"));
    label.htmlFor = "tr-points";
    this.area = el("textarea", "tr-ph-area");
    this.area.id = "tr-points";
    this.area.rows = 5;
    this.area.maxLength = 1000;
    this.area.placeholder = t("tr_points_hint");
    this.state = el("p", "tr-ph-state");
    this.state.setAttribute("role", "status");
    this.form.append(label, this.area, this.state);
    this.others = el("ul", "tr-ph-others");
    this.area.addEventListener("input", () => this.typed());
    this.promptId = null;
    this.dirty = false;
    this.error = "";
    // The common goal and the proposals.
    this.goalBox = el("section", "tr-ph-goal hidden");
    this.goal = el("p", "tr-ph-goal-text");
    this.list = el("ul", "tr-ph-proposals");
    const propose = el("form", "tr-ph-propose");
    this.proposal = el("textarea", "tr-ph-area");
    this.proposal.rows = 2;
    this.proposal.maxLength = 300;
    this.proposal.placeholder = t("tr_proposal_ph");
    this.proposal.setAttribute("aria-label", t("tr_proposal_ph"));
    const send = el("button", "tr-ph-send", t("tr_propose"));
    send.type = "submit";
    this.proposeError = el("p", "error");
    this.proposeError.setAttribute("role", "alert");
    propose.append(this.proposal, send, this.proposeError);
    propose.addEventListener("submit", (e) => { e.preventDefault(); this.propose(); });
    this.goalBox.append(el("h3", "tr-ph-h", t("tr_goal")), this.goal,
      el("h3", "tr-ph-h", t("tr_proposals")), this.list, propose);
    this.waiting = el("p", "ph-note", t("tr_not_open"));
    this.node.append(this.waiting, this.head, this.form, this.others, this.goalBox);
    refresh(store, live, item);
  }

  outboxKey(promptId) { return `trust:${this.item.id}:${promptId}`; }

  pending(promptId) {
    return this.live.outbox().find((e) => e.id === this.outboxKey(promptId)) || null;
  }

  myNote(promptId) {
    return this.store.tactRows(KIND, "notes",
      (n) => n.prompt_id === promptId && n.participant_id === this.meId)[0] || null;
  }

  typed() {
    this.dirty = true;
    this.error = "";
    clearTimeout(this.timer);
    const promptId = this.promptId;
    this.state.textContent = t("tr_saving");
    this.typing = true;
    this.timer = setTimeout(() => {
      this.typing = false;
      this.live.enqueue("tact", { kind: KIND, action: "note", item_id: this.item.id,
        prompt_id: promptId, text: this.area.value }, this.outboxKey(promptId));
      this.showState();
    }, SAVE_AFTER_MS);
  }

  onAck(entry, ack) {
    const p = entry.payload;
    if (p.action === "note") {
      if (ack && ack.ok && ack.note) this.store.putTactRow(KIND, "notes", ack.note);
      else if (p.prompt_id === this.promptId) this.error = (ack && ack.error) || t("error");
      if (p.prompt_id === this.promptId && !this.pending(p.prompt_id)) this.dirty = false;
    } else if (p.action === "propose") {
      if (ack && ack.ok) this.store.putTactRow(KIND, "proposals", ack.proposal);
      else { this.proposeError.textContent = (ack && ack.error) || t("error"); this.proposal.value = p.text; }
    }
    this.update(this.item);
  }

  showState() {
    if (this.error) { this.state.textContent = `✗ ${this.error}`; this.state.className = "tr-ph-state error"; return; }
    this.state.className = "tr-ph-state";
    if (this.typing) this.state.textContent = t("tr_saving");
    else if (this.pending(this.promptId)) this.state.textContent = this.live.status === "online" ? t("tr_saving") : t("tr_waiting");
    else if (this.myNote(this.promptId)) this.state.textContent = `✓ ${t("tr_saved")}`;
    else this.state.textContent = "";
  }

  propose() {
    const text = this.proposal.value.trim();
    this.proposeError.textContent = "";
    if (!text) { this.proposeError.textContent = t("empty_text"); return; }
    this.live.enqueue("tact", { kind: KIND, action: "propose", item_id: this.item.id,
      client_id: uuid(), text });
    this.proposal.value = "";
    this.update(this.item);
  }

  async support(x, on) {
    const ack = await this.live.call("tact", { kind: KIND, action: "support",
      proposal_id: x.id, on });
    if (ack.ok) { this.store.putTactRow(KIND, "proposals", ack.proposal); this.update(this.item); }
    else this.proposeError.textContent = ack.error || t("error");
  }

  update(item) {
    this.item = item;
    const round = roundOf(this.store, item.id);
    this.waiting.classList.toggle("hidden", Boolean(round));
    const open = item.state === "active" && !item.locked;
    for (const n of [this.head, this.form, this.others]) n.classList.toggle("hidden", !round || round.phase !== "speaking");
    this.goalBox.classList.toggle("hidden", !round || round.phase !== "goal");
    if (!round) return;
    if (round.phase === "speaking") this.speaking(round, open);
    else this.goalPhase(round, open);
  }

  speaking(round, open) {
    const prompt = promptOf(round);
    this.promptLabel.textContent = prompt ? promptCount(round) : "";
    this.prompt.textContent = prompt ? prompt.text : "";
    const me = this.meId;
    this.speaker.replaceChildren();
    if (round.speaker_id) {
      this.speaker.append(el("span", "tr-ph-who", `${t("tr_speaker")}: ${nameOf(round, round.speaker_id)}`), this.clock);
      this.turn.set(round.turn);
    } else this.speaker.append(el("span", "tr-ph-who", t("tr_no_speaker")));
    const queue = round.queue.map((q) => q.participant_id);
    const place = queue.indexOf(me);
    const spoken = round.spoken[String(round.prompt_id)] || [];
    const ahead = queue.filter((id) => id !== round.speaker_id && !spoken.includes(id));
    this.mine.className = "tr-ph-mine";
    if (round.speaker_id === me) { this.mine.textContent = t("tr_your_turn"); this.mine.classList.add("is-now"); }
    else if (place < 0) this.mine.textContent = t("tr_not_in_queue");
    else if (ahead[0] === me) { this.mine.textContent = t("tr_soon"); this.mine.classList.add("is-soon"); }
    else this.mine.textContent = t("tr_place").replace("{n}", place + 1);
    // The form follows the prompt on the table; typing is never overwritten by an update.
    if (prompt && prompt.id !== this.promptId) {
      this.promptId = prompt.id;
      this.dirty = false;
      this.error = "";
    }
    if (prompt && !this.dirty && document.activeElement !== this.area) {
      const pending = this.pending(prompt.id);
      const note = this.myNote(prompt.id);
      const value = pending ? pending.payload.text : note ? note.text : "";
      if (this.area.value !== value) this.area.value = value;
    }
    this.area.disabled = !open || !prompt;
    this.showState();
    // My points on the other prompts, for reading back.
    this.others.replaceChildren(...round.prompts.filter((p) => p.id !== round.prompt_id).map((p) => {
      const note = this.myNote(p.id);
      if (!note || !note.text) return null;
      const li = el("li", "tr-ph-other");
      li.append(el("b", "", p.text), el("span", "", note.text));
      return li;
    }).filter(Boolean));
  }

  goalPhase(round, open) {
    this.goal.textContent = round.goal || t("tr_goal_none");
    this.goal.classList.toggle("muted", !round.goal);
    const proposals = proposalsOf(this.store, this.item.id);
    const sending = this.live.outbox().filter((e) => e.event === "tact" && e.payload.action === "propose"
      && e.payload.item_id === this.item.id && !proposals.some((x) => x.client_id === e.payload.client_id));
    this.list.replaceChildren(...sending.map((e) => {
      const li = el("li", "tr-ph-proposal is-pending", e.payload.text);
      li.append(el("span", "tr-ph-count", `⏳ ${t("sending")}`));
      return li;
    }), ...proposals.map((x) => {
      const li = el("li", "tr-ph-proposal");
      const on = x.supporters.includes(this.meId);
      const b = button(on ? `✓ ${t("tr_supported")}` : t("tr_support"), on ? "tr-ph-support is-on" : "tr-ph-support secondary",
        () => this.support(x, !on));
      b.setAttribute("aria-pressed", on ? "true" : "false");
      b.disabled = !open;
      li.append(el("span", "tr-ph-text", x.text), el("span", "tr-ph-by", x.author),
        el("span", "tr-ph-count", `${x.support} ${t("tr_supports")}`), b);
      return li;
    }));
    if (!proposals.length && !sending.length) this.list.append(el("li", "empty", t("tr_no_proposals")));
    this.proposal.disabled = !open;
  }

  destroy() { clearTimeout(this.timer); this.turn.destroy(); }
}
