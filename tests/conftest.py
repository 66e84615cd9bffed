"""Fixtures: a fresh app and database per test, clients, and actors for each role."""
from pathlib import Path

import pytest

from facilitation import create_app
from facilitation.extensions import db, socketio
from facilitation.realtime.publish import NAMESPACE

from . import factories


def pytest_configure(config):
    """Compile the translation catalogs when they are missing or older than the .po files
    (`make` does it too; this keeps a bare `pytest` run in the user's language)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    root = Path(__file__).resolve().parents[1] / "facilitation" / "translations"
    for po in root.glob("*/LC_MESSAGES/messages.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            with po.open("rb") as src:
                catalog = read_po(src)
            with mo.open("wb") as out:
                write_mo(out, catalog)


@pytest.fixture
def app(tmp_path):
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'test.db'}")
    with app.app_context():
        db.create_all()
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def world(app):
    """A session from the default program with two groups, their moderators and 2 phones each."""
    return factories.gen_world()


class Auth:
    """Sign a staff user in and out of a test client (flaskr's `auth` helper)."""

    def __init__(self, client):
        self.client = client

    def login(self, user, password=factories.PASSWORD):
        return self.client.post("/login", data={"email": user.email, "password": password})

    def logout(self):
        return self.client.post("/logout")


@pytest.fixture
def auth(client):
    return Auth(client)


@pytest.fixture
def live(app):
    """Open Socket.IO test clients on /live: live(role=..., ...) -> client."""
    opened = []

    def connect(*, participant=None, user=None, projector_of=None, session=None, **extra):
        """extra: more of the handshake's auth (rev: sync at connect)."""
        flask_client = app.test_client()
        if user is not None:
            Auth(flask_client).login(user)
            auth_data = {"session_id": session.id, "role": "staff"}
        elif participant is not None:
            from facilitation.services.codes import participant_token
            auth_data = {"session_id": participant.session_id, "role": "participant",
                         "token": participant_token(participant)}
        else:
            auth_data = {"session_id": projector_of.id, "role": "projector",
                         "key": projector_of.projector_key}
        c = socketio.test_client(app, namespace=NAMESPACE, auth={**auth_data, **extra},
                                 flask_test_client=flask_client)
        opened.append(c)
        return c

    yield connect
    for c in opened:
        if c.is_connected(NAMESPACE):
            c.disconnect(NAMESPACE)


def pytest_terminal_summary(terminalreporter):
    """The reliability suite's figures, one line each (tests/reliability/conftest.py). The hook is
    here, in the root conftest: under pytest-xdist the process that prints the summary collects
    nothing, and loads no conftest below this one."""
    from tests.reliability.conftest import summary
    summary(terminalreporter)
