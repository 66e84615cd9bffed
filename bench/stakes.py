"""Staking benchmark: 40 groups × 25 phones all place their chips within the same minute.

Each phone places its budget (5 chips) one tap at a time at random moments of a 60-second
window, on random initiatives of its group (5 per group). Every tap is a `set_stake`; the
server answers with the revision of the `stakes.changed` its group gets, and every phone of
the group notes when that revision arrives. For each tap: the ack latency, and the board
latency to the *last* phone of the group. Lost and duplicated deliveries are counted.

The server is the real one (`python wsgi.py`) on core 0, the phones run on core 1, as in
fanout.py.

    python bench/stakes.py                      # 40 × 25, 60 s
    python bench/stakes.py --groups 4 --per-group 10 --window 10
"""
import argparse
import asyncio
import json
import multiprocessing as mp
import os
import random
import re
import shutil
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import Server, cpu_seconds, free_port, migrate, pct, pin, rss_kb  # noqa: E402

GOAL_P99_MS = 100


def prepare(env, groups, per_group, initiatives, budget):
    """A session at tact 3 with the groups, phones and initiatives, staking open."""
    os.environ.update(env)
    from datetime import date

    from facilitation import create_app
    from facilitation.extensions import db
    from facilitation.services import agenda, initiatives as svc, participants, sessions
    from facilitation.services.actors import user_actor
    from facilitation.services.codes import participant_token
    app = create_app("development")
    with app.app_context():
        organizer = sessions.register_user("bench@example.org", "Bench", uuid.uuid4().hex)
        session = sessions.create_session(organizer, "Bench", date.today())
        chief = user_actor(organizer, session.id)
        while session.current_item is None or session.current_item.kind != "clustering":
            agenda.advance(chief, session.current_item_id)
            db.session.refresh(session)
        item = session.current_item
        phones = []  # (group index, token, [initiative ids])
        for g in range(groups):
            group = sessions.save_group(organizer, session.id,
                                        {"name": f"Группа {g + 1}", "subject_frame": ""})
            ids = [svc.create_initiative(chief, {
                "client_id": str(uuid.uuid4()), "item_id": item.id, "group_id": group.id,
                "name": f"Инициатива {g + 1}.{n + 1}"})[0]["id"] for n in range(initiatives)]
            svc.board_settings(chief, {"item_id": item.id, "group_id": group.id,
                                       "staking": "open", "budget": budget,
                                       "totals_revealed": True})
            for n in range(per_group):
                p = participants.join(session, {"display_name": f"Phone {g}.{n}",
                                                "group_id": str(group.id),
                                                "client_id": str(uuid.uuid4())})
                phones.append((g, participant_token(p), ids))
        return {"session_id": session.id, "item_id": item.id, "phones": phones}


def phones_worker(url, session_id, item_id, phones, budget, window, seed, ready, start, results):
    pin(1)
    asyncio.run(_phones(url, session_id, item_id, phones, budget, window, seed, ready, start,
                        results))


async def _phones(url, session_id, item_id, phones, budget, window, seed, ready, start, results):
    """Lean raw Engine.IO 4 / Socket.IO 5 phones (see fanout.py for why not python-socketio)."""
    import aiohttp
    rng = random.Random(seed)
    ws_url = url.replace("http", "ws") + "/socket.io/?EIO=4&transport=websocket"
    stakes_rev = re.compile(r'"type": ?"stakes\.changed", ?"rev": ?(\d+)')
    ack_re = re.compile(r'^43/live,(\d+)\[(.*)\]$', re.S)
    http = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0))
    received = {}  # "phone:rev" -> [times]
    taps = []  # {group, sent, acked, rev, ok}
    pending = {}  # ack id -> tap

    async def connect(index, token):
        for attempt in range(5):
            try:
                ws = await http.ws_connect(ws_url, max_msg_size=0)
                await ws.receive_str(timeout=20)
                await ws.send_str("40/live," + json.dumps(
                    {"session_id": session_id, "role": "participant", "token": token}))
                while True:
                    msg = await ws.receive_str(timeout=20)
                    if msg.startswith("40/live"):
                        break
                    if msg == "2":
                        await ws.send_str("3")
                await ws.send_str('42/live,1["sync",{"rev":-1}]')
                while not (await ws.receive_str(timeout=60)).startswith("43/live,1"):
                    pass
                return ws
            except Exception:  # noqa: BLE001 — retried, then counted as not connected
                await asyncio.sleep(0.5 * (attempt + 1))
        return None

    async def listen(index, ws):
        async for msg in ws:
            if msg.type != aiohttp.WSMsgType.TEXT:
                break
            text, now = msg.data, time.monotonic()
            if text == "2":
                await ws.send_str("3")
                continue
            found = stakes_rev.search(text)
            if found:
                received.setdefault(f"{index}:{found.group(1)}", []).append(now)
                continue
            acked = ack_re.match(text)
            if acked and acked.group(1) in pending:
                tap = pending.pop(acked.group(1))
                body = json.loads(acked.group(2))
                tap.update(acked=now, ok=body.get("ok"), rev=(body.get("mine") or {}).get("rev"),
                           error=body.get("error"))

    async def stake(index, ws, group, ids, delays):
        counts = {}
        t0 = time.monotonic()
        for n, delay in enumerate(delays):
            await asyncio.sleep(max(0.0, t0 + delay - time.monotonic()))
            target = rng.choice(ids)
            counts[target] = counts.get(target, 0) + 1
            ack_id = str(100000 + index * 100 + n)
            tap = {"phone": index, "group": group, "sent": time.monotonic(), "ok": None}
            pending[ack_id] = tap
            taps.append(tap)
            await ws.send_str(f'42/live,{ack_id}["set_stake",' + json.dumps(
                {"item_id": item_id, "initiative_id": target, "count": counts[target]}) + "]")

    connected = []
    for i in range(0, len(phones), 50):
        chunk = phones[i:i + 50]
        wss = await asyncio.gather(*(connect(index, token) for index, _g, token, _ids in chunk))
        for (index, group, _token, ids), ws in zip(chunk, wss):
            if ws is not None:
                connected.append((index, group, ids, ws))
                asyncio.get_running_loop().create_task(listen(index, ws))
    ready.put([(index, group) for index, group, _ids, _ws in connected])
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, start.get)
    await asyncio.gather(*(stake(index, ws, group, ids,
                                 sorted(rng.uniform(0, window) for _ in range(budget)))
                           for index, group, ids, ws in connected))
    stop_at = await loop.run_in_executor(None, start.get)
    while time.monotonic() < stop_at:
        await asyncio.sleep(0.2)
    results.put({"received": received, "taps": taps})
    await asyncio.gather(*(ws.close() for *_rest, ws in connected), return_exceptions=True)
    await http.close()


def run(args):
    tmp = Path(tempfile.mkdtemp(prefix="takt-bench-"))
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {"DATABASE_URL": args.database or f"sqlite:///{tmp / 'bench.db'}",
           "SECRET_KEY": uuid.uuid4().hex, "SOCKETIO_ASYNC_MODE": args.mode, "PORT": str(port),
           "HOST": "127.0.0.1"}
    migrate(env)
    ctx = mp.get_context("spawn")
    with ctx.Pool(1) as pool:
        data = pool.apply(prepare, (env, args.groups, args.per_group, 5, args.budget))
    srv = Server(env, port, tmp / "server.log").start()
    server = srv.proc
    try:
        phones = [(i, g, token, ids) for i, (g, token, ids) in enumerate(data["phones"])]
        workers = max(1, min(args.workers, (len(phones) + 249) // 250))
        # Whole groups per worker, so that a group's phones share one event loop's clock view.
        chunks = [[p for p in phones if p[1] % workers == w] for w in range(workers)]
        ready, start, results = ctx.Queue(), ctx.Queue(), ctx.Queue()
        procs = [ctx.Process(target=phones_worker, args=(
            url, data["session_id"], data["item_id"], chunk, args.budget, args.window, w,
            ready, start, results)) for w, chunk in enumerate(chunks)]
        for p in procs:
            p.start()
        members = {}
        for _ in procs:
            for index, group in ready.get(timeout=900):
                members.setdefault(group, []).append(index)
        connected = sum(len(v) for v in members.values())
        cpu0 = cpu_seconds(server.pid)
        for _ in procs:
            start.put("go")
        time.sleep(args.window + 1)
        stop_at = time.monotonic() + args.drain
        for _ in procs:
            start.put(stop_at)
        received, taps = {}, []
        for _ in procs:
            part = results.get(timeout=300)
            received.update(part["received"])
            taps += part["taps"]
        cpu1, mem1 = cpu_seconds(server.pid), rss_kb(server.pid)
        for p in procs:
            p.join(30)
    finally:
        srv.stop()
        shutil.rmtree(tmp, ignore_errors=True)

    acked = [t for t in taps if t.get("ok")]
    refused = [t for t in taps if t.get("ok") is False]
    unanswered = [t for t in taps if t.get("ok") is None]
    ack_ms, last_ms = [], []
    lost = duplicated = deliveries = 0
    for tap in acked:
        ack_ms.append((tap["acked"] - tap["sent"]) * 1000)
        times = []
        for index in members[tap["group"]]:
            stamps = received.get(f"{index}:{tap['rev']}")
            if not stamps:
                lost += 1
                continue
            deliveries += 1
            duplicated += len(stamps) - 1
            times.append((stamps[0] - tap["sent"]) * 1000)
        if times:
            last_ms.append(max(times))
    return {
        "scenario": "stakes", "groups": args.groups, "per_group": args.per_group,
        "connected": connected, "mode": args.mode, "window_s": args.window,
        "taps": len(taps), "acked": len(acked), "refused": len(refused),
        "unanswered": len(unanswered),
        "ack_p50_ms": round(pct(ack_ms, 50), 1), "ack_p99_ms": round(pct(ack_ms, 99), 1),
        "p50_ms": round(pct(last_ms, 50), 1), "p99_ms": round(pct(last_ms, 99), 1),
        "max_ms": round(max(last_ms) if last_ms else float("nan"), 1),
        "lost": lost, "duplicated": duplicated,
        "cpu_us_per_delivery": round((cpu1 - cpu0) * 1e6 / max(1, deliveries), 1),
        "server_rss_mb": round(mem1 / 1024, 1),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--groups", type=int, default=40)
    parser.add_argument("--per-group", type=int, default=25)
    parser.add_argument("--budget", type=int, default=5)
    parser.add_argument("--window", type=float, default=60.0)
    parser.add_argument("--mode", choices=["eventlet", "gevent"], default="eventlet")
    parser.add_argument("--database", help="DATABASE_URL (default: a fresh SQLite file)")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--drain", type=float, default=3.0)
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    row = run(args)
    for key, value in row.items():
        print(f"{key:>20}: {value}")
    ok = row["p99_ms"] <= GOAL_P99_MS and row["lost"] == 0 and row["duplicated"] == 0
    print(f"goal: board update to the last phone of the group p99 ≤ {GOAL_P99_MS} ms, "
          f"0 lost, 0 duplicated: {'met' if ok else 'MISSED'}")
    if args.json:
        Path(args.json).write_text(json.dumps(row, indent=2))


if __name__ == "__main__":
    main()
