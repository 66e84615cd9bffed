"""The agenda: items (tacts and non-work items) with their timer, and the advance history."""
from ..extensions import db
from .base import utcnow

ITEM_STATES = ("pending", "active", "done")
SCOPES = ("plenary", "groups")


class AgendaItem(db.Model):
    __tablename__ = "agenda_items"

    id = db.Column(db.Integer, primary_key=True)
    session_id = db.Column(db.Integer, db.ForeignKey("sessions.id", ondelete="CASCADE"),
                           nullable=False, index=True)
    position = db.Column(db.Integer, nullable=False)
    day = db.Column(db.Integer, nullable=False, default=1)
    kind = db.Column(db.String(30), nullable=False)
    tact = db.Column(db.Integer)  # the tact number of the method, None for keynotes, breaks
    scope = db.Column(db.String(10), nullable=False, default="plenary")
    title = db.Column(db.String(200), nullable=False)
    instructions = db.Column(db.Text, nullable=False, default="")
    # The title and instructions in the languages other than the session's own, for templates
    # made from this program: {"en": {"title": ..., "instructions": ...}}. The session's
    # language lives in `title` and `instructions` (services/program.py keeps them apart).
    texts = db.Column(db.JSON)
    # Planned start as local wall time of the session's time zone on the item's day.
    start_time = db.Column(db.Time, nullable=False)
    duration_min = db.Column(db.Integer, nullable=False)
    state = db.Column(db.String(10), nullable=False, default="pending")
    locked = db.Column(db.Boolean, nullable=False, default=False)
    # When hidden, new posts are seen by their author and the moderators until revealed.
    hidden = db.Column(db.Boolean, nullable=False, default=False)
    timer_duration_s = db.Column(db.Integer, nullable=False, default=0)
    timer_elapsed_s = db.Column(db.Float, nullable=False, default=0.0)
    timer_started_at = db.Column(db.DateTime)  # set while running

    session = db.relationship("Session", back_populates="items", foreign_keys=[session_id])


class Advance(db.Model):
    """One advance of the current item, kept so that the moderator can undo it."""

    __tablename__ = "advances"

    id = db.Column(db.Integer, primary_key=True)
    session_id = db.Column(db.Integer, db.ForeignKey("sessions.id", ondelete="CASCADE"),
                           nullable=False, index=True)
    from_item_id = db.Column(db.Integer, db.ForeignKey("agenda_items.id", ondelete="CASCADE"))
    to_item_id = db.Column(db.Integer, db.ForeignKey("agenda_items.id", ondelete="CASCADE"))
    # The items' state, lock, hidden and timer columns before the advance.
    before = db.Column(db.JSON, nullable=False)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    undone_at = db.Column(db.DateTime)
