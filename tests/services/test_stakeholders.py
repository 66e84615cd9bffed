"""Tacts 4 and 5: stakeholders with values, resource flows, the one-sided flag, merges."""
import uuid
from types import SimpleNamespace

import pytest

from facilitation.extensions import db
from facilitation.models import Flow, Session, Stakeholder
from facilitation.services import initiatives, stakeholders as svc
from facilitation.services.errors import Closed, Conflict, Invalid, NotAllowed

from ..factories import advance_to


@pytest.fixture
def tact4(world):
    """An initiative of group 0 made in tact 3, and tact 4 running."""
    item3 = advance_to(world.chief, world.session.id, "clustering")
    mod = world.staff(world.moderators[0])
    group = world.groups[0]
    initiative, _ = initiatives.create_initiative(mod, {
        "client_id": str(uuid.uuid4()), "item_id": item3.id, "group_id": group.id,
        "name": "Экотропа вокруг озера"})
    item4 = advance_to(world.chief, world.session.id, "stakeholders")
    phone = next(p for p in world.phones if p.group_id == group.id)
    return SimpleNamespace(item=item4, initiative=initiative["id"], mod=mod, group=group,
                           phone=world.actor(phone))


def _add(t, name, type_="ngo", actor=None, **extra):
    data, _ = svc.add_stakeholder(actor or t.phone, {
        "client_id": str(uuid.uuid4()), "item_id": t.item.id, "initiative_id": t.initiative,
        "name": name, "type": type_, **extra})
    return data


def _flow(world, t, source, target, mark="given", resource="money", actor=None):
    item5 = db.session.get(Session, world.session.id).current_item
    data, _ = svc.add_flow(actor or t.phone, {
        "client_id": str(uuid.uuid4()), "item_id": item5.id, "initiative_id": t.initiative,
        "source_id": source, "target_id": target, "resource": resource,
        "resource_text": "на стенды", "mark": mark})
    return data


def _rev(world):
    return db.session.scalar(db.select(Session.revision).where(Session.id == world.session.id))


def test_stakeholder_with_values_is_stored_once(world, tact4):
    data = {"client_id": str(uuid.uuid4()), "item_id": tact4.item.id,
            "initiative_id": tact4.initiative, "name": "Лесничество", "type": "public_body",
            "values": ["сохранение природы", ""]}
    first, created = svc.add_stakeholder(tact4.phone, dict(data))
    again, created_again = svc.add_stakeholder(tact4.phone, dict(data))
    assert created and not created_again and first["id"] == again["id"]
    assert [v["text"] for v in first["values"]] == ["сохранение природы"]
    svc.add_value(tact4.phone, {"client_id": str(uuid.uuid4()), "stakeholder_id": first["id"],
                                "text": "учёт посетителей"})
    assert len(svc.values_of(first["id"])) == 2


@pytest.mark.parametrize("name,type_", [("", "ngo"), ("x" * 121, "ngo"), ("Фонд", "alien"),
                                        ("<script>", None)])
def test_bad_stakeholders_are_refused_and_nothing_is_written(world, tact4, name, type_):
    rev = _rev(world)
    if name == "<script>":  # HTML is stored verbatim, not refused; a bad type is
        assert _add(tact4, name)["name"] == "<script>"
        return
    with pytest.raises(Invalid):
        _add(tact4, name, type_)
    assert _rev(world) == rev
    assert db.session.scalar(db.select(db.func.count(Stakeholder.id))) == 0


def test_other_groups_cannot_add(world, tact4):
    stranger = world.actor(next(p for p in world.phones if p.group_id != tact4.group.id))
    with pytest.raises(NotAllowed):
        _add(tact4, "Фонд", actor=stranger)


def test_one_sided_stakeholders_are_flagged(world, tact4):
    fund = _add(tact4, "Фонд «Озеро»")["id"]
    paper = _add(tact4, "Газета", "media")["id"]
    parents = _add(tact4, "Родители", "community")["id"]
    advance_to(world.chief, world.session.id, "resources")
    _flow(world, tact4, fund, None)
    _flow(world, tact4, None, fund, "gained", "information")
    _flow(world, tact4, paper, None, "given", "media")
    _flow(world, tact4, None, parents, "gained", "time")
    from facilitation.models import Initiative
    rows = {r["name"]: r for r in svc.balance(db.session.get(Initiative, tact4.initiative))["rows"]}
    assert rows["Фонд «Озеро»"]["flag"] is None
    assert rows["Газета"]["flag"] == "only_gives" and rows["Газета"]["reason"]
    assert rows["Родители"]["flag"] == "only_gains"


def test_bad_flows_are_refused(world, tact4):
    a = _add(tact4, "Фонд")["id"]
    b = _add(tact4, "Школа", "public_body")["id"]
    advance_to(world.chief, world.session.id, "resources")
    rev = _rev(world)
    with pytest.raises(Invalid):
        _flow(world, tact4, a, a)  # to itself
    with pytest.raises(Invalid):
        _flow(world, tact4, None, None)  # the initiative to itself
    with pytest.raises(Invalid):
        _flow(world, tact4, a, b, mark="stolen")
    with pytest.raises(Invalid):
        _flow(world, tact4, a, b, resource="gold")
    svc.merge_stakeholders(tact4.mod, {"id": b, "into": a})
    rev = _rev(world)
    with pytest.raises(Conflict):  # names a merged stakeholder
        _flow(world, tact4, b, None)
    assert _rev(world) == rev
    assert db.session.scalar(db.select(db.func.count(Flow.id))) == 0


def test_merge_carries_values_and_flows_and_drops_self_flows(world, tact4):
    a = _add(tact4, "Администрация", "public_body", values=["отчётность"])["id"]
    b = _add(tact4, "Администрация города", "public_body",
             values=["Отчётность", "управляемость"])["id"]
    c = _add(tact4, "ТОС", "community")["id"]
    advance_to(world.chief, world.session.id, "resources")
    f1 = _flow(world, tact4, b, c)["id"]
    f2 = _flow(world, tact4, a, b)["id"]
    f3 = _flow(world, tact4, c, b, "gained")["id"]
    with pytest.raises(NotAllowed):
        svc.merge_stakeholders(tact4.phone, {"id": b, "into": a})
    svc.merge_stakeholders(tact4.mod, {"id": b, "into": a})
    assert sorted(v.text for v in svc.values_of(a)) == ["отчётность", "управляемость"]
    assert db.session.get(Flow, f1).source_id == a
    assert db.session.get(Flow, f2).deleted_at is not None  # became a → a
    assert db.session.get(Flow, f3).target_id == a
    assert db.session.get(Stakeholder, b).merged_into_id == a


def test_merging_initiatives_carries_stakeholders_and_flows(world, tact4):
    from facilitation.models import Initiative
    s = _add(tact4, "Фонд")["id"]
    item3 = next(i for i in db.session.get(Session, world.session.id).items
                 if i.kind == "clustering")
    other, _ = initiatives.create_initiative(tact4.mod, {
        "client_id": str(uuid.uuid4()), "item_id": item3.id, "group_id": tact4.group.id,
        "name": "Тропа"})
    initiatives.merge_initiatives(tact4.mod, {"id": tact4.initiative, "into": other["id"]})
    assert db.session.get(Stakeholder, s).initiative_id == other["id"]
    assert db.session.get(Initiative, tact4.initiative).merged_into_id == other["id"]


def test_participants_cannot_add_once_the_tact_is_locked(world, tact4):
    from facilitation.services import agenda
    agenda.set_locked(world.chief, tact4.item.id, True)
    with pytest.raises(Closed):
        _add(tact4, "Фонд")
    assert _add(tact4, "Фонд", actor=tact4.mod)["name"] == "Фонд"  # moderators still can
