"""Day-two regrouping: teams formed around initiatives, participants choosing or assigned,
and day-two work following the initiative into its team while day one stays where it was."""
import uuid
from types import SimpleNamespace

import pytest

from facilitation.extensions import db
from facilitation.models import Group, Initiative, Participant, Request, Session
from facilitation.services import initiatives, objectives, requests, stakeholders, sync, teams
from facilitation.services.errors import Closed, Conflict, Invalid, NotAllowed, NotFound

from ..factories import advance_to, gen_participant, gen_session


@pytest.fixture
def day1(world):
    """Two initiatives per group, staked by the phones; a stakeholder on group 0's first."""
    item3 = advance_to(world.chief, world.session.id, "clustering")
    made = {}
    for n, group in enumerate(world.groups):
        mod = world.staff(world.moderators[n])
        for name in (f"Инициатива {n + 1}А", f"Инициатива {n + 1}Б"):
            made[name] = initiatives.create_initiative(mod, {
                "client_id": str(uuid.uuid4()), "item_id": item3.id, "group_id": group.id,
                "name": name})[0]["id"]
        initiatives.board_settings(mod, {"item_id": item3.id, "group_id": group.id,
                                         "staking": "open"})
    # Group 0's phones: "a" on 1А, "b" on 1Б; group 1's phones both on 2А.
    a, b, c, d = world.phones
    for phone, name, count in ((a, "Инициатива 1А", 5), (b, "Инициатива 1Б", 4),
                               (c, "Инициатива 2А", 3), (d, "Инициатива 2А", 2)):
        initiatives.set_stake(world.actor(phone), {"initiative_id": made[name], "count": count})
    item4 = advance_to(world.chief, world.session.id, "stakeholders")
    fund, _ = stakeholders.add_stakeholder(world.staff(world.moderators[0]), {
        "client_id": str(uuid.uuid4()), "item_id": item4.id, "initiative_id": made["Инициатива 1А"],
        "name": "Фонд «Озеро»", "type": "ngo"})
    advance_to(world.chief, world.session.id, "regrouping")
    return SimpleNamespace(made=made, fund=fund["id"])


def _rev(world):
    return db.session.scalar(db.select(Session.revision).where(Session.id == world.session.id))


def _team(world, d, *names, name=""):
    return teams.create_team(world.chief, {"name": name,
                                           "initiative_ids": [d.made[n] for n in names]})


def test_a_team_takes_initiatives_and_day_one_stays_with_its_group(world, day1):
    team = _team(world, day1, "Инициатива 1А", "Инициатива 2А", name="Школа лидеров")
    assert team.stage == 2 and team.name == "Школа лидеров"
    moved = db.session.get(Initiative, day1.made["Инициатива 1А"])
    assert (moved.group_id, moved.team_group_id, moved.work_group_id) == (
        world.groups[0].id, team.id, team.id)
    assert [i.name for i in teams.work_initiatives(team.id)] == ["Инициатива 1А", "Инициатива 2А"]
    assert [i.name for i in teams.work_initiatives(world.groups[0].id)] == ["Инициатива 1Б"]
    assert [g.id for g in teams.active_groups(db.session.get(Session, world.session.id))] == [team.id]
    # The team's name defaults to its first initiative's.
    other = _team(world, day1, "Инициатива 1Б")
    assert other.name == "Инициатива 1Б"


@pytest.mark.parametrize("case", ["empty", "taken", "foreign", "long_name", "phone", "moderator"])
def test_bad_teams_are_refused_and_nothing_is_written(world, day1, case):
    _team(world, day1, "Инициатива 1А")
    other, organizer = gen_session(title="Другая")
    actor, data = world.chief, {"initiative_ids": [day1.made["Инициатива 2А"]]}
    error = Invalid
    if case == "empty":
        data = {"initiative_ids": []}
    elif case == "taken":
        data = {"initiative_ids": [day1.made["Инициатива 1А"]]}
    elif case == "foreign":
        data = {"initiative_ids": [999999]}
    elif case == "long_name":
        data["name"] = "Я" * 81
    elif case == "phone":
        actor, error = world.actor(world.phones[0]), NotAllowed
    elif case == "moderator":
        actor, error = world.staff(world.moderators[0]), NotAllowed
    rev, count = _rev(world), db.session.scalar(db.select(db.func.count(Group.id)))
    with pytest.raises(error) as exc:
        teams.create_team(actor, data)
    assert str(exc.value.message)
    assert _rev(world) == rev and db.session.scalar(db.select(db.func.count(Group.id))) == count
    assert db.session.get(Initiative, day1.made["Инициатива 2А"]).team_group_id is None


def test_phones_choose_a_team_once_open_and_follow_it(world, day1):
    team = _team(world, day1, "Инициатива 1А")
    phone = world.phones[0]
    with pytest.raises(Closed):  # not open yet
        teams.choose_team(world.actor(phone), team.id)
    teams.open_teams(world.chief, True)
    teams.choose_team(world.actor(phone), team.id)
    assert db.session.get(Participant, phone.id).group_id == team.id
    # The phone's snapshot now holds the team's initiative, its stakeholder and its List B place
    # from the group that made it (with the chips hidden from phones).
    snap = sync.snapshot(world.actor(phone))
    board = snap["board"]
    assert [i["name"] for i in board["initiatives"]] == ["Инициатива 1А"]
    assert [s["name"] for s in board["stakeholders"]] == ["Фонд «Озеро»"]
    lists = {s["group_id"]: s for s in board["stakes"]}
    assert world.groups[0].id in lists
    assert snap["session"]["teams_open"] is True


def test_a_phone_cannot_join_a_team_of_another_session_or_a_subject_group(world, day1):
    _team(world, day1, "Инициатива 1А")
    teams.open_teams(world.chief, True)
    other, organizer = gen_session(title="Другая")
    teams_other = Group(session_id=other.id, name="Чужая", stage=2)
    db.session.add(teams_other)
    db.session.commit()
    phone = world.phones[0]
    for target in (teams_other.id, world.groups[1].id, "x"):
        with pytest.raises(NotFound):
            teams.choose_team(world.actor(phone), target)
    assert db.session.get(Participant, phone.id).group_id == world.groups[0].id


def test_once_the_regrouping_item_is_over_a_phone_in_a_team_stays(world, day1):
    one = _team(world, day1, "Инициатива 1А")
    two = _team(world, day1, "Инициатива 2А")
    teams.open_teams(world.chief, True)
    phone = world.phones[0]
    teams.choose_team(world.actor(phone), one.id)
    teams.choose_team(world.actor(phone), two.id)  # changing one's mind while it runs
    advance_to(world.chief, world.session.id, "requests")
    with pytest.raises(Closed):
        teams.choose_team(world.actor(phone), one.id)
    assert db.session.get(Participant, phone.id).group_id == two.id


def test_assigning_the_rest_follows_the_stakes_and_balances(world, day1):
    extra = gen_participant(world.session, world.groups[1], "Без фишек")
    one = _team(world, day1, "Инициатива 1А", name="Один")
    two = _team(world, day1, "Инициатива 1Б", "Инициатива 2А", name="Два")
    moved = teams.assign_rest(world.chief)
    assert moved == 5
    where = {p.display_name: db.session.get(Participant, p.id).group_id
             for p in world.phones + [extra]}
    # a staked on 1А → Один; b on 1Б, c and d on 2А → Два; the share is 3 per team.
    assert where["Участник 1a"] == one.id
    assert [where[n] for n in ("Участник 1b", "Участник 2a", "Участник 2b")] == [two.id] * 3
    assert where["Без фишек"] == one.id
    assert teams.assign_rest(world.chief) == 0  # nothing left: a resend changes nothing


def test_day_two_work_follows_the_initiative_into_its_team(world, day1):
    team = _team(world, day1, "Инициатива 1А")
    rest = _team(world, day1, "Инициатива 2А")
    teams.assign_rest(world.chief)
    item6 = advance_to(world.chief, world.session.id, "requests")
    member = next(p for p in world.phones if db.session.get(Participant, p.id).group_id == team.id)
    r, _ = requests.send_request(world.actor(member), {
        "client_id": str(uuid.uuid4()), "item_id": item6.id, "to_group_id": rest.id,
        "initiative_id": day1.made["Инициатива 1А"], "need": "action", "text": "Помочь с залом"})
    assert (r["from_group_id"], r["to_group_id"]) == (team.id, rest.id)
    # A subject group whose initiatives went to the teams no longer receives requests.
    with pytest.raises(Invalid) as exc:
        requests.send_request(world.actor(member), {
            "client_id": str(uuid.uuid4()), "item_id": item6.id, "to_group_id": world.groups[1].id,
            "initiative_id": day1.made["Инициатива 1А"], "need": "action", "text": "Зал"})
    assert exc.value.field == "to_group_id"
    item7 = advance_to(world.chief, world.session.id, "okr")
    o, _ = objectives.add_objective(world.actor(member), {
        "client_id": str(uuid.uuid4()), "item_id": item7.id,
        "initiative_id": day1.made["Инициатива 1А"], "text": "Открыть школу лидеров"})
    assert o["group_id"] == team.id
    # The day-one group's moderator no longer speaks for it; the team's chief does.
    with pytest.raises(NotAllowed):
        objectives.add_objective(world.staff(world.moderators[0]), {
            "client_id": str(uuid.uuid4()), "item_id": item7.id,
            "initiative_id": day1.made["Инициатива 1А"], "text": "Ещё цель"})


def test_a_team_with_members_or_work_is_not_dissolved(world, day1):
    team = _team(world, day1, "Инициатива 1А")
    empty = _team(world, day1, "Инициатива 2А")
    teams.delete_team(world.chief, empty.id)
    assert db.session.get(Initiative, day1.made["Инициатива 2А"]).team_group_id is None
    teams.open_teams(world.chief, True)
    teams.choose_team(world.actor(world.phones[0]), team.id)
    rev = _rev(world)
    with pytest.raises(Conflict):
        teams.delete_team(world.chief, team.id)
    assert _rev(world) == rev and db.session.get(Group, team.id) is not None


def test_editing_a_team_moves_initiatives_in_and_out(world, day1):
    team = _team(world, day1, "Инициатива 1А", name="Команда")
    teams.update_team(world.chief, {"team_id": team.id, "name": "Команда зелёных",
                                    "initiative_ids": [day1.made["Инициатива 1Б"]]})
    assert team.name == "Команда зелёных"
    assert [i.name for i in teams.work_initiatives(team.id)] == ["Инициатива 1Б"]
    assert db.session.get(Initiative, day1.made["Инициатива 1А"]).team_group_id is None


def test_the_overview_shows_list_b_places_and_who_waits(world, day1):
    team = _team(world, day1, "Инициатива 1А")
    view = teams.teams_overview(db.session.get(Session, world.session.id))
    first = view["lists"][0]
    assert [(r["initiative"].name, r["rank"], r["team"]) for r in first["rows"]] == [
        ("Инициатива 1А", 1, team.name), ("Инициатива 1Б", 2, None)]
    assert len(view["waiting"]) == 4 and view["teams"][0]["team"].id == team.id


def test_newcomers_after_the_regrouping_join_a_team(world, day1):
    from facilitation.services import participants
    team = _team(world, day1, "Инициатива 1А")
    session = db.session.get(Session, world.session.id)
    with pytest.raises(Invalid):  # a subject group is no longer offered
        participants.join(session, {"display_name": "Опоздавший", "client_id": "",
                                    "group_id": str(world.groups[0].id)})
    late = participants.join(session, {"display_name": "Опоздавший", "client_id": "",
                                       "group_id": str(team.id)})
    assert late.group_id == team.id
    session.group_assignment = "assign"
    db.session.commit()
    auto = participants.join(session, {"display_name": "Ещё один", "client_id": ""})
    assert auto.group_id == team.id
