"""Posting, editing, merging and hiding cards; bad input changes nothing."""
import uuid

import pytest

from facilitation.extensions import db
from facilitation.models import Change, Idea, Trend
from facilitation.services import agenda, cards
from facilitation.services.errors import Closed, Conflict, Invalid, NotAllowed

from ..factories import advance_to, post


def _count(model):
    return db.session.scalar(db.select(db.func.count(model.id)))


@pytest.fixture
def tact1(world):
    return advance_to(world.chief, world.session.id, "trends")


def test_trend_goes_into_own_group(world, tact1):
    phone = world.phones[0]
    card, created = post(world.actor(phone), tact1, "Рост интереса к экотуризму")
    assert created
    assert card["group_id"] == phone.group_id
    assert card["author"] == phone.display_name
    assert card["rev"] == db.session.get(type(world.session), world.session.id).revision


def test_resend_with_same_client_id_is_stored_once(world, tact1):
    actor = world.actor(world.phones[0])
    data = {"client_id": str(uuid.uuid4()), "item_id": tact1.id, "text": "Тренд"}
    first, created1 = cards.create_card(actor, data)
    rev_after_first = db.session.scalar(db.select(db.func.max(Change.rev)))
    for _ in range(5):
        again, created = cards.create_card(actor, dict(data))
        assert not created and again["id"] == first["id"]
    assert created1 and _count(Trend) == 1
    assert db.session.scalar(db.select(db.func.max(Change.rev))) == rev_after_first


def test_someone_elses_client_id_is_refused(world, tact1):
    data = {"client_id": str(uuid.uuid4()), "item_id": tact1.id, "text": "Тренд"}
    cards.create_card(world.actor(world.phones[0]), data)
    with pytest.raises(Conflict):
        cards.create_card(world.actor(world.phones[1]), dict(data))


@pytest.mark.parametrize("text", [
    "", "   ", "\n\t ", "\u200b\u200b", "x" * 301, "bad\x00byte", "bell\x07", "esc\x1b[31m",
    "zero\u200bwidth", "\u202eoverride", "\ufeffbom",
])
def test_bad_text_is_refused_and_nothing_is_written(world, tact1, text):
    rev = world.session.revision
    with pytest.raises(Invalid) as exc:
        post(world.actor(world.phones[0]), tact1, text)
    assert exc.value.field == "text" and str(exc.value.message)
    db.session.refresh(world.session)
    assert _count(Trend) == 0 and world.session.revision == rev


@pytest.mark.parametrize("text", [
    "<script>alert(1)</script>", "Экология 🌱👩‍👩‍👧", "ESG-повестка и green jobs",
    "'; DROP TABLE trends; --", "=HYPERLINK(\"x\")", "x" * 300, "две\nстроки",
])
def test_hostile_or_unusual_text_is_stored_verbatim(world, tact1, text):
    card, _ = post(world.actor(world.phones[0]), tact1, text)
    assert db.session.get(Trend, card["id"]).text == text


def test_whitespace_around_text_is_trimmed(world, tact1):
    card, _ = post(world.actor(world.phones[0]), tact1, "  тренд  \n")
    assert card["text"] == "тренд"


def test_idea_in_a_trends_tact_goes_nowhere_else(world, tact1):
    """A participant cannot post into another group, even by naming it."""
    other = world.groups[1].id
    with pytest.raises(NotAllowed):
        post(world.actor(world.phones[0]), tact1, "чужая группа", group_id=other)
    assert _count(Trend) == 0


def test_post_into_finished_or_locked_tact_is_refused(world, tact1):
    actor = world.actor(world.phones[0])
    agenda.set_locked(world.chief, tact1.id, True)
    with pytest.raises(Closed):
        post(actor, tact1, "поздно")
    agenda.set_locked(world.chief, tact1.id, False)
    advance_to(world.chief, world.session.id, "brainstorm")
    with pytest.raises(Closed):
        post(actor, tact1, "поздно")
    assert _count(Trend) == 0


def test_post_into_a_future_item_is_refused(world):
    item = next(i for i in world.session.items if i.kind == "brainstorm")
    with pytest.raises(Closed):
        post(world.actor(world.phones[0]), item, "рано")
    assert _count(Idea) == 0


def test_author_edits_and_deletes_until_locked(world, tact1):
    actor = world.actor(world.phones[0])
    card, _ = post(actor, tact1, "черновик")
    edited = cards.update_card(actor, {"kind": "trend", "id": card["id"], "text": "итог"})
    assert edited["text"] == "итог" and edited["rev"] > card["rev"]
    with pytest.raises(NotAllowed):
        cards.update_card(world.actor(world.phones[1]), {"kind": "trend", "id": card["id"],
                                                         "text": "чужое"})
    agenda.set_locked(world.chief, tact1.id, True)
    with pytest.raises(Closed):
        cards.delete_card(actor, {"kind": "trend", "id": card["id"]})
    assert db.session.get(Trend, card["id"]).text == "итог"


def test_group_moderator_merges_only_in_own_group(world, tact1):
    a, _ = post(world.actor(world.phones[0]), tact1, "батарейки в школах")
    b, _ = post(world.actor(world.phones[1]), tact1, "приём батареек в школах")
    other_mod = world.staff(world.moderators[1])
    with pytest.raises(NotAllowed):
        cards.merge_cards(other_mod, {"kind": "trend", "id": a["id"], "into": b["id"]})
    result = cards.merge_cards(world.staff(world.moderators[0]),
                               {"kind": "trend", "id": a["id"], "into": b["id"],
                                "text": "Сбор батареек в школах"})
    assert result["merged"]["deleted"] and result["merged"]["merged_into"] == b["id"]
    assert db.session.get(Trend, b["id"]).text == "Сбор батареек в школах"


def test_hidden_cards_are_seen_by_author_and_moderators_until_revealed(world, tact1):
    agenda.set_hidden(world.chief, tact1.id, True)
    author, neighbour = world.actor(world.phones[0]), world.actor(world.phones[1])
    card, _ = post(author, tact1, "секрет")
    assert [c["id"] for c in cards.visible_cards(author)] == [card["id"]]
    assert cards.visible_cards(neighbour) == []
    assert [c["id"] for c in cards.visible_cards(world.staff(world.moderators[0]))] == [card["id"]]
    agenda.set_hidden(world.chief, tact1.id, False)
    assert [c["id"] for c in cards.visible_cards(neighbour)] == [card["id"]]


def test_other_group_never_sees_my_trends(world, tact1):
    post(world.actor(world.phones[0]), tact1, "наш тренд")
    assert cards.visible_cards(world.actor(world.phones[2])) == []


def test_hiding_keeps_earlier_posts_visible(world, tact1):
    """"Hide new posts" hides what comes after it, never what the room has already seen."""
    neighbour = world.actor(world.phones[1])
    before, _ = post(world.actor(world.phones[0]), tact1, "до скрытия")
    agenda.set_hidden(world.chief, tact1.id, True)
    after, _ = post(world.actor(world.phones[0]), tact1, "после скрытия")
    assert [c["id"] for c in cards.visible_cards(neighbour)] == [before["id"]]
    projector = world.staff(world.organizer)
    assert {c["id"] for c in cards.visible_cards(projector)} == {before["id"], after["id"]}
