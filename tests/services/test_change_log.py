"""The replay log a process keeps (services/sync.py ChangeLog): a reconnect gets exactly the
events the table holds after its revision, read once for a storm, and never another session's."""
from facilitation.extensions import db
from facilitation.models import Change, Session
from facilitation.services import sync

from ..factories import advance_to, gen_session, post


def _events(actor, rev):
    db.session.expire_all()
    return sync.since(actor, rev, 500)


def test_replay_grows_with_the_log_and_matches_the_table(world):
    phone = world.actor(world.phones[0])
    item = advance_to(world.chief, world.session.id, "brainstorm")
    start = db.session.get(Session, world.session.id).revision
    post(phone, item, "Первая идея")
    first = _events(phone, start)
    assert [e["data"]["text"] for e in first if e["type"] == "card.created"] == ["Первая идея"]
    post(world.actor(world.phones[2]), item, "Вторая идея")  # another group's phone
    again = _events(phone, start)
    assert [e["data"]["text"] for e in again if e["type"] == "card.created"] == [
        "Первая идея", "Вторая идея"]
    # What the cache gives is what the table holds, for this phone's rooms.
    rooms = set(phone.rooms())
    table = [(c.rev, c.type) for c in db.session.scalars(
        db.select(Change).where(Change.session_id == world.session.id, Change.rev > start)
        .order_by(Change.rev)) if rooms.intersection(c.rooms)]
    assert [(e["rev"], e["type"]) for e in again] == table
    assert _events(phone, db.session.get(Session, world.session.id).revision) == []


def test_a_storm_reads_the_table_once(world, app):
    phone = world.actor(world.phones[0])
    item = advance_to(world.chief, world.session.id, "brainstorm")
    start = db.session.get(Session, world.session.id).revision
    for n in range(5):
        post(phone, item, f"Идея {n}")
    _events(phone, start)
    statements = []
    from sqlalchemy import event

    def count(_conn, _cursor, statement, *_args):
        if "FROM changes" in statement:
            statements.append(statement)
    event.listen(db.engine, "before_cursor_execute", count)
    try:
        for _ in range(20):
            assert len([e for e in _events(phone, start) if e["type"] == "card.created"]) == 5
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert statements == []


def test_a_pruned_log_asks_for_a_snapshot(world):
    phone = world.actor(world.phones[0])
    item = advance_to(world.chief, world.session.id, "brainstorm")
    start = db.session.get(Session, world.session.id).revision
    post(phone, item, "Идея")
    post(phone, item, "Ещё идея")
    db.session.execute(db.delete(Change).where(Change.session_id == world.session.id,
                                               Change.rev == start + 1))
    db.session.commit()
    assert _events(phone, start) is None


def test_a_new_session_under_a_reused_id_never_gets_the_old_ones_changes(world, app):
    """SQLite may give a new session the id of a deleted one: the log must not mix them."""
    phone = world.actor(world.phones[0])
    item = advance_to(world.chief, world.session.id, "brainstorm")
    post(phone, item, "Идея старой сессии")
    assert any(e["type"] == "card.created" for e in _events(phone, 0))
    old_id = world.session.id
    db.session.execute(db.delete(Change).where(Change.session_id == old_id))
    db.session.commit()
    log = sync.change_log()
    fresh, _ = gen_session(title="Другая сессия")
    # Pretend the new session took the old id and revisions (what SQLite may do after a delete).
    stale_key = next(k for k in log._sessions if k[0] == old_id)
    assert (fresh.id, fresh.join_code, fresh.created_at) != stale_key
    db.session.expire_all()
    ghost = Session(id=old_id, join_code=fresh.join_code, created_at=fresh.created_at)
    assert log.between(ghost, 0, 1) is None  # the table holds nothing for it: no ghost events
