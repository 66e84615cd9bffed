"""Small rules every service applies to the rows clients create: a valid client id, whole
numbers for ids, who wrote a row and whether the actor is its author."""
import uuid

from flask_babel import lazy_gettext as _l

from .errors import Invalid


def is_int(value):
    """A whole number as JSON gives it (a bool is not one)."""
    return isinstance(value, int) and not isinstance(value, bool)


def parse_client_id(value):
    """Return the canonical form of a client UUID or raise Invalid."""
    try:
        return str(uuid.UUID(str(value)))
    except (ValueError, TypeError, AttributeError):
        raise Invalid(_l("The request carries no valid client id; please reload the page."),
                      field="client_id") from None


def author_fields(actor):
    """The columns of `models.base.Authored` for a row the actor writes."""
    return {"participant_id": actor.participant.id if actor.participant else None,
            "author_user_id": actor.user.id if actor.user and not actor.participant else None}


def is_own(row, actor):
    """Whether the actor wrote the row (a participant, or a staff member)."""
    if actor.participant is not None:
        return row.participant_id == actor.participant.id
    return actor.user is not None and row.author_user_id == actor.user.id


def load_row(model, actor, row_id, missing, deleted=None):
    """A row of the actor's session by its id (a whole number).

    Raises NotFound(`missing`) for no such row or one of another session; for a soft-deleted
    row, Conflict(`deleted`), or NotFound(`missing`) when no `deleted` message is given."""
    from ..extensions import db
    from .errors import Conflict, NotFound
    row = db.session.get(model, row_id) if is_int(row_id) else None
    if row is None or row.session_id != actor.session_id:
        raise NotFound(missing)
    if getattr(row, "deleted_at", None) is not None:
        raise Conflict(deleted) if deleted is not None else NotFound(missing)
    return row


def resent(model, client_id, actor):
    """The row an earlier send with this client id stored (a resend: answer with it, write
    nothing), or None. Raises NotAllowed when the id belongs to another actor's row."""
    from ..extensions import db
    from .errors import NotAllowed
    row = db.session.scalar(db.select(model).where(model.client_id == client_id))
    if row is not None and (row.session_id != actor.session_id or not is_own(row, actor)):
        raise NotAllowed()
    return row
