// Tact 8 on the projector (no controls, docs/PROTOCOL.md "Tact 8"): one group's final deck,
// the slide the chief moderator or the group's moderator chose, in the largest type at which it
// fits. The initiative's slide shows List B with bars, the stakeholders' slide their map, the
// balance slide the resource diagram (svg.js, as the day-1 presentation draws them).
// User text only ever goes in through textContent.
import { t } from "../i18n.js";
import { el, fill } from "../dom.js";
import { flowDiagram, stakeholderMap } from "./svg.js";

// Type steps of the slide's text in vh (1080p: 1 vh = 10.8 px), largest first.
const TEXT_SIZES = [5.2, 4.6, 4.1, 3.7, 3.3, 3.0, 2.7, 2.45, 2.2, 2.0, 1.8];
const TITLE_SIZES = [7.2, 6.4, 5.6, 4.9, 4.3];
const SIDE_KINDS = new Set(["initiative", "stakeholders", "balance"]);

// Cut when the content overflows by more than a descender: a single line of tall type reports
// a couple of pixels of ink below its line box.
function cut(node) {
  const slack = parseFloat(getComputedStyle(node).fontSize) * 0.25;
  return node.scrollHeight > node.clientHeight + slack || node.scrollWidth > node.clientWidth + 1;
}

export class DeckView {
  constructor(root) {
    this.root = root;
    this.sig = "";
    this.group = el("p", "pj-dk-group");
    this.count = el("p", "pj-dk-count");
    const head = el("header", "pj-dk-head");
    head.append(this.group, this.count);
    this.title = el("h2", "pj-dk-title");
    this.text = el("div", "pj-dk-text");
    this.side = el("div", "pj-dk-side");
    this.content = el("div", "pj-dk-content");
    this.content.append(this.text, this.side);
    this.empty = el("p", "pj-dk-empty hidden", t("dk_pj_empty"));
    root.append(head, this.title, this.content, this.empty);
  }

  render(store, on) {
    if (!on) { this.sig = ""; return; }
    const p = store.projector;
    const group = store.groups.get(p.group_id) || null;
    const deck = group ? store.latestDeckOf(group.id) : null;
    const slides = deck ? store.slidesOf(deck.id) : [];
    const index = Math.max(0, Math.min(p.slide || 0, slides.length - 1));
    const slide = slides[index] || null;
    const sig = JSON.stringify([group && group.name, slide, index, slides.length,
      window.innerWidth, window.innerHeight]);
    if (sig === this.sig) return;
    this.sig = sig;
    this.group.textContent = group ? group.name : "";
    this.count.textContent = slide ? fill("dk_pj_slide", { n: index + 1, m: slides.length }) : "";
    this.empty.classList.toggle("hidden", Boolean(slide));
    this.content.classList.toggle("hidden", !slide);
    this.title.classList.toggle("hidden", !slide);
    this.root.dataset.slideId = slide ? String(slide.id) : "";
    this.root.dataset.kind = slide ? slide.kind : "";
    this.root.dataset.index = String(index);
    if (!slide) return;
    this.title.textContent = slide.title;
    this.text.replaceChildren(...paragraphs(slide.body));
    const withSide = SIDE_KINDS.has(slide.kind) && slide.data;
    this.content.classList.toggle("has-side", Boolean(withSide));
    this.content.dataset.kind = slide.kind;
    this.side.replaceChildren();
    this.fit(this.title, TITLE_SIZES, "--dk-title");
    if (withSide) this.drawSide(slide);
    this.fit(this.text, TEXT_SIZES, "--dk-text");
  }

  // The largest step of `sizes` at which the node shows all of its content.
  fit(node, sizes, prop) {
    let step = 0;
    node.style.setProperty(prop, `${sizes[0]}vh`);
    while (step < sizes.length - 1 && cut(node)) {
      step += 1;
      node.style.setProperty(prop, `${sizes[step]}vh`);
    }
  }

  drawSide(slide) {
    const d = slide.data;
    if (slide.kind === "initiative") {
      this.side.append(listB(d, slide.initiative_id));
      return;
    }
    const box = el("div", "pj-dk-svg");
    this.side.append(box);
    const unit = Math.max(0.25, window.innerWidth / 1920);
    const width = Math.round(box.clientWidth / unit);
    const height = Math.round(box.clientHeight / unit);
    if (!width || !height) return;
    const drawing = slide.kind === "stakeholders"
      ? stakeholderMap({ initiative: d.initiative, stakeholders: d.stakeholders || [] }, { width, height, theme: "dark" })
      : flowDiagram({ initiative: d.initiative, stakeholders: d.stakeholders || [], flows: d.flows || [],
        balance: d.balance }, { width, height, theme: "dark", flags: false });
    box.append(drawing);
  }
}

// The body as paragraphs: a line starting with "•" is a point, an indented "–"/"✓" line a sub-point.
function paragraphs(body) {
  return String(body || "").split("\n").map((line) => {
    if (!line.trim()) return el("p", "pj-dk-gap");
    const sub = /^\s+\S/.test(line);
    const point = /^\s*[•◎]/.test(line);
    return el("p", sub ? "pj-dk-line is-sub" : point ? "pj-dk-line is-point" : "pj-dk-line", line.trim());
  });
}

// List B of the initiative's group with bars; the slide's initiative marked.
function listB(data, initiativeId) {
  const rows = data.list_b || [];
  const box = el("section", "pj-dk-listb");
  box.append(el("h3", "pj-dk-listb-title", t("pj_list_b")));
  const max = Math.max(1, ...rows.map((r) => r.total || 0));
  const list = el("ol", "pj-dk-listb-rows");
  for (const r of rows) {
    const li = el("li", `pj-dk-lb-row${r.initiative_id === initiativeId ? " is-this" : ""}`);
    li.dataset.initiativeId = String(r.initiative_id);
    li.append(el("span", "pj-dk-lb-rank", r.rank == null ? "" : `${r.tie ? "=" : ""}${r.rank}`),
      el("span", "pj-dk-lb-name", r.name));
    if (r.total != null) {
      li.append(el("span", "pj-dk-lb-total", String(r.total)));
      const bar = el("span", "pj-dk-lb-bar");
      bar.style.setProperty("--share", String((r.total || 0) / max));
      li.append(bar);
    }
    list.append(li);
  }
  box.append(list);
  return box;
}
