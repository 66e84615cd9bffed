"""Helpers of the "nothing lost" and race tests: a real server on SQLite or PostgreSQL, a seeded
demo session, and phones/staff speaking /live with python-socketio's asyncio client, each phone
keeping an outbox and a store of what it saw the way static/js/live.js does."""
import asyncio
import json
import re
import signal
import sqlite3
import subprocess
import sys
import uuid

import pytest
import requests
import socketio

from tests.e2e.conftest import ROOT, Server

NAMESPACE = "/live"
PG = dict(host="127.0.0.1", port=5432, user="postgres")

# One subprocess migrates, builds the demo at tact 2 (brainstorm) and joins N phones: one
# process start instead of three keeps the short suite fast.
SEED = r"""
import json, sys, uuid
from wsgi import app
from flask_migrate import upgrade
with app.app_context():
    upgrade()
    from facilitation.cli import build_demo
    from facilitation.extensions import db
    from facilitation.services import participants
    from facilitation.services.codes import participant_token
    session, password, moderators, experts = build_demo(filled=True, until=sys.argv[1])
    phones = []
    groups = [g for g, _u, _p in moderators]
    for n in range(int(sys.argv[2])):
        p = participants.join(session, {"display_name": f"Phone {n}",
                                        "group_id": str(groups[n % len(groups)].id),
                                        "client_id": str(uuid.uuid4())})
        phones.append({"id": p.id, "group_id": p.group_id, "token": participant_token(p)})
    print("SEED" + json.dumps({"sid": session.id, "item_id": session.current_item_id,
                               "organizer_pw": password, "phones": phones}))
"""


class LiveServer(Server):
    """tests/e2e's Server on a database of our choosing, which it can SIGKILL and restart on
    the same port (the killed process's connections linger there in TIME_WAIT)."""

    def __init__(self, tmp, database_url=None):
        super().__init__(tmp)
        self.env["DATABASE_URL"] = database_url or f"sqlite:///{tmp / 'reliability.db'}"
        self.tmp = tmp
        self.starts = 0

    @property
    def sqlite_path(self):
        url = self.env["DATABASE_URL"]
        return url.removeprefix("sqlite:///") if url.startswith("sqlite:///") else None

    def seed(self, phones, until="brainstorm"):
        out = subprocess.run([sys.executable, "-c", SEED, until, str(phones)], cwd=ROOT,
                             env=self.env, capture_output=True, text=True, timeout=180)
        assert out.returncode == 0, out.stderr[-3000:]
        return json.loads(out.stdout.split("SEED", 1)[1])

    def start(self):
        self.log_path = self.tmp / f"server-{self.starts}.log"
        self.starts += 1
        return super().start()

    def kill(self):
        """SIGKILL: no clean-up, no flush, whatever was in flight is cut."""
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)
        self.proc = None
        self.log.close()
        self.log = None

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        self.proc = None
        if self.log:
            self.log.close()
            self.log = None

    def healthz(self):
        return requests.get(f"{self.url}/healthz", timeout=10).status_code

    def query(self, sql, *args):
        """Rows of a query on the server's database (SQLite file or PostgreSQL)."""
        if self.sqlite_path:
            with sqlite3.connect(self.sqlite_path) as con:
                return con.execute(sql, args).fetchall()
        import psycopg2
        con = psycopg2.connect(dbname=self.env["PG_DATABASE"], **PG)
        try:
            with con.cursor() as cur:
                cur.execute(sql.replace("?", "%s"), args)
                return cur.fetchall()
        finally:
            con.close()

    def kill_tcp(self):
        """Cut every TCP connection of the server from the kernel's side (`ss -K`, root only);
        True when it worked."""
        try:
            out = subprocess.run(["ss", "-K", "-t", "state", "established", "(", "sport", "=",
                                  f":{self.port}", ")"], capture_output=True, text=True,
                                 timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            return False
        return out.returncode == 0 and out.stdout.count("\n") > 1


def postgres_database(name):
    """Create a scratch PostgreSQL database; returns (url, drop) or skips when absent."""
    try:
        import psycopg2
        con = psycopg2.connect(dbname="postgres", connect_timeout=3, **PG)
    except Exception as exc:  # noqa: BLE001 — any failure means: no PostgreSQL here
        pytest.skip(f"PostgreSQL at 127.0.0.1:5432 (user postgres, trust) is not reachable: {exc}")
    con.autocommit = True
    with con.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cur.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with con.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        con.close()
    return f"postgresql+psycopg2://postgres@127.0.0.1:5432/{name}", drop


def staff_cookie(url, email, password):
    """Log in over HTTP (with the form's CSRF token) and return the Cookie header."""
    http = requests.Session()
    page = http.get(f"{url}/login", timeout=10).text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    data = {"email": email, "password": password}
    if token:
        data["csrf_token"] = token.group(1)
    reply = http.post(f"{url}/login", data=data, timeout=10, allow_redirects=False)
    assert reply.status_code in (302, 303), f"login failed: {reply.status_code}"
    return "; ".join(f"{c.name}={c.value}" for c in http.cookies)


class Dropped(Exception):
    """The connection went away before the ack came."""


class Client:
    """One /live connection (reconnected by hand) with the store a browser keeps: every event
    applied by revision, cards by id keeping the highest `rev`, and an outbox of posts."""

    transports = ["websocket"]  # what it may use (test_deploy.py also polls through nginx)
    client_options = {}         # more socketio.AsyncClient options (ssl_verify=False there)

    def __init__(self, auth, headers=None, timeout=15):
        self.auth, self.headers, self.timeout = auth, headers or {}, timeout
        self.sio = None
        self.rev = -1
        self.base = -1          # revision of the last snapshot (or -1): what `applied` starts at
        self.applied = set()    # revisions of the events applied since `base`
        self.cards = {}         # card id -> card
        self.current_item_id = None
        self.outbox = {}        # client id -> payload, in send order
        self.acked = {}         # client id -> card of the ok ack
        self.sent = []          # client ids in the order they were first sent
        self.errors = []
        self.syncs = {"events": 0, "snapshot": 0}  # how each (re)connect caught up
        self._buffer = None
        self._gone = asyncio.Event()

    async def connect(self, url):
        self._gone = asyncio.Event()
        sio = socketio.AsyncClient(reconnection=False, **self.client_options)
        sio.on("event", self._on_event, namespace=NAMESPACE)
        sio.on("disconnect", lambda *reason: self._gone.set(), namespace=NAMESPACE)
        self._buffer = []
        self.sio = sio
        await sio.connect(url, namespaces=[NAMESPACE], auth=self.auth, headers=self.headers,
                          transports=self.transports, wait_timeout=20)
        ack = await self.call("sync", {"rev": self.rev})
        assert ack.get("ok"), ack
        self.syncs["snapshot" if "snapshot" in ack else "events"] += 1
        if "snapshot" in ack:
            snap = ack["snapshot"]
            self.cards = {c["id"]: c for c in snap["cards"] if c.get("kind") == "idea"}
            self.current_item_id = snap["current_item_id"]
            self.base, self.applied = snap["rev"], set()
        else:
            for event in ack["events"]:
                self._apply(event)
        self.rev = max(self.rev, ack["rev"])
        buffered, self._buffer = self._buffer, None
        for event in buffered:
            if event["rev"] > self.base and event["rev"] not in self.applied:
                self._apply(event)
        return ack

    async def _on_event(self, event):
        if self._buffer is not None:
            self._buffer.append(event)
        else:
            self._apply(event)

    def _apply(self, event):
        if event["rev"] <= self.base or event["rev"] in self.applied:
            return
        self.applied.add(event["rev"])
        self.rev = max(self.rev, event["rev"])
        data = event["data"]
        if event["type"].startswith("card.") and data.get("kind") == "idea":
            old = self.cards.get(data["id"])
            if old is None or old["rev"] < data["rev"]:
                self.cards[data["id"]] = data
        elif event["type"] == "agenda.changed":
            self.current_item_id = data["current_item_id"]

    async def call(self, event, data):
        """Send an event and wait for its ack; Dropped when the connection goes first."""
        if self.sio is None or not self.sio.connected:
            raise Dropped()
        ack = asyncio.ensure_future(self.sio.call(event, data, namespace=NAMESPACE,
                                                  timeout=self.timeout))
        gone = asyncio.ensure_future(self._gone.wait())
        done, _ = await asyncio.wait({ack, gone}, return_when=asyncio.FIRST_COMPLETED)
        gone.cancel()
        if ack in done:
            try:
                return ack.result()
            except Exception as exc:  # noqa: BLE001 — a timeout or a closed socket
                raise Dropped() from exc
        ack.cancel()
        raise Dropped()

    async def post(self, item_id, text, client_id=None):
        """Store in the outbox, then send; the entry leaves the outbox only on an ok ack."""
        client_id = client_id or str(uuid.uuid4())
        self.outbox[client_id] = {"client_id": client_id, "item_id": item_id, "text": text}
        self.sent.append(client_id)
        return await self.flush_one(client_id)

    async def flush_one(self, client_id):
        ack = await self.call("post_card", self.outbox[client_id])
        if ack.get("ok"):
            self.acked[client_id] = {**ack["card"], "resent": ack.get("duplicate", False)}
            self.outbox.pop(client_id, None)
        else:
            self.errors.append(ack)
        return ack

    async def flush(self):
        """Resend the outbox in send order, as live.js does after every reconnect."""
        for client_id in list(self.outbox):
            ack = await self.flush_one(client_id)
            if ack.get("code") == "rate_limited":
                await asyncio.sleep(1)
                return False
        return True

    async def drop(self):
        """Close from the client's side (no-op when already gone)."""
        sio, self.sio = self.sio, None
        if sio is not None:
            try:
                await asyncio.wait_for(sio.disconnect(), 5)
            except Exception:  # noqa: BLE001 — the server is gone already
                pass
            http = getattr(sio.eio, "http", None)
            if http is not None and not http.closed:  # a failed connect leaves it open
                await http.close()
            await asyncio.sleep(0)
        self._gone.set()


def phone(seed_phone, sid):
    return Client({"session_id": sid, "role": "participant", "token": seed_phone["token"]})


async def connect_all(clients, url, batch=50, attempts=30):
    """Connect many clients, a batch at a time, retrying each (the server may be starting)."""
    async def one(c):
        for attempt in range(attempts):
            try:
                return await c.connect(url)
            except Exception:  # noqa: BLE001 — retried; the last failure is raised
                await c.drop()
                if attempt == attempts - 1:
                    raise
                await asyncio.sleep(0.2 + 0.1 * attempt)
    for i in range(0, len(clients), batch):
        await asyncio.gather(*(one(c) for c in clients[i:i + batch]))


def run(coro):
    """Run a coroutine to its end in a thread of its own: in a full run, Playwright's sync API
    (the browser tests) keeps an event loop running in the main thread, and asyncio.run refuses
    to start a second one there."""
    import concurrent.futures
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()

