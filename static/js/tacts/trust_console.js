// The trust round in the moderator's console: the prompt on the table and the speaker with their
// timer (start, pause, more time, next speaker), the queue (give the floor, reorder, remove, add
// everyone who joined) with each person's key points, the prompts and the time per speaker, and
// at the end the common goal and the proposals with their supports. Every button waits for the
// server's ack; a refusal shows under the panel.
import { t } from "../i18n.js";
import {
  TurnClock, action, button, el, nameOf, promptCount, promptOf, proposalsOf, refresh, roundOf,
} from "./trust_common.js";

export class View {
  constructor({ store, live }, item) {
    this.store = store;
    this.live = live;
    this.item = item;
    this.busy = false;
    this.opened = false;
    this.node = el("section", "tr tr-console");
    this.node.setAttribute("aria-label", t("tr_queue"));
    const top = el("div", "tr-c-top");
    const now = el("div", "tr-c-now");
    this.count = el("p", "tr-c-count");
    this.prompt = el("h2", "tr-c-prompt");
    this.speaker = el("p", "tr-c-speaker");
    now.append(this.count, this.prompt, this.speaker);
    const clockBox = el("div", "tr-c-clockbox");
    this.clock = el("p", "tr-clock tr-c-clock");
    this.clock.setAttribute("role", "timer");
    this.turn = new TurnClock(this.clock);
    this.toggle = button(t("tr_start"), "tr-c-toggle", () => this.run(
      this.round && this.round.turn.running ? "pause" : "start", { speaker_id: this.round ? this.round.speaker_id : null }));
    this.next = button(t("tr_next"), "tr-c-next", () => this.run("next", { speaker_id: this.round ? this.round.speaker_id : null }));
    const less = button("−30 s", "secondary", () => this.run("extend", { seconds: -30 }));
    const more = button("+30 s", "secondary", () => this.run("extend", { seconds: 30 }));
    const show = button(t("tr_on_projector"), "secondary tr-c-show", () => this.call("show", { mode: "wall" }));
    const buttons = el("div", "tr-c-buttons");
    buttons.append(this.toggle, this.next, less, more);
    clockBox.append(this.clock, buttons, show);
    top.append(now, clockBox);
    this.error = el("p", "error");
    this.error.setAttribute("role", "alert");
    // The queue with each person's key points on the prompt on the table.
    const queueBox = el("div", "tr-c-queuebox");
    queueBox.append(el("h3", "tr-c-h", t("tr_queue")));
    this.queue = el("ol", "tr-c-queue");
    queueBox.append(this.queue, button(t("tr_add_all"), "secondary", () => this.run("set_queue", { fill: true })));
    // Settings: prompts, time per speaker, phase.
    const settings = el("div", "tr-c-settings");
    const promptsLabel = el("label", "tr-c-label", t("tr_prompts"));
    this.prompts = el("textarea", "tr-c-prompts");
    this.prompts.rows = 3;
    this.prompts.id = "tr-c-prompts";
    promptsLabel.htmlFor = this.prompts.id;
    const savePrompts = button(t("tr_save_prompts"), "secondary", () => this.run("set_prompts", { text: this.prompts.value }));
    const minutesLabel = el("label", "tr-c-label", t("tr_turn_length"));
    this.minutes = el("input", "tr-c-minutes");
    this.minutes.type = "number";
    this.minutes.min = "0.5";
    this.minutes.max = "30";
    this.minutes.step = "0.5";
    this.minutes.id = "tr-c-minutes";
    minutesLabel.htmlFor = this.minutes.id;
    const setMinutes = button(t("tr_set"), "secondary", () => this.run("turn_length", { seconds: Math.round(Number(this.minutes.value) * 60) }));
    this.phase = button(t("tr_to_goal"), "secondary tr-c-phase", () => this.run("phase", { phase: this.round && this.round.phase === "goal" ? "speaking" : "goal" }));
    settings.append(promptsLabel, this.prompts, savePrompts, minutesLabel, this.minutes, setMinutes, this.phase);
    // The common goal and the proposals.
    this.goalBox = el("div", "tr-c-goalbox");
    const goalLabel = el("label", "tr-c-label", t("tr_goal"));
    this.goal = el("textarea", "tr-c-goal");
    this.goal.rows = 2;
    this.goal.maxLength = 500;
    this.goal.id = "tr-c-goal";
    goalLabel.htmlFor = this.goal.id;
    this.proposals = el("ol", "tr-c-proposals");
    this.goalBox.append(goalLabel, this.goal, button(t("tr_save_goal"), "", () => this.run("goal", { text: this.goal.value })),
      el("h3", "tr-c-h", t("tr_proposals")), this.proposals);
    const body = el("div", "tr-c-body");
    body.append(queueBox, settings);
    this.node.append(top, this.error, body, this.goalBox);
    refresh(store, live, item);
  }

  async call(event, payload) {
    this.busy = true;
    this.error.textContent = "";
    this.update(this.item);
    const ack = await this.live.call(event, payload);
    this.busy = false;
    if (!ack.ok) this.error.textContent = ack.error || t("error");
    else if (ack.round) this.store.putTactRow("trust_round", "rounds", ack.round);
    else if (ack.proposal) this.store.putTactRow("trust_round", "proposals", ack.proposal);
    this.update(this.item);
    return ack;
  }

  run(name, data) {
    return this.call("tact", { kind: "trust_round", action: name, item_id: this.item.id, ...(data || {}) });
  }

  notes(promptId) {
    return new Map(this.store.tactRows("trust_round", "notes", (n) => n.prompt_id === promptId)
      .map((n) => [n.participant_id, n.text]));
  }

  update(item) {
    this.item = item;
    const round = roundOf(this.store, item.id);
    this.round = round;
    if (!round) {
      // The round is made when the moderator first sees the item (default prompts, everyone).
      if (!this.opened) { this.opened = true; action(this.live, item, "open").then(() => refresh(this.store, this.live, item)); }
      this.count.textContent = t("tr_not_open");
      return;
    }
    const prompt = promptOf(round);
    this.count.textContent = prompt ? promptCount(round) : "";
    this.prompt.textContent = prompt ? prompt.text : "";
    this.speaker.textContent = round.phase === "goal" ? t("tr_goal")
      : round.speaker_id ? `${t("tr_speaker")}: ${nameOf(round, round.speaker_id)}` : t("tr_no_speaker");
    this.turn.set(round.speaker_id ? round.turn : null);
    const speaking = round.phase === "speaking";
    this.toggle.textContent = round.turn.running ? t("tr_pause") : t("tr_start");
    this.toggle.classList.toggle("secondary", round.turn.running);
    for (const b of this.node.querySelectorAll("button")) b.disabled = this.busy;
    this.toggle.disabled = this.busy || !speaking;
    this.next.disabled = this.busy || !speaking;
    this.phase.textContent = speaking ? t("tr_to_goal") : t("tr_to_turns");
    const promptsText = round.prompts.map((p) => p.text).join("\n");
    if (document.activeElement !== this.prompts && this.prompts.dataset.shown !== promptsText) {
      this.prompts.value = promptsText;
      this.prompts.dataset.shown = promptsText;
    }
    if (document.activeElement !== this.minutes) this.minutes.value = String(round.turn.duration_s / 60);
    if (document.activeElement !== this.goal && this.goal.dataset.shown !== round.goal) {
      this.goal.value = round.goal;
      this.goal.dataset.shown = round.goal;
    }
    this.renderQueue(round);
    this.renderProposals();
  }

  renderQueue(round) {
    const ids = round.queue.map((q) => q.participant_id);
    const spoken = round.spoken[String(round.prompt_id)] || [];
    const notes = this.notes(round.prompt_id);
    const move = (n, by) => {
      const order = [...ids];
      const [x] = order.splice(n, 1);
      order.splice(n + by, 0, x);
      return this.run("set_queue", { values: order });
    };
    this.queue.replaceChildren(...round.queue.map((q, n) => {
      const id = q.participant_id;
      const done = spoken.includes(id) && id !== round.speaker_id;
      const li = el("li", `tr-c-person${id === round.speaker_id ? " is-now" : ""}${done ? " is-done" : ""}`);
      const line = el("div", "tr-c-line");
      line.append(el("span", "tr-c-name", q.name));
      if (done) line.append(el("span", "badge", `✓ ${t("tr_spoke")}`));
      const tools = el("span", "tr-c-tools");
      const floor = button(t("tr_give_floor"), "secondary", () => this.run("start", { participant_id: id, speaker_id: round.speaker_id }));
      floor.disabled = this.busy || round.phase !== "speaking" || id === round.speaker_id;
      const up = button("↑", "secondary", () => move(n, -1));
      up.disabled = this.busy || n === 0;
      up.setAttribute("aria-label", `${t("tr_up")}: ${q.name}`);
      const down = button("↓", "secondary", () => move(n, 1));
      down.disabled = this.busy || n === ids.length - 1;
      down.setAttribute("aria-label", `${t("tr_down")}: ${q.name}`);
      const drop = button("✕", "secondary", () => this.run("set_queue", { values: ids.filter((x) => x !== id) }));
      drop.setAttribute("aria-label", `${t("tr_remove")}: ${q.name}`);
      drop.disabled = this.busy;
      tools.append(floor, up, down, drop);
      line.append(tools);
      li.append(line);
      const note = notes.get(id);
      if (note) li.append(el("p", "tr-c-note", note));
      return li;
    }));
  }

  renderProposals() {
    const list = proposalsOf(this.store, this.item.id);
    this.proposals.replaceChildren(...list.map((x) => {
      const li = el("li", "tr-c-proposal");
      const del = button("✕", "secondary", () => this.call("tact", { kind: "trust_round", action: "delete_proposal", id: x.id }));
      del.setAttribute("aria-label", t("tr_delete"));
      del.disabled = this.busy;
      li.append(el("span", "tr-c-ptext", x.text), el("span", "tr-c-by", x.author),
        el("span", "badge", `${x.support} ${t("tr_supports")}`), del);
      return li;
    }));
    if (!list.length) this.proposals.append(el("li", "muted", t("tr_no_proposals")));
  }

  destroy() { this.turn.destroy(); }
}
