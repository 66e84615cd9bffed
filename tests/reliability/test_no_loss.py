"""Nothing lost (issue 7): resends, a hall of phones dropping at once, and SIGKILL during writes,
against the real server (`python wsgi.py`, eventlet) on SQLite and PostgreSQL."""
import asyncio
import random
import time
import uuid

import pytest

from .conftest import size
from .live import Dropped, LiveServer, connect_all, phone, postgres_database, run

pytestmark = pytest.mark.reliability
RESENDS = size(100, 1000)
PHONES = size(20, 200)
IDEAS_PER_PHONE = 10
KILLS = size(3, 20)


@pytest.fixture(scope="module")
def hall(tmp_path_factory):
    """One server on SQLite with the demo at tact 2 and enough phones for this module."""
    srv = LiveServer(tmp_path_factory.mktemp("no-loss"))
    try:
        srv.seed_data = srv.seed(PHONES + 1)
        srv.start()
        yield srv
    finally:
        srv.stop()


def test_resend_stored_once(hall, figure):
    """The same post_card (one client id) sent RESENDS times over 4 connections of one phone at
    once: one row, every ack ok with the same card id."""
    seed = hall.seed_data
    me = seed["phones"][-1]
    client_id = str(uuid.uuid4())
    payload = {"client_id": client_id, "item_id": seed["item_id"], "text": "Одна идея, много раз"}

    async def scenario():
        conns = [phone(me, seed["sid"]) for _ in range(4)]
        await connect_all(conns, hall.url)
        try:
            calls = [conns[n % 4].call("post_card", dict(payload)) for n in range(RESENDS)]
            return await asyncio.gather(*calls)
        finally:
            await asyncio.gather(*(c.drop() for c in conns))

    acks = run(scenario())
    rows = hall.query("SELECT count(*) FROM ideas WHERE client_id = ?", client_id)[0][0]
    bad = [a for a in acks if not a.get("ok")]
    ids = {a["card"]["id"] for a in acks if a.get("ok")}
    assert not bad, f"{len(bad)} acks not ok, e.g. {bad[0]}"
    assert len(ids) == 1, ids
    assert sum(1 for a in acks if not a["duplicate"]) == 1
    figure(f"resend x{RESENDS} over 4 connections: rows stored", rows, 1, rows == 1)


def test_hall_drops_and_reconnects(hall, figure):
    """PHONES phones post IDEAS_PER_PHONE ideas each through an outbox; half-way every
    connection is cut at once (from the server's side with `ss -K` where allowed, and closed
    by the clients); they reconnect, sync from their last revision and resend their outbox."""
    seed = hall.seed_data
    item_id = seed["item_id"]
    phones = [phone(p, seed["sid"]) for p in seed["phones"][:PHONES]]
    half = PHONES * IDEAS_PER_PHONE // 2
    acked_total, in_flight = [0], [0]

    async def writer(c, n, cut):
        sent = 0
        while sent < IDEAS_PER_PHONE or c.outbox:
            try:
                if c.outbox:
                    if not await c.flush():
                        continue
                if sent < IDEAS_PER_PHONE:
                    sent += 1
                    ack = await c.post(item_id, f"Идея {sent} телефона {n}")
                    if ack.get("ok"):
                        acked_total[0] += 1
                    if ack.get("code") == "rate_limited":
                        await asyncio.sleep(1)
            except Dropped:
                await cut.wait()
                await c.drop()
                await connect_all([c], hall.url)
            await asyncio.sleep(random.random() * 0.02)

    async def scenario():
        cut = asyncio.Event()
        await connect_all(phones, hall.url)
        try:
            tasks = [asyncio.ensure_future(writer(c, n, cut)) for n, c in enumerate(phones)]
            while acked_total[0] < half:
                await asyncio.sleep(0.005)
            server_side = hall.kill_tcp()
            await asyncio.gather(*(c.drop() for c in phones))
            cut.set()
            in_flight[0] = sum(len(c.outbox) for c in phones)
            await asyncio.wait_for(asyncio.gather(*tasks), 120)
            # A phone that had posted everything before the cut reconnects too (as live.js
            # does after any drop), then the last live events arrive.
            await connect_all([c for c in phones if c.sio is None], hall.url)
            await asyncio.sleep(0.5)
            return server_side
        finally:
            await asyncio.gather(*(c.drop() for c in phones))

    dropped = run(scenario())
    replays = sum(c.syncs["events"] for c in phones)
    snapshots = sum(c.syncs["snapshot"] for c in phones) - len(phones)  # minus the first sync
    print(f"\n  connections cut from the server's side (ss -K): {dropped}; posts in flight at "
          f"the cut: {in_flight[0]}; reconnects caught up by replay: {replays}, "
          f"by snapshot: {snapshots}")
    rows = hall.query("SELECT id, client_id, participant_id, rev FROM ideas WHERE item_id = ? "
                      "AND deleted_at IS NULL", item_id)
    by_client = {}
    for row in rows:
        by_client.setdefault(row[1], []).append(row)
    acked = {cid for c in phones for cid in c.acked}
    sent = {cid for c in phones for cid in c.sent}
    lost = len(acked - by_client.keys()) + sum(len(c.outbox) for c in phones)
    duplicated = sum(len(v) - 1 for v in by_client.values())
    out_of_order = 0
    for c in phones:
        stored = [by_client[cid][0] for cid in c.sent if cid in by_client]
        ids = [r[0] for r in stored]
        revs = [r[3] for r in stored]
        out_of_order += sum(1 for a, b in zip(ids, ids[1:]) if b <= a)
        out_of_order += sum(1 for a, b in zip(revs, revs[1:]) if b <= a)
    assert acked == sent, "every phone's outbox drained"
    # Every phone's view: all ideas of the item it may see, and no gap in the revisions of
    # its rooms since its last snapshot.
    hidden = hall.query("SELECT hidden FROM agenda_items WHERE id = ?", item_id)[0][0]
    print("  the item is " + ("hidden: a phone sees its own ideas" if hidden
                              else "open: every phone sees every idea"))
    all_ids = {r[0] for r in rows}
    changes = hall.query("SELECT rev, rooms FROM changes WHERE session_id = ?", seed["sid"])
    views_missing = gaps = 0
    for c, p in zip(phones, seed["phones"]):
        own = {r[0] for r in rows if r[2] == p["id"]}
        expected = own if hidden else all_ids
        seen = {i for i, card in c.cards.items() if card["item_id"] == item_id}
        views_missing += len(expected - seen)
        rooms = {f"s{seed['sid']}", f"u{p['id']}", f"g{p['group_id']}", f"gp{p['group_id']}"}
        due = {rev for rev, rooms_ in changes if rev > c.base and rev <= c.rev
               and rooms & set(rooms_ if isinstance(rooms_, list) else _json(rooms_))}
        gaps += len(due - c.applied)
    figure(f"{PHONES} phones dropped at once: acked items lost", lost, 0, lost == 0)
    figure(f"{PHONES} phones dropped at once: duplicated", duplicated, 0, duplicated == 0)
    figure(f"{PHONES} phones dropped at once: out of order per sender", out_of_order, 0,
           out_of_order == 0)
    figure(f"{PHONES} phones dropped at once: items missing from a phone's view",
           views_missing, 0, views_missing == 0)
    figure(f"{PHONES} phones dropped at once: revision gaps in a phone's view", gaps, 0,
           gaps == 0)


def _json(text):
    import json
    return json.loads(text)


@pytest.fixture(params=["sqlite", "postgresql"])
def killable(request, tmp_path):
    """A server on a fresh SQLite file or a scratch PostgreSQL database (dropped after)."""
    drop = None
    url = None
    if request.param == "postgresql":
        name = f"takt_reliability_{uuid.uuid4().hex[:10]}"
        url, drop = postgres_database(name)
    srv = LiveServer(tmp_path, url)
    if drop:
        srv.env["PG_DATABASE"] = name
    try:
        srv.seed_data = srv.seed(KILL_PHONES)
        srv.start()
        yield srv
    finally:
        srv.stop()
        if drop:
            drop()


KILL_PHONES = 30


# A client caught in the middle of its handshake when the server dies leaves aiohttp's
# connection to the garbage collector, which warns; the server is what is tested here.
@pytest.mark.filterwarnings("ignore::ResourceWarning")
def test_sigkill_during_writes(killable, figure):
    """Phones post continuously; the server is killed with SIGKILL at a random moment KILLS
    times and restarted on the same database; the phones reconnect and resend their outbox.
    No acked item may be lost; SQLite's integrity_check is ok after every kill."""
    srv = killable
    seed = srv.seed_data
    item_id = seed["item_id"]
    phones = [phone(p, seed["sid"]) for p in seed["phones"]]
    state = {"stop": False, "acks": 0, "in_flight": 0}
    integrity, restarts, lost_at_kill = [], 0, 0
    rng = random.Random()

    async def writer(c, n):
        await asyncio.sleep(rng.random() * 0.5)
        count = 0
        while not state["stop"] or c.outbox:
            try:
                if c.sio is None:
                    await asyncio.wait_for(c.connect(srv.url), 5)
                if c.outbox and not await c.flush():
                    continue
                if not state["stop"]:
                    count += 1
                    ack = await c.post(item_id, f"Идея {count} телефона {n}")
                    if ack.get("ok"):
                        state["acks"] += 1
                    elif ack.get("code") == "rate_limited":
                        await asyncio.sleep(2)
                await asyncio.sleep(0.3 + rng.random() * 0.7)
            except Dropped:
                await c.drop()
            except Exception:  # noqa: BLE001 — connecting while the server is down
                await c.drop()
                await asyncio.sleep(0.2)

    async def scenario():
        nonlocal restarts, lost_at_kill
        loop = asyncio.get_running_loop()
        tasks = [asyncio.ensure_future(writer(c, n)) for n, c in enumerate(phones)]
        try:
            for _ in range(KILLS):
                before, deadline = state["acks"], time.monotonic() + 60
                while state["acks"] < before + 10:  # the phones write again
                    errors = [e for c in phones for e in c.errors[-1:]]
                    assert time.monotonic() < deadline, f"no writes for 60 s: {errors[:3]}"
                    await asyncio.sleep(0.01)
                await asyncio.sleep(rng.random() * 0.5)
                srv.kill()
                state["in_flight"] += sum(len(c.outbox) for c in phones)
                acked = {cid for c in phones for cid in c.acked}
                if srv.sqlite_path:
                    integrity.append(srv.query("PRAGMA integrity_check")[0][0])
                await loop.run_in_executor(None, srv.start)
                status = await loop.run_in_executor(None, srv.healthz)
                restarts += status == 200
                stored = {r[0] for r in await loop.run_in_executor(
                    None, srv.query, "SELECT client_id FROM ideas WHERE item_id = ?", item_id)}
                lost_at_kill += len(acked - stored)
            state["stop"] = True
            await asyncio.wait_for(asyncio.gather(*tasks), 120)
        finally:
            state["stop"] = True
            for t in tasks:
                t.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            await asyncio.gather(*(c.drop() for c in phones))

    run(scenario())
    stored = {r[0] for r in srv.query("SELECT client_id FROM ideas WHERE item_id = ?", item_id)}
    acked = {cid for c in phones for cid in c.acked}
    lost = len(acked - stored) + lost_at_kill + sum(len(c.outbox) for c in phones)
    db = "SQLite" if srv.sqlite_path else "PostgreSQL"
    resent_stored = sum(1 for c in phones for card in c.acked.values() if card.get("resent"))
    print(f"\n  {db}: {len(acked)} items acked over {KILLS} kills; posts in flight at the "
          f"kills: {state['in_flight']}, of which stored before the kill (acked on resend as "
          f"duplicates): {resent_stored}")
    figure(f"SIGKILL x{KILLS} during writes ({db}): acked items lost", lost, 0, lost == 0)
    if srv.sqlite_path:
        bad = [r for r in integrity if r != "ok"]
        figure(f"SIGKILL x{KILLS} during writes (SQLite): integrity_check after each kill",
               "ok" if not bad else f"{len(bad)} not ok: {bad[0]}", "ok", not bad)
    figure(f"SIGKILL x{KILLS} during writes ({db}): restarts with healthz 200",
           f"{restarts}/{KILLS}", f"{KILLS}/{KILLS}", restarts == KILLS)
