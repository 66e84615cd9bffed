"""The chief moderator's console and a group moderator's board (laptops)."""
from flask import Blueprint, abort, render_template
from flask_login import login_required

from ..extensions import db
from ..models import Group
from ..services import participants
from .helpers import staff_actor

bp = Blueprint("moderator", __name__, url_prefix="/moderate")


@bp.get("/<int:session_id>")
@login_required
def console(session_id):
    """Chief moderator: agenda, timer, advance/undo, hide/reveal, what the projector shows."""
    session, actor = staff_actor(session_id, need="chief")
    joined = sum(1 for p in participants.participants_of(session_id) if p.removed_at is None)
    return render_template("moderator/console.html", session=session, actor=actor,
                           session_participants=joined)


@bp.get("/<int:session_id>/group/<int:group_id>")
@login_required
def group_board(session_id, group_id):
    """Group moderator: the group's board; edit, merge and delete cards."""
    session, actor = staff_actor(session_id, need="moderator")
    group = db.session.get(Group, group_id)
    if group is None or group.session_id != session_id:
        abort(404)
    if not actor.may_moderate_group(group_id):
        abort(403)
    return render_template("moderator/group.html", session=session, group=group, actor=actor)
