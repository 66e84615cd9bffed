"""Phones: join by code (or QR) without an account, then the live phone view."""
import io

import segno
from flask import (Blueprint, Response, current_app, make_response, redirect, render_template,
                   request, url_for)
from sqlalchemy.orm import joinedload

from ..extensions import db, limiter
from ..models import Group, Participant
from ..realtime.events import PARTICIPANT_COOKIE
from ..services import participants
from ..services.codes import normalize_code, participant_token, read_participant_token
from ..services.errors import DomainError, NotFound
from ..services.forms import JoinCodeForm, JoinForm
from ..services.teams import active_groups

bp = Blueprint("participant", __name__)


def _join_limit():
    return current_app.config["JOIN_FAILURE_LIMIT"]


def _failed(response):
    """Only failed code look-ups count against the limit: a hall behind one NAT joins freely."""
    return response.status_code == 404


def current_participant(session_id):
    """The participant this browser is in a session (from its signed cookie), or None."""
    found = read_participant_token(request.cookies.get(PARTICIPANT_COOKIE.format(session_id)))
    if not found or found[1] != session_id:
        return None
    # With its session: the phone page shows both (one query, not two).
    participant = db.session.get(Participant, found[0],
                                 options=[joinedload(Participant.session)])
    if participant is None or participant.removed_at is not None:
        return None
    return participant


@bp.route("/join", methods=["GET", "POST"])
@limiter.limit(_join_limit, deduct_when=_failed, methods=["POST"])
def join_code():
    """Type the join code shown on the projector."""
    form = JoinCodeForm(request.form if request.method == "POST" else None,
                        code=request.args.get("code", ""))
    if form.validate_on_submit():
        try:
            session = participants.find_session_by_code(form.code.data)
        except NotFound as exc:
            form.code.errors.append(str(exc.message))
            return render_template("participant/code.html", form=form), 404
        return redirect(url_for(".join", code=session.join_code))
    return render_template("participant/code.html", form=form), 400 if form.errors else 200


@bp.route("/j/<code>", methods=["GET", "POST"])
@limiter.limit(_join_limit, deduct_when=_failed)
def join(code):
    """Pick a display name (and the group, unless pre-assigned) and join."""
    try:
        session = participants.find_session_by_code(code, with_groups=True)
    except NotFound as exc:
        form = JoinCodeForm(code=normalize_code(code))
        # An unvalidated field's errors are a tuple (WTForms 3): set a list, don't append.
        form.code.errors = [str(exc.message)]
        return render_template("participant/code.html", form=form), 404
    session_id = session.id
    pre = request.args.get("g", type=int)
    preassigned = db.session.get(Group, pre) if pre else None
    if preassigned is not None and preassigned.session_id != session.id:
        preassigned = None
    me = current_participant(session.id)
    if me is not None and request.method == "GET" and not request.args.get("again"):
        return redirect(url_for(".phone", session_id=session.id))
    form = JoinForm()
    groups = active_groups(session)  # once day-two teams exist, newcomers join a team
    form.group_id.choices = [(g.id, g.name) for g in groups]
    if form.validate_on_submit():
        try:
            participant = participants.join(session, request.form,
                                            preassigned.id if preassigned else None)
        except DomainError as exc:
            getattr(form, exc.field or "display_name").errors.append(str(exc.message))
        else:
            # The ids as read before the commit (which expires the rows): no second read.
            response = make_response(redirect(url_for(".phone", session_id=session_id)))
            response.set_cookie(PARTICIPANT_COOKIE.format(session_id),
                                participant_token(participant), max_age=14 * 24 * 3600,
                                httponly=True, samesite="Lax",
                                secure=current_app.config.get("SESSION_COOKIE_SECURE", False))
            return response
    status = 400 if request.method == "POST" else 200
    return render_template("participant/join.html", form=form, session=session,
                           preassigned=preassigned, groups=groups), status


@bp.get("/s/<int:session_id>")
def phone(session_id):
    """The phone view: current item, timer, the post form, own posts, the board."""
    participant = current_participant(session_id)
    if participant is None:
        from ..models import Session
        session = db.session.get(Session, session_id)
        if session is None:
            return redirect(url_for(".join_code"))
        return redirect(url_for(".join", code=session.join_code))
    return render_template("participant/phone.html", session=participant.session,
                           participant=participant)


@bp.get("/qr/<code>.svg")
def qr(code):
    """The join URL of a code as an SVG QR code (segno), for the projector and print."""
    code = normalize_code(code)
    group = request.args.get("g", type=int)
    url = url_for(".join", code=code, g=group, _external=True)
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="svg", scale=10, border=2, dark="#000",
                                    light="#fff", xmldecl=False)
    return Response(out.getvalue(), mimetype="image/svg+xml",
                    headers={"Cache-Control": "public, max-age=3600"})
