"""The change log: every event published, with its revision and audience, for replay."""
from ..extensions import db
from .base import utcnow


class Change(db.Model):
    __tablename__ = "changes"
    __table_args__ = (db.UniqueConstraint("session_id", "rev", name="uq_change_rev"),)

    id = db.Column(db.Integer, primary_key=True)
    session_id = db.Column(db.Integer, db.ForeignKey("sessions.id", ondelete="CASCADE"),
                           nullable=False)
    rev = db.Column(db.Integer, nullable=False)
    type = db.Column(db.String(40), nullable=False)
    data = db.Column(db.JSON, nullable=False)
    # Room names that receive this event (see realtime/rooms.py).
    rooms = db.Column(db.JSON, nullable=False)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
