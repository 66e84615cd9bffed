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
