"""Merging two ideas of List A in tact 3: every group's selection of the merged-away idea follows
it to the kept idea (or gives way to the group's own selection of it), live and replayable, and
no chip moves or disappears."""
import uuid
from types import SimpleNamespace

import pytest

from facilitation.extensions import db
from facilitation.models import Selection, Session, Stake
from facilitation.realtime.publish import NAMESPACE as NS
from facilitation.services import cards, sync
from facilitation.services import initiatives as svc

from ..factories import advance_to, post

TEXTS = ["Батарейки в школах", "Пункты приёма батареек в школах", "Экотропа"]


@pytest.fixture
def hall(world):
    """Tact 2 with three ideas, tact 3 running; each group's moderator as mods[n]."""
    item_a = advance_to(world.chief, world.session.id, "brainstorm")
    ideas = [post(world.actor(world.phones[n]), item_a, t)[0]["id"] for n, t in enumerate(TEXTS)]
    item = advance_to(world.chief, world.session.id, "clustering")
    return SimpleNamespace(item=item, ideas=ideas, groups=world.groups,
                           mods=[world.staff(m) for m in world.moderators])


def _take(h, g, n, initiative_id=None):
    return svc.take_idea(h.mods[g], {"item_id": h.item.id, "group_id": h.groups[g].id,
                                     "idea_id": h.ideas[n], "initiative_id": initiative_id})["id"]


def _initiative(h, g, name, selection_ids=()):
    data, _ = svc.create_initiative(h.mods[g], {
        "client_id": str(uuid.uuid4()), "item_id": h.item.id, "group_id": h.groups[g].id,
        "name": name, "selection_ids": list(selection_ids)})
    return data["id"]


def _merge(h, g, source, into, **extra):
    return cards.merge_cards(h.mods[g], {"kind": "idea", "id": h.ideas[source],
                                         "into": h.ideas[into], **extra})


def _sel(selection_id):
    db.session.expire_all()
    return db.session.get(Selection, selection_id)


def _revision(world):
    db.session.expire_all()
    return db.session.get(Session, world.session.id).revision


def test_another_groups_selection_points_at_the_kept_idea_in_the_same_place(world, hall):
    # Group 0 holds both ideas; group 1 only the one merged away, in an initiative.
    g0_keep, g0_dup = _take(hall, 0, 1), _take(hall, 0, 0)
    g1_dup = _take(hall, 1, 0)
    g1_init = _initiative(hall, 1, "Сбор батареек", [g1_dup])
    before = _revision(world)
    result = _merge(hall, 0, 0, 1, text="Сбор батареек в школах")
    moved = _sel(g1_dup)
    assert moved.deleted_at is None and moved.idea_id == hall.ideas[1]
    assert moved.initiative_id == g1_init
    # The merging group keeps one selection of the idea: its own, where it was.
    assert _sel(g0_dup).deleted_at is not None and _sel(g0_keep).deleted_at is None
    # Two selection events plus the two cards', each under its own revision.
    assert _revision(world) == before + 4
    assert {s["id"] for s in result["selections"]} == {g0_dup}  # group 0's moderator: own group
    # Group 1's board replays it on reconnect, and never sees group 0's rows.
    events = sync.since(hall.mods[1], before, 500)
    rows = [e["data"] for e in events if e["type"] == "selection.changed"]
    assert rows == [{**rows[0], "id": g1_dup, "idea_id": hall.ideas[1], "initiative_id": g1_init,
                     "deleted": False}]
    assert [e["type"] for e in events][-2:] == ["card.deleted", "card.updated"]
    assert [e["rev"] for e in events] == sorted(e["rev"] for e in events)


def test_a_group_holding_both_keeps_the_initiative_placement(world, hall):
    keep = _take(hall, 1, 1)  # in the pool
    dup = _take(hall, 1, 0)
    other = _take(hall, 1, 2)
    init = _initiative(hall, 1, "Батарейки", [other, dup])
    placed = _sel(dup).position
    _merge(hall, 0, 0, 1)
    assert _sel(dup).deleted_at is not None and _sel(dup).initiative_id is None
    kept = _sel(keep)
    assert kept.deleted_at is None and kept.initiative_id == init and kept.position == placed
    ids = [s.id for s in db.session.scalars(db.select(Selection).where(
        Selection.initiative_id == init, Selection.deleted_at.is_(None))
        .order_by(Selection.position))]
    assert ids == [other, keep]


def test_a_group_with_both_placed_keeps_its_own_and_the_chips_stay(world, hall):
    keep, dup = _take(hall, 1, 1), _take(hall, 1, 0)
    a = _initiative(hall, 1, "А", [keep])
    b = _initiative(hall, 1, "Б", [dup])
    svc.board_settings(hall.mods[1], {"item_id": hall.item.id, "group_id": hall.groups[1].id,
                                      "staking": "open", "budget": 5})
    phone = next(p for p in world.phones if p.group_id == hall.groups[1].id)
    svc.set_stake(world.actor(phone), {"initiative_id": a, "count": 2})
    svc.set_stake(world.actor(phone), {"initiative_id": b, "count": 3})
    _merge(hall, 0, 0, 1)
    assert _sel(keep).initiative_id == a and _sel(keep).deleted_at is None
    assert _sel(dup).deleted_at is not None
    # Chips lie on initiatives: both keep theirs and the budget used is unchanged.
    stakes = {s.initiative_id: s.count for s in db.session.scalars(
        db.select(Stake).where(Stake.participant_id == phone.id))}
    assert stakes == {a: 2, b: 3}
    assert svc.mine_data(hall.item.id, hall.groups[1].id, phone.id)["used"] == 5


def test_a_group_that_had_dropped_the_kept_idea_gets_its_row_back(world, hall):
    old = _take(hall, 1, 1)
    svc.drop_idea(hall.mods[1], {"id": old})
    dup = _take(hall, 1, 0)
    init = _initiative(hall, 1, "Батарейки", [dup])
    _merge(hall, 0, 0, 1)
    assert _sel(old).deleted_at is None and _sel(old).initiative_id == init
    assert _sel(dup).deleted_at is not None
    live = db.session.scalars(db.select(Selection).where(
        Selection.group_id == hall.groups[1].id, Selection.deleted_at.is_(None))).all()
    assert [s.idea_id for s in live] == [hall.ideas[1]]


def test_ideas_nobody_took_change_no_selection(world, hall):
    before = _revision(world)
    result = _merge(hall, 0, 0, 1)
    assert result["selections"] == [] and _revision(world) == before + 2


def test_the_other_groups_board_gets_the_change_live(world, hall, live):
    dup = _take(hall, 1, 0)
    _initiative(hall, 1, "Батарейки", [dup])
    mod1 = live(user=world.moderators[1], session=world.session)
    mod0 = live(user=world.moderators[0], session=world.session)
    mod1.get_received(NS)
    ack = mod0.emit("merge_cards", {"kind": "idea", "id": hall.ideas[0], "into": hall.ideas[1]},
                    namespace=NS, callback=True)
    assert ack["ok"] and ack["selections"] == []
    got = [m["args"][0] for m in mod1.get_received(NS) if m["name"] == "event"]
    types = [e["type"] for e in got]
    assert types == ["selection.changed", "card.deleted", "card.updated"]
    assert got[0]["data"]["id"] == dup and got[0]["data"]["idea_id"] == hall.ideas[1]
