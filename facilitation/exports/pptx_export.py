"""Decks (python-pptx), 16:9. With a group: that group's final deck from tact 8 (or, before it is
assembled, the slides the deck template makes from the group's data), with native charts of its
List B stakes and expert scores and its resource balance drawn as shapes. Without: a summary
deck of the whole session (program, then a few slides per group, then the experts' totals).

Text is fitted by estimate, not measured: long lists go on to a continuation slide instead of
running off the slide."""
import io
import math

from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION
from pptx.enum.shapes import MSO_CONNECTOR, MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from ..extensions import db
from ..models import Group, Session
from ..services.decks import template_slides
from .office import (FONT, clean, dates, deadline, detailed, flagged, mark, moved, number,
                     place, resource)
from .report import build_report

W, H = Emu(12192000), Emu(6858000)  # 13.333 × 7.5 in, 16:9
MARGIN = Inches(0.6)
ACCENT = RGBColor(0x1F, 0x5C, 0x4A)
LIGHT = RGBColor(0xDC, 0xEB, 0xE5)
GREY = RGBColor(0x6B, 0x6B, 0x6B)
INK = RGBColor(0x22, 0x22, 0x22)
WARN = RGBColor(0xC0, 0x5A, 0x1E)
MARK_COLORS = {"given": RGBColor(0x2E, 0x7D, 0x32), "spent": RGBColor(0xB2, 0x6A, 0x00),
               "gained": RGBColor(0x1F, 0x5F, 0xA8)}
BODY_PT, TITLE_PT = 24, 30
MAX_DIAGRAM_FLOWS, MAX_DIAGRAM_SIDES = 12, 8
TABLE_ROWS = 10


def render(session_id, group_id=None):
    """PPTX bytes: the group's deck, or the session's summary deck. Raises NotFound."""
    report = build_report(session_id, group_id)
    deck = _Deck(report)
    if group_id is None:
        deck.summary()
    else:
        deck.group_deck(report["groups"][0], _slides_of(report, group_id))
    return deck.save()


def _slides_of(report, group_id):
    """The group's deck as edited in tact 8; before that, what the deck template would make."""
    group = report["groups"][0]
    if group["deck"]:
        return group["deck"]
    session = db.session.get(Session, report["session"]["id"])
    return [{"title": spec["title"], "body": spec["body"], "kind": kind}
            for kind, _iid, spec in template_slides(session, db.session.get(Group, group_id))]


# -- fitting text by estimate -----------------------------------------------------------------
def _chars_per_line(width, size):
    """How many characters of Arial at `size` pt fit in `width` EMU (Cyrillic is wide: 0.55em)."""
    return max(8, int(Emu(width).pt / (size * 0.55)))


def _height_lines(text, width, size):
    per = _chars_per_line(width, size)
    return sum(max(1, math.ceil(len(part) / per)) for part in (text or " ").split("\n"))


def _chunks(items, width, height, size):
    """Split [(text, level)] into slide-sized lists by the lines each item needs."""
    capacity = max(3, int(Emu(height).pt / (size * 1.32)))
    out, current, used = [], [], 0
    for item in items:
        text, level = item[0], item[1]
        need = _height_lines(text, width - Inches(0.4 * level), size - 4 * level) \
            if text else 0.5
        if current and used + need > capacity:
            out.append(current)
            current, used = [], 0
        if not current and not text:
            continue  # no blank line at the top of a slide
        current.append(item)
        used += need
    if current:
        out.append(current)
    return out or [[]]


class _Deck:
    def __init__(self, report):
        self.report, self.L = report, report["labels"]
        self.prs = Presentation()
        self.prs.slide_width, self.prs.slide_height = W, H
        self.blank = self.prs.slide_layouts[6]
        self.prs.core_properties.title = clean(report["session"]["title"])[:255]
        self.prs.core_properties.language = report["session"]["language"]

    def save(self):
        out = io.BytesIO()
        self.prs.save(out)
        return out.getvalue()

    # -- primitives ---------------------------------------------------------------------------
    def _style(self, run, size, bold=False, color=INK, italic=False):
        font = run.font
        font.size, font.bold, font.italic, font.name = Pt(size), bold, italic, FONT
        font.color.rgb = color

    def text(self, slide, x, y, w, h, paragraphs, size=BODY_PT, color=INK, align=None,
             anchor=MSO_ANCHOR.TOP):
        """A text box of paragraphs [(text, level)] or [(text, level, {bold, color, size})]."""
        box = slide.shapes.add_textbox(x, y, w, h)
        tf = box.text_frame
        tf.word_wrap, tf.auto_size, tf.vertical_anchor = True, MSO_AUTO_SIZE.NONE, anchor
        tf.margin_left = tf.margin_right = Inches(0.05)
        for n, item in enumerate(paragraphs):
            text, level = item[0], item[1]
            opts = item[2] if len(item) > 2 else {}
            p = tf.paragraphs[0] if n == 0 else tf.add_paragraph()
            p.text = clean(text)  # "\n" becomes a line break inside the paragraph
            p.level = min(level, 4)
            if align is not None:
                p.alignment = align
            pt = opts.get("size", size - 4 * level if text else size / 2)
            p.space_after = Pt(pt * 0.3)
            for run in p.runs:
                self._style(run, pt, opts.get("bold", False), opts.get("color", color),
                            opts.get("italic", False))
        return box

    def slide(self, title, footer=True):
        """A blank 16:9 slide with its title fitted in two lines at most, and a footer."""
        slide = self.prs.slides.add_slide(self.blank)
        width = W - 2 * MARGIN
        size = next((s for s in (TITLE_PT, 26, 22, 18)
                     if _height_lines(title, width, s) <= 2), 18)
        self.text(slide, MARGIN, Inches(0.35), width, Inches(1.15),
                  [(title, 0, {"bold": True, "color": ACCENT, "size": size})],
                  anchor=MSO_ANCHOR.BOTTOM)
        bar = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, MARGIN, Inches(1.55), Inches(1.2),
                                     Inches(0.06))
        bar.fill.solid()
        bar.fill.fore_color.rgb = ACCENT
        bar.line.fill.background()
        if footer:
            n = len(self.prs.slides)
            self.text(slide, MARGIN, Inches(6.95), Inches(10), Inches(0.4),
                      [(self.report["session"]["title"], 0)], size=11, color=GREY)
            self.text(slide, W - MARGIN - Inches(1), Inches(6.95), Inches(1), Inches(0.4),
                      [(str(n), 0)], size=11, color=GREY, align=PP_ALIGN.RIGHT)
        return slide

    def body_slides(self, title, items, size=BODY_PT):
        """Slides for a titled list [(text, level)], split so that nothing runs off a slide."""
        x, y, w, h = MARGIN, Inches(1.8), W - 2 * MARGIN, Inches(5.0)
        chunks = _chunks(items, w, h, size)
        slides = []
        for n, chunk in enumerate(chunks):
            heading = title if n == 0 else f"{title} {self.L['continued']}"
            slide = self.slide(heading)
            self.text(slide, x, y, w, h, chunk, size=size)
            slides.append(slide)
        return slides

    def table_slides(self, title, header, rows, widths, size=14):
        """A native table, TABLE_ROWS rows a slide (the header repeats)."""
        for n in range(0, max(len(rows), 1), TABLE_ROWS):
            part = rows[n:n + TABLE_ROWS]
            slide = self.slide(title if n == 0 else f"{title} {self.L['continued']}")
            shape = slide.shapes.add_table(len(part) + 1, len(header), MARGIN, Inches(1.85),
                                           W - 2 * MARGIN, Inches(0.5) * (len(part) + 1))
            table = shape.table
            total = sum(widths)
            for col, width in zip(table.columns, widths):
                col.width = int((W - 2 * MARGIN) * width / total)
            for r, values in enumerate([header] + part):
                for c, value in enumerate(values):
                    cell = table.cell(r, c)
                    cell.text = clean(value if isinstance(value, str) else number(value))
                    cell.margin_top = cell.margin_bottom = Inches(0.04)
                    cell.fill.solid()
                    cell.fill.fore_color.rgb = ACCENT if r == 0 else (
                        LIGHT if r % 2 == 0 else RGBColor(0xFF, 0xFF, 0xFF))
                    for p in cell.text_frame.paragraphs:
                        for run in p.runs:
                            self._style(run, size, bold=(r == 0),
                                        color=RGBColor(0xFF, 0xFF, 0xFF) if r == 0 else INK)

    def chart(self, slide, kind, categories, series, x, y, w, h, number_format="0",
              maximum=None):
        """A native chart: categories, [(series name, values)]; data labels on the bars."""
        data = CategoryChartData(number_format=number_format)
        data.categories = [clean(c) for c in categories]
        for name, values in series:
            data.add_series(clean(name), values)
        chart = slide.shapes.add_chart(kind, x, y, w, h, data).chart
        chart.font.size, chart.font.name = Pt(14), FONT
        chart.has_legend = len(series) > 1
        chart.has_title = False  # the slide's title says what it shows
        plot = chart.plots[0]
        plot.gap_width = 60
        plot.has_data_labels = True
        labels = plot.data_labels
        labels.font.size, labels.font.bold = Pt(16), True
        labels.number_format, labels.number_format_is_linked = number_format, False
        labels.position = XL_LABEL_POSITION.OUTSIDE_END
        for s in plot.series:
            s.format.fill.solid()
            s.format.fill.fore_color.rgb = ACCENT
        value_axis = chart.value_axis
        value_axis.minimum_scale = 0
        if maximum:
            value_axis.maximum_scale = maximum
        value_axis.has_major_gridlines = True
        value_axis.major_gridlines.format.line.color.rgb = RGBColor(0xDD, 0xDD, 0xDD)
        value_axis.tick_labels.font.size = Pt(12)
        chart.category_axis.tick_labels.font.size = Pt(14)
        if kind == XL_CHART_TYPE.BAR_CLUSTERED:
            chart.category_axis.reverse_order = True  # first place at the top
        return chart

    # -- the summary deck --------------------------------------------------------------------
    def summary(self):
        report, L = self.report, self.L
        self.title_slide(report["session"]["title"], [
            dates(report["session"]), f"{L['timezone']}: {report['session']['timezone']}",
            f"{L['exported']}: {report['session']['exported_at']}"])
        if report["program"]:
            self.table_slides(L["program"], [L["day"], L["start"], L["minutes"], L["title"]],
                              [[str(a["day"]), a["start_time"] or "", a["duration_min"],
                                a["title"]] for a in report["program"]], (1, 1.3, 1.3, 9))
        self.section_slides(report.get("sections", []))
        for g in report["groups"]:
            self.group_summary(g)
        totals = [r for r in report["results"]["groups"] if r["total"] is not None]
        if len(totals) > 1:
            slide = self.slide(f"{L['scores']}: {L['total']}")
            self.chart(slide, XL_CHART_TYPE.COLUMN_CLUSTERED, [r["name"] for r in totals],
                       [(L["total"], [r["total"] for r in totals])], MARGIN, Inches(1.8),
                       W - 2 * MARGIN, Inches(5.0), number_format="0.0")

    def title_slide(self, title, lines):
        slide = self.prs.slides.add_slide(self.blank)
        band = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, 0, W, Inches(0.35))
        band.fill.solid()
        band.fill.fore_color.rgb = ACCENT
        band.line.fill.background()
        width = W - 2 * MARGIN
        size = next((s for s in (40, 34, 28, 24) if _height_lines(title, width, s) <= 3), 22)
        self.text(slide, MARGIN, Inches(1.3), width, Inches(2.9),
                  [(title, 0, {"bold": True, "color": ACCENT, "size": size})],
                  anchor=MSO_ANCHOR.BOTTOM)
        items = [(line, 0) for line in lines if line]
        chunk = _chunks(items, width, Inches(2.6), 20)[0]
        self.text(slide, MARGIN, Inches(4.5), width, Inches(2.6), chunk, size=20, color=GREY)
        return slide

    def group_name(self, g):
        return f"{self.L['team'] if g['stage'] == 2 else self.L['group']}: {g['name']}"

    def group_summary(self, g):
        L = self.L
        items = []
        if g["subject_frame"]:
            items.append((g["subject_frame"], 0, {"italic": True}))
        if g["moderators"]:
            items.append((f"{L['moderators']}: {', '.join(g['moderators'])}", 0))
        if g["members"]:
            items.append((f"{L['members']} ({len(g['members'])}): {', '.join(g['members'])}", 0))
        shown = detailed(self.report, g)
        if shown:
            items.append(("", 0))
            items.append((f"{L['initiatives']}:", 0, {"bold": True}))
            items += [(i["name"], 1) for i in shown]
        self.body_slides(self.group_name(g), items)
        self.list_b_slide(g)
        for i in shown:
            self.balance_slides(i)
        self.requests_slides(g)
        self.objectives_slides(g, g["objectives"])
        self.scores_slide(g)
        self.section_slides(g.get("sections", []))

    def section_slides(self, sections):
        """The tact kinds' own blocks (report_sections): the paragraphs, then the table."""
        for block in sections:
            if block["paragraphs"] or not block["table"]:
                self.body_slides(block["title"], [(p, 0) for p in block["paragraphs"]]
                                 or [(self.L["none"], 0)])
            if block["table"]:
                columns, rows = block["table"]["columns"], block["table"]["rows"]
                widths = [min(40, max([len(c)] + [len(number(v) if not isinstance(v, str) else v)
                                                  for v in (r[k] for r in rows if k < len(r))]))
                          + 4 for k, c in enumerate(columns)]
                self.table_slides(block["title"], columns,
                                  [list(r) + [""] * (len(columns) - len(r)) for r in rows],
                                  widths, size=16 if len(columns) <= 4 else 13)

    # -- the group's deck --------------------------------------------------------------------
    def group_deck(self, g, slides):
        shown = detailed(self.report, g)
        drawn, charted = set(), False
        for n, s in enumerate(slides):
            if not charted and s["kind"] in ("initiative", "stakeholders", "balance", "okr"):
                charted = self.list_b_slide(g)
            if n == 0 and s["kind"] == "title":
                body = [line for line in (s["body"] or "").split("\n")]
                self.title_slide(s["title"], body)
                continue
            self.deck_slide(s)
            if s["kind"] == "balance":
                for i in shown:
                    if i["id"] not in drawn and i["name"] in s["title"]:
                        drawn.add(i["id"])
                        self.balance_slides(i, with_flags=False)  # the slide says them
                        break
        if not charted:
            self.list_b_slide(g)
        for i in shown:
            if i["id"] not in drawn:
                self.balance_slides(i)
        self.scores_slide(g)
        self.section_slides(self.report.get("sections", []) + g.get("sections", []))

    def deck_slide(self, s):
        items = []
        for line in (s["body"] or "").split("\n"):
            stripped = line.lstrip(" ")
            items.append((stripped, 1 if stripped and len(line) - len(stripped) >= 2 else 0))
        while items and not items[-1][0]:
            items.pop()
        self.body_slides(s["title"] or self.L["slide"], items)

    # -- pieces of data ----------------------------------------------------------------------
    def list_b_slide(self, g):
        """List B as a bar chart of chips per initiative (a list before any stakes)."""
        L = self.L
        rows = g["list_b"]
        if not rows:
            return False
        title = f"{L['list_b']}: {g['name']} · {L['chips_chart']}"
        notes = [(f"{r['name']} {moved(g, r)}", 0) for r in rows if moved(g, r)]
        if all(r["total"] is None for r in rows):
            self.body_slides(title, [(f"{place(r)}. {r['name']} {moved(g, r)}".strip(), 0)
                                     for r in rows])
            return True
        for n in range(0, len(rows), 8):
            part = rows[n:n + 8]
            slide = self.slide(title if n == 0 else f"{title} {L['continued']}")
            height = Inches(4.9) if not notes else Inches(4.1)
            self.chart(slide, XL_CHART_TYPE.BAR_CLUSTERED,
                       [f"{place(r)}. {r['name']}" for r in part],
                       [(L["chips"], [r["total"] or 0 for r in part])],
                       MARGIN, Inches(1.8), W - 2 * MARGIN, height)
            part_notes = [(f"{r['name']} {moved(g, r)}", 0) for r in part if moved(g, r)]
            if part_notes:
                chunk = _chunks(part_notes, W - 2 * MARGIN, Inches(0.95), 14)[0]
                self.text(slide, MARGIN, Inches(5.95), W - 2 * MARGIN, Inches(0.95), chunk,
                          size=14, color=GREY)
        return True

    def balance_slides(self, i, with_flags=True):
        """The resource balance: boxes for the initiative and its stakeholders, arrows labelled
        with resource and mark; a table of flows when there are too many to draw."""
        L = self.L
        if not i["flows"]:
            return
        title = f"{L['balance']}: {i['name']}"
        sides = {name: (flag, reason) for name, flag, reason in flagged(i, L)}
        names = [s["name"] for s in i["stakeholders"]]
        ends = {f["source"] for f in i["flows"]} | {f["target"] for f in i["flows"]}
        names += [n for n in sorted(ends - set(names)) if n != L["the_initiative"]]
        if len(i["flows"]) > MAX_DIAGRAM_FLOWS or len(names) > MAX_DIAGRAM_SIDES:
            self.table_slides(title, [L["from"], L["to"], L["resource"], L["mark"]],
                              [[f["source"], f["target"], resource(f, L), mark(f, L)]
                               for f in i["flows"]], (3, 3, 5, 1.6))
            if sides:
                self.body_slides(title, [(f"{n} — {flag}: {reason}", 0)
                                         for n, (flag, reason) in sides.items()], size=18)
            return
        slide = self.slide(title)
        top, bottom = Inches(1.85), Inches(6.3)
        left = names[:math.ceil(len(names) / 2)]
        right = names[len(left):]
        box_w, center_w = Inches(2.6), Inches(2.4)
        center_x = (W - center_w) // 2
        self.box(slide, center_x, top, center_w, bottom - top, i["name"], ACCENT,
                 RGBColor(0xFF, 0xFF, 0xFF), 18, bold=True)
        boxes = {}
        for column, x in ((left, MARGIN - Inches(0.2)), (right, W - MARGIN + Inches(0.2) - box_w)):
            if not column:
                continue
            step = (bottom - top) // len(column)
            box_h = min(Inches(1.15), step - Inches(0.2))
            for n, name in enumerate(column):
                y = top + step * n + (step - box_h) // 2
                flag = sides.get(name)
                label = f"{name}\n{flag[0]}" if flag else name
                self.box(slide, x, y, box_w, box_h, label, LIGHT, INK, 14,
                         border=WARN if flag else ACCENT)
                boxes[name] = (x, y, box_h, x < center_x)
        other = []
        for name, (x, y, box_h, is_left) in boxes.items():
            mid = y + box_h // 2
            near = x + box_w if is_left else x
            far = center_x if is_left else center_x + center_w
            incoming = [f for f in i["flows"] if f["source"] == name
                        and f["target"] == L["the_initiative"]]
            outgoing = [f for f in i["flows"] if f["target"] == name
                        and f["source"] == L["the_initiative"]]
            gap = abs(far - near)
            for flows, dy, towards in ((incoming, -Inches(0.14), True),
                                       (outgoing, Inches(0.14), False)):
                if not flows:
                    continue
                y_line = mid + dy
                start, end = (near, far) if towards else (far, near)
                self.arrow(slide, start, y_line, end, y_line, MARK_COLORS.get(flows[0]["mark"],
                                                                               ACCENT))
                text = [(f"{resource(f, L)} ({mark(f, L)})", 0,
                         {"color": MARK_COLORS.get(f["mark"], INK)}) for f in flows]
                lines = sum(_height_lines(t[0], gap, 12) for t in text)
                label_h = Inches(0.21) * lines + Inches(0.06)
                label_y = y_line - label_h - Inches(0.02) if towards else y_line + Inches(0.02)
                self.text(slide, min(near, far), label_y, gap, label_h, text, size=12,
                          align=PP_ALIGN.CENTER)
        for f in i["flows"]:
            if L["the_initiative"] not in (f["source"], f["target"]):
                other.append(f"{f['source']} → {f['target']}: {resource(f, L)} ({mark(f, L)})")
        if other:
            chunk = _chunks([(t, 0) for t in other], W - 2 * MARGIN, Inches(0.6), 12)[0]
            self.text(slide, MARGIN, Inches(6.35), W - 2 * MARGIN, Inches(0.6), chunk, size=12,
                      color=GREY)
        if sides and with_flags:
            self.body_slides(f"{L['balance']}: {i['name']}",
                             [(f"{n} — {flag}: {reason}", 0)
                              for n, (flag, reason) in sides.items()], size=18)

    def box(self, slide, x, y, w, h, text, fill, color, size, bold=False, border=None):
        shape = slide.shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE, x, y, w, h)
        shape.fill.solid()
        shape.fill.fore_color.rgb = fill
        if border is None:
            shape.line.fill.background()
        else:
            shape.line.color.rgb = border
            shape.line.width = Pt(2)
        tf = shape.text_frame
        tf.word_wrap, tf.auto_size, tf.vertical_anchor = True, MSO_AUTO_SIZE.NONE, MSO_ANCHOR.MIDDLE
        tf.margin_left = tf.margin_right = Inches(0.08)
        while size > 10 and _height_lines(text, w - Inches(0.2), size) * size * 1.25 > \
                Emu(h).pt - 6:
            size -= 1
        for n, line in enumerate(clean(text).split("\n")):
            p = tf.paragraphs[0] if n == 0 else tf.add_paragraph()
            p.text = line
            p.alignment = PP_ALIGN.CENTER
            for run in p.runs:
                self._style(run, size if n == 0 else size - 2, bold=bold or n > 0,
                            color=WARN if n > 0 else color)
        return shape

    def arrow(self, slide, x1, y1, x2, y2, color):
        line = slide.shapes.add_connector(MSO_CONNECTOR.STRAIGHT, x1, y1, x2, y2)
        line.line.color.rgb = color
        line.line.width = Pt(2.25)
        ln = line.line._get_or_add_ln()
        tail = ln.makeelement(qn("a:tailEnd"), {"type": "triangle", "w": "med", "len": "med"})
        ln.append(tail)
        return line

    def requests_slides(self, g):
        L = self.L
        items = []
        for key, rows, other in (("sent", g["requests_out"], "to"),
                                 ("received", g["requests_in"], "from")):
            if rows:
                items.append((f"{L[key]}:", 0, {"bold": True}))
            for r in rows:
                status = L["statuses"].get(r["status"], r["status"])
                items.append((f"{r[other]}: {r['text']} ({status})", 0))
                items += [(f"✓ {s['text']}", 1) for s in r["solutions"]]
        if items:
            self.body_slides(f"{L['requests']}: {g['name']}", items, size=18)

    def objectives_slides(self, g, objectives):
        L = self.L
        items = []
        language = self.report["session"]["language"]
        for o in objectives:
            items.append((f"◎ {o['text']}" + (f" ({o['initiative']})" if o["initiative"] else ""),
                          0, {"bold": True}))
            for k in o["key_results"]:
                start = f"{number(k['baseline'])} → " if k["baseline"] is not None else ""
                owner = f", {k['owner']}" if k["owner"] else ""
                items.append((f"{k['metric']}: {start}{number(k['target'])} {k['unit']}".rstrip()
                              + f", {deadline(k['deadline'], language)}{owner}", 1))
        if items:
            self.body_slides(f"{L['objectives']}: {g['name']}", items, size=20)

    def scores_slide(self, g):
        L, scores = self.L, g["scores"]
        if not scores or all(a["value"] is None for a in scores["averages"]):
            return
        title = f"{L['scores']}: {g['name']} · {L['total']} {number(scores['total'])}"
        slide = self.slide(title)
        self.chart(slide, XL_CHART_TYPE.COLUMN_CLUSTERED,
                   [a["criterion"] for a in scores["averages"]],
                   [(L["average"], [a["value"] for a in scores["averages"]])],
                   MARGIN, Inches(1.8), W - 2 * MARGIN, Inches(5.0), number_format="0.0")

