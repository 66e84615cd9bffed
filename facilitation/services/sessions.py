"""Organizer operations: sessions from templates, their settings, agenda times, groups, invites."""
import secrets
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import AgendaItem, Group, Invitation, Membership, Participant, Session, User, utcnow
from ..templates_lib import DEFAULT_TEMPLATE, load_template
from . import rooms, serialize
from .actors import require, user_actor
from .codes import new_join_code
from .errors import Conflict, Invalid, NotAllowed, NotFound
from .forms import AgendaItemForm, GroupForm, SessionForm, check
from .unit import unit_of_work


def _organizer(user, session_id):
    actor = user_actor(user, session_id)
    require(actor.is_organizer, _l("Only the session's organizers can do this."))
    return actor


def create_session(user, title, starts_on, timezone="Europe/Moscow",
                   template=DEFAULT_TEMPLATE, language="ru", ends_on=None,
                   group_assignment="choose", program=None):
    """Create a session from a template; the creator becomes organizer and chief moderator.

    `program`, when given, is the normalized template to use (an organizer's saved one, see
    services/program.py) and `template` the name to remember. Raises NotFound for an unknown
    template, Invalid for bad dates.
    """
    require(user is not None)
    program = program or load_template(template)
    lang = language if language in ("ru", "en") else "ru"
    if not isinstance(starts_on, date):
        raise Invalid(_l("Please give a date."), field="starts_on")
    from datetime import timedelta
    ends_on = ends_on or starts_on + timedelta(days=program["days"] - 1)
    for _attempt in range(8):
        with unit_of_work():
            session = Session(title=title or program["title"][lang], language=lang,
                              starts_on=starts_on, ends_on=ends_on, timezone=timezone,
                              join_code=new_join_code(), template_name=template,
                              group_assignment=group_assignment,
                              projector_key=secrets.token_urlsafe(24))
            db.session.add(session)
            for position, it in enumerate(program["items"]):
                db.session.add(AgendaItem(
                    session=session, position=position, day=it["day"], kind=it["kind"],
                    tact=it["tact"], scope=it["scope"], title=it["title"][lang],
                    instructions=it["instructions"][lang], start_time=it["start"],
                    texts={other: {"title": it["title"][other],
                                   "instructions": it["instructions"][other]}
                           for other in it["title"] if other != lang},
                    duration_min=it["duration"], timer_duration_s=it["duration"] * 60))
            for role in ("organizer", "chief_moderator"):
                db.session.add(Membership(session=session, user_id=user.id, role=role))
            try:
                db.session.flush()
            except IntegrityError:  # a join code collision: draw another
                db.session.rollback()
                continue
            from .experts import ensure_criteria
            ensure_criteria(session)
        return session
    raise Conflict()


def update_session(user, session_id, data):
    """Change title, dates, time zone and group assignment. Raises Invalid, NotAllowed."""
    _organizer(user, session_id)
    form = check(SessionForm, data)
    with unit_of_work() as unit:
        session = db.session.get(Session, session_id)
        session.title = form.title.data
        session.starts_on = form.starts_on.data
        session.ends_on = form.ends_on.data
        session.timezone = form.timezone.data
        session.group_assignment = form.group_assignment.data
        unit.bump(session.id, "session.changed", session_info(session),
                  [rooms.session_room(session.id)])
    return session


def session_info(session):
    """The session's public header, as clients see it."""
    return {"id": session.id, "title": session.title, "join_code": session.join_code,
            "timezone": session.timezone, "language": session.language,
            "starts_on": session.starts_on.isoformat(), "ends_on": session.ends_on.isoformat(),
            "teams_open": session.teams_opened_at is not None}


def update_item(user, session_id, item_id, data):
    """Edit an agenda item's title, instructions, day, start and duration (organizers)."""
    _organizer(user, session_id)
    form = check(AgendaItemForm, data)
    with unit_of_work() as unit:
        item = db.session.get(AgendaItem, item_id)
        if item is None or item.session_id != session_id:
            raise NotFound()
        from .program import editable
        if not editable(item.session, item):  # the program builder's rule: only items ahead
            raise Invalid(_l("This item is current or already done: it can no longer be "
                             "changed."))
        item.title = form.title.data
        item.instructions = form.instructions.data or ""
        item.day = form.day.data
        item.start_time = form.start_time.data
        if item.duration_min != form.duration_min.data and item.state == "pending":
            item.timer_duration_s = form.duration_min.data * 60
        item.duration_min = form.duration_min.data
        unit.bump(session_id, "item.changed", serialize.item(item),
                  [rooms.session_room(session_id)])
    return item


def _moderator_users(session_id, raw):
    ids = [int(x) for x in str(raw or "").replace(",", " ").split() if x.isdigit()]
    if not ids:
        return []
    users = db.session.scalars(
        db.select(User).join(Membership, Membership.user_id == User.id)
        .where(User.id.in_(ids), Membership.session_id == session_id)).unique().all()
    return list(users)


def save_group(user, session_id, data, group_id=None):
    """Create a group, or rename it and change its frame and moderators."""
    _organizer(user, session_id)
    form = check(GroupForm, data)
    with unit_of_work() as unit:
        if group_id is None:
            position = db.session.scalar(
                db.select(db.func.count(Group.id)).where(Group.session_id == session_id))
            group = Group(session_id=session_id, position=position)
            db.session.add(group)
        else:
            group = db.session.get(Group, group_id)
            if group is None or group.session_id != session_id:
                raise NotFound()
        group.name = form.name.data
        group.subject_frame = form.subject_frame.data or ""
        if form.moderator_ids.data is not None and "moderator_ids" in data:
            group.moderators = _moderator_users(session_id, form.moderator_ids.data)
        db.session.flush()
        unit.bump(session_id, "group.changed", serialize.group(group),
                  [rooms.session_room(session_id)])
    return group


def delete_group(user, session_id, group_id):
    """Delete an empty group. Raises Invalid when it already has participants or posts."""
    _organizer(user, session_id)
    from ..models import Trend
    with unit_of_work() as unit:
        group = db.session.get(Group, group_id)
        if group is None or group.session_id != session_id:
            raise NotFound()
        used = db.session.scalar(db.select(db.func.count(Participant.id))
                                 .where(Participant.group_id == group.id)) or db.session.scalar(
            db.select(db.func.count(Trend.id)).where(Trend.group_id == group.id))
        if used:
            raise Invalid(_l("This group already has participants or posts; rename it instead."))
        db.session.delete(group)
        unit.bump(session_id, "group.deleted", {"id": group_id}, [rooms.session_room(session_id)])


def assign_moderator(user, session_id, group_id, moderator):
    """Make a staff user a moderator of a group."""
    _organizer(user, session_id)
    with unit_of_work():
        group = db.session.get(Group, group_id)
        if group is None or group.session_id != session_id:
            raise NotFound()
        if moderator not in group.moderators:
            group.moderators.append(moderator)
        if not db.session.scalar(db.select(Membership).where(
                Membership.session_id == session_id, Membership.user_id == moderator.id,
                Membership.role == "moderator")):
            db.session.add(Membership(session_id=session_id, user_id=moderator.id,
                                      role="moderator"))


def add_member(user, session_id, member, role):
    """Give a staff user a role in a session (the organizer does; the demo uses it)."""
    _organizer(user, session_id)
    if role not in ("moderator", "chief_moderator", "expert", "organizer"):
        raise Invalid(_l("Unknown role."), field="role")
    with unit_of_work():
        if not db.session.scalar(db.select(Membership).where(
                Membership.session_id == session_id, Membership.user_id == member.id,
                Membership.role == role)):
            db.session.add(Membership(session_id=session_id, user_id=member.id, role=role))


def create_invitation(user, session_id, role, group_id=None):
    """A link that gives its opener a staff role (and a group, for moderators)."""
    _organizer(user, session_id)
    if role not in ("moderator", "chief_moderator", "expert", "organizer"):
        raise Invalid(_l("Unknown role."), field="role")
    if group_id:
        group = db.session.get(Group, group_id)
        if group is None or group.session_id != session_id:
            raise NotFound()
    with unit_of_work():
        invitation = Invitation(session_id=session_id, role=role,
                                group_id=group_id or None, token=secrets.token_urlsafe(24))
        db.session.add(invitation)
    return invitation


def accept_invitation(user, token):
    """Give the signed-in user the invitation's role. Raises NotFound for an unknown link."""
    invitation = db.session.scalar(db.select(Invitation).where(Invitation.token == token))
    if invitation is None:
        raise NotFound(_l("This invitation link is not valid."))
    if invitation.accepted_by_id and invitation.accepted_by_id != user.id:
        raise NotAllowed(_l("This invitation has already been used by someone else."))
    with unit_of_work():
        exists = db.session.scalar(db.select(Membership).where(
            Membership.session_id == invitation.session_id, Membership.user_id == user.id,
            Membership.role == invitation.role))
        if not exists:
            db.session.add(Membership(session_id=invitation.session_id, user_id=user.id,
                                      role=invitation.role))
        if invitation.group is not None and user not in invitation.group.moderators:
            invitation.group.moderators.append(user)
        invitation.accepted_by_id = user.id
        invitation.accepted_at = invitation.accepted_at or utcnow()
    return invitation


def register_user(email, display_name, password):
    """Create a staff account. Raises Invalid when the e-mail is taken."""
    email = email.strip().lower()
    if db.session.scalar(db.select(User).where(User.email == email)):
        raise Invalid(_l("An account with this e-mail exists; please sign in."), field="email")
    with unit_of_work():
        user = User(email=email, display_name=display_name)
        user.set_password(password)
        db.session.add(user)
    return user


def sessions_of(user):
    """The sessions in which the user has any staff role, newest first."""
    return db.session.scalars(
        db.select(Session).join(Membership, Membership.session_id == Session.id)
        .where(Membership.user_id == user.id).order_by(Session.id.desc())).unique().all()
