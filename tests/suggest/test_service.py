"""The `suggest` socket event and its service: who may ask, what it proposes, that it writes
nothing, and that a proposal goes through the ordinary events when accepted."""
import uuid

from facilitation.extensions import db
from facilitation.models import Session
from facilitation.realtime.publish import NAMESPACE as NS
from facilitation.services import initiatives
from facilitation.services.actors import user_actor
from facilitation.suggest.method import name_of

from ..factories import advance_to, post

IDEAS = ["Раздельный сбор батареек в школах", "Пункты приёма батареек в школах",
         "Стерилизация бездомных собак и кошек", "Программа стерилизации бездомных животных",
         "Приют для бездомных животных с волонтёрами", "Экоуроки в школах",
         "Уроки экологии для школьников", "Кофе"]


def _emit(client, event, data):
    return client.emit(event, data, namespace=NS, callback=True)


def _brainstorm(world):
    item = advance_to(world.chief, world.session.id, "brainstorm")
    phone = world.actor(world.phones[0])
    ids = [post(phone, item, text)[0]["id"] for text in IDEAS]
    return item, ids


def _revision(world):
    db.session.expire_all()
    return db.session.get(Session, world.session.id).revision


def test_only_moderators_ask_and_only_for_their_group(world, live):
    item, _ = _brainstorm(world)
    g0, g1 = world.groups
    phone = live(participant=world.phones[0])
    projector = live(projector_of=world.session)
    mod1 = live(user=world.moderators[1], session=world.session)
    for client in (phone, projector):
        ack = _emit(client, "suggest", {"item_id": item.id})
        assert not ack["ok"] and ack["code"] == "forbidden"
    ack = _emit(mod1, "suggest", {"item_id": item.id, "group_id": g0.id})
    assert not ack["ok"] and ack["code"] == "forbidden"
    assert _emit(mod1, "suggest", {"item_id": item.id, "group_id": g1.id})["ok"]
    # Another kind of item, or none, is refused with a reason.
    trends = next(i for i in world.session.items if i.kind == "trends")
    assert _emit(mod1, "suggest", {"item_id": trends.id})["code"] == "invalid"
    assert _emit(mod1, "suggest", {"item_id": 10 ** 9})["code"] == "not_found"


def test_list_a_duplicates_are_proposed_and_nothing_is_written(world, live):
    item, ids = _brainstorm(world)
    mod0 = live(user=world.moderators[0], session=world.session)
    mod0.get_received(NS)
    before = _revision(world)
    ack = _emit(mod0, "suggest", {"item_id": item.id})
    assert ack["ok"], ack
    s = ack["suggestions"]
    assert s["kind"] == "brainstorm" and s["considered"] == len(IDEAS) and s["clusters"] == []
    groups = [d["idea_ids"] for d in s["duplicates"]]
    assert [ids[5], ids[6]] in groups
    assert all(ids[7] not in g for g in groups)
    assert _revision(world) == before
    assert not [m for m in mod0.get_received(NS) if m["name"] == "event"]
    # Accepting is the ordinary merge.
    ack = _emit(mod0, "merge_cards", {"kind": "idea", "id": ids[6], "into": ids[5],
                                      "text": "Экоуроки для школьников"})
    assert ack["ok"] and ack["merged"]["deleted"]


def test_tact_3_proposes_new_initiatives_and_moves_into_existing_ones(world, live):
    _, ids = _brainstorm(world)
    item = advance_to(world.chief, world.session.id, "clustering")
    g0 = world.groups[0]
    staff = user_actor(world.moderators[0], world.session.id)
    sels = [initiatives.take_idea(staff, {"item_id": item.id, "group_id": g0.id, "idea_id": i})["id"]
            for i in ids]
    animals, _ = initiatives.create_initiative(staff, {
        "client_id": str(uuid.uuid4()), "item_id": item.id, "group_id": g0.id,
        "name": "Животные", "selection_ids": [sels[2], sels[3]]})
    mod0 = live(user=world.moderators[0], session=world.session)
    before = _revision(world)
    ack = _emit(mod0, "suggest", {"item_id": item.id, "group_id": g0.id})
    assert ack["ok"], ack
    s = ack["suggestions"]
    assert s["kind"] == "clustering" and s["considered"] == len(IDEAS)
    assert _revision(world) == before
    by_action = {}
    for c in s["clusters"]:
        by_action.setdefault(c["action"], []).append(c)
    move = by_action["move"]
    assert [(c["initiative_id"], c["selection_ids"]) for c in move] == [(animals["id"], [sels[4]])]
    created = [sorted(c["selection_ids"]) for c in by_action["create"]]
    assert sorted([sels[0], sels[1]]) in created or any(
        {sels[0], sels[1]} <= set(c) for c in created)
    assert all(sels[7] not in c["selection_ids"] for c in s["clusters"])
    dup = next(d for d in s["duplicates"] if ids[5] in d["idea_ids"])
    assert dup["selection_ids"] == [sels[5], sels[6]]
    # The name's parts, each with the cluster's ideas that have it: the board renames a proposal
    # an idea was left out of by them.
    for c in s["clusters"]:
        assert name_of([p["label"] for p in c["parts"]]) == c["name"], c
        cluster_ideas = set(c["idea_ids"]) | {ids[2], ids[3]}   # a move's ideas placed already
        assert all(len(p["idea_ids"]) >= 2 and set(p["idea_ids"]) <= cluster_ideas
                   for p in c["parts"]), c
    # Accepting a cluster is the ordinary create_initiative with its selections.
    proposal = by_action["create"][0]
    ack = _emit(mod0, "create_initiative", {
        "client_id": str(uuid.uuid4()), "item_id": item.id, "group_id": g0.id,
        "name": proposal["name"], "selection_ids": proposal["selection_ids"]})
    assert ack["ok"] and ack["initiative"]["name"] == proposal["name"]


def test_tact_3_needs_a_group(world, live):
    item = advance_to(world.chief, world.session.id, "clustering")
    chief = live(user=world.organizer, session=world.session)
    assert _emit(chief, "suggest", {"item_id": item.id})["code"] == "not_found"
    assert _emit(chief, "suggest", {"item_id": item.id, "group_id": world.groups[1].id})["ok"]
