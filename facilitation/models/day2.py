"""Day two: requests between groups with proposed solutions (tact 6), objectives with key
results (tact 7). Both hang off an initiative of tacts 3–5."""
from ..extensions import db
from .base import Authored, ClientCreated, utcnow
from .board import Revised, _fk

NEEDS = ("resource", "action", "expertise", "other")
REQUEST_STATUSES = ("new", "discussing", "accepted", "declined", "done")


class Request(ClientCreated, Revised, Authored, db.Model):
    """What a group asks another group for, tied to one of its initiatives."""

    __tablename__ = "requests"
    __table_args__ = (db.CheckConstraint("from_group_id <> to_group_id",
                                         name="ck_request_other_group"),)

    id = db.Column(db.Integer, primary_key=True)
    session_id = _fk("sessions")
    item_id = _fk("agenda_items", index=False)
    from_group_id = _fk("groups")
    to_group_id = _fk("groups")
    initiative_id = _fk("initiatives", index=False)
    need = db.Column(db.String(12), nullable=False, default="other")
    text = db.Column(db.String(500), nullable=False)
    status = db.Column(db.String(12), nullable=False, default="new")
    deleted_at = db.Column(db.DateTime)  # withdrawn by the sending group


class Solution(ClientCreated, Authored, db.Model):
    """A solution the receiving group proposes to a request."""

    __tablename__ = "solutions"

    id = db.Column(db.Integer, primary_key=True)
    session_id = _fk("sessions", index=False)
    request_id = _fk("requests")
    text = db.Column(db.String(500), nullable=False)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)


class Objective(ClientCreated, Revised, Authored, db.Model):
    """An objective of an initiative (tact 7)."""

    __tablename__ = "objectives"

    id = db.Column(db.Integer, primary_key=True)
    session_id = _fk("sessions")
    item_id = _fk("agenda_items", index=False)
    group_id = _fk("groups", index=False)
    initiative_id = _fk("initiatives")
    text = db.Column(db.String(300), nullable=False)
    deleted_at = db.Column(db.DateTime)


class KeyResult(ClientCreated, Authored, db.Model):
    """A measurable result of an objective: metric, baseline, numeric target, deadline, owner."""

    __tablename__ = "key_results"
    __table_args__ = (db.CheckConstraint(
        "(owner_stakeholder_id IS NULL) <> (owner_participant_id IS NULL)",
        name="ck_key_result_one_owner"),)

    id = db.Column(db.Integer, primary_key=True)
    session_id = _fk("sessions", index=False)
    objective_id = _fk("objectives")
    metric = db.Column(db.String(200), nullable=False)
    baseline = db.Column(db.Float)
    target = db.Column(db.Float, nullable=False)
    unit = db.Column(db.String(40), nullable=False, default="")
    deadline = db.Column(db.Date, nullable=False)
    owner_stakeholder_id = _fk("stakeholders", nullable=True, index=False)
    owner_participant_id = _fk("participants", nullable=True, index=False)
    # The group kept wording the server warned was vague ("улучшить" with no figure).
    vague_accepted = db.Column(db.Boolean, nullable=False, default=False)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    deleted_at = db.Column(db.DateTime)


DEFAULT_CRITERIA = {
    "ru": ("Актуальность", "Реализуемость", "Ресурсная база", "Измеримость ключевых результатов",
           "Команда"),
    "en": ("Relevance", "Feasibility", "Resource base", "Measurable key results", "Team"),
}


class Criterion(db.Model):
    """A criterion the experts score each group's presentation on (set by the organizer)."""

    __tablename__ = "criteria"

    id = db.Column(db.Integer, primary_key=True)
    session_id = _fk("sessions")
    position = db.Column(db.Integer, nullable=False, default=0)
    name = db.Column(db.String(80), nullable=False)


class Score(ClientCreated, db.Model):
    """One expert's score of one group on one criterion; scoring again updates it."""

    __tablename__ = "scores"
    __table_args__ = (
        db.UniqueConstraint("expert_user_id", "group_id", "criterion_id", name="uq_score"),
        db.CheckConstraint("value BETWEEN 1 AND 5", name="ck_score_range"),
    )

    id = db.Column(db.Integer, primary_key=True)
    session_id = _fk("sessions")
    expert_user_id = _fk("users", index=False)
    group_id = _fk("groups")
    criterion_id = _fk("criteria", index=False)
    value = db.Column(db.Integer, nullable=False)
    comment = db.Column(db.String(500), nullable=False, default="")
    updated_at = db.Column(db.DateTime, nullable=False, default=utcnow)
