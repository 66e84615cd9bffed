"""The support-infrastructure workshop (seed 002), per initiative: the ikigai canvas (entries in
three columns, the ones that stand in all three marked, and the focus they give) and the stage
diagnosis (the stage the group places it on, the participants' suggestions, support measures).
"""
from ..extensions import db
from .base import Authored, ClientCreated, utcnow
from .board import Revised, _fk

IKIGAI_COLUMNS = ("want", "can", "need")
STAGES = (1, 2, 3, 4, 5, 6, 7)
MEASURE_KINDS = ("financial", "property", "information", "consulting", "staffing")
# The columns of the seed's table; "any" holds its additional measures (not tied to a phase).
PHASES = ("emergence", "formalization", "expansion")
MEASURE_PHASES = PHASES + ("any",)
ENTRY_MAX = 200
FOCUS_MAX = 300
NOTE_MAX = 300
MEASURE_MAX = 200


class IkigaiEntry(ClientCreated, Revised, Authored, db.Model):
    """One entry of an initiative's ikigai canvas: what they want, can, or what is needed."""

    __tablename__ = "ikigai_entries"

    id = db.Column(db.Integer, primary_key=True)
    session_id = _fk("sessions")
    item_id = _fk("agenda_items", index=False)
    group_id = _fk("groups", index=False)
    initiative_id = _fk("initiatives")
    column = db.Column(db.String(4), nullable=False)
    text = db.Column(db.String(ENTRY_MAX), nullable=False)
    # The group found it in all three columns: it goes into the initiative's focus.
    marked = db.Column(db.Boolean, nullable=False, default=False)
    deleted_at = db.Column(db.DateTime)


class IkigaiFocus(Revised, db.Model):
    """The focus of an initiative that the group formulated from its marked entries."""

    __tablename__ = "ikigai_focus"
    __table_args__ = (db.UniqueConstraint("item_id", "initiative_id", name="uq_ikigai_focus"),)

    id = db.Column(db.Integer, primary_key=True)
    session_id = _fk("sessions")
    item_id = _fk("agenda_items", index=False)
    group_id = _fk("groups", index=False)
    initiative_id = _fk("initiatives")
    text = db.Column(db.String(FOCUS_MAX), nullable=False, default="")


class StagePlace(Revised, db.Model):
    """Where the group places an initiative on the seven stages (None: not decided yet)."""

    __tablename__ = "stage_places"
    __table_args__ = (db.UniqueConstraint("item_id", "initiative_id", name="uq_stage_place"),
                      db.CheckConstraint("stage IS NULL OR stage BETWEEN 1 AND 7",
                                         name="ck_stage_place_stage"))

    id = db.Column(db.Integer, primary_key=True)
    session_id = _fk("sessions")
    item_id = _fk("agenda_items", index=False)
    group_id = _fk("groups", index=False)
    initiative_id = _fk("initiatives")
    stage = db.Column(db.Integer)
    note = db.Column(db.String(NOTE_MAX), nullable=False, default="")


class StageVote(db.Model):
    """A participant's suggestion of the stage an initiative is at (one per person)."""

    __tablename__ = "stage_votes"
    __table_args__ = (db.UniqueConstraint("place_id", "participant_id", name="uq_stage_vote"),
                      db.CheckConstraint("stage BETWEEN 1 AND 7", name="ck_stage_vote_stage"))

    id = db.Column(db.Integer, primary_key=True)
    session_id = _fk("sessions", index=False)
    place_id = _fk("stage_places")
    participant_id = _fk("participants", index=False)
    stage = db.Column(db.Integer, nullable=False)
    updated_at = db.Column(db.DateTime, nullable=False, default=utcnow)


class SupportMeasure(ClientCreated, Revised, Authored, db.Model):
    """A support measure chosen for an initiative: from the seed's matrix (`catalog_key`) or the
    group's own (`catalog_key` None)."""

    __tablename__ = "support_measures"

    id = db.Column(db.Integer, primary_key=True)
    session_id = _fk("sessions")
    item_id = _fk("agenda_items", index=False)
    group_id = _fk("groups", index=False)
    initiative_id = _fk("initiatives")
    kind = db.Column(db.String(12), nullable=False)
    phase = db.Column(db.String(14), nullable=False)
    text = db.Column(db.String(MEASURE_MAX), nullable=False)
    catalog_key = db.Column(db.String(40))
    deleted_at = db.Column(db.DateTime)
