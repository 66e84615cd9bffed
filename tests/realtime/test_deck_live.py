"""Socket.IO for tact 8: a deck's changes reach only its group's rooms and the projectors;
presenting it reaches the projectors and the moderators, never the phones."""
from facilitation.realtime.publish import NAMESPACE as NS

from ..factories import advance_to


def _events(client, type_=None):
    got = [m["args"][0] for m in client.get_received(NS) if m["name"] == "event"]
    return [e for e in got if type_ is None or e["type"] == type_]


def test_a_deck_reaches_only_its_group_and_the_projector(world, live):
    item = advance_to(world.chief, world.session.id, "deck")
    g0, g1 = world.groups
    a, a2 = [p for p in world.phones if p.group_id == g0.id]
    b = next(p for p in world.phones if p.group_id == g1.id)
    editor, teammate, other = live(participant=a), live(participant=a2), live(participant=b)
    projector = live(projector_of=world.session)
    mod0 = live(user=world.moderators[0], session=world.session)
    mod1 = live(user=world.moderators[1], session=world.session)
    clients = (editor, teammate, other, projector, mod0, mod1)
    for c in clients:
        c.get_received(NS)

    ack = editor.emit("assemble_deck", {"item_id": item.id, "group_id": g0.id}, namespace=NS,
                      callback=True)
    assert ack["ok"] and ack["created"], ack
    deck = ack["deck"]
    assert [e["data"]["id"] for e in _events(teammate, "deck.changed")] == [deck["id"]]
    assert _events(projector, "deck.changed") and _events(mod0, "deck.changed")
    assert _events(other) == [] and _events(mod1) == []

    slide = deck["slides"][0]
    ok = editor.emit("edit_slide", {"id": slide["id"], "base": slide["text_rev"],
                                    "title": "Экопросвещение: итоги", "body": "Два дня работы"},
                     namespace=NS, callback=True)
    assert ok["ok"] and ok["slide"]["edited"], ok
    got = _events(teammate, "slide.changed")
    assert [e["data"]["title"] for e in got] == ["Экопросвещение: итоги"]
    assert _events(projector, "slide.changed")
    assert _events(other) == [] and _events(mod1) == []
    for c in clients:
        c.get_received(NS)
    # Someone else's stale edit is refused with a message, and nobody hears of it.
    stale = teammate.emit("edit_slide", {"id": slide["id"], "base": slide["text_rev"],
                                         "title": "Чужая версия", "body": ""},
                          namespace=NS, callback=True)
    assert not stale["ok"] and stale["code"] == "conflict" and stale["error"]
    bad = other.emit("edit_slide", {"id": slide["id"], "base": ok["slide"]["text_rev"],
                                    "title": "Не наша группа", "body": ""},
                     namespace=NS, callback=True)
    assert not bad["ok"] and bad["code"] == "forbidden"
    for c in clients:
        assert _events(c) == []

    # The group's moderator presents: projectors and moderators follow, phones hear nothing.
    shown = mod0.emit("present_deck", {"group_id": g0.id, "index": 1}, namespace=NS, callback=True)
    assert shown["ok"] and shown["projector"] == {"mode": "deck", "group_id": g0.id, "slide": 1,
                                                  "initiative_id": None}
    assert [e["data"]["slide"] for e in _events(projector, "projector.changed")] == [1]
    assert _events(mod1, "projector.changed")
    assert _events(editor) == [] and _events(other) == []
    # A phone cannot drive the projector; another group's moderator cannot take it over.
    refused = editor.emit("present_deck", {"group_id": g0.id, "index": 2}, namespace=NS,
                          callback=True)
    assert not refused["ok"] and refused["code"] == "forbidden"
    taken = mod1.emit("present_deck", {"group_id": g1.id, "index": 0}, namespace=NS, callback=True)
    assert not taken["ok"] and taken["code"] == "conflict"
    # A reconnecting projector gets the deck and the slide in its snapshot; the other group's
    # phone gets no deck of another group.
    snap = projector.emit("sync", {"rev": -1}, namespace=NS, callback=True)["snapshot"]
    assert snap["projector"]["slide"] == 1 and snap["decks"][0]["slides"][0]["title"] == (
        "Экопросвещение: итоги")
    assert other.emit("sync", {"rev": -1}, namespace=NS, callback=True)["snapshot"]["decks"] == []
