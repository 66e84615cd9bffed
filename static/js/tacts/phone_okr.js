// Tact 7 on a participant's phone: objectives and key results of each focus initiative
// (docs/PROTOCOL.md, "Tacts 6–7"). A key result with vague wording comes back with the server's
// warning beside its metric and a "Keep it anyway" that resends it with accept_vague. The forms
// are built once per initiative and objective and kept across live updates.
import { t } from "../i18n.js";
import { uuid } from "../live.js";
import {
  FocusView, button, el, field, fill, initiativeHead, keyed, refusedRow, stateLine, textError, textInput,
} from "./phone_common.js";

const OBJECTIVE_MAX = 300;
const METRIC_MAX = 200;
const UNIT_MAX = 40;
// The writes whose acks this module takes (phone_common's Writes takes tacts 3–5's).
const EVENTS = new Set(["add_objective", "add_key_result"]);

// An ack of this module's writes: the saved objective goes into the store, a refusal is kept with
// its reason and code ("vague" gets its own warning). Returns false for other events.
export function okrAck(writes, entry, ack) {
  if (!EVENTS.has(entry.event)) return false;
  if (ack && ack.ok) {
    if (ack.objective) writes.store.putRow(writes.store.board.objectives, ack.objective);
    return true;
  }
  writes.refused.push({ entry, error: (ack && ack.error) || t("error"), code: ack && ack.code });
  return true;
}

// -- formatting ------------------------------------------------------------------------------
const lang = () => document.documentElement.lang || undefined;

function number(x) {
  return new Intl.NumberFormat(lang(), { maximumFractionDigits: 6 }).format(x);
}

// "2025-06-30" as a date of the reader's language (the date alone: no time zone shifts it).
function day(iso) {
  const [y, m, d] = String(iso).split("-").map(Number);
  if (!y || !m || !d) return String(iso);
  return new Intl.DateTimeFormat(lang(), { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" })
    .format(new Date(Date.UTC(y, m - 1, d)));
}

// Today on this phone as YYYY-MM-DD (the server checks the deadline in the session's time zone).
function today() {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}

// A typed number ("1 500,5" too): a number, null when empty, NaN when it is not one.
function parseNumber(text) {
  const s = text.replace(/[\s\u00a0]/g, "").replace(",", ".");
  if (!s) return null;
  return /^[-+]?(\d+\.?\d*|\.\d+)$/.test(s) ? Number(s) : NaN;
}

// Set a select's options as groups ([label, [[value, text]]]) only when they changed.
function setGroupedOptions(select, first, groups) {
  const sig = JSON.stringify([first, groups]);
  if (select.dataset.sig === sig) return;
  const value = select.value;
  const option = ([v, text]) => {
    const o = el("option", "", text);
    o.value = v;
    return o;
  };
  const nodes = [option(first)];
  for (const [label, list] of groups) {
    if (!list.length) continue;
    const g = el("optgroup");
    g.label = label;
    g.append(...list.map(option));
    nodes.push(g);
  }
  select.replaceChildren(...nodes);
  select.dataset.sig = sig;
  if (groups.some(([, list]) => list.some(([v]) => v === value))) select.value = value;
}

// -- tact 7: objectives and key results ---------------------------------------------------------
export class OkrView extends FocusView {
  constructor(ctx, item) {
    super(ctx, item, "ph-okr");
  }

  // The group's participants by name (the snapshot's members), this phone first.
  people() {
    const { store, group, meId } = this.ctx;
    const people = new Map(store.membersOf(group).map((m) => [m.id, m.display_name]));
    if (store.me && store.me.group_id === group) people.set(meId, fill("ph6_me", { name: store.me.display_name }));
    return [...people].sort((a, b) => (a[0] === meId ? -1 : b[0] === meId ? 1 : a[1].localeCompare(b[1])));
  }

  ownerName(owner) {
    if (!owner) return "";
    if (owner.name) return owner.name;
    if (owner.kind === "stakeholder") return this.ctx.store.board.stakeholders.get(owner.id)?.name || "";
    return new Map(this.people()).get(owner.id) || "";
  }

  // "metric: baseline → target unit by deadline · owner", as spans (every part is user text).
  krLine(kr) {
    const line = el("span", "ph-kr-line");
    line.append(el("span", "ph-kr-metric", kr.metric), document.createTextNode(": "));
    const unit = kr.unit ? ` ${kr.unit}` : "";
    const figures = kr.baseline != null && kr.baseline !== ""
      ? `${number(kr.baseline)} → ${number(kr.target)}${unit}` : `${number(kr.target)}${unit}`;
    line.append(el("span", "ph-kr-figures", figures));
    if (kr.deadline) line.append(document.createTextNode(" "), el("span", "ph-kr-deadline", fill("ph6_by_date", { date: day(kr.deadline) })));
    const owner = typeof kr.owner === "string" ? this.ownerFromValue(kr.owner) : this.ownerName(kr.owner);
    if (owner) line.append(document.createTextNode(" · "), el("span", "ph-kr-owner", owner));
    return line;
  }

  // The name behind a form's owner value ("s12" / "p7"), for rows not saved yet.
  ownerFromValue(value) {
    const id = Number(value.slice(1));
    if (value[0] === "s") return this.ctx.store.board.stakeholders.get(id)?.name || "";
    return new Map(this.people()).get(id) || "";
  }

  section(id) {
    const { store, writes } = this.ctx;
    const node = el("section", "ph-init");
    node.dataset.initiativeId = id;
    const head = initiativeHead();
    const list = el("ul", "ph-objs");
    const cache = new Map();
    const rows = el("ul", "ph-rows");
    const adder = this.objectiveForm(id);
    node.append(head.node, list, rows, adder.node);
    return {
      node,
      update: (initiative, row, open) => {
        head.update(initiative, row);
        const objectives = store.objectivesOf(id);
        const parts = keyed(list, cache, objectives.map((o) => o.id), (oid) => this.objective(oid, id));
        parts.forEach((part, i) => part.update(objectives[i], open));
        const saved = new Set(objectives.map((o) => o.client_id));
        const extra = writes.pending("add_objective", (p) => p.initiative_id === id && !saved.has(p.client_id))
          .map((e) => {
            const li = el("li", "ph-row ph-pending ph-obj-text", e.payload.text);
            li.append(stateLine("pending", writes.waiting()));
            return li;
          });
        for (const f of writes.failed("add_objective", (p) => p.initiative_id === id)) {
          extra.push(refusedRow(writes, f, f.entry.payload.text, open && adder.restore, this.ctx.refresh));
        }
        if (!objectives.length && !extra.length) extra.push(el("li", "empty", t("ph6_no_objectives")));
        rows.replaceChildren(...extra);
        adder.update(open);
      },
    };
  }

  objectiveForm(initiativeId) {
    const { writes } = this.ctx;
    const form = el("form", "ph-form ph-obj-form");
    form.noValidate = true;
    const text = el("textarea");
    text.name = "text";
    text.rows = 2;
    text.maxLength = OBJECTIVE_MAX;
    text.placeholder = t("ph6_objective_placeholder");
    const err = el("p", "error");
    err.setAttribute("role", "alert");
    const submit = el("button", "ph-submit", t("ph6_add_objective"));
    submit.type = "submit";
    submit.dataset.action = "add-objective";
    form.append(el("h3", "ph-form-title", t("ph6_add_objective")),
      field(t("ph6_objective"), text, `ph-obj-${initiativeId}-text`), submit, err);
    form.addEventListener("input", () => { err.textContent = ""; });
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      const body = text.value.trim();
      err.textContent = textError(body, OBJECTIVE_MAX);
      if (err.textContent) return;
      writes.send("add_objective", { client_id: uuid(), item_id: this.item.id, initiative_id: initiativeId, text: body });
      text.value = "";
      this.ctx.refresh();
    });
    return {
      node: form,
      update: (open) => { form.hidden = !open; },
      restore: (p) => { text.value = p.text; text.focus(); },
    };
  }

  // One objective: its text, its key results, and the form to add one more.
  objective(id, initiativeId) {
    const { store, writes, meId } = this.ctx;
    const node = el("li", "ph-obj");
    node.dataset.objectiveId = id;
    const head = el("div", "ph-obj-head");
    const krs = el("ul", "ph-krs");
    const more = el("details", "ph-more ph-kr-more");
    const summary = el("summary", "", t("ph6_add_kr"));
    const form = this.krForm(id, initiativeId, more);
    more.append(summary, form.node);
    node.append(head, krs, more);
    return {
      node,
      update: (o, open) => {
        const who = el("div", "ph-obj-who");
        who.append(el("p", "ph-obj-text", o.text));
        if (o.author) who.append(el("span", "ph-author", o.author));
        head.replaceChildren(who);
        if (o.participant_id === meId && open) {
          const del = button("✕", "ph-icon danger", () => writes.remove("delete_objective", o, store.board.objectives));
          del.dataset.action = "delete-objective";
          del.setAttribute("aria-label", t("ph6_delete_objective"));
          del.title = t("ph6_delete_objective");
          head.append(del);
        }
        const results = o.key_results || [];
        const rows = results.map((kr) => {
          const li = el("li", "ph-row ph-kr");
          li.dataset.keyResultId = kr.id;
          li.append(this.krLine(kr));
          if (kr.vague_accepted) li.append(el("span", "ph-kr-vague", t("ph6_vague_kept")));
          if (kr.participant_id === meId && open) {
            const del = button("✕", "ph-icon danger", () => writes.remove("delete_key_result", kr, null));
            del.dataset.action = "delete-key-result";
            del.setAttribute("aria-label", t("ph6_delete_kr"));
            del.title = t("ph6_delete_kr");
            li.append(del);
          }
          return li;
        });
        const saved = new Set(results.map((kr) => kr.client_id));
        for (const e of writes.pending("add_key_result", (p) => p.objective_id === id && !saved.has(p.client_id))) {
          const li = el("li", "ph-row ph-kr ph-pending");
          li.append(this.krLine(e.payload), stateLine("pending", writes.waiting()));
          rows.push(li);
        }
        for (const f of writes.failed("add_key_result", (p) => p.objective_id === id)) {
          // A vague metric goes back into an untouched form, its warning beside the metric.
          if (f.code === "vague" && open && form.empty()) {
            writes.forget(f);
            form.restore(f.entry.payload, f.error);
            continue;
          }
          rows.push(this.refusedKr(f, open, form));
        }
        if (!rows.length) rows.push(el("li", "empty", t("ph6_no_krs")));
        krs.replaceChildren(...rows);
        form.update(open);
        more.hidden = !open;
      },
    };
  }

  // A refused key result kept as a row: its line, the reason, "Keep it anyway" when only the
  // wording was vague, "Edit" (back into the form) and "Delete" (forget it).
  refusedKr(f, open, form) {
    const { writes } = this.ctx;
    const li = refusedRow(writes, f, "", open && ((p) => form.restore(p, f.code === "vague" ? f.error : "")),
      this.ctx.refresh);
    li.classList.add("ph-kr");
    li.prepend(this.krLine(f.entry.payload));
    if (f.code === "vague") {
      li.classList.add("ph-vague-row");
      li.querySelector(".ph-state").textContent = `⚠ ${f.error}`;
      if (open) {
        const keep = button(t("ph6_keep_anyway"), "ph-keep", () => {
          writes.forget(f);
          writes.send("add_key_result", { ...f.entry.payload, accept_vague: true });
          this.ctx.refresh();
        });
        keep.dataset.action = "keep-vague";
        li.querySelector(".ph-actions").prepend(keep);
      }
    }
    return li;
  }

  krForm(objectiveId, initiativeId, details) {
    const { store, writes } = this.ctx;
    const pre = `ph-kr-${objectiveId}`;
    const form = el("form", "ph-form ph-kr-form");
    form.noValidate = true;
    const metric = textInput("metric", METRIC_MAX, t("ph6_metric_placeholder"));
    const vague = el("div", "ph-vague");
    vague.hidden = true;
    const vagueText = el("p", "ph-vague-text");
    vagueText.setAttribute("role", "alert");
    const keep = el("button", "ph-keep", t("ph6_keep_anyway"));
    keep.type = "button";
    keep.dataset.action = "keep-vague";
    vague.append(vagueText, keep);
    const numberInput = (name) => {
      const input = textInput(name, 24);
      input.inputMode = "decimal";
      return input;
    };
    const baseline = numberInput("baseline");
    const target = numberInput("target");
    const unit = textInput("unit", UNIT_MAX, t("ph6_unit_placeholder"));
    const deadline = el("input");
    deadline.type = "date";
    deadline.name = "deadline";
    const owner = el("select");
    owner.name = "owner";
    const err = el("p", "error");
    err.setAttribute("role", "alert");
    const submit = el("button", "ph-submit", t("ph6_add_kr"));
    submit.type = "submit";
    submit.dataset.action = "add-key-result";
    const metricField = field(t("ph6_metric"), metric, `${pre}-metric`);
    metricField.append(vague);
    const figures = el("div", "ph-kr-figures-row");
    figures.append(field(t("ph6_baseline"), baseline, `${pre}-baseline`),
      field(t("ph6_target"), target, `${pre}-target`), field(t("ph6_unit"), unit, `${pre}-unit`));
    form.append(metricField, figures, field(t("ph6_deadline"), deadline, `${pre}-deadline`),
      field(t("ph6_owner"), owner, `${pre}-owner`), submit, err);
    metric.addEventListener("input", () => { vague.hidden = true; });
    form.addEventListener("input", () => { err.textContent = ""; });
    form.addEventListener("change", () => { err.textContent = ""; });

    // The payload from the form, or null with the reason shown.
    const read = () => {
      const m = metric.value.trim();
      const base = parseNumber(baseline.value);
      const goal = parseNumber(target.value);
      err.textContent = textError(m, METRIC_MAX)
        || (Number.isNaN(base) ? t("ph6_baseline_not_number") : "")
        || (goal === null ? t("ph6_target_required") : Number.isNaN(goal) ? t("ph6_target_not_number") : "")
        || (unit.value.trim().length > UNIT_MAX ? t("too_long") : "")
        || (!deadline.value ? t("ph6_deadline_required") : deadline.value < today() ? t("ph6_deadline_past") : "")
        || (!owner.value ? t("ph6_choose_owner") : "");
      if (err.textContent) return null;
      const payload = { client_id: uuid(), objective_id: objectiveId, metric: m, target: goal,
        unit: unit.value.trim(), deadline: deadline.value, owner: owner.value };
      if (base !== null) payload.baseline = base;
      return payload;
    };
    const clear = () => {
      for (const input of [metric, baseline, target, unit]) input.value = "";
      vague.hidden = true;
    };
    const send = (acceptVague) => {
      const payload = read();
      if (!payload) return;
      if (acceptVague) payload.accept_vague = true;
      writes.send("add_key_result", payload);
      clear();
      this.ctx.refresh();
    };
    form.addEventListener("submit", (e) => { e.preventDefault(); send(false); });
    keep.addEventListener("click", () => send(true));
    return {
      node: form,
      empty: () => [metric, baseline, target, unit].every((x) => !x.value.trim()),
      update: () => {
        deadline.min = today();
        const stakeholders = store.stakeholdersOf(initiativeId).map((s) => [`s${s.id}`, s.name]);
        const people = this.people().map(([id, name]) => [`p${id}`, name]);
        setGroupedOptions(owner, ["", t("ph6_choose_owner")],
          [[t("ph6_owners_stakeholders"), stakeholders], [t("ph6_owners_group"), people]]);
      },
      // Back into the form (a refused one, or a vague one with the server's warning).
      restore: (p, warning) => {
        details.open = true;
        metric.value = p.metric;
        baseline.value = p.baseline == null ? "" : String(p.baseline);
        target.value = p.target == null ? "" : String(p.target);
        unit.value = p.unit || "";
        deadline.value = p.deadline || "";
        if ([...owner.options].some((o) => o.value === p.owner)) owner.value = p.owner;
        vagueText.textContent = warning ? `⚠ ${warning}` : "";
        vague.hidden = !warning;
        metric.focus();
      },
    };
  }
}
