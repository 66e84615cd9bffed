"""Fan-out benchmark: N phones in one session; the moderator reveals one card every 400 ms.

For each reveal it measures when the last phone got it (last-recipient latency), and counts
lost and duplicated deliveries. The server is the real one (`python wsgi.py`, eventlet by
default, `--mode gevent` for gevent) pinned to core 0; the load generator runs on core 1 in
several processes so that its own event loop is not what is measured.

    python bench/fanout.py                     # N = 200 and 1,000, 100 reveals each
    python bench/fanout.py --clients 50 --reveals 20 --json out.json
"""
import argparse
import asyncio
import json
import multiprocessing as mp
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
GOALS = {"p50_ms": 60, "p99_ms": 100}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pin(core):
    try:
        if os.cpu_count() and os.cpu_count() > 1:
            os.sched_setaffinity(0, {core})
    except (AttributeError, OSError):
        pass


# -- set-up through the services ------------------------------------------------------------
def prepare(env, clients, reveals):
    """Create the organizer, a session at tact 2 (hidden), N participants and the cards."""
    os.environ.update(env)
    from facilitation import create_app
    from facilitation.extensions import db
    from facilitation.models import Participant
    from facilitation.services import agenda, cards, participants, sessions
    from facilitation.services.actors import participant_actor, user_actor
    from facilitation.services.codes import participant_token
    from datetime import date
    app = create_app("development")
    with app.app_context():
        password = uuid.uuid4().hex
        organizer = sessions.register_user("bench@example.org", "Bench", password)
        session = sessions.create_session(organizer, "Bench", date.today())
        group = sessions.save_group(organizer, session.id, {"name": "Группа", "subject_frame": ""})
        chief = user_actor(organizer, session.id)
        while session.current_item is None or session.current_item.kind != "brainstorm":
            agenda.advance(chief, session.current_item_id)
            db.session.refresh(session)
        item = session.current_item
        agenda.set_hidden(chief, item.id, True)
        tokens, card_ids = [], []
        for n in range(clients):
            p = participants.join(session, {"display_name": f"Phone {n}", "group_id": str(group.id),
                                            "client_id": str(uuid.uuid4())})
            tokens.append(participant_token(p))
            if n < reveals:
                card, _ = cards.create_card(participant_actor(p.id, session.id), {
                    "client_id": str(uuid.uuid4()), "item_id": item.id, "text": f"Идея {n}"})
                card_ids.append(card["id"])
        first = db.session.scalar(db.select(db.func.min(Participant.id))
                                  .where(Participant.session_id == session.id))
        while len(card_ids) < reveals:  # fewer phones than reveals: the first posts the rest
            card, _ = cards.create_card(participant_actor(first, session.id), {
                "client_id": str(uuid.uuid4()), "item_id": item.id, "text": "Идея"})
            card_ids.append(card["id"])
        return {"session_id": session.id, "tokens": tokens, "card_ids": card_ids,
                "email": "bench@example.org", "password": password}


# -- phones ---------------------------------------------------------------------------------
def phones_worker(url, session_id, tokens, ready, start, results):
    """One process holding many phone connections; records when each reveal arrives.

    `tokens` is a list of (global phone index, token)."""
    pin(1)
    asyncio.run(_phones(url, session_id, tokens, ready, start, results))


async def _phones(url, session_id, tokens, ready, start, results):
    """Phones as lean raw WebSocket clients speaking Engine.IO 4 / Socket.IO 5 by hand.

    python-socketio's client costs ~0.2 ms of CPU per message, which at 1,000 phones on one
    shared core would measure the load generator instead of the server; this client only
    answers pings and notes the arrival time and card id of each reveal.
    """
    import aiohttp
    received = {}  # (phone index, card id) -> [monotonic times]
    connected = []
    ws_url = url.replace("http", "ws") + "/socket.io/?EIO=4&transport=websocket"
    reveal = re.compile(r'"type": ?"card\.updated"')
    card_id = re.compile(r'"data": ?\{"kind": ?"idea", ?"id": ?(\d+)')
    http = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0))  # no pool cap

    async def one(index, token):
        for attempt in range(5):
            try:
                ws = await http.ws_connect(ws_url, timeout=aiohttp.ClientWSTimeout(ws_close=5),
                                           max_msg_size=0)
                await ws.receive_str(timeout=20)  # "0{...}": the Engine.IO open packet
                await ws.send_str("40/live," + json.dumps(
                    {"session_id": session_id, "role": "participant", "token": token}))
                while True:
                    msg = await ws.receive_str(timeout=20)
                    if msg.startswith("40/live"):
                        break
                    if msg == "2":
                        await ws.send_str("3")
                    if msg.startswith("44/live"):
                        raise ConnectionError(msg)
                await ws.send_str('42/live,1["sync",{"rev":-1}]')
                while not (await ws.receive_str(timeout=30)).startswith("43/live,1"):
                    pass
                break
            except Exception:  # noqa: BLE001 — retried, then counted as not connected
                await asyncio.sleep(0.5 * (attempt + 1))
        else:
            return
        connected.append(ws)

        async def listen():
            async for msg in ws:
                if msg.type != aiohttp.WSMsgType.TEXT:
                    break
                text = msg.data
                if text == "2":
                    await ws.send_str("3")
                elif reveal.search(text):
                    found = card_id.search(text)
                    if found:
                        received.setdefault((index, int(found.group(1))), []).append(
                            time.monotonic())

        asyncio.get_running_loop().create_task(listen())

    batch = 50
    for i in range(0, len(tokens), batch):
        await asyncio.gather(*(one(index, token) for index, token in tokens[i:i + batch]))
    ready.put(len(connected))
    loop = asyncio.get_running_loop()
    stop_at = await loop.run_in_executor(None, start.get)  # the moderator says when it is over
    while time.monotonic() < stop_at:
        await asyncio.sleep(0.2)
    results.put({f"{k[0]}:{k[1]}": v for k, v in received.items()})
    await asyncio.gather(*(ws.close() for ws in connected), return_exceptions=True)
    await http.close()


# -- the moderator --------------------------------------------------------------------------
def moderator_login(url, email, password):
    import requests
    http = requests.Session()
    page = http.get(f"{url}/login", timeout=10).text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
        r'name="csrf_token"[^>]*value="([^"]+)"', page)
    http.post(f"{url}/login", data={"csrf_token": token.group(1), "email": email,
                                    "password": password}, timeout=10, allow_redirects=False)
    return "; ".join(f"{c.name}={c.value}" for c in http.cookies)


def cpu_seconds(pid):
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_kb(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def migrate(env):
    """A fresh database for the run, migrated as `make run` does."""
    subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"], cwd=ROOT,
                   env={**os.environ, **env}, check=True, capture_output=True)


def start_server(env, port, log):
    """The real server (`python wsgi.py`, or TAKT_BENCH_SERVER) pinned to core 0; returns once
    it listens."""
    taskset = ["taskset", "-c", "0"] if shutil.which("taskset") and (os.cpu_count() or 1) > 1 else []
    server = subprocess.Popen(
        [*taskset, sys.executable, os.environ.get("TAKT_BENCH_SERVER", "wsgi.py")], cwd=ROOT,
        env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT)
    for _ in range(300):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    return server


def run_one(n, args):
    tmp = Path(tempfile.mkdtemp(prefix="takt-bench-"))
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {"DATABASE_URL": f"sqlite:///{tmp / 'bench.db'}", "SECRET_KEY": uuid.uuid4().hex,
           "SOCKETIO_ASYNC_MODE": args.mode, "PORT": str(port), "HOST": "127.0.0.1"}
    migrate(env)
    ctx = mp.get_context("spawn")
    with ctx.Pool(1) as pool:  # set-up in a fresh process: no app state leaks into this one
        data = pool.apply(prepare, (env, n, args.reveals))
    log = open(tmp / "server.log", "w")
    server = start_server(env, port, log)
    try:
        workers = max(1, min(args.workers, (n + 249) // 250))
        ready, start, results = ctx.Queue(), ctx.Queue(), ctx.Queue()
        indexed = list(enumerate(data["tokens"]))
        chunks = [indexed[i::workers] for i in range(workers)]
        procs = [ctx.Process(target=phones_worker, args=(url, data["session_id"], chunk, ready,
                                                          start, results)) for chunk in chunks]
        t0 = time.monotonic()
        for p in procs:
            p.start()
        connected = sum(ready.get(timeout=600) for _ in procs)
        connect_s = time.monotonic() - t0
        pin(1)
        import socketio
        moderator = socketio.Client(reconnection=False)
        moderator.connect(url, namespaces=["/live"], transports=["websocket"],
                          headers={"Cookie": moderator_login(url, data["email"], data["password"])},
                          auth={"session_id": data["session_id"], "role": "staff"})
        sent = {}
        cpu0 = cpu_seconds(server.pid)
        next_at = time.monotonic()
        errors = 0
        for card_id in data["card_ids"][:args.reveals]:
            next_at += args.interval
            sent[card_id] = time.monotonic()
            ack = moderator.call("reveal_card", {"kind": "idea", "id": card_id},
                                 namespace="/live", timeout=30)
            errors += 0 if ack and ack.get("ok") else 1
            time.sleep(max(0.0, next_at - time.monotonic()))
        stop_at = time.monotonic() + args.drain
        for _ in procs:
            start.put(stop_at)
        received = {}
        for _ in procs:
            received.update(results.get(timeout=120))
        cpu1, mem1 = cpu_seconds(server.pid), rss_kb(server.pid)
        moderator.disconnect()
        for p in procs:
            p.join(30)
    finally:
        server.terminate()
        server.wait(10)
        log.close()
        shutil.rmtree(tmp, ignore_errors=True)

    last, every = [], []
    duplicated = 0
    got = 0
    for card_id, t_sent in sent.items():
        times = []
        for index in range(n):
            stamps = received.get(f"{index}:{card_id}")
            if stamps:
                got += 1
                duplicated += len(stamps) - 1
                times.append((stamps[0] - t_sent) * 1000)
        every += times
        if times:
            last.append(max(times))
    expected = connected * len(sent)
    deliveries = max(1, got)

    def pct(values, q):
        if not values:
            return float("nan")
        values = sorted(values)
        return values[min(len(values) - 1, int(round(q / 100 * (len(values) - 1))))]

    return {
        "clients": n, "connected": connected, "connect_s": round(connect_s, 2),
        "reveals": len(sent), "mode": args.mode, "ack_errors": errors,
        "p50_ms": round(pct(last, 50), 1), "p99_ms": round(pct(last, 99), 1),
        "max_ms": round(max(last) if last else float("nan"), 1),
        "all_p50_ms": round(pct(every, 50), 1),
        "lost": expected - got, "duplicated": duplicated,
        "cpu_us_per_delivery": round((cpu1 - cpu0) * 1e6 / deliveries, 1),
        "server_rss_mb": round(mem1 / 1024, 1), "rss_kb_per_conn": round(mem1 / max(1, connected), 1),
        "last_ms_by_reveal": [round(x, 1) for x in last],
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", default="200,1000")
    parser.add_argument("--reveals", type=int, default=100)
    parser.add_argument("--interval", type=float, default=0.4)
    parser.add_argument("--mode", choices=["eventlet", "gevent"], default="eventlet")
    parser.add_argument("--workers", type=int, default=4, help="load-generator processes, at most")
    parser.add_argument("--drain", type=float, default=2.0, help="seconds to wait for stragglers")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    rows = [run_one(int(n), args) for n in args.clients.split(",")]
    head = ("clients", "connected", "mode", "p50_ms", "p99_ms", "max_ms", "all_p50_ms", "lost",
            "duplicated", "cpu_us_per_delivery", "rss_kb_per_conn", "connect_s")
    print(" ".join(f"{h:>12}" for h in head))
    for row in rows:
        print(" ".join(f"{row[h]!s:>12}" for h in head))
    for row in rows:
        ok = (row["p50_ms"] <= GOALS["p50_ms"] and row["p99_ms"] <= GOALS["p99_ms"]
              and row["lost"] == 0 and row["duplicated"] == 0)
        print(f"N={row['clients']}: goal p50 ≤ {GOALS['p50_ms']} ms, p99 ≤ {GOALS['p99_ms']} ms, "
              f"0 lost, 0 duplicated: {'met' if ok else 'MISSED'}")
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
