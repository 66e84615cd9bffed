"""A strategic session, its groups and its participants (who have no account)."""
from ..extensions import db
from .base import ClientCreated, utcnow

group_moderators = db.Table(
    "group_moderators",
    db.Column("group_id", db.Integer, db.ForeignKey("groups.id", ondelete="CASCADE"),
              primary_key=True),
    db.Column("user_id", db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"),
              primary_key=True),
)

PROJECTOR_MODES = ("join", "wall", "group", "timer", "present", "results", "deck")


class Session(db.Model):
    __tablename__ = "sessions"

    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(200), nullable=False)
    language = db.Column(db.String(5), nullable=False, default="ru")
    starts_on = db.Column(db.Date, nullable=False)
    ends_on = db.Column(db.Date, nullable=False)
    timezone = db.Column(db.String(64), nullable=False, default="Europe/Moscow")
    join_code = db.Column(db.String(12), nullable=False, unique=True)
    # Bumped by every change; events carry it (see docs/PROTOCOL.md).
    revision = db.Column(db.Integer, nullable=False, default=0)
    template_name = db.Column(db.String(80))
    # "choose": the participant picks a group; "assign": the server balances the groups.
    group_assignment = db.Column(db.String(10), nullable=False, default="choose")
    current_item_id = db.Column(
        db.Integer, db.ForeignKey("agenda_items.id", use_alter=True, ondelete="SET NULL"))
    projector_mode = db.Column(db.String(10), nullable=False, default="join")
    projector_group_id = db.Column(db.Integer, db.ForeignKey("groups.id", use_alter=True,
                                                             ondelete="SET NULL"))
    projector_key = db.Column(db.String(64), nullable=False)
    # In the projector mode "deck": which slide of the group's deck shows (0-based).
    projector_slide = db.Column(db.Integer, nullable=False, default=0, server_default="0")
    # In the mode "group": the one initiative whose stakeholder map or flows (tacts 4–5) fill the
    # screen; None: every initiative in the group's focus. No foreign key: one gone or out of
    # the focus is simply not shown alone (the projector falls back to all).
    projector_initiative_id = db.Column(db.Integer)
    # Set when the chief moderator reveals the experts' results to the groups.
    results_revealed_at = db.Column(db.DateTime)
    # Set when the day-2 teams are opened: phones still in a subject group may pick a team.
    teams_opened_at = db.Column(db.DateTime)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    groups = db.relationship("Group", back_populates="session", order_by="Group.position",
                             foreign_keys="Group.session_id", cascade="all, delete-orphan")
    items = db.relationship("AgendaItem", back_populates="session",
                            order_by="AgendaItem.position",
                            foreign_keys="AgendaItem.session_id", cascade="all, delete-orphan")
    current_item = db.relationship("AgendaItem", foreign_keys=[current_item_id],
                                   post_update=True)
    projector_group = db.relationship("Group", foreign_keys=[projector_group_id],
                                      post_update=True)
    memberships = db.relationship("Membership", back_populates="session",
                                  cascade="all, delete-orphan")


class Group(db.Model):
    __tablename__ = "groups"

    id = db.Column(db.Integer, primary_key=True)
    session_id = db.Column(db.Integer, db.ForeignKey("sessions.id", ondelete="CASCADE"),
                           nullable=False, index=True)
    name = db.Column(db.String(80), nullable=False)
    subject_frame = db.Column(db.String(500), nullable=False, default="")
    position = db.Column(db.Integer, nullable=False, default=0)
    # 1: a subject group (day one); 2: a day-two team formed around initiatives.
    stage = db.Column(db.Integer, nullable=False, default=1, server_default="1")

    session = db.relationship("Session", back_populates="groups", foreign_keys=[session_id])
    moderators = db.relationship("User", secondary=group_moderators)
    participants = db.relationship("Participant", back_populates="group")


class Participant(ClientCreated, db.Model):
    __tablename__ = "participants"

    id = db.Column(db.Integer, primary_key=True)
    session_id = db.Column(db.Integer, db.ForeignKey("sessions.id", ondelete="CASCADE"),
                           nullable=False, index=True)
    group_id = db.Column(db.Integer, db.ForeignKey("groups.id", ondelete="SET NULL"))
    display_name = db.Column(db.String(40), nullable=False)
    joined_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    removed_at = db.Column(db.DateTime)

    session = db.relationship("Session")
    group = db.relationship("Group", back_populates="participants")
