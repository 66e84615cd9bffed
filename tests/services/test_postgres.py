"""The same domain rules on PostgreSQL (psycopg2), including races between connections.

Skips, saying so, when no PostgreSQL answers at 127.0.0.1:5432.
"""
import os
import threading
import uuid

import pytest

from facilitation import create_app
from facilitation.extensions import db
from facilitation.models import Idea, Session
from facilitation.services import agenda, cards
from facilitation.services.errors import Conflict

from ..factories import advance_to, gen_world

PG = os.environ.get("TAKT_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")
pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_app():
    psycopg2 = pytest.importorskip("psycopg2")
    try:
        admin = psycopg2.connect(PG, connect_timeout=2)
    except psycopg2.OperationalError as exc:
        pytest.skip(f"PostgreSQL is not reachable at {PG.split('@')[-1]}: {exc}".strip())
    admin.autocommit = True
    name = f"takt_test_{uuid.uuid4().hex[:10]}"
    with admin.cursor() as cur:
        cur.execute(f'CREATE DATABASE "{name}"')
    url = PG.rsplit("/", 1)[0] + "/" + name
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
    try:
        with app.app_context():
            db.create_all()
            yield app
            db.session.remove()
            db.engine.dispose()
    finally:
        with admin.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def _race(app, fn, n=8):
    """Run fn() in n threads at once, each in its own app context; return results/exceptions."""
    barrier = threading.Barrier(n)
    results = []

    def run():
        with app.app_context():
            barrier.wait()
            try:
                results.append(fn())
            except Exception as exc:  # noqa: BLE001
                results.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results


def test_concurrent_resends_store_one_card(pg_app):
    world = gen_world()
    item = advance_to(world.chief, world.session.id, "brainstorm")
    pid, sid = world.phones[0].id, world.session.id
    data = {"client_id": str(uuid.uuid4()), "item_id": item.id, "text": "Эколагерь"}

    def resend():
        from facilitation.services.actors import participant_actor
        return cards.create_card(participant_actor(pid, sid), dict(data))

    results = _race(pg_app, resend)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sum(1 for _card, created in results if created) == 1
    assert len({card["id"] for card, _ in results}) == 1
    assert db.session.scalar(db.select(db.func.count(Idea.id))) == 1


def test_concurrent_advances_advance_once(pg_app):
    world = gen_world()
    organizer_id, sid = world.organizer.id, world.session.id

    def press():
        from facilitation.models import User
        from facilitation.services.actors import user_actor
        return agenda.advance(user_actor(db.session.get(User, organizer_id), sid), None)

    results = _race(pg_app, press)
    assert sum(1 for r in results if isinstance(r, int)) == 1
    assert all(isinstance(r, (int, Conflict)) for r in results), results
    db.session.expire_all()
    assert db.session.get(Session, sid).current_item.position == 0


def test_revisions_are_unique_under_concurrent_posts(pg_app):
    world = gen_world()
    item = advance_to(world.chief, world.session.id, "brainstorm")
    sid = world.session.id
    pids = [p.id for p in world.phones]

    def post():
        from facilitation.services.actors import participant_actor
        pid = pids[threading.get_ident() % len(pids)]
        return cards.create_card(participant_actor(pid, sid), {
            "client_id": str(uuid.uuid4()), "item_id": item.id, "text": "идея"})[0]["rev"]

    revs = _race(pg_app, post)
    assert not [r for r in revs if isinstance(r, Exception)], revs
    assert len(set(revs)) == len(revs)


def test_fifty_stakes_at_once_never_exceed_the_budget_on_postgres(pg_app):
    """One participant, 50 concurrent stake events on 10 initiatives, budget 5."""
    from facilitation.models import Stake
    from facilitation.services import initiatives
    from facilitation.services.actors import participant_actor
    from facilitation.services.errors import Invalid
    world = gen_world()
    item = advance_to(world.chief, world.session.id, "clustering")
    mod = world.staff(world.moderators[0])
    group = world.groups[0]
    ids = [initiatives.create_initiative(mod, {
        "client_id": str(uuid.uuid4()), "item_id": item.id, "group_id": group.id,
        "name": f"Инициатива {n}"})[0]["id"] for n in range(10)]
    initiatives.board_settings(mod, {"item_id": item.id, "group_id": group.id,
                                     "staking": "open", "budget": 5})
    pid, sid = next(p.id for p in world.phones if p.group_id == group.id), world.session.id
    counter = iter(range(1000))
    lock = threading.Lock()

    def tap():
        with lock:
            n = next(counter)
        return initiatives.set_stake(participant_actor(pid, sid),
                                     {"initiative_id": ids[n % 10], "count": 1 + n % 3})

    results = []
    for _ in range(5):
        results += _race(pg_app, tap, n=10)
    assert len(results) == 50
    assert all(isinstance(r, (dict, Invalid)) for r in results), results
    db.session.expire_all()
    total = db.session.scalar(db.select(db.func.sum(Stake.count)).where(Stake.participant_id == pid))
    assert 0 < total <= 5
