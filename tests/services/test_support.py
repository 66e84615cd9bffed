"""The support workshop's kinds (seed 002): the ikigai canvas (entries, marks, the focus) and the
stage diagnosis with support measures — writes, refusals that change nothing, permissions."""
import uuid
from types import SimpleNamespace

import pytest

from facilitation.extensions import db
from facilitation.models import IkigaiEntry, Session, StagePlace, SupportMeasure
from facilitation.services import ikigai, initiatives, sessions, support
from facilitation.services.actors import projector_actor, user_actor
from facilitation.services.errors import Closed, Conflict, Invalid, NotAllowed, NotFound
from facilitation.tacts.stages import catalog

from ..factories import advance_to, gen_group, gen_participant, gen_session, gen_user


def cid():
    return str(uuid.uuid4())


def gen_workshop():
    """A support workshop with two groups (a moderator and two phones each) and one initiative
    per group made in tact 3."""
    session, organizer = gen_session(template="support_workshop", title="Мастерская")
    chief = user_actor(organizer, session.id)
    groups, mods, phones = [], [], []
    for n, name in enumerate(("Село", "Город"), start=1):
        group = gen_group(session, organizer, name, "Социальные инициативы")
        moderator = gen_user(name=f"Модератор {n}")
        sessions.assign_moderator(organizer, session.id, group.id, moderator)
        groups.append(group)
        mods.append(user_actor(moderator, session.id))
        phones.append([gen_participant(session, group, f"Участник {n}{x}") for x in "ab"])
    item3 = advance_to(chief, session.id, "clustering")
    inits = []
    for group, mod in zip(groups, mods):
        made, _ = initiatives.create_initiative(mod, {
            "client_id": cid(), "item_id": item3.id, "group_id": group.id,
            "name": f"Ресурсный центр «{group.name}»"})
        inits.append(made["id"])
    from facilitation.services.actors import participant_actor
    return SimpleNamespace(session=session, chief=chief, groups=groups, mods=mods,
                           phones=[[participant_actor(p.id, session.id) for p in ps]
                                   for ps in phones],
                           initiatives=inits, organizer=organizer)


@pytest.fixture
def ws(app):
    return gen_workshop()


def rev(ws):
    return db.session.scalar(db.select(Session.revision).where(Session.id == ws.session.id))


def entry(ws, actor, item, column="want", text="Помогать пожилым", initiative=0, **extra):
    return ikigai.add_entry(actor, {"client_id": cid(), "item_id": item.id, "column": column,
                                    "text": text, "initiative_id": ws.initiatives[initiative],
                                    **extra})


# -- ikigai -----------------------------------------------------------------------------------
def test_entries_go_to_their_column_once(ws):
    item = advance_to(ws.chief, ws.session.id, "ikigai")
    data = {"client_id": cid(), "item_id": item.id, "column": "can", "text": "  Вести кружки ",
            "initiative_id": ws.initiatives[0]}
    first = ikigai.add_entry(ws.phones[0][0], dict(data))
    again = ikigai.add_entry(ws.phones[0][0], dict(data))
    assert not first["duplicate"] and again["duplicate"]
    assert first["entry"]["id"] == again["entry"]["id"]
    assert first["entry"]["text"] == "Вести кружки" and first["entry"]["column"] == "can"
    assert db.session.scalar(db.select(db.func.count(IkigaiEntry.id))) == 1


@pytest.mark.parametrize("column,text", [("want", ""), ("want", "x" * 201), ("love", "Текст"),
                                         ("want", "a\u202eb"), ("want", "две\nстроки")])
def test_bad_entries_are_refused_and_nothing_changes(ws, column, text):
    item = advance_to(ws.chief, ws.session.id, "ikigai")
    before = rev(ws)
    with pytest.raises(Invalid):
        entry(ws, ws.phones[0][0], item, column, text)
    assert rev(ws) == before
    assert db.session.scalar(db.select(db.func.count(IkigaiEntry.id))) == 0


def test_entries_only_in_own_group_and_while_the_item_runs(ws):
    item = advance_to(ws.chief, ws.session.id, "ikigai")
    with pytest.raises(NotAllowed):
        entry(ws, ws.phones[1][0], item)  # another group's initiative
    with pytest.raises(NotAllowed):
        entry(ws, ws.mods[1], item)  # another group's moderator
    with pytest.raises(NotAllowed):
        entry(ws, projector_actor(ws.session.id), item)
    from facilitation.services import agenda
    agenda.set_locked(ws.chief, item.id, True)
    before = rev(ws)
    with pytest.raises(Closed):
        entry(ws, ws.phones[0][0], item)
    assert rev(ws) == before
    assert entry(ws, ws.mods[0], item)["entry"]["author"]  # the moderator still may


def test_marks_and_focus_need_all_three_columns(ws):
    item = advance_to(ws.chief, ws.session.id, "ikigai")
    phone, mod = ws.phones[0][0], ws.mods[0]
    want = entry(ws, phone, item, "want", "Чтобы старшие не были одни")["entry"]
    can = entry(ws, phone, item, "can", "Волонтёры-студенты")["entry"]
    need = entry(ws, phone, item, "need", "Помощь одиноким пожилым")["entry"]
    with pytest.raises(NotAllowed):
        ikigai.mark_entry(phone, {"id": want["id"], "marked": True})
    with pytest.raises(NotAllowed):
        ikigai.mark_entry(ws.mods[1], {"id": want["id"], "marked": True})
    ikigai.mark_entry(mod, {"id": want["id"], "marked": True})
    ikigai.mark_entry(mod, {"id": can["id"], "marked": True})
    before = rev(ws)
    focus = {"item_id": item.id, "initiative_id": ws.initiatives[0],
             "text": "Студенты навещают одиноких пожилых"}
    with pytest.raises(Invalid):
        ikigai.set_focus(mod, focus)  # "need" has no mark yet
    assert rev(ws) == before
    assert ikigai.mark_entry(mod, {"id": want["id"], "marked": True})["entry"]["marked"]
    assert rev(ws) == before  # marking again is a no-op
    ikigai.mark_entry(mod, {"id": need["id"], "marked": True})
    with pytest.raises(NotAllowed):
        ikigai.set_focus(phone, focus)
    saved = ikigai.set_focus(mod, focus)["focus"]
    assert saved["text"] == focus["text"]
    assert ikigai.latest_focus(ws.initiatives[0]) == focus["text"]
    again = rev(ws)
    ikigai.set_focus(mod, focus)
    assert rev(ws) == again
    ikigai.set_focus(mod, {**focus, "text": ""})  # clears
    assert ikigai.latest_focus(ws.initiatives[0]) == ""
    with pytest.raises(Invalid):
        ikigai.mark_entry(mod, {"id": want["id"], "marked": "yes"})


def test_authors_delete_their_own_and_moderators_any(ws):
    item = advance_to(ws.chief, ws.session.id, "ikigai")
    mine = entry(ws, ws.phones[0][0], item)["entry"]
    with pytest.raises(NotAllowed):
        ikigai.delete_entry(ws.phones[0][1], {"id": mine["id"]})
    assert ikigai.delete_entry(ws.phones[0][0], {"id": mine["id"]})["entry"]["deleted"]
    with pytest.raises(Conflict):
        ikigai.delete_entry(ws.mods[0], {"id": mine["id"]})
    other = entry(ws, ws.phones[0][1], item)["entry"]
    assert ikigai.delete_entry(ws.mods[0], {"id": other["id"]})["entry"]["deleted"]
    with pytest.raises(NotFound):
        ikigai.delete_entry(ws.mods[0], {"id": 99999})


def test_snapshot_shows_each_group_its_own(ws):
    item = advance_to(ws.chief, ws.session.id, "ikigai")
    entry(ws, ws.phones[0][0], item, text="Первая группа")
    entry(ws, ws.phones[1][0], item, text="Вторая группа", initiative=1)
    session = db.session.get(Session, ws.session.id)
    texts = lambda actor: {e["text"] for e in ikigai.snapshot(actor, session)["entries"]}  # noqa: E731
    assert texts(ws.phones[0][1]) == {"Первая группа"}
    assert texts(ws.mods[1]) == {"Вторая группа"}
    assert texts(ws.chief) == texts(projector_actor(ws.session.id)) == {"Первая группа",
                                                                        "Вторая группа"}


# -- stages and measures ----------------------------------------------------------------------
def test_suggestions_and_the_moderators_placement(ws):
    item = advance_to(ws.chief, ws.session.id, "stages")
    a, b = ws.phones[0]
    base = {"item_id": item.id, "initiative_id": ws.initiatives[0]}
    support.vote_stage(a, {**base, "stage": 3})
    place = support.vote_stage(b, {**base, "stage": 4})["place"]
    assert place["counts"] == {"3": 1, "4": 1} and place["stage"] is None
    place = support.vote_stage(b, {**base, "stage": 3})["place"]
    assert place["counts"] == {"3": 2}
    before = rev(ws)
    support.vote_stage(b, {**base, "stage": 3})
    assert rev(ws) == before  # the same suggestion again: nothing
    with pytest.raises(NotAllowed):
        support.vote_stage(ws.mods[0], {**base, "stage": 3})
    with pytest.raises(NotAllowed):
        support.vote_stage(ws.phones[1][0], {**base, "stage": 3})
    with pytest.raises(NotAllowed):
        support.place_stage(a, {**base, "stage": 3})
    for bad in (0, 8, "3", 2.5, True):
        with pytest.raises(Invalid):
            support.place_stage(ws.mods[0], {**base, "stage": bad})
    assert rev(ws) == before
    placed = support.place_stage(ws.mods[0], {**base, "stage": 3, "note": "Всё держится на энтузиазме"})
    assert placed["place"]["stage"] == 3 and placed["place"]["counts"] == {"3": 2}
    assert db.session.scalar(db.select(db.func.count(StagePlace.id))) == 1
    support.vote_stage(a, {**base, "stage": None})
    assert db.session.get(StagePlace, placed["place"]["id"]).stage == 3


def test_measures_from_the_matrix_and_own(ws):
    item = advance_to(ws.chief, ws.session.id, "stages")
    phone = ws.phones[0][0]
    base = {"item_id": item.id, "initiative_id": ws.initiatives[0]}
    picked = support.add_measure(phone, {**base, "client_id": cid(),
                                         "catalog_key": "financial.emergence.1"})
    assert picked["measure"]["text"] == "Гранты" and picked["measure"]["phase"] == "emergence"
    again = support.add_measure(ws.phones[0][1], {**base, "client_id": cid(),
                                                  "catalog_key": "financial.emergence.1"})
    assert again["duplicate"] and again["measure"]["id"] == picked["measure"]["id"]
    extra = support.add_measure(phone, {**base, "client_id": cid(),
                                        "catalog_key": "consulting.any.1"})
    assert extra["measure"]["phase"] == "any"
    own = support.add_measure(phone, {**base, "client_id": cid(), "measure_kind": "property",
                                      "phase": "formalization",
                                      "text": "Комната в библиотеке по вечерам"})
    assert own["measure"]["catalog_key"] is None
    before = rev(ws)
    for bad in ({"catalog_key": "financial.emergence.99"}, {"catalog_key": 5},
                {"measure_kind": "moral", "phase": "emergence", "text": "Поддержка"},
                {"measure_kind": "property", "phase": "someday", "text": "Поддержка"},
                {"measure_kind": "property", "phase": "emergence", "text": ""}):
        with pytest.raises((Invalid, NotFound)):
            support.add_measure(phone, {**base, "client_id": cid(), **bad})
    with pytest.raises(NotAllowed):
        support.add_measure(ws.phones[1][0], {**base, "client_id": cid(),
                                              "catalog_key": "financial.emergence.2"})
    assert rev(ws) == before
    assert db.session.scalar(db.select(db.func.count(SupportMeasure.id))) == 3
    with pytest.raises(NotAllowed):
        support.delete_measure(ws.phones[0][1], {"id": own["measure"]["id"]})
    support.delete_measure(phone, {"id": own["measure"]["id"]})
    support.delete_measure(ws.mods[0], {"id": picked["measure"]["id"]})
    # Picked again after removal: a new row.
    back = support.add_measure(phone, {**base, "client_id": cid(),
                                       "catalog_key": "financial.emergence.1"})
    assert not back["duplicate"]


def test_english_session_gets_english_measures(app):
    session, organizer = gen_session(template="support_workshop", language="en")
    group = gen_group(session, organizer, "Town", "Social")
    chief = user_actor(organizer, session.id)
    item3 = advance_to(chief, session.id, "clustering")
    made, _ = initiatives.create_initiative(chief, {"client_id": cid(), "item_id": item3.id,
                                                    "group_id": group.id, "name": "Hub"})
    item = advance_to(chief, session.id, "stages")
    m = support.add_measure(chief, {"client_id": cid(), "item_id": item.id,
                                    "initiative_id": made["id"],
                                    "catalog_key": "staffing.expansion.2"})
    assert m["measure"]["text"] == "Internships"
    snap = support.snapshot(chief, db.session.get(Session, session.id))
    assert snap["catalog"]["stages"][0]["name"] == "Sensing the problem"


def test_the_catalog_holds_the_seeds_table():
    c = catalog()
    assert [s["n"] for s in c["stages"]] == [1, 2, 3, 4, 5, 6, 7]
    assert c["stages"][3]["name"]["ru"] == "Формализация"
    assert c["stages"][4]["risks"]["ru"] == ["Башня из слоновой кости"]
    kinds = {m["kind"] for m in c["measures"].values()}
    assert kinds == {"financial", "property", "information", "consulting", "staffing"}
    assert len([m for m in c["measures"].values() if m["phase"] != "any"]) == 39
    assert len([m for m in c["measures"].values() if m["phase"] == "any"]) == 13


def test_only_items_of_the_kind_take_the_writes(ws):
    item3 = db.session.get(Session, ws.session.id).current_item
    with pytest.raises(Invalid):
        entry(ws, ws.mods[0], item3)
    with pytest.raises(Invalid):
        support.place_stage(ws.mods[0], {"item_id": item3.id, "initiative_id": ws.initiatives[0],
                                         "stage": 2})


def test_the_final_deck_carries_the_ikigai_focus_the_stage_and_the_measures(ws):
    """A program that ends with a deck (added in the program builder): each initiative's slide
    "results of the other tacts" says its ikigai focus and marked entries, its stage and its
    measures; a group whose initiative got none of them has no such slide."""
    from facilitation.services import decks, program
    program.add_item(ws.organizer, ws.session.id, {
        "kind": "deck", "title_ru": "Такт 8. Итоговая презентация",
        "title_en": "Tact 8. The final deck", "instructions_ru": "",
        "instructions_en": "", "day": "1", "start_time": "14:00",
        "duration_min": "30", "scope": "groups", "tact": "8"})
    item = advance_to(ws.chief, ws.session.id, "ikigai")
    phone, mod = ws.phones[0][0], ws.mods[0]
    marked = [entry(ws, phone, item, c, t)["entry"] for c, t in
              (("want", "Чтобы старшие не были одни"), ("can", "Волонтёры-студенты"),
               ("need", "Помощь одиноким пожилым"))]
    entry(ws, phone, item, "can", "Не отмеченная запись")
    for e in marked:
        ikigai.mark_entry(mod, {"id": e["id"], "marked": True})
    ikigai.set_focus(mod, {"item_id": item.id, "initiative_id": ws.initiatives[0],
                           "text": "Студенты навещают одиноких пожилых"})
    item5 = advance_to(ws.chief, ws.session.id, "stages")
    base = {"item_id": item5.id, "initiative_id": ws.initiatives[0]}
    support.place_stage(mod, {**base, "stage": 3, "note": "Всё держится на энтузиазме"})
    support.add_measure(phone, {**base, "client_id": cid(), "measure_kind": "consulting",
                                "phase": "emergence", "text": "Наставник из ресурсного центра"})
    deck_item = advance_to(ws.chief, ws.session.id, "deck")
    slides, kinds = {}, {}
    for group, actor in zip(ws.groups, ws.mods):
        data, _ = decks.assemble(actor, {"item_id": deck_item.id, "group_id": group.id})
        slides[group.id] = [s for s in data["slides"] if s["kind"] == "program"]
        kinds[group.id] = [s["kind"] for s in data["slides"]]
    first, second = slides[ws.groups[0].id], slides[ws.groups[1].id]
    assert second == []
    # the workshop has no stakeholder map, resource balance, requests or key results: the deck
    # has no slides saying they are empty
    assert kinds[ws.groups[0].id] == ["title", "trends", "initiative", "program", "team"]
    assert kinds[ws.groups[1].id] == ["title", "trends", "initiative", "team"]
    assert len(first) == 1 and first[0]["initiative_id"] == ws.initiatives[0]
    assert first[0]["title"] == "Ресурсный центр «Село»: итоги других тактов"
    body = first[0]["body"]
    for text in ("Фокус икигай: Студенты навещают одиноких пожилых", "Чтобы старшие не были одни",
                 "Волонтёры-студенты", "Помощь одиноким пожилым", "Этап развития: 3.",
                 "Всё держится на энтузиазме", "Наставник из ресурсного центра"):
        assert text in body, (text, body)
    assert "Не отмеченная запись" not in body
    # the ikigai item's lines come first, as in the program
    assert body.index("Фокус икигай") < body.index("Этап развития")
