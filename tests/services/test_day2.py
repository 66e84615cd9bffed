"""Tacts 6–7: requests between groups and their statuses; objectives and key results."""
import uuid
from datetime import date, timedelta
from types import SimpleNamespace

import pytest

from facilitation.extensions import db
from facilitation.models import KeyResult, Request, Session
from facilitation.services import initiatives, objectives, requests, stakeholders
from facilitation.services.errors import Closed, Invalid, NotAllowed

from ..factories import advance_to, gen_group, gen_session


@pytest.fixture
def day2(world):
    """Both groups with an initiative (tact 3), a stakeholder of group 0's (tact 4), and tact 6."""
    item3 = advance_to(world.chief, world.session.id, "clustering")
    made = []
    for n, group in enumerate(world.groups):
        mod = world.staff(world.moderators[n])
        made.append(initiatives.create_initiative(mod, {
            "client_id": str(uuid.uuid4()), "item_id": item3.id, "group_id": group.id,
            "name": f"Инициатива {n + 1}"})[0]["id"])
    item4 = advance_to(world.chief, world.session.id, "stakeholders")
    fund, _ = stakeholders.add_stakeholder(world.staff(world.moderators[0]), {
        "client_id": str(uuid.uuid4()), "item_id": item4.id, "initiative_id": made[0],
        "name": "Фонд «Озеро»", "type": "ngo"})
    item6 = advance_to(world.chief, world.session.id, "requests")
    phones = [[p for p in world.phones if p.group_id == g.id] for g in world.groups]
    return SimpleNamespace(item=item6, initiatives=made, fund=fund["id"],
                           a=world.actor(phones[0][0]), b=world.actor(phones[1][0]),
                           a2=world.actor(phones[0][1]), mods=[world.staff(m) for m in world.moderators])


def _send(world, d, actor=None, **extra):
    data = {"client_id": str(uuid.uuid4()), "item_id": d.item.id, "initiative_id": d.initiatives[0],
            "to_group_id": world.groups[1].id, "need": "resource", "text": "Нужен зал на 150 человек"}
    return requests.send_request(actor or d.a, {**data, **extra})[0]


def _rev(world):
    return db.session.scalar(db.select(Session.revision).where(Session.id == world.session.id))


def test_a_request_goes_from_one_group_to_another_and_is_stored_once(world, day2):
    data = {"client_id": str(uuid.uuid4()), "item_id": day2.item.id,
            "initiative_id": day2.initiatives[0], "to_group_id": world.groups[1].id,
            "need": "expertise", "text": "Методист для школы лидеров"}
    first, created = requests.send_request(day2.a, dict(data))
    again, created_again = requests.send_request(day2.a, dict(data))
    assert created and not created_again and first["id"] == again["id"]
    assert (first["from_group_id"], first["to_group_id"], first["status"]) == (
        world.groups[0].id, world.groups[1].id, "new")


@pytest.mark.parametrize("extra,error", [
    ({"to_group_id": "own"}, Invalid),  # to the own group
    ({"text": ""}, Invalid), ({"text": "x" * 501}, Invalid), ({"need": "money"}, Invalid),
    ({"initiative_id": "other"}, NotAllowed),  # another group's initiative
])
def test_bad_requests_are_refused_and_nothing_is_written(world, day2, extra, error):
    if extra.get("to_group_id") == "own":
        extra = {"to_group_id": world.groups[0].id}
    if extra.get("initiative_id") == "other":
        extra = {"initiative_id": day2.initiatives[1]}
    rev = _rev(world)
    with pytest.raises(error):
        _send(world, day2, **extra)
    assert _rev(world) == rev and db.session.scalar(db.select(db.func.count(Request.id))) == 0


def test_a_request_to_a_group_of_another_session_is_refused(world, day2):
    other, organizer = gen_session(title="Другая сессия")
    stranger = gen_group(other, organizer, "Чужая группа")
    with pytest.raises(Exception) as exc:
        _send(world, day2, to_group_id=stranger.id)
    assert exc.value.code == "not_found"
    assert db.session.scalar(db.select(db.func.count(Request.id))) == 0


def test_each_side_moves_only_its_own_statuses(world, day2):
    r = _send(world, day2)
    with pytest.raises(NotAllowed):  # the sender cannot accept its own request
        requests.set_status(day2.a, {"id": r["id"], "status": "accepted"})
    with pytest.raises(Invalid):  # done only after accepted
        requests.set_status(day2.a, {"id": r["id"], "status": "done"})
    answered = requests.answer_request(day2.b, {"client_id": str(uuid.uuid4()),
                                                "request_id": r["id"],
                                                "text": "Малый зал по субботам"})
    assert answered["status"] == "discussing" and answered["solutions"][0]["text"]
    with pytest.raises(NotAllowed):  # the sender cannot answer its own request
        requests.answer_request(day2.a, {"client_id": str(uuid.uuid4()), "request_id": r["id"],
                                         "text": "Сами себе"})
    assert requests.set_status(day2.b, {"id": r["id"], "status": "accepted"})["status"] == "accepted"
    with pytest.raises(NotAllowed):  # the receiver cannot mark it done
        requests.set_status(day2.b, {"id": r["id"], "status": "done"})
    assert requests.set_status(day2.a2, {"id": r["id"], "status": "done"})["status"] == "done"
    with pytest.raises(Closed):
        requests.set_status(day2.b, {"id": r["id"], "status": "declined"})
    with pytest.raises(Closed):  # answered: it can no longer be withdrawn
        requests.withdraw(day2.a, {"id": r["id"]})


def test_a_new_request_can_be_withdrawn_by_its_group_only(world, day2):
    r = _send(world, day2)
    with pytest.raises(NotAllowed):
        requests.withdraw(day2.b, {"id": r["id"]})
    assert requests.withdraw(day2.a2, {"id": r["id"]})["deleted"]


@pytest.fixture
def okr(world, day2):
    item7 = advance_to(world.chief, world.session.id, "okr")
    objective, _ = objectives.add_objective(day2.a, {
        "client_id": str(uuid.uuid4()), "item_id": item7.id, "initiative_id": day2.initiatives[0],
        "text": "Экоуроки становятся регулярными"})
    return SimpleNamespace(**{**vars(day2), "item": item7, "objective": objective["id"]})


def _kr(world, okr, **extra):
    data = {"client_id": str(uuid.uuid4()), "objective_id": okr.objective,
            "metric": "школ с еженедельными экоуроками", "baseline": "1", "target": "8",
            "unit": "школ", "deadline": (date.today() + timedelta(days=200)).isoformat(),
            "owner": f"s{okr.fund}"}
    return objectives.add_key_result(okr.a, {**data, **extra})[0]


def test_key_result_with_number_deadline_and_owner(world, okr):
    objective = _kr(world, okr, target="12,5", owner=f"p{okr.a.participant.id}")
    kr = objective["key_results"][0]
    assert kr["target"] == 12.5 and kr["baseline"] == 1.0 and kr["owner"]["kind"] == "participant"
    objective = _kr(world, okr)
    assert objective["key_results"][1]["owner"] == {"kind": "stakeholder", "id": okr.fund,
                                                    "name": "Фонд «Озеро»"}


@pytest.mark.parametrize("extra,field", [
    ({"target": ""}, "target"), ({"target": "много"}, "target"), ({"deadline": ""}, "deadline"),
    ({"deadline": "2020-01-01"}, "deadline"), ({"deadline": "завтра"}, "deadline"),
    ({"owner": ""}, "owner"), ({"owner": "s999"}, "owner"), ({"metric": ""}, "metric"),
])
def test_bad_key_results_are_refused_with_a_hint(world, okr, extra, field):
    rev = _rev(world)
    with pytest.raises(Invalid) as exc:
        _kr(world, okr, **extra)
    assert exc.value.field == field and str(exc.value.message)
    assert _rev(world) == rev and db.session.scalar(db.select(db.func.count(KeyResult.id))) == 0


def test_vague_wording_is_warned_and_can_be_kept(world, okr):
    with pytest.raises(Exception) as exc:
        _kr(world, okr, metric="повысить вовлечённость школьников")
    assert exc.value.code == "vague" and exc.value.field == "metric"
    assert db.session.scalar(db.select(db.func.count(KeyResult.id))) == 0
    assert _kr(world, okr, metric="повысить вовлечённость до 40%")["key_results"]  # a figure
    kept = _kr(world, okr, metric="повысить вовлечённость школьников", accept_vague=True)
    assert kept["key_results"][-1]["vague_accepted"] is True


def test_another_group_cannot_add_key_results(world, okr):
    with pytest.raises(NotAllowed):
        objectives.add_key_result(okr.b, {
            "client_id": str(uuid.uuid4()), "objective_id": okr.objective, "metric": "встреч",
            "target": "4", "deadline": (date.today() + timedelta(days=30)).isoformat(),
            "owner": f"s{okr.fund}"})
