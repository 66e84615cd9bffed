"""Tact 6: a group asks another group for what one of its initiatives needs; the receiving
group proposes solutions and moves the request's status; both sides see it live.

Status rules: the receiving side moves a request to discussing, accepted or declined; the
sending side marks an accepted request done, or withdraws it while it is new.
"""
from flask_babel import lazy_gettext as _l

from ..extensions import db
from ..models import Initiative, Request, Solution, utcnow
from ..tacts.base import validate
from ..tacts.requests import RequestForm, SolutionForm, StatusForm
from . import rooms, serialize
from .actors import require
from .errors import Closed, Invalid
from .initiatives import (load_group, load_initiative, load_item, lock_session,
                          require_open_for_participant)
from .teams import has_teams
from .rows import author_fields, load_row, parse_client_id, resent
from .unit import unit_of_work

RECEIVER_STATUSES = ("discussing", "accepted", "declined")


def acts_for(actor, group_id):
    """Whether the actor speaks for the group: a participant of it, or one who moderates it."""
    if actor.participant is not None:
        return actor.participant.group_id == group_id
    return actor.may_moderate_group(group_id)


def request_rooms(r):
    return [rooms.group_room(r.from_group_id), rooms.group_room(r.to_group_id),
            rooms.projector_room(r.session_id)]


def solutions_of(request_id):
    return db.session.scalars(db.select(Solution).where(Solution.request_id == request_id)
                              .order_by(Solution.id)).all()


def request_data(r):
    return serialize.request(r, solutions_of(r.id), db.session.get(Initiative, r.initiative_id).name)


def _emit(unit, r):
    return unit.row_event(r, "request.changed", request_data, request_rooms(r))


def _load(actor, request_id):
    return load_row(Request, actor, request_id, _l("This request does not exist."),
                    _l("This request was withdrawn meanwhile."))


def _current_item(actor, r):
    """Participants act while the requests tact runs; the item a request was made in."""
    from ..models import AgendaItem
    require_open_for_participant(actor, db.session.get(AgendaItem, r.item_id))


def send_request(actor, data):
    """Send a request from the actor's group to another one. Idempotent by client id."""
    data = data if isinstance(data, dict) else {}
    client_id = parse_client_id(data.get("client_id"))
    existing = resent(Request, client_id, actor)
    if existing is not None:
        return request_data(existing), False
    clean = validate(RequestForm, {"need": data.get("need") or "", "text": data.get("text")})
    with unit_of_work() as unit:
        lock_session(unit, actor.session_id)
        item = load_item(actor, data.get("item_id"), ("requests",))
        initiative = load_initiative(actor, data.get("initiative_id"))
        sender = initiative.work_group_id
        require(acts_for(actor, sender),
                _l("A request goes out for an initiative of your own group."))
        require_open_for_participant(actor, item)
        target = load_group(actor, data.get("to_group_id"))
        if target.id == sender:
            raise Invalid(_l("Send the request to another group, not to your own."),
                          field="to_group_id")
        if target.stage != 2 and has_teams(actor.session_id):
            raise Invalid(_l("This group has handed its initiatives to the day-two teams: "
                             "send the request to a team."), field="to_group_id")
        r = Request(client_id=client_id, session_id=actor.session_id, item_id=item.id,
                    from_group_id=sender, to_group_id=target.id,
                    initiative_id=initiative.id, need=clean["need"], text=clean["text"],
                    status="new", **author_fields(actor))
        db.session.add(r)
        db.session.flush()
        return _emit(unit, r), True


def answer_request(actor, data):
    """The receiving group proposes a solution. Idempotent by client id."""
    data = data if isinstance(data, dict) else {}
    client_id = parse_client_id(data.get("client_id"))
    existing = resent(Solution, client_id, actor)
    if existing is not None:
        return request_data(db.session.get(Request, existing.request_id))
    text = validate(SolutionForm, data)["text"]
    with unit_of_work() as unit:
        lock_session(unit, actor.session_id)
        r = _load(actor, data.get("request_id"))
        require(acts_for(actor, r.to_group_id),
                _l("Only the group the request was sent to can propose a solution."))
        _current_item(actor, r)
        if r.status in ("declined", "done"):
            raise Closed(_l("This request is closed."))
        db.session.add(Solution(client_id=client_id, session_id=actor.session_id,
                                request_id=r.id, text=text, **author_fields(actor)))
        if r.status == "new":
            r.status = "discussing"
        return _emit(unit, r)


def set_status(actor, data):
    """Move a request's status as the rules of the sending and receiving sides allow."""
    data = data if isinstance(data, dict) else {}
    status = validate(StatusForm, {"status": data.get("status") or ""})["status"]
    with unit_of_work() as unit:
        lock_session(unit, actor.session_id)
        r = _load(actor, data.get("id"))
        receiver, sender = acts_for(actor, r.to_group_id), acts_for(actor, r.from_group_id)
        require(receiver or sender, _l("Only the two groups of a request can change it."))
        _current_item(actor, r)
        if status in RECEIVER_STATUSES:
            require(receiver, _l("Only the group the request was sent to can answer it."))
            if r.status == "done":
                raise Closed(_l("This request is done."))
        elif status == "done":
            require(sender, _l("Only the group that sent the request marks it done."))
            if r.status != "accepted":
                raise Invalid(_l("A request is done only after it was accepted."), field="status")
        else:
            raise Invalid(_l("A request cannot go back to new."), field="status")
        if r.status == status:
            return request_data(r)
        r.status = status
        return _emit(unit, r)


def withdraw(actor, data):
    """The sending group takes back a request nobody has answered yet."""
    data = data if isinstance(data, dict) else {}
    with unit_of_work() as unit:
        lock_session(unit, actor.session_id)
        r = _load(actor, data.get("id"))
        require(acts_for(actor, r.from_group_id),
                _l("Only the group that sent the request can withdraw it."))
        _current_item(actor, r)
        if r.status != "new":
            raise Closed(_l("The other group has already answered; the request stays."))
        r.deleted_at = utcnow()
        return _emit(unit, r)


def visible_requests(actor, group_ids, everything):
    """The requests the actor's groups sent or received (all of them for the chief)."""
    query = db.select(Request).where(Request.session_id == actor.session_id,
                                     Request.deleted_at.is_(None))
    if not everything:
        query = query.where(Request.from_group_id.in_(group_ids)
                            | Request.to_group_id.in_(group_ids))
    return [request_data(r) for r in db.session.scalars(query.order_by(Request.id))]

