"""DOCX, PPTX and XLSX exports, each read back with its own library: every idea, initiative,
stakeholder, flow, request, key result and score of the filled demo is in them; the decks have
native charts with the data; hostile text stays verbatim (and never a formula); a half-finished
session exports in every format."""
import io

import pytest
from docx import Document
from docx.text.paragraph import Paragraph
from openpyxl import load_workbook
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE

from facilitation import exports
from facilitation.exports.json_export import export_session
from facilitation.exports.office import number
from facilitation.exports.report import build_report
from facilitation.services.errors import NotFound

from .office_sessions import HOSTILE, HOSTILE_NAMES, office  # noqa: F401  (a module-scoped fixture)

OFFICE = ("docx", "pptx", "xlsx")


def _expected(session_id):
    """What must be found, straight from the JSON export (not from the report the formats use)."""
    doc = export_session(session_id)
    live = [x for x in doc["ideas"] if not x["deleted"] and x["merged_into"] is None]
    criteria = {c["id"]: c["name"] for c in doc["criteria"]}
    return {
        "ideas": [x["text"] for x in live],
        "initiatives": [i["name"] for i in doc["initiatives"] if not i.get("deleted")],
        "stakeholders": [s["name"] for s in doc["stakeholders"] if not s.get("deleted")],
        "flows": [f["resource_text"] for f in doc["flows"]
                  if not f.get("deleted") and f["resource_text"]],
        "requests": [r["text"] for r in doc["requests"] if not r.get("deleted")],
        "metrics": [k["metric"] for o in doc["objectives"] if not o.get("deleted")
                    for k in o["key_results"] if not k.get("deleted")],
        "scores": [(s["expert"], criteria[s["criterion_id"]], s["value"]) for s in doc["scores"]],
    }


def _docx_text(body):
    document = Document(io.BytesIO(body))
    paragraphs = [Paragraph(p, document).text
                  for p in document.element.body.iter(document.element.body[0].tag)]
    rows = {tuple(c.text for c in row.cells) for t in document.tables for row in t.rows}
    return document, "\n".join(paragraphs), rows


def _pptx_content(body):
    """(slides as [(texts, charts)], all text joined); texts from text frames and tables."""
    prs = Presentation(io.BytesIO(body))
    slides = []
    for slide in prs.slides:
        texts, charts = [], []
        for shape in slide.shapes:
            if shape.has_text_frame and shape.text_frame.text:
                texts.append("\n".join(p.text.replace("\v", "\n")
                                       for p in shape.text_frame.paragraphs))
            if shape.has_table:
                texts += [cell.text.replace("\v", "\n") for row in shape.table.rows
                          for cell in row.cells]
            if shape.has_chart:
                charts.append(shape.chart)
        slides.append((texts, charts))
    return prs, slides, "\n".join(t for texts, _ in slides for t in texts)


def _cells(body):
    wb = load_workbook(io.BytesIO(body))
    return wb, {ws.title: [list(r) for r in ws.iter_rows(values_only=True)]
                for ws in wb.worksheets}


# -- whole session ----------------------------------------------------------------------------
def test_registered_with_media_types(office):
    for fmt in OFFICE:
        body, mimetype, extension = exports.render(fmt, office.full)
        assert extension == fmt and mimetype.startswith("application/vnd.openxmlformats")
        assert body[:2] == b"PK"
    with pytest.raises(NotFound):
        exports.render("docx", office.full, group_id=10**6)


def test_docx_holds_everything_in_the_sessions_language(office):
    want = _expected(office.full)
    report = build_report(office.full)
    L = report["labels"]
    document, text, rows = _docx_text(exports.render("docx", office.full)[0])
    for key in ("ideas", "initiatives", "stakeholders", "flows", "requests", "metrics"):
        missing = [x for x in want[key] if x not in text]
        assert not missing, (key, missing)
    for expert, criterion, value in want["scores"]:
        assert any(r[:3] == (expert, criterion, number(value)) for r in rows), (expert, criterion)
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    for key in ("program", "list_a", "list_b", "stakeholders", "flows", "balance", "requests",
                "objectives", "scores", "deck"):
        assert any(h.startswith(L[key]) for h in headings), key
    # A moved initiative is detailed once: under its day-two team.
    moved = [i["name"] for g in report["groups"] for i in g["initiatives"] if g["stage"] == 2]
    for name in moved:
        assert headings.count(f"{L['initiative']}: {name}") == 1
    assert document.core_properties.language == "ru-RU"
    assert report["session"]["title"] in text and "Asia/Irkutsk" in text
    normal = document.styles["Normal"].element.rPr.rFonts
    assert {normal.get(f"{{{normal.nsmap['w']}}}{a}") for a in ("ascii", "hAnsi", "eastAsia")} \
        == {"Arial"}


def test_xlsx_has_a_sheet_per_entity_and_every_row(office):
    want = _expected(office.full)
    L = build_report(office.full)["labels"]
    wb, sheets = _cells(exports.render("xlsx", office.full)[0])
    for key in ("program", "members", "list_a", "initiatives", "list_b", "stakeholders", "flows",
                "requests", "objectives", "key_results", "scores", "averages"):
        assert L[key][:31] in sheets, key
    values = {v for rows in sheets.values() for row in rows for v in row if isinstance(v, str)}
    for key in ("ideas", "initiatives", "stakeholders", "flows", "requests", "metrics"):
        missing = [x for x in want[key] if x not in values]
        assert not missing, (key, missing)
    # each participant's chips, adding up to each initiative's total in List B
    chips = sheets[L["stakes"]]
    assert chips[0] == [L["group"], L["initiative"], L["participant"], L["chips"]]
    doc = export_session(office.full)
    assert sum(r[3] for r in chips[1:]) == sum(s["count"] for s in doc["stakes"]) > 0
    totals = {r[2]: r[3] for r in sheets[L["list_b"]][1:]}
    for name, total in totals.items():
        assert sum(r[3] for r in chips[1:] if r[1] == name) == (total or 0), name
    assert all(r[2] for r in chips[1:])   # every row names its participant
    scores = {tuple(r[1:4]) for r in sheets[L["scores"]][1:]}
    assert set(want["scores"]) <= scores
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A2" and ws.auto_filter.ref.startswith("A1:")
        assert all(c.font.b for c in ws[1])
        assert all(d.width <= 62 for d in ws.column_dimensions.values())
        assert len(ws.title) <= 31 and not set(ws.title) & set("[]:*?/\\")
    key_results = wb[L["key_results"]]
    deadline = [c for c in key_results[1] if c.value == L["deadline"]][0].column
    assert all(row[deadline - 1].is_date for row in key_results.iter_rows(min_row=2))
    program = wb[L["program"]]
    assert program.cell(2, 2).is_date and program.cell(2, 2).number_format == "HH:MM"


def test_summary_deck_names_every_initiative_with_native_charts(office):
    want = _expected(office.full)
    report = build_report(office.full)
    prs, slides, text = _pptx_content(exports.render("pptx", office.full)[0])
    assert (prs.slide_width, prs.slide_height) == (12192000, 6858000)  # 16:9
    categories = {c for _t, charts in slides for ch in charts for c in ch.plots[0].categories}
    for name in want["initiatives"]:
        assert name in text or any(c.endswith(f". {name}") for c in categories), name
    charts = [ch for _t, charts in slides for ch in charts]
    bars = [ch for ch in charts if ch.chart_type == XL_CHART_TYPE.BAR_CLUSTERED]
    for g in (g for g in report["groups"] if g["stage"] == 1):
        chart = next(ch for ch in bars
                     if list(ch.plots[0].categories)[0].endswith(g["list_b"][0]["name"]))
        assert list(chart.plots[0].series[0].values) == [r["total"] for r in g["list_b"]]
    columns = [ch for ch in charts if ch.chart_type == XL_CHART_TYPE.COLUMN_CLUSTERED]
    criteria = [c["name"] for c in report["criteria"]]
    for g in (g for g in report["groups"] if g["scores"]):
        values = [a["value"] for a in g["scores"]["averages"]]
        assert any(list(ch.plots[0].categories) == criteria
                   and list(ch.plots[0].series[0].values) == values for ch in columns), g["name"]
    totals = [r for r in report["results"]["groups"]]
    assert any(list(ch.plots[0].categories) == [r["name"] for r in totals]
               and list(ch.plots[0].series[0].values) == [r["total"] for r in totals]
               for ch in columns)
    # The resource balance is drawn: boxes for every stakeholder of a drawn initiative.
    assert all(name in text for name in want["stakeholders"])
    assert any(s.shape_type == 9 or getattr(s, "connector_type", None) is not None
               for slide in prs.slides for s in slide.shapes)  # connectors (lines)


def test_each_groups_deck_has_its_slides_and_only_its_initiatives(office):
    report = build_report(office.full)
    everything = {i["name"] for g in report["groups"] for i in g["initiatives"]}
    for g in (g for g in report["groups"] if g["deck"]):
        _prs, slides, text = _pptx_content(exports.render("pptx", office.full, g["id"])[0])
        titles = [texts[0] for texts, _c in slides if texts]
        for s in g["deck"]:
            assert any(t.startswith(s["title"]) for t in titles), s["title"]
        own = {i["name"] for i in g["initiatives"]}
        assert own and all(name in text for name in own)
        assert not [name for name in everything - own if name in text], g["name"]
        charts = [ch for _t, charts in slides for ch in charts]
        assert any(ch.chart_type == XL_CHART_TYPE.BAR_CLUSTERED for ch in charts)
        if g["scores"]:
            assert any(ch.chart_type == XL_CHART_TYPE.COLUMN_CLUSTERED for ch in charts)


def test_one_group_docx_and_xlsx_hold_that_group_only(office):
    report = build_report(office.full)
    team = next(g for g in report["groups"] if g["stage"] == 2)
    L = report["labels"]
    others = {s["name"] for g in report["groups"] if g["id"] != team["id"]
              for i in g["initiatives"] if i["name"] not in {x["name"] for x in team["initiatives"]}
              for s in i["stakeholders"]}
    document, text, _rows = _docx_text(exports.render("docx", office.full, team["id"])[0])
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert [h for h in headings if h.startswith(f"{L['initiative']}: ")] == [
        f"{L['initiative']}: {i['name']}" for i in team["initiatives"]]
    assert not [s for s in others if s in text]
    _wb, sheets = _cells(exports.render("xlsx", office.full, team["id"])[0])
    assert [r[0] for r in sheets[L["initiatives"]][1:]] == [i["name"] for i in team["initiatives"]]
    assert not sheets[L["list_a"]][1:] if L["list_a"] in sheets else True


# -- hostile text and a half-finished session ---------------------------------------------
def test_hostile_text_is_verbatim_and_never_a_formula(office):
    stored = _expected(office.hostile)
    hostile = HOSTILE + HOSTILE_NAMES
    assert set(HOSTILE) <= set(stored["ideas"])
    assert set(HOSTILE_NAMES) <= set(stored["initiatives"])
    wb, _sheets = _cells(exports.render("xlsx", office.hostile)[0])
    cells = {c.value: c for ws in wb.worksheets for row in ws.iter_rows() for c in row}
    for text in hostile:
        assert text in cells, text
        assert cells[text].data_type == "s"
        if text[0] in "=+-@":
            assert cells[text].quotePrefix
    assert not [c for c in cells.values() if c.data_type == "f"]
    _d, text, _rows = _docx_text(exports.render("docx", office.hostile)[0])
    assert all(t in text for t in hostile)
    _p, _s, summary = _pptx_content(exports.render("pptx", office.hostile)[0])
    assert all(t in summary for t in HOSTILE_NAMES)
    _p, _s, deck = _pptx_content(exports.render("pptx", office.hostile, office.hostile_group)[0])
    assert all(t in deck for t in hostile)  # the template's slides: initiatives and their ideas


@pytest.mark.parametrize("fmt", OFFICE)
def test_half_finished_session_exports(office, fmt):
    report = build_report(office.half)
    for group_id in [None] + [g["id"] for g in report["groups"]]:
        body, _m, _e = exports.render(fmt, office.half, group_id)
        assert body[:2] == b"PK"
    if fmt == "pptx":  # no deck yet: the template's slides from the group's data
        g = report["groups"][0]
        _p, slides, text = _pptx_content(exports.render(fmt, office.half, g["id"])[0])
        categories = " ".join(c for _t, charts in slides for ch in charts
                              for c in ch.plots[0].categories)
        assert len(slides) >= 4 and all(i["name"] in categories for i in g["initiatives"])
        assert any(i["name"] in text for i in g["initiatives"])
