// Tact 3 on a participant's phone: the group's ideas sorted into initiatives (clusters), List A to
// take ideas from, and the chips staked on the initiatives. The forms are built once and kept
// across live updates, so a half-typed name keeps its text and its focus.
import { t } from "../i18n.js";
import { uuid } from "../live.js";
import {
  NAME_MAX, button, el, fill, initiativeHead, keyed, rankBadge, refusedRow, setOptions, stateLine, textError,
  textInput,
} from "./phone_common.js";

// -- tact 3: clustering and stakes -----------------------------------------------------------
export class ClusteringView {
  constructor(ctx, item) {
    this.ctx = ctx;
    this.item = item;
    this.sections = new Map();
    this.stakeNote = new Map();  // initiative id → a local refusal ("no chips left")
    this.dragging = false;
    this.held = false;
    this.node = el("div", "ph-view ph-clustering");
    this.note = el("p", "ph-note");
    this.chips = el("div", "ph-chips");
    this.chips.setAttribute("aria-live", "polite");
    this.listB = el("section", "ph-listb");
    this.pool = this.ideaList(null);
    this.poolSection = el("section", "ph-pool");
    this.poolTitle = el("h2", "ph-h");
    this.poolSection.append(this.poolTitle, this.pool.node);
    this.initsTitle = el("h2", "ph-h", t("ph_initiatives"));
    this.inits = el("div", "ph-inits");
    this.creating = this.newInitiativeForm();
    this.take = this.takeList();
    this.node.append(this.note, this.chips, this.listB, this.poolSection, this.initsTitle, this.inits,
      this.creating.node, this.take.node);
    // A "Move to…" select open while an update arrives: redraw once it is left.
    this.node.addEventListener("focusout", () => setTimeout(() => {
      if (this.held && !this.holding()) { this.held = false; this.update(); }
    }));
  }

  holding() {
    const a = document.activeElement;
    return Boolean(a && this.node.contains(a) && a.classList.contains("ph-move"));
  }

  destroy() {
    this.pool.destroy();
    for (const part of this.sections.values()) part.destroy();
  }

  // Everything the parts show, computed once per update.
  state() {
    const { store, group, writes } = this.ctx;
    const item = store.items.get(this.item.id) || this.item;
    const board = store.boardOf(item.id, group);
    const initiatives = store.initiativesOf(group).filter((x) => x.item_id === item.id);
    const stakes = store.stakesOf(item.id, group);
    const rows = new Map((stakes ? stakes.list_b : []).map((r) => [r.initiative_id, r]));
    const mine = store.mineOf(item.id, group);
    const budget = mine ? mine.budget : board.budget;
    const open = item.state === "active" && !item.locked && !board.list_b_locked;
    const canCluster = open && board.participants_cluster;
    const staking = open && board.staking === "open";
    const myCount = (id) => {
      const sent = writes.pending("set_stake", (p) => p.item_id === item.id && p.initiative_id === id);
      if (sent.length) return sent[sent.length - 1].payload.count;
      return (mine && Number(mine.stakes[id])) || 0;  // the server's keys are strings
    };
    const used = initiatives.reduce((n, x) => n + myCount(x.id), 0);
    return {
      item, board, initiatives, rows, budget, used, myCount, canCluster, staking,
      totals: [...rows.values()].some((r) => r.total != null),
      focus: new Set(stakes ? stakes.focus : []),
      ...this.lists(initiatives),
    };
  }

  // The group's ideas per list (null: the pool), with the moves and drops not yet acknowledged.
  lists(initiatives) {
    const { store, group, writes } = this.ctx;
    const lists = new Map([[null, store.selectionsOf(group, null)]]);
    for (const x of initiatives) lists.set(x.id, store.selectionsOf(group, x.id));
    const moving = new Set();
    const where = (id) => [...lists.values()].find((l) => l.some((s) => s.id === id));
    for (const e of writes.pending("drop_idea")) {
      const from = where(e.payload.id);
      if (from) from.splice(from.findIndex((s) => s.id === e.payload.id), 1);
    }
    for (const e of writes.pending("move_idea")) {
      const from = where(e.payload.id);
      const to = lists.get(e.payload.initiative_id ?? null);
      if (!from || !to) continue;
      const [sel] = from.splice(from.findIndex((s) => s.id === e.payload.id), 1);
      to.splice(Math.min(e.payload.position, to.length), 0, sel);
      moving.add(sel.id);
    }
    return { lists, moving };
  }

  update() {
    if (this.dragging) return;
    if (this.holding()) { this.held = true; return; }
    const v = this.state();
    this.v = v;
    const { board } = v;
    this.note.textContent = board.list_b_locked ? t("ph_list_b_locked")
      : board.staking === "done" ? t("ph_staking_done")
        : !board.participants_cluster && !v.staking ? t("ph_moderator_clusters") : "";
    this.updateChips(v);
    this.updateListB(v);
    const pool = v.lists.get(null);
    this.poolSection.hidden = !pool.length && !v.canCluster;
    this.poolTitle.textContent = `${t("ph_pool")} · ${pool.length}`;
    this.pool.update(v);
    this.initsTitle.hidden = !v.initiatives.length;
    const parts = keyed(this.inits, this.sections, v.initiatives.map((x) => x.id), (id) => this.section(id));
    parts.forEach((part, i) => part.update(v, v.initiatives[i]));
    this.creating.update(v);
    this.take.update(v);
  }

  updateChips(v) {
    this.chips.hidden = !v.staking;
    if (!v.staking) return;
    const left = Math.max(0, v.budget - v.used);
    const dots = el("span", "ph-dots");
    dots.setAttribute("aria-hidden", "true");
    for (let i = 0; i < v.budget; i += 1) dots.append(el("span", i < left ? "ph-dot" : "ph-dot used"));
    this.chips.replaceChildren(el("b", "", fill("ph_chips_left", { left, budget: v.budget })), dots);
    this.chips.dataset.left = left;
  }

  updateListB(v) {
    this.listB.hidden = !v.totals && !v.board.list_b_locked;
    if (this.listB.hidden) return;
    const ol = el("ol", "ph-listb-rows");
    for (const row of v.rows.values()) {
      const li = el("li", v.focus.has(row.initiative_id) ? "ph-focus" : "");
      li.dataset.initiativeId = row.initiative_id;
      li.append(rankBadge(row), el("span", "ph-listb-name", row.name));
      if (row.total != null) li.append(el("span", "ph-total", fill("ph_chips_n", { n: row.total })));
      ol.append(li);
    }
    const title = el("h2", "ph-h", v.board.list_b_locked ? t("ph_list_b_final") : t("ph_list_b"));
    const hint = el("p", "ph-hint", t("ph_focus_hint"));
    this.listB.classList.toggle("ph-final", v.board.list_b_locked);
    this.listB.replaceChildren(title, ol, hint);
  }

  section(id) {
    const node = el("section", "ph-init");
    node.dataset.initiativeId = id;
    const head = initiativeHead();
    const total = el("span", "ph-total");
    head.node.append(total);
    const ideas = this.ideaList(id);
    const stake = this.stakeRow(id);
    node.append(head.node, ideas.node, stake.node);
    return {
      node,
      destroy: () => ideas.destroy(),
      update: (v, initiative) => {
        const row = v.rows.get(id);
        head.update(initiative, row);
        total.textContent = row && row.total != null ? fill("ph_chips_n", { n: row.total }) : "";
        ideas.update(v);
        stake.update(v);
      },
    };
  }

  // One list of ideas (an initiative's, or the pool with id null): drag with a finger (after a
  // short hold, so that a swipe still scrolls) or pick "Move to…".
  ideaList(id) {
    const ul = el("ul", "ph-ideas");
    ul.dataset.initiativeId = id ?? "";
    ul.dataset.empty = id === null ? t("ph_pool_empty") : t("ph_drop_here");
    const sortable = window.Sortable ? window.Sortable.create(ul, {
      group: "ph-ideas", draggable: ".ph-idea", filter: ".ph-move", preventOnFilter: false,
      delay: 200, delayOnTouchOnly: true, touchStartThreshold: 6, forceFallback: true,
      fallbackTolerance: 4, animation: 150, ghostClass: "ph-ghost", chosenClass: "ph-chosen",
      onStart: () => { this.dragging = true; },
      onEnd: (evt) => { this.dragging = false; this.dropped(evt); },
    }) : null;
    return {
      node: ul,
      destroy: () => sortable?.destroy(),
      update: (v) => {
        sortable?.option("disabled", !v.canCluster);
        ul.classList.toggle("ph-can-drag", v.canCluster);
        ul.replaceChildren(...v.lists.get(id).map((sel) => this.idea(sel, id, v)));
      },
    };
  }

  idea(sel, listId, v) {
    const { store, writes } = this.ctx;
    const idea = store.idea(sel.idea_id);
    const li = el("li", "ph-idea");
    li.dataset.selectionId = sel.id;
    li.dataset.ideaId = sel.idea_id;
    li.append(el("span", "ph-idea-text", idea ? idea.text : "…"));
    if (v.moving.has(sel.id)) li.append(stateLine("pending", writes.waiting()));
    const refused = [...writes.failed("move_idea", (p) => p.id === sel.id),
      ...writes.failed("drop_idea", (p) => p.id === sel.id)];
    for (const f of refused) li.append(stateLine("failed", `✗ ${t("not_saved")}: ${f.error}`));
    if (v.canCluster) li.append(this.moveSelect(sel, listId, v));
    return li;
  }

  moveSelect(sel, listId, v) {
    const select = el("select", "ph-move");
    select.setAttribute("aria-label", t("ph_move_to"));
    const opts = [["-", t("ph_move_to")]];
    if (listId !== null) opts.push(["", t("ph_to_pool")]);
    for (const x of v.initiatives) if (x.id !== listId) opts.push([String(x.id), x.name]);
    opts.push(["drop", t("ph_to_list_a")]);
    setOptions(select, opts);
    select.options[0].disabled = true;
    select.value = "-";
    select.addEventListener("change", () => {
      const to = select.value;
      select.blur();
      this.forgetRefusals(sel.id);
      if (to === "drop") {
        this.ctx.writes.send("drop_idea", { id: sel.id }, `drop:${sel.id}`);
      } else {
        const target = to === "" ? null : Number(to);
        this.ctx.writes.send("move_idea", { id: sel.id, initiative_id: target,
          position: v.lists.get(target)?.length ?? 0 }, `move:${sel.id}`);
      }
      this.ctx.refresh();
    });
    return select;
  }

  forgetRefusals(selId) {
    const { writes } = this.ctx;
    for (const f of [...writes.failed("move_idea", (p) => p.id === selId),
      ...writes.failed("drop_idea", (p) => p.id === selId)]) writes.forget(f);
  }

  dropped(evt) {
    const same = evt.from === evt.to && evt.oldDraggableIndex === evt.newDraggableIndex;
    if (!same) {
      const id = Number(evt.item.dataset.selectionId);
      const to = evt.to.dataset.initiativeId;
      this.forgetRefusals(id);
      this.ctx.writes.send("move_idea", { id, initiative_id: to === "" ? null : Number(to),
        position: evt.newDraggableIndex }, `move:${id}`);
    }
    this.ctx.refresh();  // the lists are redrawn from the data: Sortable's own move is undone
  }

  // − / + for own chips on one initiative; the count sent is absolute (set_stake).
  stakeRow(id) {
    const { writes } = this.ctx;
    const node = el("div", "ph-stake");
    const minus = button("−", "ph-stake-btn secondary", () => this.stake(id, -1));
    minus.dataset.stake = "minus";
    minus.setAttribute("aria-label", t("ph_stake_minus"));
    const count = el("span", "ph-stake-count");
    const plus = button("+", "ph-stake-btn", () => this.stake(id, 1));
    plus.dataset.stake = "plus";
    plus.setAttribute("aria-label", t("ph_stake_plus"));
    const state = el("p", "ph-stake-state");
    state.setAttribute("aria-live", "polite");
    node.append(minus, count, plus, state);
    return {
      node,
      update: (v) => {
        const n = v.myCount(id);
        const sent = writes.pending("set_stake", (p) => p.item_id === v.item.id && p.initiative_id === id);
        const refused = writes.failed("set_stake", (p) => p.item_id === v.item.id && p.initiative_id === id);
        const local = this.stakeNote.get(id);
        node.hidden = !v.staking && !n && !sent.length && !refused.length;
        node.classList.toggle("ph-readonly", !v.staking);
        minus.hidden = !v.staking;
        plus.hidden = !v.staking;
        minus.disabled = n <= 0;
        // Dimmed, not disabled, when no chip is left: a tap says why.
        plus.classList.toggle("ph-spent", v.used >= v.budget);
        count.textContent = fill("ph_my_chips", { n });
        count.dataset.count = n;
        state.className = "ph-stake-state";
        if (local) { state.textContent = local; state.classList.add("failed"); }
        else if (refused.length) {
          state.textContent = `✗ ${t("not_saved")}: ${refused[refused.length - 1].error}`;
          state.classList.add("failed");
        } else if (sent.length) { state.textContent = writes.waiting(); state.classList.add("pending"); }
        else state.textContent = "";
      },
    };
  }

  stake(id, delta) {
    const v = this.v;
    const { writes } = this.ctx;
    const next = v.myCount(id) + delta;
    if (next < 0) return;
    for (const f of writes.failed("set_stake", (p) => p.initiative_id === id)) writes.forget(f);
    if (delta > 0 && v.used >= v.budget) {
      this.stakeNote.set(id, t("ph_no_chips_left"));
    } else {
      this.stakeNote.clear();
      writes.send("set_stake", { item_id: v.item.id, initiative_id: id, count: next },
        `stake:${v.item.id}:${id}`);
    }
    this.ctx.refresh();
  }

  // A new initiative by name; pending and refused ones show under the form.
  newInitiativeForm() {
    const { writes } = this.ctx;
    const node = el("section", "ph-new-init");
    const form = el("form", "ph-form ph-inline");
    form.noValidate = true;
    const input = textInput("name", NAME_MAX, t("ph_initiative_placeholder"));
    const err = el("p", "error");
    err.setAttribute("role", "alert");
    const label = el("label", "ph-label", t("ph_new_initiative"));
    input.id = "ph-new-init-name";
    label.htmlFor = input.id;
    const submit = el("button", "", t("ph_create"));
    submit.type = "submit";
    submit.dataset.action = "create-initiative";
    const row = el("div", "ph-form-row");
    row.append(input, submit);
    form.append(label, row, err);
    const list = el("ul", "ph-rows");
    node.append(form, list);
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      const name = input.value.trim();
      err.textContent = textError(name, NAME_MAX);
      if (err.textContent) { input.focus(); return; }
      writes.send("create_initiative", { client_id: uuid(), item_id: this.item.id,
        group_id: this.ctx.group, name });
      input.value = "";
      this.ctx.refresh();
    });
    input.addEventListener("input", () => { err.textContent = ""; });
    return {
      node,
      update: (v) => {
        form.hidden = !v.canCluster;
        const saved = new Set(v.initiatives.map((x) => x.client_id));
        const ours = (p) => p.item_id === v.item.id && !saved.has(p.client_id);
        const rows = writes.pending("create_initiative", ours).map((e) => {
          const li = el("li", "ph-row ph-pending", e.payload.name);
          li.append(stateLine("pending", writes.waiting()));
          return li;
        });
        for (const f of writes.failed("create_initiative")) {
          rows.push(refusedRow(writes, f, f.entry.payload.name,
            v.canCluster && ((p) => { input.value = p.name; input.focus(); }), this.ctx.refresh));
        }
        list.replaceChildren(...rows);
        node.hidden = !v.canCluster && !rows.length;
      },
    };
  }

  // List A's ideas, each with "Take"; taken ones stay in place (marked), so the rows do not
  // shift under a finger going down the list.
  takeList() {
    const { store, writes, group } = this.ctx;
    const node = el("details", "ph-take");
    const summary = el("summary");
    const ul = el("ul", "ph-rows");
    node.append(summary, ul);
    node.addEventListener("toggle", () => this.ctx.refresh());
    return {
      node,
      update: (v) => {
        node.hidden = !v.canCluster;
        if (!v.canCluster) return;
        const taken = new Set([...store.board.selections.values()].filter((s) => s.group_id === group)
          .map((s) => s.idea_id));
        const ideas = store.listA();
        summary.textContent = fill("ph_take_from_a", { n: ideas.filter((c) => !taken.has(c.id)).length });
        if (!node.open) return;  // drawn when opened: List A can be long
        ul.replaceChildren(...ideas.map((idea) => this.takeRow(idea, taken.has(idea.id), v)));
        if (!ideas.length) ul.append(el("li", "empty", t("no_posts")));
      },
    };
  }

  takeRow(idea, taken, v) {
    const { writes, group } = this.ctx;
    const li = el("li", taken ? "ph-row ph-take-row ph-taken" : "ph-row ph-take-row");
    li.dataset.ideaId = idea.id;
    li.append(el("span", "ph-idea-text", idea.text));
    const sent = !taken && writes.pending("take_idea", (p) => p.idea_id === idea.id).length > 0;
    const label = taken ? `✓ ${t("ph_taken")}` : sent ? "⏳" : t("ph_take");
    const take = button(label, "secondary ph-take-btn", () => {
      writes.send("take_idea", { item_id: v.item.id, group_id: group, idea_id: idea.id },
        `take:${v.item.id}:${idea.id}`);
      this.ctx.refresh();
    });
    take.dataset.action = "take";
    take.disabled = taken || sent;
    li.append(take);
    for (const f of writes.failed("take_idea", (p) => p.idea_id === idea.id)) {
      li.append(stateLine("failed", `✗ ${t("not_saved")}: ${f.error}`));
    }
    return li;
  }
}
