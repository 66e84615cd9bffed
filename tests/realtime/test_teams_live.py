"""Socket.IO for day-two teams: teams reach every client; a phone that chooses a team is moved,
reconnects into the team's rooms and gets the team's events, not its old group's."""
import uuid

from facilitation.realtime.publish import NAMESPACE as NS
from facilitation.services import initiatives, teams

from ..factories import advance_to


def _events(client, type_=None):
    got = [m["args"][0] for m in client.get_received(NS) if m["name"] == "event"]
    return [e for e in got if type_ is None or e["type"] == type_]


def test_a_phone_chooses_a_team_and_follows_it(world, live):
    item3 = advance_to(world.chief, world.session.id, "clustering")
    g0, g1 = world.groups
    made = [initiatives.create_initiative(world.staff(world.moderators[n]), {
        "client_id": str(uuid.uuid4()), "item_id": item3.id, "group_id": g.id,
        "name": f"Инициатива {n}"})[0]["id"] for n, g in enumerate(world.groups)]
    advance_to(world.chief, world.session.id, "regrouping")
    phone_p, other_p = [p for p in world.phones if p.group_id == g0.id]
    phone, other = live(participant=phone_p), live(participant=other_p)
    projector = live(projector_of=world.session)
    for c in (phone, other, projector):
        c.get_received(NS)

    team = teams.create_team(world.chief, {"name": "Команда А", "initiative_ids": [made[0]]})
    summary = _events(phone, "teams.changed")[-1]["data"]
    assert summary["teams"][0]["name"] == "Команда А" and not summary["open"]
    assert summary["teams"][0]["initiatives"][0]["group_id"] == g0.id
    early = phone.emit("choose_team", {"team_id": team.id}, namespace=NS, callback=True)
    assert not early["ok"] and early["code"] == "closed" and early["error"]

    teams.open_teams(world.chief, True)
    for c in (phone, other, projector):
        c.get_received(NS)
    ack = phone.emit("choose_team", {"team_id": team.id}, namespace=NS, callback=True)
    assert ack["ok"] and ack["me"]["group_id"] == team.id
    assert _events(phone, "participant.moved")[-1]["data"]["group_id"] == team.id
    assert _events(projector, "participant.moved")  # the projector counts the team's people
    # The old group's phone learns the member left (its list of key-result owners follows).
    assert _events(other, "participant.moved")

    # Reconnected, the phone is in the team's rooms: the team's initiative is in its snapshot,
    # and what happens to the old group no longer reaches it.
    phone.disconnect(NS)
    phone = live(participant=phone_p)
    snap = phone.emit("sync", {"rev": -1}, namespace=NS, callback=True)["snapshot"]
    assert [i["name"] for i in snap["board"]["initiatives"]] == ["Инициатива 0"]
    assert snap["teams"]["open"] and snap["me"]["group_id"] == team.id
    phone.get_received(NS)
    initiatives.rename_initiative(world.staff(world.moderators[1]), {
        "id": made[1], "name": "Чужая инициатива"})
    assert _events(phone, "initiative.changed") == []
    # an initiative of no team: the teams' summary does not change
    assert _events(other, "teams.changed") == []
    initiatives.rename_initiative(world.staff(world.moderators[0]), {
        "id": made[0], "name": "Инициатива команды"})
    got = _events(phone)
    assert [e for e in got if e["type"] == "initiative.changed"][-1]["data"]["name"] == \
        "Инициатива команды"
    # Every phone's team chooser names the team's initiative anew, without a reload.
    for events in (got, _events(other)):
        summary = [e for e in events if e["type"] == "teams.changed"][-1]["data"]
        assert summary["teams"][0]["initiatives"][0]["name"] == "Инициатива команды"
