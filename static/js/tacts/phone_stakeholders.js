// Tact 4 on a participant's phone: the stakeholders of each focus initiative with their values.
// The form to add a stakeholder is shared with tact 5 (phone_resources.js). Each form is built
// once per initiative and kept across live updates, so a half-typed form keeps its text and focus.
import { t } from "../i18n.js";
import { uuid } from "../live.js";
import {
  FocusView, NAME_MAX, button, el, field, initiativeHead, keyed, refusedRow, setOptions, stateLine,
  textError, textInput,
} from "./phone_common.js";

const STAKEHOLDER_TYPES = ["public_body", "ngo", "business", "community", "media", "person", "other"];
const VALUE_MAX = 200;

// -- tact 4: stakeholders and their values ----------------------------------------------------
// The form to add a stakeholder to an initiative (tacts 4 and 5), with the ones not yet saved
// (pending) or refused above it. update(stakeholders, open, empty) redraws only those rows.
export function stakeholderAdder(ctx, itemId, initiativeId) {
  const { writes } = ctx;
  const node = el("div", "ph-sh-adder");
  const rows = el("ul", "ph-rows");
  const form = el("form", "ph-form ph-sh-form");
  form.noValidate = true;
  node.append(rows, form);
  const name = textInput("name", NAME_MAX, t("ph_sh_name_placeholder"));
  const type = el("select");
  type.name = "type";
  setOptions(type, [["", t("ph_choose_type")], ...STAKEHOLDER_TYPES.map((x) => [x, t(`ph_type_${x}`)])]);
  const value = textInput("value", VALUE_MAX, t("ph_value_placeholder"));
  const err = el("p", "error");
  err.setAttribute("role", "alert");
  const submit = el("button", "ph-submit", t("ph_add_stakeholder"));
  submit.type = "submit";
  submit.dataset.action = "add-stakeholder";
  const pre = `ph-sh-${initiativeId}`;
  form.append(el("h3", "ph-form-title", t("ph_add_stakeholder")),
    field(t("ph_sh_name"), name, `${pre}-name`), field(t("ph_sh_type"), type, `${pre}-type`),
    field(t("ph_first_value"), value, `${pre}-value`), submit, err);
  form.addEventListener("input", () => { err.textContent = ""; });
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const text = name.value.trim();
    const first = value.value.trim();
    err.textContent = textError(text, NAME_MAX) || (type.value ? "" : t("ph_choose_type"))
      || (first.length > VALUE_MAX ? t("too_long") : "");
    if (err.textContent) return;
    writes.send("add_stakeholder", { client_id: uuid(), item_id: itemId, initiative_id: initiativeId,
      name: text, type: type.value, values: first ? [first] : [] });
    name.value = "";
    value.value = "";
    ctx.refresh();
  });
  const restore = (p) => {
    name.value = p.name;
    type.value = p.type;
    value.value = (p.values || [])[0] || "";
    name.focus();
  };
  return {
    node,
    update: (stakeholders, open, empty) => {
      const saved = new Set(stakeholders.map((x) => x.client_id));
      const list = writes.pending("add_stakeholder", (p) => p.initiative_id === initiativeId && !saved.has(p.client_id))
        .map((e) => {
          const li = el("li", "ph-row ph-pending", e.payload.name);
          li.append(stateLine("pending", writes.waiting()));
          return li;
        });
      for (const f of writes.failed("add_stakeholder", (p) => p.initiative_id === initiativeId)) {
        list.push(refusedRow(writes, f, f.entry.payload.name, open && restore, ctx.refresh));
      }
      if (!stakeholders.length && !list.length && empty) list.push(el("li", "empty", empty));
      rows.replaceChildren(...list);
      form.hidden = !open;
    },
  };
}

export class StakeholdersView extends FocusView {
  constructor(ctx, item) {
    super(ctx, item, "ph-stakeholders");
  }

  section(id) {
    const { store } = this.ctx;
    const node = el("section", "ph-init");
    node.dataset.initiativeId = id;
    const head = initiativeHead();
    const list = el("ul", "ph-shs");
    const cache = new Map();
    const adder = stakeholderAdder(this.ctx, this.item.id, id);
    node.append(head.node, list, adder.node);
    return {
      node,
      update: (initiative, row, open) => {
        head.update(initiative, row);
        const shs = store.stakeholdersOf(id);
        const parts = keyed(list, cache, shs.map((s) => s.id), (sid) => this.stakeholder(sid));
        parts.forEach((part, i) => part.update(shs[i], open));
        adder.update(shs, open, t("ph_no_stakeholders"));
      },
    };
  }

  // One stakeholder: name, type, values as chips, and a one-line form to add a value.
  stakeholder(id) {
    const { store, writes, meId } = this.ctx;
    const node = el("li", "ph-sh");
    node.dataset.stakeholderId = id;
    const head = el("div", "ph-sh-head");
    const values = el("ul", "ph-values");
    const form = el("form", "ph-form ph-inline ph-value-form");
    form.noValidate = true;
    const input = textInput("value", VALUE_MAX, t("ph_more_value"));
    input.setAttribute("aria-label", t("ph_add_value"));
    const add = el("button", "secondary", t("ph_add"));
    add.type = "submit";
    add.dataset.action = "add-value";
    const err = el("p", "error");
    err.setAttribute("role", "alert");
    const row = el("div", "ph-form-row");
    row.append(input, add);
    form.append(row, err);
    node.append(head, values, form);
    input.addEventListener("input", () => { err.textContent = ""; });
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      const text = input.value.trim();
      err.textContent = textError(text, VALUE_MAX);
      if (err.textContent) return;
      writes.send("add_value", { client_id: uuid(), stakeholder_id: id, text });
      input.value = "";
      this.ctx.refresh();
    });
    return {
      node,
      update: (sh, open) => {
        const own = sh.participant_id === meId;
        const who = el("div", "ph-sh-who");
        who.append(el("span", "ph-sh-name", sh.name), el("span", "ph-type", t(`ph_type_${sh.type}`)));
        head.replaceChildren(who);
        if (own && open) {
          const del = button("✕", "ph-icon danger", () => writes.remove("delete_stakeholder", sh, store.board.stakeholders));
          del.dataset.action = "delete-stakeholder";
          del.setAttribute("aria-label", t("ph_delete_stakeholder"));
          del.title = t("ph_delete_stakeholder");
          head.append(del);
        }
        const chips = sh.values.map((x) => {
          const li = el("li", "ph-value");
          li.append(el("span", "ph-value-text", x.text));
          if (x.participant_id === meId && open) {
            const del = button("✕", "ph-chip-del", () => writes.remove("delete_value", x, null));
            del.dataset.action = "delete-value";
            del.setAttribute("aria-label", t("ph_delete_value"));
            li.append(del);
          }
          return li;
        });
        const saved = new Set(sh.values.map((x) => x.client_id));
        for (const e of writes.pending("add_value", (p) => p.stakeholder_id === id && !saved.has(p.client_id))) {
          const li = el("li", "ph-value ph-pending");
          li.append(el("span", "ph-value-text", e.payload.text));
          li.append(stateLine("pending", writes.waiting()));
          chips.push(li);
        }
        for (const f of writes.failed("add_value", (p) => p.stakeholder_id === id)) {
          chips.push(refusedRow(writes, f, f.entry.payload.text,
            open && ((p) => { input.value = p.text; input.focus(); }), this.ctx.refresh));
        }
        values.replaceChildren(...chips);
        form.hidden = !open;
      },
    };
  }
}
