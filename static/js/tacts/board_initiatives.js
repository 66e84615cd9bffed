// Tact 3's initiatives on the group moderator's board, apart from their ideas: the form that
// creates one (optionally from the ticked taken ideas) and each initiative's head: its place
// in List B and chips, rename inline, merge into another (pick it, then confirm the merged
// name) and dissolve (after a confirm). ClusteringView places the heads and passes events on.
import { t } from "../i18n.js";
import { uuid } from "../live.js";
import { Keyed, MAX_NAME, ackError, button, clearSent, el, focusControl, input, putRows, tf } from "./board_common.js";

export class InitiativeHeads {
  // board: the ClusteringView ({ctx, root, item, inits, picked, locked})
  constructor(board) {
    this.board = board;
    this.ctx = board.ctx;
    this.mode = null; // {type: rename|dissolve|merge|merge-confirm, id, into, value}
    this.busy = new Set(); // keys of heads being saved
    this.errors = new Map(); // key -> message shown on that head
    this.keyed = new Keyed();
    this.pendingCreate = null; // {name, ids, client_id}: a resend reuses the client id
    this.hint = el("div", "mod-hint bd-hint hidden");
    this.hint.setAttribute("role", "status");
    this.buildForm();
  }

  buildForm() {
    this.form = el("form", "bd-create");
    this.form.noValidate = true;
    this.name = input("new-initiative", "", { max: MAX_NAME, placeholder: t("bd_new_initiative"), label: t("bd_new_initiative") });
    this.createButton = el("button", "", t("bd_create"));
    this.createButton.type = "submit";
    this.note = el("span", "bd-create-note muted");
    this.error = el("p", "error bd-create-error");
    this.error.setAttribute("role", "alert");
    const row = el("div", "bd-create-row");
    row.append(this.name, this.createButton);
    this.form.append(row, this.note, this.error);
    this.lockedNote = el("p", "bd-box bd-locked-note hidden", t("bd_locked_note"));
    this.form.addEventListener("submit", (e) => { e.preventDefault(); this.create(); });
    this.name.addEventListener("input", () => { this.error.textContent = ""; });
  }

  get inits() { return this.board.inits || []; }

  key(id) { return `ini:${id}`; }

  setLocked(locked) {
    if (locked) this.mode = null;
    this.form.classList.toggle("hidden", locked);
    this.lockedNote.classList.toggle("hidden", !locked);
  }

  // Forget heads (and what was being done) of initiatives that went away.
  prune() {
    const ids = new Set(this.inits.map((x) => x.id));
    if (this.mode && (!ids.has(this.mode.id) || (this.mode.into && !ids.has(this.mode.into)))) this.mode = null;
    this.keyed.keep(new Set([...ids].map((id) => this.key(id))));
  }

  render() {
    const n = this.board.picked.size;
    this.note.textContent = n ? tf("bd_create_from", { n }) : t("bd_create_hint");
    this.createButton.textContent = n ? tf("bd_create_n", { n }) : t("bd_create");
    const m = this.mode;
    const picking = Boolean(m && m.type === "merge");
    this.hint.classList.toggle("hidden", !picking);
    this.board.root.classList.toggle("is-merging", picking);
    if (!picking) { this.hint.replaceChildren(); return; }
    const source = this.inits.find((x) => x.id === m.id);
    this.hint.replaceChildren(el("span", "mod-hint-text", t("bd_merge_pick")),
      el("span", "mod-hint-source", `«${source ? source.name : ""}»`), button(t("cancel"), "cancel"));
  }

  role(id) {
    const m = this.mode;
    if (!m) return "view";
    if (m.type === "merge") return m.id === id ? "source" : "target";
    if (m.type === "merge-confirm") return m.into === id ? "confirm" : m.id === id ? "source" : "view";
    return m.id === id ? m.type : "view";
  }

  // info: {rank, total, focus, count}
  head(ini, info) {
    const key = this.key(ini.id);
    const role = this.role(ini.id);
    const merging = this.mode && this.mode.type.startsWith("merge");
    const source = merging ? this.inits.find((x) => x.id === this.mode.id) : null;
    const sig = [ini.rev, ini.name, role, this.board.locked, source ? source.name : "", info.rank, info.total,
      info.focus, info.count, this.busy.has(key), this.errors.get(key) || ""].join("\u0001");
    return this.keyed.get(key, sig, () => this.build(ini, info, role, source));
  }

  build(ini, info, role, source) {
    const key = this.key(ini.id);
    const box = el("div", "bd-init-head");
    const title = el("div", "bd-init-title");
    if (info.rank) {
      const rank = el("span", "bd-rank-n", info.rank);
      rank.title = t("bd_rank");
      title.append(rank);
    }
    if (role === "rename") {
      const name = input("name", this.mode.value, { max: MAX_NAME, label: t("bd_initiative_name") });
      name.dataset.select = "1";
      title.append(name);
    } else title.append(el("h4", "bd-init-name", ini.name));
    const meta = el("div", "bd-init-meta");
    meta.append(el("span", "bd-init-count muted", tf("bd_ideas_n", { n: info.count })));
    if (info.total != null) {
      const chips = el("span", "bd-chips", tf("bd_chips_n", { n: info.total }));
      chips.title = t("bd_chips_title");
      meta.append(chips);
    }
    if (info.focus) meta.append(el("span", "badge bd-focus-badge", t("bd_focus")));
    box.append(title, meta, this.actions(ini, info, role, source));
    const error = this.errors.get(key);
    if (error) {
      const p = el("p", "error bd-error", error);
      p.setAttribute("role", "alert");
      box.append(p);
    }
    if (this.busy.has(key)) for (const c of box.querySelectorAll("button, input")) c.disabled = true;
    return box;
  }

  actions(ini, info, role, source) {
    const actions = el("div", "bd-init-actions");
    if (role === "view" && !this.board.locked) {
      actions.append(button(t("bd_rename"), "rename"), button(t("bd_merge"), "merge"),
        button(t("bd_dissolve"), "dissolve", "danger"));
    } else if (role === "rename") {
      actions.append(button(t("save"), "rename-yes", ""), button(t("cancel"), "cancel"));
    } else if (role === "dissolve") {
      actions.append(el("p", "bd-confirm", tf("bd_dissolve_confirm", { name: ini.name, n: info.count })),
        button(t("bd_dissolve"), "dissolve-yes", "danger-solid"), button(t("cancel"), "cancel"));
    } else if (role === "source") {
      actions.append(el("span", "badge badge-merging", t("merging")), button(t("cancel"), "cancel"));
    } else if (role === "target") {
      actions.append(button(tf("bd_merge_here", { name: source.name }), "merge-pick", ""));
    } else if (role === "confirm") {
      const name = input("merge-name", this.mode.value, { max: MAX_NAME });
      name.dataset.select = "1";
      const label = el("label", "bd-field");
      label.append(el("span", "bd-field-label", t("bd_merged_name")), name);
      actions.append(el("p", "bd-confirm", tf("bd_merge_confirm", { from: source.name, into: ini.name })), label,
        button(t("merge_do"), "merge-yes", ""), button(t("cancel"), "cancel"));
    }
    return actions;
  }

  // -- interaction (ClusteringView passes on what happens in a head) ----------------------
  onInput(e) {
    const f = e.target.dataset.f;
    if (this.mode && (f === "name" || f === "merge-name")) this.mode.value = e.target.value;
  }

  // Enter in a name field saves it. Returns whether the key was used.
  onEnter(e, id) {
    const f = e.target.dataset.f;
    if (f !== "name" && f !== "merge-name") return false;
    e.preventDefault();
    this.act(f === "name" ? "rename-yes" : "merge-yes", id);
    return true;
  }

  act(act, id) {
    const ini = this.inits.find((x) => x.id === id);
    if (!ini) return;
    const key = this.key(id);
    const m = this.mode;
    this.errors.delete(key);
    switch (act) {
      case "rename": this.setMode({ type: "rename", id, value: ini.name }, key, "name"); break;
      case "dissolve": this.setMode({ type: "dissolve", id }, key, "cancel"); break;
      case "merge": {
        const first = this.inits.find((x) => x.id !== id);
        this.setMode({ type: "merge", id }, first ? this.key(first.id) : key, first ? "merge-pick" : "cancel");
        break;
      }
      case "merge-pick":
        if (m && m.type === "merge") this.setMode({ type: "merge-confirm", id: m.id, into: id, value: ini.name }, key, "merge-name");
        break;
      case "rename-yes": this.rename(ini); break;
      case "dissolve-yes": this.dissolve(ini); break;
      case "merge-yes": this.merge(ini); break;
      default:
    }
  }

  cancel() {
    const m = this.mode;
    if (!m) return false;
    const back = { rename: "rename", dissolve: "dissolve" }[m.type] || "merge";
    this.setMode(null, this.key(m.id), back);
    return true;
  }

  setMode(mode, key, act) {
    this.mode = mode;
    this.board.refresh();
    focusControl(this.board.root, key, act);
  }

  async call(key, event, payload) {
    this.busy.add(key);
    this.board.refresh();
    const ack = await this.ctx.live.call(event, payload);
    this.busy.delete(key);
    if (!ack || !ack.ok) {
      this.errors.set(key, ackError(ack));
      this.board.refresh();
    }
    return ack || { ok: false };
  }

  put(rows) { putRows(this.ctx.store, this.ctx.store.board.initiatives, rows); }

  async create() {
    const name = this.name.value.trim();
    if (!name) { this.error.textContent = t("bd_name_empty"); this.name.focus(); return; }
    if (name.length > MAX_NAME) { this.error.textContent = t("too_long"); return; }
    const ids = [...this.board.picked].sort((a, b) => a - b);
    const p = this.pendingCreate;
    if (!p || p.name !== name || p.ids.join() !== ids.join()) this.pendingCreate = { name, ids, client_id: uuid() };
    const payload = { client_id: this.pendingCreate.client_id, item_id: this.board.item.id, group_id: this.ctx.groupId, name };
    if (ids.length) payload.selection_ids = ids;
    this.createButton.disabled = true;
    this.error.textContent = "";
    const ack = await this.ctx.live.call("create_initiative", payload);
    this.createButton.disabled = false;
    if (ack && ack.ok) {
      this.pendingCreate = null;
      clearSent(this.name, name);
      this.board.picked.clear();
      this.ctx.announce(tf("bd_created", { name }));
      // the ideas it took come in the ack, so they show in it at once
      for (const row of ack.selections || []) this.ctx.store.putRow(this.ctx.store.board.selections, row);
      this.put([ack.initiative]);
    } else {
      this.error.textContent = ackError(ack);
    }
    this.name.focus();
  }

  async rename(ini) {
    const key = this.key(ini.id);
    const name = (this.mode && this.mode.value || "").trim();
    if (!name) { this.errors.set(key, t("bd_name_empty")); this.board.refresh(); return; }
    if (name === ini.name) { this.setMode(null, key, "rename"); return; }
    const ack = await this.call(key, "rename_initiative", { id: ini.id, name });
    if (!ack.ok) return;
    this.mode = null;
    this.put([ack.initiative]);
    focusControl(this.board.root, key, "rename");
  }

  async dissolve(ini) {
    const ack = await this.call(this.key(ini.id), "dissolve_initiative", { id: ini.id });
    if (!ack.ok) return;
    this.mode = null;
    this.ctx.announce(tf("bd_dissolved", { name: ini.name }));
    // Its ideas and the chips come back by events; the initiative goes away at once.
    const gone = this.ctx.store.board.initiatives.get(ini.id);
    this.put([gone && { ...gone, deleted: true }]);
    this.name.focus();
  }

  async merge(into) {
    const m = this.mode;
    if (!m || m.type !== "merge-confirm") return;
    const key = this.key(into.id);
    const name = (m.value || "").trim();
    if (!name) { this.errors.set(key, t("bd_name_empty")); this.board.refresh(); return; }
    const payload = { id: m.id, into: into.id };
    if (name !== into.name) payload.name = name;
    const ack = await this.call(key, "merge_initiatives", payload);
    if (!ack.ok) return;
    this.mode = null;
    const gone = this.ctx.store.board.initiatives.get(m.id);
    this.put([ack.initiative, gone && { ...gone, deleted: true }]);
    focusControl(this.board.root, key, "merge");
  }
}
