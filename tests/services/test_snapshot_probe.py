"""A snapshot skips the tables the session has no rows in (services/sync.py `present`): what it
skips must be exactly what would have come back empty, for every kind of client, at every tact."""
import pytest

from facilitation.cli import build_demo
from facilitation.extensions import db
from facilitation.models import Participant, Session
from facilitation.models.base import utcnow
from facilitation.services import sync
from facilitation.services.actors import participant_actor, projector_actor, user_actor


def _actors(session, organizer, moderators):
    phones = db.session.scalars(db.select(Participant).where(
        Participant.session_id == session.id).order_by(Participant.id)).all()
    by_group = {}
    for phone in phones:
        by_group.setdefault(phone.group_id, phone)
    return ([participant_actor(p.id, session.id) for p in by_group.values()]
            + [user_actor(organizer, session.id), projector_actor(session.id)]
            + [user_actor(user, session.id) for _group, user, _password in moderators])


def _organizer(session):
    from facilitation.models import User
    return db.session.scalar(db.select(User).where(User.email == "organizer@demo.takt"))


@pytest.mark.parametrize("until", ["trends", "brainstorm", "clustering", "stakeholders",
                                   "requests", None])
def test_the_probe_changes_no_snapshot(app, until, monkeypatch):
    session, _password, moderators, _experts = build_demo(filled=True, until=until)
    now = utcnow()  # the timers' remaining seconds at one moment for both snapshots
    monkeypatch.setattr("facilitation.services.clock.utcnow", lambda: now)
    actors = _actors(session, _organizer(session), moderators)
    assert len(actors) >= 4
    have = sync.present(session.id)
    for actor in actors:
        db.session.expire_all()
        probed = sync.snapshot(actor)
        db.session.expire_all()
        assert probed == sync.snapshot(actor, probe=False), (until, actor)
    if until in ("trends", "brainstorm"):
        # Early in the session the boards are empty and the probe has skipped them.
        assert {"initiatives", "stakeholders", "decks"}.isdisjoint(have)


def test_a_fresh_session_probes_nothing_and_a_phone_snapshot_reads_little(app):
    session, _password, moderators, _experts = build_demo(filled=True, until="brainstorm")
    assert "idea" in sync.present(session.id) and "boards" not in sync.present(session.id)
    phone = _actors(session, _organizer(session), moderators)[0]
    statements = []
    from sqlalchemy import event

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)
    db.session.expire_all()
    event.listen(db.engine, "before_cursor_execute", count)
    try:
        snap = sync.snapshot(phone)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert snap["cards"] and snap["board"]["stakes"]  # ideas, and List B's empty places
    # One probe names every table; none of the empty ones is read on its own.
    assert not any(s.lstrip().startswith(("SELECT stakeholders.", "SELECT flows.",
                                          "SELECT initiatives.", "SELECT decks."))
                   for s in statements), statements
    assert len(statements) <= 10, statements
    assert db.session.get(Session, session.id).revision == snap["rev"]
