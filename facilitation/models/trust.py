"""The round of trust communication (seed 004): participants speak in turn on the moderator's
prompts, each keeping the key points of their own turn; the round ends with the group's common
goal and proposals to reach it, which the participants support with a tap."""
from ..extensions import db
from .base import Authored, ClientCreated, utcnow
from .board import Revised, _fk

PHASES = ("speaking", "goal")
PROMPT_MAX = 200
NOTE_MAX = 1000
GOAL_MAX = 500
PROPOSAL_MAX = 300
DEFAULT_TURN_S = 120


class TrustRound(Revised, db.Model):
    """One `trust_round` agenda item's state: the prompt on the table, the speaker and their timer."""

    __tablename__ = "trust_rounds"

    id = db.Column(db.Integer, primary_key=True)
    session_id = _fk("sessions")
    item_id = db.Column(db.Integer, db.ForeignKey("agenda_items.id", ondelete="CASCADE"),
                        nullable=False, unique=True)
    phase = db.Column(db.String(10), nullable=False, default="speaking")
    # The prompt on the table (a TrustPrompt of this round; no foreign key: the two tables
    # would refer to each other, and a prompt is only ever soft-deleted).
    prompt_id = db.Column(db.Integer)
    speaker_id = _fk("participants", ondelete="SET NULL", nullable=True, index=False)
    # The speaker's timer: the time each speaker gets, time already run, when it last started.
    turn_s = db.Column(db.Integer, nullable=False, default=DEFAULT_TURN_S)
    turn_elapsed_s = db.Column(db.Float, nullable=False, default=0.0)
    turn_started_at = db.Column(db.DateTime)
    goal = db.Column(db.String(GOAL_MAX), nullable=False, default="")


class TrustPrompt(db.Model):
    """A prompt the moderator sets ("my strengths", "why I take part"): one circle of turns."""

    __tablename__ = "trust_prompts"

    id = db.Column(db.Integer, primary_key=True)
    session_id = _fk("sessions", index=False)
    round_id = _fk("trust_rounds")
    position = db.Column(db.Integer, nullable=False, default=0)
    text = db.Column(db.String(PROMPT_MAX), nullable=False)
    deleted_at = db.Column(db.DateTime)


class TrustSpeaker(db.Model):
    """A place in the queue of speakers (the same order for every prompt)."""

    __tablename__ = "trust_speakers"
    __table_args__ = (db.UniqueConstraint("round_id", "participant_id", name="uq_trust_speaker"),)

    id = db.Column(db.Integer, primary_key=True)
    session_id = _fk("sessions", index=False)
    round_id = _fk("trust_rounds")
    participant_id = _fk("participants", index=False)
    position = db.Column(db.Integer, nullable=False, default=0)


class TrustTurn(db.Model):
    """A speaker's turn on a prompt: when it started and how long they spoke."""

    __tablename__ = "trust_turns"
    __table_args__ = (db.UniqueConstraint("prompt_id", "participant_id", name="uq_trust_turn"),)

    id = db.Column(db.Integer, primary_key=True)
    session_id = _fk("sessions", index=False)
    round_id = _fk("trust_rounds")
    prompt_id = _fk("trust_prompts", index=False)
    participant_id = _fk("participants", index=False)
    started_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    spoken_s = db.Column(db.Float, nullable=False, default=0.0)


class TrustNote(Revised, db.Model):
    """The key points of a participant's own turn on a prompt, saved as they type."""

    __tablename__ = "trust_notes"
    __table_args__ = (db.UniqueConstraint("prompt_id", "participant_id", name="uq_trust_note"),)

    id = db.Column(db.Integer, primary_key=True)
    session_id = _fk("sessions", index=False)
    round_id = _fk("trust_rounds")
    prompt_id = _fk("trust_prompts", index=False)
    participant_id = _fk("participants", index=False)
    text = db.Column(db.String(NOTE_MAX), nullable=False, default="")


class TrustProposal(ClientCreated, Revised, Authored, db.Model):
    """A proposal to reach the group's common goal."""

    __tablename__ = "trust_proposals"

    id = db.Column(db.Integer, primary_key=True)
    session_id = _fk("sessions", index=False)
    round_id = _fk("trust_rounds")
    text = db.Column(db.String(PROPOSAL_MAX), nullable=False)
    deleted_at = db.Column(db.DateTime)


class TrustSupport(db.Model):
    """One participant's support of a proposal (one per person and proposal)."""

    __tablename__ = "trust_supports"
    __table_args__ = (db.UniqueConstraint("proposal_id", "participant_id",
                                          name="uq_trust_support"),)

    id = db.Column(db.Integer, primary_key=True)
    session_id = _fk("sessions", index=False)
    proposal_id = _fk("trust_proposals")
    participant_id = _fk("participants", index=False)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
