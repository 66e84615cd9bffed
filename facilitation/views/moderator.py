"""The chief moderator's console and a group moderator's board (laptops)."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from ..extensions import db
from ..models import Group, Initiative
from ..services import participants, teams
from ..services.errors import DomainError
from ..services.forms import FlaskForm, MoveForm, TeamPageForm
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


@bp.get("/<int:session_id>/snapshot.json")
@login_required
def snapshot(session_id):
    """Chief moderator: the running session as JSON at this moment (the export's format, which
    `flask --app wsgi import` reads back): a backup in hand during the session."""
    from datetime import datetime, timezone

    from flask import Response

    from ..exports.json_export import render
    session, actor = staff_actor(session_id, need="chief")
    stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
    return Response(render(session_id), mimetype="application/json", headers={
        "Content-Disposition": f"attachment; filename=session-{session_id}-{stamp}.json",
        "Cache-Control": "no-store"})


# -- day-two teams (the chief moderator or an organizer) -----------------------------------
@bp.get("/<int:session_id>/teams")
@login_required
def teams_page(session_id):
    """Form day-two teams around List B initiatives; open the choice; assign the rest."""
    session, actor = staff_actor(session_id, need="chief")
    return _render_teams(session)


def _render_teams(session, status=200, failed=None):
    view = teams.teams_overview(session)
    free = [(r["initiative"].id, r["initiative"].name) for lst in view["lists"]
            for r in lst["rows"] if r["team"] is None]
    new_form = failed if failed is not None and failed.meta.team_id is None else TeamPageForm()
    new_form.initiative_ids.choices = free
    edit_forms = {}
    for entry in view["teams"]:
        team = entry["team"]
        form = TeamPageForm(prefix=f"t{team.id}", formdata=None, name=team.name,
                            initiative_ids=[i.id for i in entry["initiatives"]])
        if failed is not None and failed.meta.team_id == team.id:
            form = failed
        form.initiative_ids.choices = [(i.id, i.name) for i in entry["initiatives"]] + free
        edit_forms[team.id] = form
    targets = [(g.id, g.name) for g in session.groups if g.stage == 2] or [
        (g.id, g.name) for g in session.groups]
    return render_template("moderator/teams.html", session=session, view=view,
                           new_form=new_form, edit_forms=edit_forms, targets=targets,
                           action_form=FlaskForm()), status


def _team_action(session_id, run, anchor="teams"):
    session, actor = staff_actor(session_id, need="chief")
    if not FlaskForm().validate_on_submit():
        flash(_("The form has expired: please try again."), "error")
        return redirect(url_for(".teams_page", session_id=session_id))
    try:
        message = run(actor)
    except DomainError as exc:
        flash(str(exc.message), "error")
    else:
        if message:
            flash(message, "ok")
    return redirect(url_for(".teams_page", session_id=session_id) + f"#{anchor}")


@bp.post("/<int:session_id>/teams")
@bp.post("/<int:session_id>/teams/<int:team_id>")
@login_required
def save_team(session_id, team_id=None):
    """Create a team (no id) or rename it and set its initiatives."""
    session, actor = staff_actor(session_id, need="chief")
    form = TeamPageForm(prefix=f"t{team_id}" if team_id else "")
    form.meta.team_id = team_id
    form.initiative_ids.choices = [(i.id, i.name) for i in db.session.scalars(
        db.select(Initiative).where(Initiative.session_id == session_id))]
    if form.validate_on_submit():
        data = {"team_id": team_id, "name": form.name.data or "",
                "initiative_ids": form.initiative_ids.data}
        try:
            team = (teams.update_team(actor, data) if team_id
                    else teams.create_team(actor, data))
        except DomainError as exc:
            target = exc.field if exc.field in form else "initiative_ids"
            form[target].errors = [*form[target].errors, exc.message]
        else:
            flash(_("The team «%(name)s» is saved.", name=team.name), "ok")
            return redirect(url_for(".teams_page", session_id=session_id) + f"#team-{team.id}")
    return _render_teams(session, 400, form)


@bp.post("/<int:session_id>/teams/<int:team_id>/delete")
@login_required
def delete_team(session_id, team_id):
    def run(actor):
        teams.delete_team(actor, team_id)
        return _("The team is dissolved; its initiatives are back with their groups.")
    return _team_action(session_id, run)


@bp.post("/<int:session_id>/teams/open")
@login_required
def open_teams(session_id):
    opened = request.form.get("open") == "1"

    def run(actor):
        teams.open_teams(actor, opened)
        return (_("The teams are open: participants can choose one on their phones.") if opened
                else _("The choice of teams is closed."))
    return _team_action(session_id, run, "state")


@bp.post("/<int:session_id>/teams/assign")
@login_required
def assign_teams(session_id):
    def run(actor):
        return _("Participants put into teams: %(n)d.", n=teams.assign_rest(actor))
    return _team_action(session_id, run, "state")


@bp.post("/<int:session_id>/teams/move")
@login_required
def move_to_team(session_id):
    """Move one participant into a team (or back into a group)."""
    session, actor = staff_actor(session_id, need="chief")
    form = MoveForm()
    form.group_id.choices = [(g.id, g.name) for g in session.groups]
    if not form.validate_on_submit():
        flash(_("Choose where to move the participant."), "error")
    else:
        try:
            p = participants.move_participant(actor, form.participant_id.data, form.group_id.data)
        except DomainError as exc:
            flash(str(exc.message), "error")
        else:
            flash(_("%(name)s is now in «%(group)s».", name=p.display_name, group=p.group.name),
                  "ok")
    return redirect(url_for(".teams_page", session_id=session_id) + "#people")
