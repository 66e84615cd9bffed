"""One domain operation = one transaction; its events are published only after the commit."""
from contextlib import contextmanager

from sqlalchemy import bindparam, insert, update

from ..extensions import db
from ..models import Change, Session, utcnow


# Built once (see services/initiatives.py, _TAP_STATE): every write of a session runs these.
_BUMP = (update(Session).where(Session.id == bindparam("sid"))
         .values(revision=Session.revision + bindparam("by")).returning(Session.revision)
         .execution_options(synchronize_session=False))
_SET_REVISION = (update(Session).where(Session.id == bindparam("sid"))
                 .values(revision=bindparam("new_revision"))
                 .execution_options(synchronize_session=False))
_LOG = insert(Change)


class Unit:
    """Collects the events of one operation; `next_rev` gives each the next session revision."""

    def __init__(self):
        self.events = []
        self._revs = {}  # session id -> last revision taken, when locked with `lock`

    def lock(self, session_id):
        """Take the session row's write lock now and its revision with it.

        The revisions of this unit's events are then counted here and written back once, at
        the end: one statement for the whole operation instead of one per event."""
        if session_id not in self._revs:
            self._revs[session_id] = self._bump(session_id, 0)

    def next_rev(self, session_id):
        """The next revision of the session. Without `lock`, an atomic increment.

        The UPDATE ... RETURNING takes the session row's write lock, so revisions are
        assigned in commit order and never repeat, on SQLite and PostgreSQL alike.
        """
        if session_id in self._revs:
            self._revs[session_id] += 1
            return self._revs[session_id]
        return self._bump(session_id, 1)

    @staticmethod
    def _bump(session_id, by):
        return db.session.execute(_BUMP, {"sid": session_id, "by": by}).scalar_one()

    def write_back(self):
        """Store the event log and the revisions counted under `lock` (before the commit)."""
        if self.events:
            now = utcnow()
            db.session.execute(_LOG, [
                {"session_id": e["session_id"], "rev": e["rev"], "type": e["type"],
                 "data": e["data"], "rooms": e["rooms"], "created_at": now} for e in self.events])
        for session_id, rev in self._revs.items():
            db.session.execute(_SET_REVISION, {"sid": session_id, "new_revision": rev})

    def record(self, session_id, rev, type_, data, rooms_):
        """Log an event under an already taken revision and queue it for publishing.

        The log rows are inserted together just before the commit (one executemany, without
        the ORM's unit of work: a busy hall writes many of them)."""
        rooms_ = sorted(set(rooms_))
        self.events.append({"type": type_, "rev": rev, "data": data, "rooms": rooms_,
                            "session_id": session_id})
        return rev

    def row_event(self, row, type_, to_data, rooms_):
        """A changed row that clients keep a copy of: give it the next revision (and its
        update time), then record `to_data(row)` under that revision."""
        row.rev = self.next_rev(row.session_id)
        if hasattr(row, "updated_at"):
            row.updated_at = utcnow()
        data = to_data(row)
        self.record(row.session_id, row.rev, type_, data, rooms_)
        return data

    def bump(self, session_id, type_, data, rooms_):
        """Take the next revision and record the event under it."""
        return self.record(session_id, self.next_rev(session_id), type_, data, rooms_)


@contextmanager
def unit_of_work():
    """Run the body in a transaction; commit, then publish its events in revision order."""
    unit = Unit()
    try:
        yield unit
        unit.write_back()
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    from ..realtime.publish import publish
    publish(unit.events)
