"""Participants: joining by code without an account, moving between groups, removal."""
import uuid

from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import Group, Participant, Session, utcnow
from . import rooms, serialize
from .actors import require
from .codes import normalize_code
from .errors import Invalid, NotAllowed, NotFound
from .forms import JoinForm, check
from .teams import active_groups
from .unit import unit_of_work


def find_session_by_code(raw_code, with_groups=False):
    """The session a typed join code opens. Raises NotFound with a clear message. With
    `with_groups`, its groups come in the same query (the join form lists them)."""
    code = normalize_code(raw_code)
    query = db.select(Session).where(Session.join_code == code)
    if with_groups:
        query = query.options(joinedload(Session.groups))
    session = db.session.execute(query).unique().scalar_one_or_none() if code else None
    if session is None:
        raise NotFound(_l("There is no session with this code. Check the code on the screen."),
                       field="code")
    if session_is_over(session):
        raise NotFound(_l("This session is over: its code no longer opens it."), field="code")
    return session


def session_is_over(session):
    """Whether the session's last day has passed in its own time zone."""
    from datetime import datetime
    from zoneinfo import ZoneInfo
    return datetime.now(ZoneInfo(session.timezone)).date() > session.ends_on


def _least_filled_group(session_id, group_ids):
    counts = db.session.execute(
        db.select(Group.id, db.func.count(Participant.id))
        .outerjoin(Participant, (Participant.group_id == Group.id)
                   & Participant.removed_at.is_(None))
        .where(Group.session_id == session_id, Group.id.in_(group_ids))
        .group_by(Group.id, Group.position).order_by(db.func.count(Participant.id), Group.position)
    ).first()
    return counts[0] if counts else None


def join(session, data, preassigned_group_id=None):
    """Join a session as a participant; a resend with the same client id returns the same one.

    The group is the one pre-assigned by a group link, the one chosen, or, when the organizer
    set "assign", the least filled. Raises Invalid with the field at fault.
    """
    form = check(JoinForm, data)
    try:
        client_id = str(uuid.UUID(str(form.client_id.data)))
    except ValueError:
        client_id = str(uuid.uuid4())
    # A resend (the same client id: a double tap, a retry on a slow network) is told by the
    # unique client id when the row is written, not by a read before every join.
    group_id = (preassigned_group_id if preassigned_group_id in {g.id for g in session.groups}
                else None)
    group_ids = {g.id for g in active_groups(session)}  # the day-two teams once formed
    if group_id is None and group_ids:
        if session.group_assignment == "assign":
            group_id = _least_filled_group(session.id, group_ids)
        else:
            group_id = form.group_id.data
            if group_id not in group_ids:
                raise Invalid(_l("Please choose your group."), field="group_id")
    try:
        with unit_of_work() as unit:
            participant = Participant(session_id=session.id, group_id=group_id,
                                      display_name=form.display_name.data, client_id=client_id)
            db.session.add(participant)
            db.session.flush()
            unit.bump(session.id, "participant.joined", serialize.participant(participant),
                      [rooms.moderators_room(session.id)])
    except IntegrityError:
        db.session.rollback()
        participant = db.session.scalar(
            db.select(Participant).where(Participant.client_id == client_id))
        if participant is None or participant.session_id != session.id:
            raise
    return participant


def move_participant(actor, participant_id, group_id):
    """Move a participant to another group (moderators). Their phone follows without rejoining."""
    require(actor.is_chief, _l("Only the chief moderator can do this."))
    with unit_of_work() as unit:
        participant = db.session.get(Participant, participant_id)
        group = db.session.get(Group, group_id) if isinstance(group_id, int) else None
        if participant is None or participant.session_id != actor.session_id:
            raise NotFound()
        if group is None or group.session_id != actor.session_id:
            raise NotFound(_l("This group does not exist."), field="group_id")
        participant.group_id = group.id
        data = serialize.participant(participant)
        unit.bump(actor.session_id, "participant.moved", data,
                  [rooms.moderators_room(actor.session_id),
                   rooms.participant_room(participant.id)])
    return participant


def remove_participant(actor, participant_id):
    """Remove a participant: from now on every event of theirs is refused."""
    require(actor.is_moderator, _l("Only moderators can do this."))
    with unit_of_work() as unit:
        participant = (db.session.get(Participant, participant_id)
                       if isinstance(participant_id, int) else None)
        if participant is None or participant.session_id != actor.session_id:
            raise NotFound()
        if participant.group_id and not actor.may_moderate_group(participant.group_id):
            raise NotAllowed()
        participant.removed_at = participant.removed_at or utcnow()
        data = serialize.participant(participant)
        unit.bump(actor.session_id, "participant.removed", data,
                  [rooms.moderators_room(actor.session_id),
                   rooms.participant_room(participant.id)])
    return participant


def participants_of(session_id):
    """Everyone who has joined, by group then name."""
    return db.session.scalars(
        db.select(Participant).where(Participant.session_id == session_id)
        .order_by(Participant.group_id, Participant.display_name, Participant.id)).all()
