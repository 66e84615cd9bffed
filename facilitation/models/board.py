"""Tacts 3–5 per group: the ideas a group takes from List A, its initiatives (clusters), the
participants' stakes on them, and, per initiative, stakeholders with values and resource flows.

Everything hangs off the initiative; the input of each tact is the previous tact's output.
"""
from ..extensions import db
from .base import Authored, ClientCreated, utcnow

STAKING_STATES = ("closed", "open", "done")
STAKEHOLDER_TYPES = ("public_body", "ngo", "business", "community", "media", "person", "other")
RESOURCES = ("money", "premises", "people", "expertise", "equipment", "information", "media",
             "legitimacy", "time", "other")
FLOW_MARKS = ("given", "spent", "gained")
DEFAULT_BUDGET = 5
DEFAULT_TOP_N = 3


def _fk(table, ondelete="CASCADE", nullable=False, index=True):
    return db.Column(db.Integer, db.ForeignKey(f"{table}.id", ondelete=ondelete),
                     nullable=nullable, index=index)


class Revised:
    """A row clients keep a copy of: the revision of its last change, and its times."""

    rev = db.Column(db.Integer, nullable=False, default=0)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    updated_at = db.Column(db.DateTime, nullable=False, default=utcnow)


class GroupBoard(Revised, db.Model):
    """One group's settings in one tact item (created when a moderator first changes them)."""

    __tablename__ = "group_boards"
    __table_args__ = (db.UniqueConstraint("item_id", "group_id", name="uq_group_board"),)

    id = db.Column(db.Integer, primary_key=True)
    session_id = _fk("sessions")
    item_id = _fk("agenda_items", index=False)
    group_id = _fk("groups")
    budget = db.Column(db.Integer, nullable=False, default=DEFAULT_BUDGET)
    staking = db.Column(db.String(10), nullable=False, default="closed")
    totals_revealed = db.Column(db.Boolean, nullable=False, default=False)
    list_b_locked = db.Column(db.Boolean, nullable=False, default=False)
    participants_cluster = db.Column(db.Boolean, nullable=False, default=False)
    top_n = db.Column(db.Integer, nullable=False, default=DEFAULT_TOP_N)


class Initiative(ClientCreated, Revised, db.Model):
    """A cluster of a group's taken ideas: the unit tacts 3–8 work on."""

    __tablename__ = "initiatives"

    id = db.Column(db.Integer, primary_key=True)
    session_id = _fk("sessions")
    item_id = _fk("agenda_items")
    group_id = _fk("groups")
    name = db.Column(db.String(120), nullable=False)
    position = db.Column(db.Integer, nullable=False, default=0)
    deleted_at = db.Column(db.DateTime)  # dissolved, or merged into another
    merged_into_id = _fk("initiatives", ondelete="SET NULL", nullable=True, index=False)
    # The day-two team the initiative moved to; None: it stays with the group that made it.
    # What hangs off it (stakeholders, flows, requests, objectives, the deck) follows the team;
    # its ideas, selections and stakes stay with the day-one group (see services/teams.py).
    team_group_id = _fk("groups", ondelete="SET NULL", nullable=True)

    @property
    def work_group_id(self):
        """The group that works on the initiative now: its team, else the group that made it."""
        return self.team_group_id or self.group_id


class Selection(ClientCreated, Revised, db.Model):
    """An idea of List A taken by a group, in one of its initiatives or in its pool (None).

    List A itself never changes: a selection points at the idea, several groups may take one.
    """

    __tablename__ = "selections"
    __table_args__ = (db.UniqueConstraint("group_id", "idea_id", name="uq_selection_group_idea"),)

    id = db.Column(db.Integer, primary_key=True)
    session_id = _fk("sessions")
    group_id = _fk("groups", index=False)
    idea_id = _fk("ideas")
    initiative_id = _fk("initiatives", ondelete="SET NULL", nullable=True)
    position = db.Column(db.Integer, nullable=False, default=0)
    deleted_at = db.Column(db.DateTime)  # dropped from the group (taken again: revived)


class Stake(db.Model):
    """How many of a participant's chips lie on one initiative."""

    __tablename__ = "stakes"
    __table_args__ = (
        db.UniqueConstraint("participant_id", "initiative_id", name="uq_stake_participant"),
        db.CheckConstraint("count >= 0", name="ck_stake_count"),
    )

    id = db.Column(db.Integer, primary_key=True)
    session_id = _fk("sessions")
    participant_id = _fk("participants", index=False)
    initiative_id = _fk("initiatives")
    count = db.Column(db.Integer, nullable=False, default=0)
    updated_at = db.Column(db.DateTime, nullable=False, default=utcnow)


class Stakeholder(ClientCreated, Revised, Authored, db.Model):
    """Someone who could take part in an initiative (tact 4)."""

    __tablename__ = "stakeholders"

    id = db.Column(db.Integer, primary_key=True)
    session_id = _fk("sessions")
    item_id = _fk("agenda_items", index=False)
    group_id = _fk("groups", index=False)
    initiative_id = _fk("initiatives")
    name = db.Column(db.String(120), nullable=False)
    type = db.Column(db.String(20), nullable=False, default="other")
    deleted_at = db.Column(db.DateTime)
    merged_into_id = _fk("stakeholders", ondelete="SET NULL", nullable=True, index=False)

    values = db.relationship("StakeholderValue", order_by="StakeholderValue.id",
                             primaryjoin="and_(StakeholderValue.stakeholder_id == Stakeholder.id,"
                                         " StakeholderValue.deleted_at.is_(None))",
                             viewonly=True)


class StakeholderValue(ClientCreated, Authored, db.Model):
    """A value on which a stakeholder decides to take part."""

    __tablename__ = "stakeholder_values"

    id = db.Column(db.Integer, primary_key=True)
    session_id = _fk("sessions", index=False)
    stakeholder_id = _fk("stakeholders")
    text = db.Column(db.String(200), nullable=False)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    deleted_at = db.Column(db.DateTime)


class Flow(ClientCreated, Revised, Authored, db.Model):
    """A resource moving between stakeholders or to/from the initiative (tact 5).

    `source_id`/`target_id` None means the initiative itself.
    """

    __tablename__ = "flows"

    id = db.Column(db.Integer, primary_key=True)
    session_id = _fk("sessions")
    item_id = _fk("agenda_items", index=False)
    group_id = _fk("groups", index=False)
    initiative_id = _fk("initiatives")
    source_id = _fk("stakeholders", nullable=True, index=False)
    target_id = _fk("stakeholders", nullable=True, index=False)
    resource = db.Column(db.String(20), nullable=False)
    resource_text = db.Column(db.String(120), nullable=False, default="")
    mark = db.Column(db.String(10), nullable=False)
    deleted_at = db.Column(db.DateTime)
