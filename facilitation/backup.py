"""A consistent copy of the database while the app runs (`flask --app wsgi backup`).

SQLite: the online backup API copies every page in one step inside one read transaction. The
app runs SQLite in WAL mode, so writers go on during the copy, and the copy is the snapshot of
the moment it started (checked with `PRAGMA integrity_check`). A copy in small steps would
start over each time another connection writes: with a hall posting, it might never end. PostgreSQL: `pg_dump` is the tool (it reads one consistent snapshot);
docs/RELIABILITY.md has the command.
"""
import sqlite3
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy.engine import make_url


class BackupError(Exception):
    """The backup cannot be made here; the message says why and what to do."""


def default_name(now=None):
    now = now or datetime.now(timezone.utc)
    return f"takt-{now.strftime('%Y%m%d-%H%M%S')}.db"


def backup_sqlite(database_uri, target, pages_per_step=-1):
    """Copy the SQLite database at `database_uri` to the file `target`; return its path.

    Raises BackupError for a non-SQLite or in-memory database, or a copy that fails its
    integrity check (the copy is then removed)."""
    url = make_url(database_uri)
    if url.get_backend_name() != "sqlite":
        raise BackupError(
            f"the database is {url.get_backend_name()}: back it up with pg_dump, e.g. "
            f"pg_dump --format=custom --file=takt.dump "
            f"'{url.render_as_string(hide_password=True)}' "
            "(see docs/RELIABILITY.md)")
    if not url.database or url.database == ":memory:":
        raise BackupError("the database is in memory: there is nothing on disk to back up")
    source_path = Path(url.database)
    if not source_path.exists():
        raise BackupError(f"there is no database at {source_path}")
    target = Path(target)
    if target.exists():
        raise BackupError(f"{target} exists already: choose a new file name")
    target.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True, timeout=30)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy, pages=pages_per_step)
        ok = copy.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        copy.close()
        source.close()
    if ok != "ok":
        target.unlink(missing_ok=True)
        raise BackupError(f"the copy failed its integrity check: {ok}")
    return target
