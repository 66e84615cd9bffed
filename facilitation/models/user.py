"""Staff accounts (organizers, moderators, experts), their roles per session, invitations."""
from flask_login import UserMixin
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from .base import utcnow

ROLES = ("organizer", "chief_moderator", "moderator", "expert")


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id = db.Column(db.Integer, primary_key=True)
    email = db.Column(db.String(254), nullable=False, unique=True)
    display_name = db.Column(db.String(80), nullable=False)
    password_hash = db.Column(db.String(256), nullable=False)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    def set_password(self, password):
        """Store a salted hash of the password (werkzeug's scrypt in production)."""
        from flask import current_app
        self.password_hash = generate_password_hash(
            password, method=current_app.config.get("PASSWORD_HASH_METHOD", "scrypt"))

    def check_password(self, password):
        """Return True when the password matches the stored hash."""
        return check_password_hash(self.password_hash, password)


class Membership(db.Model):
    """A staff role of a user in one session."""

    __tablename__ = "memberships"
    __table_args__ = (db.UniqueConstraint("session_id", "user_id", "role", name="uq_membership"),)

    id = db.Column(db.Integer, primary_key=True)
    session_id = db.Column(db.Integer, db.ForeignKey("sessions.id", ondelete="CASCADE"),
                           nullable=False, index=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    role = db.Column(db.String(20), nullable=False)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    user = db.relationship("User")
    session = db.relationship("Session", back_populates="memberships")


class Invitation(db.Model):
    """A link that makes whoever opens it (and signs in) a moderator or expert of a session."""

    __tablename__ = "invitations"

    id = db.Column(db.Integer, primary_key=True)
    session_id = db.Column(db.Integer, db.ForeignKey("sessions.id", ondelete="CASCADE"),
                           nullable=False, index=True)
    role = db.Column(db.String(20), nullable=False)
    group_id = db.Column(db.Integer, db.ForeignKey("groups.id", ondelete="CASCADE"))
    token = db.Column(db.String(64), nullable=False, unique=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    accepted_by_id = db.Column(db.Integer, db.ForeignKey("users.id"))
    accepted_at = db.Column(db.DateTime)

    group = db.relationship("Group")
    session = db.relationship("Session")
    accepted_by = db.relationship("User")
