"""The landing page, the language switch and the health check."""
from flask import Blueprint, current_app, jsonify, make_response, redirect, render_template, request
from sqlalchemy import text

from ..extensions import db, limiter
from ..services.forms import JoinCodeForm

bp = Blueprint("main", __name__)


@bp.get("/")
def index():
    """Landing: a participant types the join code; staff sign in."""
    return render_template("main/index.html", form=JoinCodeForm())


@bp.get("/lang/<code>")
def set_language(code):
    """Switch the interface language (a cookie), then go back where the user was."""
    target = request.args.get("next") or "/"
    if not target.startswith("/") or target.startswith("//"):
        target = "/"
    response = make_response(redirect(target))
    if code in current_app.config["LANGUAGES"]:
        response.set_cookie("lang", code, max_age=365 * 24 * 3600, samesite="Lax",
                            httponly=True)
    return response


@bp.get("/healthz")
@limiter.exempt
def healthz():
    """200 with JSON when the app, the database and the message queue (if any) are up."""
    status = {"app": "ok"}
    code = 200
    try:
        db.session.execute(text("SELECT 1"))
        status["database"] = "ok"
    except Exception as exc:  # noqa: BLE001
        status["database"] = f"error: {exc.__class__.__name__}"
        code = 503
    queue = current_app.config.get("SOCKETIO_MESSAGE_QUEUE")
    if queue:
        try:
            import redis
            redis.Redis.from_url(queue, socket_timeout=2).ping()
            status["message_queue"] = "ok"
        except Exception as exc:  # noqa: BLE001
            status["message_queue"] = f"error: {exc.__class__.__name__}"
            code = 503
    else:
        status["message_queue"] = "none (single process)"
    status["status"] = "ok" if code == 200 else "error"
    return jsonify(status), code
