"""What a (re)connecting client gets: the events it missed, or a snapshot of what it may see."""
from ..extensions import db
from ..models import Change, Session
from . import serialize
from .agenda import projector_state
from .cards import visible_cards
from .sessions import session_info


def snapshot(actor):
    """Everything this actor may see now, with the revision it is current as of."""
    session = db.session.get(Session, actor.session_id)
    data = {
        "rev": session.revision,
        "session": session_info(session),
        "current_item_id": session.current_item_id,
        "items": [serialize.item(i) for i in session.items],
        "groups": [serialize.group(g) for g in session.groups],
        "cards": visible_cards(actor),
        "projector": projector_state(session),
    }
    if actor.participant is not None:
        data["me"] = serialize.participant(actor.participant)
    return data


def since(actor, rev, limit):
    """The events after `rev` that reach this actor's rooms, or None when a snapshot is due.

    A snapshot is due when the client is ahead of the server (a reset database), when the
    log holds more than `limit` events after `rev`.
    """
    session = db.session.get(Session, actor.session_id)
    if not isinstance(rev, int) or rev < 0 or rev > session.revision:
        return None
    if session.revision - rev > limit:
        return None
    my_rooms = set(actor.rooms())
    changes = db.session.scalars(
        db.select(Change).where(Change.session_id == actor.session_id, Change.rev > rev)
        .order_by(Change.rev)).all()
    if len(changes) != session.revision - rev:
        return None  # the log was pruned: only a snapshot is complete
    return [{"type": c.type, "rev": c.rev, "data": c.data}
            for c in changes if my_rooms.intersection(c.rooms)]
