"""The program builder's services: add, edit, reorder, remove, days; refusals; templates."""
import pytest
import yaml

from facilitation.extensions import db
from facilitation.models import AgendaItem, Change, ProgramTemplate, Session
from facilitation.services import agenda, program, sessions
from facilitation.services.errors import Invalid, NotAllowed, NotFound
from facilitation.tacts import KINDS
from facilitation.templates_lib import (
    check_template,
    dump_template,
    load_template,
    parse_template,
    to_yaml,
)
from tests import factories


def item_data(**extra):
    data = {"kind": "info", "title_ru": "Кофе-брейк", "title_en": "Coffee break",
            "instructions_ru": "Отдыхаем", "instructions_en": "Rest", "day": "1",
            "start_time": "15:00", "duration_min": "20", "scope": "plenary", "tact": ""}
    data.update({k: str(v) for k, v in extra.items()})
    return data


def items_of(session_id):
    return db.session.scalars(db.select(AgendaItem).where(AgendaItem.session_id == session_id)
                              .order_by(AgendaItem.position)).all()


def positions_are_contiguous_and_days_ordered(session_id):
    items = items_of(session_id)
    assert [i.position for i in items] == list(range(len(items)))
    assert [i.day for i in items] == sorted(i.day for i in items)


def last_event(session_id):
    return db.session.scalar(db.select(Change).where(Change.session_id == session_id)
                             .order_by(Change.rev.desc()).limit(1))


def test_add_item_goes_to_the_end_of_its_day_with_both_languages(world):
    sid = world.session.id
    day1 = [i for i in items_of(sid) if i.day == 1]
    item = program.add_item(world.organizer, sid, item_data(day=1))
    items = items_of(sid)
    assert items.index(item) == len(day1)  # after day 1's last item, before day 2
    assert item.title == "Кофе-брейк" and item.instructions == "Отдыхаем"
    assert program.item_texts(item, "ru") == {
        "title": {"ru": "Кофе-брейк", "en": "Coffee break"},
        "instructions": {"ru": "Отдыхаем", "en": "Rest"}}
    assert item.timer_duration_s == 20 * 60
    positions_are_contiguous_and_days_ordered(sid)
    event = last_event(sid)
    assert event.type == "agenda.changed"
    assert item.id in {i["id"] for i in event.data["items"]}
    assert event.data["removed"] == []


def test_english_title_falls_back_to_the_session_language(world):
    item = program.add_item(world.organizer, world.session.id, item_data(title_en=""))
    assert program.item_texts(item, "ru")["title"]["en"] == "Кофе-брейк"


@pytest.mark.parametrize("bad,field", [
    ({"title_ru": ""}, "title_ru"),
    ({"kind": "disco"}, "kind"),
    ({"day": "0"}, "day"),
    ({"day": "15"}, "day"),
    ({"start_time": "25:99"}, "start_time"),
    ({"duration_min": "0"}, "duration_min"),
    ({"duration_min": "abc"}, "duration_min"),
    ({"scope": "room"}, "scope"),
    ({"tact": "100"}, "tact"),
    ({"title_en": "x" * 201}, "title_en"),
    ({"instructions_ru": "\u202eперевёрнуто"}, "instructions_ru"),
])
def test_bad_input_is_refused_naming_the_field_and_changes_nothing(world, bad, field):
    sid = world.session.id
    before = [(i.id, i.position, i.title) for i in items_of(sid)]
    rev = db.session.get(Session, sid).revision
    with pytest.raises(Invalid) as exc:
        program.add_item(world.organizer, sid, item_data(**bad))
    assert exc.value.field == field
    target = items_of(sid)[3]
    with pytest.raises(Invalid):
        program.update_item(world.organizer, sid, target.id, item_data(**bad))
    db.session.expire_all()
    assert [(i.id, i.position, i.title) for i in items_of(sid)] == before
    assert db.session.get(Session, sid).revision == rev


def test_only_the_organizer_builds_the_program(world):
    sid = world.session.id
    item = items_of(sid)[4]
    for user in (world.moderators[0], factories.gen_user()):
        with pytest.raises(NotAllowed):
            program.add_item(user, sid, item_data())
        with pytest.raises(NotAllowed):
            program.move_item(user, sid, item.id, "up")
        with pytest.raises(NotAllowed):
            program.remove_item(user, sid, item.id)


def test_edit_changes_kind_texts_and_times(world):
    sid = world.session.id
    item = items_of(sid)[0]
    program.update_item(world.organizer, sid, item.id, item_data(
        kind="brainstorm", title_ru="Разминка", title_en="Warm-up", start_time="12:30",
        duration_min=15, scope="groups", tact=9))
    db.session.refresh(item)
    assert (item.kind, item.title, item.tact, item.scope, item.duration_min) == (
        "brainstorm", "Разминка", 9, "groups", 15)
    assert item.start_time.strftime("%H:%M") == "12:30" and item.timer_duration_s == 900
    assert item.texts["en"]["title"] == "Warm-up"
    assert last_event(sid).data["items"][0]["kind"] == "brainstorm"


def test_move_up_down_and_across_a_day(world):
    sid = world.session.id
    items = items_of(sid)
    a, b = items[1], items[2]
    program.move_item(world.organizer, sid, b.id, "up")
    assert [i.id for i in items_of(sid)][1:3] == [b.id, a.id]
    program.move_item(world.organizer, sid, b.id, "down")
    assert [i.id for i in items_of(sid)][1:3] == [a.id, b.id]
    # the first item of day 2 moved up becomes the last of day 1, in place
    first_of_2 = next(i for i in items_of(sid) if i.day == 2)
    place = items_of(sid).index(first_of_2)
    program.move_item(world.organizer, sid, first_of_2.id, "up")
    db.session.refresh(first_of_2)
    assert first_of_2.day == 1 and items_of(sid).index(first_of_2) == place
    program.move_item(world.organizer, sid, first_of_2.id, "down")
    db.session.refresh(first_of_2)
    assert first_of_2.day == 2 and items_of(sid).index(first_of_2) == place
    positions_are_contiguous_and_days_ordered(sid)
    with pytest.raises(Invalid):
        program.move_item(world.organizer, sid, items_of(sid)[0].id, "up")
    with pytest.raises(Invalid):
        program.move_item(world.organizer, sid, items_of(sid)[-1].id, "down")
    with pytest.raises(Invalid):
        program.move_item(world.organizer, sid, a.id, "sideways")


def test_new_day_from_an_item_and_the_session_grows(world):
    sid = world.session.id
    items = items_of(sid)
    split = items[5]
    program.new_day_from(world.organizer, sid, split.id)
    days = [i.day for i in items_of(sid)]
    assert days[:5] == [1] * 5 and days[5] == 2 and max(days) == 3
    session = db.session.get(Session, sid)
    assert (session.ends_on - session.starts_on).days == 2
    positions_are_contiguous_and_days_ordered(sid)


def test_remove_an_item_ahead(world):
    sid = world.session.id
    item = items_of(sid)[-1]
    count = len(items_of(sid))
    program.remove_item(world.organizer, sid, item.id)
    assert len(items_of(sid)) == count - 1 and db.session.get(AgendaItem, item.id) is None
    assert last_event(sid).data["removed"] == [item.id]
    with pytest.raises(NotFound):
        program.remove_item(world.organizer, sid, item.id)


def test_a_running_session_locks_current_and_past_items(world):
    sid = world.session.id
    trends = factories.advance_to(world.chief, sid, "trends")
    factories.post(world.actor(world.phones[0]), trends, "Тренд")
    items = items_of(sid)
    current = items.index(trends)
    for locked in items[:current + 1]:
        assert not program.editable(db.session.get(Session, sid), locked)
        old_editor = {"title": "Другое", "instructions": "", "day": "1", "start_time": "09:00",
                      "duration_min": "5"}  # the session page's agenda form: the same rule
        for call in (lambda i: program.update_item(world.organizer, sid, i.id, item_data()),
                     lambda i: sessions.update_item(world.organizer, sid, i.id, old_editor),
                     lambda i: program.move_item(world.organizer, sid, i.id, "down"),
                     lambda i: program.remove_item(world.organizer, sid, i.id),
                     lambda i: program.new_day_from(world.organizer, sid, i.id)):
            with pytest.raises(Invalid):
                call(locked)
    # the first item ahead cannot jump before the current one
    ahead = items[current + 1]
    with pytest.raises(Invalid):
        program.move_item(world.organizer, sid, ahead.id, "up")
    # but items ahead can be edited, reordered and removed
    sessions.update_item(world.organizer, sid, ahead.id, old_editor)
    assert db.session.get(AgendaItem, ahead.id).title == "Другое"
    program.update_item(world.organizer, sid, ahead.id, item_data(title_ru="Новый такт"))
    program.move_item(world.organizer, sid, ahead.id, "down")
    added = program.add_item(world.organizer, sid, item_data(day=1))
    assert items_of(sid).index(added) > current
    program.remove_item(world.organizer, sid, added.id)
    assert [i.id for i in items_of(sid)][:current + 1] == [i.id for i in items[:current + 1]]
    # advancing still goes to the next item in the new order
    nxt = items_of(sid)[current + 1]
    agenda.advance(world.chief, trends.id)
    assert db.session.get(Session, sid).current_item_id == nxt.id


def test_an_item_that_holds_work_cannot_be_removed(world):
    sid = world.session.id
    trends = factories.advance_to(world.chief, sid, "trends")
    factories.post(world.actor(world.phones[0]), trends, "Тренд")
    agenda.undo_advance(world.chief, trends.id)  # trends is pending again, with a card
    assert program.editable(db.session.get(Session, sid), trends)
    with pytest.raises(Invalid):
        program.remove_item(world.organizer, sid, trends.id)


def test_an_item_cannot_go_to_a_day_the_session_has_left(world):
    sid = world.session.id
    day2 = next(i for i in items_of(sid) if i.day == 2)
    factories.advance_to(world.chief, sid, day2.kind)
    while db.session.get(Session, sid).current_item.day < 2:
        agenda.advance(world.chief, db.session.get(Session, sid).current_item_id)
    with pytest.raises(Invalid) as exc:
        program.add_item(world.organizer, sid, item_data(day=1))
    assert exc.value.field == "day"


# -- templates -----------------------------------------------------------------------------
def test_round_trip_yaml_to_session_to_yaml(app):
    original = load_template("strategic_session")
    text = to_yaml(original)
    organizer = factories.gen_user()
    for language in ("ru", "en"):
        session, _ = factories.gen_session(organizer, language=language, title=None,
                                           program=parse_template(text, KINDS))
        again = program.session_program(session)
        assert dump_template(again) == dump_template(original)
        assert yaml.safe_load(to_yaml(again)) == yaml.safe_load(text)


def test_round_trip_after_building(world):
    sid = world.session.id
    program.add_item(world.organizer, sid, item_data(day=2, tact=9))
    exported = program.session_program(db.session.get(Session, sid))
    organizer = factories.gen_user()
    copy, _ = factories.gen_session(organizer, program=parse_template(to_yaml(exported), KINDS))
    assert dump_template(program.session_program(copy))["items"] == dump_template(exported)["items"]
    assert any(i["title"] == {"ru": "Кофе-брейк", "en": "Coffee break"}
               for i in dump_template(exported)["items"])


def test_save_as_template_and_create_a_session_from_it(world):
    sid = world.session.id
    program.add_item(world.organizer, sid, item_data(day=2))
    row = program.save_as_template(world.organizer, sid, {
        "title_ru": "Моя сессия", "title_en": "My session", "name": ""})
    assert row.owner_id == world.organizer.id and row.name == "my-session"
    with pytest.raises(Invalid) as exc:
        program.save_as_template(world.organizer, sid, {"title_ru": "Моя сессия",
                                                        "title_en": "My session"})
    assert exc.value.field == "name"
    program.save_as_template(world.organizer, sid, {"title_ru": "Моя сессия", "replace": "y",
                                                    "title_en": "My session"})
    assert db.session.scalar(db.select(db.func.count(ProgramTemplate.id))) == 1
    name, prog = program.program_for_new_session(world.organizer, f"mine:{row.id}")
    session, _ = factories.gen_session(world.organizer, template=name, program=prog, title=None)
    assert session.title == "Моя сессия" and session.template_name == f"mine:{row.id}"
    assert [i.title for i in session.items] == [i.title for i in items_of(sid)]
    # another organizer cannot use it
    with pytest.raises(NotFound):
        program.program_for_new_session(factories.gen_user(), f"mine:{row.id}")


def test_import_template_refuses_naming_the_place(app):
    user = factories.gen_user()
    good = to_yaml(load_template("strategic_session"))
    row = program.import_template(user, good.encode())
    assert row.name == "strategic_session"
    broken = good.replace('start: "14:00"', 'start: "14h"', 1).replace("start: '14:00'",
                                                                      "start: '14h'", 1)
    assert broken != good
    with pytest.raises(Invalid) as exc:
        program.import_template(user, broken.encode(), replace=True)
    assert str(exc.value.message).startswith("items[3].start")
    with pytest.raises(Invalid) as exc:
        program.import_template(user, b"items: [\n  - kind: info\n  bad")
    assert "строка 2" in str(exc.value.message)
    with pytest.raises(Invalid):
        program.import_template(user, "\udcff".encode("utf-8", "surrogatepass"))


@pytest.mark.parametrize("broken,where", [
    ({"name": "Имя", "items": [{"kind": "info", "start": "10:00", "duration": 5, "title": "x"}]}, "name"),
    ({"days": 0, "items": [{"kind": "info", "start": "10:00", "duration": 5, "title": "x"}]}, "days"),
    ({"days": 2, "items": [{"kind": "info", "day": 2, "start": "10:00", "duration": 5, "title": "x"},
                           {"kind": "info", "day": 1, "start": "10:00", "duration": 5, "title": "x"}]}, "items[2].day"),
    ({"items": [{"kind": "info", "start": "10:00", "duration": 5, "title": "x", "tact": 0}]}, "items[1].tact"),
    ({"items": [{"kind": "info", "start": "10:00", "duration": 5, "title": "x" * 201}]}, "items[1].title.ru"),
    ({"items": [{"kind": "info", "start": "10:00", "duration": 5, "title": "x", "scope": "hall"}]}, "items[1].scope"),
])
def test_check_template_names_the_place(broken, where):
    with pytest.raises(Invalid) as exc:
        check_template(broken, KINDS)
    assert str(exc.value.message).startswith(where)


def test_unquoted_yaml_times_are_read_as_times():
    data = yaml.safe_load("items:\n  - {kind: info, start: 13:00, duration: 5, title: x}\n")
    assert check_template(data, KINDS)["items"][0]["start"].strftime("%H:%M") == "13:00"
