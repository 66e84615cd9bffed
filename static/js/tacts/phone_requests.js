// Tact 6 on a participant's phone: requests between groups (docs/PROTOCOL.md, "Tacts 6–7").
// Two tabs: the requests to my group, which the group discusses, accepts or declines and answers
// with solutions, and the requests my group sent, with the form to send one more. The forms are
// built once and kept across live updates, so a half-typed text keeps its focus.
import { t } from "../i18n.js";
import { uuid } from "../live.js";
import { button, el, field, fill, keyed, refusedRow, setOptions, stateLine, textError } from "./phone_common.js";

const NEEDS = ["resource", "action", "expertise", "other"];
const TEXT_MAX = 500;
const SOLUTION_MAX = 500;
// The receiving group's moves (PROTOCOL.md, "Who may change a request's status").
const ANSWERS = [["discussing", "discuss"], ["accepted", "accept"], ["declined", "decline"]];
// The writes whose acks this module takes (phone_common's Writes takes tacts 3–5's).
const EVENTS = new Set(["send_request", "answer_request", "set_request_status", "withdraw_request"]);

// An ack of this module's writes: the saved request goes into the store, a refusal is kept with
// its reason (and code) for the row it belongs to. Returns false for other events.
export function requestsAck(writes, entry, ack) {
  if (!EVENTS.has(entry.event)) return false;
  if (ack && ack.ok) {
    if (ack.request) writes.store.putRow(writes.store.board.requests, ack.request);
    return true;
  }
  writes.refused.push({ entry, error: (ack && ack.error) || t("error"), code: ack && ack.code });
  return true;
}

const statusKey = (id) => `request-status:${id}`;

export class RequestsView {
  constructor(ctx, item) {
    this.ctx = ctx;
    this.item = item;
    this.tab = "in";
    this.rowsIn = new Map();
    this.rowsOut = new Map();
    this.node = el("div", "ph-view ph-requests");
    this.note = el("p", "ph-note");
    this.tabs = el("div", "ph-tabs");
    this.tabs.setAttribute("role", "tablist");
    this.tabIn = this.tabButton("in", t("ph6_incoming"));
    this.tabOut = this.tabButton("out", t("ph6_sent"));
    this.badge = el("span", "ph-badge");
    this.tabIn.append(this.badge);
    this.sentCount = el("span", "ph-tab-count");
    this.tabOut.append(this.sentCount);
    this.tabs.append(this.tabIn, this.tabOut);
    this.paneIn = el("section", "ph-pane");
    this.paneIn.dataset.pane = "in";
    this.listIn = el("ul", "ph-reqs");
    this.emptyIn = el("p", "ph-hint", t("ph6_no_incoming"));
    this.paneIn.append(this.listIn, this.emptyIn);
    this.paneOut = el("section", "ph-pane");
    this.paneOut.dataset.pane = "out";
    this.refusedOut = el("ul", "ph-rows");
    this.listOut = el("ul", "ph-reqs");
    this.emptyOut = el("p", "ph-hint", t("ph6_no_sent"));
    this.sender = this.sendForm();
    this.paneOut.append(this.refusedOut, this.listOut, this.emptyOut, this.sender.node);
    this.node.append(this.note, this.tabs, this.paneIn, this.paneOut);
  }

  destroy() {}

  tabButton(tab, label) {
    const b = button("", "ph-tab", () => { this.tab = tab; this.update(); });
    b.dataset.tab = tab;
    b.setAttribute("role", "tab");
    b.append(el("span", "ph-tab-label", label));
    return b;
  }

  // The status a request shows: the one this phone sent last while unacknowledged, else stored.
  statusOf(r) {
    const sent = this.ctx.writes.pending("set_request_status", (p) => p.id === r.id);
    return sent.length ? sent[sent.length - 1].payload.status : r.status;
  }

  update() {
    const { store, group, writes } = this.ctx;
    const item = store.items.get(this.item.id) || this.item;
    const open = item.state === "active" && !item.locked;
    this.note.textContent = open ? "" : t("closed");

    const incoming = store.requestsOf(group, "in");
    const fresh = incoming.filter((r) => this.statusOf(r) === "new").length;
    this.badge.textContent = fresh ? String(fresh) : "";
    this.badge.dataset.count = fresh;
    this.badge.setAttribute("aria-label", fill("ph6_new_n", { n: fresh }));
    this.badge.hidden = !fresh;

    const withdrawn = new Set(writes.pending("withdraw_request").map((e) => e.payload.id));
    const sent = store.requestsOf(group, "out");
    const saved = new Set(sent.map((r) => r.client_id));
    const waiting = writes.pending("send_request", (p) => !saved.has(p.client_id));
    this.sentCount.textContent = String(sent.length + waiting.length);
    for (const [b, tab] of [[this.tabIn, "in"], [this.tabOut, "out"]]) {
      b.setAttribute("aria-selected", String(this.tab === tab));
      b.classList.toggle("ph-tab-on", this.tab === tab);
    }
    this.paneIn.hidden = this.tab !== "in";
    this.paneOut.hidden = this.tab !== "out";

    const partsIn = keyed(this.listIn, this.rowsIn, incoming.map((r) => r.id), (id) => this.requestRow(id, "in"));
    partsIn.forEach((part, i) => part.update(incoming[i], open));
    this.emptyIn.hidden = incoming.length > 0;

    // Sent: the refused ones on top (their text kept), then the ones waiting, then the saved.
    const top = writes.failed("send_request").map((f) => refusedRow(writes, f, f.entry.payload.text,
      open && this.sender.restore, this.ctx.refresh));
    for (const e of [...waiting].reverse()) top.push(this.pendingRow(e.payload));
    this.refusedOut.replaceChildren(...top);
    const shown = sent.filter((r) => !withdrawn.has(r.id));
    const partsOut = keyed(this.listOut, this.rowsOut, shown.map((r) => r.id), (id) => this.requestRow(id, "out"));
    partsOut.forEach((part, i) => part.update(shown[i], open));
    this.emptyOut.hidden = shown.length > 0 || top.length > 0;
    this.sender.update(open);
  }

  // The lines a request shows on both sides: who, for which initiative, the need, the text.
  head(r, side, status) {
    const { store } = this.ctx;
    const other = store.groups.get(side === "in" ? r.from_group_id : r.to_group_id);
    const top = el("div", "ph-req-top");
    top.append(el("span", "ph-req-group", fill(side === "in" ? "ph6_from_group" : "ph6_to_group",
      { group: other ? other.name : "—" })));
    const pill = el("span", `ph-status ph-status-${status}`, t(`ph6_status_${status}`));
    pill.dataset.status = status;
    top.append(pill);
    const meta = el("div", "ph-req-meta");
    meta.append(el("span", `ph-need ph-need-${r.need}`, t(`ph6_need_${r.need}`)));
    // The other group's initiatives are not in a participant's store: the request names it.
    const initiative = r.initiative_name || store.board.initiatives.get(r.initiative_id)?.name;
    if (initiative) meta.append(el("span", "ph-req-init", fill("ph6_for_initiative", { name: initiative })));
    return [top, meta, el("p", "ph-req-text", r.text)];
  }

  pendingRow(p) {
    const li = el("li", "ph-row ph-pending ph-req-pending");
    li.append(...this.head({ ...p, from_group_id: this.ctx.group }, "out", "new"));
    li.append(stateLine("pending", this.ctx.writes.waiting()));
    return li;
  }

  // One request, kept across updates (so its solution form keeps what is typed in it).
  requestRow(id, side) {
    const { writes } = this.ctx;
    const node = el("li", "ph-req");
    node.dataset.requestId = id;
    const body = el("div", "ph-req-body");
    const solutions = el("ul", "ph-solutions");
    const state = el("div", "ph-req-state");
    const actions = el("div", "ph-actions ph-req-actions");
    node.append(body, solutions, state, actions);
    let answer = null;
    if (side === "in") {
      answer = this.solutionForm(id);
      node.append(answer.node);
    }
    return {
      node,
      update: (r, open) => {
        const status = this.statusOf(r);
        node.dataset.status = status;
        node.classList.toggle("ph-req-new", side === "in" && status === "new");
        body.replaceChildren(...this.head(r, side, status));
        this.updateSolutions(solutions, r, answer, open);
        const lines = [];
        if (writes.pending("set_request_status", (p) => p.id === id).length
          || writes.pending("withdraw_request", (p) => p.id === id).length) {
          lines.push(stateLine("pending", writes.waiting()));
        }
        for (const f of [...writes.failed("set_request_status", (p) => p.id === id),
          ...writes.failed("withdraw_request", (p) => p.id === id)]) {
          const line = el("div", "ph-req-refused");
          line.append(stateLine("failed", `✗ ${t("not_saved")}: ${f.error}`),
            button(t("ph6_ok"), "secondary", () => { writes.forget(f); this.ctx.refresh(); }));
          lines.push(line);
        }
        state.replaceChildren(...lines);
        actions.replaceChildren(...(open ? this.actionsFor(r, side, status) : []));
        actions.hidden = !actions.children.length;
        if (answer) answer.update(open && status !== "done" && status !== "declined");
      },
    };
  }

  // The receiving group answers; the sending group marks done or withdraws.
  actionsFor(r, side, status) {
    const { writes } = this.ctx;
    const setStatus = (to) => writes.send("set_request_status", { id: r.id, status: to }, statusKey(r.id));
    if (side === "in") {
      if (status === "done") return [];
      return ANSWERS.map(([to, action]) => {
        const b = button(t(`ph6_${action}`), to === status ? "ph-answer ph-answer-on" : "secondary ph-answer", () => {
          if (to !== status) { setStatus(to); this.ctx.refresh(); }
        });
        b.dataset.action = action;
        b.setAttribute("aria-pressed", String(to === status));
        return b;
      });
    }
    if (status === "accepted") {
      const b = button(t("ph6_mark_done"), "", () => { setStatus("done"); this.ctx.refresh(); });
      b.dataset.action = "mark-done";
      return [b];
    }
    if (status === "new") {
      const b = button(t("ph6_withdraw"), "danger", () => {
        if (!window.confirm(t("ph6_confirm_withdraw"))) return;
        writes.send("withdraw_request", { id: r.id }, statusKey(r.id));
        this.ctx.refresh();
      });
      b.dataset.action = "withdraw";
      return [b];
    }
    return [];
  }

  // The solutions proposed so far, with this phone's unsaved and refused ones.
  updateSolutions(ul, r, answer, open) {
    const { writes } = this.ctx;
    const items = (r.solutions || []).map((s) => {
      const li = el("li", "ph-solution");
      li.dataset.solutionId = s.id;
      li.append(el("span", "ph-solution-text", s.text));
      if (s.author) li.append(el("span", "ph-author", s.author));
      return li;
    });
    const saved = new Set((r.solutions || []).map((s) => s.client_id));
    for (const e of writes.pending("answer_request", (p) => p.request_id === r.id && !saved.has(p.client_id))) {
      const li = el("li", "ph-solution ph-pending");
      li.append(el("span", "ph-solution-text", e.payload.text), stateLine("pending", writes.waiting()));
      items.push(li);
    }
    for (const f of writes.failed("answer_request", (p) => p.request_id === r.id)) {
      items.push(refusedRow(writes, f, f.entry.payload.text, answer && open && answer.restore, this.ctx.refresh));
    }
    if (items.length) items.unshift(el("li", "ph-solutions-title", t("ph6_solutions")));
    ul.replaceChildren(...items);
  }

  // A short form under an incoming request: a solution the group proposes.
  solutionForm(requestId) {
    const { writes } = this.ctx;
    const form = el("form", "ph-form ph-solution-form");
    form.noValidate = true;
    const input = el("textarea");
    input.name = "text";
    input.rows = 2;
    input.maxLength = SOLUTION_MAX;
    input.placeholder = t("ph6_solution_placeholder");
    input.setAttribute("aria-label", t("ph6_propose_solution"));
    const submit = el("button", "secondary", t("ph6_propose"));
    submit.type = "submit";
    submit.dataset.action = "answer";
    const err = el("p", "error");
    err.setAttribute("role", "alert");
    form.append(input, submit, err);
    input.addEventListener("input", () => { err.textContent = ""; });
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      const text = input.value.trim();
      err.textContent = textError(text, SOLUTION_MAX);
      if (err.textContent) return;
      writes.send("answer_request", { client_id: uuid(), request_id: requestId, text });
      input.value = "";
      this.ctx.refresh();
    });
    return {
      node: form,
      update: (open) => { form.hidden = !open; },
      restore: (p) => { input.value = p.text; input.focus(); },
    };
  }

  // The form to send a request: to which group, for which of my group's initiatives, the need, text.
  sendForm() {
    const { store, writes } = this.ctx;
    const pre = "ph-req";
    const form = el("form", "ph-form ph-req-form");
    form.noValidate = true;
    const to = el("select");
    to.name = "to_group";
    const initiative = el("select");
    initiative.name = "initiative";
    const needs = el("fieldset", "ph-marks ph-needs");
    needs.append(el("legend", "", t("ph6_need")));
    for (const n of NEEDS) {
      const label = el("label", "ph-mark-choice");
      const radio = el("input");
      radio.type = "radio";
      radio.name = `${pre}-need`;
      radio.value = n;
      label.append(radio, el("span", "", t(`ph6_need_${n}`)));
      needs.append(label);
    }
    const text = el("textarea");
    text.name = "text";
    text.rows = 3;
    text.maxLength = TEXT_MAX;
    text.placeholder = t("ph6_text_placeholder");
    const count = el("span", "ph-count muted");
    const err = el("p", "error");
    err.setAttribute("role", "alert");
    const submit = el("button", "ph-submit", t("ph6_send"));
    submit.type = "submit";
    submit.dataset.action = "send-request";
    const none = el("p", "ph-hint");
    form.append(el("h3", "ph-form-title", t("ph6_new_request")), none,
      field(t("ph6_to_which"), to, `${pre}-to`), field(t("ph6_for_which"), initiative, `${pre}-init`),
      needs, field(t("ph6_text"), text, `${pre}-text`), count, submit, err);
    const need = () => form.querySelector(`input[name="${pre}-need"]:checked`)?.value || "";
    const counted = () => {
      const left = TEXT_MAX - text.value.trim().length;
      count.textContent = left >= 0 ? t("chars_left").replace("{n}", left) : t("too_long");
    };
    form.addEventListener("input", () => { err.textContent = ""; counted(); });
    form.addEventListener("change", () => { err.textContent = ""; });
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      const body = text.value.trim();
      err.textContent = !to.value ? t("ph6_choose_group") : !initiative.value ? t("ph6_choose_initiative")
        : !need() ? t("ph6_choose_need") : textError(body, TEXT_MAX);
      if (err.textContent) return;
      writes.send("send_request", { client_id: uuid(), item_id: this.item.id, initiative_id: Number(initiative.value),
        to_group_id: Number(to.value), need: need(), text: body });
      text.value = "";
      counted();
      this.ctx.refresh();
    });
    counted();
    return {
      node: form,
      update: (open) => {
        const { group } = this.ctx;
        const groups = store.activeGroups().filter((g) => g.id !== group);
        const focus = store.focusOf(group);
        setOptions(to, [["", t("ph6_choose_group")], ...groups.map((g) => [String(g.id), g.name])]);
        setOptions(initiative, [...(focus.length === 1 ? [] : [["", t("ph6_choose_initiative")]]),
          ...focus.map((x) => [String(x.id), x.name])]);
        none.textContent = !groups.length ? t("ph6_no_other_groups") : !focus.length ? t("ph_no_focus") : "";
        form.hidden = !open;
        submit.disabled = !groups.length || !focus.length;
      },
      restore: (p) => {
        to.value = String(p.to_group_id);
        initiative.value = String(p.initiative_id);
        const radio = form.querySelector(`input[name="${pre}-need"][value="${p.need}"]`);
        if (radio) radio.checked = true;
        text.value = p.text;
        counted();
        text.focus();
      },
    };
  }
}
