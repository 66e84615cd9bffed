"""Backups while the app runs: `flask --app wsgi backup` (SQLite's online backup) and the chief
moderator's JSON snapshot of the running session."""
import json
import sqlite3
import threading
import uuid

import pytest

from facilitation import create_app
from facilitation.backup import BackupError, backup_sqlite
from facilitation.extensions import db


def _fill(path, rows):
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode=WAL")  # as the app runs SQLite
    con.execute("create table notes (id integer primary key, text text not null)")
    con.executemany("insert into notes (text) values (?)", [(f"заметка {n}",) for n in range(rows)])
    con.commit()
    con.close()


def test_a_backup_is_consistent_while_writers_go_on(tmp_path):
    source = tmp_path / "live.db"
    _fill(source, 20000)
    stop = threading.Event()
    written = []

    def writer():
        con = sqlite3.connect(source, timeout=30)
        while not stop.is_set():
            with con:
                con.execute("insert into notes (text) values (?)", (uuid.uuid4().hex,))
            written.append(1)
        con.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while len(written) < 50:  # the writer is going
            threading.Event().wait(0.01)
        copy = backup_sqlite(f"sqlite:///{source}", tmp_path / "copy.db")
    finally:
        stop.set()
        thread.join()
    con = sqlite3.connect(copy)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    count = con.execute("select count(*) from notes").fetchone()[0]
    assert 20000 <= count <= 20000 + len(written) and written


def test_refusals_say_what_to_do(tmp_path):
    with pytest.raises(BackupError, match="pg_dump"):
        backup_sqlite("postgresql://postgres@127.0.0.1/takt", tmp_path / "x.db")
    with pytest.raises(BackupError, match="memory"):
        backup_sqlite("sqlite://", tmp_path / "x.db")
    _fill(tmp_path / "a.db", 1)
    (tmp_path / "taken.db").write_text("")
    with pytest.raises(BackupError, match="exists"):
        backup_sqlite(f"sqlite:///{tmp_path / 'a.db'}", tmp_path / "taken.db")


def test_the_backup_command_copies_the_apps_database(tmp_path):
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'app.db'}")
    with app.app_context():
        db.create_all()
        runner = app.test_cli_runner()
        runner.invoke(args=["demo", "--filled", "--until", "brainstorm"])
        result = runner.invoke(args=["backup", "-o", str(tmp_path / "b.db")])
        assert result.exit_code == 0 and "backup:" in result.output
        ideas = sqlite3.connect(tmp_path / "b.db").execute("select count(*) from ideas").fetchone()
        assert ideas[0] >= 30
        again = runner.invoke(args=["backup", "-o", str(tmp_path / "b.db")])
        assert again.exit_code != 0 and "exists" in again.output
        db.session.remove()
        db.engine.dispose()


def test_the_chief_moderator_downloads_a_snapshot(client, auth, world):
    url = f"/moderate/{world.session.id}/snapshot.json"
    auth.login(world.moderators[0])
    assert client.get(url).status_code == 403
    auth.logout()
    auth.login(world.organizer)
    response = client.get(url)
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.data)
    assert data["session"]["id"] == world.session.id and data["format"] == "takt.session"
