"""Tact 8: a group's final deck assembled from a filled session, edited by the group, refreshed
without losing edits, guarded against stale edits, and presented on the projector."""
import re
import uuid
from types import SimpleNamespace

import pytest

from facilitation.cli import build_demo
from facilitation.extensions import db
from facilitation.models import (AgendaItem, Deck, Initiative, Participant, Session, Slide, User,
                                 Trend)
from facilitation.services import decks, objectives
from facilitation.services.actors import participant_actor, projector_actor, user_actor
from facilitation.services.errors import Closed, Conflict, Invalid, NotAllowed, NotFound
from facilitation.services.teams import active_groups

from ..factories import advance_to, gen_group, gen_participant, gen_session


@pytest.fixture
def filled(app):
    """The demo run through tact 8: day-two teams, each with its assembled deck."""
    session, _pw, _mods, _experts = build_demo(filled=True, until="deck")
    session = db.session.get(Session, session.id)
    teams = active_groups(session)
    item = session.current_item
    assert item.kind == "deck"
    people = [db.session.scalars(db.select(Participant).where(Participant.group_id == t.id)
                                 .order_by(Participant.id)).all() for t in teams]
    sid = session.id
    expert = db.session.scalar(db.select(User).where(User.email == "expert1@demo.takt"))
    organizer = db.session.scalar(db.select(User).where(User.email == "organizer@demo.takt"))
    return SimpleNamespace(
        session=session, item=item, teams=teams, people=people,
        deck=lambda n: db.session.scalar(db.select(Deck).where(Deck.group_id == teams[n].id)),
        phone=lambda n, k=0: participant_actor(people[n][k].id, sid),
        mod=lambda n: user_actor(teams[n].moderators[0], sid),
        chief=user_actor(organizer, sid), expert=user_actor(expert, sid))


def _slides(deck):
    return decks.deck_data(deck)["slides"]


def _rev(session_id):
    return db.session.scalar(db.select(Session.revision).where(Session.id == session_id))


def test_the_template_assembles_everything_the_team_did(filled):
    deck = filled.deck(0)
    slides = _slides(deck)
    kinds = [s["kind"] for s in slides]
    initiatives = db.session.scalars(db.select(Initiative).where(
        Initiative.team_group_id == filled.teams[0].id)).all()
    n = len(initiatives)
    assert n >= 1
    assert kinds == (["title", "trends"] + ["initiative", "stakeholders", "balance"] * n
                     + ["requests"] + ["okr"] * n + ["team"])
    by_kind = {}
    for s in slides:
        by_kind.setdefault(s["kind"], []).append(s)
    # Everything in the session's language (Russian), the demo's edit of the title slide kept.
    assert all(re.search("[а-яё]", s["title"], re.I) for s in slides)
    assert by_kind["title"][0]["edited"] and "от идей к делу" in by_kind["title"][0]["title"]
    # Trends come from the groups the team's initiatives were made in.
    origin = initiatives[0].group_id
    trend = db.session.scalar(db.select(Trend.text).where(Trend.group_id == origin))
    assert trend in by_kind["trends"][0]["body"]
    # The initiative's slide: its List B place and stakes, with the ranked list for the bars.
    first = by_kind["initiative"][0]
    assert first["initiative_id"] in {i.id for i in initiatives}
    assert "Список Б" in first["body"] and first["data"]["list_b"]
    assert any(r["initiative_id"] == first["initiative_id"] and r["total"] > 0
               for r in first["data"]["list_b"])
    # Stakeholders with values, the balance with flows and its flagged sides, requests, OKR.
    assert " — " in by_kind["stakeholders"][0]["body"]
    assert by_kind["stakeholders"][0]["data"]["stakeholders"][0]["values"]
    assert by_kind["balance"][0]["data"]["flows"] and by_kind["balance"][0]["data"]["balance"]
    assert "✓" in by_kind["requests"][0]["body"]  # a proposed solution
    assert any("→" in s["body"] for s in by_kind["okr"])  # baseline → target of a key result
    for person in filled.people[0]:
        assert person.display_name in by_kind["team"][0]["body"]


def test_refresh_keeps_what_the_group_edited_and_follows_the_data(filled):
    deck = filled.deck(0)
    phone = filled.phone(0)
    trends = next(s for s in _slides(deck) if s["kind"] == "trends")
    edited = decks.edit_slide(phone, {"id": trends["id"], "base": trends["text_rev"],
                                      "title": "Что меняется вокруг нас",
                                      "body": "• Спрос на практику\n• Гранты доступнее"})
    assert edited["edited"] and edited["editor"] == filled.people[0][0].display_name
    team_slide = next(s for s in _slides(deck) if s["kind"] == "team")
    decks.delete_slide(phone, {"id": team_slide["id"]})
    okr = next(s for s in _slides(deck) if s["kind"] == "okr")
    objectives.add_objective(filled.mod(0), {
        "client_id": str(uuid.uuid4()), "item_id": next(
            i.id for i in filled.session.items if i.kind == "okr"),
        "initiative_id": okr["initiative_id"], "text": "Лаборатория открыта для всех школ"})
    data, created = decks.assemble(phone, {"item_id": filled.item.id,
                                           "group_id": filled.teams[0].id})
    assert not created
    after = {s["id"]: s for s in data["slides"]}
    assert after[trends["id"]]["title"] == "Что меняется вокруг нас"  # the edit stays
    assert "Лаборатория открыта для всех школ" in after[okr["id"]]["body"]  # the data follows
    assert team_slide["id"] not in after  # a deleted slide does not come back
    assert db.session.get(Slide, team_slide["id"]).deleted_at is not None


def test_a_stale_edit_is_a_conflict_and_writes_nothing(filled):
    deck = filled.deck(0)
    a, b = filled.phone(0, 0), filled.phone(0, 1)
    slide = next(s for s in _slides(deck) if s["kind"] == "trends")
    base = slide["text_rev"]
    first = decks.edit_slide(a, {"id": slide["id"], "base": base, "title": "Тренды A",
                                 "body": "текст A"})
    # A's second save may still carry the old base (its first is on its way): it is theirs.
    again = decks.edit_slide(a, {"id": slide["id"], "base": base, "title": "Тренды A2",
                                 "body": "текст A2"})
    assert again["text_rev"] > first["text_rev"] > base
    before = _rev(filled.session.id)
    with pytest.raises(Conflict) as exc:
        decks.edit_slide(b, {"id": slide["id"], "base": base, "title": "Тренды B",
                             "body": "текст B"})
    assert filled.people[0][0].display_name in str(exc.value.message)
    db.session.rollback()
    stored = db.session.get(Slide, slide["id"])
    assert (stored.title, stored.body) == ("Тренды A2", "текст A2")
    assert _rev(filled.session.id) == before
    # With the current base B's edit goes through.
    ok = decks.edit_slide(b, {"id": slide["id"], "base": again["text_rev"], "title": "Тренды B",
                              "body": "текст B"})
    assert ok["editor"] == filled.people[0][1].display_name


@pytest.mark.parametrize("who", ["other_team", "other_session", "expert", "projector"])
def test_only_the_group_edits_its_deck(filled, who):
    slide = _slides(filled.deck(0))[1]
    if who == "other_team":
        actor = filled.phone(1)
    elif who == "other_session":
        other, organizer = gen_session(title="Другая сессия")
        actor = participant_actor(gen_participant(other, gen_group(other, organizer)).id, other.id)
    elif who == "expert":
        actor = filled.expert
    else:
        actor = projector_actor(filled.session.id)
    before = _rev(filled.session.id)
    for call, data in ((decks.edit_slide, {"id": slide["id"], "base": slide["text_rev"],
                                           "title": "Чужая правка", "body": ""}),
                       (decks.delete_slide, {"id": slide["id"]}),
                       (decks.move_slide, {"id": slide["id"], "position": 0}),
                       (decks.assemble, {"item_id": filled.item.id,
                                         "group_id": filled.teams[0].id})):
        with pytest.raises((NotAllowed, NotFound)) as exc:
            call(actor, data)
        assert str(exc.value.message)
        db.session.rollback()
    assert _rev(filled.session.id) == before
    assert db.session.get(Slide, slide["id"]).title == slide["title"]


@pytest.mark.parametrize("title,body,message", [
    ("", "текст", "пусто"), ("x" * 121, "", "121"), ("Заголовок", "y" * 2001, "2001"),
    ("Заго\u202eловок", "", "невидим"), ("Заголовок", "строка\x07", "управляющ"),
])
def test_bad_text_gets_a_clear_message_and_changes_nothing(filled, title, body, message):
    slide = _slides(filled.deck(0))[1]
    before = _rev(filled.session.id)
    with pytest.raises(Invalid) as exc:
        decks.edit_slide(filled.phone(0), {"id": slide["id"], "base": slide["text_rev"],
                                           "title": title, "body": body})
    assert message in str(exc.value.message).lower()
    assert _rev(filled.session.id) == before
    assert db.session.get(Slide, slide["id"]).title == slide["title"]


def test_add_move_delete_and_an_idempotent_add(filled):
    deck = filled.deck(0)
    phone = filled.phone(0)
    first = _slides(deck)[0]
    client_id = str(uuid.uuid4())
    data, created = decks.add_slide(phone, {"client_id": client_id, "deck_id": deck.id,
                                            "after": first["id"], "title": "Почему мы",
                                            "body": "Нас шестеро, и мы уже начали"})
    again, created_again = decks.add_slide(phone, {"client_id": client_id, "deck_id": deck.id,
                                                   "after": first["id"], "title": "Почему мы",
                                                   "body": ""})
    assert created and not created_again
    assert [s["title"] for s in data["slides"]][1] == "Почему мы"
    assert len(again["slides"]) == len(data["slides"])
    free = data["slides"][1]
    assert free["kind"] == "free" and free["edited"]
    moved = decks.move_slide(filled.mod(0), {"id": free["id"], "position": 99})
    assert moved["slides"][-1]["id"] == free["id"]
    assert [s["position"] for s in moved["slides"]] == list(range(len(moved["slides"])))
    decks.delete_slide(phone, {"id": free["id"]})
    assert free["id"] not in {s["id"] for s in _slides(deck)}
    with pytest.raises(Conflict):
        decks.edit_slide(phone, {"id": free["id"], "base": 0, "title": "x", "body": ""})


def test_participants_edit_while_the_tact_runs_moderators_any_time(filled):
    slide = _slides(filled.deck(0))[1]
    advance_to(filled.chief, filled.session.id, "experts")
    with pytest.raises(Closed):
        decks.edit_slide(filled.phone(0), {"id": slide["id"], "base": slide["text_rev"],
                                           "title": "Поздно", "body": ""})
    db.session.rollback()
    out = decks.edit_slide(filled.mod(0), {"id": slide["id"], "base": slide["text_rev"],
                                           "title": "Модератор правит в экспертной сессии",
                                           "body": slide["body"]})
    assert out["edited"]


def test_presenting_slide_by_slide(filled):
    count = len(_slides(filled.deck(0)))
    state = decks.present(filled.chief, {"group_id": filled.teams[0].id, "index": 99})
    assert state == {"mode": "deck", "group_id": filled.teams[0].id, "slide": count - 1,
                     "initiative_id": None}
    state = decks.present(filled.mod(0), {"group_id": filled.teams[0].id, "index": 1})
    assert state["slide"] == 1
    # Another team's moderator does not take the projector; the chief moderator does.
    with pytest.raises(Conflict):
        decks.present(filled.mod(1), {"group_id": filled.teams[1].id, "index": 0})
    db.session.rollback()
    with pytest.raises(NotAllowed):
        decks.present(filled.mod(1), {"group_id": filled.teams[0].id, "index": 2})
    for actor in (filled.phone(0), filled.expert):
        with pytest.raises(NotAllowed):
            decks.present(actor, {"group_id": filled.teams[0].id, "index": 2})
    with pytest.raises(Invalid):
        decks.present(filled.chief, {"group_id": filled.teams[0].id, "index": "2"})
    db.session.rollback()
    assert decks.present(filled.chief, {"group_id": filled.teams[1].id, "index": 0})[
        "group_id"] == filled.teams[1].id
    session = db.session.get(Session, filled.session.id)
    assert (session.projector_mode, session.projector_slide) == ("deck", 0)


def test_a_group_without_a_deck_is_told_to_assemble_first(app):
    from ..factories import gen_world
    world = gen_world()
    item = advance_to(world.chief, world.session.id, "deck")
    with pytest.raises(NotFound) as exc:
        decks.present(world.chief, {"group_id": world.groups[0].id, "index": 0})
    assert str(exc.value.message)
    db.session.rollback()
    # A group with no work yet still gets its title, trends, requests and team slides.
    data, created = decks.assemble(world.actor(world.phones[0]),
                                   {"item_id": item.id, "group_id": world.groups[0].id})
    assert created and [s["kind"] for s in data["slides"]] == ["title", "trends", "requests", "team"]
    assert db.session.get(AgendaItem, item.id).kind == "deck"
