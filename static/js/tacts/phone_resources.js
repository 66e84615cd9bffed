// Tact 5 on a participant's phone: the resource flows of each focus initiative and the balance
// per stakeholder. Each form is built once per initiative and kept across live updates, so a
// half-filled form keeps its choices and its focus.
import { t } from "../i18n.js";
import { uuid } from "../live.js";
import {
  FocusView, button, el, field, fill, initiativeHead, refusedRow, setOptions, stateLine, textInput,
} from "./phone_common.js";
import { stakeholderAdder } from "./phone_stakeholders.js";

const RESOURCES = ["money", "premises", "people", "expertise", "equipment", "information", "media",
  "legitimacy", "time", "other"];
const MARKS = ["given", "spent", "gained"];
const RESOURCE_TEXT_MAX = 120;

// -- tact 5: resource flows and the balance ---------------------------------------------------
export class ResourcesView extends FocusView {
  constructor(ctx, item) {
    super(ctx, item, "ph-resources");
  }

  // Who a flow's end is: the initiative itself (null) or a stakeholder.
  nameOf(id) {
    if (id == null) return t("ph_itself");
    const sh = this.ctx.store.board.stakeholders.get(id);
    return sh ? sh.name : t("ph_removed_stakeholder");
  }

  flowText(p) {
    const resource = t(`ph_res_${p.resource}`) + (p.resource_text ? ` (${p.resource_text})` : "");
    return { ends: `${this.nameOf(p.source_id)} → ${this.nameOf(p.target_id)}`,
      resource, mark: t(`ph_mark_${p.mark}`) };
  }

  flowRow(p) {
    const { ends, resource, mark } = this.flowText(p);
    const li = el("li", "ph-row ph-flow");
    li.append(el("span", "ph-flow-ends", ends), el("span", "ph-flow-res", resource),
      el("span", `ph-mark ph-mark-${p.mark}`, mark));
    return li;
  }

  section(id) {
    const { store, writes, meId } = this.ctx;
    const node = el("section", "ph-init");
    node.dataset.initiativeId = id;
    const head = initiativeHead();
    const list = el("ul", "ph-rows ph-flows");
    const form = this.flowForm(id);
    const balance = el("div", "ph-balance");
    // A flow needs both of its sides: a missing stakeholder can still be added here.
    const more = el("details", "ph-more");
    const adder = stakeholderAdder(this.ctx, this.item.id, id);
    more.append(el("summary", "", t("ph_missing_side")), adder.node);
    node.append(head.node, list, more, form.node, balance);
    return {
      node,
      update: (initiative, row, open) => {
        head.update(initiative, row);
        const flows = store.flowsOf(id);
        const rows = flows.map((f) => {
          const li = this.flowRow(f);
          li.dataset.flowId = f.id;
          if (f.participant_id === meId && open) {
            const del = button("✕", "ph-icon danger", () => writes.remove("delete_flow", f, store.board.flows));
            del.dataset.action = "delete-flow";
            del.setAttribute("aria-label", t("ph_delete_flow"));
            li.append(del);
          }
          return li;
        });
        const saved = new Set(flows.map((f) => f.client_id));
        for (const e of writes.pending("add_flow", (p) => p.initiative_id === id && !saved.has(p.client_id))) {
          const li = this.flowRow(e.payload);
          li.classList.add("ph-pending");
          li.append(stateLine("pending", writes.waiting()));
          rows.push(li);
        }
        for (const f of writes.failed("add_flow", (p) => p.initiative_id === id)) {
          const { ends, resource } = this.flowText(f.entry.payload);
          rows.push(refusedRow(writes, f, `${ends}: ${resource}`, open && form.restore, this.ctx.refresh));
        }
        if (!rows.length) rows.push(el("li", "empty", t("ph_no_flows")));
        list.replaceChildren(...rows);
        form.update(open);
        adder.update(store.stakeholdersOf(id), open, "");
        more.hidden = !open && !more.querySelector(".ph-row");
        this.updateBalance(balance, id);
      },
    };
  }

  flowForm(initiativeId) {
    const { store, writes } = this.ctx;
    const form = el("form", "ph-form ph-flow-form");
    form.noValidate = true;
    const pre = `ph-flow-${initiativeId}`;
    const from = el("select");
    from.name = "source";
    const to = el("select");
    to.name = "target";
    const resource = el("select");
    resource.name = "resource";
    setOptions(resource, [["", t("ph_choose_resource")], ...RESOURCES.map((x) => [x, t(`ph_res_${x}`)])]);
    const text = textInput("resource_text", RESOURCE_TEXT_MAX, t("ph_resource_text_placeholder"));
    const marks = el("fieldset", "ph-marks");
    marks.append(el("legend", "", t("ph_mark")));
    for (const m of MARKS) {
      const label = el("label", "ph-mark-choice");
      const radio = el("input");
      radio.type = "radio";
      radio.name = `${pre}-mark`;
      radio.value = m;
      label.append(radio, el("span", "", t(`ph_mark_${m}`)));
      marks.append(label);
    }
    const err = el("p", "error");
    err.setAttribute("role", "alert");
    const submit = el("button", "ph-submit", t("ph_add_flow"));
    submit.type = "submit";
    form.append(el("h3", "ph-form-title", t("ph_add_flow")),
      field(t("ph_from"), from, `${pre}-from`), field(t("ph_to"), to, `${pre}-to`),
      field(t("ph_resource"), resource, `${pre}-resource`),
      field(t("ph_resource_text"), text, `${pre}-text`), marks, submit, err);
    const mark = () => form.querySelector(`input[name="${pre}-mark"]:checked`)?.value || "";
    form.addEventListener("input", () => { err.textContent = ""; });
    form.addEventListener("change", () => { err.textContent = ""; });
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      const source = from.value === "" ? null : Number(from.value);
      const target = to.value === "" ? null : Number(to.value);
      const extra = text.value.trim();
      err.textContent = source === target ? t("ph_same_ends") : !resource.value ? t("ph_choose_resource")
        : extra.length > RESOURCE_TEXT_MAX ? t("too_long") : !mark() ? t("ph_choose_mark") : "";
      if (err.textContent) return;
      writes.send("add_flow", { client_id: uuid(), item_id: this.item.id, initiative_id: initiativeId,
        source_id: source, target_id: target, resource: resource.value, resource_text: extra, mark: mark() });
      text.value = "";
      this.ctx.refresh();
    });
    return {
      node: form,
      update: (open) => {
        form.hidden = !open;
        const ends = [["", t("ph_itself")],
          ...store.stakeholdersOf(initiativeId).map((s) => [String(s.id), s.name])];
        setOptions(from, ends);
        setOptions(to, ends);
      },
      restore: (p) => {
        from.value = p.source_id == null ? "" : String(p.source_id);
        to.value = p.target_id == null ? "" : String(p.target_id);
        resource.value = p.resource;
        text.value = p.resource_text || "";
        const radio = form.querySelector(`input[name="${pre}-mark"][value="${p.mark}"]`);
        if (radio) radio.checked = true;
        from.focus();
      },
    };
  }

  // Per stakeholder: what it gives, spends and gains, and a flag (icon and words) when one-sided.
  updateBalance(node, initiativeId) {
    const balance = this.ctx.store.balanceOf(initiativeId);
    const rows = balance ? balance.rows : [];
    const title = el("h3", "ph-form-title", t("ph_balance"));
    if (!rows.length) { node.replaceChildren(title, el("p", "ph-hint", t("ph_balance_empty"))); return; }
    const ul = el("ul", "ph-rows");
    for (const r of rows) {
      const li = el("li", r.flag ? "ph-row ph-bal ph-flagged" : "ph-row ph-bal");
      li.dataset.stakeholderId = r.stakeholder_id;
      li.append(el("span", "ph-bal-name", r.name), el("span", "ph-bal-counts", fill("ph_balance_counts",
        { gives: r.gives.length, spends: r.spends.length, gains: r.gains.length })));
      if (r.flag) {
        const flag = el("p", "ph-flag");
        flag.dataset.flag = r.flag;
        // The server's reason names the flag in words; the label stands in when it has none.
        flag.textContent = `⚠ ${r.reason || t(`ph_flag_${r.flag}`)}`;
        li.append(flag);
      }
      ul.append(li);
    }
    node.replaceChildren(title, ul);
  }
}
