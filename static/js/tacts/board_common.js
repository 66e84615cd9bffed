// Shared pieces of the group moderator's boards for tacts 3–5: small DOM helpers, keyed
// nodes that are rebuilt only when what they show changes (keeping focus and half-typed
// input), a message line, and the switcher between a group's initiatives.
// User text is only ever set with textContent.
import { ackError, el } from "../board.js";
import { t } from "../i18n.js";

export { ackError, el };

export const STAKEHOLDER_TYPES = ["public_body", "ngo", "business", "community", "media", "person", "other"];
export const RESOURCES = ["money", "premises", "people", "expertise", "equipment", "information", "media",
  "legitimacy", "time", "other"];
export const MARKS = ["given", "spent", "gained"];
export const MAX_NAME = 120;
export const MAX_TEXT = 300;

// After a write's ack: empty the box only if it still holds what was sent (the moderator may
// already be typing the next one, and its own broadcast may have come before the ack).
export function clearSent(box, sent) {
  if (box.value.trim() === sent) box.value = "";
}

// t() with {name} placeholders filled in.
export function tf(key, params) {
  let s = t(key);
  for (const [k, v] of Object.entries(params)) s = s.split(`{${k}}`).join(String(v));
  return s;
}

export function button(label, act, cls = "secondary") {
  const b = el("button", cls, label);
  b.type = "button";
  b.dataset.act = act;
  return b;
}

// A text input that keeps its value across rebuilds under the field name `f`.
export function input(f, value, opts = {}) {
  const node = el("input", opts.cls || "");
  node.type = opts.type || "text";
  node.dataset.f = f;
  if (opts.max) node.maxLength = opts.max;
  if (opts.placeholder) node.placeholder = opts.placeholder;
  if (opts.label) node.setAttribute("aria-label", opts.label);
  node.autocomplete = "off";
  node.value = value ?? "";
  return node;
}

export function select(f, options, value, label) {
  const node = el("select");
  node.dataset.f = f;
  if (label) node.setAttribute("aria-label", label);
  fillOptions(node, options, value);
  return node;
}

// Replace a select's options ([{value, label, disabled}]) only when they changed; the choice
// stays when it still exists.
export function fillOptions(node, options, value) {
  const sig = JSON.stringify(options);
  const keep = value !== undefined ? String(value) : node.value;
  if (node.dataset.sig !== sig) {
    node.replaceChildren(...options.map((o) => {
      const opt = el("option", "", o.label);
      opt.value = String(o.value);
      if (o.disabled) opt.disabled = true;
      return opt;
    }));
    node.dataset.sig = sig;
  }
  if (options.some((o) => String(o.value) === keep)) node.value = keep;
}

export function labelled(text, control, cls = "bd-field") {
  const label = el("label", cls);
  label.append(el("span", "bd-field-label", text), control);
  return label;
}

export function cssEscape(s) { return window.CSS && CSS.escape ? CSS.escape(s) : String(s); }

// Put `nodes` into `parent` in this order, moving only what is out of place.
export function syncChildren(parent, nodes) {
  const wanted = new Set(nodes);
  for (const child of [...parent.children]) if (!wanted.has(child)) child.remove();
  let previous = null;
  for (const node of nodes) {
    const expected = previous ? previous.nextSibling : parent.firstChild;
    if (expected !== node) parent.insertBefore(node, expected);
    previous = node;
  }
}

// Nodes by key, rebuilt only when their signature changes. A rebuilt node takes over the
// values typed into the old one's fields (data-f) and its place in the page.
export class Keyed {
  constructor() { this.nodes = new Map(); }

  get(key, sig, build) {
    const old = this.nodes.get(key);
    if (old && old.sig === sig) return old.node;
    const node = build();
    node.dataset.key = key;
    if (old) {
      carryValues(old.node, node);
      if (old.node.parentNode) old.node.replaceWith(node);
    }
    this.nodes.set(key, { node, sig });
    return node;
  }

  // Forget the nodes whose keys are not in `keys`.
  keep(keys) {
    for (const k of [...this.nodes.keys()]) if (!keys.has(k)) this.nodes.delete(k);
  }
}

function carryValues(from, to) {
  for (const old of from.querySelectorAll("[data-f]")) {
    const fresh = to.querySelector(`[data-f="${cssEscape(old.dataset.f)}"]`);
    if (!fresh || fresh.tagName !== old.tagName || fresh.dataset.fixed) continue;
    if (old.type === "checkbox") fresh.checked = old.checked;
    else if (fresh.tagName === "SELECT") {
      if ([...fresh.options].some((o) => o.value === old.value)) fresh.value = old.value;
    } else fresh.value = old.value;
  }
}

// Where the keyboard is inside `root`, so that it can come back after nodes were rebuilt
// or moved (moving a focused node in the DOM drops its focus).
export function focusAddress(root) {
  const a = document.activeElement;
  if (!a || a === document.body || !root.contains(a)) return null;
  const host = a.closest("[data-key]");
  return {
    node: a, key: host ? host.dataset.key : null, self: host === a,
    f: a.dataset.f || null, act: a.dataset.act || null, id: a.dataset.id || null,
    start: typeof a.selectionStart === "number" ? a.selectionStart : null, end: a.selectionEnd,
  };
}

export function restoreFocus(root, addr) {
  if (!addr) return;
  const active = document.activeElement;
  if (active && active !== document.body && active !== addr.node) return; // moved on meanwhile
  if (addr.node.isConnected) {
    if (active !== addr.node) addr.node.focus({ preventScroll: true });
    return;
  }
  const host = addr.key ? root.querySelector(`[data-key="${cssEscape(addr.key)}"]`) : null;
  if (!host) return;
  let node = host;
  if (!addr.self) {
    let sel = addr.f ? `[data-f="${cssEscape(addr.f)}"]` : addr.act ? `[data-act="${cssEscape(addr.act)}"]` : null;
    if (sel && addr.id) sel += `[data-id="${cssEscape(addr.id)}"]`;
    const found = sel ? host.querySelector(sel) : null;
    if (found && !found.disabled) node = found;
  }
  if (node === host && !host.hasAttribute("tabindex")) host.tabIndex = -1;
  node.focus({ preventScroll: true });
  if (addr.start !== null && typeof node.setSelectionRange === "function" && node.type !== "number") {
    try { node.setSelectionRange(addr.start, addr.end); } catch { /* not a text field */ }
  }
}

// A line for messages of the whole board (a refused drag, say); it stays until closed or
// replaced, so a message is never missed.
export class Notice {
  constructor(node) {
    this.node = node;
    node.addEventListener("click", (e) => { if (e.target.closest("[data-act=close-notice]")) this.clear(); });
  }

  show(text, kind = "error") {
    const close = button(t("bd_close"), "close-notice", "link");
    this.node.replaceChildren(el("span", "bd-notice-text", text), close);
    this.node.className = `bd-notice bd-notice-${kind}`;
    this.node.setAttribute("role", kind === "error" ? "alert" : "status");
  }

  clear() {
    this.node.replaceChildren();
    this.node.className = "bd-notice hidden";
  }
}

// Tabs for a group's focus initiatives (List B's top) and a select for the others.
export class InitiativePicker {
  constructor(node, onPick) {
    this.node = node;
    this.onPick = onPick;
    this.chosen = null;
    this.tabs = el("div", "bd-picker-tabs");
    this.tabs.setAttribute("role", "group");
    this.tabs.setAttribute("aria-label", t("bd_focus_initiatives"));
    this.others = select("other-initiative", [], "", t("bd_other_initiatives"));
    this.othersBox = labelled(t("bd_other_initiatives"), this.others, "bd-field bd-picker-others");
    node.append(el("span", "bd-picker-label", t("bd_initiative")), this.tabs, this.othersBox);
    this.tabs.addEventListener("click", (e) => {
      const b = e.target.closest("[data-initiative]");
      if (b) this.pick(Number(b.dataset.initiative));
    });
    this.others.addEventListener("change", () => { if (this.others.value) this.pick(Number(this.others.value)); });
  }

  pick(id) {
    this.chosen = id;
    this.onPick(id);
  }

  // focus, others: initiatives; ranks: Map(initiative_id -> "1" | "=2"). Returns the chosen one.
  render(focus, others, ranks) {
    const all = [...focus, ...others];
    if (!all.some((x) => x.id === this.chosen)) this.chosen = all.length ? all[0].id : null;
    const sig = JSON.stringify([focus.map((x) => [x.id, x.name, ranks.get(x.id)]), this.chosen]);
    if (this.tabs.dataset.sig !== sig) {
      const hadFocus = this.tabs.contains(document.activeElement);
      this.tabs.replaceChildren(...focus.map((x) => {
        const b = el("button", x.id === this.chosen ? "bd-tab is-on" : "bd-tab secondary");
        b.type = "button";
        b.dataset.initiative = String(x.id);
        b.setAttribute("aria-pressed", x.id === this.chosen ? "true" : "false");
        const rank = ranks.get(x.id);
        if (rank) b.append(el("span", "bd-tab-rank", rank));
        b.append(el("span", "bd-tab-name", x.name));
        return b;
      }));
      this.tabs.dataset.sig = sig;
      if (hadFocus) this.tabs.querySelector(".is-on")?.focus({ preventScroll: true });
    }
    this.othersBox.classList.toggle("hidden", !others.length);
    const chosenOther = others.some((x) => x.id === this.chosen);
    fillOptions(this.others, [{ value: "", label: t("bd_pick_other") },
      ...others.map((x) => ({ value: x.id, label: x.name }))], chosenOther ? this.chosen : "");
    this.othersBox.classList.toggle("is-on", chosenOther);
    return all.find((x) => x.id === this.chosen) || null;
  }
}

// Ranks of List B as labels: "1", "2", "=3" for a shared rank.
export function rankLabels(listB) {
  const map = new Map();
  for (const row of listB || []) {
    if (row.rank == null) continue;
    map.set(row.initiative_id, `${row.tie ? "=" : ""}${row.rank}`);
  }
  return map;
}

// Keep the newest copy of rows the server acknowledged (an event may bring them too), then
// let every view redraw.
export function putRows(store, map, rows) {
  for (const row of rows) if (row) store.putRow(map, row);
  store.changed("board");
}

// Put the keyboard on a control (data-act or data-f) of the node with data-key `key`, or on
// the node itself.
export function focusControl(container, key, act) {
  const host = container.querySelector(`[data-key="${cssEscape(key)}"]`);
  if (!host) return;
  const node = host.querySelector(`[data-act="${cssEscape(act)}"], [data-f="${cssEscape(act)}"]`) || host;
  if (node === host && !host.hasAttribute("tabindex")) host.tabIndex = -1;
  node.focus();
  if (node.tagName === "INPUT" && node.type === "text" && node.dataset.select) node.select();
}

// The initiative a pane shows now (null: the group has none yet), its tabs redrawn: the group's
// focus first, the pick shared with the other panes (ctx.shared). `view` has ctx and picker;
// sets view.initiative.
export function chooseInitiative(view) {
  const { store, groupId } = view.ctx;
  const focus = view.ctx.focus();
  const others = store.initiativesOf(groupId).filter((x) => !focus.includes(x));
  view.picker.chosen = view.ctx.shared.initiativeId;
  const ini = view.picker.render(focus, others, rankLabels(view.ctx.listB()));
  view.ctx.shared.initiativeId = ini ? ini.id : null;
  view.initiative = ini;
  return ini;
}

// Tacts 4, 5 and 7 work on one initiative at a time: pick it (the one chosen before, shared
// between the tabs; List B's top first) and show the view read-only until its item starts.
// `view` also has readonly and form; sets view.item too.
export function pickInitiative(view, item) {
  view.item = item;
  const ini = chooseInitiative(view);
  view.readonly.classList.toggle("hidden", Boolean(item));
  view.form.classList.toggle("hidden", !item || !ini);
  return ini;
}
