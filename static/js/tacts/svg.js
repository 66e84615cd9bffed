// SVG drawings of tacts 4 and 5 (the stakeholder map, the resource flows), shared by the projector
// and the moderator's group board. Pure functions: plain data in, a detached <svg> out; user text
// only ever goes in through textContent.
//
// API (stable):
//   stakeholderMap({initiative, stakeholders}, options?) → SVGSVGElement
//     initiative:   {id, name}
//     stakeholders: [{id, name, type, values: [{id, text}]}]
//     The initiative in the middle, the stakeholders around it on a ring (a rounded ellipse that
//     follows the box's shape), each with a line to the centre, its type, its name and its values
//     as small labels ("+k" for those that do not fit).
//   flowDiagram({initiative, stakeholders, flows, balance}, options?) → SVGSVGElement
//     flows:   [{id, source_id|null, target_id|null (null: the initiative), resource,
//                resource_text, mark: "given"|"spent"|"gained"}]
//     balance: {rows: [{stakeholder_id, name, gives, spends, gains, flag, reason}]} or null
//     The initiative in the middle, the stakeholders in a column on each side (or a row above and
//     below, whichever gives the larger type); arrows from source to target, labelled with the
//     resource (resource_text, else the resource's name), coloured and dashed by mark (given:
//     solid, spent: dashed, gained: dotted); a flagged stakeholder gets a red border and a "!"
//     badge; the legend explains the marks and lists the flagged ones with their reason.
//   options (all optional):
//     width, height  size of the viewBox (default 1200×800). Pass the size of the box the drawing
//                    goes into (in pixels, or in pixels of a reference screen): type sizes are in
//                    the same units. The <svg> has width/height 100% and keeps its aspect ratio.
//     theme          "dark" (the projector, default) or "light"; colours are presentation
//                    attributes, so a page's CSS can still override them through the classes below.
//     label(key)     translates pj_type_<type>, pj_res_<resource>, pj_mark_<mark>, pj_flag_<flag>,
//                    pj_values_more (default: t from i18n.js; the keys are in strings_projector.py).
//     legend         flowDiagram: draw the legend of the marks (default true).
//     flags          flowDiagram: list the flagged stakeholders and reasons in the legend (default true).
//     maxFontSize    cap of the stakeholder name size in viewBox units (default 40 map, 32 flows).
//   Both drawings stay readable with 1–12 stakeholders: boxes and type shrink together until
//   nothing overlaps (9 units at the least); long names wrap, long words shrink a little before
//   they break, and what does not fit ends in "…" with the full text in a <title>. Empty lists
//   draw the initiative alone. Text is measured with a canvas in the page's font.
//
// Hooks for CSS and tests: svg.tk-svg.tk-map / svg.tk-svg.tk-flows [data-initiative-id];
// g.tk-center; g.tk-node[data-stakeholder-id][data-type] (+ .tk-flagged[data-flag]);
// g.tk-values > g.tk-value; g.tk-flow.tk-mark-<mark>[data-flow-id]; g.tk-flow-label[data-flow-id];
// g.tk-legend; g.tk-legend-flag[data-stakeholder-id].
import { t } from "../i18n.js";

const NS = "http://www.w3.org/2000/svg";

const THEMES = {
  dark: {
    text: "#f5f7fa", muted: "#c9d4e3", node: "#182230", center: "#1d3a6e", centerStroke: "#8fb3ff",
    line: "#5d7190", pill: "#2b3b52", pillText: "#eef3f9", flag: "#ff6b6b", flagInk: "#0b0f14",
    labelBg: "#0b0f14",
    marks: { given: "#6fa3ff", spent: "#ffb347", gained: "#38d996" },
    types: {
      public_body: "#8fb3ff", ngo: "#38d996", business: "#ffcf66", community: "#c79bff",
      media: "#ff8fc7", person: "#6fe0e0", other: "#b8c4d4",
    },
  },
  light: {
    text: "#111827", muted: "#4b5563", node: "#ffffff", center: "#e8f0ff", centerStroke: "#1f5fd6",
    line: "#9aa8b8", pill: "#eef2f7", pillText: "#1f2937", flag: "#c62828", flagInk: "#ffffff",
    labelBg: "#ffffff",
    marks: { given: "#1f5fd6", spent: "#b35c00", gained: "#0f7a4d" },
    types: {
      public_body: "#1f5fd6", ngo: "#0f7a4d", business: "#8a5a00", community: "#6b3fb8",
      media: "#b0306f", person: "#0f7070", other: "#55606e",
    },
  },
};

const DASH = { given: null, spent: [2.2, 1.2], gained: [0.15, 1.1] }; // in stroke widths
const MARKS = ["given", "spent", "gained"];

// -- small helpers ----------------------------------------------------------------------------
function svg(tag, attrs, cls) {
  const node = document.createElementNS(NS, tag);
  if (attrs) for (const [k, v] of Object.entries(attrs)) if (v !== null && v !== undefined) node.setAttribute(k, String(v));
  if (cls) node.setAttribute("class", cls);
  return node;
}

function addTitle(node, text) {
  const title = svg("title");
  title.textContent = text;
  node.prepend(title);
}

const r1 = (x) => Math.round(x * 10) / 10;

// Text is measured with a canvas in the page's font, so that wrapping matches what is drawn;
// without a canvas, DejaVu/Noto Cyrillic averages ~0.6 em (bold ~0.72 em).
let measurer = null;
let measuredFont = "";
let pageFont = null;

function fontFamily() {
  if (pageFont === null) {
    try { pageFont = getComputedStyle(document.body).fontFamily || "sans-serif"; } catch { pageFont = "sans-serif"; }
  }
  return pageFont;
}

function textWidth(text, size, bold) {
  if (measurer === null) {
    try { measurer = document.createElement("canvas").getContext("2d") || false; } catch { measurer = false; }
  }
  if (!measurer) return String(text).length * size * (bold ? 0.72 : 0.6);
  const font = `${bold ? 700 : 400} 100px ${fontFamily()}`;
  if (font !== measuredFont) { measurer.font = font; measuredFont = font; }
  return (measurer.measureText(String(text)).width * size) / 100;
}

// The text, or its longest start that fits the width followed by "…".
function clip(text, width, size, bold) {
  const s = String(text || "").trim().replace(/\s+/g, " ");
  if (textWidth(s, size, bold) <= width) return { text: s, cut: false };
  let lo = 0;
  let hi = s.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (textWidth(`${s.slice(0, mid)}…`, size, bold) <= width) lo = mid; else hi = mid - 1;
  }
  return { text: `${s.slice(0, Math.max(1, lo)).replace(/[\s,.;:–—-]+$/, "")}…`, cut: true };
}

// Words into at most maxLines lines no wider than width; a word longer than a line is broken.
export function wrapText(text, width, size, bold, maxLines) {
  const fits = (x) => textWidth(x, size, bold) <= width;
  const words = String(text || "").trim().split(/\s+/).filter(Boolean);
  const lines = [];
  let cur = "";
  for (let w of words) {
    while (!fits(w)) {
      if (cur) { lines.push(cur); cur = ""; }
      let k = w.length - 1;
      while (k > 1 && !fits(`${w.slice(0, k)}-`)) k -= 1;
      lines.push(`${w.slice(0, k)}-`);
      w = w.slice(k);
    }
    if (!cur) cur = w;
    else if (fits(`${cur} ${w}`)) cur += ` ${w}`;
    else { lines.push(cur); cur = w; }
  }
  if (cur) lines.push(cur);
  if (lines.length <= maxLines) return { lines, cut: false };
  const kept = lines.slice(0, maxLines);
  const last = clip(`${kept[maxLines - 1]} ${lines.slice(maxLines).join(" ")}`, width, size, bold).text;
  kept[maxLines - 1] = last.endsWith("…") ? last : `${last}…`;
  return { lines: kept, cut: true };
}

// The size at which the longest word fits the width, between min and size: a long Russian word
// reads better a little smaller than broken.
function fitSize(text, width, size, bold, min) {
  const words = String(text || "").split(/\s+/).filter(Boolean);
  const widest = Math.max(0, ...words.map((w) => textWidth(w, 1, bold)));
  return widest ? Math.max(min, Math.min(size, width / widest)) : size;
}

// A block of lines whose first line's top is at y.
function textBlock(x, y, lines, size, attrs, cls) {
  const node = svg("text", { x: r1(x), y: r1(y), "font-size": r1(size), ...attrs }, cls);
  lines.forEach((line, i) => {
    const span = svg("tspan", { x: r1(x), dy: r1(i === 0 ? size * 0.92 : size * 1.2) });
    span.textContent = line;
    node.append(span);
  });
  return node;
}

function rectsOverlap(a, b, gap) {
  return Math.abs(a.x - b.x) < (a.w + b.w) / 2 + gap && Math.abs(a.y - b.y) < (a.h + b.h) / 2 + gap;
}

function overlapArea(a, b, gap) {
  const ox = (a.w + b.w) / 2 + gap - Math.abs(a.x - b.x);
  const oy = (a.h + b.h) / 2 + gap - Math.abs(a.y - b.y);
  return ox > 0 && oy > 0 ? ox * oy : 0;
}

// The shortest distance between two boxes (0 when they touch or overlap).
function rectDistance(a, b) {
  const dx = Math.max(0, Math.abs(a.x - b.x) - (a.w + b.w) / 2);
  const dy = Math.max(0, Math.abs(a.y - b.y) - (a.h + b.h) / 2);
  return Math.hypot(dx, dy);
}

function inside(p, r, pad = 0) {
  return Math.abs(p.x - r.x) <= r.w / 2 + pad && Math.abs(p.y - r.y) <= r.h / 2 + pad;
}

// n points at equal arc length on a ring, starting at angle a0 (radians, clockwise on screen).
// The ring is a superellipse (between an ellipse and a rectangle): the boxes use the corners of
// the area instead of crowding the middle.
function ellipsePoints(cx, cy, rx, ry, n, a0) {
  const steps = 720;
  const pts = [];
  const len = [0];
  const bend = (v) => Math.sign(v) * Math.abs(v) ** (2 / 3);
  for (let i = 0; i <= steps; i += 1) {
    const a = a0 + (2 * Math.PI * i) / steps;
    pts.push({ x: cx + rx * bend(Math.cos(a)), y: cy + ry * bend(Math.sin(a)) });
    if (i) len.push(len[i - 1] + Math.hypot(pts[i].x - pts[i - 1].x, pts[i].y - pts[i - 1].y));
  }
  const total = len[steps];
  const out = [];
  let j = 0;
  for (let k = 0; k < n; k += 1) {
    const want = (total * k) / n;
    while (j < steps && len[j + 1] < want) j += 1;
    out.push(pts[j]);
  }
  return out;
}

// The centre box and n boxes around it, as big as the area allows without overlaps.
// shapes: node boxes [w, h] in units of the font size, tried in order at each size (a narrower,
// taller box lets a tall area use a larger type); centerW: the centre's width in font sizes;
// centerH(fs, w): the centre's height for that size and width; nodeH(fs, w, maxH): the height
// the boxes' content needs (at most maxH); clearance: the least gap around the centre, in fs.
function ringLayout(area, n, shapes, centerW, centerH, maxFs, clearance = 0.6, nodeH = null) {
  const { x0, y0, w: W, h: H } = area;
  const cx = x0 + W / 2;
  const cy = y0 + H / 2;
  const minFs = 9;
  const fits = (nodes, center, gap, around) => {
    for (let i = 0; i < nodes.length; i += 1) {
      if (rectDistance(nodes[i], center) < around) return false;
      for (let j = i + 1; j < nodes.length; j += 1) if (rectsOverlap(nodes[i], nodes[j], gap)) return false;
    }
    return true;
  };
  const heights = new Map();
  const attempt = (fs, [sw, sh], a0) => {
    const bw = Math.min(sw * fs, W);
    let bh = Math.min(sh * fs, H);
    // Boxes only as tall as their content needs: what is left goes to the ring.
    if (nodeH && n) {
      const k = `${fs}:${bw}:${bh}`;
      if (!heights.has(k)) heights.set(k, Math.min(bh, nodeH(fs, bw, bh)));
      bh = heights.get(k);
    }
    const cw = Math.min(centerW * fs, W * 0.42);
    const center = { x: cx, y: cy, w: cw, h: Math.min(centerH(fs, cw), H * 0.5) };
    const rx = Math.max(0, W / 2 - bw / 2);
    const ry = Math.max(0, H / 2 - bh / 2);
    const nodes = n ? ellipsePoints(cx, cy, rx, ry, n, a0).map((p) => ({ x: p.x, y: p.y, w: bw, h: bh })) : [];
    return { fs, nodes, center, ok: fits(nodes, center, fs * 0.6, fs * clearance) };
  };
  // The first stakeholder on top (one or two: beside the initiative in a wide box), or the ring
  // turned by half a step, which suits a tall box better; a wide box also tries it on the right.
  const starts = n <= 2 ? (W >= H ? [Math.PI, -Math.PI / 2] : [-Math.PI / 2, Math.PI])
    : [-Math.PI / 2, -Math.PI / 2 + Math.PI / n, ...(W > H * 1.3 ? [0, Math.PI / n] : [])];
  let fs = Math.max(minFs, Math.min(maxFs, ...shapes.map(([sw, sh]) => Math.max(W / (sw * 2.4), H / (sh * 2.4)))));
  for (;;) {
    for (const shape of shapes) {
      for (const a0 of starts) {
        const lay = attempt(fs, shape, a0);
        if (lay.ok) return centred(lay, area);
      }
    }
    if (fs <= minFs) return centred(attempt(fs, shapes[shapes.length - 1], starts[0]), area);
    fs = Math.max(minFs, fs * 0.95);
  }
}

// The drawing moved so that what it covers sits in the middle of the area (a ring of three
// would otherwise leave a band empty).
function centred(lay, area) {
  const boxes = [lay.center, ...lay.nodes];
  const top = Math.min(...boxes.map((b) => b.y - b.h / 2));
  const bottom = Math.max(...boxes.map((b) => b.y + b.h / 2));
  const left = Math.min(...boxes.map((b) => b.x - b.w / 2));
  const right = Math.max(...boxes.map((b) => b.x + b.w / 2));
  const dx = area.x0 + area.w / 2 - (left + right) / 2;
  const dy = area.y0 + area.h / 2 - (top + bottom) / 2;
  for (const b of boxes) { b.x += dx; b.y += dy; }
  return lay;
}

// The flow diagram's layout: the initiative in the middle, the stakeholders in a column on each
// side (first left, second right, ...), so that arrows run across and their labels lie along
// them. The type is as large as lets every column fit and leaves room between for the labels.
function columnLayout(area, n, centerH, nodeH, maxFs) {
  const { x0, y0, w: W, h: H } = area;
  const cx = x0 + W / 2;
  const cy = y0 + H / 2;
  const sides = [Math.ceil(n / 2), Math.floor(n / 2)];
  const minFs = 9;
  let fs = maxFs;
  for (;;) {
    const bw = Math.min(9 * fs, W * 0.3);
    const cw = Math.min(8.5 * fs, W * 0.28);
    const gapX = (W - (n > 1 ? 2 : n) * bw - cw) / (n > 1 ? 2 : 1);
    const bh = n ? nodeH(fs, bw, 6 * fs) : 0;
    const ch = Math.min(centerH(fs, cw), H);
    const slot = H / Math.max(1, sides[0]);
    const ok = (!n || (gapX >= 5.5 * fs && slot >= bh + fs * 0.8)) && ch <= H;
    if (ok || fs <= minFs) {
      const nodes = [];
      // One stakeholder: it and the initiative side by side, the pair centred.
      const pair = Math.min(W, bw + 8 * fs + cw);
      const center = n === 1 ? { x: cx + pair / 2 - cw / 2, y: cy, w: cw, h: ch } : { x: cx, y: cy, w: cw, h: ch };
      const count = [0, 0];
      for (let i = 0; i < n; i += 1) {
        const side = i % 2;
        const k = sides[side];
        const row = count[side]++;
        const x = side === 0 ? (n === 1 ? cx - pair / 2 + bw / 2 : x0 + bw / 2) : x0 + W - bw / 2;
        nodes.push({ x, y: y0 + (H * (row + 0.5)) / k, w: bw, h: bh });
      }
      return { fs, nodes, center };
    }
    fs = Math.max(minFs, fs * 0.95);
  }
}

// The same turned a quarter: stakeholders in a row above the initiative and a row below.
function rowLayout(area, n, centerH, nodeH, maxFs) {
  const { x0, y0, w: W, h: H } = area;
  const cx = x0 + W / 2;
  const cy = y0 + H / 2;
  const sides = [Math.ceil(n / 2), Math.floor(n / 2)];
  const minFs = 9;
  let fs = maxFs;
  for (;;) {
    const gap = fs * 0.6;
    const bw = Math.min(9 * fs, (W - gap * (sides[0] - 1)) / Math.max(1, sides[0]));
    const cw = Math.min(8.5 * fs, W * 0.6);
    const bh = n ? nodeH(fs, bw, 6 * fs) : 0;
    const ch = Math.min(centerH(fs, cw), H);
    const gapY = (H - (n > 1 ? 2 : n) * bh - ch) / (n > 1 ? 2 : 1);
    const ok = (!n || (bw >= 6.5 * fs && gapY >= 5 * fs)) && ch <= H;
    if (ok || fs <= minFs) {
      const nodes = [];
      const count = [0, 0];
      for (let i = 0; i < n; i += 1) {
        const side = i % 2;
        const k = sides[side];
        const col = count[side]++;
        nodes.push({ x: x0 + (W * (col + 0.5)) / k, y: side === 0 ? y0 + bh / 2 : y0 + H - bh / 2, w: Math.min(bw, W / k - gap), h: bh });
      }
      return { fs, nodes, center: { x: cx, y: cy, w: cw, h: ch } };
    }
    fs = Math.max(minFs, fs * 0.95);
  }
}

// The height of the centre box that holds the initiative's name in up to four lines.
function centerHeight(name) {
  return (fs, w) => {
    const pad = fs * 0.6;
    const size = fitSize(name, w - pad * 2, fs * 1.05, true, fs * 0.8);
    const lines = wrapText(name, w - pad * 2, size, true, 4).lines.length || 1;
    return Math.max(fs * 3.2, lines * size * 1.2 + pad * 1.6);
  };
}

function sizeOf(options) {
  const W = Math.max(200, Number(options.width) || 1200);
  const H = Math.max(150, Number(options.height) || 800);
  return [W, H];
}

function rootSvg(kind, W, H, initiative, theme) {
  const root = svg("svg", {
    xmlns: NS, viewBox: `0 0 ${r1(W)} ${r1(H)}`, width: "100%", height: "100%",
    preserveAspectRatio: "xMidYMid meet", role: "img", "font-family": fontFamily(),
    "data-initiative-id": initiative && initiative.id != null ? initiative.id : null,
  }, `tk-svg tk-${kind} tk-theme-${theme}`);
  return root;
}

function centerNode(initiative, box, fs, th) {
  const g = svg("g", { "data-initiative-id": initiative.id }, "tk-center");
  g.append(svg("rect", {
    x: r1(box.x - box.w / 2), y: r1(box.y - box.h / 2), width: r1(box.w), height: r1(box.h),
    rx: r1(fs * 0.6), fill: th.center, stroke: th.centerStroke, "stroke-width": r1(Math.max(2, fs * 0.12)),
  }));
  const pad = fs * 0.6;
  const name = String(initiative.name || "");
  const size = fitSize(name, box.w - pad * 2, fs * 1.05, true, fs * 0.8);
  const maxLines = Math.max(1, Math.min(4, Math.floor((box.h - pad) / (size * 1.2))));
  const { lines, cut } = wrapText(name, box.w - pad * 2, size, true, maxLines);
  const blockH = size * 0.92 + (lines.length - 1) * size * 1.2;
  g.append(textBlock(box.x, box.y - blockH / 2 - size * 0.12, lines, size,
    { "text-anchor": "middle", "font-weight": 800, fill: th.text }, "tk-center-name"));
  if (cut || name) addTitle(g, name);
  return g;
}

// What a stakeholder's box holds and how tall it needs to be: its type on top, its name, then
// (map only) its values as pills in as many rows as maxH leaves. Offsets are from the box's top.
function nodeContent(s, w, maxH, fs, label, withValues) {
  const type = s.type || "other";
  const pad = fs * 0.5;
  const innerW = w - pad * 2;
  const typeSize = fs * 0.66;
  const typeText = clip(label(`pj_type_${type}`).toLocaleUpperCase(), innerW, typeSize, true).text;
  const typeTop = pad * 0.8;
  let y = typeTop + typeSize * 1.3;
  const name = String(s.name || "");
  const values = withValues ? (s.values || []).filter((v) => v && String(v.text || "").trim()) : [];
  const nameSize = fitSize(name, innerW, fs, true, fs * 0.82);
  const room = maxH - pad * 0.7 - y;
  // The name gets two lines (three when nothing else needs the room); values take the rest.
  const nameLinesMax = Math.max(1, Math.min(values.length ? 2 : 3, Math.floor((room - nameSize * 0.92) / (nameSize * 1.2)) + 1));
  const wrapped = wrapText(name, innerW, nameSize, true, nameLinesMax);
  const nameTop = y;
  y += nameSize * 0.92 + (wrapped.lines.length - 1) * nameSize * 1.2;
  const valueSize = fs * 0.76;
  const pillH = valueSize * 1.55;
  const gap = valueSize * 0.3;
  let pills = null;
  let height = y + pad * 0.8;
  if (values.length) {
    const valuesTop = y + fs * 0.45;
    const rows = Math.max(0, Math.floor((maxH - pad * 0.6 - valuesTop + gap) / (pillH + gap)));
    pills = layoutPills(values, innerW, rows, valueSize, label);
    if (pills.rows) height = valuesTop + pills.rows * (pillH + gap) - gap + pad * 0.7;
    pills = { ...pills, top: valuesTop, size: valueSize, h: pillH, gap };
  }
  return {
    type, name, values, pad, typeText, typeTop, typeSize, nameTop, nameSize, nameLines: wrapped.lines,
    pills, height: Math.min(maxH, height),
  };
}

function drawNode(s, c, box, fs, th, label) {
  const color = th.types[c.type] || th.types.other;
  const g = svg("g", { "data-stakeholder-id": s.id, "data-type": c.type }, "tk-node");
  const left = box.x - box.w / 2;
  const top = box.y - box.h / 2;
  g.append(svg("rect", {
    x: r1(left), y: r1(top), width: r1(box.w), height: r1(box.h), rx: r1(fs * 0.45),
    fill: th.node, stroke: color, "stroke-width": r1(Math.max(1.5, fs * 0.1)),
  }, "tk-node-box"));
  g.append(textBlock(left + c.pad, top + c.typeTop, [c.typeText], c.typeSize,
    { "font-weight": 700, fill: color, "letter-spacing": r1(c.typeSize * 0.04) }, "tk-node-type"));
  g.append(textBlock(left + c.pad, top + c.nameTop, c.nameLines, c.nameSize,
    { "font-weight": 700, fill: th.text }, "tk-node-name"));
  if (c.pills && c.pills.rows) g.append(drawPills(c.pills, left + c.pad, top + c.pills.top, th));
  const titleParts = [c.name, label(`pj_type_${c.type}`)];
  if (c.values.length) titleParts.push(c.values.map((v) => v.text).join("; "));
  addTitle(g, titleParts.filter(Boolean).join(" — "));
  return g;
}

// Values as pills flowing in rows; what does not fit becomes a last "+k" pill.
function layoutPills(values, width, rows, size, label) {
  const gap = size * 0.3;
  const padX = size * 0.45;
  const placed = []; // [{text, cut, full, row, x, w}]
  let row = 0;
  let x = 0;
  let shown = 0;
  for (const v of values) {
    const c = clip(v.text, width - padX * 2, size, false);
    const w = Math.min(width, textWidth(c.text, size, false) + padX * 2);
    if (x > 0 && x + w > width) { row += 1; x = 0; }
    if (row >= rows) break;
    placed.push({ ...c, full: v.text, row, x, w });
    x += w + gap;
    shown += 1;
  }
  let hidden = values.length - shown;
  if (hidden > 0 && rows > 0) {
    const more = () => label("pj_values_more").replace("{n}", hidden);
    const moreW = () => textWidth(more(), size, true) + padX * 2;
    while (placed.length) {
      const last = placed[placed.length - 1];
      if (last.x + last.w + gap + moreW() <= width) break;
      placed.pop();
      hidden += 1;
    }
    const last = placed[placed.length - 1];
    placed.push({
      text: more(), cut: false, more: true, row: last ? last.row : 0, x: last ? last.x + last.w + gap : 0, w: moreW(),
      full: values.slice(values.length - hidden).map((v) => v.text).join("; "),
    });
  }
  return { placed, rows: placed.length ? placed[placed.length - 1].row + 1 : 0, padX };
}

function drawPills(p, x0, y0, th) {
  const g = svg("g", null, "tk-values");
  for (const pill of p.placed) {
    const pg = svg("g", null, pill.more ? "tk-value tk-value-more" : "tk-value");
    const y = y0 + pill.row * (p.h + p.gap);
    pg.append(svg("rect", { x: r1(x0 + pill.x), y: r1(y), width: r1(pill.w), height: r1(p.h), rx: r1(p.h / 2), fill: th.pill }));
    pg.append(textBlock(x0 + pill.x + p.padX, y + (p.h - p.size) / 2 - p.size * 0.04, [pill.text], p.size,
      { fill: th.pillText, "font-weight": pill.more ? 700 : 400 }));
    if (pill.cut || pill.more) addTitle(pg, pill.full);
    g.append(pg);
  }
  return g;
}

// The height the fullest box needs: all boxes are alike.
function contentHeight(list, label, withValues) {
  return (fs, w, maxH) => Math.max(...list.map((s) => nodeContent(s, w, maxH, fs, label, withValues).height));
}

function fitNodes(list, nodes, fs, label, withValues) {
  return list.map((s, i) => nodeContent(s, nodes[i].w, nodes[i].h, fs, label, withValues));
}

// -- the stakeholder map ------------------------------------------------------------------------
export function stakeholderMap({ initiative, stakeholders }, options = {}) {
  const [W, H] = sizeOf(options);
  const theme = THEMES[options.theme] ? options.theme : "dark";
  const th = THEMES[theme];
  const label = options.label || t;
  const list = (stakeholders || []).filter(Boolean);
  const init = initiative || { id: null, name: "" };
  const root = rootSvg("map", W, H, init, theme);
  const m = Math.min(W, H) * 0.015;
  const lay = ringLayout({ x0: m, y0: m, w: W - 2 * m, h: H - 2 * m }, list.length,
    [[12, 7.6], [14.5, 6.6], [9.5, 8.4]], 12, centerHeight(init.name), options.maxFontSize || 40, 0.6,
    contentHeight(list, label, true));
  const { fs, nodes, center } = lay;
  const contents = fitNodes(list, nodes, fs, label, true);
  addTitle(root, init.name || "");
  const lines = svg("g", null, "tk-links");
  for (const box of nodes) {
    lines.append(svg("line", {
      x1: r1(center.x), y1: r1(center.y), x2: r1(box.x), y2: r1(box.y),
      stroke: th.line, "stroke-width": r1(Math.max(1.5, fs * 0.1)),
    }));
  }
  root.append(lines);
  const nodeLayer = svg("g", null, "tk-nodes");
  list.forEach((s, i) => nodeLayer.append(drawNode(s, contents[i], nodes[i], fs, th, label)));
  root.append(nodeLayer, centerNode(init, center, fs, th));
  return root;
}

// -- the resource flows -------------------------------------------------------------------------
function flowLabel(f, label) {
  const text = String(f.resource_text || "").trim();
  return text || label(`pj_res_${f.resource || "other"}`);
}

function strokeAttrs(mark, color, sw) {
  const dash = DASH[mark];
  return {
    stroke: color, "stroke-width": r1(sw), fill: "none", "stroke-linecap": dash && dash[0] < 1 ? "round" : "butt",
    "stroke-dasharray": dash ? dash.map((d) => r1(d * sw)).join(" ") : null,
  };
}

function arrowHead(tip, from, size, color) {
  const dx = tip.x - from.x;
  const dy = tip.y - from.y;
  const len = Math.hypot(dx, dy) || 1;
  const ux = dx / len;
  const uy = dy / len;
  const bx = tip.x - ux * size;
  const by = tip.y - uy * size;
  const px = -uy * size * 0.55;
  const py = ux * size * 0.55;
  return svg("polygon", {
    points: `${r1(tip.x)},${r1(tip.y)} ${r1(bx + px)},${r1(by + py)} ${r1(bx - px)},${r1(by - py)}`, fill: color,
  });
}

function flagBadge(x, y, r, th) {
  const g = svg("g", null, "tk-flag-badge");
  g.append(svg("circle", { cx: r1(x), cy: r1(y), r: r1(r), fill: th.flag, stroke: th.labelBg, "stroke-width": r1(r * 0.15) }));
  g.append(textBlock(x, y - r * 0.72, ["!"], r * 1.5, { "text-anchor": "middle", "font-weight": 900, fill: th.flagInk }));
  return g;
}

function legendSample(x, y, mark, len, sw, th) {
  const g = svg("g", null, `tk-legend-mark tk-mark-${mark}`);
  const color = th.marks[mark];
  g.append(svg("line", { x1: r1(x), y1: r1(y), x2: r1(x + len - sw * 2.5), y2: r1(y), ...strokeAttrs(mark, color, sw) }));
  g.append(arrowHead({ x: x + len, y }, { x, y }, sw * 3.2, color));
  return g;
}

export function flowDiagram({ initiative, stakeholders, flows, balance }, options = {}) {
  const [W, H] = sizeOf(options);
  const theme = THEMES[options.theme] ? options.theme : "dark";
  const th = THEMES[theme];
  const label = options.label || t;
  const list = (stakeholders || []).filter(Boolean);
  const init = initiative || { id: null, name: "" };
  const root = rootSvg("flows", W, H, init, theme);
  addTitle(root, init.name || "");
  const m = Math.min(W, H) * 0.015;
  const rows = (balance && balance.rows) || [];
  const flagged = rows.filter((r) => r.flag && list.some((s) => s.id === r.stakeholder_id));
  const flagOf = new Map(flagged.map((r) => [r.stakeholder_id, r]));

  // The legend's height is fixed first; the drawing takes the rest.
  const showMarks = options.legend !== false;
  const showFlags = options.flags !== false && flagged.length > 0;
  const lf = Math.max(11, Math.min(26, Math.min(W, H) / 30));
  const maxFlagRows = Math.max(1, Math.min(5, Math.floor(H * 0.22 / (lf * 1.45))));
  const flagRows = showFlags ? Math.min(flagged.length, maxFlagRows) : 0;
  const legendRows = (showMarks ? 1 : 0) + flagRows;
  const legendH = legendRows ? legendRows * lf * 1.45 + lf * 0.6 : 0;

  // Stakeholders in a column on each side, or in a row above and below when that reads larger.
  const area = { x0: m, y0: m, w: W - 2 * m, h: H - 2 * m - legendH };
  const heightOf = contentHeight(list, label, false);
  const columns = columnLayout(area, list.length, centerHeight(init.name), heightOf, options.maxFontSize || 32);
  const rowsLay = rowLayout(area, list.length, centerHeight(init.name), heightOf, options.maxFontSize || 32);
  const lay = rowsLay.fs > columns.fs * 1.05 ? rowsLay : columns;
  const { fs, nodes, center } = lay;
  const contents = fitNodes(list, nodes, fs, label, false);
  const boxOf = new Map(list.map((s, i) => [s.id, nodes[i]]));
  const endBox = (id) => (id == null ? center : boxOf.get(id));

  // Flows between the same two ends bow apart so that none hides another.
  const fl = Math.max(10, fs * 0.8);
  const sw = Math.max(2, fs * 0.14);
  const valid = (flows || []).filter((f) => f && !f.deleted && endBox(f.source_id ?? null) && endBox(f.target_id ?? null)
    && (f.source_id ?? null) !== (f.target_id ?? null));
  const pairKey = (a, b) => [String(a ?? "i"), String(b ?? "i")].sort().join("|");
  const groups = new Map();
  for (const f of valid) {
    const k = pairKey(f.source_id ?? null, f.target_id ?? null);
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k).push(f);
  }
  const flowLayer = svg("g", null, "tk-flows-lines");
  const labels = [];
  for (const [k, fs_] of groups) {
    const [ka] = k.split("|");
    fs_.forEach((f, i) => {
      const src = endBox(f.source_id ?? null);
      const dst = endBox(f.target_id ?? null);
      // A common frame for both directions: from the end whose key sorts first.
      const forward = String(f.source_id ?? "i") === ka;
      const a = forward ? src : dst;
      const b = forward ? dst : src;
      const dx = b.x - a.x;
      const dy = b.y - a.y;
      const len = Math.hypot(dx, dy) || 1;
      const px = -dy / len;
      const py = dx / len;
      const offset = (i - (fs_.length - 1) / 2) * fl * 2.1;
      const c = { x: (a.x + b.x) / 2 + px * offset * 2, y: (a.y + b.y) / 2 + py * offset * 2 };
      const pts = [];
      for (let s = 0; s <= 64; s += 1) {
        const tt = s / 64;
        const u = 1 - tt;
        pts.push({ x: u * u * src.x + 2 * u * tt * c.x + tt * tt * dst.x, y: u * u * src.y + 2 * u * tt * c.y + tt * tt * dst.y });
      }
      let first = 0;
      while (first < pts.length - 1 && inside(pts[first], src, sw)) first += 1;
      let last = pts.length - 1;
      while (last > first && inside(pts[last], dst, sw * 1.5)) last -= 1;
      const seg = pts.slice(first, last + 1);
      if (seg.length < 2) return;
      const mark = MARKS.includes(f.mark) ? f.mark : "given";
      const color = th.marks[mark];
      const g = svg("g", { "data-flow-id": f.id, "data-mark": mark }, `tk-flow tk-mark-${mark}`);
      const head = sw * 3.2;
      const tip = seg[seg.length - 1];
      const prev = seg[Math.max(0, seg.length - 3)];
      const hl = Math.hypot(tip.x - prev.x, tip.y - prev.y) || 1;
      const lineEnd = { x: tip.x - ((tip.x - prev.x) / hl) * head * 0.8, y: tip.y - ((tip.y - prev.y) / hl) * head * 0.8 };
      const d = [...seg.slice(0, -1), lineEnd].map((p, j) => `${j ? "L" : "M"}${r1(p.x)},${r1(p.y)}`).join(" ");
      g.append(svg("path", { d, ...strokeAttrs(mark, color, sw) }));
      g.append(arrowHead(tip, prev, head, color));
      const name = (id) => (id == null ? init.name : (list.find((s) => s.id === id) || {}).name);
      addTitle(g, `${flowLabel(f, label)} (${label(`pj_mark_${mark}`)}): ${name(f.source_id ?? null)} → ${name(f.target_id ?? null)}`);
      flowLayer.append(g);
      labels.push({ f, seg, mark, color });
    });
  }
  root.append(flowLayer);

  const nodeLayer = svg("g", null, "tk-nodes");
  list.forEach((s, i) => {
    const node = drawNode(s, contents[i], nodes[i], fs, th, label);
    const row = flagOf.get(s.id);
    if (row) {
      node.classList.add("tk-flagged");
      node.setAttribute("data-flag", row.flag);
      const rect = node.querySelector(".tk-node-box");
      rect.setAttribute("stroke", th.flag);
      rect.setAttribute("stroke-width", r1(Math.max(3, fs * 0.2)));
      const box = nodes[i];
      node.append(flagBadge(box.x + box.w / 2 - fs * 0.15, box.y - box.h / 2 + fs * 0.15, fs * 0.62, th));
    }
    nodeLayer.append(node);
  });
  root.append(nodeLayer, centerNode(init, center, fs, th));

  // Resource labels: at the middle of their arrow, slid along it when they would cover another.
  const labelLayer = svg("g", null, "tk-flow-labels");
  const taken = [center, ...nodes];
  for (const [i, s_] of list.entries()) {
    if (flagOf.has(s_.id)) taken.push({ x: nodes[i].x + nodes[i].w / 2, y: nodes[i].y - nodes[i].h / 2, w: fs * 1.4, h: fs * 1.4 });
  }
  const labelW = Math.max(fl * 5, fs * 8.5);
  for (const { f, seg, mark, color } of labels) {
    // Along a mostly horizontal arrow a label is no wider than the arrow's free stretch, so it
    // never covers the boxes it joins (a vertical arrow's label lies across it).
    const [a, b] = [seg[0], seg[seg.length - 1]];
    const across = Math.abs(b.x - a.x);
    const room = across > Math.abs(b.y - a.y) ? across - fl * 1.4 : Infinity;
    const { text, cut } = clip(flowLabel(f, label), Math.max(fl * 3.5, Math.min(labelW, room)), fl, false);
    const w = textWidth(text, fl, false) + fl * 0.9;
    const h = fl * 1.5;
    // The first free spot near the middle, else the one that covers the least.
    let spot = null;
    let least = Infinity;
    for (const at of [0.5, 0.4, 0.6, 0.3, 0.7, 0.22, 0.78]) {
      const p = seg[Math.round((seg.length - 1) * at)];
      for (const shift of [0, -h * 0.9, h * 0.9]) {
        const box = { x: p.x, y: p.y + shift, w, h };
        const cover = taken.reduce((sum, r) => sum + overlapArea(box, r, fl * 0.15), 0);
        if (cover < least) { least = cover; spot = box; }
        if (!cover) break;
      }
      if (!least) break;
    }
    taken.push(spot);
    const g = svg("g", { "data-flow-id": f.id }, `tk-flow-label tk-mark-${mark}`);
    g.append(svg("rect", {
      x: r1(spot.x - w / 2), y: r1(spot.y - h / 2), width: r1(w), height: r1(h), rx: r1(h * 0.3),
      fill: th.labelBg, stroke: color, "stroke-width": r1(Math.max(1.5, sw * 0.6)),
    }));
    g.append(textBlock(spot.x, spot.y - fl * 0.56, [text], fl, { "text-anchor": "middle", fill: th.text }));
    addTitle(g, cut ? flowLabel(f, label) : `${text} (${label(`pj_mark_${mark}`)})`);
    labelLayer.append(g);
  }
  root.append(labelLayer);

  if (legendRows) root.append(legend({ W, H, m, lf, legendH, showMarks, flagged, flagRows, th, label }));
  return root;
}

function legend({ W, H, m, lf, legendH, showMarks, flagged, flagRows, th, label }) {
  const g = svg("g", null, "tk-legend");
  let y = H - legendH + lf * 0.3;
  const rowH = lf * 1.45;
  const sw = Math.max(2, lf * 0.16);
  if (showMarks) {
    let x = m;
    for (const mark of MARKS) {
      const len = lf * 2.6;
      g.append(legendSample(x, y + rowH / 2, mark, len, sw, th));
      const text = label(`pj_mark_${mark}`);
      g.append(textBlock(x + len + lf * 0.4, y + (rowH - lf) / 2, [text], lf, { fill: th.muted }, "tk-legend-text"));
      x += len + lf * 0.4 + textWidth(text, lf, false) + lf * 1.4;
    }
    y += rowH;
  }
  const more = flagged.length - flagRows;
  flagged.slice(0, flagRows).forEach((row, i) => {
    const fg = svg("g", { "data-stakeholder-id": row.stakeholder_id, "data-flag": row.flag }, "tk-legend-flag");
    const r = lf * 0.55;
    fg.append(flagBadge(m + r, y + rowH / 2, r, th));
    const reason = String(row.reason || "").trim() || label(`pj_flag_${row.flag}`);
    const isLast = i === flagRows - 1 && more > 0;
    const suffix = isLast ? `  ${label("pj_values_more").replace("{n}", more)}` : "";
    const full = `${row.name} — ${reason}`;
    const room = W - m * 2 - r * 2 - lf * 0.6 - textWidth(suffix, lf, false);
    const { text, cut } = clip(full, Math.max(lf * 4, room), lf, false);
    fg.append(textBlock(m + r * 2 + lf * 0.5, y + (rowH - lf) / 2, [text + suffix], lf, { fill: th.text }, "tk-legend-text"));
    if (cut || isLast) addTitle(fg, isLast ? flagged.slice(i).map((x) => `${x.name} — ${x.reason || label(`pj_flag_${x.flag}`)}`).join("\n") : full);
    g.append(fg);
    y += rowH;
  });
  return g;
}
