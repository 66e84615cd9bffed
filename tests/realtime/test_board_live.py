"""Socket.IO for tacts 3–5: groups stay apart, hidden totals, moderator-only events, snapshots."""
import uuid

from facilitation.extensions import db
from facilitation.models import GroupBoard, Stake
from facilitation.realtime.publish import NAMESPACE as NS

from ..factories import advance_to, post


def _events(client, type_=None):
    got = [m["args"][0] for m in client.get_received(NS) if m["name"] == "event"]
    return [e for e in got if type_ is None or e["type"] == type_]


def _emit(client, event, data):
    return client.emit(event, data, namespace=NS, callback=True)


def _setup(world, live):
    item = advance_to(world.chief, world.session.id, "clustering")
    g0, g1 = world.groups
    mod0 = live(user=world.moderators[0], session=world.session)
    p0 = [live(participant=p) for p in world.phones if p.group_id == g0.id]
    p1 = live(participant=next(p for p in world.phones if p.group_id == g1.id))
    projector = live(projector_of=world.session)
    clients = [mod0, *p0, p1, projector]
    for c in clients:
        c.get_received(NS)
    return item, g0, mod0, p0, p1, projector


def test_board_events_stay_in_the_group_and_totals_stay_hidden(world, live):
    item, g0, mod0, p0, p1, projector = _setup(world, live)
    ack = _emit(mod0, "create_initiative", {"client_id": str(uuid.uuid4()), "item_id": item.id,
                                            "group_id": g0.id, "name": "Экотропа"})
    assert ack["ok"] and not ack["duplicate"]
    initiative = ack["initiative"]["id"]
    assert _emit(mod0, "board_settings", {"item_id": item.id, "group_id": g0.id,
                                          "staking": "open"})["ok"]
    for c in (mod0, *p0, p1, projector):
        c.get_received(NS)
    ack = _emit(p0[0], "set_stake", {"item_id": item.id, "initiative_id": initiative, "count": 3})
    assert ack["ok"] and ack["mine"]["used"] == 3
    mine = _events(p0[0], "stakes.mine")
    assert mine and mine[-1]["data"]["stakes"] == {str(initiative): 3}
    other_phone = _events(p0[1])
    # Totals hidden: a stake changes nothing the rest of the group sees; moderators get totals.
    assert not [e for e in other_phone if e["type"] in ("stakes.mine", "stakes.changed")]
    mod_view = _events(mod0, "stakes.changed")
    assert mod_view and mod_view[-1]["data"]["list_b"][0]["total"] == 3
    # Revealed: the group and the projector see the totals; the moderator keeps them.
    assert _emit(mod0, "board_settings", {"item_id": item.id, "group_id": g0.id,
                                          "totals_revealed": True})["ok"]
    assert _events(p0[1], "stakes.changed")[-1]["data"]["list_b"][0]["total"] == 3
    assert _events(mod0, "stakes.changed")[-1]["data"]["list_b"][0]["total"] == 3
    _emit(mod0, "board_settings", {"item_id": item.id, "group_id": g0.id,
                                   "totals_revealed": False})
    assert _events(p0[1], "stakes.changed")[-1]["data"]["list_b"][0]["total"] is None
    assert all(e["data"]["list_b"][0]["total"] == 3 for e in _events(mod0, "stakes.changed"))
    assert _events(p1) == []  # the other group hears nothing
    assert _events(projector, "stakes.changed")[-1]["data"]["list_b"][0]["total"] is None


def test_participants_cannot_send_moderator_events(world, live):
    item, g0, mod0, p0, p1, projector = _setup(world, live)
    for event, data in [("board_settings", {"item_id": item.id, "group_id": g0.id,
                                            "list_b_locked": True}),
                        ("merge_initiatives", {"id": 1, "into": 2}),
                        ("present", {"item_id": item.id, "group_id": g0.id})]:
        ack = _emit(p0[0], event, data)
        assert not ack["ok"] and ack["code"] in ("forbidden", "not_found"), (event, ack)
        assert ack["error"]
    assert db.session.scalar(db.select(db.func.count(GroupBoard.id))) == 0


def test_a_participant_cannot_stake_in_another_group(world, live):
    item, g0, mod0, p0, p1, projector = _setup(world, live)
    initiative = _emit(mod0, "create_initiative", {
        "client_id": str(uuid.uuid4()), "item_id": item.id, "group_id": g0.id,
        "name": "Экотропа"})["initiative"]["id"]
    _emit(mod0, "board_settings", {"item_id": item.id, "group_id": g0.id, "staking": "open"})
    ack = _emit(p1, "set_stake", {"item_id": item.id, "initiative_id": initiative, "count": 1})
    assert not ack["ok"] and ack["code"] == "forbidden"
    assert db.session.scalar(db.select(db.func.count(Stake.id))) == 0


def test_snapshot_holds_only_the_own_groups_board(world, live):
    item, g0, mod0, p0, p1, projector = _setup(world, live)
    _emit(mod0, "create_initiative", {"client_id": str(uuid.uuid4()), "item_id": item.id,
                                      "group_id": g0.id, "name": "Экотропа"})
    snap = _emit(p1, "sync", {"rev": -1})["snapshot"]["board"]
    assert snap["initiatives"] == []
    snap = _emit(p0[0], "sync", {"rev": -1})["snapshot"]["board"]
    assert [i["name"] for i in snap["initiatives"]] == ["Экотропа"]
    assert snap["mine"][0]["budget"] == 5
    projector_snap = _emit(projector, "sync", {"rev": -1})["snapshot"]["board"]
    assert len(projector_snap["stakes"]) == 2  # every group's List B, totals masked
    assert all(r["total"] is None for s in projector_snap["stakes"] for r in s["list_b"])


def test_present_puts_a_group_on_the_projector_with_its_turn(world, live):
    item = advance_to(world.chief, world.session.id, "presentation")
    chief = live(user=world.organizer, session=world.session)
    projector = live(projector_of=world.session)
    projector.get_received(NS)
    ack = _emit(chief, "present", {"item_id": item.id, "group_id": world.groups[1].id})
    assert ack["ok"] and ack["projector"] == {"mode": "present", "group_id": world.groups[1].id,
                                              "slide": 0, "initiative_id": None}
    assert _events(projector, "projector.changed")[-1]["data"]["mode"] == "present"
    db.session.refresh(item)
    assert item.timer_duration_s == item.duration_min * 60 // 2 and item.timer_started_at


def test_a_created_initiatives_ack_carries_the_ideas_it_took(world, live):
    """The board that makes an initiative from taken ideas shows them in it at once: the ack
    holds the selections (their broadcasts may arrive after it), also when a resend is answered."""
    ideas_item = advance_to(world.chief, world.session.id, "brainstorm")
    ideas = [post(world.actor(world.phones[0]), ideas_item, text)[0]["id"]
             for text in ("Батарейки в школах", "Пункты приёма батареек", "Экотропа")]
    item, g0, mod0, p0, p1, projector = _setup(world, live)
    taken = [_emit(mod0, "take_idea", {"item_id": item.id, "group_id": g0.id, "idea_id": i})
             ["selection"]["id"] for i in ideas]
    data = {"client_id": str(uuid.uuid4()), "item_id": item.id, "group_id": g0.id,
            "name": "Батарейки", "selection_ids": [taken[1], taken[0]]}
    ack = _emit(mod0, "create_initiative", data)
    assert ack["ok"] and not ack["duplicate"]
    assert [(s["id"], s["initiative_id"]) for s in ack["selections"]] == [
        (taken[1], ack["initiative"]["id"]), (taken[0], ack["initiative"]["id"])]
    again = _emit(mod0, "create_initiative", data)
    assert again["duplicate"] and again["selections"] == ack["selections"]
    empty = _emit(mod0, "create_initiative", {**data, "client_id": str(uuid.uuid4()),
                                              "name": "Пусто", "selection_ids": []})
    assert empty["ok"] and empty["selections"] == []
