// Tact 6 on the group moderator's board (docs/PROTOCOL.md, "Tacts 6–7"): the requests other
// groups sent to this one (discuss, accept, decline, propose solutions), the ones this group
// sent (mark done once accepted, withdraw while new), a form to send one, and a summary of
// requests per group and status. The server decides who may move a request where; a refusal
// shows its message on the request.
import { t } from "../i18n.js";
import { uuid } from "../live.js";
import {
  Keyed, ackError, button, clearSent, el, fillOptions, focusAddress, focusControl, input, labelled, putRows,
  restoreFocus, select, syncChildren, tf,
} from "./board_common.js";

export const NEEDS = ["resource", "action", "expertise", "other"];
export const STATUSES = ["new", "discussing", "accepted", "declined", "done"];
const MAX_REQUEST = 500;
const MAX_SOLUTION = 500;
// What the receiving group may move a request to, by its status (the server has the last word).
const ANSWERS = {
  new: ["discussing", "accepted", "declined"],
  discussing: ["accepted", "declined"],
  accepted: ["discussing", "declined"],
  declined: ["discussing"],
  done: [],
};

export function statusBadge(status) {
  return el("span", `badge bd6-status bd6-status-${status}`, t(`bd6_status_${status}`));
}

export function needBadge(need) {
  return el("span", `badge bd6-need bd6-need-${need}`, t(`bd6_need_${need}`));
}

export class RequestsView {
  // ctx: see TactBoards (store, live, groupId, announce, notice, focus)
  constructor(root, ctx) {
    this.root = root;
    this.ctx = ctx;
    this.item = null;
    this.withdrawing = null; // id of the sent request whose withdrawal waits for a yes
    this.busy = new Set();
    this.errors = new Map();
    this.keyed = new Keyed();
    this.pending = null; // {sig, client_id}: a resend of the same request reuses its client id
    this.pendingSolutions = new Map(); // request id -> {text, client_id}
    this.summarySig = null;
    this.sending = false;
    this.build();
  }

  build() {
    // The form to send a request.
    this.form = el("form", "bd-box bd6-send");
    this.form.noValidate = true;
    this.toGroup = select("req-to", [], "", t("bd6_send_to"));
    this.initiative = select("req-initiative", [], "", t("bd6_send_for"));
    this.needs = el("fieldset", "bd6-needs");
    this.needs.append(el("legend", "bd-field-label", t("bd6_need")));
    for (const need of NEEDS) {
      const radio = el("input");
      radio.type = "radio";
      radio.name = "bd6-need";
      radio.value = need;
      radio.checked = need === "resource";
      const label = el("label", `bd6-need-choice bd6-need-${need}`);
      label.append(radio, el("span", "", t(`bd6_need_${need}`)));
      this.needs.append(label);
    }
    this.text = el("textarea", "bd6-text");
    this.text.dataset.f = "req-text";
    this.text.rows = 3;
    this.text.maxLength = MAX_REQUEST;
    this.text.placeholder = t("bd6_text_ph");
    this.left = el("span", "bd6-left muted");
    this.sendButton = el("button", "", t("bd6_send"));
    this.sendButton.type = "submit";
    this.sendButton.dataset.act = "send";
    this.sendError = el("p", "error bd6-send-error");
    this.sendError.setAttribute("role", "alert");
    const rowA = el("div", "bd-form-row");
    rowA.append(labelled(t("bd6_send_to"), this.toGroup, "bd-field bd-grow"),
      labelled(t("bd6_send_for"), this.initiative, "bd-field bd-grow"));
    const textField = labelled(t("bd6_text"), this.text, "bd-field bd6-text-field");
    const rowC = el("div", "bd-form-row bd6-send-foot");
    rowC.append(this.left, this.sendButton);
    this.noGroups = el("p", "muted hidden", t("bd6_no_other_groups"));
    this.form.append(el("h3", "", t("bd6_send_title")), rowA, this.needs, textField, rowC, this.sendError, this.noGroups);

    // The two lists.
    this.inbox = el("ul", "bd6-list bd6-inbox");
    this.inbox.setAttribute("aria-label", t("bd6_inbox"));
    this.inboxCount = el("span", "bd-count");
    const inHead = el("div", "bd-col-head");
    inHead.append(el("h3", "", t("bd6_inbox")), this.inboxCount);
    this.summary = el("div", "bd-box bd6-summary");
    const inCol = el("section", "bd6-col bd6-col-in");
    inCol.append(this.summary, inHead, this.inbox);

    this.sent = el("ul", "bd6-list bd6-sent");
    this.sent.setAttribute("aria-label", t("bd6_sent"));
    this.sentCount = el("span", "bd-count");
    const outHead = el("div", "bd-col-head");
    outHead.append(el("h3", "", t("bd6_sent")), this.sentCount);
    const outCol = el("section", "bd6-col bd6-col-out");
    outCol.append(this.form, outHead, this.sent);

    this.readonly = el("p", "bd-box bd-readonly muted hidden", t("bd_not_started"));
    const grid = el("div", "bd6-grid");
    grid.append(inCol, outCol);
    this.root.append(this.readonly, grid);

    this.form.addEventListener("submit", (e) => { e.preventDefault(); this.send(); });
    this.form.addEventListener("change", () => { this.sendError.textContent = ""; });
    this.text.addEventListener("input", () => { this.sendError.textContent = ""; this.updateLeft(); });
    this.text.addEventListener("keydown", (e) => {
      if (e.key === "Enter" && (e.ctrlKey || e.metaKey) && !e.isComposing) { e.preventDefault(); this.form.requestSubmit(); }
    });
    for (const list of [this.inbox, this.sent]) {
      list.addEventListener("click", (e) => this.onClick(e));
      list.addEventListener("keydown", (e) => this.onKey(e));
    }
    this.updateLeft();
  }

  updateLeft() {
    this.left.textContent = tf("bd6_chars_left", { n: MAX_REQUEST - this.text.value.length });
  }

  // item: the requests item (null before tact 6 starts: the board is shown read-only).
  render(item) {
    this.item = item;
    const addr = focusAddress(this.root);
    const { store, groupId } = this.ctx;
    this.readonly.classList.toggle("hidden", Boolean(item));
    this.form.classList.toggle("hidden", !item);
    this.others = store.activeGroups().filter((g) => g.id !== groupId);
    this.renderForm();
    const incoming = store.requestsOf(groupId, "in");
    const outgoing = store.requestsOf(groupId, "out");
    this.rows = new Map([...incoming, ...outgoing].map((r) => [r.id, r]));
    if (this.withdrawing !== null && !outgoing.some((r) => r.id === this.withdrawing && r.status === "new")) this.withdrawing = null;
    const used = new Set();
    const open = incoming.filter((r) => r.status === "new" || r.status === "discussing").length;
    this.inboxCount.textContent = open ? tf("bd6_inbox_open", { n: open }) : String(incoming.length);
    this.inboxCount.classList.toggle("bd6-open", open > 0);
    this.sentCount.textContent = String(outgoing.length);
    syncChildren(this.inbox, this.listNodes(incoming, "in", used, "bd6_inbox_empty"));
    syncChildren(this.sent, this.listNodes(outgoing, "out", used, "bd6_sent_empty"));
    this.keyed.keep(used);
    this.renderSummary(incoming, outgoing);
    restoreFocus(this.root, addr);
  }

  refresh() { this.render(this.item); }

  groupName(id) {
    const g = this.ctx.store.groups.get(id);
    return g ? g.name : t("bd6_group_unknown");
  }

  // The initiative a request is for belongs to the sending group, which may not be ours.
  // Until the server sends its name (initiative_name), only our own initiatives are known here.
  initiativeName(r) {
    if (r.initiative_name) return r.initiative_name;
    const ini = this.ctx.store.board.initiatives.get(r.initiative_id);
    return ini ? ini.name : null;
  }

  renderForm() {
    const { store, groupId } = this.ctx;
    this.noGroups.classList.toggle("hidden", this.others.length > 0);
    this.sendButton.disabled = !this.others.length || this.sending;
    fillOptions(this.toGroup, [{ value: "", label: t("bd6_pick_group") },
      ...this.others.map((g) => ({ value: g.id, label: g.name }))]);
    // The group's focus initiatives first (tacts 4–5 worked on them), then the others.
    const focus = this.ctx.focus();
    const rest = store.initiativesOf(groupId).filter((x) => !focus.includes(x));
    const all = [...focus, ...rest];
    const fresh = this.initiative.dataset.ready !== "1" && all.length;
    fillOptions(this.initiative, [{ value: "", label: t("bd6_pick_initiative") },
      ...all.map((x) => ({ value: x.id, label: x.name }))], fresh && all.length === 1 ? all[0].id : undefined);
    if (fresh) this.initiative.dataset.ready = "1";
  }

  listNodes(rows, dir, used, emptyKey) {
    const nodes = rows.map((r) => {
      const key = `${dir}:${r.id}`;
      used.add(key);
      const other = this.groupName(dir === "in" ? r.from_group_id : r.to_group_id);
      const sig = JSON.stringify([r.rev, r.status, r.text, r.need, r.solutions, other,
        this.initiativeName(r), dir === "out" && this.withdrawing === r.id, this.busy.has(key), this.errors.get(key) || "",
        Boolean(this.item)]);
      return this.keyed.get(key, sig, () => this.requestNode(r, dir));
    });
    if (!nodes.length) {
      const prop = dir === "in" ? "emptyIn" : "emptyOut";
      if (!this[prop]) this[prop] = el("li", "bd-empty muted", t(emptyKey));
      nodes.push(this[prop]);
    }
    return nodes;
  }

  requestNode(r, dir) {
    const key = `${dir}:${r.id}`;
    const other = this.groupName(dir === "in" ? r.from_group_id : r.to_group_id);
    const li = el("li", `bd6-req bd6-req-${r.status}`);
    li.dataset.request = String(r.id);
    li.dataset.dir = dir;
    li.dataset.status = r.status;
    const head = el("div", "bd6-req-head");
    head.append(el("span", "bd6-req-group", tf(dir === "in" ? "bd6_from_group" : "bd6_to_group", { name: other })),
      needBadge(r.need), statusBadge(r.status));
    li.append(head);
    const ini = this.initiativeName(r);
    li.append(el("p", "bd6-req-ini", ini ? tf("bd6_for_initiative", { name: ini }) : t("bd6_for_unknown")));
    li.append(el("p", "bd6-req-text", r.text));
    if (r.author) li.append(el("p", "bd6-req-author muted", tf("bd6_by", { name: r.author })));

    const solutions = el("div", "bd6-solutions");
    const list = el("ul", "bd6-solution-list");
    list.setAttribute("aria-label", t("bd6_solutions"));
    for (const s of r.solutions || []) {
      const item = el("li", "bd6-solution");
      item.dataset.solution = String(s.id);
      item.append(el("span", "bd6-solution-text", s.text));
      if (s.author) item.append(el("span", "bd6-solution-author muted", s.author));
      list.append(item);
    }
    if ((r.solutions || []).length) {
      solutions.append(el("h5", "bd6-solutions-title", t("bd6_solutions")), list);
    } else if (dir === "out" && r.status !== "declined") {
      solutions.append(el("p", "bd6-no-solutions muted", t("bd6_no_solutions")));
    }
    const open = r.status !== "done" && r.status !== "declined";
    if (dir === "in" && this.item && open) {
      const add = el("div", "bd6-solution-add");
      const field = input("solution", "", { max: MAX_SOLUTION, placeholder: t("bd6_solution_ph"),
        label: tf("bd6_solution_for", { name: other }) });
      add.append(field, button(t("bd6_propose"), "answer"));
      solutions.append(add);
    }
    if (solutions.children.length) li.append(solutions);

    const actions = el("div", "bd6-req-actions");
    if (dir === "in" && this.item) {
      for (const status of ANSWERS[r.status] || []) {
        const cls = status === "accepted" ? "bd6-accept" : status === "declined" ? "danger" : "secondary";
        const b = button(t(`bd6_to_${status}`), "status", cls);
        b.dataset.status = status;
        actions.append(b);
      }
    } else if (dir === "out" && this.item) {
      if (r.status === "accepted") actions.append(button(t("bd6_mark_done"), "done", "bd6-accept"));
      if (r.status === "new" && this.withdrawing === r.id) {
        actions.append(el("span", "bd-confirm", t("bd6_withdraw_confirm")),
          button(t("bd6_withdraw"), "withdraw-yes", "danger-solid"), button(t("cancel"), "cancel"));
      } else if (r.status === "new") {
        actions.append(el("span", "bd6-waiting muted", t("bd6_waiting")), button(t("bd6_withdraw"), "withdraw", "danger"));
      }
    }
    if (actions.children.length) li.append(actions);
    const error = this.errors.get(key);
    if (error) {
      const p = el("p", "error bd-error", error);
      p.setAttribute("role", "alert");
      li.append(p);
    }
    if (this.busy.has(key)) for (const c of li.querySelectorAll("button, input")) c.disabled = true;
    return li;
  }

  // Groups × status: how many requests went to each other group and came from it.
  renderSummary(incoming, outgoing) {
    const count = (rows, key, id) => {
      const by = {};
      for (const r of rows) if (r[key] === id) by[r.status] = (by[r.status] || 0) + 1;
      return by;
    };
    const data = this.others.map((g) => [g.id, g.name, count(outgoing, "to_group_id", g.id), count(incoming, "from_group_id", g.id)]);
    const sig = JSON.stringify(data);
    if (sig === this.summarySig) return;
    this.summarySig = sig;
    this.summary.classList.toggle("hidden", !data.length);
    const table = el("table", "bd6-summary-table");
    const head = el("tr");
    for (const k of ["bd6_summary_group", "bd6_summary_out", "bd6_summary_in"]) head.append(el("th", "", t(k)));
    const thead = el("thead");
    thead.append(head);
    const body = el("tbody");
    const cell = (by) => {
      const td = el("td", "bd6-summary-cell");
      const parts = STATUSES.filter((s) => by[s]);
      if (!parts.length) td.append(el("span", "muted", t("bd6_none")));
      for (const s of parts) {
        const pill = el("span", `bd6-pill bd6-status-${s}`);
        pill.dataset.status = s;
        pill.append(el("b", "", String(by[s])), el("span", "", ` ${t(`bd6_status_${s}`)}`));
        td.append(pill);
      }
      return td;
    };
    for (const [id, name, out, inc] of data) {
      const tr = el("tr");
      tr.dataset.group = String(id);
      const th = el("th", "bd6-summary-name", name);
      th.scope = "row";
      tr.append(th, cell(out), cell(inc));
      body.append(tr);
    }
    table.append(thead, body);
    this.summary.replaceChildren(el("h3", "", t("bd6_summary")), table);
  }

  // -- interaction -----------------------------------------------------------------------
  hostOf(node) {
    const host = node.closest("[data-request]");
    if (!host) return null;
    const r = this.rows.get(Number(host.dataset.request));
    return r ? { r, dir: host.dataset.dir, key: `${host.dataset.dir}:${r.id}` } : null;
  }

  onClick(e) {
    const b = e.target.closest("button[data-act]");
    if (!b || b.disabled) return;
    const h = this.hostOf(b);
    if (!h) return;
    this.errors.delete(h.key);
    switch (b.dataset.act) {
      case "status": this.setStatus(h, b.dataset.status); break;
      case "done": this.setStatus(h, "done"); break;
      case "answer": this.answer(h); break;
      case "withdraw": this.confirmWithdraw(h.r.id); break;
      case "cancel": this.confirmWithdraw(null, h.r.id); break;
      case "withdraw-yes": this.withdraw(h); break;
      default:
    }
  }

  onKey(e) {
    if (e.key === "Escape" && this.withdrawing !== null) { e.preventDefault(); this.confirmWithdraw(null, this.withdrawing); return; }
    if (e.key !== "Enter" || e.isComposing || !e.target.dataset || e.target.dataset.f !== "solution") return;
    const h = this.hostOf(e.target);
    if (h) { e.preventDefault(); this.errors.delete(h.key); this.answer(h); }
  }

  confirmWithdraw(id, back) {
    this.withdrawing = id;
    this.refresh();
    focusControl(this.sent, `out:${id ?? back}`, id === null ? "withdraw" : "cancel");
  }

  async call(key, event, payload) {
    this.busy.add(key);
    this.refresh();
    const ack = await this.ctx.live.call(event, payload);
    this.busy.delete(key);
    if (!ack || !ack.ok) this.errors.set(key, ackError(ack));
    return ack || { ok: false };
  }

  put(rows) { putRows(this.ctx.store, this.ctx.store.board.requests, rows); }

  async setStatus(h, status) {
    const ack = await this.call(h.key, "set_request_status", { id: h.r.id, status });
    if (ack.ok) {
      this.put([ack.request]);
      const other = h.dir === "in" ? h.r.from_group_id : h.r.to_group_id;
      this.ctx.announce(tf(h.dir === "in" ? "bd6_status_set" : "bd6_status_set_out",
        { name: this.groupName(other), status: t(`bd6_status_${status}`) }));
    } else this.refresh();
    const list = h.dir === "in" ? this.inbox : this.sent;
    focusControl(list, h.key, h.dir === "in" ? "solution" : "done");
  }

  async answer(h) {
    const field = this.root.querySelector(`[data-key="${h.key}"] [data-f=solution]`);
    const text = field ? field.value.trim() : "";
    if (!text) { this.errors.set(h.key, t("bd6_solution_empty")); this.refresh(); focusControl(this.inbox, h.key, "solution"); return; }
    if (text.length > MAX_SOLUTION) { this.errors.set(h.key, t("too_long")); this.refresh(); return; }
    const p = this.pendingSolutions.get(h.r.id);
    if (!p || p.text !== text) this.pendingSolutions.set(h.r.id, { text, client_id: uuid() });
    const ack = await this.call(h.key, "answer_request",
      { client_id: this.pendingSolutions.get(h.r.id).client_id, request_id: h.r.id, text });
    if (ack.ok) {
      this.pendingSolutions.delete(h.r.id);
      const live = this.root.querySelector(`[data-key="${h.key}"] [data-f=solution]`);
      if (live) clearSent(live, text);
      this.put([ack.request]);
    } else this.refresh();
    focusControl(this.inbox, h.key, "solution");
  }

  async withdraw(h) {
    const ack = await this.call(h.key, "withdraw_request", { id: h.r.id });
    if (ack.ok) {
      this.withdrawing = null;
      this.ctx.announce(tf("bd6_withdrawn", { name: this.groupName(h.r.to_group_id) }));
      this.put([ack.request]);
      this.text.focus();
    } else this.refresh();
  }

  async send() {
    if (!this.item) return;
    const to = Number(this.toGroup.value) || null;
    const initiative = Number(this.initiative.value) || null;
    const need = this.needs.querySelector("input:checked")?.value || "resource";
    const text = this.text.value.trim();
    const fail = (key, node) => { this.sendError.textContent = t(key); node.focus(); };
    if (!to) { fail("bd6_pick_group_error", this.toGroup); return; }
    if (!initiative) { fail("bd6_pick_initiative_error", this.initiative); return; }
    if (!text) { fail("bd6_text_empty", this.text); return; }
    if (text.length > MAX_REQUEST) { fail("too_long", this.text); return; }
    const request = { item_id: this.item.id, initiative_id: initiative, to_group_id: to, need, text };
    const sig = JSON.stringify(request);
    if (!this.pending || this.pending.sig !== sig) this.pending = { sig, client_id: uuid() };
    this.sending = true;
    this.sendButton.disabled = true;
    this.sendError.textContent = "";
    const ack = await this.ctx.live.call("send_request", { client_id: this.pending.client_id, ...request });
    this.sending = false;
    this.sendButton.disabled = !this.others.length;
    if (ack && ack.ok) {
      this.pending = null;
      clearSent(this.text, text);
      this.updateLeft();
      this.ctx.announce(tf("bd6_sent_ok", { name: this.groupName(to) }));
      this.put([ack.request]);
      this.text.focus();
    } else {
      this.sendError.textContent = ackError(ack);
      this.text.focus();
    }
  }
}
