"""Races of the chief moderator's controls (issue 7): two consoles press `advance` for the same
item at the same moment, and an `undo_advance` races an `advance`, against the real server on
SQLite and on PostgreSQL (where the two handlers really run at once: psycopg2 under eventlet
yields while the database works)."""
import asyncio
import uuid

import pytest

from .conftest import size
from .live import Client, LiveServer, connect_all, postgres_database, run, staff_cookie

pytestmark = pytest.mark.reliability
ROUNDS = size(20, 100)


@pytest.fixture(params=["sqlite", "postgresql"])
def console_server(request, tmp_path):
    """A server with the demo at tact 1 (trends) and the organizer's password."""
    drop = url = None
    if request.param == "postgresql":
        name = f"takt_races_{uuid.uuid4().hex[:10]}"
        url, drop = postgres_database(name)
    srv = LiveServer(tmp_path, url)
    if drop:
        srv.env["PG_DATABASE"] = name
    try:
        srv.seed_data = srv.seed(0, until="trends")
        srv.start()
        yield srv
    finally:
        srv.stop()
        if drop:
            drop()


def agenda_state(srv, sid):
    """(current item id, its position, [problems]) read from the database: the current item
    and the item states must agree with the Advance log."""
    current = srv.query("SELECT current_item_id FROM sessions WHERE id = ?", sid)[0][0]
    items = srv.query("SELECT id, position, state FROM agenda_items WHERE session_id = ? "
                      "ORDER BY position", sid)
    last = srv.query("SELECT to_item_id FROM advances WHERE session_id = ? AND undone_at IS NULL "
                     "ORDER BY id DESC LIMIT 1", sid)
    problems = []
    active = [i for i, _p, state in items if state == "active"]
    if active != ([current] if current else []):
        problems.append(f"active items {active}, current {current}")
    if (last[0][0] if last else None) != current:
        problems.append(f"the last advance leads to {last[0][0] if last else None}, "
                        f"current is {current}")
    position = next((p for i, p, _s in items if i == current), -1)
    for i, p, state in items:
        expected = "done" if p < position else "active" if p == position else "pending"
        if state != expected:
            problems.append(f"item {i} at {p} is {state}, expected {expected}")
    return current, position, problems


def test_advance_races(console_server, figure):
    """ROUNDS times: two chief-moderator consoles advance the same item at once (one advance,
    one conflict); then an undo races an advance of the new item (one of them wins); after each,
    the database is consistent. The agenda is brought back between rounds with undo."""
    srv = console_server
    sid = srv.seed_data["sid"]
    cookie = staff_cookie(srv.url, "organizer@demo.takt", srv.seed_data["organizer_pw"])
    cookie2 = staff_cookie(srv.url, "organizer@demo.takt", srv.seed_data["organizer_pw"])
    double_advances, inconsistent, notes = 0, 0, []

    async def scenario():
        nonlocal double_advances, inconsistent
        a = Client({"session_id": sid, "role": "staff"}, {"Cookie": cookie})
        b = Client({"session_id": sid, "role": "staff"}, {"Cookie": cookie2})
        await connect_all([a, b], srv.url)
        try:
            for n in range(ROUNDS):
                start, start_pos, _ = agenda_state(srv, sid)
                acks = await asyncio.gather(a.call("advance", {"current_item_id": start}),
                                            b.call("advance", {"current_item_id": start}))
                now, now_pos, problems = agenda_state(srv, sid)
                oks = [x for x in acks if x.get("ok")]
                conflicts = [x for x in acks if x.get("code") == "conflict" and x.get("error")]
                if len(oks) != 1 or len(conflicts) != 1 or now_pos != start_pos + 1:
                    double_advances += 1
                    notes.append(f"advance race {n}: {acks}, position {start_pos} -> {now_pos}")
                if problems:
                    inconsistent += 1
                    notes.append(f"after advance race {n}: {problems}")
                # An undo of the advance races an advance of the new current item.
                first, second = (a, b) if n % 2 else (b, a)
                acks = await asyncio.gather(first.call("undo_advance", {"current_item_id": now}),
                                            second.call("advance", {"current_item_id": now}))
                _, pos, problems = agenda_state(srv, sid)
                oks = [x for x in acks if x.get("ok")]
                if len(oks) != 1 or pos not in (start_pos, now_pos + 1) or problems:
                    inconsistent += 1
                    notes.append(f"undo/advance race {n}: {acks}, position {pos}, {problems}")
                while True:  # back to where the round started
                    current, pos, _ = agenda_state(srv, sid)
                    if pos <= start_pos:
                        break
                    ack = await a.call("undo_advance", {"current_item_id": current})
                    assert ack.get("ok"), ack
                assert agenda_state(srv, sid)[:2] == (start, start_pos)
        finally:
            await asyncio.gather(a.drop(), b.drop())

    run(scenario())
    for note in notes[:10]:
        print("\n  " + note)
    db = "SQLite" if srv.sqlite_path else "PostgreSQL"
    figure(f"advance races x{ROUNDS} ({db}): double advances", double_advances, 0,
           double_advances == 0)
    figure(f"advance and undo races x{ROUNDS} ({db}): inconsistent states", inconsistent, 0,
           inconsistent == 0)


