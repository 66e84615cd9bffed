"""Socket.IO: rooms from the database, acks after commit, revisions, resends, authorization."""
import uuid

from facilitation.extensions import db
from facilitation.models import Idea, Trend
from facilitation.realtime.publish import NAMESPACE as NS
from facilitation.services import participants

from ..factories import advance_to


def _events(client, type_=None):
    got = [m["args"][0] for m in client.get_received(NS) if m["name"] == "event"]
    return [e for e in got if type_ is None or e["type"] == type_]


def _post(client, item, text, client_id=None):
    return client.emit("post_card", {"client_id": client_id or str(uuid.uuid4()),
                                     "item_id": item.id, "text": text},
                       namespace=NS, callback=True)


def test_unknown_or_forged_clients_cannot_connect(app, world):
    from facilitation.extensions import socketio
    for auth in (None, {}, {"session_id": world.session.id, "role": "participant", "token": "x"},
                 {"session_id": world.session.id, "role": "projector", "key": "wrong"},
                 {"session_id": world.session.id, "role": "staff"}):
        c = socketio.test_client(app, namespace=NS, auth=auth)
        assert not c.is_connected(NS)


def test_groups_stay_apart_and_projector_sees_both(world, live):
    item = advance_to(world.chief, world.session.id, "trends")
    a1, a2, b1 = (live(participant=p) for p in world.phones[:3])
    projector = live(projector_of=world.session)
    mod_b = live(user=world.moderators[1], session=world.session)
    for c in (a1, a2, b1, projector, mod_b):
        c.get_received(NS)
    ack = _post(a1, item, "Тренд группы A")
    assert ack["ok"] and ack["card"]["group_id"] == world.groups[0].id
    assert [e["data"]["text"] for e in _events(a2, "card.created")] == ["Тренд группы A"]
    assert _events(b1) == []
    assert _events(mod_b) == []  # a moderator of group B is not in group A's room
    assert [e["data"]["text"] for e in _events(projector, "card.created")] == ["Тренд группы A"]


def test_resent_create_is_stored_once_and_announced_once(world, live):
    item = advance_to(world.chief, world.session.id, "brainstorm")
    phone, other = live(participant=world.phones[0]), live(participant=world.phones[2])
    other.get_received(NS)
    cid = str(uuid.uuid4())
    acks = [_post(phone, item, "Эколагерь", cid) for _ in range(3)]
    assert all(a["ok"] for a in acks)
    assert [a["duplicate"] for a in acks] == [False, True, True]
    assert len({a["card"]["id"] for a in acks}) == 1
    assert db.session.scalar(db.select(db.func.count(Idea.id))) == 1
    assert len(_events(other, "card.created")) == 1


def test_revisions_strictly_increase_across_events(world, live):
    item = advance_to(world.chief, world.session.id, "brainstorm")
    phone, watcher = live(participant=world.phones[0]), live(participant=world.phones[3])
    watcher.get_received(NS)
    for n in range(5):
        assert _post(phone, item, f"идея {n}")["ok"]
    revs = [e["rev"] for e in _events(watcher)]
    assert len(revs) == 5 and revs == sorted(set(revs))


def test_participant_cannot_drive_the_session(world, live):
    phone = live(participant=world.phones[0])
    rev = world.session.revision
    for event, payload in [("advance", {"current_item_id": None}),
                           ("timer", {"item_id": world.session.items[0].id, "action": "start"}),
                           ("show", {"mode": "wall"}),
                           ("set_item", {"item_id": world.session.items[0].id, "locked": True}),
                           ("remove_participant", {"participant_id": world.phones[1].id})]:
        ack = phone.emit(event, payload, namespace=NS, callback=True)
        assert ack["ok"] is False and ack["code"] == "forbidden" and ack["error"]
    db.session.refresh(world.session)
    assert world.session.revision == rev and world.session.current_item_id is None


def test_removed_participant_is_refused_on_the_next_event(world, live):
    item = advance_to(world.chief, world.session.id, "trends")
    phone = live(participant=world.phones[0])
    assert _post(phone, item, "до удаления")["ok"]
    participants.remove_participant(world.staff(world.moderators[0]), world.phones[0].id)
    ack = _post(phone, item, "после удаления")
    assert ack["ok"] is False and ack["code"] == "forbidden"
    assert db.session.scalar(db.select(db.func.count(Trend.id))) == 1


def test_bad_payloads_get_clear_errors(world, live):
    item = advance_to(world.chief, world.session.id, "trends")
    phone = live(participant=world.phones[0])
    for payload in (None, "text", [], {"item_id": item.id, "text": "x"},
                    {"client_id": "not-a-uuid", "item_id": item.id, "text": "x"},
                    {"client_id": str(uuid.uuid4()), "item_id": "1", "text": "x"},
                    {"client_id": str(uuid.uuid4()), "item_id": item.id, "text": ""},
                    {"client_id": str(uuid.uuid4()), "item_id": item.id, "text": {"a": 1}}):
        ack = phone.emit("post_card", payload, namespace=NS, callback=True)
        assert ack["ok"] is False and ack["error"], payload
    assert db.session.scalar(db.select(db.func.count(Trend.id))) == 0


def test_error_messages_follow_the_language(app, world, live):
    item = advance_to(world.chief, world.session.id, "trends")
    phone = live(participant=world.phones[0])
    ack = _post(phone, item, "")
    assert "пусто" in ack["error"].lower() or "напишите" in ack["error"].lower()


def test_reconnect_gets_missed_events_or_snapshot(app, world, live):
    item = advance_to(world.chief, world.session.id, "brainstorm")
    phone, writer = live(participant=world.phones[0]), live(participant=world.phones[2])
    first = phone.emit("sync", {"rev": -1}, namespace=NS, callback=True)
    assert first["ok"] and "snapshot" in first and first["snapshot"]["current_item_id"] == item.id
    seen = first["rev"]
    phone.disconnect(NS)
    for n in range(3):
        assert _post(writer, item, f"пока меня не было {n}")["ok"]
    phone = live(participant=world.phones[0])
    again = phone.emit("sync", {"rev": seen}, namespace=NS, callback=True)
    assert [e["data"]["text"] for e in again["events"]] == [f"пока меня не было {n}"
                                                             for n in range(3)]
    assert again["rev"] == seen + 3
    app.config["REPLAY_LIMIT"] = 1
    far = phone.emit("sync", {"rev": seen}, namespace=NS, callback=True)
    assert len(far["snapshot"]["cards"]) == 3


def test_a_revision_in_the_handshake_syncs_at_connect(app, world, live):
    """auth {rev}: the connection's first event is `synced`, the answer `sync` would give."""
    item = advance_to(world.chief, world.session.id, "brainstorm")
    writer = live(participant=world.phones[2])
    phone = live(participant=world.phones[0], rev=-1)
    (first, *rest) = phone.get_received(NS)
    assert first["name"] == "synced" and rest == []
    answer = first["args"][0]
    assert answer["ok"] and answer["snapshot"]["current_item_id"] == item.id
    asked = phone.emit("sync", {"rev": -1}, namespace=NS, callback=True)
    untimed = lambda snap: {k: v for k, v in snap.items() if k != "items"}  # noqa: E731
    assert asked["rev"] == answer["rev"]
    assert untimed(asked["snapshot"]) == untimed(answer["snapshot"])  # timers tick in between
    seen = answer["rev"]
    phone.disconnect(NS)
    for n in range(2):
        assert _post(writer, item, f"пока меня не было {n}")["ok"]
    phone = live(participant=world.phones[0], rev=seen)
    (first,) = phone.get_received(NS)
    assert first["name"] == "synced"
    assert [e["data"]["text"] for e in first["args"][0]["events"]] == [
        "пока меня не было 0", "пока меня не было 1"]
    assert first["args"][0]["rev"] == seen + 2 and "timer" in first["args"][0]
    # Without `rev` nothing is sent before the client asks (clients of the first protocol).
    assert live(participant=world.phones[1]).get_received(NS) == []
    # A removed participant is refused at connect, with or without `rev`.
    from facilitation.services import participants as people
    people.remove_participant(world.staff(world.moderators[0]), world.phones[0].id)
    refused = live(participant=world.phones[0], rev=seen)
    assert not refused.is_connected(NS)


def test_chief_moderator_drives_and_everyone_hears(world, live):
    chief = live(user=world.organizer, session=world.session)
    phone = live(participant=world.phones[0])
    phone.get_received(NS)
    ack = chief.emit("advance", {"current_item_id": None}, namespace=NS, callback=True)
    assert ack["ok"] and ack["current_item_id"] == world.session.items[0].id
    again = chief.emit("advance", {"current_item_id": None}, namespace=NS, callback=True)
    assert again["ok"] is False and again["code"] == "conflict"
    (event,) = _events(phone, "agenda.changed")
    assert event["data"]["current_item_id"] == world.session.items[0].id
    shown = chief.emit("show", {"mode": "wall"}, namespace=NS, callback=True)
    assert shown["ok"] and shown["projector"]["mode"] == "wall"
    assert _events(phone, "projector.changed") == []  # phones are not told what the wall shows
