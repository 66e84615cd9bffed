// Tact 3 on the group moderator's board: List A, the group's pool of taken ideas and its
// initiatives, with the staking panel and List B above. Ideas move by drag and drop
// (SortableJS, mouse and touch), by each idea's "Move to…" select or by Alt+arrow keys.
// Every move is a server call; until its ack the idea stays where it was put, and a refusal
// shows its reason while the board falls back to the store's state (already current).
import { t } from "../i18n.js";
import {
  Keyed, ackError, button, el, fillOptions, focusAddress, input, putRows, rankLabels, restoreFocus, select,
  syncChildren, tf,
} from "./board_common.js";
import { InitiativeHeads } from "./board_initiatives.js";
import { StakingPanel } from "./board_stakes.js";

const ARROWS = ["ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight"];

export class ClusteringView {
  // ctx: see TactBoards (store, live, groupId, notice, announce, stakesOf)
  constructor(root, ctx) {
    this.root = root;
    this.ctx = ctx;
    this.item = null;
    this.inits = [];
    this.locked = null; // List B locked: the board only shows
    this.busy = new Set(); // keys of nodes being saved
    this.errors = new Map(); // key -> message shown on that node
    this.moves = new Map(); // selection id -> {initiative_id, position, token}: sent, no ack yet
    this.picked = new Set(); // pool selections ticked for a new initiative
    this.dragging = false;
    this.keyed = new Keyed();
    this.shells = new Map(); // initiative id -> {section, head, list, sortable}
    this.lists = new Map();
    this.heads = new InitiativeHeads(this);
    this.build();
  }

  // -- the page skeleton (built once; only lists and keyed nodes change later) -------------
  build() {
    const top = el("div", "bd-staking-row");
    this.staking = new StakingPanel(top, this.ctx);

    const colA = column("bd-col-a", t("list_a"));
    this.countA = colA.querySelector(".bd-count");
    this.filter = input("filter-a", "", { type: "search", placeholder: t("bd_filter_ideas"), label: t("bd_filter_ideas") });
    this.onlyFree = el("input");
    this.onlyFree.type = "checkbox";
    const free = el("label", "bd-check bd-only-free");
    free.append(this.onlyFree, el("span", "", t("bd_only_free")));
    const tools = el("div", "bd-col-tools");
    tools.append(this.filter, free);
    this.listA = list("a");
    colA.append(tools, this.listA);

    const colPool = column("bd-col-pool", t("bd_pool"));
    this.countPool = colPool.querySelector(".bd-count");
    this.pool = list("pool");
    const keys = el("p", "bd-col-note bd-keys muted", t("bd_move_keys"));
    keys.id = "bd-move-keys";
    colPool.append(el("p", "bd-col-note muted", t("bd_pool_note")), this.pool, keys);

    const colInit = el("section", "bd-col-inits");
    colInit.dataset.col = "initiatives";
    const head = el("div", "bd-col-head");
    this.countInit = el("span", "bd-count");
    head.append(el("h3", "", t("bd_initiatives")), this.countInit);
    this.grid = el("div", "bd-init-grid");
    colInit.append(head, this.heads.form, this.heads.lockedNote, this.grid);

    const cluster = el("div", "bd-cluster");
    cluster.append(colA, colPool, colInit);
    this.root.append(top, this.heads.hint, cluster);

    this.sortA = this.sortable(this.listA, { group: { name: "bd-ideas", pull: "clone", put: false }, sort: false });
    this.sortPool = this.sortable(this.pool);
    this.root.addEventListener("click", (e) => this.onClick(e));
    this.root.addEventListener("change", (e) => this.onChange(e));
    this.root.addEventListener("input", (e) => this.heads.onInput(e));
    this.root.addEventListener("keydown", (e) => this.onKey(e));
    this.filter.addEventListener("input", () => this.refresh());
    this.onlyFree.addEventListener("change", () => this.refresh());
  }

  sortable(node, opts = {}) {
    if (!window.Sortable) return null;
    return window.Sortable.create(node, {
      group: opts.group || "bd-ideas",
      sort: opts.sort !== false,
      draggable: ".bd-idea",
      filter: "button, select, input, label",
      preventOnFilter: false,
      animation: 150,
      delay: 160,
      delayOnTouchOnly: true,
      emptyInsertThreshold: 30,
      disabled: Boolean(this.locked),
      ghostClass: "is-ghost",
      chosenClass: "is-chosen",
      onStart: () => { this.dragging = true; },
      onEnd: (evt) => this.onDrop(evt),
    });
  }

  // -- rendering -------------------------------------------------------------------------
  render(item) {
    this.item = item;
    if (this.dragging) return; // Sortable owns the lists until the drop
    const addr = focusAddress(this.root);
    const { store, groupId } = this.ctx;
    const settings = store.boardOf(item.id, groupId);
    const stakes = this.ctx.stakesOf(item.id);
    this.staking.render(item, settings, stakes);
    this.setLocked(Boolean(settings.list_b_locked));
    const inits = store.initiativesOf(groupId);
    this.inits = inits;
    this.lists = this.computeLists(inits);
    this.heads.prune();
    const used = new Set();
    this.renderListA(used);
    this.renderPool(used);
    this.renderInitiatives(inits, stakes, used);
    this.keyed.keep(used);
    this.heads.render();
    restoreFocus(this.root, addr);
  }

  refresh() { if (this.item) this.render(this.item); }

  // A locked List B no longer changes: no dragging, no actions, only the view.
  setLocked(locked) {
    if (locked === this.locked) return;
    this.locked = locked;
    this.heads.setLocked(locked);
    this.root.classList.toggle("is-locked", locked);
    for (const s of [this.sortA, this.sortPool, ...[...this.shells.values()].map((x) => x.sortable)]) {
      if (s) s.option("disabled", locked);
    }
  }

  // Each list's selections: the store's, with moves not yet acknowledged applied on top.
  computeLists(inits) {
    const { store, groupId } = this.ctx;
    const alive = new Set(inits.map((x) => x.id));
    const lists = new Map([[null, []], ...inits.map((x) => [x.id, []])]);
    const where = (id) => (alive.has(id) ? id : null);
    const mine = [...store.board.selections.values()].filter((x) => x.group_id === groupId)
      .sort((a, b) => a.position - b.position || a.id - b.id);
    const moved = [];
    for (const sel of mine) {
      if (this.moves.has(sel.id)) moved.push(sel);
      else lists.get(where(sel.initiative_id ?? null)).push(sel);
    }
    moved.sort((a, b) => this.moves.get(a.id).position - this.moves.get(b.id).position);
    for (const sel of moved) {
      const m = this.moves.get(sel.id);
      const target = lists.get(where(m.initiative_id));
      target.splice(Math.min(m.position, target.length), 0, sel);
    }
    for (const id of [...this.picked]) if (!lists.get(null).some((s) => s.id === id)) this.picked.delete(id);
    return lists;
  }

  takenIdeas() {
    const taken = new Map();
    for (const sels of this.lists.values()) for (const s of sels) taken.set(s.idea_id, s);
    return taken;
  }

  renderListA(used) {
    const { store, groupId } = this.ctx;
    const taken = this.takenIdeas();
    const all = store.listA();
    const needle = this.filter.value.trim().toLocaleLowerCase();
    const ideas = all.filter((c) => (!needle || c.text.toLocaleLowerCase().includes(needle))
      && !(this.onlyFree.checked && taken.has(c.id)));
    this.countA.textContent = tf("bd_taken_of", { n: taken.size, total: all.length });
    const nodes = ideas.map((c) => {
      const key = `a:${c.id}`;
      used.add(key);
      const isTaken = taken.has(c.id);
      const ours = c.group_id === groupId;
      const sig = [c.rev, c.text, isTaken, ours, this.locked, this.busy.has(key), this.errors.get(key) || ""].join("\u0001");
      return this.keyed.get(key, sig, () => this.buildListAIdea(c, isTaken, ours));
    });
    if (!nodes.length) nodes.push(empty(this.listA, all.length ? t("bd_no_match") : t("no_posts")));
    syncChildren(this.listA, nodes);
  }

  buildListAIdea(card, isTaken, ours) {
    const key = `a:${card.id}`;
    const li = el("li", `bd-idea bd-idea-a${isTaken ? " is-taken" : ""}${ours ? " is-ours" : ""}`);
    li.dataset.idea = String(card.id);
    li.append(el("p", "bd-idea-text", card.text));
    const foot = el("div", "bd-idea-tools");
    if (ours) foot.append(el("span", "badge badge-mark", t("from_group")));
    if (isTaken) foot.append(el("span", "bd-taken", t("bd_taken")));
    else if (!this.locked) {
      const take = button(t("bd_take"), "take", "");
      take.dataset.id = String(card.id);
      take.disabled = this.busy.has(key);
      foot.append(take);
    }
    li.append(foot);
    appendError(li, this.errors.get(key));
    return li;
  }

  renderPool(used) {
    const sels = this.lists.get(null);
    this.countPool.textContent = String(sels.length);
    const nodes = sels.map((s) => this.ideaNode(s, null, used));
    if (!nodes.length) nodes.push(empty(this.pool, this.locked ? t("no_posts") : t("bd_pool_empty")));
    syncChildren(this.pool, nodes);
  }

  // "Move to…" choices: the pool and every initiative, except where the idea is now.
  moveOptions(current) {
    const opts = [{ value: "", label: t("bd_move_to") }];
    if (current !== null) opts.push({ value: "pool", label: t("bd_pool") });
    for (const x of this.inits) if (x.id !== current) opts.push({ value: x.id, label: x.name });
    return opts;
  }

  ideaNode(sel, initiativeId, used) {
    const key = `sel:${sel.id}`;
    used.add(key);
    const card = this.ctx.store.idea(sel.idea_id);
    const text = card ? card.text : t("bd_idea_gone");
    const sig = [sel.rev, text, initiativeId ?? "", this.picked.has(sel.id), this.locked, this.busy.has(key),
      this.moves.has(sel.id), this.errors.get(key) || ""].join("\u0001");
    const node = this.keyed.get(key, sig, () => this.buildIdea(sel, text, initiativeId));
    const move = node.querySelector("[data-f=move]");
    if (move) fillOptions(move, this.moveOptions(initiativeId), "");
    return node;
  }

  buildIdea(sel, text, initiativeId) {
    const key = `sel:${sel.id}`;
    const li = el("li", "bd-idea");
    li.tabIndex = 0;
    li.dataset.selection = String(sel.id);
    li.dataset.idea = String(sel.idea_id);
    li.setAttribute("aria-describedby", "bd-move-keys");
    if (this.moves.has(sel.id)) li.classList.add("is-moving");
    li.append(el("p", "bd-idea-text", text));
    if (this.locked) {
      li.removeAttribute("aria-describedby");
      return li;
    }
    const tools = el("div", "bd-idea-tools");
    if (initiativeId === null) {
      const pick = el("input");
      pick.type = "checkbox";
      pick.dataset.f = "pick";
      pick.dataset.fixed = "1";
      pick.checked = this.picked.has(sel.id);
      const label = el("label", "bd-check bd-pick");
      label.append(pick, el("span", "", t("bd_pick")));
      tools.append(label);
    }
    const move = select("move", [], "", t("bd_move_to"));
    move.dataset.fixed = "1";
    move.className = "bd-move";
    const drop = button(t("bd_drop_idea"), "drop", "secondary bd-drop");
    drop.title = t("bd_drop_idea_title");
    tools.append(move, drop);
    li.append(tools);
    appendError(li, this.errors.get(key));
    if (this.busy.has(key)) for (const c of li.querySelectorAll("button, select, input")) c.disabled = true;
    return li;
  }

  renderInitiatives(inits, stakes, used) {
    const ranks = rankLabels(stakes ? stakes.list_b : []);
    const totals = new Map((stakes ? stakes.list_b : []).map((r) => [r.initiative_id, r.total]));
    const focus = new Set(stakes ? stakes.focus : []);
    this.countInit.textContent = String(inits.length);
    const sections = inits.map((ini) => {
      const shell = this.shell(ini);
      const sels = this.lists.get(ini.id);
      // Every initiative is in focus while the totals are hidden: then no badge tells them apart.
      const info = { rank: ranks.get(ini.id) || "", total: totals.get(ini.id), count: sels.length,
        focus: focus.has(ini.id) && focus.size < inits.length };
      syncChildren(shell.head, [this.heads.head(ini, info)]);
      const role = this.heads.role(ini.id);
      shell.section.className = `bd-init role-${role}${info.focus ? " is-focus" : ""}`;
      const nodes = sels.map((s) => this.ideaNode(s, ini.id, used));
      if (!nodes.length) nodes.push(empty(shell.list, this.locked ? t("no_posts") : t("bd_drop_here")));
      syncChildren(shell.list, nodes);
      return shell.section;
    });
    for (const [id, shell] of [...this.shells]) {
      if (inits.some((x) => x.id === id)) continue;
      if (shell.sortable) shell.sortable.destroy();
      this.shells.delete(id);
    }
    if (!sections.length) sections.push(this.gridEmpty || (this.gridEmpty = el("p", "bd-empty muted", t("bd_no_initiatives_yet"))));
    syncChildren(this.grid, sections);
  }

  shell(ini) {
    let shell = this.shells.get(ini.id);
    if (!shell) {
      const section = el("section", "bd-init");
      section.dataset.initiative = String(ini.id);
      const head = el("div", "bd-init-headbox");
      const ul = list("initiative");
      ul.dataset.initiative = String(ini.id);
      section.append(head, ul);
      shell = { section, head, list: ul, sortable: this.sortable(ul) };
      this.shells.set(ini.id, shell);
    }
    return shell;
  }






  // -- interaction -----------------------------------------------------------------------
  hostOf(node) {
    const host = node.closest("[data-key]");
    if (!host) return null;
    const [kind, id] = host.dataset.key.split(":");
    return { kind, id: Number(id), key: host.dataset.key };
  }

  onClick(e) {
    const b = e.target.closest("button[data-act]");
    if (!b || b.disabled || !this.root.contains(b) || b.closest(".bd-staking-row")) return;
    const act = b.dataset.act;
    if (act === "cancel") { this.heads.cancel(); return; }
    const host = this.hostOf(b);
    if (!host) return;
    this.errors.delete(host.key);
    if (host.kind === "a" && act === "take") this.take(host.id, null, null);
    else if (host.kind === "sel" && act === "drop") this.drop(host.id);
    else if (host.kind === "ini") this.heads.act(act, host.id);
  }

  onChange(e) {
    const f = e.target.dataset.f;
    const host = this.hostOf(e.target);
    if (!host || host.kind !== "sel") return;
    if (f === "pick") {
      if (e.target.checked) this.picked.add(host.id); else this.picked.delete(host.id);
      this.refresh();
    } else if (f === "move" && e.target.value) {
      const to = e.target.value === "pool" ? null : Number(e.target.value);
      this.move(host.id, to, this.lists.get(to)?.length ?? 0);
    }
  }

  onKey(e) {
    if (e.key === "Escape" && this.heads.cancel()) { e.preventDefault(); return; }
    const host = e.target.dataset ? this.hostOf(e.target) : null;
    if (e.key === "Enter" && host && host.kind === "ini" && this.heads.onEnter(e, host.id)) return;
    if (!e.altKey || !ARROWS.includes(e.key) || !e.target.matches(".bd-idea[data-selection]")) return;
    e.preventDefault();
    this.keyMove(Number(e.target.dataset.selection), e.key);
  }

  // Alt+Up/Down: one place up or down; Alt+Left/Right: to the end of the previous/next
  // column (the pool, then the initiatives in board order).
  keyMove(selId, key) {
    if (this.locked) return;
    const order = [null, ...this.inits.map((x) => x.id)];
    const at = order.findIndex((id) => this.lists.get(id).some((s) => s.id === selId));
    if (at < 0) return;
    const here = order[at];
    const index = this.lists.get(here).findIndex((s) => s.id === selId);
    if (key === "ArrowUp" && index > 0) this.move(selId, here, index - 1);
    else if (key === "ArrowDown" && index < this.lists.get(here).length - 1) this.move(selId, here, index + 1);
    else if (key === "ArrowLeft" || key === "ArrowRight") {
      const to = order[at + (key === "ArrowLeft" ? -1 : 1)];
      if (to === undefined) return;
      this.move(selId, to, this.lists.get(to).length);
    }
  }

  onDrop(evt) {
    this.dragging = false;
    const to = evt.to.dataset.list === "pool" ? null : Number(evt.to.dataset.initiative);
    if (evt.from === this.listA) {
      // List A lends a copy while dragging; its own node goes back to its place.
      if (evt.to !== this.listA && evt.clone && evt.clone.parentNode) evt.clone.replaceWith(evt.item);
      if (evt.to !== this.listA) this.take(Number(evt.item.dataset.idea), to, evt.newDraggableIndex);
      else this.refresh();
      return;
    }
    if (evt.from === evt.to && evt.oldDraggableIndex === evt.newDraggableIndex) { this.refresh(); return; }
    this.move(Number(evt.item.dataset.selection), to, evt.newDraggableIndex);
  }

  // -- server calls ------------------------------------------------------------------------
  async call(key, event, payload) {
    this.busy.add(key);
    this.errors.delete(key);
    this.refresh();
    const ack = await this.ctx.live.call(event, payload);
    this.busy.delete(key);
    if (!ack || !ack.ok) this.errors.set(key, ackError(ack));
    return ack || { ok: false };
  }

  putRows(map, rows) { putRows(this.ctx.store, map, rows); }

  async move(selId, initiativeId, position) {
    const { store, live, notice, announce } = this.ctx;
    const token = {};
    this.moves.set(selId, { initiative_id: initiativeId, position, token });
    this.refresh();
    const ack = await live.call("move_idea", { id: selId, initiative_id: initiativeId, position });
    if (this.moves.get(selId)?.token === token) this.moves.delete(selId);
    if (ack && ack.ok) {
      const name = initiativeId === null ? t("bd_pool") : (store.board.initiatives.get(initiativeId)?.name || "");
      announce(tf("bd_moved_to", { name }));
      this.putRows(store.board.selections, ack.selections);
    } else {
      notice.show(`${ackError(ack)} ${t("bd_current_state")}`);
      this.refresh();
      this.flash(`sel:${selId}`);
    }
  }

  async take(ideaId, initiativeId, position) {
    const { store, groupId, notice } = this.ctx;
    const taken = this.takenIdeas().get(ideaId);
    if (taken) { // taking twice is a no-op: a drag of a taken idea moves it instead
      if (position !== null) this.move(taken.id, initiativeId, position);
      return;
    }
    const key = `a:${ideaId}`;
    const payload = { item_id: this.item.id, group_id: groupId, idea_id: ideaId };
    if (initiativeId !== null) payload.initiative_id = initiativeId;
    const ack = await this.call(key, "take_idea", payload);
    if (ack.ok) {
      this.putRows(store.board.selections, [ack.selection]);
      const list = this.lists.get(initiativeId ?? null) || [];
      const at = list.findIndex((s) => s.id === ack.selection.id);
      if (position !== null && at >= 0 && at !== position) this.move(ack.selection.id, initiativeId, position);
    } else {
      if (position !== null) { this.errors.delete(key); notice.show(ackError(ack)); }
      this.refresh();
    }
  }

  async drop(selId) {
    const key = `sel:${selId}`;
    const ack = await this.call(key, "drop_idea", { id: selId });
    if (ack.ok) this.putRows(this.ctx.store.board.selections, [ack.selection]);
    else this.refresh();
  }









  flash(key) {
    const node = this.root.querySelector(`[data-key="${key}"]`);
    if (!node) return;
    node.classList.add("is-refused");
    setTimeout(() => node.classList.remove("is-refused"), 2500);
  }
}

function column(cls, title) {
  const section = el("section", `bd-col ${cls}`);
  const head = el("div", "bd-col-head");
  head.append(el("h3", "", title), el("span", "bd-count"));
  section.append(head);
  return section;
}

function list(name) {
  const ul = el("ul", "bd-list");
  ul.dataset.list = name;
  return ul;
}

function empty(parent, text) {
  const old = parent.querySelector(":scope > .bd-empty");
  if (old && old.textContent === text) return old;
  return el("li", "bd-empty muted", text);
}

function appendError(node, message) {
  if (!message) return;
  const p = el("p", "error bd-error", message);
  p.setAttribute("role", "alert");
  node.append(p);
}
