"""Socket.IO for the support workshop's kinds: the generic `tact` event reaches the services,
their events reach the group and the projector and no other group, refusals are acks, and a
reconnecting client gets what it missed (replay) or a snapshot holding the kinds' rows."""
import uuid

from facilitation.extensions import db
from facilitation.models import Session
from facilitation.realtime.publish import NAMESPACE as NS

from ..factories import advance_to
from ..services.test_support import gen_workshop


def _events(client, type_=None):
    got = [m["args"][0] for m in client.get_received(NS) if m["name"] == "event"]
    return [e for e in got if type_ is None or e["type"] == type_]


def _tact(client, kind, action, **data):
    return client.emit("tact", {"kind": kind, "action": action, **data}, namespace=NS,
                       callback=True)


def _rev(ws):
    return db.session.scalar(db.select(Session.revision).where(Session.id == ws.session.id))


def _clients(ws, live):
    from facilitation.models import Participant, User
    mod_user = db.session.get(User, ws.mods[0].user.id)
    phones = [db.session.get(Participant, a.participant.id) for a in ws.phones[0]]
    other = db.session.get(Participant, ws.phones[1][0].participant.id)
    clients = {"mod": live(user=mod_user, session=ws.session),
               "a": live(participant=phones[0]), "b": live(participant=phones[1]),
               "other": live(participant=other), "projector": live(projector_of=ws.session)}
    for c in clients.values():
        c.get_received(NS)
    return clients


def test_ikigai_events_reach_the_group_and_the_projector_only(app, live):
    ws = gen_workshop()
    item = advance_to(ws.chief, ws.session.id, "ikigai")
    c = _clients(ws, live)
    ack = _tact(c["a"], "ikigai", "add_entry", client_id=str(uuid.uuid4()), item_id=item.id,
                initiative_id=ws.initiatives[0], column="need", text="Помощь по дому")
    assert ack["ok"] and not ack["duplicate"] and ack["entry"]["column"] == "need"
    for who in ("b", "mod", "projector"):
        got = _events(c[who], "ikigai.entries")
        assert [e["data"]["text"] for e in got] == ["Помощь по дому"], who
    assert not _events(c["other"])
    # The moderator marks it: everyone of the group sees the mark.
    ack = _tact(c["mod"], "ikigai", "mark_entry", id=ack["entry"]["id"], marked=True)
    assert ack["ok"] and ack["entry"]["marked"]
    assert _events(c["b"], "ikigai.entries")[-1]["data"]["marked"]
    # Refusals are acks with the reason, and change nothing.
    rev = _rev(ws)
    refused = _tact(c["a"], "ikigai", "mark_entry", id=ack["entry"]["id"], marked=False)
    assert not refused["ok"] and refused["code"] == "forbidden"
    refused = _tact(c["a"], "ikigai", "add_entry", client_id=str(uuid.uuid4()), item_id=item.id,
                    initiative_id=ws.initiatives[0], column="love", text="x")
    assert not refused["ok"] and refused["code"] == "invalid"
    assert not _tact(c["a"], "ikigai", "no_such_action")["ok"]
    assert not _tact(c["a"], "no_such_kind", "add_entry")["ok"]
    assert _rev(ws) == rev
    assert not _events(c["other"])


def test_stage_suggestions_and_measures_live(app, live):
    ws = gen_workshop()
    item = advance_to(ws.chief, ws.session.id, "stages")
    c = _clients(ws, live)
    base = {"item_id": item.id, "initiative_id": ws.initiatives[0]}
    ack = _tact(c["a"], "stages", "vote", stage=3, **base)
    assert ack["ok"] and ack["place"]["counts"] == {"3": 1}
    assert _events(c["mod"], "stages.places")[-1]["data"]["counts"] == {"3": 1}
    ack = _tact(c["mod"], "stages", "place", stage=3, note="Хобби", **base)
    assert ack["ok"] and ack["place"]["stage"] == 3
    assert _events(c["b"], "stages.places")[-1]["data"]["stage"] == 3
    ack = _tact(c["b"], "stages", "add_measure", client_id=str(uuid.uuid4()),
                catalog_key="staffing.emergence.1", **base)
    assert ack["ok"] and ack["measure"]["text"] == "Развитие добровольчества"
    ack = _tact(c["mod"], "stages", "add_measure", client_id=str(uuid.uuid4()),
                measure_kind="information", phase="emergence", text="Страница в районной газете",
                **base)
    assert ack["ok"]
    texts = [e["data"]["text"] for e in _events(c["projector"], "stages.measures")]
    assert texts == ["Развитие добровольчества", "Страница в районной газете"]
    assert not _events(c["other"])


def test_reconnect_replays_what_was_missed_and_snapshots_hold_the_rows(app, live):
    ws = gen_workshop()
    item = advance_to(ws.chief, ws.session.id, "ikigai")
    c = _clients(ws, live)
    seen = c["b"].emit("sync", {"rev": -1}, namespace=NS, callback=True)
    assert seen["ok"] and seen["snapshot"]["tacts"]["ikigai"] == {"entries": [], "focus": []}
    assert seen["snapshot"]["tacts"]["stages"]["catalog"]["stages"][0]["name"] == "Ощущение проблемы"
    rev = seen["rev"]
    c["b"].disconnect(NS)
    _tact(c["a"], "ikigai", "add_entry", client_id=str(uuid.uuid4()), item_id=item.id,
          initiative_id=ws.initiatives[0], column="want", text="Пока вас не было")
    from facilitation.models import Participant
    again = live(participant=db.session.get(Participant, ws.phones[0][1].participant.id))
    replay = again.emit("sync", {"rev": rev}, namespace=NS, callback=True)
    assert replay["ok"] and "events" in replay
    assert [e["data"]["text"] for e in replay["events"] if e["type"] == "ikigai.entries"] == [
        "Пока вас не было"]
    snap = again.emit("sync", {"rev": -1}, namespace=NS, callback=True)["snapshot"]
    assert [e["text"] for e in snap["tacts"]["ikigai"]["entries"]] == ["Пока вас не было"]
    # Another group's phone sees none of it, in a replay or a snapshot.
    other = c["other"].emit("sync", {"rev": rev}, namespace=NS, callback=True)
    assert not [e for e in other["events"] if e["type"].startswith("ikigai.")]
    assert c["other"].emit("sync", {"rev": -1}, namespace=NS,
                           callback=True)["snapshot"]["tacts"]["ikigai"]["entries"] == []
    # A resend after the drop (same client id) creates nothing twice.
    cid = str(uuid.uuid4())
    first = _tact(again, "ikigai", "add_entry", client_id=cid, item_id=item.id,
                  initiative_id=ws.initiatives[0], column="can", text="Дважды")
    second = _tact(again, "ikigai", "add_entry", client_id=cid, item_id=item.id,
                   initiative_id=ws.initiatives[0], column="can", text="Дважды")
    assert first["entry"]["id"] == second["entry"]["id"] and second["duplicate"]
