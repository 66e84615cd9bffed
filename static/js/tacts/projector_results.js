// The expert session's results (docs/PROTOCOL.md, "Expert session"). On the projector, mode
// `results` (no controls): a table of groups × criteria, each cell the experts' average with a
// bar on the scale 0–5, then the group's total and how many experts scored it; the groups are
// ranked by total, equal totals share a place ("=1"). Before the reveal the projector gets no
// numbers and says the results are not revealed yet. The chief console's compact table
// (resultsTable) is built here too, so that both rank the groups the same way.
// Numbers use the page's language (a decimal comma in Russian). User text only via textContent.
import { t } from "../i18n.js";
import { el } from "../dom.js";

const SCALE = 5;
const FLASH_MS = 8000;
const REVEAL_MS = 1800; // the bars grow for 1.4 s after .3 s (CSS), then 150 ms later per row
// Type steps in vh (1080p: 1 vh = 10.8 px), largest first: the largest at which every row fits.
const SIZES = [5.6, 5.2, 4.8, 4.4, 4.0, 3.7, 3.4, 3.1, 2.8, 2.5, 2.2, 2.0];
// The criteria's names in the header row: the largest at which no word is cut; on one tier
// only down to the floor, then on two tiers (each name then has two columns' width).
const HEAD_SIZES = [3.4, 3.1, 2.8, 2.6, 2.4, 2.2, 2.0, 1.8, 1.6];
const HEAD_FLOOR_ONE_TIER = 2.4;
// A colour per criterion (its name's mark and its bars); the total's is yellow.
const COLOURS = ["#8fb3ff", "#38d996", "#c9a7ff", "#ff9f6b", "#5fd4e8", "#ff8fbf", "#b8e05a", "#a9b4ff",
  "#4fd1b0", "#ff8a80"];

const lang = () => document.documentElement.lang || undefined;
const screenKey = () => `${window.innerWidth}x${window.innerHeight}`;
const cut = (node) => node.scrollHeight > node.clientHeight + 1 || node.scrollWidth > node.clientWidth + 1;
const wordCut = (node) => node.scrollWidth > node.clientWidth + 1;
const isNumber = (x) => x !== null && x !== undefined && x !== "" && Number.isFinite(Number(x));

// One decimal in the page's language ("4,3" in Russian), or a dash for no score.
export function formatScore(x) {
  if (!isNumber(x)) return "—";
  return Number(x).toLocaleString(lang(), { minimumFractionDigits: 1, maximumFractionDigits: 1 });
}

// The share of the scale 0–5 a value fills (0 for no score).
const share = (x) => (isNumber(x) ? Math.min(1, Math.max(0, Number(x) / SCALE)) : 0);

// The groups by total, highest first; groups without a score last, in the server's order.
// Totals are compared as shown (one decimal, rounded as formatScore rounds), so two groups
// that read the same share a place. Each row: {group, rank (1-based, or null), tie}.
const ONE_DECIMAL = new Intl.NumberFormat("en-US", { minimumFractionDigits: 1, maximumFractionDigits: 1, useGrouping: false });

export function rankGroups(results) {
  const groups = (results && results.groups) || [];
  const key = (g) => (isNumber(g.total) ? Number(ONE_DECIMAL.format(Number(g.total))) : null);
  const rows = groups.map((g, i) => ({ group: g, key: key(g), order: i }));
  rows.sort((a, b) => (a.key === null) - (b.key === null) || (b.key ?? 0) - (a.key ?? 0) || a.order - b.order);
  for (const r of rows) {
    r.rank = r.key === null ? null : 1 + rows.filter((o) => o.key !== null && o.key > r.key).length;
    r.tie = r.key !== null && rows.filter((o) => o.key === r.key).length > 1;
  }
  return rows;
}

export function placeLabel(row) {
  if (!row || row.rank === null) return "—";
  return row.tie ? `=${row.rank}` : String(row.rank);
}

// The group's current name: the store follows renames, the results carry the name at scoring.
function groupName(store, g) {
  const group = store && store.groups ? store.groups.get(g.group_id) : null;
  return (group && group.name) || g.name || "";
}

// A value and its bar. `cls` names the cell, `key` is kept on it for the flash of a change.
function scoreCell(tag, cls, value) {
  const cell = el(tag, cls);
  cell.classList.toggle("is-none", !isNumber(value));
  const bar = el("span", "rs-bar");
  bar.setAttribute("aria-hidden", "true");
  const fill = el("span", "rs-fill");
  fill.style.setProperty("--share", String(share(value)));
  bar.append(fill);
  cell.append(el("span", "rs-value", formatScore(value)), bar);
  cell.dataset.value = isNumber(value) ? String(value) : "";
  return cell;
}

// -- the projector ---------------------------------------------------------------------------
export class ResultsView {
  // root: the projector's element; before: the element the section goes in front of (the rail).
  constructor(root, before) {
    this.box = el("section", "pj-results");
    this.box.id = "pj-results";
    this.box.dataset.state = "hidden";
    const head = el("div", "pj-work-head rs-head");
    this.title = el("h2", "pj-work-title rs-title", t("rs_title"));
    this.frame = el("p", "pj-work-frame rs-scale", t("rs_scale"));
    head.append(this.title, this.frame);
    this.hidden = el("div", "rs-hidden");
    this.hidden.append(lockIcon(), el("p", "rs-hidden-title", t("rs_hidden_title")),
      el("p", "rs-hidden-hint", t("rs_hidden_hint")));
    this.table = el("div", "rs-table");
    this.table.setAttribute("role", "table");
    this.table.setAttribute("aria-label", t("rs_title"));
    this.note = el("p", "rs-note hidden");
    this.box.append(head, this.hidden, this.table, this.note);
    this.box.setAttribute("aria-live", "polite");
    root.insertBefore(this.box, before || null);
    this.sig = "";
    this.values = new Map();
    this.painted = false;
    this.shown = false; // the table is on screen: a reveal (or coming back to it) grows the bars
  }

  // active: the projector is in the mode `results`.
  render(store, active) {
    if (!active) { this.shown = false; return; }
    const results = store.results;
    const revealed = Boolean(results && results.revealed && Array.isArray(results.groups));
    this.box.dataset.state = revealed ? "revealed" : "hidden";
    this.hidden.classList.toggle("hidden", revealed);
    this.table.classList.toggle("hidden", !revealed);
    if (!revealed) {
      this.shown = false;
      this.sig = "";
      this.note.classList.add("hidden");
      return;
    }
    const criteria = results.criteria || [];
    const rows = rankGroups(results);
    const names = rows.map((r) => groupName(store, r.group));
    const sig = JSON.stringify([screenKey(), lang(), criteria, results.groups, names]);
    if (sig === this.sig && this.shown) return;
    this.sig = sig;
    // A change while the table is on screen redraws it without growing the bars again.
    if (this.shown) { clearTimeout(this.revealing); this.table.classList.remove("is-revealing"); }
    this.draw(criteria, rows, names);
    if (!this.shown) {
      // The moment of the reveal: the bars grow, the first place last.
      this.table.classList.add("is-revealing");
      clearTimeout(this.revealing);
      this.revealing = setTimeout(() => this.table.classList.remove("is-revealing"), REVEAL_MS + rows.length * 150);
    }
    this.shown = true;
    this.painted = true;
  }

  draw(criteria, rows, names) {
    const table = this.table;
    table.style.setProperty("--rs-n", String(Math.max(1, criteria.length)));
    table.dataset.criteria = String(criteria.length);
    const headRow = el("div", "rs-row rs-headrow");
    headRow.setAttribute("role", "row");
    const th = (cls, text, label) => {
      const cell = el("div", cls);
      cell.setAttribute("role", "columnheader");
      const span = el("span", "rs-th", text);
      if (label) cell.setAttribute("aria-label", label);
      cell.append(span);
      return cell;
    };
    headRow.append(th("rs-place", "", t("rs_place")), th("rs-name", t("rs_group")));
    // Two tiers of criteria's names when one is too narrow: the last criterion is on the upper
    // tier (beside the total), then they alternate; an upper name has a tick down to its column.
    criteria.forEach((c, i) => {
      const cell = th("rs-crit", c.name);
      cell.dataset.criterionId = String(c.id);
      cell.dataset.tier = (criteria.length - 1 - i) % 2 === 0 ? "a" : "b";
      cell.style.setProperty("--col", String(3 + i));
      cell.style.setProperty("--c", COLOURS[i % COLOURS.length]);
      headRow.append(cell);
      if (cell.dataset.tier === "a") {
        const tick = el("div", "rs-tick");
        tick.style.setProperty("--col", String(3 + i));
        tick.style.setProperty("--c", COLOURS[i % COLOURS.length]);
        tick.setAttribute("aria-hidden", "true");
        headRow.append(tick);
      }
    });
    headRow.append(th("rs-sum", t("rs_total")));
    const body = el("div", "rs-body");
    body.setAttribute("role", "rowgroup");
    const seen = new Map();
    rows.forEach((r, i) => {
      const g = r.group;
      const row = el("div", "rs-row rs-group");
      row.setAttribute("role", "row");
      row.dataset.groupId = String(g.group_id);
      row.dataset.rank = r.rank === null ? "" : String(r.rank);
      if (r.tie) row.dataset.tie = "true";
      row.style.setProperty("--i", String(rows.length - 1 - i));
      const place = el("div", "rs-place");
      place.setAttribute("role", "cell");
      place.append(el("span", "rs-badge", placeLabel(r)));
      const name = el("div", "rs-name");
      name.setAttribute("role", "rowheader");
      name.append(el("span", "rs-name-text", names[i]),
        el("span", "rs-experts", t("rs_experts_n").replace("{n}", String(g.experts || 0))));
      row.append(place, name);
      const averages = g.averages || {};
      criteria.forEach((c, n) => {
        const cell = scoreCell("div", "rs-score", averages[c.id]);
        cell.setAttribute("role", "cell");
        cell.dataset.criterionId = String(c.id);
        cell.style.setProperty("--c", COLOURS[n % COLOURS.length]);
        this.flash(cell, seen, `${g.group_id}:${c.id}`);
        row.append(cell);
      });
      const total = scoreCell("div", "rs-score rs-sum", g.total);
      total.setAttribute("role", "cell");
      this.flash(total, seen, `${g.group_id}:total`);
      row.append(total);
      body.append(row);
    });
    this.values = seen;
    table.replaceChildren(headRow, body);
    const scored = rows.some((r) => (r.group.experts || 0) > 0);
    this.note.dataset.kind = criteria.length ? (scored ? "" : "none") : "criteria";
    this.fit(headRow, body);
    if (!criteria.length || !scored) {
      this.note.textContent = t(criteria.length ? "rs_no_scores" : "rs_no_criteria");
      this.note.classList.remove("hidden");
    }
  }

  // A value that changed since the last drawing (after the first) is highlighted for a while.
  flash(cell, seen, key) {
    const value = cell.dataset.value;
    seen.set(key, value);
    if (!this.painted || !this.shown || !this.values.has(key) || this.values.get(key) === value) return;
    cell.classList.add("is-new");
    setTimeout(() => cell.classList.remove("is-new"), FLASH_MS);
  }

  // The rows get the largest type at which all of them fit with no word of a group's name cut,
  // the groups' column as wide as their longest word; at each step the criteria's names get
  // the largest type (not below a floor) at which no word is cut, on one tier, else on two.
  // Below the smallest step the last rows hide and are counted.
  fit(headRow, body) {
    const table = this.table;
    const heads = [...headRow.querySelectorAll(".rs-name .rs-th, .rs-crit .rs-th, .rs-sum .rs-th")];
    const names = [...body.querySelectorAll(".rs-name-text")];
    const values = [...body.querySelectorAll(".rs-value")];
    const rows = [...body.children];
    const vw = window.innerWidth / 100;
    this.note.classList.add("hidden");
    table.classList.add("is-fitting");
    const headFits = () => !heads.some(cut);
    const rowsFit = () => !cut(table) && !names.some(cut) && !values.some(wordCut);
    const fitHead = (size) => {
      for (const tiers of ["1", "2"]) {
        headRow.dataset.tiers = tiers;
        const floor = tiers === "1" ? HEAD_FLOOR_ONE_TIER : 0;
        for (const head of HEAD_SIZES) {
          if (head > size * 0.75 || head < floor) continue;
          table.style.setProperty("--rs-head", `${head}vh`);
          if (headFits()) return true;
        }
      }
      return false;
    };
    let fitted = false;
    try {
      for (const size of SIZES) {
        table.style.setProperty("--rs-size", `${size}vh`);
        table.dataset.size = String(size);
        let word = 0;
        for (const name of names) {
          name.style.width = "min-content";
          word = Math.max(word, name.scrollWidth);
          name.style.removeProperty("width");
        }
        table.style.setProperty("--rs-name", `${Math.round(Math.min(30 * vw, Math.max(13 * vw, word + vw)))}px`);
        if (fitHead(size) && rowsFit()) { fitted = true; break; }
      }
      if (!fitted) {
        headRow.dataset.tiers = "2";
        table.style.setProperty("--rs-head", `${HEAD_SIZES[HEAD_SIZES.length - 1]}vh`);
      }
    } finally {
      table.classList.remove("is-fitting");
    }
    // The count below the table takes room too: it shows while the rows are being hidden.
    let hidden = 0;
    while (cut(table) && hidden < rows.length - 1) {
      hidden += 1;
      rows[rows.length - hidden].classList.add("hidden");
      this.note.textContent = t("rs_more_groups").replace("{n}", hidden);
      this.note.classList.remove("hidden");
    }
  }
}

// A padlock, drawn (no emoji font is needed on the projector's machine).
function lockIcon() {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", "0 0 64 64");
  svg.setAttribute("class", "rs-lock");
  svg.setAttribute("aria-hidden", "true");
  const shackle = document.createElementNS(ns, "path");
  shackle.setAttribute("d", "M20 28 V20 a12 12 0 0 1 24 0 V28");
  shackle.setAttribute("fill", "none");
  shackle.setAttribute("stroke", "currentColor");
  shackle.setAttribute("stroke-width", "6");
  const body = document.createElementNS(ns, "rect");
  body.setAttribute("x", "10");
  body.setAttribute("y", "28");
  body.setAttribute("width", "44");
  body.setAttribute("height", "32");
  body.setAttribute("rx", "6");
  body.setAttribute("fill", "currentColor");
  const hole = document.createElementNS(ns, "circle");
  hole.setAttribute("cx", "32");
  hole.setAttribute("cy", "43");
  hole.setAttribute("r", "5");
  hole.setAttribute("fill", "#0b0f14");
  svg.append(shackle, body, hole);
  return svg;
}

// -- the chief console -----------------------------------------------------------------------
// A compact table of the full results (staff always get the numbers): place, group (and how
// many experts scored it), the criteria's averages with small bars, and the total.
// `store` gives the groups' current names.
export function resultsTable(results, store) {
  const criteria = (results && results.criteria) || [];
  const table = el("table", "rs-mini");
  const head = el("tr");
  const th = (cls, text) => {
    const cell = el("th", cls, text);
    cell.scope = "col";
    return cell;
  };
  head.append(th("rs-place", t("rs_place")), th("rs-name", t("rs_group")));
  for (const c of criteria) {
    const cell = th("rs-crit", c.name);
    cell.dataset.criterionId = String(c.id);
    head.append(cell);
  }
  head.append(th("rs-sum", t("rs_total")));
  const thead = el("thead");
  thead.append(head);
  const tbody = el("tbody");
  for (const r of rankGroups(results)) {
    const g = r.group;
    const tr = el("tr", (g.experts || 0) > 0 ? "" : "is-unscored");
    tr.dataset.groupId = String(g.group_id);
    const name = el("th", "rs-name");
    name.scope = "row";
    name.append(el("span", "rs-name-text", groupName(store, g)),
      el("span", "rs-experts", t("rs_experts_n").replace("{n}", String(g.experts || 0))));
    tr.append(el("td", "rs-place", placeLabel(r)), name);
    const averages = g.averages || {};
    for (const c of criteria) {
      const cell = scoreCell("td", "rs-score", averages[c.id]);
      cell.dataset.criterionId = String(c.id);
      cell.title = `${c.name}: ${isNumber(averages[c.id]) ? formatScore(averages[c.id]) : t("rs_not_scored")}`;
      tr.append(cell);
    }
    tr.append(scoreCell("td", "rs-score rs-sum", g.total));
    tbody.append(tr);
  }
  table.append(thead, tbody);
  return table;
}
