"""The Markdown export: everything of the filled demo in reading order, user text escaped so it
never turns into markup or HTML, one group alone, a half-finished session."""
import re

from facilitation import exports
from facilitation.exports.markdown import esc

from .office_sessions import HOSTILE_NAMES, office  # noqa: F401  (a module-scoped fixture)
from .test_office import _expected


def _unescape(markdown):
    """The text a reader sees: CommonMark backslash escapes undone."""
    return re.sub(r"\\([\\`*_{}\[\]<>#|!~&+\-.)])", r"\1", markdown)


def test_markdown_holds_everything_in_reading_order(office):
    body, mimetype, ext = exports.render("md", office.full)
    text = body.decode("utf-8")
    assert mimetype.startswith("text/markdown") and ext == "md"
    seen = _unescape(text)
    want = _expected(office.full)
    for key in ("ideas", "initiatives", "stakeholders", "flows", "requests", "metrics"):
        missing = [x for x in want[key] if " ".join(x.split()) not in seen]
        assert not missing, (key, missing)
    for expert, criterion, value in want["scores"]:
        assert expert in seen and criterion in seen
    # Reading order: program, List A, the subject groups, then the teams, then the results.
    order = [seen.index("\n" + h) for h in (
        "## Программа", "## Список А", "## Группа: Экопросвещение",
        "## Команда второго дня: Экотропа", "## Оценки экспертов")]
    assert order == sorted(order)
    assert "только отдаёт" in seen and "→ Экотропа" in seen


def test_user_text_cannot_become_markup():
    assert esc("<script>alert(1)</script>") == r"\<script\>alert(1)\</script\>"
    assert esc("# заголовок | ячейка *жирный*") == r"\# заголовок \| ячейка \*жирный\*"
    assert esc("- пункт") == r"\- пункт" and esc("1. пункт") == r"1\. пункт"
    assert esc("строка один\nстрока два") == "строка один строка два"


def test_one_group_hostile_and_half_finished(office):
    text = exports.render("md", office.hostile, office.hostile_group)[0].decode("utf-8")
    assert "<script>" not in text and "\\<script\\>" in text
    seen = _unescape(text)
    assert all(" ".join(name.split()) in seen for name in HOSTILE_NAMES)
    assert "## Список А" not in text  # a group's export leaves List A to the whole session
    half = exports.render("md", office.half)[0].decode("utf-8")
    assert half.startswith("# ") and "### Список Б" in half
    assert "Фонд «Озеро»" not in half and "\n## Оценки экспертов" not in half
