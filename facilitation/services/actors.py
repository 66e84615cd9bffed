"""Who is acting: a participant, a staff user or a projector, with roles read from the database."""
from dataclasses import dataclass, field

from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import Group, Membership, Participant, Session, User, group_moderators
from . import rooms
from .errors import NotAllowed

STAFF_ROLES = ("organizer", "chief_moderator", "moderator", "expert")


@dataclass
class Actor:
    session_id: int
    participant: Participant | None = None
    user: User | None = None
    roles: frozenset = frozenset()
    moderated_group_ids: frozenset = frozenset()
    is_projector: bool = False
    extra: dict = field(default_factory=dict)

    @property
    def is_participant(self):
        return self.participant is not None

    @property
    def is_organizer(self):
        return "organizer" in self.roles

    @property
    def is_chief(self):
        return "chief_moderator" in self.roles or self.is_organizer

    @property
    def is_moderator(self):
        """Any moderating role: chief, organizer, or moderator of at least one group."""
        return self.is_chief or "moderator" in self.roles

    @property
    def group_id(self):
        return self.participant.group_id if self.participant else None

    def may_moderate_group(self, group_id):
        """The chief moderator and organizers moderate every group; others their own."""
        return self.is_chief or group_id in self.moderated_group_ids

    def rooms(self):
        """The rooms this actor's connections belong to."""
        sid = self.session_id
        result = [rooms.session_room(sid)]
        if self.participant is not None:
            result.append(rooms.participant_room(self.participant.id))
            if self.participant.group_id:
                result.append(rooms.group_room(self.participant.group_id))
                result.append(rooms.group_participants_room(self.participant.group_id))
        if self.is_moderator:
            result.append(rooms.moderators_room(sid))
            session = db.session.get(Session, sid)
            group_ids = ([g.id for g in session.groups] if self.is_chief
                         else sorted(self.moderated_group_ids))
            result.extend(rooms.group_room(g) for g in group_ids)
            result.extend(rooms.group_moderators_room(g) for g in group_ids)
        if self.is_projector:
            result.append(rooms.projector_room(sid))
        return result

    def label(self):
        """A short description for logs."""
        if self.participant is not None:
            return f"participant:{self.participant.id}"
        if self.user is not None:
            return f"user:{self.user.id}"
        return "projector" if self.is_projector else "anonymous"


def participant_actor(participant_id, session_id):
    """Load a participant as an actor; refuse a removed one or one of another session."""
    # With its session and the current item in the same query: most events read the session
    # (its revision), a sync the current item's timer; the participant's reference keeps them
    # in the identity map for the event (one query instead of three for a reconnect).
    participant = db.session.get(Participant, participant_id, options=[
        joinedload(Participant.session).joinedload(Session.current_item)])
    if participant is None or participant.session_id != session_id:
        raise NotAllowed()
    if participant.removed_at is not None:
        raise NotAllowed(_removed_message())
    return Actor(session_id=session_id, participant=participant)


def _removed_message():
    from flask_babel import lazy_gettext as _l
    return _l("The moderator has removed you from this session.")


def user_actor(user, session_id):
    """Load a staff user's roles in a session; refuse a user with none."""
    if user is None:
        raise NotAllowed()
    roles = frozenset(db.session.scalars(
        db.select(Membership.role).where(Membership.session_id == session_id,
                                         Membership.user_id == user.id)))
    groups = frozenset(db.session.scalars(
        db.select(group_moderators.c.group_id)
        .join(Group, Group.id == group_moderators.c.group_id)
        .where(group_moderators.c.user_id == user.id, Group.session_id == session_id)))
    if groups:
        roles = roles | {"moderator"}
    if not roles:
        raise NotAllowed()
    return Actor(session_id=session_id, user=user, roles=roles, moderated_group_ids=groups)


def projector_actor(session_id):
    """The read-only actor of a projector screen opened with the session's projector key."""
    return Actor(session_id=session_id, is_projector=True)


def require(condition, message=None):
    """Raise NotAllowed unless the condition holds."""
    if not condition:
        raise NotAllowed(message)
