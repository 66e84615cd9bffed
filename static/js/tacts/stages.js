// The stage diagnosis and support measures (kind `stages`, seed 002; docs/PROTOCOL.md, "Stages
// and support measures") on the phone, the group moderator's board and the projector: PhoneView,
// BoardView and ProjectorView, mounted by the hosts through kind_views.js (the kind's `views`,
// facilitation/tacts/stages.py). The group
// places each initiative on the seven stages of a social project (participants suggest, the
// moderator decides), with each stage's content, factors and risks as guidance; then picks
// support measures from the matrix kinds × phases or adds its own. Rows: store.tacts.stages.places
// and .measures; the catalog (stages and the matrix, in the session's language) comes with them.
// User text only ever goes in through textContent.
import { t } from "../i18n.js";
import { uuid } from "../live.js";
import { ackError, button as bdButton, clearSent, el, focusAddress, restoreFocus, tf } from "./board_common.js";
import { FocusView, button, initiativeHead, refusedRow, setOptions, stateLine, textError, textInput } from "./phone_common.js";
import {
  InitiativeBoard, deleteOwnRow, groupInitiatives, ikigaiFocus, keepRows, tactAck,
} from "./support_common.js";

const KIND = "stages";
export const MEASURE_KINDS = ["financial", "property", "information", "consulting", "staffing"];
export const PHASES = ["emergence", "formalization", "expansion"];
const MEASURE_MAX = 200;
const NOTE_MAX = 300;
const LISTS = { place: "places", measure: "measures" };

const takeAck = tactAck(KIND, LISTS);

function catalog(store) {
  const c = store.tacts.stages && store.tacts.stages.catalog;
  return c || { stages: [], measures: [] };
}

export function placeOf(store, itemId, initiativeId) {
  return store.tactRows(KIND, "places", (p) => p.item_id === itemId && p.initiative_id === initiativeId)[0] || null;
}

export function measuresOf(store, itemId, initiativeId) {
  return store.tactRows(KIND, "measures", (m) => m.item_id === itemId && m.initiative_id === initiativeId)
    .sort((a, b) => MEASURE_KINDS.indexOf(a.kind) - MEASURE_KINDS.indexOf(b.kind) || a.id - b.id);
}

const stageName = (s) => `${s.n}. ${s.name}`;

// A stage's guidance: content, factors, risks.
function guidance(stage) {
  const box = el("div", "st-guide");
  const line = (label, text, cls) => {
    const p = el("p", cls);
    p.append(el("b", "", `${label}: `), document.createTextNode(text));
    return p;
  };
  box.append(line(t("st_content"), stage.content, "st-content"),
    line(t("st_factors"), stage.factors.join(", "), "st-factors"),
    line(t("st_risks"), stage.risks.join(", "), "st-risks"));
  return box;
}

// -- the phone ---------------------------------------------------------------------------------
export class PhoneView extends FocusView {
  // ctx (phone_tacts.js): store, live, writes, meId, group, refresh
  constructor(ctx, item) {
    super(ctx, item, "ph-stages");
  }

  // phone_tacts.js hands this view the acks of this kind's `tact` writes while it is shown.
  onAck(entry, ack) { return takeAck(this.ctx.writes, entry, ack); }

  section(id) {
    const { store, writes, meId } = this.ctx;
    const itemId = this.item.id;
    const node = el("section", "ph-init st-init");
    node.dataset.initiativeId = id;
    const head = initiativeHead();
    const focus = el("p", "st-ik-focus");
    const decided = el("p", "st-decided");
    const voteTitle = el("h3", "ph-form-title", t("st_suggest"));
    const stages = el("div", "st-stage-buttons");
    stages.setAttribute("role", "group");
    stages.setAttribute("aria-label", t("st_suggest"));
    const guide = el("div", "st-guide-slot");
    const measuresTitle = el("h3", "ph-form-title", t("st_measures"));
    const list = el("ul", "ph-rows st-measures");
    const pick = el("div", "st-pick");
    const pickKind = el("select");
    pickKind.setAttribute("aria-label", t("st_kind"));
    const pickList = el("ul", "st-pick-list");
    pick.append(pickKind, pickList);
    const own = el("form", "ph-form st-own");
    own.noValidate = true;
    const ownKind = el("select");
    ownKind.name = "kind";
    ownKind.setAttribute("aria-label", t("st_kind"));
    setOptions(ownKind, MEASURE_KINDS.map((k) => [k, t(`st_kind_${k}`)]));
    const ownPhase = el("select");
    ownPhase.name = "phase";
    ownPhase.setAttribute("aria-label", t("st_phase"));
    setOptions(ownPhase, [...PHASES, "any"].map((k) => [k, t(`st_phase_${k}`)]));
    const ownText = textInput("text", MEASURE_MAX, t("st_own_ph"));
    ownText.setAttribute("aria-label", t("st_own"));
    const ownErr = el("p", "error");
    ownErr.setAttribute("role", "alert");
    const ownAdd = el("button", "secondary", t("st_add"));
    ownAdd.type = "submit";
    ownAdd.dataset.action = "add-own-measure";
    const selects = el("div", "ph-form-row st-own-selects");
    selects.append(ownKind, ownPhase);
    const row = el("div", "ph-form-row");
    row.append(ownText, ownAdd);
    own.append(el("h3", "ph-form-title", t("st_own")), selects, row, ownErr);
    ownText.addEventListener("input", () => { ownErr.textContent = ""; });
    pickKind.addEventListener("change", () => this.ctx.refresh());
    own.addEventListener("submit", (e) => {
      e.preventDefault();
      const text = ownText.value.trim();
      ownErr.textContent = textError(text, MEASURE_MAX);
      if (ownErr.textContent) return;
      writes.send("tact", { kind: KIND, action: "add_measure", client_id: uuid(), item_id: itemId,
        initiative_id: id, measure_kind: ownKind.value, phase: ownPhase.value, text });
      ownText.value = "";
      this.ctx.refresh();
    });
    node.append(head.node, focus, decided, voteTitle, stages, guide, measuresTitle, list, pick, own);
    let pickSig = "";
    return {
      node,
      update: (initiative, listRow, open) => {
        head.update(initiative, listRow);
        const cat = catalog(store);
        const ik = ikigaiFocus(store, id);
        focus.textContent = ik ? `${t("st_ikigai_focus")}: ${ik}` : "";
        focus.hidden = !ik;
        const place = placeOf(store, itemId, id);
        const pending = writes.pending("tact", (p) => p.kind === KIND && p.action === "vote" && p.initiative_id === id);
        const mine = pending.length ? pending[pending.length - 1].payload.stage
          : (place && place.votes[String(meId)]) || null;
        const group = place && place.stage ? cat.stages.find((s) => s.n === place.stage) : null;
        decided.textContent = group ? `${t("st_placed")}: ${stageName(group)}` : t("st_not_placed");
        decided.classList.toggle("is-set", Boolean(group));
        const sig = JSON.stringify([cat.stages.length, mine, place && place.counts, place && place.stage, open]);
        if (stages.dataset.sig !== sig) {
          stages.dataset.sig = sig;
          stages.replaceChildren(...cat.stages.map((s) => {
            const b = button("", s.n === mine ? "st-stage is-mine" : "st-stage secondary", () => {
              writes.send("tact", { kind: KIND, action: "vote", item_id: itemId, initiative_id: id,
                stage: s.n === mine ? null : s.n }, `stage-vote:${itemId}:${id}`);
              this.ctx.refresh();
            });
            b.dataset.stage = s.n;
            b.setAttribute("aria-pressed", s.n === mine ? "true" : "false");
            b.disabled = !open;
            b.append(el("span", "st-stage-n", String(s.n)), el("span", "st-stage-name", s.name));
            const n = place && place.counts[String(s.n)];
            if (n) b.append(el("span", "st-count", t("st_votes_n").replace("{n}", n)));
            if (place && place.stage === s.n) b.classList.add("is-group");
            return b;
          }));
        }
        for (const f of writes.failed("tact", (p) => p.kind === KIND && p.action === "vote" && p.initiative_id === id)) {
          stages.append(stateLine("failed", `✗ ${t("not_saved")}: ${f.error}`));
          writes.forget(f);
        }
        const shownStage = cat.stages.find((s) => s.n === (mine || (place && place.stage)));
        guide.replaceChildren(...(shownStage ? [guidance(shownStage)] : []));
        // Measures chosen, then the matrix's measures of the kind picked, for the stage's phase first.
        const chosen = measuresOf(store, itemId, id);
        const saved = new Set(chosen.map((m) => m.client_id));
        const rows = chosen.map((m) => {
          const li = el("li", "ph-row st-measure");
          li.dataset.measureId = m.id;
          li.append(el("span", "st-kind", t(`st_kind_${m.kind}`)), el("span", "st-measure-text", m.text));
          if (!m.catalog_key) li.append(el("span", "st-own-mark", t("st_own_mark")));
          if (m.participant_id === meId && open) {
            const del = button("✕", "ph-chip-del", () => this.remove(m));
            del.setAttribute("aria-label", t("st_delete"));
            del.dataset.action = "delete-measure";
            li.append(del);
          }
          return li;
        });
        const isAdd = (p) => p.kind === KIND && p.action === "add_measure" && p.initiative_id === id;
        for (const e of writes.pending("tact", (p) => isAdd(p) && !saved.has(p.client_id))) {
          const text = e.payload.text || (cat.measures.find((m) => m.key === e.payload.catalog_key) || {}).text || "";
          const li = el("li", "ph-row ph-pending", text);
          li.append(stateLine("pending", writes.waiting()));
          rows.push(li);
        }
        for (const f of writes.failed("tact", isAdd)) {
          const text = f.entry.payload.text || (cat.measures.find((m) => m.key === f.entry.payload.catalog_key) || {}).text || "";
          rows.push(refusedRow(writes, f, text, open && !f.entry.payload.catalog_key && ((p) => { ownText.value = p.text; ownText.focus(); }), this.ctx.refresh));
        }
        if (!rows.length) rows.push(el("li", "empty", t("st_no_measures")));
        list.replaceChildren(...rows);
        const phase = group ? group.phase : (shownStage ? shownStage.phase : null);
        setOptions(pickKind, MEASURE_KINDS.map((k) => [k, t(`st_kind_${k}`)]));
        const picked = new Set(chosen.map((m) => m.catalog_key).filter(Boolean));
        // Once a stage is known, the measures of its phase (and those for any stage) only.
        const options = cat.measures.filter((m) => m.kind === pickKind.value
          && (!phase || m.phase === phase || m.phase === "any"))
          .sort((a, b) => (b.phase === phase) - (a.phase === phase));
        const sig2 = JSON.stringify([pickKind.value, phase, [...picked], open]);
        if (sig2 !== pickSig) {
          pickSig = sig2;
          pickList.replaceChildren(...options.map((m) => {
            const on = picked.has(m.key);
            const b = button("", on ? "st-pick-item is-on" : "st-pick-item secondary", () => {
              if (on) return;
              writes.send("tact", { kind: KIND, action: "add_measure", client_id: uuid(), item_id: itemId,
                initiative_id: id, catalog_key: m.key });
              this.ctx.refresh();
            });
            b.dataset.key = m.key;
            b.disabled = !open || on;
            b.append(el("span", "st-pick-text", `${on ? "✓ " : "+ "}${m.text}`),
              el("span", m.phase === phase ? "st-phase is-fit" : "st-phase", t(`st_phase_${m.phase}`)));
            return b;
          }));
        }
        pick.hidden = !open;
        own.hidden = !open;
        if (group && ownPhase.dataset.auto !== group.phase) { ownPhase.value = group.phase; ownPhase.dataset.auto = group.phase; }
      },
    };
  }

  remove(measure) { return deleteOwnRow(this.ctx, KIND, LISTS, "delete_measure", measure.id); }
}

// -- the group moderator's board -------------------------------------------------------------------
export class BoardView extends InitiativeBoard {
  constructor(ctx, item) {
    super(ctx, item, "st-board");
    const root = this.root;
    this.empty = el("p", "bd-box muted hidden", t("st_no_initiatives"));
    this.ikFocus = el("p", "st-ik-focus");
    this.grid = el("div", "st-board-grid");
    this.stagesBox = el("section", "bd-box st-stages");
    this.stageList = el("ol", "st-stage-list");
    this.note = el("input");
    this.note.type = "text";
    this.note.maxLength = NOTE_MAX;
    this.note.placeholder = t("st_note_ph");
    this.note.dataset.f = "st-note";
    this.note.setAttribute("aria-label", t("st_note_ph"));
    const noteRow = el("div", "bd-form-row");
    noteRow.append(this.note, bdButton(t("st_save_note"), "st-save-note"));
    this.stagesBox.append(el("h3", "", t("st_guidance")), this.stageList, noteRow);
    this.matrixBox = el("section", "bd-box st-matrix-box");
    this.matrix = el("table", "st-matrix");
    this.ownForm = el("form", "bd-form-row st-own");
    this.ownForm.noValidate = true;
    const opts = (values, prefix) => values.map((v) => { const o = el("option", "", t(`${prefix}${v}`)); o.value = v; return o; });
    this.ownKind = el("select");
    this.ownKind.dataset.f = "st-own-kind";
    this.ownKind.setAttribute("aria-label", t("st_kind"));
    this.ownKind.append(...opts(MEASURE_KINDS, "st_kind_"));
    this.ownPhase = el("select");
    this.ownPhase.dataset.f = "st-own-phase";
    this.ownPhase.setAttribute("aria-label", t("st_phase"));
    this.ownPhase.append(...opts([...PHASES, "any"], "st_phase_"));
    this.ownText = el("input");
    this.ownText.type = "text";
    this.ownText.maxLength = MEASURE_MAX;
    this.ownText.placeholder = t("st_own_ph");
    this.ownText.dataset.f = "st-own-text";
    this.ownText.setAttribute("aria-label", t("st_own"));
    const add = el("button", "", t("st_add"));
    add.type = "submit";
    this.ownForm.append(this.ownKind, this.ownPhase, this.ownText, add);
    this.ownForm.addEventListener("submit", (e) => { e.preventDefault(); this.addOwn(); });
    this.chosen = el("ul", "st-chosen");
    this.matrixBox.append(el("h3", "", t("st_matrix")), this.matrix, el("h4", "", t("st_own")), this.ownForm,
      el("h4", "", t("st_measures")), this.chosen);
    this.grid.append(this.stagesBox, this.matrixBox);
    root.append(this.pickRow, this.empty, this.ikFocus, this.grid);
    root.addEventListener("click", (e) => this.onClick(e));
  }

  render(item) {
    const addr = focusAddress(this.root);
    const { store } = this.ctx;
    this.item = item;
    const ini = this.pick();
    this.empty.classList.toggle("hidden", Boolean(ini));
    this.grid.classList.toggle("hidden", !item || !ini);
    const ik = ini ? ikigaiFocus(store, ini.id) : "";
    this.ikFocus.textContent = ik ? `${t("st_ikigai_focus")}: ${ik}` : "";
    this.ikFocus.classList.toggle("hidden", !ik);
    if (!item || !ini) return;
    const cat = catalog(store);
    const place = placeOf(store, item.id, ini.id);
    const stage = place && place.stage ? cat.stages.find((s) => s.n === place.stage) : null;
    const sig = JSON.stringify([ini.id, place && [place.stage, place.counts], cat.stages.length]);
    if (this.stageList.dataset.sig !== sig) {
      this.stageList.dataset.sig = sig;
      this.stageList.replaceChildren(...cat.stages.map((s) => {
        const li = el("li", place && place.stage === s.n ? "st-stage-card is-group" : "st-stage-card");
        li.dataset.key = `s${s.n}`;
        li.dataset.stage = s.n;
        const head = el("div", "st-stage-head");
        head.append(el("span", "st-stage-n", String(s.n)), el("strong", "st-stage-name", s.name),
          el("span", `st-phase is-${s.phase}`, t(`st_phase_${s.phase}`)));
        const n = place && place.counts[String(s.n)];
        if (n) head.append(el("span", "st-count", t("st_votes_n").replace("{n}", n)));
        const on = place && place.stage === s.n;
        const b = bdButton(on ? `✓ ${t("st_placed")}` : t("st_place_here"), on ? "st-clear" : "st-place", on ? "st-place-btn is-on" : "st-place-btn secondary");
        b.dataset.id = s.n;
        b.setAttribute("aria-pressed", on ? "true" : "false");
        if (on) b.title = t("st_clear");
        head.append(b);
        li.append(head, guidance(s));
        return li;
      }));
    }
    if (document.activeElement !== this.note && this.note.dataset.for !== `${ini.id}:${place ? place.rev : 0}`) {
      this.note.value = place ? place.note : "";
      this.note.dataset.for = `${ini.id}:${place ? place.rev : 0}`;
    }
    this.renderMatrix(cat, stage, measuresOf(store, item.id, ini.id));
    if (stage && this.ownPhase.dataset.auto !== `${ini.id}:${stage.phase}`) {
      this.ownPhase.value = stage.phase;
      this.ownPhase.dataset.auto = `${ini.id}:${stage.phase}`;
    }
    restoreFocus(this.root, addr);
  }

  renderMatrix(cat, stage, chosen) {
    const picked = new Map(chosen.filter((m) => m.catalog_key).map((m) => [m.catalog_key, m]));
    const sig = JSON.stringify([stage && stage.phase, [...picked.keys()], cat.measures.length]);
    if (this.matrix.dataset.sig !== sig) {
      this.matrix.dataset.sig = sig;
      const phases = [...PHASES, "any"];
      const thead = el("thead");
      const hr = el("tr");
      hr.append(el("th", "", t("st_kind")), ...phases.map((p) => {
        const th = el("th", stage && stage.phase === p ? "is-fit" : "", t(`st_phase_${p}`));
        th.scope = "col";
        return th;
      }));
      thead.append(hr);
      const tbody = el("tbody");
      for (const k of MEASURE_KINDS) {
        const tr = el("tr");
        const th = el("th", "", t(`st_kind_${k}`));
        th.scope = "row";
        tr.append(th);
        for (const p of phases) {
          const td = el("td", stage && stage.phase === p ? "is-fit" : "");
          for (const m of cat.measures.filter((x) => x.kind === k && x.phase === p)) {
            const on = picked.has(m.key);
            const b = bdButton(`${on ? "✓ " : ""}${m.text}`, on ? "st-unpick" : "st-pick", on ? "st-chip is-on" : "st-chip secondary");
            b.dataset.id = m.key;
            b.setAttribute("aria-pressed", on ? "true" : "false");
            td.append(b);
          }
          tr.append(td);
        }
        tbody.append(tr);
      }
      this.matrix.replaceChildren(thead, tbody);
    }
    const sig2 = JSON.stringify(chosen.map((m) => [m.id, m.rev]));
    if (this.chosen.dataset.sig !== sig2) {
      this.chosen.dataset.sig = sig2;
      this.chosen.replaceChildren(...(chosen.length ? chosen.map((m) => {
        const li = el("li", m.catalog_key ? "st-chosen-item" : "st-chosen-item is-own");
        li.dataset.key = `m${m.id}`;
        li.append(el("span", "st-kind", t(`st_kind_${m.kind}`)), el("span", "st-measure-text", m.text),
          el("span", "st-phase", t(`st_phase_${m.phase}`)));
        if (!m.catalog_key) li.append(el("span", "st-own-mark", t("st_own_mark")));
        if (m.author) li.append(el("span", "muted st-author", m.author));
        const del = bdButton("✕", "st-delete", "link st-del");
        del.dataset.id = m.id;
        del.setAttribute("aria-label", t("st_delete"));
        del.title = t("st_delete");
        li.append(del);
        return li;
      }) : [el("li", "muted", t("st_no_measures"))]));
    }
  }

  async call(payload) {
    const ack = await this.ctx.live.call("tact", { kind: KIND, ...payload });
    if (ack && ack.ok) { this.ctx.notice.clear(); keepRows(this.ctx.store, KIND, LISTS, ack); } else this.ctx.notice.show(ackError(ack));
    return ack;
  }

  async addOwn() {
    const text = this.ownText.value.trim();
    if (!text || !this.item || !this.initiative) return;
    const ack = await this.call({ action: "add_measure", client_id: uuid(), item_id: this.item.id,
      initiative_id: this.initiative.id, measure_kind: this.ownKind.value, phase: this.ownPhase.value, text });
    if (ack && ack.ok) { clearSent(this.ownText, text); this.ownText.focus(); }
  }

  onClick(e) {
    const b = e.target.closest("[data-act]");
    if (!b || !this.item || !this.initiative) return;
    const base = { item_id: this.item.id, initiative_id: this.initiative.id };
    const act = b.dataset.act;
    if (act === "st-place") this.call({ action: "place", ...base, stage: Number(b.dataset.id) });
    else if (act === "st-clear") this.call({ action: "place", ...base, stage: null });
    else if (act === "st-save-note") {
      const place = placeOf(this.ctx.store, this.item.id, this.initiative.id);
      this.call({ action: "place", ...base, stage: place ? place.stage : null, note: this.note.value.trim() })
        .then((ack) => { if (ack && ack.ok) this.ctx.announce(t("ik_saved")); });
    } else if (act === "st-pick") this.call({ action: "add_measure", client_id: uuid(), ...base, catalog_key: b.dataset.id });
    else if (act === "st-unpick" || act === "st-delete") {
      const rows = measuresOf(this.ctx.store, this.item.id, this.initiative.id);
      const m = act === "st-unpick" ? rows.find((x) => x.catalog_key === b.dataset.id) : rows.find((x) => x.id === Number(b.dataset.id));
      if (m) this.call({ action: "delete_measure", id: m.id });
    }
  }
}

// -- the projector -----------------------------------------------------------------------------------
// The seven stages as a strip with the group's initiatives placed on them, and under it each
// initiative's measures by kind. ctx (projector_tacts.js renderKind): store, group; the host shows
// the group's name and the kind's tab label.
export class ProjectorView {
  constructor(ctx, item) {
    this.ctx = ctx;
    this.item = item;
    this.node = el("div", "st-pj");
    this.strip = el("ol", "st-pj-strip");
    this.cards = el("div", "st-pj-cards");
    this.empty = el("p", "pj-work-empty", t("pj_no_initiatives"));
    this.node.append(this.strip, this.cards, this.empty);
  }

  destroy() {}

  update(item) {
    const { store, group } = this.ctx;
    this.item = item || this.item;
    const itemId = this.item.id;
    const cat = catalog(store);
    const shown = groupInitiatives(store, group.id).slice(0, 4);
    this.empty.classList.toggle("hidden", shown.length > 0);
    const places = new Map(shown.map((x) => [x.id, placeOf(store, itemId, x.id)]));
    const sig = JSON.stringify([cat.stages.length, shown.map((x) => [x.id, x.name, places.get(x.id) && places.get(x.id).stage])]);
    if (this.strip.dataset.sig !== sig) {
      this.strip.dataset.sig = sig;
      this.strip.replaceChildren(...cat.stages.map((s) => {
        const li = el("li", `st-pj-stage is-${s.phase}`);
        li.dataset.stage = s.n;
        li.append(el("span", "st-pj-n", String(s.n)), el("span", "st-pj-name", s.name));
        const here = shown.filter((x) => (places.get(x.id) || {}).stage === s.n);
        const chips = el("ul", "st-pj-chips");
        chips.append(...here.map((x) => el("li", "st-pj-chip", x.name)));
        li.append(chips);
        li.classList.toggle("has-initiatives", here.length > 0);
        return li;
      }));
    }
    const sig2 = JSON.stringify(shown.map((x) => [x.id, x.name, ikigaiFocus(store, x.id),
      measuresOf(store, itemId, x.id).map((m) => [m.id, m.rev]), (places.get(x.id) || {}).stage]));
    if (this.cards.dataset.sig !== sig2) {
      this.cards.dataset.sig = sig2;
      this.cards.dataset.count = String(shown.length);
      this.cards.replaceChildren(...shown.map((x) => {
        const card = el("section", "st-pj-card");
        card.dataset.initiativeId = String(x.id);
        const place = places.get(x.id);
        const stage = place && place.stage ? cat.stages.find((s) => s.n === place.stage) : null;
        card.append(el("h3", "", x.name), el("p", "st-pj-stage-line", stage ? `${t("st_stage")} ${stageName(stage)} · ${t("st_risks")}: ${stage.risks.join(", ")}` : t("st_not_placed")));
        const ik = ikigaiFocus(store, x.id);
        if (ik) card.append(el("p", "st-pj-focus", `${t("st_ikigai_focus")}: ${ik}`));
        const list = el("ul", "st-pj-measures");
        const measures = measuresOf(store, itemId, x.id);
        for (const k of MEASURE_KINDS) {
          const of = measures.filter((m) => m.kind === k);
          if (!of.length) continue;
          const li = el("li", "");
          li.dataset.count = String(of.length);
          li.append(el("b", "", `${t(`st_kind_${k}`)}: `), document.createTextNode(of.map((m) => m.text).join(", ")));
          list.append(li);
        }
        if (!measures.length) list.append(el("li", "muted", t("st_no_measures")));
        card.append(list);
        return card;
      }));
    }
    this.fit();
  }

  // Read from the back of a room, the type keeps its size: a card whose measures do not fit
  // shows the kinds that do (at least one) and how many measures are left out. Measured on each
  // render, so a new screen size or a new measure fits again.
  fit() {
    for (const card of this.cards.children) {
      const list = card.querySelector(".st-pj-measures");
      list.querySelector(".st-pj-more")?.remove();
      const rows = [...list.children];
      for (const li of rows) li.classList.remove("hidden");
      const cut = () => card.scrollHeight > card.clientHeight + 1;
      if (!cut()) continue;
      const more = el("li", "st-pj-more muted");
      list.append(more);
      let left = 0;
      for (let i = rows.length - 1; i > 0 && (!left || cut()); i--) {
        rows[i].classList.add("hidden");
        left += Number(rows[i].dataset.count || 0);
        more.textContent = tf("st_more_measures", { n: left });
      }
      if (!left) more.remove();
    }
  }
}
