"""Shared view helpers: the session's time zone in templates, access checks, the QR code."""
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from flask import abort
from flask_babel import format_datetime, get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..extensions import db
from ..models import Session
from ..services.actors import user_actor
from ..services.errors import NotAllowed


def staff_actor(session_id, need="moderator"):
    """The signed-in user's actor in a session; 404 for no session, 403 without the role."""
    session = db.session.get(Session, session_id)
    if session is None:
        abort(404)
    try:
        actor = user_actor(current_user, session_id)
    except NotAllowed:
        abort(403)
    if need == "organizer" and not actor.is_organizer:
        abort(403)
    if need == "chief" and not actor.is_chief:
        abort(403)
    if need == "moderator" and not actor.is_moderator:
        abort(403)
    # need=None: any staff role in the session (the caller checks the rest)
    return session, actor


def local_time(value, session, fmt="short"):
    """Format a stored UTC datetime in the session's time zone and the page's language."""
    if value is None:
        return ""
    aware = value.replace(tzinfo=timezone.utc).astimezone(ZoneInfo(session.timezone))
    return format_datetime(aware, fmt, rebase=False)


def register_template_helpers(app):
    @app.context_processor
    def inject():
        from .strings import (LANGUAGE_NAMES, ROLE_NAMES, STATE_NAMES, js_strings,
                              js_strings_json)
        return {"current_locale": str(get_locale()), "now_utc": datetime.now(timezone.utc),
                "language_names": LANGUAGE_NAMES, "js_strings": js_strings,
                "js_strings_json": js_strings_json,
                "role_names": ROLE_NAMES, "state_names": STATE_NAMES}

    app.jinja_env.filters["local_time"] = local_time


ERRORS = {
    403: (_l("Not allowed"), _l("You do not have access to this page.")),
    404: (_l("Not found"), _l("There is no such page. Check the link or the code.")),
    429: (_l("Too many attempts"), _l("Please wait a few minutes and try again.")),
    500: (_l("Something went wrong"), _l("The error is logged. Please try again in a moment.")),
}


def register_error_pages(app):
    from flask import render_template

    def handler(code):
        def render(_error):
            title, text = ERRORS[code]
            return render_template(f"errors/{code}.html", error_title=title, error_text=text), code
        return render

    for code in ERRORS:
        app.register_error_handler(code, handler(code))
