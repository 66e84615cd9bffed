// Tact 4 on the group moderator's board: per initiative (List B's top first, the others by a
// select), its stakeholders with their type and values. Add, edit and delete a stakeholder;
// add and delete values; merge a duplicate into another (its values and flows move along).
// The map on the right is svg.js's stakeholderMap, redrawn when the data changes.
import { t } from "../i18n.js";
import { uuid } from "../live.js";
import {
  InitiativePicker, Keyed, MAX_NAME, STAKEHOLDER_TYPES, ackError, button, clearSent, el, focusAddress,
  focusControl, input, labelled, pickInitiative, putRows, restoreFocus, select, syncChildren, tf,
} from "./board_common.js";

const MAX_VALUE = 200;

export function typeOptions(placeholder) {
  const opts = STAKEHOLDER_TYPES.map((x) => ({ value: x, label: t(`bd_type_${x}`) }));
  return placeholder ? [{ value: "", label: placeholder }, ...opts] : opts;
}

export class StakeholdersView {
  // ctx: see TactBoards (store, live, groupId, announce, svg, shared, focus, listB)
  constructor(root, ctx) {
    this.root = root;
    this.ctx = ctx;
    this.item = null;
    this.initiative = null;
    this.mode = null; // {type: edit|delete|merge|merge-confirm, id, into, name, kind}
    this.busy = new Set();
    this.errors = new Map();
    this.keyed = new Keyed();
    this.pendingAdd = null; // {name, type, client_id}
    this.pendingValues = new Map(); // stakeholder id -> {text, client_id}
    this.mapSig = null;
    this.build();
  }

  build() {
    const pickRow = el("div", "bd-picker");
    this.picker = new InitiativePicker(pickRow, (id) => { this.ctx.shared.initiativeId = id; this.mode = null; this.refresh(); });
    this.form = el("form", "bd-box bd-add-sh");
    this.form.noValidate = true;
    this.addName = input("sh-name", "", { max: MAX_NAME, placeholder: t("bd_sh_name_ph") });
    this.addType = select("sh-type", typeOptions(t("bd_pick_type")), "");
    const add = el("button", "", t("bd_add_stakeholder"));
    add.type = "submit";
    this.addButton = add;
    this.addError = el("p", "error");
    this.addError.setAttribute("role", "alert");
    const row = el("div", "bd-form-row");
    row.append(labelled(t("bd_sh_name"), this.addName, "bd-field bd-grow"), labelled(t("bd_sh_type"), this.addType), add);
    this.form.append(el("h3", "", t("bd_add_stakeholder_title")), row, this.addError);
    this.hint = el("div", "mod-hint bd-hint hidden");
    this.hint.setAttribute("role", "status");
    this.count = el("span", "bd-count");
    const head = el("div", "bd-col-head");
    head.append(el("h3", "", t("bd_stakeholders")), this.count);
    this.list = el("ul", "bd-sh-list");
    const main = el("section", "bd-t4-main");
    main.append(this.form, this.hint, head, this.list);
    this.map = el("div", "bd-svg bd-map");
    const side = el("section", "bd-box bd-t4-map");
    side.append(el("h3", "", t("bd_map")), this.map);
    const grid = el("div", "bd-t4-grid");
    grid.append(main, side);
    this.readonly = el("p", "bd-box bd-readonly muted hidden", t("bd_not_started"));
    this.root.append(pickRow, this.readonly, grid);

    this.form.addEventListener("submit", (e) => { e.preventDefault(); this.add(); });
    this.root.addEventListener("click", (e) => this.onClick(e));
    this.root.addEventListener("keydown", (e) => this.onKey(e));
    this.root.addEventListener("input", (e) => {
      if (this.mode && this.mode.type === "edit" && e.target.dataset.f === "edit-name") this.mode.name = e.target.value;
    });
    this.root.addEventListener("change", (e) => {
      if (this.mode && this.mode.type === "edit" && e.target.dataset.f === "edit-type") this.mode.kind = e.target.value;
    });
  }

  // item: the stakeholders item (null before tact 4 starts: the board is shown read-only).
  render(item) {
    const addr = focusAddress(this.root);
    const { store } = this.ctx;
    const ini = pickInitiative(this, item);
    const rows = ini ? store.stakeholdersOf(ini.id) : [];
    if (this.mode && !rows.some((x) => x.id === this.mode.id)) this.mode = null;
    if (this.mode && this.mode.into && !rows.some((x) => x.id === this.mode.into)) this.mode = null;
    this.rows = rows;
    this.count.textContent = String(rows.length);
    const used = new Set();
    const nodes = rows.map((sh) => this.node(sh, used));
    if (!nodes.length) {
      if (!this.emptyNode) this.emptyNode = el("li", "bd-empty muted");
      this.emptyNode.textContent = ini ? t("bd_no_stakeholders") : t("bd_no_initiatives");
      nodes.push(this.emptyNode);
    }
    syncChildren(this.list, nodes);
    this.keyed.keep(used);
    this.renderHint();
    this.drawMap(ini, rows);
    restoreFocus(this.root, addr);
  }

  refresh() { this.render(this.item); }

  drawMap(ini, rows) {
    const svg = this.ctx.svg;
    const width = Math.max(320, Math.round(this.map.clientWidth || 520));
    const sig = JSON.stringify([ini && ini.id, ini && ini.name, rows.map((s) => [s.id, s.name, s.type, s.values.map((v) => v.text)]),
      Boolean(svg), Math.round(width / 40)]);
    if (sig === this.mapSig) return;
    this.mapSig = sig;
    if (!ini || !svg) { this.map.replaceChildren(el("p", "muted", ini ? t("bd_map_missing") : "")); return; }
    const drawing = svg.stakeholderMap({ initiative: { id: ini.id, name: ini.name }, stakeholders: rows },
      { width, height: Math.round(width * (width < 640 ? 0.95 : 0.8)), theme: "light", maxFontSize: 18 });
    this.map.replaceChildren(drawing);
  }

  roleOf(id) {
    const m = this.mode;
    if (!m) return "view";
    if (m.type === "merge") return m.id === id ? "source" : "target";
    if (m.type === "merge-confirm") return m.into === id ? "confirm" : m.id === id ? "source" : "view";
    return m.id === id ? m.type : "view";
  }

  node(sh, used) {
    const key = `sh:${sh.id}`;
    used.add(key);
    const role = this.roleOf(sh.id);
    const source = this.mode && this.mode.type.startsWith("merge") ? this.rows.find((x) => x.id === this.mode.id) : null;
    const sig = [sh.rev, sh.name, sh.type, sh.author, JSON.stringify(sh.values), role, source ? source.name : "",
      this.busy.has(key), this.errors.get(key) || "", Boolean(this.item)].join("\u0001");
    return this.keyed.get(key, sig, () => this.build1(sh, role, source));
  }

  build1(sh, role, source) {
    const key = `sh:${sh.id}`;
    const li = el("li", `bd-sh role-${role}`);
    li.dataset.stakeholder = String(sh.id);
    const head = el("div", "bd-sh-head");
    if (role === "edit") {
      const name = input("edit-name", this.mode.name, { max: MAX_NAME });
      name.dataset.select = "1";
      head.append(labelled(t("bd_sh_name"), name, "bd-field bd-grow"),
        labelled(t("bd_sh_type"), select("edit-type", typeOptions(), this.mode.kind)));
    } else {
      head.append(el("span", `badge bd-type bd-type-${sh.type}`, t(`bd_type_${sh.type}`)),
        el("h4", "bd-sh-name", sh.name));
      if (sh.author) head.append(el("span", "bd-sh-author muted", sh.author));
    }
    li.append(head);

    const values = el("ul", "bd-values");
    values.setAttribute("aria-label", t("bd_values"));
    for (const v of sh.values) {
      const chip = el("li", "bd-value");
      chip.append(el("span", "bd-value-text", v.text));
      const del = button("✕", "del-value", "bd-value-del");
      del.dataset.id = String(v.id);
      del.title = `${t("bd_delete_value")}: ${v.text}`;
      del.setAttribute("aria-label", del.title);
      chip.append(del);
      values.append(chip);
    }
    if (!sh.values.length) values.append(el("li", "bd-values-none muted", t("bd_no_values")));
    li.append(values);

    if (this.item) {
      const addValue = el("div", "bd-value-add");
      const field = input("value", "", { max: MAX_VALUE, placeholder: t("bd_new_value"), label: tf("bd_new_value_for", { name: sh.name }) });
      addValue.append(field, button(t("bd_add_value"), "add-value"));
      li.append(addValue);
    }

    const actions = el("div", "bd-sh-actions");
    if (role === "view") {
      actions.append(button(t("edit"), "edit"), button(t("bd_merge"), "merge"), button(t("delete"), "delete", "danger"));
    } else if (role === "edit") {
      actions.append(button(t("save"), "save", ""), button(t("cancel"), "cancel"));
    } else if (role === "delete") {
      actions.append(el("span", "bd-confirm", t("bd_delete_sh_confirm")),
        button(t("delete"), "delete-yes", "danger-solid"), button(t("cancel"), "cancel"));
    } else if (role === "source") {
      actions.append(el("span", "badge badge-merging", t("merging")), button(t("cancel"), "cancel"));
    } else if (role === "target") {
      actions.append(button(tf("bd_merge_here", { name: source.name }), "merge-pick", ""));
    } else if (role === "confirm") {
      actions.append(el("p", "bd-confirm", tf("bd_merge_sh_confirm", { from: source.name, into: sh.name })),
        button(t("merge_do"), "merge-yes", ""), button(t("cancel"), "cancel"));
    }
    li.append(actions);
    const error = this.errors.get(key);
    if (error) {
      const p = el("p", "error bd-error", error);
      p.setAttribute("role", "alert");
      li.append(p);
    }
    if (this.busy.has(key)) for (const c of li.querySelectorAll("button, input, select")) c.disabled = true;
    return li;
  }

  renderHint() {
    const m = this.mode;
    const picking = Boolean(m && m.type === "merge");
    this.hint.classList.toggle("hidden", !picking);
    this.list.classList.toggle("is-merging", picking);
    if (!picking) { this.hint.replaceChildren(); return; }
    const source = this.rows.find((x) => x.id === m.id);
    this.hint.replaceChildren(el("span", "mod-hint-text", t("bd_merge_sh_pick")),
      el("span", "mod-hint-source", `«${source ? source.name : ""}»`), button(t("cancel"), "cancel"));
  }

  // -- interaction -----------------------------------------------------------------------
  onClick(e) {
    const b = e.target.closest("button[data-act]");
    if (!b || b.disabled || !this.root.contains(b)) return;
    if (b.dataset.act === "cancel") { this.cancel(); return; }
    const host = b.closest("[data-stakeholder]");
    const sh = host && this.rows.find((x) => x.id === Number(host.dataset.stakeholder));
    if (sh) this.act(b.dataset.act, sh, b);
  }

  onKey(e) {
    if (e.key === "Escape" && this.mode) { e.preventDefault(); this.cancel(); return; }
    if (e.key !== "Enter" || e.isComposing) return;
    const f = e.target.dataset ? e.target.dataset.f : null;
    const host = e.target.closest("[data-stakeholder]");
    const sh = host && this.rows.find((x) => x.id === Number(host.dataset.stakeholder));
    if (!sh) return;
    if (f === "value") { e.preventDefault(); this.act("add-value", sh, e.target); }
    if (f === "edit-name") { e.preventDefault(); this.act("save", sh, e.target); }
  }

  act(act, sh, control) {
    const key = `sh:${sh.id}`;
    this.errors.delete(key);
    switch (act) {
      case "edit": this.setMode({ type: "edit", id: sh.id, name: sh.name, kind: sh.type }, key, "edit-name"); break;
      case "delete": this.setMode({ type: "delete", id: sh.id }, key, "cancel"); break;
      case "merge": {
        const first = this.rows.find((x) => x.id !== sh.id);
        this.setMode({ type: "merge", id: sh.id }, first ? `sh:${first.id}` : key, first ? "merge-pick" : "cancel");
        break;
      }
      case "merge-pick":
        if (this.mode && this.mode.type === "merge") this.setMode({ type: "merge-confirm", id: this.mode.id, into: sh.id }, key, "merge-yes");
        break;
      case "save": this.save(sh); break;
      case "delete-yes": this.remove(sh); break;
      case "merge-yes": this.merge(sh); break;
      case "add-value": this.addValue(sh, control.closest(".bd-value-add").querySelector("[data-f=value]")); break;
      case "del-value": this.deleteValue(sh, Number(control.dataset.id)); break;
      default:
    }
  }

  async call(key, event, payload) {
    this.busy.add(key);
    this.refresh();
    const ack = await this.ctx.live.call(event, payload);
    this.busy.delete(key);
    if (!ack || !ack.ok) this.errors.set(key, ackError(ack));
    return ack || { ok: false };
  }

  put(rows) { putRows(this.ctx.store, this.ctx.store.board.stakeholders, rows); }

  async add() {
    const name = this.addName.value.trim();
    const type = this.addType.value;
    if (!name) { this.addError.textContent = t("bd_name_empty"); this.addName.focus(); return; }
    if (!type) { this.addError.textContent = t("bd_pick_type_error"); this.addType.focus(); return; }
    const p = this.pendingAdd;
    if (!p || p.name !== name || p.type !== type || p.initiative !== this.initiative.id) {
      this.pendingAdd = { name, type, initiative: this.initiative.id, client_id: uuid() };
    }
    this.addButton.disabled = true;
    this.addError.textContent = "";
    const ack = await this.ctx.live.call("add_stakeholder", {
      client_id: this.pendingAdd.client_id, item_id: this.item.id, initiative_id: this.initiative.id, name, type,
    });
    this.addButton.disabled = false;
    if (ack && ack.ok) {
      this.pendingAdd = null;
      clearSent(this.addName, name);
      this.put([ack.stakeholder]);
      // Values come next: the keyboard goes to the new stakeholder's value field.
      const field = this.list.querySelector(`[data-key="sh:${ack.stakeholder.id}"] [data-f=value]`);
      if (field) field.focus(); else this.addName.focus();
    } else {
      this.addError.textContent = ackError(ack);
      this.addName.focus();
    }
  }

  async save(sh) {
    const key = `sh:${sh.id}`;
    const name = (this.mode.name || "").trim();
    if (!name) { this.errors.set(key, t("bd_name_empty")); this.refresh(); return; }
    const payload = { id: sh.id };
    if (name !== sh.name) payload.name = name;
    if (this.mode.kind !== sh.type) payload.type = this.mode.kind;
    if (Object.keys(payload).length === 1) { this.setMode(null, key, "edit"); return; }
    const ack = await this.call(key, "edit_stakeholder", payload);
    if (ack.ok) { this.mode = null; this.put([ack.stakeholder]); this.focusOn(key, "edit"); } else this.refresh();
  }

  async remove(sh) {
    const key = `sh:${sh.id}`;
    const ack = await this.call(key, "delete_stakeholder", { id: sh.id });
    if (ack.ok) {
      this.mode = null;
      this.ctx.announce(tf("bd_deleted", { name: sh.name }));
      this.put([{ ...sh, deleted: true }]);
      this.addName.focus();
    } else this.refresh();
  }

  async merge(into) {
    const m = this.mode;
    if (!m || m.type !== "merge-confirm") return;
    const key = `sh:${into.id}`;
    const source = this.rows.find((x) => x.id === m.id);
    const ack = await this.call(key, "merge_stakeholders", { id: m.id, into: into.id });
    if (ack.ok) {
      this.mode = null;
      this.put([ack.stakeholder, source && { ...source, deleted: true }]);
      this.focusOn(key, "merge");
    } else this.refresh();
  }

  async addValue(sh, field) {
    const key = `sh:${sh.id}`;
    const text = field.value.trim();
    if (!text) { this.errors.set(key, t("bd_value_empty")); this.refresh(); return; }
    if (text.length > MAX_VALUE) { this.errors.set(key, t("too_long")); this.refresh(); return; }
    const p = this.pendingValues.get(sh.id);
    if (!p || p.text !== text) this.pendingValues.set(sh.id, { text, client_id: uuid() });
    const ack = await this.call(key, "add_value", { client_id: this.pendingValues.get(sh.id).client_id, stakeholder_id: sh.id, text });
    if (ack.ok) {
      this.pendingValues.delete(sh.id);
      const live = this.list.querySelector(`[data-key="${key}"] [data-f=value]`);
      if (live) clearSent(live, text);
      this.put([ack.stakeholder]);
    } else this.refresh();
    this.focusOn(key, "value");
  }

  async deleteValue(sh, valueId) {
    const key = `sh:${sh.id}`;
    const ack = await this.call(key, "delete_value", { id: valueId });
    if (ack.ok) this.put([ack.stakeholder]); else this.refresh();
    this.focusOn(key, "value");
  }

  cancel() {
    const m = this.mode;
    if (!m) return;
    this.setMode(null, `sh:${m.id}`, m.type === "edit" ? "edit" : m.type === "delete" ? "delete" : "merge");
  }

  setMode(mode, key, act) {
    this.mode = mode;
    this.refresh();
    this.focusOn(key, act);
  }

  focusOn(key, act) { focusControl(this.list, key, act); }
}
