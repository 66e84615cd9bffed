"""Programs an organizer saved as reusable templates (services/program.py writes them)."""
from ..extensions import db
from .base import utcnow


class ProgramTemplate(db.Model):
    """A program in the format of facilitation/templates_lib/*.yaml, owned by one organizer.

    `data` is the template as check_template() returns it, with times as "HH:MM" (plain JSON).
    """

    __tablename__ = "program_templates"
    __table_args__ = (db.UniqueConstraint("owner_id", "name", name="uq_program_templates_owner_name"),)

    id = db.Column(db.Integer, primary_key=True)
    owner_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"),
                         nullable=False, index=True)
    name = db.Column(db.String(80), nullable=False)
    title = db.Column(db.String(200), nullable=False)
    data = db.Column(db.JSON, nullable=False)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    updated_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    owner = db.relationship("User")
