// The item timer on any screen: the server sends remaining seconds at its own "now";
// the client counts down from when it received that, so clocks need not agree.
import { t } from "./i18n.js";

export class TimerView {
  constructor(el) {
    this.el = el;
    this.state = null;
    this.receivedAt = 0;
    setInterval(() => this.render(), 250);
  }

  // Called on every render: only a new timer state from the server restarts the countdown.
  set(timer) {
    if (timer === this.state) return;
    this.state = timer;
    this.receivedAt = performance.now();
    this.render();
  }

  remaining() {
    if (!this.state) return null;
    let left = this.state.remaining_s;
    if (this.state.running) left -= (performance.now() - this.receivedAt) / 1000;
    return left;
  }

  render() {
    if (!this.el) return;
    const left = this.remaining();
    if (left === null) { this.el.textContent = "--:--"; return; }
    const over = left < 0;
    const s = Math.floor(Math.abs(left));
    const text = `${over ? "−" : ""}${String(Math.floor(s / 60)).padStart(2, "0")}:${String(s % 60).padStart(2, "0")}`;
    if (this.el.textContent !== text) this.el.textContent = text;
    this.el.classList.toggle("timer-over", over);
    this.el.classList.toggle("timer-low", !over && left < 60);
    this.el.classList.toggle("timer-paused", !this.state.running);
    this.el.title = over ? t("overtime") : (this.state.running ? "" : t("paused"));
  }
}
