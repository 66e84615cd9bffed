"""The support workshop's outputs (ikigai canvas, stages, support measures) in the JSON export,
back through the JSON import unchanged, and in the Markdown, DOCX, PPTX and XLSX exports."""
import io
import json
import zipfile

import pytest
from flask_babel import force_locale

from facilitation.cli import build_demo
from facilitation.exports import render
from facilitation.exports.json_export import export_session
from facilitation.services.imports import import_session
from facilitation.services.errors import Invalid
from facilitation.tacts import KINDS


@pytest.fixture
def workshop(app):
    """The support workshop filled with its demo content (every item, ikigai and stages too)."""
    session, *_ = build_demo(filled=True, template="support_workshop")
    return session


def _outputs(doc):
    return {a["kind"]: a["output"] for a in doc["agenda"] if a.get("output") is not None
            and a["kind"] in ("ikigai", "stages")}


def _comparable(outputs, doc):
    """The outputs with the session's ids replaced by names (the import gives new ids)."""
    groups = {g["id"]: g["name"] for g in doc["groups"]}
    people = {p["id"]: p["display_name"] for p in doc["participants"]}
    ik, st = outputs["ikigai"], outputs["stages"]
    return {
        "entries": [(groups[e["group_id"]], e["initiative"], e["column"], e["text"], e["marked"],
                     e["author"]) for e in ik["entries"]],
        "focus": [(groups[f["group_id"]], f["initiative"], f["text"]) for f in ik["focus"]],
        "places": [(groups[p["group_id"]], p["initiative"], p["stage"], p["note"],
                    sorted((people[v["participant_id"]], v["stage"]) for v in p["votes"]))
                   for p in st["places"]],
        "measures": [(groups[m["group_id"]], m["initiative"], m["kind"], m["phase"], m["text"],
                      m["catalog_key"], m["author"]) for m in st["measures"]],
    }


def test_json_export_holds_the_outputs_and_imports_back_unchanged(workshop):
    doc = export_session(workshop.id)
    out = _outputs(doc)
    assert len(out["ikigai"]["entries"]) == 14 and len(out["ikigai"]["focus"]) == 3
    assert {e["column"] for e in out["ikigai"]["entries"]} == {"want", "can", "need"}
    assert sum(e["marked"] for e in out["ikigai"]["entries"]) == 9
    assert sorted(p["stage"] for p in out["stages"]["places"]) == [1, 2, 3, 4, 4]
    assert any(m["catalog_key"] is None for m in out["stages"]["measures"])
    copy = import_session(json.loads(json.dumps(doc)))
    again = export_session(copy.id)
    assert _comparable(_outputs(again), again) == _comparable(out, doc)


def test_an_import_naming_a_missing_initiative_is_refused(workshop):
    doc = export_session(workshop.id)
    entry = next(a for a in doc["agenda"] if a["kind"] == "ikigai")
    entry["output"]["entries"][0]["initiative_id"] = 99999
    with pytest.raises(Invalid) as err:
        import_session(doc)
    assert "entries[0].initiative_id" in str(err.value.message)


def test_report_sections_in_both_languages(workshop):
    doc = export_session(workshop.id)
    ik = next(a for a in doc["agenda"] if a["kind"] == "ikigai")
    st = next(a for a in doc["agenda"] if a["kind"] == "stages")
    with force_locale("ru"):
        blocks = KINDS["ikigai"].report_sections(ik, ik["output"])
        assert blocks[0]["title"] == "Фокус икигай инициатив"
        assert ["Соседская помощь пожилым", "Студенты колледжа раз в неделю навещают одиноких "
                "пожилых на дальних улицах"] in blocks[0]["table"]["rows"]
        assert blocks[1]["title"] == "Икигай: Соседская помощь пожилым"
        assert blocks[1]["table"]["columns"] == ["Чего хотят", "Что могут", "Что нужно"]
        assert blocks[1]["table"]["rows"][0][0] == "★ Чтобы пожилые соседи не оставались одни"
        stages = KINDS["stages"].report_sections(st, st["output"])
        titles = [b["title"] for b in stages]
        assert "Этапы развития инициатив" in titles and "Меры поддержки" in titles
        rows = next(b for b in stages if b["title"] == "Этапы развития инициатив")["table"]["rows"]
        assert any(r[1] == "2. Первый круг" and "Разговоры без результата" in r[3] for r in rows)
    with force_locale("en"):
        stages = KINDS["stages"].report_sections(st, st["output"])
        rows = next(b for b in stages if b["title"] == "Stages of the initiatives")["table"]["rows"]
        assert any(r[1] == "2. The first circle" for r in rows)


def _docx_text(body):
    with zipfile.ZipFile(io.BytesIO(body)) as z:
        return z.read("word/document.xml").decode()


def _pptx_text(body):
    with zipfile.ZipFile(io.BytesIO(body)) as z:
        return "".join(z.read(n).decode() for n in z.namelist() if n.startswith("ppt/slides/slide"))


def _xlsx_text(body):
    import openpyxl
    book = openpyxl.load_workbook(io.BytesIO(body), read_only=True)
    return "\n".join(str(v) for sheet in book for row in sheet.iter_rows(values_only=True)
                     for v in row if v is not None)


@pytest.mark.parametrize("fmt,read", [("md", lambda b: b.decode()), ("docx", _docx_text),
                                      ("pptx", _pptx_text), ("xlsx", _xlsx_text)])
def test_every_format_shows_the_outputs(workshop, fmt, read):
    text = read(render(fmt, workshop.id)[0])
    for expected in ("Студенты колледжа раз в неделю навещают одиноких пожилых",  # a focus
                     "Снимать и монтировать видео",  # an entry
                     "Первый круг",  # a stage
                     "Малый грант района на технику для съёмки",  # an own measure
                     "Консультации юриста, бухгалтера, менеджера"):  # one from the table
        assert expected in text, (fmt, expected)
