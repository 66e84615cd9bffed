"""Column helpers shared by the models: UTC timestamps and client-generated ids."""
import uuid
from datetime import datetime, timezone

from ..extensions import db


def utcnow():
    """Return the current time as a naive UTC datetime (how every timestamp is stored)."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def new_uuid():
    """Return a random UUID as a string: the id of rows the server creates itself."""
    return str(uuid.uuid4())


class ClientCreated:
    """A row a client creates carries the client's UUID, unique, so a resend is a no-op."""

    client_id = db.Column(db.String(36), nullable=False, unique=True, default=new_uuid)


class Authored:
    """Who wrote a row: a participant or a staff member."""

    @db.declared_attr
    def participant_id(cls):
        return db.Column(db.Integer, db.ForeignKey("participants.id", ondelete="SET NULL"))

    @db.declared_attr
    def author_user_id(cls):
        return db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"))

    @db.declared_attr
    def participant(cls):
        return db.relationship("Participant", foreign_keys=f"{cls.__name__}.participant_id")

    @db.declared_attr
    def author_user(cls):
        return db.relationship("User", foreign_keys=f"{cls.__name__}.author_user_id")

    @property
    def author_name(self):
        if self.participant is not None:
            return self.participant.display_name
        if self.author_user is not None:
            return self.author_user.display_name
        return ""
