"""The CLI of program templates: `templates`, `demo --template NAME [--filled]`, the demo hook
of tact kinds, `template-export` and `template-import`."""
import re
import shutil

import pytest
import yaml

from facilitation import templates_lib
from facilitation.extensions import db
from facilitation.models import ProgramTemplate, Session, Trend
from facilitation.tacts.info import InfoKind
from facilitation.templates_lib import load_template, template_names, to_yaml
from tests import factories

TINY = """
name: tiny
title: {ru: "Крошечная программа", en: "A tiny program"}
days: 1
items:
  - {day: 1, start: "10:00", duration: 10, kind: info, title: {ru: "Начало", en: "Opening"}}
  - {day: 1, start: "10:10", duration: 20, kind: trends, tact: 1, scope: groups,
     title: {ru: "Тренды", en: "Trends"}}
  - {day: 1, start: "10:30", duration: 15, kind: info, title: {ru: "Итоги", en: "Wrap-up"}}
"""

DEMO_TINY = """
session: {title: {ru: "Крошка: демо", en: "Tiny: demo"}, timezone: "Europe/Moscow"}
groups:
  - {key: a, name: {ru: "Альфа", en: "Alpha"}, subject_frame: {ru: "Рамка", en: "Frame"}}
participants:
  - {name: "Оля", group: a}
  - {name: "Петя", group: a}
trends:
  a:
    - {author: "Оля", text: "Первый тренд"}
    - {author: "Петя", text: "Второй тренд"}
wrap_up: "Спасибо!"
"""


@pytest.fixture
def tiny(monkeypatch, tmp_path):
    """The built-in templates plus `tiny` (with its own demo), in a folder of the test's own."""
    for path in templates_lib.HERE.glob("*.yaml"):
        shutil.copy(path, tmp_path / path.name)
    (tmp_path / "tiny.yaml").write_text(TINY, encoding="utf-8")
    monkeypatch.setattr(templates_lib, "HERE", tmp_path)
    templates_lib._load.cache_clear()
    yield tmp_path
    templates_lib._load.cache_clear()


def sid_of(output):
    return int(re.search(r"^session: (\d+)$", output, re.MULTILINE).group(1))


def test_templates_lists_the_built_in_names_and_titles(runner):
    result = runner.invoke(args=["templates"])
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert [line.split("\t")[0] for line in lines] == template_names()
    assert "strategic_session\tСтратегическая сессия: два дня / Strategic session: two days" in lines


def test_demo_from_another_template_without_its_own_demo(runner, tiny):
    result = runner.invoke(args=["demo", "--template", "tiny"])
    assert result.exit_code == 0, result.output
    session = db.session.get(Session, sid_of(result.output))
    assert session.template_name == "tiny" and session.title == "Крошечная программа"
    assert [i.title for i in session.items] == ["Начало", "Тренды", "Итоги"]
    assert session.items[0].texts == {"en": {"title": "Opening", "instructions": ""}}
    filled = runner.invoke(args=["demo", "--template", "tiny", "--filled"])
    assert filled.exit_code == 0, filled.output
    session = db.session.get(Session, sid_of(filled.output))
    assert session.current_item.kind == "trends"  # the default demo's trends, first group only
    assert db.session.scalar(db.select(db.func.count(Trend.id))
                             .where(Trend.session_id == session.id)) > 0


def test_demo_of_a_template_with_its_own_content_and_a_kind_that_fills_itself(
        runner, tiny, monkeypatch):
    (tiny / "demo_tiny.yaml").write_text(DEMO_TINY, encoding="utf-8")
    assert "demo_tiny" not in template_names()
    calls = []

    def demo_fill(self, item, demo):
        calls.append((item.title, demo.occurrence, demo.content.get("wrap_up")))
        assert db.session.get(Session, demo.session.id).current_item_id == item.id
        return None if demo.occurrence else False  # the opening has nothing to fill

    monkeypatch.setattr(InfoKind, "demo_fill", demo_fill)
    result = runner.invoke(args=["demo", "--template", "tiny", "--filled"])
    assert result.exit_code == 0, result.output
    session = db.session.get(Session, sid_of(result.output))
    assert session.title == "Крошка: демо" and [g.name for g in session.groups] == ["Альфа"]
    texts = db.session.scalars(db.select(Trend.text).where(Trend.session_id == session.id)).all()
    assert sorted(texts) == ["Второй тренд", "Первый тренд"]
    assert calls == [("Начало", 0, "Спасибо!"), ("Итоги", 1, "Спасибо!")]
    assert session.current_item.title == "Итоги"
    calls.clear()
    result = runner.invoke(args=["demo", "--template", "tiny", "--filled", "--until", "trends"])
    assert result.exit_code == 0, result.output
    assert db.session.get(Session, sid_of(result.output)).current_item.kind == "trends"


def test_demo_refuses_an_unknown_template(runner):
    result = runner.invoke(args=["demo", "--template", "nope"])
    assert result.exit_code != 0 and "strategic_session" in result.output


def test_template_export_and_import(runner, tmp_path):
    session, organizer = factories.gen_session()
    out = tmp_path / "program.yaml"
    result = runner.invoke(args=["template-export", str(session.id), "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    exported, original = yaml.safe_load(text), yaml.safe_load(to_yaml(load_template(
        "strategic_session")))
    assert exported["items"] == original["items"] and exported["days"] == 2
    assert exported["title"]["ru"] == session.title  # a session renamed keeps its own title
    result = runner.invoke(args=["template-import", str(out)])
    assert result.exit_code == 0 and "ok: strategic_session, 2 day(s), 19 items" in result.output
    result = runner.invoke(args=["template-import", str(out), "--owner", organizer.email])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(db.select(ProgramTemplate.owner_id)) == organizer.id
    again = runner.invoke(args=["template-import", str(out), "--owner", organizer.email])
    assert again.exit_code != 0 and "strategic_session" in again.output
    bad = tmp_path / "bad.yaml"
    bad.write_text(text.replace("kind: trends", "kind: disco"), encoding="utf-8")
    result = runner.invoke(args=["template-import", str(bad)])
    assert result.exit_code != 0 and "items[3].kind" in result.output
    assert runner.invoke(args=["template-export", "999"]).exit_code != 0
