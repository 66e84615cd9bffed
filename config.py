"""Configuration classes, chosen by name in create_app (flasky's pattern)."""
import os
import secrets
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"


def _instance_secret():
    """Return a secret key kept in instance/secret_key, creating it once.

    Development and the default run need a stable key across restarts (participant
    cookies are signed with it) without a fallback key written in the code.
    """
    INSTANCE_DIR.mkdir(exist_ok=True)
    path = INSTANCE_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def _origins(value):
    """Split a comma-separated list of allowed origins; None means same origin only."""
    if not value:
        return None
    origins = [o.strip() for o in value.split(",") if o.strip()]
    if "*" in origins:
        raise RuntimeError("SOCKETIO_CORS_ALLOWED_ORIGINS must list origins, never '*'")
    return origins


def _engine_options(url):
    """SQLAlchemy's engine options for a database URL.

    On PostgreSQL each app process keeps its own pool, shared by its green threads: a handler
    holds a connection only for its transaction, so TAKT_DB_POOL_SIZE (default 10) kept open,
    TAKT_DB_MAX_OVERFLOW (default 10) more in a burst, and a green thread waits up to
    TAKT_DB_POOL_TIMEOUT seconds (default 30) for a free one rather than failing. A process
    opens at most size + overflow connections: keep processes × (size + overflow) under
    PostgreSQL's max_connections (docs/DEPLOY.md); a pooled connection is pinged before use, so a
    restarted PostgreSQL costs no request. SQLite keeps SQLAlchemy's own pool, unpinged: a file
    does not go away under an open connection, and the ping was a query on every event."""
    options = {}
    if url and not url.startswith("sqlite"):
        options.update(pool_pre_ping=True,
                       pool_size=int(os.environ.get("TAKT_DB_POOL_SIZE", "10")),
                       max_overflow=int(os.environ.get("TAKT_DB_MAX_OVERFLOW", "10")),
                       pool_timeout=int(os.environ.get("TAKT_DB_POOL_TIMEOUT", "30")))
    return options


class Config:
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    # How many proxies (nginx) stand in front of the app and set X-Forwarded-For/-Proto/-Host:
    # wsgi.py then trusts that many (werkzeug's ProxyFix), so that the client's address (rate
    # limits) and https (secure cookies, redirects) are seen. 0: none, the app faces clients.
    PROXY_COUNT = int(os.environ.get("TAKT_PROXIES", "0"))
    BABEL_DEFAULT_LOCALE = "ru"
    BABEL_DEFAULT_TIMEZONE = "Europe/Moscow"
    LANGUAGES = ("ru", "en")
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    # Real time
    SOCKETIO_ASYNC_MODE = os.environ.get("SOCKETIO_ASYNC_MODE", "eventlet")
    SOCKETIO_MESSAGE_QUEUE = os.environ.get("SOCKETIO_MESSAGE_QUEUE") or None
    # The queue's channel: the processes of one installation share it; two installations on one
    # Redis (staging and production, parallel test runs) must not, or each gets the other's
    # events (Redis database numbers do not separate pub/sub channels).
    SOCKETIO_CHANNEL = os.environ.get("SOCKETIO_CHANNEL") or "takt"
    SOCKETIO_CORS_ALLOWED_ORIGINS = _origins(os.environ.get("SOCKETIO_CORS_ALLOWED_ORIGINS"))
    SOCKETIO_MAX_MESSAGE_BYTES = 16 * 1024
    # How many missed events a reconnecting client is replayed before it gets a snapshot.
    REPLAY_LIMIT = 500
    # Product limits
    CARD_MAX_LENGTH = 300
    NAME_MAX_LENGTH = 40
    JOIN_CODE_LENGTH = 6
    # Rate limits (Flask-Limiter); storage in memory for one process, Redis for many.
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    JOIN_FAILURE_LIMIT = "20 per 10 minutes"
    POST_LIMIT_PER_PARTICIPANT = "30 per minute"
    # Tacts 3–5: drags, chips and stakeholders come faster than posts.
    BOARD_LIMIT_PER_PARTICIPANT = "120 per minute"
    FORCE_HTTPS = False
    PASSWORD_HASH_METHOD = "scrypt"
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024
    # The organizer's upload of a session's JSON export (views/organizer.py, import_file).
    IMPORT_MAX_BYTES = 20 * 1024 * 1024


class DevelopmentConfig(Config):
    DEBUG = False

    def __init__(self):
        self.SECRET_KEY = os.environ.get("SECRET_KEY") or _instance_secret()
        INSTANCE_DIR.mkdir(exist_ok=True)
        self.SQLALCHEMY_DATABASE_URI = os.environ.get(
            "DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'takt.db'}")
        self.SQLALCHEMY_ENGINE_OPTIONS = _engine_options(self.SQLALCHEMY_DATABASE_URI)


class TestingConfig(Config):
    TESTING = True
    WTF_CSRF_ENABLED = False
    RATELIMIT_ENABLED = True
    SOCKETIO_ASYNC_MODE = "threading"
    # Hashing is the slowest part of a test's set-up; production keeps scrypt.
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"
    SECRET_KEY = "testing-only-" + secrets.token_hex(8)
    SQLALCHEMY_DATABASE_URI = "sqlite://"


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    FORCE_HTTPS = os.environ.get("FORCE_HTTPS", "1") == "1"

    def __init__(self):
        missing = [k for k in ("SECRET_KEY", "DATABASE_URL") if not os.environ.get(k)]
        if missing:
            raise RuntimeError(
                "ProductionConfig needs these environment variables: " + ", ".join(missing))
        self.SECRET_KEY = os.environ["SECRET_KEY"]
        self.SQLALCHEMY_DATABASE_URI = os.environ["DATABASE_URL"]
        self.SQLALCHEMY_ENGINE_OPTIONS = _engine_options(self.SQLALCHEMY_DATABASE_URI)


config = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
    "default": DevelopmentConfig,
}
