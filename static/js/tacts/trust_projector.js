// The trust round on the projector (no controls): the prompt on the table, the speaker's name and
// timer in big type, and the queue (who is next, who has spoken); then the common goal and the
// proposals with their supports. User text only goes in through textContent.
import { t } from "../i18n.js";
import { TurnClock, el, nameOf, promptCount, promptOf, proposalsOf, refresh, roundOf } from "./trust_common.js";

export class View {
  constructor({ store, live }, item) {
    this.store = store;
    this.node = el("div", "tr tr-pj");
    this.waiting = el("p", "tr-pj-waiting", t("tr_not_open"));
    this.turns = el("div", "tr-pj-turns");
    this.promptLabel = el("p", "tr-pj-count");
    this.prompt = el("h2", "tr-pj-prompt");
    const stage = el("div", "tr-pj-stage");
    const now = el("div", "tr-pj-now");
    this.nowLabel = el("p", "tr-pj-label", t("tr_speaker"));
    this.speaker = el("p", "tr-pj-speaker");
    this.clock = el("p", "tr-clock tr-pj-clock");
    this.clock.setAttribute("role", "timer");
    this.turn = new TurnClock(this.clock);
    now.append(this.nowLabel, this.speaker, this.clock);
    const side = el("div", "tr-pj-side");
    side.append(el("p", "tr-pj-label", t("tr_queue")));
    this.queue = el("ol", "tr-pj-queue");
    side.append(this.queue);
    stage.append(now, side);
    this.turns.append(this.promptLabel, this.prompt, stage);
    this.goalBox = el("div", "tr-pj-goalbox");
    this.goal = el("p", "tr-pj-goal");
    this.proposals = el("ol", "tr-pj-proposals");
    this.goalBox.append(el("p", "tr-pj-label", t("tr_goal")), this.goal,
      el("p", "tr-pj-label", t("tr_proposals")), this.proposals);
    this.node.append(this.waiting, this.turns, this.goalBox);
    this.item = item;
    refresh(store, live, item);
  }

  update(item) {
    this.item = item;
    const round = roundOf(this.store, item.id);
    this.waiting.classList.toggle("hidden", Boolean(round));
    this.turns.classList.toggle("hidden", !round || round.phase !== "speaking");
    this.goalBox.classList.toggle("hidden", !round || round.phase !== "goal");
    if (!round) return;
    if (round.phase === "speaking") this.speaking(round);
    else this.goalPhase(round);
  }

  speaking(round) {
    const prompt = promptOf(round);
    this.promptLabel.textContent = prompt ? promptCount(round) : "";
    this.prompt.textContent = prompt ? prompt.text : "";
    this.speaker.textContent = round.speaker_id ? nameOf(round, round.speaker_id) : t("tr_no_speaker");
    this.speaker.classList.toggle("is-idle", !round.speaker_id);
    this.clock.classList.toggle("hidden", !round.speaker_id);
    this.turn.set(round.speaker_id ? round.turn : null);
    const spoken = round.spoken[String(round.prompt_id)] || [];
    const ahead = round.queue.filter((q) => q.participant_id !== round.speaker_id && !spoken.includes(q.participant_id));
    const next = ahead[0] ? ahead[0].participant_id : null;
    // Long queues: the speaker, the ones still to speak, then those who have spoken; the box scrolls
    // nowhere, so at most MAX names show and the rest is counted.
    const MAX = 12;
    const now = round.queue.filter((q) => q.participant_id === round.speaker_id);
    const rows = [...now, ...ahead, ...round.queue.filter((q) => !now.includes(q) && !ahead.includes(q))];
    this.queue.replaceChildren(...rows.slice(0, MAX).map((q) => {
      const id = q.participant_id;
      const cls = id === round.speaker_id ? "is-now" : id === next ? "is-next" : spoken.includes(id) ? "is-done" : "";
      const li = el("li", `tr-pj-person ${cls}`);
      li.append(el("span", "tr-pj-name", q.name));
      if (id === next) li.append(el("span", "tr-pj-tag", t("tr_next")));
      if (cls === "is-done") li.append(el("span", "tr-pj-tag", "✓"));
      return li;
    }));
    if (rows.length > MAX) this.queue.append(el("li", "tr-pj-more", `+${rows.length - MAX}`));
  }

  goalPhase(round) {
    this.goal.textContent = round.goal || t("tr_goal_none");
    this.goal.classList.toggle("is-idle", !round.goal);
    const list = proposalsOf(this.store, this.item.id);
    const most = Math.max(1, ...list.map((x) => x.support));
    this.proposals.replaceChildren(...list.slice(0, 8).map((x) => {
      const li = el("li", "tr-pj-proposal");
      const bar = el("span", "tr-pj-bar");
      bar.style.setProperty("--share", `${Math.round((100 * x.support) / most)}%`);
      li.append(el("span", "tr-pj-ptext", x.text), bar, el("span", "tr-pj-support", String(x.support)));
      return li;
    }));
    if (!list.length) this.proposals.append(el("li", "tr-pj-more", t("tr_no_proposals")));
  }

  destroy() { this.turn.destroy(); }
}
