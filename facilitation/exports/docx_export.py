"""The session (or one group) as a Word report (python-docx): a title page, then the program and
each group in reading order with tables for List B, stakeholders, flows, requests, key results
and expert scores, the final deck's slides as text, and List A at the end. Every heading comes
from the report's labels, in the session's language."""
import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from .office import (FONT, clean, dates, deadline, detailed, flagged, mark, moved, number,
                     objectives_of, place, resource)
from .report import build_report

ACCENT = RGBColor(0x1F, 0x5C, 0x4A)
HEADER_FILL = "DCEBE5"
LANGUAGES = {"ru": "ru-RU", "en": "en-US"}


def render(session_id, group_id=None):
    """The report as DOCX bytes. Raises NotFound for an unknown session or group."""
    return to_docx(build_report(session_id, group_id))


def to_docx(report):
    doc = Document()
    _setup(doc, report["session"])
    L = report["labels"]
    _title_page(doc, report)
    if report["program"]:
        _heading(doc, L["program"], 1)
        _table(doc, [L["day"], L["start"], L["minutes"], L["title"]],
               [[a["day"], a["start_time"] or "", a["duration_min"], a["title"]]
                for a in report["program"]], widths=(1.6, 2, 2, 11))
    _sections(doc, report.get("sections", []), 1)
    for g in report["groups"]:
        _group(doc, report, g, L)
    if report["list_a"]:
        _heading(doc, f"{L['list_a']} ({len(report['list_a'])})", 1)
        for i in report["list_a"]:
            p = _para(doc, i["text"], style="List Number")
            if i["author"]:
                _run(p, f" — {i['author']}", italic=True, color=RGBColor(0x66, 0x66, 0x66))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


# -- styles -----------------------------------------------------------------------------------
def _fonts(rpr, language):
    """Font and language on run properties (w:rPr), for every script (Cyrillic included)."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in list(fonts.attrib):
        if attr.endswith("Theme"):  # a theme font would win over ours
            del fonts.attrib[attr]
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), language)
    lang.set(qn("w:eastAsia"), language)


def _setup(doc, session):
    language = LANGUAGES.get(session["language"], session["language"])
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)  # A4
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2))
    section.top_margin = section.bottom_margin = Cm(2)
    styles = doc.styles
    normal = styles["Normal"]
    normal.font.size = Pt(10.5)
    normal.paragraph_format.space_after = Pt(3)
    normal.paragraph_format.line_spacing = 1.1
    for name in ("Normal", "Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3",
                 "List Bullet", "List Number"):
        _fonts(styles[name].element.get_or_add_rPr(), language)
    for level, size in ((1, 17), (2, 13.5), (3, 11.5)):
        heading = styles[f"Heading {level}"]
        heading.font.size = Pt(size)
        heading.font.color.rgb = ACCENT
        heading.paragraph_format.keep_with_next = True
    styles["Title"].font.size = Pt(28)
    styles["Title"].font.color.rgb = ACCENT
    # Defaults too, so that text outside the styles (tables, lists) keeps font and language.
    rpr_default = doc.styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}")
    if rpr_default is not None:
        rpr = rpr_default.find(qn("w:rPr"))
        if rpr is None:
            rpr = OxmlElement("w:rPr")
            rpr_default.append(rpr)
        _fonts(rpr, language)
    core = doc.core_properties
    core.title = clean(session["title"])[:255]
    core.language = language
    core.author = "Takt"


# -- pieces -----------------------------------------------------------------------------------
def _run(paragraph, text, bold=False, italic=False, color=None, size=None):
    run = paragraph.add_run(clean(text))
    run.bold, run.italic = bold or None, italic or None
    if color is not None:
        run.font.color.rgb = color
    if size is not None:
        run.font.size = Pt(size)
    return run


def _new_paragraph(doc):
    """An empty paragraph at the end of the body. python-docx's add_paragraph finds the section
    properties by scanning the whole body on every call: quadratic for a 5,000-idea session."""
    cache = doc.__dict__.setdefault("_takt_body", {})
    if "sect" not in cache:
        cache["sect"] = doc.element.body.sectPr
    p = OxmlElement("w:p")
    if cache["sect"] is not None:
        cache["sect"].addprevious(p)
    else:
        doc.element.body.append(p)
    return Paragraph(p, doc._body)


def _heading(doc, text, level):
    return _para(doc, text, style=f"Heading {level}")


def _para(doc, text="", style=None, **kwargs):
    p = _new_paragraph(doc)
    if style is not None:
        # python-docx looks a style name up through every style of the document on each call
        # (most of the time of a 5,000-idea export): the id is looked up once per document.
        ids = doc.__dict__.setdefault("_takt_style_ids", {})
        if style not in ids:
            ids[style] = doc.styles[style].style_id
        p._p.style = ids[style]
    if text:
        _run(p, text, **kwargs)
    return p


def _pair(doc, key, value):
    """A "Label: value" line."""
    if value in (None, "", []):
        return
    p = _new_paragraph(doc)
    _run(p, f"{key}: ", bold=True)
    _run(p, value)


def _shade(cell, fill):
    props = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    props.append(shading)


def _repeat_header(row):
    props = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    props.append(header)


def _table(doc, header, rows, widths=None):
    """A bordered table with a shaded header row that repeats on every page."""
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, header):
        cell.text = ""
        _run(cell.paragraphs[0], text, bold=True)
        _shade(cell, HEADER_FILL)
    _repeat_header(table.rows[0])
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row):
            text = number(value) if isinstance(value, (int, float)) or value is None else value
            if isinstance(value, list):  # one paragraph per item (values, solutions)
                lines = [str(v) for v in value] or [""]
                _run(cell.paragraphs[0], lines[0])
                for line in lines[1:]:
                    _run(cell.add_paragraph(), line)
            else:
                _run(cell.paragraphs[0], text)
    if widths:  # LibreOffice reads the grid's columns, Word the cells'
        table.autofit = False
        for column, width in zip(table.columns, widths):
            column.width = Cm(width)
        for row in table.rows:
            for cell, width in zip(row.cells, widths):
                cell.width = Cm(width)
    for row in table.rows:
        for cell in row.cells:
            for p in cell.paragraphs:
                p.paragraph_format.space_after = Pt(0)
                for r in p.runs:
                    r.font.size = Pt(9.5)
    _para(doc)
    return table


# -- the document -----------------------------------------------------------------------------
def _title_page(doc, report):
    s, L = report["session"], report["labels"]
    for _ in range(6):
        _para(doc)
    _para(doc, s["title"], style="Title")
    if len(report["groups"]) == 1 and len(report["list_a"]) == 0:
        g = report["groups"][0]
        _para(doc, f"{L['team'] if g['stage'] == 2 else L['group']}: {g['name']}",
              style="Subtitle")
    _para(doc)
    _pair(doc, L["dates"], dates(s))
    _pair(doc, L["timezone"], s["timezone"])
    _pair(doc, L["exported"], s["exported_at"])
    doc.paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)


def _group(doc, report, g, L):
    _heading(doc, f"{L['team'] if g['stage'] == 2 else L['group']}: {clean(g['name'])}", 1)
    if g["subject_frame"]:
        _para(doc, g["subject_frame"], italic=True)
    _pair(doc, L["moderators"], ", ".join(g["moderators"]))
    _pair(doc, f"{L['members']} ({len(g['members'])})" if g["members"] else L["members"],
          ", ".join(g["members"]))
    if g["trends"]:
        _heading(doc, L["trends"], 2)
        for t in g["trends"]:
            p = _para(doc, t["text"], style="List Bullet")
            if t["author"]:
                _run(p, f" — {t['author']}", italic=True, color=RGBColor(0x66, 0x66, 0x66))
    if g["list_b"]:
        _heading(doc, L["list_b"], 2)
        _table(doc, [L["place"], L["initiative"], L["chips"], L["focus"], L["team"]],
               [[place(r), r["name"], r["total"], "✓" if r["focus"] else "", moved(g, r)]
               for r in g["list_b"]], widths=(1.7, 7.9, 1.6, 1.6, 4.2))
    shown = detailed(report, g)
    for i in shown:
        _initiative(doc, g, i, L, report["session"]["language"])
    rest = [o for o in g["objectives"] if o["initiative"] not in {i["name"] for i in shown}]
    if rest:
        _heading(doc, L["objectives"], 2)
        _objectives(doc, rest, L, report["session"]["language"])
    _requests(doc, g, L)
    _scores(doc, g, L)
    if g["deck"]:
        _heading(doc, L["deck"], 2)
        for n, slide in enumerate(g["deck"], start=1):
            _heading(doc, f"{L['slide']} {n}. {clean(slide['title'])}", 3)
            for line in (slide["body"] or "").split("\n"):
                if line.strip():
                    _para(doc, line)
    _sections(doc, g.get("sections", []), 2)
    _new_paragraph(doc).add_run().add_break(WD_BREAK.PAGE)


def _sections(doc, sections, level):
    """The tact kinds' own blocks (report_sections): a heading, paragraphs, a table."""
    for block in sections:
        _heading(doc, clean(block["title"]), level)
        for paragraph in block["paragraphs"]:
            _para(doc, paragraph)
        if block["table"]:
            _table(doc, block["table"]["columns"], block["table"]["rows"])


def _initiative(doc, g, i, L, language):
    _heading(doc, f"{L['initiative']}: {clean(i['name'])}", 2)
    facts = []
    if i["rank"] is not None:
        facts.append(f"{L['list_b']}, {L['place'].lower()} {place(i)}, "
                     f"{L['chips'].lower()}: {number(i['total'])}")
    if g["stage"] == 2 and i["group"]:
        facts.append(f"{L['made_by']}: {i['group']}")
    elif i["team"]:
        facts.append(f"{L['moved_to']}: {i['team']}")
    for fact in facts:
        _para(doc, fact, italic=True)
    if i["ideas"]:
        _para(doc, L["ideas"], bold=True)
        for idea in i["ideas"]:
            _para(doc, idea, style="List Bullet")
    if i["stakeholders"]:
        _heading(doc, L["stakeholders"], 3)
        _table(doc, [L["stakeholder"], L["type"], L["values"]],
               [[s["name"], L["stakeholder_types"].get(s["type"], s["type"]), s["values"]]
                for s in i["stakeholders"]], widths=(6, 3.5, 7.5))
    if i["flows"]:
        _heading(doc, L["flows"], 3)
        _table(doc, [L["from"], L["to"], L["resource"], L["mark"]],
               [[f["source"], f["target"], resource(f, L), mark(f, L)] for f in i["flows"]],
               widths=(4.5, 4.5, 6, 2))
    if i["balance"]:
        _heading(doc, L["balance"], 3)
        sides = flagged(i, L)
        if not sides:
            _para(doc, L["balanced"])
        for name, flag, reason in sides:
            p = _para(doc, f"{name} — ", style="List Bullet", bold=True)
            _run(p, flag, bold=True, color=RGBColor(0xB0, 0x3A, 0x2E))
            if reason:
                _run(p, f". {reason}")
    objectives = objectives_of(g, i)
    if objectives:
        _heading(doc, L["objectives"], 3)
        _objectives(doc, objectives, L, language)


def _objectives(doc, objectives, L, language):
    for o in objectives:
        p = _para(doc, f"{L['objective']}: ", bold=True)
        _run(p, o["text"])
        if o["key_results"]:
            _table(doc, [L["metric"], L["baseline"], L["target"], L["unit"], L["deadline"],
                         L["owner"]],
                   [[k["metric"], k["baseline"], k["target"], k["unit"],
                     deadline(k["deadline"], language), k["owner"]]
                    for k in o["key_results"]], widths=(5.5, 1.8, 1.8, 2, 2.6, 3.3))


def _requests(doc, g, L):
    if not g["requests_out"] and not g["requests_in"]:
        return
    _heading(doc, L["requests"], 2)
    for key, rows, other in (("sent", g["requests_out"], "to"),
                             ("received", g["requests_in"], "from")):
        if not rows:
            continue
        _heading(doc, L[key], 3)
        _table(doc, [L[other], L["initiative"], L["need"], L["text"], L["status"],
                     L["solutions"]],
               [[r[other], r["initiative"], L["needs"].get(r["need"], r["need"]), r["text"],
                 L["statuses"].get(r["status"], r["status"]),
                 [s["text"] + (f" — {s['author']}" if s["author"] else "")
                  for s in r["solutions"]]] for r in rows],
               widths=(2.6, 2.8, 2.3, 3.8, 2.2, 3.3))


def _scores(doc, g, L):
    scores = g["scores"]
    if not scores:
        return
    _heading(doc, L["scores"], 2)
    _pair(doc, L["experts"], str(scores["experts"]))
    rows = [[a["criterion"], a["value"]] for a in scores["averages"]]
    table = _table(doc, [L["criterion"], L["average"]], rows + [[L["total"], scores["total"]]],
                   widths=(12, 4))
    for cell in table.rows[-1].cells:
        for r in cell.paragraphs[0].runs:
            r.bold = True
    if scores["comments"]:
        _table(doc, [L["expert"], L["criterion"], L["score"], L["comment"]],
               [[c["expert"], c["criterion"], c["value"], c["comment"]]
                for c in scores["comments"]], widths=(3.5, 4.5, 1.5, 7.5))
