"""«Такт»: a live facilitation app for strategic sessions. create_app builds it."""
import os

from flask import Flask, request
from flask_babel import lazy_gettext as _l

from config import config as configs

from .extensions import babel, csrf, db, limiter, login_manager, migrate, socketio, talisman

CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "connect-src": "'self'",
    "font-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def select_locale():
    """The language: the switch's cookie, else the browser's preference, else Russian."""
    from flask import current_app, has_request_context
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # the CLI, background work: the default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = request.args.get("lang") or request.cookies.get("lang")
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(languages) or current_app.config[
        "BABEL_DEFAULT_LOCALE"]


def create_app(config_name=None, **overrides):
    """Build the app for a configuration name ('development', 'testing', 'production')."""
    config_name = config_name or os.environ.get("TAKT_CONFIG", "default")
    app = Flask(__name__, template_folder="../templates", static_folder="../static",
                instance_relative_config=True)
    config_class = configs[config_name]
    app.config.from_object(config_class())
    app.config.update(overrides)

    db.init_app(app)
    migrate.init_app(app, db, render_as_batch=True,
                     directory=os.path.join(os.path.dirname(__file__), "..", "migrations"))
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale,
                   default_translation_directories=os.path.join(
                       os.path.dirname(__file__), "translations"))
    # The locale is cached per app context; a request must never inherit another's.
    from flask_babel import refresh
    app.before_request(refresh)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to open this page.")
    limiter.init_app(app)
    talisman.init_app(app, content_security_policy=CSP, force_https=app.config["FORCE_HTTPS"],
                      session_cookie_secure=app.config.get("SESSION_COOKIE_SECURE", False),
                      frame_options="DENY", referrer_policy="same-origin")
    socketio.init_app(app, async_mode=app.config["SOCKETIO_ASYNC_MODE"],
                      message_queue=app.config["SOCKETIO_MESSAGE_QUEUE"],
                      channel=app.config["SOCKETIO_CHANNEL"],
                      cors_allowed_origins=app.config["SOCKETIO_CORS_ALLOWED_ORIGINS"],
                      max_http_buffer_size=app.config["SOCKETIO_MAX_MESSAGE_BYTES"],
                      ping_interval=10, ping_timeout=10)
    from .realtime.guard import close_on_undecodable
    close_on_undecodable(socketio.server)
    from .realtime.fanout import enable_direct_fanout
    enable_direct_fanout(socketio.server)

    from . import models  # noqa: F401  (tables for Alembic and create_all)
    from .models import User
    login_manager.user_loader(lambda user_id: db.session.get(User, int(user_id)))

    _enable_sqlite_wal(app)

    from .views import register_blueprints
    register_blueprints(app)

    from .realtime.events import LiveNamespace
    socketio.on_namespace(LiveNamespace())

    from .cli import register_commands
    register_commands(app)
    return app


def _enable_sqlite_wal(app):
    """SQLite: WAL so readers never wait on the writer, a busy timeout, foreign keys on."""
    from sqlalchemy import event
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return
    with app.app_context():
        engine = db.engine

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection, _record):
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=5000")
            if app.config["SQLALCHEMY_DATABASE_URI"] not in ("sqlite://", "sqlite:///:memory:"):
                cursor.execute("PRAGMA journal_mode=WAL")
                cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()
