// What the views of the trust-communication round share (docs/PROTOCOL.md, "Trust-communication
// round"): the round and its proposals from the store, and the kind's actions.
import { t } from "../i18n.js";

export const KIND = "trust_round";

export function el(tag, cls, text) {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  if (text !== undefined && text !== null) node.textContent = text;
  return node;
}

export function button(text, cls, onClick) {
  const b = el("button", cls, text);
  b.type = "button";
  b.addEventListener("click", onClick);
  return b;
}

export function roundOf(store, itemId) {
  return store.tactRows(KIND, "rounds", (r) => r.item_id === itemId)[0] || null;
}

export function promptOf(round) {
  return round ? round.prompts.find((p) => p.id === round.prompt_id) || null : null;
}

// "Prompt 1 of 2".
export function promptCount(round) {
  const n = round.prompts.findIndex((p) => p.id === round.prompt_id);
  return `${t("tr_prompt")} ${n + 1} ${t("tr_of")} ${round.prompts.length}`;
}

export function nameOf(round, participantId) {
  const q = round && round.queue.find((x) => x.participant_id === participantId);
  return q ? q.name : "";
}

export function spokeOn(round, participantId) {
  return (round.spoken[String(round.prompt_id)] || []).includes(participantId);
}

// Proposals of the item: most supported first.
export function proposalsOf(store, itemId) {
  return store.tactRows(KIND, "proposals", (x) => x.item_id === itemId)
    .sort((a, b) => b.support - a.support || a.id - b.id);
}

export function action(live, item, name, data) {
  return live.call("tact", { kind: KIND, action: name, item_id: item.id, ...(data || {}) });
}

// A fresh copy of the round (its timer counted from now), for a view that (re)mounts.
export async function refresh(store, live, item) {
  const ack = await action(live, item, "state");
  if (ack && ack.ok && ack.round) {
    store.putTactRow(KIND, "rounds", ack.round);
    store.changed("tact", ack.round);
  }
}

// The speaker's timer: counts down from the server's `remaining_s` as the item timer does.
export class TurnClock {
  constructor(node) {
    this.node = node;
    this.turn = null;
    this.at = 0;
    this.tick = setInterval(() => this.render(), 250);
  }

  set(turn) {
    if (turn === this.turn) return;
    this.turn = turn;
    this.at = performance.now();
    this.render();
  }

  render() {
    if (!this.turn) { this.node.textContent = "--:--"; return; }
    let left = this.turn.remaining_s;
    if (this.turn.running) left -= (performance.now() - this.at) / 1000;
    const over = left < 0;
    const s = Math.floor(Math.abs(left));
    const text = `${over ? "−" : ""}${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
    if (this.node.textContent !== text) this.node.textContent = text;
    this.node.classList.toggle("tr-over", over);
    this.node.classList.toggle("tr-low", !over && left < 20);
    this.node.classList.toggle("tr-paused", !this.turn.running);
  }

  destroy() { clearInterval(this.tick); }
}
