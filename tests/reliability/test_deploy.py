"""The production run of docs/DEPLOY.md, for real: deploy/nginx/takt.conf (ports, paths and a
self-signed certificate swapped in, nothing else) in front of two gunicorn processes
(deploy/gunicorn.conf.py, one eventlet worker each; gevent too in `make reliability`) in the
production configuration on one PostgreSQL and one Redis (Socket.IO queue and rate limits).
Over https through nginx: the HTTP→HTTPS redirect, /healthz from both processes, static files,
phones on WebSocket and phones on long polling only, each keeping all its requests on one
process (the `sticky` key that live.js sends), and posts through phones on either process
reaching every phone, in order, with revisions intact.

Skips, saying why, without nginx (`make nginx` installs it with apt), gunicorn, openssl,
PostgreSQL or Redis."""
import asyncio
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import uuid
from collections import defaultdict
from pathlib import Path

import pytest
import requests

from tests.e2e.conftest import ROOT, _free_port

from . import test_multiprocess
from .conftest import FULL, size
from .live import Client, LiveServer, connect_all, postgres_database, run

pytestmark = pytest.mark.reliability
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
GUNICORN = Path(sys.executable).with_name("gunicorn")
SITE = ROOT / "deploy" / "nginx" / "takt.conf"
POSTS = size(12, 100)
WS_PHONES = size(4, 20)
POLL_PHONES = size(4, 20)
SPARES = 8  # polling phones held back, to put an author on a process that has none
RATE_REDIS = "redis://127.0.0.1:6379/8"  # this test's rate-limit store, emptied at its start


class Gunicorn(LiveServer):
    """One app process as deploy/systemd/takt@.service runs it: gunicorn with the deploy
    config, bound to its port."""

    def start(self):
        self.log_path = self.tmp / f"gunicorn-{self.starts}.log"
        self.starts += 1
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen(
            [str(GUNICORN), "-c", "deploy/gunicorn.conf.py", "--bind", f"127.0.0.1:{self.port}",
             "wsgi:app"], cwd=ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT)
        return self

    def wait_ready(self, timeout=40):
        """Until /healthz answers 200 (asked as nginx would, over https as far as it knows)."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            assert self.proc.poll() is None, self.log_path.read_text()[-3000:]
            try:
                reply = requests.get(f"{self.url}/healthz", timeout=2, allow_redirects=False,
                                     headers={"X-Forwarded-Proto": "https"})
                if reply.status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise AssertionError("gunicorn did not become ready:\n"
                             + self.log_path.read_text()[-3000:])


class Phone(Client):
    """A phone through nginx: a random `sticky` key on every request, as live.js sends, and
    the page's Origin, as a browser sends."""

    client_options = {"ssl_verify": False}  # the certificate is checked by the HTTP requests

    def __init__(self, seed_phone, sid, origin, transports, sticky=True):
        super().__init__({"session_id": sid, "role": "participant",
                          "token": seed_phone["token"]}, headers={"Origin": origin})
        self.transports = transports
        self.key = uuid.uuid4().hex if sticky else None

    async def connect(self, url):
        return await super().connect(f"{url}/?sticky={self.key}" if self.key else url)


def _skip_without_tools():
    if not Path(NGINX).exists():
        pytest.skip("nginx is missing (`make nginx` installs it with apt where it runs as root)")
    if not GUNICORN.exists():
        pytest.skip(f"{GUNICORN} is missing (pip install -r requirements.txt)")
    if not shutil.which("openssl"):
        pytest.skip("openssl is missing: no certificate for the test's nginx")
    test_multiprocess._redis_or_skip()


def _certificate(tmp):
    cert, key = tmp / "cert.pem", tmp / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    return cert, key


def render_site(http_port, https_port, app_ports, cert, key, tmp):
    """deploy/nginx/takt.conf with this machine's ports and paths; every swap must apply."""
    text = SITE.read_text()
    swaps = [
        (r"^\s*listen \[::\]:(80|443)[^;]*;\n", ""),
        (r"listen 80;", f"listen 127.0.0.1:{http_port};"),
        (r"listen 443 ssl", f"listen 127.0.0.1:{https_port} ssl"),
        (r"/etc/letsencrypt/live/takt\.example\.ru/fullchain\.pem", str(cert)),
        (r"/etc/letsencrypt/live/takt\.example\.ru/privkey\.pem", str(key)),
        (r"server 127\.0\.0\.1:8001", f"server 127.0.0.1:{app_ports[0]}"),
        (r"server 127\.0\.0\.1:8002", f"server 127.0.0.1:{app_ports[1]}"),
        (r"/srv/takt/static/", f"{ROOT / 'static'}/"),
        (r"/var/log/nginx/takt\.access\.log", str(tmp / "access.log")),
        (r"/var/log/nginx/takt\.error\.log", str(tmp / "error.log")),
        (r"root /var/www/html;", f"root {tmp / 'acme'};"),
    ]
    for pattern, replacement in swaps:
        text, count = re.subn(pattern, replacement, text, flags=re.M)
        assert count, f"deploy/nginx/takt.conf no longer has {pattern!r}: update test_deploy.py"
    return text


def start_nginx(tmp, site):
    """nginx in the foreground with its own prefix, pid, logs and temp paths in tmp."""
    (tmp / "takt.conf").write_text(site)
    temps = "\n".join(f"    {name}_temp_path {tmp / name};"
                      for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    user = "user root;\n" if os.geteuid() == 0 else ""  # workers read tmp and the checkout
    (tmp / "nginx.conf").write_text(
        f"daemon off;\n{user}worker_processes 1;\npid {tmp / 'nginx.pid'};\n"
        f"error_log {tmp / 'nginx-main-error.log'} warn;\n"
        "events { worker_connections 1024; }\n"
        f"http {{\n    include /etc/nginx/mime.types;\n    default_type application/octet-stream;\n"
        f"{temps}\n    include {tmp / 'takt.conf'};\n}}\n")
    args = [NGINX, "-p", f"{tmp}/", "-c", str(tmp / "nginx.conf")]
    check = subprocess.run([*args, "-t"], capture_output=True, text=True)
    assert check.returncode == 0, f"nginx -t refused the rendered config:\n{check.stderr}"
    log = open(tmp / "nginx.out", "w")
    proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT)
    proc.log = log
    return proc


def _wait_port(port, proc, timeout=10):
    deadline = time.time() + timeout
    while time.time() < deadline:
        assert proc.poll() is None, "nginx exited"
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"nothing listens on {port}")


LINE = re.compile(r'"(?P<method>\S+) (?P<uri>\S+) [^"]*" (?P<status>\d+) \d+ '
                  r'up=(?P<up>\S+)')


def nginx_log(tmp):
    """(uri, status, upstream) of every request nginx logged (a WebSocket once it closed)."""
    path = tmp / "access.log"
    if not path.exists():
        return []
    return [(m["uri"], int(m["status"]), m["up"])
            for m in map(LINE.search, path.read_text().splitlines()) if m]


def upstreams_by_key(tmp):
    """sticky key -> the set of app processes its Socket.IO requests reached, and how many."""
    found = defaultdict(set)
    count = defaultdict(int)
    for uri, _status, up in nginx_log(tmp):
        key = re.search(r"[?&]sticky=([0-9a-f-]+)", uri)
        if uri.startswith("/socket.io/") and key:
            found[key.group(1)].add(up)
            count[key.group(1)] += 1
    return found, count


@pytest.mark.parametrize("mode", ["eventlet"] + (["gevent"] if FULL else []))
def test_nginx_tls_sticky_two_gunicorns(tmp_path, figure, mode):
    _skip_without_tools()
    name = f"takt_deploy_{uuid.uuid4().hex[:8]}"
    url, drop = postgres_database(name)
    url = url.replace("postgresql+psycopg2://", "postgresql://")  # the form DEPLOY.md uses
    import redis
    redis.Redis.from_url(RATE_REDIS).flushdb()
    servers = [Gunicorn(tmp_path / f"p{n}", url) for n in (0, 1)]
    http_port, https_port = _free_port(), _free_port()
    base = f"https://127.0.0.1:{https_port}"
    nginx = None
    try:
        cert, key = _certificate(tmp_path)
        for n, srv in enumerate(servers):
            (tmp_path / f"p{n}").mkdir(exist_ok=True)
            srv.env.update({
                "TAKT_CONFIG": "production", "SECRET_KEY": servers[0].env["SECRET_KEY"],
                "PG_DATABASE": name, "SOCKETIO_MESSAGE_QUEUE": "redis://127.0.0.1:6379/7",
                "SOCKETIO_CHANNEL": name,
                "RATELIMIT_STORAGE_URI": RATE_REDIS, "SOCKETIO_ASYNC_MODE": mode,
                "TAKT_PROXIES": "1", "TAKT_ACCESS_LOG": "1", "TAKT_BASE_URL": base})
        authors_per_side = max(1, -(-POSTS // 50))  # each author under the 30-a-minute limit
        seed = servers[0].seed(WS_PHONES + POLL_PHONES + SPARES + 1)
        for srv in servers:
            srv.start()
        (tmp_path / "acme" / ".well-known" / "acme-challenge").mkdir(parents=True)
        (tmp_path / "acme" / ".well-known" / "acme-challenge" / "probe").write_text("acme ok")
        nginx = start_nginx(tmp_path, render_site(http_port, https_port,
                                                  [s.port for s in servers], cert, key,
                                                  tmp_path))
        _wait_port(https_port, nginx)
        for srv in servers:
            srv.wait_ready()
            # PostgreSQL waits yield to other phones (eventlet patches psycopg2 itself; the
            # gevent worker gets wsgi.green_psycopg2 from the gunicorn config).
            assert "psycopg2 cooperative: yes" in srv.log_path.read_text(), srv.log_path

        # Plain HTTP: the ACME challenge is served, everything else goes to https.
        plain = f"http://127.0.0.1:{http_port}"
        reply = requests.get(f"{plain}/join?code=x", allow_redirects=False, timeout=10)
        assert reply.status_code == 301, reply.status_code
        assert reply.headers["Location"] == "https://127.0.0.1/join?code=x"
        assert requests.get(f"{plain}/.well-known/acme-challenge/probe",
                            timeout=10).text == "acme ok"
        # https with the certificate checked; /healthz from both processes.
        for _ in range(20):
            reply = requests.get(f"{base}/healthz", verify=str(cert), timeout=10)
            assert reply.status_code == 200, reply.text
            assert reply.json()["message_queue"] == "ok"
        ups = {up for uri, _s, up in nginx_log(tmp_path) if uri == "/healthz"}
        figure(f"[{mode}] nginx: app processes answering /healthz", len(ups), 2, len(ups) == 2)
        # The app knows it is behind TLS (no redirect to https, HSTS sent) and static files
        # come from nginx, revalidated.
        page = requests.get(f"{base}/", verify=str(cert), timeout=10, allow_redirects=False)
        assert page.status_code == 200, page.status_code
        assert "Strict-Transport-Security" in page.headers
        script = requests.get(f"{base}/static/js/live.js", verify=str(cert), timeout=10)
        assert script.status_code == 200 and "sticky" in script.text
        assert script.headers["Cache-Control"] == "no-cache"
        assert "javascript" in script.headers["Content-Type"]

        sid, item = seed["sid"], seed["item_id"]
        pool = list(seed["phones"])
        ws = [Phone(pool.pop(), sid, base, ["websocket"]) for _ in range(WS_PHONES)]
        polling = [Phone(pool.pop(), sid, base, ["polling"]) for _ in range(POLL_PHONES)]
        keyless = Phone(pool.pop(), sid, base, ["polling"], sticky=False)
        spares = [Phone(p, sid, base, ["polling"]) for p in pool]
        phones = ws + polling + [keyless]
        ports = [f"127.0.0.1:{s.port}" for s in servers]

        def side(phone):
            found, _count = upstreams_by_key(tmp_path)
            (up,) = found[phone.key]
            return ports.index(up)

        async def scenario():
            await connect_all(phones, base)
            # Authors: polling phones on each process (logged at once; a WebSocket is logged
            # only when it closes), spares connected until both processes have enough.
            authors = [[], []]
            for phone in polling:
                if len(authors[side(phone)]) < authors_per_side:
                    authors[side(phone)].append(phone)
            while min(map(len, authors)) < authors_per_side:
                spare = spares.pop()
                await connect_all([spare], base)
                phones.append(spare)
                if len(authors[side(spare)]) < authors_per_side:
                    authors[side(spare)].append(spare)
            order = [authors[n % 2][(n // 2) % authors_per_side] for n in range(POSTS)]
            for n, author in enumerate(order):  # each post acked before the next
                ack = await author.post(item, f"Идея через процесс {n % 2}: №{n}")
                assert ack.get("ok"), ack
            await asyncio.sleep(2)
            for phone in phones:
                await phone.drop()
            await asyncio.sleep(0.5)  # nginx logs a WebSocket when it closes
            return order

        order = run(scenario())
        found, count = upstreams_by_key(tmp_path)
        keyed = [p for p in phones if p.key]
        split = [sum(1 for p in keyed if found[p.key] == {up}) for up in ports]
        unstuck = sum(1 for p in keyed if len(found[p.key]) != 1)
        polled = [count[p.key] for p in phones if p.key and p.transports == ["polling"]]
        figure(f"[{mode}] nginx: phones whose requests reached more than one process "
               f"({len(keyed)} phones, {sum(polled)} polling requests; per process {split})",
               unstuck, 0, unstuck == 0 and min(polled) >= 3)
        figure(f"[{mode}] nginx: processes holding phones", sum(1 for n in split if n), 2,
               all(split))
        sockets = [uri for uri, _s, _up in nginx_log(tmp_path) if "transport=websocket" in uri]
        assert len(sockets) >= WS_PHONES and not any(
            f"sticky={p.key}" in uri for p in polling for uri in sockets), "a poller upgraded"
        wanted = {card["id"] for p in phones for card in p.acked.values()}
        assert len(wanted) == POSTS
        missing = sum(len(wanted - set(p.cards)) for p in phones)
        gaps = 0
        for p in phones:
            seen = sorted(p.applied)
            gaps += sum(1 for a, b in zip(seen, seen[1:]) if b != a + 1)
        # Posts were acked one after another: their revisions must rise in that order.
        nth, revs = defaultdict(int), []
        for author in order:
            revs.append(author.acked[author.sent[nth[author]]]["rev"])
            nth[author] += 1
        out_of_order = sum(1 for a, b in zip(revs, revs[1:]) if b <= a)
        figure(f"[{mode}] through nginx+TLS, 2 gunicorns, {POSTS} posts, {len(phones)} phones "
               f"({len(ws)} WebSocket, the rest polling): items missing", missing, 0,
               missing == 0)
        figure(f"[{mode}] through nginx+TLS: revision gaps in a phone's view", gaps, 0, gaps == 0)
        figure(f"[{mode}] through nginx+TLS: posts out of order", out_of_order, 0,
               out_of_order == 0)
        errors = (tmp_path / "error.log").read_text() if (tmp_path / "error.log").exists() else ""
        assert "[emerg]" not in errors and "[crit]" not in errors, errors[-2000:]
    finally:
        if nginx is not None:
            nginx.terminate()
            nginx.wait(10)
            nginx.log.close()
        for srv in servers:
            srv.stop()
        drop()



PROXIED = r"""
import json
from flask import request
from wsgi import app
app.add_url_rule("/_seen", "seen", lambda: {"addr": request.remote_addr, "url": request.url})
client = app.test_client()
reply = client.get("/_seen", environ_base={"REMOTE_ADDR": "127.0.0.1"},
                   headers={"X-Forwarded-For": "198.51.100.1, 203.0.113.7",
                            "X-Forwarded-Proto": "https", "X-Forwarded-Host": "takt.example.ru"})
print("SEEN" + json.dumps(reply.get_json()))
"""


@pytest.mark.parametrize("proxies", ["0", "1"])
def test_proxy_headers_trusted_only_with_takt_proxies(tmp_path, proxies):
    """TAKT_PROXIES=1 (nginx in front): the client's address is the last X-Forwarded-For entry
    (the one nginx added; what a client wrote before it is not believed), the scheme and host
    those nginx forwarded. Unset: the headers are ignored, as a client could forge them."""
    env = {**os.environ, "TAKT_PROXIES": proxies, "SECRET_KEY": "proxy-test",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'proxy.db'}", "TAKT_CONFIG": "development"}
    out = subprocess.run([sys.executable, "-c", PROXIED], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=60)
    assert out.returncode == 0, out.stderr[-3000:]
    seen = json.loads(out.stdout.split("SEEN", 1)[1])
    if proxies == "1":
        assert seen == {"addr": "203.0.113.7", "url": "https://takt.example.ru/_seen"}
    else:
        assert seen == {"addr": "127.0.0.1", "url": "http://localhost/_seen"}
