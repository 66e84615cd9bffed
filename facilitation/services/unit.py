"""One domain operation = one transaction; its events are published only after the commit."""
from contextlib import contextmanager

from sqlalchemy import update

from ..extensions import db
from ..models import Change, Session


class Unit:
    """Collects the events of one operation; `bump` gives each the next session revision."""

    def __init__(self):
        self.events = []

    @staticmethod
    def next_rev(session_id):
        """Increment the session's revision atomically and return it.

        The UPDATE ... RETURNING takes the session row's write lock, so revisions are
        assigned in commit order and never repeat, on SQLite and PostgreSQL alike.
        """
        return db.session.execute(
            update(Session).where(Session.id == session_id)
            .values(revision=Session.revision + 1).returning(Session.revision)
            .execution_options(synchronize_session=False)
        ).scalar_one()

    def record(self, session_id, rev, type_, data, rooms_):
        """Log an event under an already taken revision and queue it for publishing."""
        rooms_ = sorted(set(rooms_))
        db.session.add(Change(session_id=session_id, rev=rev, type=type_, data=data,
                              rooms=rooms_))
        self.events.append({"type": type_, "rev": rev, "data": data, "rooms": rooms_,
                            "session_id": session_id})
        return rev

    def bump(self, session_id, type_, data, rooms_):
        """Take the next revision and record the event under it."""
        return self.record(session_id, self.next_rev(session_id), type_, data, rooms_)


@contextmanager
def unit_of_work():
    """Run the body in a transaction; commit, then publish its events in revision order."""
    unit = Unit()
    try:
        yield unit
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    from ..realtime.publish import publish
    publish(unit.events)
