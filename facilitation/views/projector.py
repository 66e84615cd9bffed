"""The projector screen: no controls, opened with the session's projector key."""
import hmac

from flask import Blueprint, abort, render_template, request

from ..extensions import db
from ..models import Session

bp = Blueprint("projector", __name__, url_prefix="/projector")


@bp.get("/<int:session_id>")
def show(session_id):
    """Full screen at 1920×1080: join code, QR and timer always; the chosen board live."""
    session = db.session.get(Session, session_id)
    key = request.args.get("key", "")
    if session is None or not hmac.compare_digest(key, session.projector_key):
        abort(404)
    return render_template("projector/show.html", session=session, key=key)
