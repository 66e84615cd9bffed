"""Tact 3: taking ideas, clustering into initiatives, stakes and List B with ties."""
import threading
import uuid
from types import SimpleNamespace

import pytest

from facilitation.extensions import db
from facilitation.models import Idea, Initiative, Selection, Session, Stake
from facilitation.services import initiatives as svc
from facilitation.services.errors import Closed, Conflict, Invalid, NotAllowed

from ..factories import advance_to, post


@pytest.fixture
def board(world):
    """Tact 2 with four ideas, then tact 3 running; group 0's moderator as `mod`."""
    ideas_item = advance_to(world.chief, world.session.id, "brainstorm")
    texts = ["Батарейки в школах", "Пункты приёма батареек", "Экотропа", "Фестиваль"]
    ideas = [post(world.actor(world.phones[n % 4]), ideas_item, t)[0]["id"]
             for n, t in enumerate(texts)]
    item = advance_to(world.chief, world.session.id, "clustering")
    group = world.groups[0]
    return SimpleNamespace(item=item, group=group, ideas=ideas,
                           mod=world.staff(world.moderators[0]),
                           phones=[p for p in world.phones if p.group_id == group.id])


def _take(b, n, **extra):
    return svc.take_idea(b.mod, {"item_id": b.item.id, "group_id": b.group.id,
                                 "idea_id": b.ideas[n], **extra})


def _initiative(b, name, selection_ids=()):
    data, _ = svc.create_initiative(b.mod, {"client_id": str(uuid.uuid4()), "item_id": b.item.id,
                                            "group_id": b.group.id, "name": name,
                                            "selection_ids": list(selection_ids)})
    return data


def _settings(b, **values):
    return svc.board_settings(b.mod, {"item_id": b.item.id, "group_id": b.group.id, **values})


def _stake(world, phone, initiative_id, count):
    return svc.set_stake(world.actor(phone), {"initiative_id": initiative_id, "count": count})


def _rev(world):
    return db.session.scalar(db.select(Session.revision).where(Session.id == world.session.id))


# -- ranking --------------------------------------------------------------------------------
def test_rank_shares_places_between_equal_totals():
    rows = [SimpleNamespace(id=i, name=f"I{i}", position=i) for i in range(1, 6)]
    ranked = svc.rank(rows, {1: 4, 2: 7, 3: 4, 4: 0, 5: 7})
    assert [(r["initiative_id"], r["rank"], r["tie"]) for r in ranked] == [
        (2, 1, True), (5, 1, True), (1, 3, True), (3, 3, True), (4, 5, False)]


# -- taking and clustering ------------------------------------------------------------------
def test_taking_an_idea_twice_is_a_no_op_and_list_a_never_changes(world, board):
    first = _take(board, 0)
    rev = _rev(world)
    again = _take(board, 0)
    assert again["id"] == first["id"] and _rev(world) == rev
    other = svc.take_idea(world.staff(world.moderators[1]), {
        "item_id": board.item.id, "group_id": world.groups[1].id, "idea_id": board.ideas[0]})
    assert other["id"] != first["id"]  # another group takes the same idea
    assert db.session.get(Idea, board.ideas[0]).deleted_at is None
    assert db.session.scalar(db.select(db.func.count(Idea.id))) == 4


def test_move_renumbers_and_the_later_move_wins(world, board):
    s = [_take(board, n)["id"] for n in range(3)]
    a = _initiative(board, "Батарейки", s[:2])
    svc.move_idea(board.mod, {"id": s[2], "initiative_id": a["id"], "position": 0})
    order = [x.id for x in db.session.scalars(db.select(Selection).where(
        Selection.initiative_id == a["id"]).order_by(Selection.position))]
    assert order == [s[2], s[0], s[1]]
    # Two devices drag the same card: each move applies in turn, the board stays consistent.
    svc.move_idea(board.mod, {"id": s[2], "initiative_id": None, "position": 0})
    svc.move_idea(board.mod, {"id": s[2], "initiative_id": a["id"], "position": 5})
    positions = [x.position for x in db.session.scalars(db.select(Selection).where(
        Selection.initiative_id == a["id"]).order_by(Selection.position))]
    assert positions == [0, 1, 2]


def test_move_into_a_dissolved_initiative_is_a_conflict_and_changes_nothing(world, board):
    s = _take(board, 0)["id"]
    a = _initiative(board, "Батарейки")
    svc.dissolve_initiative(board.mod, {"id": a["id"]})
    rev = _rev(world)
    with pytest.raises(Conflict):
        svc.move_idea(board.mod, {"id": s, "initiative_id": a["id"], "position": 0})
    assert _rev(world) == rev and db.session.get(Selection, s).initiative_id is None


def test_participants_cluster_only_when_the_moderator_allows(world, board):
    phone = world.actor(board.phones[0])
    data = {"item_id": board.item.id, "group_id": board.group.id, "idea_id": board.ideas[1]}
    with pytest.raises(NotAllowed):
        svc.take_idea(phone, data)
    _settings(board, participants_cluster=True)
    assert svc.take_idea(phone, data)["group_id"] == board.group.id
    stranger = world.actor(world.phones[-1])  # of the other group
    with pytest.raises(NotAllowed):
        svc.take_idea(stranger, data)


@pytest.mark.parametrize("name", ["", "   ", "x" * 121, "line\nbreak", "\u200b"])
def test_bad_initiative_names_are_refused(world, board, name):
    rev = _rev(world)
    with pytest.raises(Invalid):
        _initiative(board, name)
    assert _rev(world) == rev and db.session.scalar(db.select(db.func.count(Initiative.id))) == 0


def test_create_initiative_resend_is_stored_once(world, board):
    data = {"client_id": str(uuid.uuid4()), "item_id": board.item.id,
            "group_id": board.group.id, "name": "Экотропа"}
    first, created = svc.create_initiative(board.mod, dict(data))
    again, created_again = svc.create_initiative(board.mod, dict(data))
    assert created and not created_again and first["id"] == again["id"]


# -- stakes ---------------------------------------------------------------------------------
def test_stakes_respect_budget_state_and_lock(world, board):
    a, b = _initiative(board, "А"), _initiative(board, "Б")
    phone = board.phones[0]
    with pytest.raises(Closed):
        _stake(world, phone, a["id"], 1)  # staking not open yet
    _settings(board, staking="open", budget=5)
    assert _stake(world, phone, a["id"], 3)["used"] == 3
    assert _stake(world, phone, a["id"], 3)["used"] == 3  # absolute: a resend changes nothing
    with pytest.raises(Invalid) as exc:
        _stake(world, phone, b["id"], 3)
    assert "2" in str(exc.value.message)
    assert _stake(world, phone, b["id"], 2)["used"] == 5
    _settings(board, list_b_locked=True)
    with pytest.raises(Closed):
        _stake(world, phone, b["id"], 0)
    with pytest.raises(NotAllowed):  # another group's participant
        _stake(world, world.phones[-1], a["id"], 1)


def test_totals_are_hidden_from_phones_until_revealed(world, board):
    a, b = _initiative(board, "А"), _initiative(board, "Б")
    _settings(board, staking="open")
    _stake(world, board.phones[0], a["id"], 2)
    _stake(world, board.phones[1], b["id"], 2)
    _stake(world, board.phones[1], a["id"], 1)
    hidden = svc.stakes_data(board.item.id, board.group.id, with_totals=False)
    assert not hidden["revealed"] and {r["total"] for r in hidden["list_b"]} == {None}
    full = svc.stakes_data(board.item.id, board.group.id, with_totals=True)
    assert [(r["name"], r["total"], r["rank"]) for r in full["list_b"]] == [("А", 3, 1), ("Б", 2, 2)]
    _settings(board, totals_revealed=True, top_n=1)
    shown = svc.stakes_data(board.item.id, board.group.id, with_totals=False)
    assert shown["list_b"][0]["total"] == 3 and shown["focus"] == [a["id"]]


def test_merge_carries_ideas_and_stakes_and_dissolve_returns_chips(world, board):
    s = [_take(board, n)["id"] for n in range(3)]
    a = _initiative(board, "Батарейки", s[:1])
    b = _initiative(board, "Пункты приёма", s[1:2])
    c = _initiative(board, "Экотропа", s[2:])
    _settings(board, staking="open")
    _stake(world, board.phones[0], a["id"], 2)
    _stake(world, board.phones[0], b["id"], 1)
    _stake(world, board.phones[1], b["id"], 4)
    _stake(world, board.phones[1], c["id"], 1)
    svc.merge_initiatives(board.mod, {"id": b["id"], "into": a["id"], "name": "Батарейки: сбор"})
    merged = db.session.get(Initiative, b["id"])
    assert merged.deleted_at is not None and merged.merged_into_id == a["id"]
    assert db.session.get(Initiative, a["id"]).name == "Батарейки: сбор"
    assert {x.id for x in db.session.scalars(db.select(Selection).where(
        Selection.initiative_id == a["id"]))} == {s[0], s[1]}
    mine = {st.participant_id: st.count for st in db.session.scalars(
        db.select(Stake).where(Stake.initiative_id == a["id"]))}
    assert mine == {board.phones[0].id: 3, board.phones[1].id: 4}
    assert svc.mine_data(board.item.id, board.group.id, board.phones[1].id)["used"] == 5
    svc.dissolve_initiative(board.mod, {"id": c["id"]})
    assert svc.mine_data(board.item.id, board.group.id, board.phones[1].id)["used"] == 4
    assert db.session.get(Selection, s[2]).initiative_id is None


def test_fifty_stakes_at_once_never_exceed_the_budget(app, world, board):
    """One participant taps fast on two devices: 50 concurrent stake events, budget 5."""
    ids = [_initiative(board, f"Инициатива {n}")["id"] for n in range(10)]
    _settings(board, staking="open", budget=5)
    pid, sid = board.phones[0].id, world.session.id
    barrier = threading.Barrier(10)
    outcomes = []

    def tap(k):
        from facilitation.services.actors import participant_actor
        with app.app_context():
            barrier.wait()
            for n in range(5):
                try:
                    svc.set_stake(participant_actor(pid, sid),
                                  {"initiative_id": ids[(k + n) % 10], "count": 1 + (n % 2)})
                    outcomes.append("ok")
                except (Invalid, Conflict) as exc:
                    outcomes.append(type(exc).__name__)
                finally:
                    db.session.remove()

    threads = [threading.Thread(target=tap, args=(k,)) for k in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(outcomes) == 50 and "ok" in outcomes and "Invalid" in outcomes
    db.session.expire_all()
    total = db.session.scalar(db.select(db.func.sum(Stake.count)).where(Stake.participant_id == pid))
    assert total <= 5
