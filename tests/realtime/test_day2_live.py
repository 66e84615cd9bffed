"""Socket.IO for tacts 6–7: a request reaches only its two groups and the projector."""
import uuid

from facilitation.realtime.publish import NAMESPACE as NS
from facilitation.services import initiatives

from ..factories import advance_to, gen_group, gen_participant


def _events(client, type_=None):
    got = [m["args"][0] for m in client.get_received(NS) if m["name"] == "event"]
    return [e for e in got if type_ is None or e["type"] == type_]


def test_a_request_reaches_only_its_two_groups(world, live):
    third = gen_group(world.session, world.organizer, "Город и партнёры", "Муниципалитет")
    outsider = gen_participant(world.session, third, "Третья группа")
    item3 = advance_to(world.chief, world.session.id, "clustering")
    g0, g1 = world.groups
    initiative = initiatives.create_initiative(world.staff(world.moderators[0]), {
        "client_id": str(uuid.uuid4()), "item_id": item3.id, "group_id": g0.id,
        "name": "Экотропа"})[0]["id"]
    item6 = advance_to(world.chief, world.session.id, "requests")
    sender = live(participant=next(p for p in world.phones if p.group_id == g0.id))
    receiver = live(participant=next(p for p in world.phones if p.group_id == g1.id))
    other = live(participant=outsider)
    projector = live(projector_of=world.session)
    for c in (sender, receiver, other, projector):
        c.get_received(NS)
    ack = sender.emit("send_request", {"client_id": str(uuid.uuid4()), "item_id": item6.id,
                                       "initiative_id": initiative, "to_group_id": g1.id,
                                       "need": "action", "text": "Волонтёры на субботник"},
                      namespace=NS, callback=True)
    assert ack["ok"], ack
    assert [e["data"]["text"] for e in _events(receiver, "request.changed")] == [
        "Волонтёры на субботник"]
    assert _events(other) == []
    assert _events(projector, "request.changed")
    # The receiver answers and accepts; the sender sees it live; a forged status is refused.
    bad = sender.emit("set_request_status", {"id": ack["request"]["id"], "status": "accepted"},
                      namespace=NS, callback=True)
    assert not bad["ok"] and bad["code"] == "forbidden" and bad["error"]
    ok = receiver.emit("set_request_status", {"id": ack["request"]["id"], "status": "accepted"},
                       namespace=NS, callback=True)
    assert ok["ok"] and _events(sender, "request.changed")[-1]["data"]["status"] == "accepted"
    assert _events(other) == []
    snap = other.emit("sync", {"rev": -1}, namespace=NS, callback=True)["snapshot"]["board"]
    assert snap["requests"] == []
