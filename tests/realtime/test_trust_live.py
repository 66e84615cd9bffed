"""The trust round over Socket.IO: the generic `tact` event, who gets which event, the snapshot's
`tacts` part and the replay after a reconnect."""
import uuid

import pytest

from facilitation.realtime.publish import NAMESPACE as NS
from facilitation.services.actors import user_actor
from tests import factories


def _events(client, type_=None):
    got = [m["args"][0] for m in client.get_received(NS) if m["name"] == "event"]
    return [e for e in got if type_ is None or e["type"] == type_]


def _tact(client, action, **data):
    return client.emit("tact", {"kind": "trust_round", "action": action, **data},
                       namespace=NS, callback=True)


@pytest.fixture
def table(app):
    session, organizer = factories.gen_session(template="round_table", title="Круглый стол")
    group = factories.gen_group(session, organizer, "Стол", "")
    people = [factories.gen_participant(session, group, n) for n in ("Алина", "Борис")]
    item = factories.advance_to(user_actor(organizer, session.id), session.id, "trust_round")
    return session, organizer, people, item


def test_events_reach_the_room_and_notes_stay_private(table, live):
    session, organizer, people, item = table
    chief = live(user=organizer, session=session)
    alina, boris = live(participant=people[0]), live(participant=people[1])
    projector = live(projector_of=session)
    for c in (chief, alina, boris, projector):
        c.get_received(NS)
    ack = _tact(chief, "start", item_id=item.id)
    assert ack["ok"] and ack["round"]["speaker_id"] == people[0].id
    for c in (alina, boris, projector):
        [ev] = _events(c, "trust_round.rounds")
        assert ev["data"]["speaker_id"] == people[0].id and ev["data"]["turn"]["running"]
    prompt = ack["round"]["prompt_id"]
    ack = _tact(boris, "note", item_id=item.id, prompt_id=prompt, text="Гранты")
    assert ack["ok"] and ack["note"]["text"] == "Гранты"
    assert [e["data"]["text"] for e in _events(chief, "trust_round.notes")] == ["Гранты"]
    assert _events(alina) == [] and _events(projector) == []
    assert len(_events(boris, "trust_round.notes")) == 1  # the author's own devices
    # A participant does not drive the round; the refusal is an ack, nothing is sent.
    ack = _tact(alina, "next", item_id=item.id, speaker_id=people[0].id)
    assert ack == {"ok": False, "code": "forbidden", "error": ack["error"]}
    assert _events(boris) == []
    assert _tact(chief, "no_such_action", item_id=item.id)["code"] == "invalid"
    assert chief.emit("tact", {"kind": "nope", "action": "open"}, namespace=NS,
                      callback=True)["code"] == "invalid"
    # Proposals and supports reach everyone.
    _tact(chief, "phase", item_id=item.id, phase="goal")
    made = _tact(alina, "propose", item_id=item.id, client_id=str(uuid.uuid4()),
                 text="Встречаться раз в месяц")
    assert made["ok"]
    ack = _tact(boris, "support", proposal_id=made["proposal"]["id"], on=True)
    assert ack["ok"] and ack["proposal"]["support"] == 1
    assert [e["data"]["support"] for e in _events(projector, "trust_round.proposals")] == [0, 1]


def test_snapshot_and_replay_after_a_reconnect(table, live):
    session, organizer, people, item = table
    chief = live(user=organizer, session=session)
    phone = live(participant=people[1])
    snap = phone.emit("sync", {"rev": -1}, namespace=NS, callback=True)["snapshot"]
    assert snap["tacts"]["trust_round"] == {"rounds": [], "notes": [], "proposals": []}
    rev = snap["rev"]
    phone.disconnect(NS)
    ack = _tact(chief, "start", item_id=item.id)
    _tact(chief, "next", item_id=item.id, speaker_id=ack["round"]["speaker_id"])
    # Back: the events it missed, in order; the last one has Boris speaking.
    phone = live(participant=people[1])
    back = phone.emit("sync", {"rev": rev}, namespace=NS, callback=True)
    rounds = [e for e in back["events"] if e["type"] == "trust_round.rounds"]
    assert [e["data"]["speaker_id"] for e in rounds][-1] == people[1].id
    assert [e["rev"] for e in back["events"]] == sorted(e["rev"] for e in back["events"])
    # A fresh start: the snapshot holds the round.
    snap = phone.emit("sync", {"rev": -1}, namespace=NS, callback=True)["snapshot"]
    [state] = snap["tacts"]["trust_round"]["rounds"]
    assert state["speaker_id"] == people[1].id and state["phase"] == "speaking"
    fresh = _tact(phone, "state", item_id=item.id)
    assert fresh["ok"] and fresh["round"]["rev"] == state["rev"]
