"""What the benchmarks share: pinning, servers and their CPU and memory, scratch databases, the
set-up of a session through the services, the moderator, and percentiles.

The server under test runs on core 0 (`taskset`), everything else (the phones, the moderator,
this process) on core 1; on a one-core machine nothing is pinned.
"""
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
PG = dict(host="127.0.0.1", port=5432, user="postgres")
SERVER_CORE, LOAD_CORE = 0, 1


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def two_cores():
    return (os.cpu_count() or 1) > 1


def pin(core=LOAD_CORE):
    """Pin the calling process to one core (no-op on a one-core machine)."""
    try:
        if two_cores():
            os.sched_setaffinity(0, {core})
    except (AttributeError, OSError):
        pass


def raise_open_files(wanted):
    """Lift this process's soft limit on open files to at least `wanted` (capped by the hard
    limit; Linux's default soft limit is 1,024): every phone holds a socket, and the processes
    started from here (servers, load generators) inherit the limit. Returns the soft limit."""
    try:
        import resource
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        if soft != resource.RLIM_INFINITY and soft < wanted:
            soft = wanted if hard == resource.RLIM_INFINITY else min(hard, wanted)
            resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
        return soft
    except (ImportError, ValueError, OSError):
        return None


def cpu_seconds(pid):
    """User + system CPU of a process so far (from /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_kb(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def pct(values, q):
    """The q-th percentile (nearest rank); NaN for no values."""
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q / 100 * (len(values) - 1))))]


def r1(x):
    return None if x is None or x != x else round(x, 1)  # NaN -> None (valid JSON)


def load_average():
    try:
        return [float(x) for x in Path("/proc/loadavg").read_text().split()[:3]]
    except OSError:
        return None


def listen_drops():
    """The kernel's count of connections dropped because a listen queue was full (system-wide
    TcpExt ListenOverflows): a server's accept backlog overflowing in a connect storm."""
    try:
        lines = Path("/proc/net/netstat").read_text().splitlines()
        for head, values in zip(lines[::2], lines[1::2]):
            if head.startswith("TcpExt:"):
                return dict(zip(head.split()[1:], map(int, values.split()[1:])))["ListenOverflows"]
    except (OSError, KeyError, ValueError):
        pass
    return None


# -- servers ---------------------------------------------------------------------------------
class Server:
    """A server process pinned to `core`; started by start(), ended by stop().

    `cmd` is the command (default: the real app, `python wsgi.py`, or TAKT_BENCH_SERVER)."""

    def __init__(self, env, port, log_path, cmd=None, core=SERVER_CORE, name="app"):
        self.env, self.port, self.log_path, self.core, self.name = env, port, log_path, core, name
        self.cmd = cmd or [sys.executable, os.environ.get("TAKT_BENCH_SERVER", "wsgi.py")]
        self.url = f"http://127.0.0.1:{port}"
        self.proc = self.log = None

    def start(self, timeout=60):
        taskset = (["taskset", "-c", str(self.core)]
                   if shutil.which("taskset") and two_cores() else [])
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen([*taskset, *self.cmd], cwd=ROOT, env={**os.environ, **self.env},
                                     stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} server exited: {self.tail()}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"{self.name} server did not listen on {self.port}: {self.tail()}")

    def tail(self, chars=2000):
        try:
            self.log.flush()
            return Path(self.log_path).read_text()[-chars:]
        except (OSError, AttributeError):
            return ""

    @property
    def pid(self):
        return self.proc.pid

    def cpu(self):
        return cpu_seconds(self.proc.pid)

    def rss_kb(self):
        return rss_kb(self.proc.pid)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        if self.log:
            self.log.close()
        self.proc = self.log = None


def app_env(database_url, port, mode="eventlet", secret=None, **extra):
    """The environment of `python wsgi.py` for a bench run."""
    return {"DATABASE_URL": database_url, "SECRET_KEY": secret or uuid.uuid4().hex,
            "SOCKETIO_ASYNC_MODE": mode, "PORT": str(port), "HOST": "127.0.0.1", **extra}


def migrate(env):
    """Migrate a fresh database, as `make run` does."""
    subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"], cwd=ROOT,
                   env={**os.environ, **env}, check=True, capture_output=True)


# -- scratch databases -----------------------------------------------------------------------
def postgres_available():
    try:
        import psycopg2
        psycopg2.connect(dbname="postgres", connect_timeout=3, **PG).close()
        return True
    except Exception:  # noqa: BLE001 — any failure means: no PostgreSQL here
        return False


def postgres_database(name):
    """Create a throwaway PostgreSQL database; returns (url, drop)."""
    import psycopg2
    con = psycopg2.connect(dbname="postgres", connect_timeout=3, **PG)
    con.autocommit = True
    with con.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cur.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with con.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        con.close()
    return f"postgresql+psycopg2://postgres@127.0.0.1:5432/{name}", drop


def redis_available(host="127.0.0.1", port=6379):
    try:
        with socket.create_connection((host, port), timeout=2) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


# -- set-up through the services -------------------------------------------------------------
def prepare(env, spec):
    """Build a session as a real one would be, in a fresh process (run it with `in_process`).

    spec: kind (tact kind of the current item: "brainstorm" for ideas to everyone, "trends"
    for group posts), groups, per_group (phones per group; 0 for none: S4 joins over HTTP),
    hidden (new posts hidden, for reveals), cards (how many cards to create for reveals).
    Returns the ids, the phones' tokens, the join code and the organizer's login."""
    os.environ.update(env)
    from datetime import date

    from facilitation import create_app
    from facilitation.extensions import db
    from facilitation.services import agenda, cards, participants, sessions
    from facilitation.services.actors import participant_actor, user_actor
    from facilitation.services.codes import participant_token
    app = create_app("development")
    with app.app_context():
        password = uuid.uuid4().hex
        organizer = sessions.register_user("bench@example.org", "Bench", password)
        session = sessions.create_session(organizer, "Bench", date.today())
        chief = user_actor(organizer, session.id)
        groups = [sessions.save_group(organizer, session.id,
                                      {"name": f"Группа {g + 1}", "subject_frame": ""})
                  for g in range(spec.get("groups", 1))]
        while session.current_item is None or session.current_item.kind != spec["kind"]:
            agenda.advance(chief, session.current_item_id)
            db.session.refresh(session)
        item = session.current_item
        if spec.get("hidden"):
            agenda.set_hidden(chief, item.id, True)
        phones, card_ids = [], []
        for g, group in enumerate(groups):
            for n in range(spec.get("per_group", 0)):
                p = participants.join(session, {"display_name": f"Phone {g}.{n}",
                                                "group_id": str(group.id),
                                                "client_id": str(uuid.uuid4())})
                phones.append({"index": len(phones), "group": group.id, "pid": p.id,
                               "token": participant_token(p)})
        for n in range(spec.get("cards", 0)):
            author = phones[n % len(phones)]
            card, _ = cards.create_card(participant_actor(author["pid"], session.id), {
                "client_id": str(uuid.uuid4()), "item_id": item.id,
                "text": f"Идея {n}: пункты сбора батареек в школах"})
            card_ids.append(card["id"])
        return {"session_id": session.id, "item_id": item.id, "phones": phones,
                "card_ids": card_ids, "group_ids": [g.id for g in groups],
                "join_code": session.join_code, "email": "bench@example.org",
                "password": password}


def in_process(func, *args):
    """Run func(*args) in a fresh spawned process (no app state leaks into this one)."""
    import multiprocessing as mp
    with mp.get_context("spawn").Pool(1) as pool:
        return pool.apply(func, args)


# -- the moderator ---------------------------------------------------------------------------
def moderator_login(url, email, password):
    """Sign in over HTTP like a browser (with the form's CSRF token); the Cookie header."""
    import requests
    http = requests.Session()
    page = http.get(f"{url}/login", timeout=10).text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    data = {"email": email, "password": password}
    if token:
        data["csrf_token"] = token.group(1)
    http.post(f"{url}/login", data=data, timeout=10, allow_redirects=False)
    return "; ".join(f"{c.name}={c.value}" for c in http.cookies)


class Moderator:
    """The chief moderator: python-socketio's client (its cost is on core 1, once per event)."""

    def __init__(self, url, session_id=None, cookie=None):
        import socketio
        self.sio = socketio.Client(reconnection=False)
        headers = {"Cookie": cookie} if cookie else {}
        self.sio.connect(url, namespaces=["/live"], transports=["websocket"], headers=headers,
                         auth={"session_id": session_id, "role": "staff"}, wait_timeout=30)

    def call(self, event, data, timeout=30):
        return self.sio.call(event, data, namespace="/live", timeout=timeout)

    def close(self):
        try:
            self.sio.disconnect()
        except Exception:  # noqa: BLE001
            pass


def anchor_card(card_id, rev=0):
    """A card shaped (and sized) like the app's card.updated data, for the anchors' fan-out."""
    return {"kind": "idea", "id": card_id, "client_id": str(uuid.UUID(int=card_id)),
            "item_id": 12, "group_id": None,
            "text": "Idea %d: battery collection points in schools" % card_id,
            "author": "Phone %d" % card_id, "participant_id": card_id, "rev": rev,
            "revealed": True, "deleted": False, "merged_into": None,
            "created_at": "2026-11-25T10:00:00+00:00", "updated_at": "2026-11-25T10:00:01+00:00"}


def dumps(obj):
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
