"""Browser tests: the real server (`python wsgi.py`, eventlet) and Debian's Chromium via Playwright.

They skip, saying why, where /usr/bin/chromium or the playwright package is missing.
"""
import os
import re
import socket
import sqlite3
import subprocess
import sys
import time
import types
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("TAKT_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing (make test installs Debian's chromium with apt "
                    "where it can run as root)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("the playwright package is not installed (pip install -r requirements-dev.txt)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


class Server:
    """A real server process on a fresh SQLite database, with the demo's organizer account."""

    def __init__(self, tmp):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp / 'e2e.db'}",
                    "SECRET_KEY": "e2e-" + os.urandom(8).hex(), "HOST": "127.0.0.1",
                    "PORT": str(self.port), "TAKT_BASE_URL": self.url,
                    "SOCKETIO_ASYNC_MODE": "eventlet"}
        self.log_path = tmp / "server.log"
        self.log = None
        self.proc = None

    def flask(self, *args):
        out = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=ROOT,
                             env=self.env, capture_output=True, text=True, timeout=120)
        assert out.returncode == 0, out.stderr
        return out.stdout

    def start(self):
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen([sys.executable, "wsgi.py"], cwd=ROOT, env=self.env,
                                     stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("the server did not start")

    def stop(self):
        if self.proc:
            self.proc.terminate()
            self.proc.wait(10)
        if self.log:
            self.log.close()


@pytest.fixture
def server(tmp_path):
    srv = Server(tmp_path)
    try:
        srv.flask("db", "upgrade")
        demo = srv.flask("demo")
        srv.demo = demo
        srv.organizer_password = re.search(r"organizer@demo\.takt / (\S+)", demo).group(1)
        srv.start()
        yield srv
    finally:
        srv.stop()


@pytest.fixture
def shots():
    """Where screenshots go; they are looked at by people, not compared by the tests."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def phone_context(browser):
    opened = []

    def make():
        ctx = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                  has_touch=True, device_scale_factor=2, locale="ru-RU")
        opened.append(ctx)
        return ctx

    yield make
    for ctx in opened:
        ctx.close()


def login(page, server, email, password):
    """Sign a staff member in through the login form."""
    page.goto(f"{server.url}/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/organizer/|/moderate/"))


def database(server):
    """A connection to the server's SQLite database, to check what was stored."""
    return sqlite3.connect(server.env["DATABASE_URL"].removeprefix("sqlite:///"))


def demo(server, *args):
    """Run `flask --app wsgi demo ARGS` and read what it prints: ids, logins and links."""
    out = server.flask("demo", *args)
    found = lambda pattern: re.search(pattern, out, re.M).group(1)  # noqa: E731
    return types.SimpleNamespace(
        out=out, sid=int(found(r"^session: (\d+)$")), code=found(r"code: (\S+)"),
        organizer_pw=found(r"organizer@demo\.takt / (\S+)"),
        moderator_pw=found(r"moderator1@demo\.takt / (\S+)"),
        board_url=found(r"«Экопросвещение»: (\S+)"), projector_url=found(r"projector: (\S+)"))


def staff_screens(browser, server, d):
    """The chief's console, group 1's moderator board and the projector, each in its context."""
    laptop = browser.new_context(viewport={"width": 1440, "height": 900}, locale="ru-RU")
    console = laptop.new_page()
    login(console, server, "organizer@demo.takt", d.organizer_pw)
    console.goto(f"{server.url}/moderate/{d.sid}")
    console.wait_for_selector("#conn[data-status=online]")
    mod_ctx = browser.new_context(viewport={"width": 1440, "height": 900}, locale="ru-RU")
    board = mod_ctx.new_page()
    login(board, server, "moderator1@demo.takt", d.moderator_pw)
    board.goto(d.board_url)
    screen_ctx = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="ru-RU")
    projector = screen_ctx.new_page()
    projector.goto(d.projector_url)
    return console, board, projector, (laptop, mod_ctx, screen_ctx)


def wait_until(page, script, arg=None, timeout=10000):
    """Evaluate `script` in the page until it is truthy, and return it. Our pages' CSP forbids
    eval, which page.wait_for_function uses as soon as it has to poll (the first check passes,
    a later one throws): so the polling is done here, with page.evaluate."""
    deadline = time.monotonic() + timeout / 1000
    while True:
        value = page.evaluate(script, arg)
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"not true after {timeout} ms: {script}")
        page.wait_for_timeout(100)


def advance(console, times=1):
    """Advance the program on the chief's console, each step once the console shows the item it
    moved to (a click before that would name the old item and be refused as a conflict)."""
    from playwright.sync_api import expect
    current = console.locator("#agenda .mod-item[aria-current=step]")
    for _ in range(times):
        before = current.get_attribute("data-item-id") if current.count() else None
        console.locator("[data-action=advance]").click()
        if before is None:
            current.wait_for(timeout=10000)
        else:
            expect(current).not_to_have_attribute("data-item-id", before, timeout=10000)


def take_matching(board, *needles):
    """On a group moderator's tact-3 board: take into the group every idea of List A whose text
    has one of the needles (List A's filter), then clear the filter."""
    from playwright.sync_api import expect
    for needle in needles:
        board.fill("[data-f=filter-a]", needle)
        takes = board.locator(".bd-list[data-list=a] .bd-idea [data-act=take]")
        while (left := takes.count()):
            takes.first.click()
            # the next click only once this one is taken (a busy machine answers slowly)
            expect(takes).to_have_count(left - 1, timeout=10000)
    board.fill("[data-f=filter-a]", "")
