"""Tact 7: objectives of an initiative and their key results. A key result without a number or
a deadline is refused with a hint; vague wording gets a warning the group can override."""
from datetime import datetime
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l

from ..extensions import db
from ..models import (AgendaItem, KeyResult, Objective, Participant, Session, Stakeholder,
                      utcnow)
from ..tacts.base import validate
from ..tacts.okr import KeyResultForm, ObjectiveForm, is_vague
from . import rooms, serialize
from .actors import require
from .errors import DomainError, Invalid
from .initiatives import (load_initiative, load_item, lock_session,
                          require_group_member, require_open_for_participant)
from .rows import author_fields, is_own, load_row, parse_client_id, resent
from .unit import unit_of_work


class Vague(DomainError):
    """A warning rather than a refusal: the client may resend with `accept_vague`."""

    code = "vague"
    default = _l("“Improve” or “raise” without a figure cannot be checked later: say by how "
                 "much (e.g. “from 40 to 120 pupils”). Keep it anyway if the group insists.")


def key_results_of(objective_id):
    return db.session.scalars(db.select(KeyResult).where(
        KeyResult.objective_id == objective_id, KeyResult.deleted_at.is_(None))
        .order_by(KeyResult.id)).all()


def _owner(k):
    if k.owner_stakeholder_id is not None:
        s = db.session.get(Stakeholder, k.owner_stakeholder_id)
        return {"kind": "stakeholder", "id": s.id, "name": s.name}
    p = db.session.get(Participant, k.owner_participant_id)
    return {"kind": "participant", "id": p.id, "name": p.display_name}


def objective_data(o):
    krs = key_results_of(o.id)
    return serialize.objective(o, krs, {k.id: _owner(k) for k in krs})


def _emit(unit, o):
    return unit.row_event(o, "objective.changed", objective_data,
                          [rooms.group_room(o.group_id), rooms.projector_room(o.session_id)])


def _load(actor, objective_id):
    return load_row(Objective, actor, objective_id, _l("This objective does not exist."),
                    _l("This objective was deleted meanwhile."))


def _writable(actor, o):
    require_group_member(actor, o.group_id)
    require_open_for_participant(actor, db.session.get(AgendaItem, o.item_id))


def add_objective(actor, data):
    data = data if isinstance(data, dict) else {}
    client_id = parse_client_id(data.get("client_id"))
    existing = resent(Objective, client_id, actor)
    if existing is not None:
        return objective_data(existing), False
    text = validate(ObjectiveForm, data)["text"]
    with unit_of_work() as unit:
        lock_session(unit, actor.session_id)
        item = load_item(actor, data.get("item_id"), ("okr",))
        initiative = load_initiative(actor, data.get("initiative_id"))
        require_group_member(actor, initiative.work_group_id)
        require_open_for_participant(actor, item)
        o = Objective(client_id=client_id, session_id=actor.session_id, item_id=item.id,
                      group_id=initiative.work_group_id, initiative_id=initiative.id, text=text,
                      **author_fields(actor))
        db.session.add(o)
        db.session.flush()
        return _emit(unit, o), True


def edit_objective(actor, data):
    data = data if isinstance(data, dict) else {}
    text = validate(ObjectiveForm, data)["text"]
    with unit_of_work() as unit:
        lock_session(unit, actor.session_id)
        o = _load(actor, data.get("id"))
        _writable(actor, o)
        o.text = text
        return _emit(unit, o)


def _may_delete(actor, row, group_id):
    if actor.participant is None and actor.may_moderate_group(group_id):
        return
    require(is_own(row, actor), _l("You can delete only what you added."))


def delete_objective(actor, data):
    data = data if isinstance(data, dict) else {}
    with unit_of_work() as unit:
        lock_session(unit, actor.session_id)
        o = _load(actor, data.get("id"))
        _writable(actor, o)
        _may_delete(actor, o, o.group_id)
        o.deleted_at = utcnow()
        return _emit(unit, o)


def _clean_key_result(data):
    fields = {k: data.get(k) for k in ("metric", "baseline", "target", "unit", "deadline")}
    fields = {k: ("" if v is None else v) for k, v in fields.items()}
    for number in ("baseline", "target"):  # a decimal comma is how Russians write numbers
        if isinstance(fields[number], str):
            fields[number] = fields[number].replace(",", ".").replace(" ", "").replace("\u00a0", "")
    try:
        return validate(KeyResultForm, fields)
    except Invalid as exc:
        if exc.field in ("target", "baseline") and fields.get(exc.field) not in ("", None):
            raise Invalid(_l("The target must be a number, e.g. 120 or 2.5; write words in the "
                             "metric or the unit."), field=exc.field) from None
        if exc.field == "deadline" and fields.get("deadline"):
            raise Invalid(_l("Give the deadline as a date, e.g. 2027-06-30."),
                          field="deadline") from None
        raise


def _resolve_owner(actor, owner, initiative_id, group_id):
    """"s<id>": a live stakeholder of the initiative; "p<id>": a participant of the group."""
    owner = str(owner or "")
    kind, number = owner[:1], owner[1:]
    if not number.isdigit():
        raise Invalid(_l("Choose who owns this key result."), field="owner")
    if kind == "s":
        s = db.session.get(Stakeholder, int(number))
        if s is None or s.initiative_id != initiative_id or s.deleted_at is not None:
            raise Invalid(_l("Choose a stakeholder of this initiative as the owner."), field="owner")
        return {"owner_stakeholder_id": s.id}
    if kind == "p":
        p = db.session.get(Participant, int(number))
        if p is None or p.group_id != group_id or p.removed_at is not None:
            raise Invalid(_l("Choose a participant of your group as the owner."), field="owner")
        return {"owner_participant_id": p.id}
    raise Invalid(_l("Choose who owns this key result."), field="owner")


def add_key_result(actor, data):
    """Add a key result; refused without a number or a deadline, warned when vague."""
    data = data if isinstance(data, dict) else {}
    client_id = parse_client_id(data.get("client_id"))
    existing = resent(KeyResult, client_id, actor)
    if existing is not None:
        return objective_data(db.session.get(Objective, existing.objective_id)), False
    clean = _clean_key_result(data)
    accept_vague = data.get("accept_vague") is True
    if is_vague(clean["metric"]) and not accept_vague:
        raise Vague(field="metric")
    with unit_of_work() as unit:
        lock_session(unit, actor.session_id)
        o = _load(actor, data.get("objective_id"))
        _writable(actor, o)
        session = db.session.get(Session, actor.session_id)
        today = datetime.now(ZoneInfo(session.timezone)).date()
        if clean["deadline"] < today:
            raise Invalid(_l("The deadline has already passed; choose a date from today on."),
                          field="deadline")
        owner = _resolve_owner(actor, data.get("owner"), o.initiative_id, o.group_id)
        db.session.add(KeyResult(
            client_id=client_id, session_id=actor.session_id, objective_id=o.id,
            metric=clean["metric"], baseline=clean["baseline"], target=clean["target"],
            unit=clean["unit"] or "", deadline=clean["deadline"],
            vague_accepted=accept_vague and is_vague(clean["metric"]), **owner, **author_fields(actor)))
        return _emit(unit, o), True


def delete_key_result(actor, data):
    data = data if isinstance(data, dict) else {}
    k = load_row(KeyResult, actor, data.get("id"), _l("This key result no longer exists."))
    with unit_of_work() as unit:
        lock_session(unit, actor.session_id)
        o = _load(actor, k.objective_id)
        _writable(actor, o)
        _may_delete(actor, k, o.group_id)
        k.deleted_at = utcnow()
        return _emit(unit, o)


def visible_objectives(actor, group_ids, everything):
    query = db.select(Objective).where(Objective.session_id == actor.session_id,
                                       Objective.deleted_at.is_(None))
    if not everything:
        query = query.where(Objective.group_id.in_(group_ids))
    return [objective_data(o) for o in db.session.scalars(query.order_by(Objective.id))]
