"""Tacts 4 and 5: stakeholders of an initiative with the values they decide on, the resource
flows between them and the initiative, and the balance that flags one-sided stakeholders."""
from flask_babel import force_locale, gettext
from flask_babel import lazy_gettext as _l

from ..extensions import db
from ..models import AgendaItem, Flow, Initiative, Session, Stakeholder, StakeholderValue, utcnow
from ..models.board import STAKEHOLDER_TYPES
from ..tacts.base import validate
from ..tacts.resources import FlowForm
from ..tacts.stakeholders import StakeholderEditForm, StakeholderForm, ValueForm
from . import serialize
from .actors import require
from .errors import Closed, Conflict, Invalid
from .initiatives import (initiative_rooms, load_initiative, load_item, lock_session,
                          require_group_member, require_moderator, require_open_for_participant)
from .rows import author_fields, is_own, load_row, parse_client_id
from .unit import unit_of_work

WORK_KINDS = ("stakeholders", "resources")


# -- reading --------------------------------------------------------------------------------
def values_of(stakeholder_id):
    return db.session.scalars(
        db.select(StakeholderValue).where(StakeholderValue.stakeholder_id == stakeholder_id,
                                          StakeholderValue.deleted_at.is_(None))
        .order_by(StakeholderValue.id)).all()


def stakeholder_data(stakeholder):
    return serialize.stakeholder(stakeholder, values_of(stakeholder.id))


def live_stakeholders(initiative_id):
    return db.session.scalars(
        db.select(Stakeholder).where(Stakeholder.initiative_id == initiative_id,
                                     Stakeholder.deleted_at.is_(None))
        .order_by(Stakeholder.id)).all()


def live_flows(initiative_id):
    return db.session.scalars(
        db.select(Flow).where(Flow.initiative_id == initiative_id, Flow.deleted_at.is_(None))
        .order_by(Flow.id)).all()


def balance(initiative, language=None):
    """Per stakeholder: the flows it gives, spends and gains, and a flag when one-sided.

    A flow *from* S marked given or gained is something S gives; marked spent, something S
    spends; a flow *to* S is something S gains. S is flagged when it has flows and they all
    go one way. `reason` is in the session's language (it is shown to the whole room).
    """
    flows = live_flows(initiative.id)
    rows = []
    for s in live_stakeholders(initiative.id):
        gives = [f.id for f in flows if f.source_id == s.id and f.mark in ("given", "gained")]
        spends = [f.id for f in flows if f.source_id == s.id and f.mark == "spent"]
        gains = [f.id for f in flows if f.target_id == s.id]
        flag = None
        if (gives or spends) and not gains:
            flag = "only_gives"
        elif gains and not (gives or spends):
            flag = "only_gains"
        rows.append({"stakeholder_id": s.id, "name": s.name, "type": s.type, "gives": gives,
                     "spends": spends, "gains": gains, "flag": flag,
                     "reason": _reason(flag, language or _language(initiative))})
    return {"initiative_id": initiative.id, "group_id": initiative.group_id, "rows": rows}


def _language(initiative):
    return db.session.get(Session, initiative.session_id).language


def _reason(flag, language):
    if flag is None:
        return ""
    with force_locale(language):
        if flag == "only_gives":
            return gettext("Only gives and gains nothing: why would it take part? "
                           "Find what it gets back.")
        return gettext("Only gains and gives nothing: what does it bring? "
                       "Find its contribution.")


def emit_balance(unit, initiative):
    data = balance(initiative)
    unit.bump(initiative.session_id, "balance.changed", data, initiative_rooms(initiative))
    return data


def _emit_stakeholder(unit, stakeholder):
    return unit.row_event(stakeholder, "stakeholder.changed", stakeholder_data,
                          initiative_rooms(db.session.get(Initiative, stakeholder.initiative_id)))


def _emit_flow(unit, flow):
    return unit.row_event(flow, "flow.changed", serialize.flow,
                          initiative_rooms(db.session.get(Initiative, flow.initiative_id)))


# -- permissions ----------------------------------------------------------------------------
def _may_change(actor, row, group_id, item):
    """Moderators of the group always; authors while their tact runs unlocked."""
    if actor.participant is None and actor.may_moderate_group(group_id):
        return
    require(is_own(row, actor), _l("You can change only what you added."))
    if item is None or item.locked or item.state == "done":
        raise Closed(_l("The moderator has locked this tact; it can no longer be changed."))


def _work_item(actor, data, kinds, initiative):
    item = load_item(actor, data.get("item_id"), kinds)
    require_group_member(actor, initiative.group_id)
    require_open_for_participant(actor, item)
    return item


def _load_stakeholder(actor, stakeholder_id, message=None):
    return load_row(Stakeholder, actor, stakeholder_id, _l("This stakeholder does not exist."),
                    message or _l("This stakeholder was deleted or merged meanwhile; "
                                  "the screen shows the current list."))


def _existing(model, client_id, actor):
    row = db.session.scalar(db.select(model).where(model.client_id == client_id))
    if row is not None and (row.session_id != actor.session_id or not is_own(row, actor)):
        raise Conflict(_l("This client id is already used; please reload the page."))
    return row


# -- stakeholders and values ----------------------------------------------------------------
def add_stakeholder(actor, data):
    """Add a stakeholder (and optionally its first values) to an initiative. Idempotent."""
    data = data if isinstance(data, dict) else {}
    client_id = parse_client_id(data.get("client_id"))
    existing = _existing(Stakeholder, client_id, actor)
    if existing is not None:
        return stakeholder_data(existing), False
    clean = validate(StakeholderForm, data)
    values = data.get("values") or []
    if not isinstance(values, list) or len(values) > 20:
        raise Invalid(field="values")
    texts = [validate(ValueForm, {"text": v})["text"] for v in values if str(v or "").strip()]
    with unit_of_work() as unit:
        lock_session(unit, actor.session_id)
        initiative = load_initiative(actor, data.get("initiative_id"))
        item = _work_item(actor, data, WORK_KINDS, initiative)
        stakeholder = Stakeholder(client_id=client_id, session_id=actor.session_id,
                                  item_id=item.id, group_id=initiative.group_id,
                                  initiative_id=initiative.id, name=clean["name"],
                                  type=clean["type"], **author_fields(actor))
        db.session.add(stakeholder)
        db.session.flush()
        for text in texts:
            db.session.add(StakeholderValue(session_id=actor.session_id,
                                            stakeholder_id=stakeholder.id, text=text,
                                            **author_fields(actor)))
        db.session.flush()
        out = _emit_stakeholder(unit, stakeholder)
        emit_balance(unit, initiative)
        return out, True


def edit_stakeholder(actor, data):
    data = data if isinstance(data, dict) else {}
    fields = {k: data[k] for k in ("name", "type") if k in data}
    if not fields:
        raise Invalid(_l("Nothing to change."))
    clean = validate(StakeholderEditForm, fields)
    if "name" in fields and not clean["name"]:
        raise Invalid(_l("Name the stakeholder."), field="name")
    if "type" in fields and fields["type"] not in STAKEHOLDER_TYPES:
        raise Invalid(_l("Choose a type from the list."), field="type")
    with unit_of_work() as unit:
        lock_session(unit, actor.session_id)
        stakeholder = _load_stakeholder(actor, data.get("id"))
        _may_change(actor, stakeholder, stakeholder.group_id,
                    db.session.get(AgendaItem, stakeholder.item_id))
        for key in fields:
            setattr(stakeholder, key, clean[key])
        out = _emit_stakeholder(unit, stakeholder)
        emit_balance(unit, db.session.get(Initiative, stakeholder.initiative_id))
        return out


def delete_stakeholder(actor, data):
    """Delete a stakeholder; its flows go with it (a balance never names a deleted one)."""
    data = data if isinstance(data, dict) else {}
    with unit_of_work() as unit:
        lock_session(unit, actor.session_id)
        stakeholder = _load_stakeholder(actor, data.get("id"))
        _may_change(actor, stakeholder, stakeholder.group_id,
                    db.session.get(AgendaItem, stakeholder.item_id))
        now = utcnow()
        stakeholder.deleted_at = now
        out = _emit_stakeholder(unit, stakeholder)
        for flow in live_flows(stakeholder.initiative_id):
            if stakeholder.id in (flow.source_id, flow.target_id):
                flow.deleted_at = now
                _emit_flow(unit, flow)
        emit_balance(unit, db.session.get(Initiative, stakeholder.initiative_id))
        return out


def merge_stakeholders(actor, data):
    """Merge duplicate `id` into `into` (same initiative): values and flows move along; a flow
    that would go from the stakeholder to itself is dropped."""
    data = data if isinstance(data, dict) else {}
    with unit_of_work() as unit:
        lock_session(unit, actor.session_id)
        source = _load_stakeholder(actor, data.get("id"))
        target = _load_stakeholder(actor, data.get("into"))
        require_moderator(actor, source.group_id)
        if source.id == target.id or source.initiative_id != target.initiative_id:
            raise Invalid(_l("Stakeholders can be merged only within one initiative."))
        known = {v.text.casefold() for v in values_of(target.id)}
        for value in values_of(source.id):
            if value.text.casefold() in known:
                value.deleted_at = utcnow()
            else:
                value.stakeholder_id = target.id
                known.add(value.text.casefold())
        now = utcnow()
        for flow in live_flows(source.initiative_id):
            if source.id not in (flow.source_id, flow.target_id):
                continue
            if flow.source_id == source.id:
                flow.source_id = target.id
            if flow.target_id == source.id:
                flow.target_id = target.id
            if flow.source_id == flow.target_id:
                flow.deleted_at = now
            _emit_flow(unit, flow)
        source.deleted_at = now
        source.merged_into_id = target.id
        db.session.flush()
        _emit_stakeholder(unit, source)
        out = _emit_stakeholder(unit, target)
        emit_balance(unit, db.session.get(Initiative, target.initiative_id))
        return out


def add_value(actor, data):
    """Add a value on which a stakeholder decides to take part. Idempotent by client id."""
    data = data if isinstance(data, dict) else {}
    client_id = parse_client_id(data.get("client_id"))
    existing = _existing(StakeholderValue, client_id, actor)
    if existing is not None:
        return stakeholder_data(db.session.get(Stakeholder, existing.stakeholder_id))
    text = validate(ValueForm, data)["text"]
    with unit_of_work() as unit:
        lock_session(unit, actor.session_id)
        stakeholder = _load_stakeholder(actor, data.get("stakeholder_id"))
        require_group_member(actor, stakeholder.group_id)
        current = _current_work_item(actor)
        require_open_for_participant(actor, current or db.session.get(AgendaItem,
                                                                      stakeholder.item_id))
        db.session.add(StakeholderValue(client_id=client_id, session_id=actor.session_id,
                                        stakeholder_id=stakeholder.id, text=text,
                                        **author_fields(actor)))
        db.session.flush()
        return _emit_stakeholder(unit, stakeholder)


def _current_work_item(actor):
    """The current item when it is a tact 4 or 5 item (where participants add values)."""
    session = db.session.get(Session, actor.session_id)
    item = session.current_item
    return item if item is not None and item.kind in WORK_KINDS else None


def delete_value(actor, data):
    data = data if isinstance(data, dict) else {}
    value = load_row(StakeholderValue, actor, data.get("id"), _l("This value no longer exists."))
    with unit_of_work() as unit:
        lock_session(unit, actor.session_id)
        stakeholder = _load_stakeholder(actor, value.stakeholder_id)
        _may_change(actor, value, stakeholder.group_id, _current_work_item(actor)
                    or db.session.get(AgendaItem, stakeholder.item_id))
        value.deleted_at = utcnow()
        return _emit_stakeholder(unit, stakeholder)


# -- flows ----------------------------------------------------------------------------------
def _end(actor, value, initiative, field):
    """A flow's end: None (the initiative) or a live stakeholder of the same initiative."""
    if value is None:
        return None
    stakeholder = _load_stakeholder(actor, value, _l(
        "A stakeholder of this flow was deleted or merged meanwhile; choose again."))
    if stakeholder.initiative_id != initiative.id:
        raise Invalid(_l("Choose a stakeholder of this initiative."), field=field)
    return stakeholder.id


def add_flow(actor, data):
    """Add a resource flow between stakeholders or to/from the initiative. Idempotent."""
    data = data if isinstance(data, dict) else {}
    client_id = parse_client_id(data.get("client_id"))
    existing = _existing(Flow, client_id, actor)
    if existing is not None:
        return serialize.flow(existing), False
    clean = validate(FlowForm, {k: data.get(k) or "" for k in ("resource", "resource_text",
                                                                "mark")})
    with unit_of_work() as unit:
        lock_session(unit, actor.session_id)
        initiative = load_initiative(actor, data.get("initiative_id"))
        item = _work_item(actor, data, ("resources",), initiative)
        source = _end(actor, data.get("source_id"), initiative, "source_id")
        target = _end(actor, data.get("target_id"), initiative, "target_id")
        if source == target:
            raise Invalid(_l("A flow goes from one party to another: choose two different ones."),
                          field="target_id")
        flow = Flow(client_id=client_id, session_id=actor.session_id, item_id=item.id,
                    group_id=initiative.group_id, initiative_id=initiative.id, source_id=source,
                    target_id=target, resource=clean["resource"],
                    resource_text=clean["resource_text"] or "", mark=clean["mark"],
                    **author_fields(actor))
        db.session.add(flow)
        db.session.flush()
        out = _emit_flow(unit, flow)
        emit_balance(unit, initiative)
        return out, True


def delete_flow(actor, data):
    data = data if isinstance(data, dict) else {}
    flow = load_row(Flow, actor, data.get("id"), _l("This flow no longer exists."))
    with unit_of_work() as unit:
        lock_session(unit, actor.session_id)
        _may_change(actor, flow, flow.group_id, db.session.get(AgendaItem, flow.item_id))
        flow.deleted_at = utcnow()
        _emit_flow(unit, flow)
        emit_balance(unit, db.session.get(Initiative, flow.initiative_id))
        return {}


# -- merges of initiatives ------------------------------------------------------------------
def move_initiative_content(unit, source, target):
    """Move the stakeholders and flows of a merged initiative to the one it joined."""
    moved = False
    for stakeholder in live_stakeholders(source.id):
        stakeholder.initiative_id = target.id
        _emit_stakeholder(unit, stakeholder)
        moved = True
    for flow in live_flows(source.id):
        flow.initiative_id = target.id
        _emit_flow(unit, flow)
        moved = True
    return moved

