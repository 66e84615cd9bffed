// Tact 7 on the group moderator's board (docs/PROTOCOL.md, "Tacts 6–7"): per initiative (List
// B's top first, the others by a select), its objectives with their key results in a table.
// Add, edit and delete an objective; add and delete a key result. A metric the server finds
// vague comes back with a warning at the metric and a "Keep it anyway" that resends it with
// accept_vague. Owners are the initiative's stakeholders (tact 4) and the group's participants.
import { t } from "../i18n.js";
import { uuid } from "../live.js";
import {
  InitiativePicker, Keyed, ackError, button, clearSent, el, focusAddress, focusControl, input,
  pickInitiative, putRows, restoreFocus, syncChildren, tf,
} from "./board_common.js";

const MAX_OBJECTIVE = 300;
const MAX_METRIC = 200;
const MAX_UNIT = 40;

// The group's participants, as far as this page can know them: the snapshot has no member
// list, so they come from what they wrote (cards, requests, objectives, key results) and from
// the participant.* events moderators receive (joined, moved, removed).
// A cell's column name, shown above it where the table is stacked (a narrow board: CSS).
function labelled(td, key) {
  td.dataset.label = t(key);
  return td;
}

export class Members {
  constructor(store, groupId) {
    this.store = store;
    this.groupId = groupId;
    this.seen = new Map(); // participant id -> the latest participant.* event
    store.subscribe((what, d) => { if (what === "participant" && d && d.id) this.seen.set(d.id, d); });
  }

  // [{id, name}] sorted by name.
  list() {
    const { store, groupId } = this;
    const found = new Map();
    const add = (id, name) => { if (id && name && !found.has(id)) found.set(id, name); };
    // The group's members as of the snapshot, then anyone seen writing for the group since.
    for (const m of store.membersOf ? store.membersOf(groupId) : []) add(m.id, m.display_name);
    for (const c of store.cards.values()) if (c.group_id === groupId) add(c.participant_id, c.author);
    for (const r of store.board.requests.values()) {
      if (r.from_group_id === groupId) add(r.participant_id, r.author);
      if (r.to_group_id === groupId) for (const s of r.solutions || []) add(s.participant_id, s.author);
    }
    for (const o of store.board.objectives.values()) {
      if (o.group_id !== groupId) continue;
      add(o.participant_id, o.author);
      for (const kr of o.key_results || []) {
        add(kr.participant_id, kr.author);
        if (kr.owner && kr.owner.kind === "participant") add(kr.owner.id, kr.owner.name);
      }
    }
    for (const [id, p] of this.seen) {
      if (p.group_id === groupId && !p.removed) found.set(id, p.display_name);
      else found.delete(id);
    }
    return [...found].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name));
  }
}

function lang() { return document.documentElement.lang || undefined; }

export function formatNumber(value) {
  if (value === null || value === undefined || value === "") return "";
  const n = Number(value);
  return Number.isFinite(n) ? n.toLocaleString(lang(), { maximumFractionDigits: 4 }) : String(value);
}

export function formatDate(iso) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
  if (!m) return iso || "";
  return new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]))
    .toLocaleDateString(lang(), { day: "numeric", month: "short", year: "numeric" });
}

function today() {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}

export class OkrView {
  // ctx: see TactBoards (store, live, groupId, announce, shared, focus, listB, members)
  constructor(root, ctx) {
    this.root = root;
    this.ctx = ctx;
    this.item = null;
    this.initiative = null;
    this.mode = null; // {type: edit|delete, id, text} on an objective, {type: del-kr, id, objective}
    this.busy = new Set();
    this.errors = new Map(); // "obj:<id>" (the objective) and "kr:<id>" (its key result form)
    this.vague = new Map(); // objective id -> {metric, error}: the server's warning on that metric
    this.keyed = new Keyed();
    this.pendingObjective = null; // {text, initiative, client_id}
    this.pendingKr = new Map(); // objective id -> {sig, client_id}
    this.build();
  }

  build() {
    const pickRow = el("div", "bd-picker");
    this.picker = new InitiativePicker(pickRow, (id) => { this.ctx.shared.initiativeId = id; this.mode = null; this.refresh(); });
    this.form = el("form", "bd-box bd7-add-obj");
    this.form.noValidate = true;
    this.addText = input("obj-text", "", { max: MAX_OBJECTIVE, placeholder: t("bd6_objective_ph"), label: t("bd6_objective") });
    this.addButton = el("button", "", t("bd6_add_objective"));
    this.addButton.type = "submit";
    this.addButton.dataset.act = "add-objective";
    this.addError = el("p", "error");
    this.addError.setAttribute("role", "alert");
    const row = el("div", "bd-form-row");
    const field = el("label", "bd-field bd-grow");
    field.append(el("span", "bd-field-label", t("bd6_add_objective_title")), this.addText);
    row.append(field, this.addButton);
    this.form.append(row, this.addError);
    this.count = el("span", "bd-count");
    const head = el("div", "bd-col-head");
    head.append(el("h3", "", t("bd6_objectives")), this.count);
    this.list = el("ol", "bd7-objectives");
    this.readonly = el("p", "bd-box bd-readonly muted hidden", t("bd_not_started"));
    this.root.append(pickRow, this.readonly, this.form, head, this.list);

    this.form.addEventListener("submit", (e) => { e.preventDefault(); this.addObjective(); });
    this.addText.addEventListener("input", () => { this.addError.textContent = ""; });
    this.list.addEventListener("click", (e) => this.onClick(e));
    this.list.addEventListener("keydown", (e) => this.onKey(e));
    this.list.addEventListener("input", (e) => this.onInput(e));
  }

  // item: the okr item (null before tact 7 starts: the board is shown read-only).
  render(item) {
    const addr = focusAddress(this.root);
    const { store } = this.ctx;
    const ini = pickInitiative(this, item);
    const objectives = ini ? store.objectivesOf(ini.id) : [];
    this.objectives = new Map(objectives.map((o) => [o.id, o]));
    if (this.mode && !this.modeAlive(objectives)) this.mode = null;
    const owners = this.ownerOptions(ini);
    const ownersSig = JSON.stringify(owners);
    const used = new Set();
    const nodes = objectives.map((o, i) => {
      const key = `obj:${o.id}`;
      used.add(key);
      const mode = this.mode && (this.mode.id === o.id || this.mode.objective === o.id) ? this.mode : null;
      const sig = JSON.stringify([o.rev, o.text, o.author, o.key_results, i, ownersSig, mode && [mode.type, mode.id],
        this.busy.has(key), this.errors.get(key) || "", this.errors.get(`kr:${o.id}`) || "", this.vague.get(o.id) || null,
        Boolean(this.item)]);
      return this.keyed.get(key, sig, () => this.objectiveNode(o, i, owners));
    });
    this.keyed.keep(used);
    if (!nodes.length) {
      if (!this.emptyNode) this.emptyNode = el("li", "bd-empty muted");
      this.emptyNode.textContent = ini ? t("bd6_no_objectives") : t("bd_no_initiatives");
      nodes.push(this.emptyNode);
    }
    syncChildren(this.list, nodes);
    const krs = objectives.reduce((n, o) => n + (o.key_results || []).length, 0);
    this.count.textContent = tf("bd6_counts", { o: objectives.length, k: krs });
    restoreFocus(this.root, addr);
  }

  refresh() { this.render(this.item); }

  modeAlive(objectives) {
    const m = this.mode;
    if (m.type === "del-kr") {
      const o = objectives.find((x) => x.id === m.objective);
      return Boolean(o && (o.key_results || []).some((kr) => kr.id === m.id));
    }
    return objectives.some((x) => x.id === m.id);
  }

  // Who may own a key result: the initiative's live stakeholders and the group's participants.
  ownerOptions(ini) {
    if (!ini) return { stakeholders: [], participants: [] };
    const stakeholders = this.ctx.store.stakeholdersOf(ini.id).map((s) => ({ value: `s${s.id}`, label: s.name }));
    const participants = this.ctx.members ? this.ctx.members.list().map((p) => ({ value: `p${p.id}`, label: p.name })) : [];
    return { stakeholders, participants };
  }

  objectiveNode(o, index, owners) {
    const key = `obj:${o.id}`;
    const mode = this.mode && (this.mode.id === o.id || this.mode.objective === o.id) ? this.mode : null;
    const li = el("li", `bd7-obj${mode && mode.type !== "del-kr" ? ` role-${mode.type}` : ""}`);
    li.dataset.objective = String(o.id);
    const head = el("div", "bd7-obj-head");
    head.append(el("span", "bd7-obj-n", `O${index + 1}`));
    const body = el("div", "bd7-obj-body");
    if (mode && mode.type === "edit") {
      const field = input("obj-edit", mode.text, { max: MAX_OBJECTIVE, label: t("bd6_objective") });
      field.dataset.select = "1";
      body.append(field);
    } else {
      body.append(el("h4", "bd7-obj-text", o.text));
      if (o.author) body.append(el("span", "bd7-obj-author muted", o.author));
    }
    head.append(body);
    const actions = el("div", "bd7-obj-actions");
    if (this.item) {
      if (mode && mode.type === "edit") {
        actions.append(button(t("save"), "save", ""), button(t("cancel"), "cancel"));
      } else if (mode && mode.type === "delete") {
        actions.append(el("span", "bd-confirm", t("bd6_delete_objective_confirm")),
          button(t("delete"), "delete-yes", "danger-solid"), button(t("cancel"), "cancel"));
      } else {
        actions.append(button(t("edit"), "edit"), button(t("delete"), "delete", "danger"));
      }
    }
    head.append(actions);
    li.append(head);
    const error = this.errors.get(key);
    if (error) {
      const p = el("p", "error bd-error", error);
      p.setAttribute("role", "alert");
      li.append(p);
    }
    li.append(this.krTable(o, mode, owners));
    if (this.busy.has(key)) for (const c of li.querySelectorAll("button, input, select")) c.disabled = true;
    return li;
  }

  krTable(o, mode, owners) {
    const table = el("table", "bd7-krs");
    table.setAttribute("aria-label", `${t("bd6_key_results")}: ${o.text}`);
    const cols = ["", "bd6_metric", "bd6_baseline", "bd6_target", "bd6_deadline", "bd6_owner", ""];
    const headRow = el("tr");
    cols.forEach((k, i) => headRow.append(el("th", `bd7-c${i}`, k ? t(k) : "")));
    const thead = el("thead");
    thead.append(headRow);
    const tbody = el("tbody");
    (o.key_results || []).forEach((kr, i) => tbody.append(this.krRow(kr, i, mode)));
    if (!(o.key_results || []).length) {
      const tr = el("tr", "bd-empty-row");
      const td = el("td", "muted", t("bd6_no_key_results"));
      td.colSpan = cols.length;
      tr.append(td);
      tbody.append(tr);
    }
    table.append(thead, tbody);
    if (this.item) table.append(this.krForm(o, owners));
    return table;
  }

  krRow(kr, index, mode) {
    const tr = el("tr", "bd7-kr");
    tr.dataset.kr = String(kr.id);
    tr.append(el("td", "bd7-kr-n", `KR${index + 1}`));
    const metric = el("td", "bd7-kr-metric");
    metric.append(el("span", "", kr.metric));
    if (kr.vague_accepted) metric.append(el("span", "badge bd7-vague-badge", t("bd6_vague_kept")));
    tr.append(metric);
    const unit = kr.unit ? ` ${kr.unit}` : "";
    const hasBaseline = kr.baseline !== null && kr.baseline !== undefined && kr.baseline !== "";
    tr.append(labelled(el("td", "bd7-num", hasBaseline ? `${formatNumber(kr.baseline)}${unit}` : t("bd6_none")), "bd6_baseline"));
    const target = labelled(el("td", "bd7-num bd7-target"), "bd6_target");
    target.append(el("b", "", formatNumber(kr.target)), document.createTextNode(unit));
    tr.append(target);
    const deadline = labelled(el("td", "bd7-deadline", formatDate(kr.deadline)), "bd6_deadline");
    deadline.title = kr.deadline || "";
    tr.append(deadline);
    const owner = labelled(el("td", "bd7-owner"), "bd6_owner");
    if (kr.owner) {
      owner.append(el("span", "bd7-owner-name", kr.owner.name),
        el("span", `bd7-owner-kind bd7-owner-${kr.owner.kind}`, t(`bd6_owner_${kr.owner.kind}`)));
    }
    tr.append(owner);
    const actions = el("td", "bd7-kr-actions");
    if (this.item && mode && mode.type === "del-kr" && mode.id === kr.id) {
      actions.append(el("span", "bd7-confirm", t("bd6_delete_key_result_confirm")),
        button(t("delete"), "del-kr-yes", "danger-solid"), button(t("cancel"), "cancel"));
    } else if (this.item) {
      const del = button("✕", "del-kr", "secondary bd-icon");
      del.title = t("bd6_delete_key_result");
      del.setAttribute("aria-label", `${t("bd6_delete_key_result")}: ${kr.metric}`);
      actions.append(del);
    }
    for (const b of actions.querySelectorAll("button")) b.dataset.id = String(kr.id);
    tr.append(actions);
    return tr;
  }

  // The row that adds a key result, under the objective's table; its fields keep what was
  // typed when the objective is redrawn (data-f, see Keyed).
  krForm(o, owners) {
    const tfoot = el("tfoot");
    const tr = el("tr", "bd7-kr-form");
    tr.append(el("td", "bd7-kr-n bd7-plus", "+"));
    const metricCell = labelled(el("td", "bd7-kr-metric"), "bd6_metric");
    const metric = input("kr-metric", "", { max: MAX_METRIC, placeholder: t("bd6_metric_ph"), label: t("bd6_metric") });
    metricCell.append(metric);
    const vague = this.vague.get(o.id);
    if (vague) {
      metric.classList.add("is-vague");
      metric.setAttribute("aria-invalid", "true");
      const warn = el("div", "bd7-vague");
      warn.setAttribute("role", "alert");
      warn.append(el("span", "bd7-vague-text", vague.error), button(t("bd6_keep_vague"), "keep-vague", "secondary bd7-keep"));
      metricCell.append(warn);
    }
    tr.append(metricCell);
    const baseline = input("kr-baseline", "", {
      type: "number", placeholder: t("bd6_baseline_ph"), label: t("bd6_baseline"), cls: "bd7-num-in",
    });
    baseline.step = "any";
    const baselineCell = labelled(el("td"), "bd6_baseline");
    baselineCell.append(baseline);
    tr.append(baselineCell);
    const target = input("kr-target", "", { type: "number", label: t("bd6_target"), cls: "bd7-num-in" });
    target.step = "any";
    target.required = true;
    const unit = input("kr-unit", "", { max: MAX_UNIT, placeholder: t("bd6_unit_ph"), label: t("bd6_unit"), cls: "bd7-unit" });
    const targetCell = labelled(el("td"), "bd6_target");
    const pair = el("div", "bd7-target-in");
    pair.append(target, unit);
    targetCell.append(pair);
    tr.append(targetCell);
    const deadline = input("kr-deadline", "", { type: "date", label: t("bd6_deadline") });
    deadline.min = today();
    const deadlineCell = labelled(el("td"), "bd6_deadline");
    deadlineCell.append(deadline);
    tr.append(deadlineCell);
    const ownerCell = labelled(el("td"), "bd6_owner");
    ownerCell.append(this.ownerSelect(owners));
    tr.append(ownerCell);
    const addCell = el("td", "bd7-kr-actions");
    const add = button(t("bd6_add_key_result"), "add-kr", "");
    addCell.append(add);
    tr.append(addCell);
    tfoot.append(tr);
    const error = this.errors.get(`kr:${o.id}`);
    if (error) {
      const msg = el("tr", "bd7-kr-msg");
      const td = el("td");
      td.colSpan = 6;
      const p = el("p", "error bd-error", error);
      p.setAttribute("role", "alert");
      td.append(p);
      msg.append(el("td"), td);
      tfoot.append(msg);
    }
    return tfoot;
  }

  ownerSelect(owners) {
    const node = el("select", "bd7-owner-select");
    node.dataset.f = "kr-owner";
    node.setAttribute("aria-label", t("bd6_owner"));
    const none = el("option", "", owners.stakeholders.length || owners.participants.length ? t("bd6_pick_owner") : t("bd6_no_owners"));
    none.value = "";
    node.append(none);
    for (const [key, list] of [["bd6_owners_stakeholders", owners.stakeholders], ["bd6_owners_participants", owners.participants]]) {
      if (!list.length) continue;
      const group = el("optgroup");
      group.label = t(key);
      for (const o of list) {
        const opt = el("option", "", o.label);
        opt.value = o.value;
        group.append(opt);
      }
      node.append(group);
    }
    return node;
  }

  // -- interaction -----------------------------------------------------------------------
  hostOf(node) {
    const host = node.closest("[data-objective]");
    return host ? this.objectives.get(Number(host.dataset.objective)) || null : null;
  }

  onClick(e) {
    const b = e.target.closest("button[data-act]");
    if (!b || b.disabled) return;
    const o = this.hostOf(b);
    if (!o) return;
    const key = `obj:${o.id}`;
    switch (b.dataset.act) {
      case "edit": this.errors.delete(key); this.setMode({ type: "edit", id: o.id, text: o.text }, key, "obj-edit"); break;
      case "delete": this.errors.delete(key); this.setMode({ type: "delete", id: o.id }, key, "cancel"); break;
      case "save": this.save(o); break;
      case "delete-yes": this.remove(o); break;
      case "cancel": this.cancel(); break;
      case "del-kr": this.setMode({ type: "del-kr", id: Number(b.dataset.id), objective: o.id }, key, "cancel"); break;
      case "del-kr-yes": this.removeKr(o, Number(b.dataset.id)); break;
      case "add-kr": this.addKr(o, false); break;
      case "keep-vague": this.addKr(o, true); break;
      default:
    }
  }

  onKey(e) {
    if (e.key === "Escape" && this.mode) { e.preventDefault(); this.cancel(); return; }
    if (e.key !== "Enter" || e.isComposing || !e.target.dataset) return;
    const f = e.target.dataset.f;
    const o = this.hostOf(e.target);
    if (!o || !f) return;
    if (f === "obj-edit") { e.preventDefault(); this.save(o); }
    if (f.startsWith("kr-") && e.target.tagName === "INPUT") { e.preventDefault(); this.addKr(o, false); }
  }

  onInput(e) {
    const f = e.target.dataset ? e.target.dataset.f : null;
    if (f === "obj-edit" && this.mode && this.mode.type === "edit") { this.mode.text = e.target.value; return; }
    const o = this.hostOf(e.target);
    if (!o) return;
    // A changed metric is a new wording: the warning about the old one goes.
    const vague = this.vague.get(o.id);
    if (f === "kr-metric" && vague && e.target.value.trim() !== vague.metric) { this.vague.delete(o.id); this.refresh(); }
    if (f && f.startsWith("kr-") && this.errors.has(`kr:${o.id}`)) { this.errors.delete(`kr:${o.id}`); this.refresh(); }
  }

  setMode(mode, key, act) {
    this.mode = mode;
    this.refresh();
    focusControl(this.list, key, act);
  }

  cancel() {
    const m = this.mode;
    if (!m) return;
    const key = `obj:${m.objective || m.id}`;
    const back = m.type === "del-kr" ? null : m.type;
    this.mode = null;
    this.refresh();
    if (back) focusControl(this.list, key, back);
    else {
      const del = this.list.querySelector(`[data-key="${key}"] [data-act=del-kr][data-id="${m.id}"]`);
      if (del) del.focus();
    }
  }

  async call(key, event, payload, errorKey = key) {
    this.busy.add(key);
    this.refresh();
    const ack = await this.ctx.live.call(event, payload);
    this.busy.delete(key);
    if ((!ack || !ack.ok) && !(ack && ack.code === "vague")) this.errors.set(errorKey, ackError(ack));
    return ack || { ok: false };
  }

  put(rows) { putRows(this.ctx.store, this.ctx.store.board.objectives, rows); }

  async addObjective() {
    const ini = this.initiative;
    if (!ini || !this.item) return;
    const text = this.addText.value.trim();
    if (!text) { this.addError.textContent = t("bd6_objective_empty"); this.addText.focus(); return; }
    if (text.length > MAX_OBJECTIVE) { this.addError.textContent = t("too_long"); this.addText.focus(); return; }
    const p = this.pendingObjective;
    if (!p || p.text !== text || p.initiative !== ini.id) this.pendingObjective = { text, initiative: ini.id, client_id: uuid() };
    this.addButton.disabled = true;
    this.addError.textContent = "";
    const ack = await this.ctx.live.call("add_objective", {
      client_id: this.pendingObjective.client_id, item_id: this.item.id, initiative_id: ini.id, text,
    });
    this.addButton.disabled = false;
    if (ack && ack.ok) {
      this.pendingObjective = null;
      clearSent(this.addText, text);
      this.put([ack.objective]);
      // Key results come next: the keyboard goes to the new objective's metric.
      const field = this.list.querySelector(`[data-key="obj:${ack.objective.id}"] [data-f=kr-metric]`);
      if (field) field.focus(); else this.addText.focus();
    } else {
      this.addError.textContent = ackError(ack);
      this.addText.focus();
    }
  }

  async save(o) {
    const key = `obj:${o.id}`;
    const text = (this.mode && this.mode.text || "").trim();
    if (!text) { this.errors.set(key, t("bd6_objective_empty")); this.refresh(); return; }
    if (text === o.text) { this.setMode(null, key, "edit"); return; }
    const ack = await this.call(key, "edit_objective", { id: o.id, text });
    if (ack.ok) { this.mode = null; this.put([ack.objective]); focusControl(this.list, key, "edit"); } else this.refresh();
  }

  async remove(o) {
    const key = `obj:${o.id}`;
    const ack = await this.call(key, "delete_objective", { id: o.id });
    if (ack.ok) {
      this.mode = null;
      this.vague.delete(o.id);
      this.pendingKr.delete(o.id);
      this.ctx.announce(t("bd6_objective_deleted"));
      this.put([{ ...(ack.objective || o), deleted: true }]);
      this.addText.focus();
    } else this.refresh();
  }

  async removeKr(o, krId) {
    const key = `obj:${o.id}`;
    const ack = await this.call(key, "delete_key_result", { id: krId });
    if (ack.ok) {
      this.mode = null;
      this.put([ack.objective]);
    } else this.refresh();
    focusControl(this.list, key, "kr-metric");
  }

  // Read the key result form of an objective; returns {payload} or {error, field}.
  readKr(o) {
    const host = this.list.querySelector(`[data-key="obj:${o.id}"]`);
    const f = (name) => host.querySelector(`[data-f="${name}"]`);
    const metric = f("kr-metric").value.trim();
    const baselineNode = f("kr-baseline");
    const targetNode = f("kr-target");
    const unit = f("kr-unit").value.trim();
    const deadline = f("kr-deadline").value;
    const owner = f("kr-owner").value;
    if (!metric) return { error: "bd6_metric_empty", field: "kr-metric" };
    if (baselineNode.validity.badInput) return { error: "bd6_baseline_number", field: "kr-baseline" };
    if (targetNode.value === "" || !Number.isFinite(Number(targetNode.value))) {
      return { error: "bd6_target_empty", field: "kr-target" };
    }
    if (!deadline) return { error: "bd6_deadline_empty", field: "kr-deadline" };
    if (!owner) return { error: "bd6_owner_empty", field: "kr-owner" };
    const payload = { objective_id: o.id, metric, target: Number(targetNode.value), unit, deadline, owner };
    if (baselineNode.value !== "") payload.baseline = Number(baselineNode.value);
    return { payload };
  }

  async addKr(o, acceptVague) {
    const key = `obj:${o.id}`;
    const formKey = `kr:${o.id}`;
    this.errors.delete(formKey);
    const read = this.readKr(o);
    if (read.error) {
      this.errors.set(formKey, t(read.error));
      this.refresh();
      focusControl(this.list, key, read.field);
      return;
    }
    const sig = JSON.stringify(read.payload);
    const p = this.pendingKr.get(o.id);
    if (!p || p.sig !== sig) this.pendingKr.set(o.id, { sig, client_id: uuid() });
    const payload = { client_id: this.pendingKr.get(o.id).client_id, ...read.payload };
    if (acceptVague) payload.accept_vague = true;
    const ack = await this.call(key, "add_key_result", payload, formKey);
    if (ack.ok) {
      this.pendingKr.delete(o.id);
      this.vague.delete(o.id);
      // emptied only if it still holds what was sent (the next key result may be on its way in)
      const host = this.list.querySelector(`[data-key="${key}"]`);
      const now = host ? this.readKr(o) : {};
      for (const name of now.payload && JSON.stringify(now.payload) === sig
        ? ["kr-metric", "kr-baseline", "kr-target"] : []) {
        const node = host && host.querySelector(`[data-f="${name}"]`);
        if (node) node.value = "";
      }
      this.ctx.announce(t("bd6_key_result_added"));
      this.put([ack.objective]);
      focusControl(this.list, key, "kr-metric");
    } else if (ack.code === "vague") {
      this.vague.set(o.id, { metric: read.payload.metric, error: ackError(ack) });
      this.refresh();
      focusControl(this.list, key, "kr-metric");
    } else {
      this.refresh();
      const field = ack.field ? `kr-${ack.field}` : "kr-metric";
      focusControl(this.list, key, this.list.querySelector(`[data-key="${key}"] [data-f="${field}"]`) ? field : "kr-metric");
    }
  }
}
