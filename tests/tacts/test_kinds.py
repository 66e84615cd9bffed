"""The tact-kind registry and the default program as data."""
import pytest

from facilitation.services.errors import Invalid, NotFound
from facilitation.tacts import KINDS, get_kind
from facilitation.templates_lib import check_template, load_template, template_names


def test_registry_knows_the_live_core_kinds():
    assert set(KINDS) >= {"info", "trends", "brainstorm"}
    assert get_kind("trends").post_scope == "group"
    assert get_kind("brainstorm").post_scope == "plenary"
    assert not get_kind("info").accepts_posts
    with pytest.raises(NotFound):
        get_kind("nope")


@pytest.mark.parametrize("text,ok", [("Тренд", True), ("", False), ("  ", False),
                                     ("x" * 300, True), ("x" * 301, False)])
def test_card_form(app, text, ok):
    kind = get_kind("trends")
    if ok:
        assert kind.card_form({"text": text})["text"] == text.strip()
    else:
        with pytest.raises(Invalid):
            kind.card_form({"text": text})


def test_default_program_is_the_whole_two_day_session(app):
    assert "strategic_session" in template_names()
    program = load_template("strategic_session")
    items = program["items"]
    assert program["days"] == 2
    assert sorted(i["tact"] for i in items if i["tact"]) == list(range(1, 9))
    assert {i["day"] for i in items} == {1, 2}
    by_tact = {i["tact"]: i for i in items if i["tact"]}
    assert by_tact[1]["kind"] == "trends" and by_tact[1]["scope"] == "groups"
    assert by_tact[2]["kind"] == "brainstorm" and by_tact[2]["scope"] == "plenary"
    for item in items:
        assert item["title"]["ru"] and item["title"]["en"] and item["title"]["ru"] != item["title"]["en"]
        assert item["kind"] in KINDS
    for day in (1, 2):
        starts = [i["start"] for i in items if i["day"] == day]
        assert starts == sorted(starts) and len(set(starts)) == len(starts)
    # keynotes, breaks and the expert session are there too
    assert sum(1 for i in items if i["tact"] is None) >= 8


@pytest.mark.parametrize("broken,where", [
    ({"items": []}, "items"),
    ({"items": [{"kind": "disco", "start": "10:00", "duration": 5, "title": "x"}]}, "items[1].kind"),
    ({"items": [{"kind": "info", "start": "25h", "duration": 5, "title": "x"}]}, "items[1].start"),
    ({"items": [{"kind": "info", "start": "10:00", "duration": 0, "title": "x"}]}, "items[1].duration"),
    ({"items": [{"kind": "info", "start": "10:00", "duration": 5, "title": {"en": "x"}}]}, "items[1].title"),
    ({"days": 1, "items": [{"kind": "info", "day": 2, "start": "10:00", "duration": 5, "title": "x"}]}, "items[1].day"),
])
def test_broken_templates_are_refused_naming_the_place(broken, where):
    with pytest.raises(Invalid) as exc:
        check_template(broken, KINDS)
    assert str(exc.value.message).startswith(where)


def test_tacts_3_to_5_and_the_presentation_are_kinds_of_the_program(app):
    assert {"clustering", "stakeholders", "resources", "presentation"} <= set(KINDS)
    by_tact = {i["tact"]: i for i in load_template("strategic_session")["items"] if i["tact"]}
    assert [by_tact[n]["kind"] for n in (3, 4, 5)] == ["clustering", "stakeholders", "resources"]
    assert any(i["kind"] == "presentation" for i in load_template("strategic_session")["items"])
    for name in ("clustering", "stakeholders", "resources", "presentation"):
        info = get_kind(name).client_info()
        assert not info["accepts_posts"] and info["board"]  # their own boards, not cards


@pytest.mark.parametrize("data,ok", [
    ({"name": "Лесничество", "type": "public_body"}, True),
    ({"name": "Лесничество", "type": "alien"}, False),
    ({"name": "", "type": "ngo"}, False),
    ({"name": "x" * 121, "type": "ngo"}, False),
    ({"name": "Фонд\nдве строки", "type": "ngo"}, False),
])
def test_stakeholder_form(app, data, ok):
    from facilitation.tacts.base import validate
    from facilitation.tacts.stakeholders import StakeholderForm
    if ok:
        assert validate(StakeholderForm, data)["name"] == data["name"]
    else:
        with pytest.raises(Invalid):
            validate(StakeholderForm, data)


@pytest.mark.parametrize("data,ok", [
    ({"resource": "money", "resource_text": "", "mark": "given"}, True),
    ({"resource": "money", "resource_text": "грант", "mark": "spent"}, True),
    ({"resource": "gold", "resource_text": "", "mark": "given"}, False),
    ({"resource": "money", "resource_text": "", "mark": "stolen"}, False),
    ({"resource": "time", "resource_text": "x" * 121, "mark": "gained"}, False),
])
def test_flow_form(app, data, ok):
    from facilitation.tacts.base import validate
    from facilitation.tacts.resources import FlowForm
    if ok:
        assert validate(FlowForm, data)["resource"] == data["resource"]
    else:
        with pytest.raises(Invalid):
            validate(FlowForm, data)
