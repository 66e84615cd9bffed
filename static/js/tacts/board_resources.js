// Tact 5 on the group moderator's board: per initiative, the resource flows between its
// stakeholders and the initiative itself (a table, a form to add one, delete), the balance
// matrix from the server (what each stakeholder gives, spends and gains, with the flags of a
// side that only gives or only gains) and svg.js's flow diagram.
import { t } from "../i18n.js";
import { uuid } from "../live.js";
import {
  InitiativePicker, Keyed, MARKS, RESOURCES, ackError, button, clearSent, el, fillOptions, focusAddress,
  input, labelled, pickInitiative, putRows, restoreFocus, select, syncChildren, tf,
} from "./board_common.js";

const MAX_RESOURCE_TEXT = 120;

export class ResourcesView {
  // ctx: see TactBoards (store, live, groupId, announce, svg, shared, focus, listB)
  constructor(root, ctx) {
    this.root = root;
    this.ctx = ctx;
    this.item = null;
    this.initiative = null;
    this.confirming = null; // id of the flow whose delete waits for a yes
    this.busy = new Set();
    this.errors = new Map();
    this.keyed = new Keyed();
    this.pending = null; // {sig, client_id}: a resend of the same flow reuses its client id
    this.matrixSig = null;
    this.diagramSig = null;
    this.build();
  }

  build() {
    const pickRow = el("div", "bd-picker");
    this.picker = new InitiativePicker(pickRow, (id) => { this.ctx.shared.initiativeId = id; this.refresh(); });

    this.form = el("form", "bd-box bd-add-flow");
    this.form.noValidate = true;
    this.from = select("flow-from", [], "");
    this.to = select("flow-to", [], "");
    this.resource = select("flow-resource", [{ value: "", label: t("bd_pick_resource") },
      ...RESOURCES.map((x) => ({ value: x, label: t(`bd_res_${x}`) }))], "");
    this.text = input("flow-text", "", { max: MAX_RESOURCE_TEXT, placeholder: t("bd_resource_text_ph") });
    this.marks = el("fieldset", "bd-marks");
    this.marks.append(el("legend", "bd-field-label", t("bd_mark")));
    for (const m of MARKS) {
      const radio = el("input");
      radio.type = "radio";
      radio.name = "bd-flow-mark";
      radio.value = m;
      radio.checked = m === "given";
      const label = el("label", `bd-mark-choice bd-mark-${m}`);
      label.append(radio, el("span", "", t(`bd_mark_${m}`)));
      this.marks.append(label);
    }
    this.addButton = el("button", "", t("bd_add_flow"));
    this.addButton.type = "submit";
    this.addError = el("p", "error");
    this.addError.setAttribute("role", "alert");
    const rowA = el("div", "bd-form-row");
    rowA.append(labelled(t("bd_flow_from"), this.from, "bd-field bd-grow"), el("span", "bd-arrow", "→"),
      labelled(t("bd_flow_to"), this.to, "bd-field bd-grow"));
    const rowB = el("div", "bd-form-row");
    rowB.append(labelled(t("bd_resource"), this.resource), labelled(t("bd_resource_text"), this.text, "bd-field bd-grow"));
    const rowC = el("div", "bd-form-row");
    rowC.append(this.marks, this.addButton);
    this.form.append(el("h3", "", t("bd_add_flow_title")), rowA, rowB, rowC, this.addError);

    this.flows = el("tbody");
    const table = el("table", "bd-flows");
    const head = el("tr");
    for (const key of ["bd_flow_from", "bd_flow_to", "bd_resource", "bd_mark", ""]) head.append(el("th", "", key ? t(key) : ""));
    const thead = el("thead");
    thead.append(head);
    table.append(thead, this.flows);
    this.flowCount = el("span", "bd-count");
    const flowsHead = el("div", "bd-col-head");
    flowsHead.append(el("h3", "", t("bd_flows")), this.flowCount);
    const left = el("section", "bd-t5-flows");
    const tableBox = el("div", "bd-box");
    tableBox.append(flowsHead, table);
    left.append(this.form, tableBox);

    this.matrix = el("div", "bd-matrix-box");
    this.diagram = el("div", "bd-svg bd-diagram");
    const right = el("section", "bd-box bd-t5-balance");
    right.append(el("h3", "", t("bd_balance")), this.matrix, el("h3", "bd-diagram-title", t("bd_diagram")), this.diagram);
    const grid = el("div", "bd-t5-grid");
    grid.append(left, right);
    this.readonly = el("p", "bd-box bd-readonly muted hidden", t("bd_not_started"));
    this.root.append(pickRow, this.readonly, grid);

    this.form.addEventListener("submit", (e) => { e.preventDefault(); this.add(); });
    this.form.addEventListener("change", () => { this.addError.textContent = ""; });
    this.flows.addEventListener("click", (e) => this.onClick(e));
    this.root.addEventListener("keydown", (e) => {
      if (e.key === "Escape" && this.confirming !== null) { e.preventDefault(); this.confirm(null); }
    });
  }

  // item: the resources item (null before tact 5 starts: the board is shown read-only).
  render(item) {
    const addr = focusAddress(this.root);
    const { store } = this.ctx;
    const ini = pickInitiative(this, item);
    const stakeholders = ini ? store.stakeholdersOf(ini.id) : [];
    const flows = ini ? store.flowsOf(ini.id) : [];
    const balance = ini ? store.balanceOf(ini.id) : null;
    this.names = new Map(stakeholders.map((s) => [s.id, s.name]));
    this.renderForm(ini, stakeholders);
    this.renderFlows(flows);
    this.renderMatrix(flows, balance);
    this.drawDiagram(ini, stakeholders, flows, balance);
    restoreFocus(this.root, addr);
  }

  refresh() { this.render(this.item); }

  nameOf(id) {
    if (id === null || id === undefined) return t("bd_initiative_self");
    return this.names.get(id) || t("bd_gone");
  }

  renderForm(ini, stakeholders) {
    if (!ini) return;
    const sides = [{ value: "", label: tf("bd_the_initiative", { name: ini.name }) },
      ...stakeholders.map((s) => ({ value: s.id, label: s.name }))];
    const firstStakeholder = stakeholders.length ? String(stakeholders[0].id) : "";
    const fresh = this.from.dataset.initiative !== String(ini.id);
    fillOptions(this.from, sides, fresh ? firstStakeholder : undefined);
    fillOptions(this.to, sides, fresh ? "" : undefined);
    this.from.dataset.initiative = String(ini.id);
  }

  resourceLabel(flow) {
    const kind = t(`bd_res_${flow.resource}`);
    return flow.resource_text ? `${kind}: ${flow.resource_text}` : kind;
  }

  renderFlows(flows) {
    this.flowCount.textContent = String(flows.length);
    if (this.confirming !== null && !flows.some((f) => f.id === this.confirming)) this.confirming = null;
    const used = new Set();
    const rows = flows.map((f) => {
      const key = `fl:${f.id}`;
      used.add(key);
      const from = this.nameOf(f.source_id);
      const to = this.nameOf(f.target_id);
      const sig = [f.rev, from, to, f.resource, f.resource_text, f.mark, this.confirming === f.id,
        this.busy.has(key), this.errors.get(key) || "", Boolean(this.item)].join("\u0001");
      return this.keyed.get(key, sig, () => this.flowRow(f, from, to));
    });
    this.keyed.keep(used);
    if (!rows.length) {
      const tr = this.emptyRow || (this.emptyRow = el("tr", "bd-empty-row"));
      const td = el("td", "muted", t("bd_no_flows"));
      td.colSpan = 5;
      tr.replaceChildren(td);
      rows.push(tr);
    }
    syncChildren(this.flows, rows);
  }

  flowRow(f, from, to) {
    const key = `fl:${f.id}`;
    const tr = el("tr", `bd-flow bd-flow-${f.mark}`);
    tr.dataset.flow = String(f.id);
    tr.append(el("td", f.source_id == null ? "bd-self" : "", from), el("td", f.target_id == null ? "bd-self" : "", to),
      el("td", "", this.resourceLabel(f)));
    const mark = el("td");
    mark.append(el("span", `badge bd-mark bd-mark-${f.mark}`, t(`bd_mark_${f.mark}`)));
    tr.append(mark);
    const actions = el("td", "bd-flow-actions");
    if (this.item && this.confirming === f.id) {
      actions.append(button(t("delete"), "delete-yes", "danger-solid"), button(t("cancel"), "cancel"));
    } else if (this.item) {
      const del = button("✕", "delete", "secondary bd-icon");
      del.title = t("bd_delete_flow");
      del.setAttribute("aria-label", `${t("bd_delete_flow")}: ${from} → ${to}`);
      actions.append(del);
    }
    const error = this.errors.get(key);
    if (error) actions.append(el("p", "error bd-error", error));
    if (this.busy.has(key)) for (const b of actions.querySelectorAll("button")) b.disabled = true;
    tr.append(actions);
    return tr;
  }

  renderMatrix(flows, balance) {
    const sig = JSON.stringify([balance, flows.map((f) => [f.id, f.resource, f.resource_text])]);
    if (sig === this.matrixSig) return;
    this.matrixSig = sig;
    const rows = balance ? balance.rows : [];
    if (!rows.length) { this.matrix.replaceChildren(el("p", "muted", t("bd_no_balance"))); return; }
    const byId = new Map(flows.map((f) => [f.id, f]));
    const table = el("table", "bd-matrix");
    const head = el("tr");
    for (const key of ["bd_stakeholder", "bd_gives", "bd_spends", "bd_gains"]) head.append(el("th", "", t(key)));
    const thead = el("thead");
    thead.append(head);
    const body = el("tbody");
    for (const row of rows) {
      const tr = el("tr", row.flag ? "is-flagged" : "");
      tr.dataset.stakeholder = String(row.stakeholder_id);
      if (row.flag) tr.dataset.flag = row.flag;
      const who = el("th", "bd-matrix-who");
      who.scope = "row";
      who.append(el("span", "bd-matrix-name", row.name));
      if (row.flag) {
        who.append(el("span", "badge bd-flag", t(`bd_flag_${row.flag}`)));
        if (row.reason) who.append(el("span", "bd-reason", row.reason));
      }
      tr.append(who);
      for (const ids of [row.gives, row.spends, row.gains]) {
        const td = el("td");
        const chips = (ids || []).map((id) => byId.get(id)).filter(Boolean)
          .map((f) => el("span", `bd-res bd-mark-${f.mark}`, this.resourceLabel(f)));
        if (chips.length) td.append(...chips); else td.append(el("span", "muted", "—"));
        tr.append(td);
      }
      body.append(tr);
    }
    table.append(thead, body);
    this.matrix.replaceChildren(table);
  }

  drawDiagram(ini, stakeholders, flows, balance) {
    const svg = this.ctx.svg;
    const width = Math.max(320, Math.round(this.diagram.clientWidth || 560));
    const sig = JSON.stringify([ini && ini.id, ini && ini.name, stakeholders.map((s) => [s.id, s.name, s.type]),
      flows.map((f) => [f.id, f.source_id, f.target_id, f.resource, f.resource_text, f.mark]), balance, Boolean(svg),
      Math.round(width / 40)]);
    if (sig === this.diagramSig) return;
    this.diagramSig = sig;
    if (!ini || !svg) { this.diagram.replaceChildren(el("p", "muted", ini ? t("bd_map_missing") : "")); return; }
    this.diagram.replaceChildren(svg.flowDiagram(
      { initiative: { id: ini.id, name: ini.name }, stakeholders, flows, balance },
      { width, height: Math.round(width * (width < 640 ? 0.95 : 0.75)), theme: "light", maxFontSize: 16, flags: false },
    ));
  }

  // -- interaction -----------------------------------------------------------------------
  onClick(e) {
    const b = e.target.closest("button[data-act]");
    const tr = b && b.closest("[data-flow]");
    if (!tr || b.disabled) return;
    const id = Number(tr.dataset.flow);
    if (b.dataset.act === "delete") this.confirm(id);
    else if (b.dataset.act === "cancel") this.confirm(null);
    else if (b.dataset.act === "delete-yes") this.remove(id);
  }

  confirm(id) {
    const back = this.confirming;
    this.confirming = id;
    this.refresh();
    const row = this.flows.querySelector(`[data-flow="${id ?? back}"]`);
    const node = row && row.querySelector(id === null ? "[data-act=delete]" : "[data-act=cancel]");
    if (node) node.focus();
  }

  async remove(id) {
    const key = `fl:${id}`;
    this.busy.add(key);
    this.errors.delete(key);
    this.refresh();
    const ack = await this.ctx.live.call("delete_flow", { id });
    this.busy.delete(key);
    if (ack && ack.ok) {
      this.confirming = null;
      const old = this.ctx.store.board.flows.get(id);
      putRows(this.ctx.store, this.ctx.store.board.flows, [old && { ...old, deleted: true }]);
      this.addButton.focus();
    } else {
      this.errors.set(key, ackError(ack));
      this.refresh();
    }
  }

  async add() {
    const ini = this.initiative;
    if (!ini || !this.item) return;
    const source = this.from.value ? Number(this.from.value) : null;
    const target = this.to.value ? Number(this.to.value) : null;
    const resource = this.resource.value;
    const text = this.text.value.trim();
    const mark = this.marks.querySelector("input:checked")?.value || "given";
    if (source === target) { this.addError.textContent = t("bd_flow_same"); this.to.focus(); return; }
    if (!resource) { this.addError.textContent = t("bd_pick_resource_error"); this.resource.focus(); return; }
    const flow = { item_id: this.item.id, initiative_id: ini.id, source_id: source, target_id: target,
      resource, resource_text: text, mark };
    const sig = JSON.stringify(flow);
    if (!this.pending || this.pending.sig !== sig) this.pending = { sig, client_id: uuid() };
    this.addButton.disabled = true;
    this.addError.textContent = "";
    const ack = await this.ctx.live.call("add_flow", { client_id: this.pending.client_id, ...flow });
    this.addButton.disabled = false;
    if (ack && ack.ok) {
      this.pending = null;
      clearSent(this.text, text);
      this.ctx.announce(t("bd_flow_added"));
      putRows(this.ctx.store, this.ctx.store.board.flows, [ack.flow]);
      this.from.focus();
    } else {
      this.addError.textContent = ackError(ack);
    }
  }
}
