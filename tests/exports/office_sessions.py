"""Sessions the office exports are tested on, built once per module (a demo takes seconds): the
filled demo, a half-finished one (stopped at clustering) and one with hostile text. A module
imports the `office` fixture (or `demo_app` for the filled demo alone)."""
import re
import uuid
from types import SimpleNamespace

import pytest

from facilitation import create_app
from facilitation.extensions import db
from facilitation.models import Group, Session, User

HOSTILE = ["=1+2", "+7 999 123-45-67", "-cmd", "@SUM(A1)", "<script>alert(1)</script>",
           "«кавычки» \"double\" 'single'", "строка один\nстрока два", "эмодзи 🌿🚀👩‍👩‍👧",
           "zero\u200cwidth\u200djoiners", '=HYPERLINK("http://example.org";"клик")']
# The services refuse other invisible characters (U+200B, U+FEFF, bidi overrides) and trim
# surrounding whitespace, so these are the hostile texts a session can hold.
HOSTILE_NAMES = [t.replace("\n", " / ") for t in HOSTILE]  # names are one line


def _demo(runner, *args):
    result = runner.invoke(args=["demo", *args])
    assert result.exit_code == 0, result.output
    return int(re.search(r"^session: (\d+)$", result.output, re.M).group(1))


def _hostile(runner):
    """A session stopped at clustering whose ideas and initiative names are hostile text."""
    from facilitation.services import agenda, cards, initiatives
    from facilitation.services.actors import participant_actor, user_actor
    from facilitation.models import Participant
    sid = _demo(runner, "--filled", "--until", "brainstorm")
    session = db.session.get(Session, sid)
    phone = db.session.scalars(db.select(Participant).where(Participant.session_id == sid)).first()
    ideas = [cards.create_card(participant_actor(phone.id, sid), {
        "client_id": str(uuid.uuid4()), "item_id": session.current_item_id, "text": text})[0]
        for text in HOSTILE]
    chief = user_actor(db.session.scalar(db.select(User).where(
        User.email == "organizer@demo.takt")), sid)
    agenda.advance(chief, session.current_item_id)
    session = db.session.get(Session, sid)
    group = db.session.get(Group, phone.group_id)
    mod = user_actor(group.moderators[0], sid)
    item_id = session.current_item_id
    for n, text in enumerate(HOSTILE):
        taken = initiatives.take_idea(mod, {"item_id": item_id, "group_id": group.id,
                                            "idea_id": ideas[n]["id"]})
        initiatives.create_initiative(mod, {"client_id": str(uuid.uuid4()), "item_id": item_id,
                                            "group_id": group.id, "name": HOSTILE_NAMES[n],
                                            "selection_ids": [taken["id"]]})
    return sid, group.id


def _app(tmp_path_factory):
    path = tmp_path_factory.mktemp("office") / "test.db"
    return create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{path}")


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    """The three sessions in one database, with the app context open for the whole module."""
    app = _app(tmp_path_factory)
    with app.app_context():
        db.create_all()
        runner = app.test_cli_runner()
        full = _demo(runner, "--filled")
        half = _demo(runner, "--filled", "--until", "clustering")
        hostile, hostile_group = _hostile(runner)
        yield SimpleNamespace(app=app, full=full, half=half, hostile=hostile,
                              hostile_group=hostile_group)
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory):
    """The filled demo alone: (app, session id), the app context open for the whole module."""
    app = _app(tmp_path_factory)
    with app.app_context():
        db.create_all()
        yield app, _demo(app.test_cli_runner(), "--filled")
        db.session.remove()
        db.engine.dispose()
