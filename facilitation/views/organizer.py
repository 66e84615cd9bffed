"""The organizer's pages: sessions, settings, agenda times, groups, invitations, who joined."""
from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..extensions import db
from ..models import AgendaItem, Group, Invitation, Membership, User
from ..services import experts, participants, sessions
from ..services.errors import DomainError
from ..services.forms import AgendaItemForm, GroupForm, InviteForm, NewSessionForm, SessionForm
from ..tacts.experts import CriteriaPageForm
from ..templates_lib import load_template, template_names
from .helpers import staff_actor

bp = Blueprint("organizer", __name__, url_prefix="/organizer")


def _template_choices():
    return [(name, load_template(name)["title"]["ru"]) for name in template_names()]


@bp.route("/", methods=["GET", "POST"])
@login_required
def index():
    """The user's sessions and a form to create one from a template."""
    form = NewSessionForm()
    form.template.choices = _template_choices()
    if request.method == "GET":
        form.starts_on.data = form.starts_on.data or date.today()
    if form.validate_on_submit():
        try:
            session = sessions.create_session(
                current_user, form.title.data, form.starts_on.data,
                timezone=form.timezone.data, template=form.template.data,
                language=form.language.data, ends_on=form.ends_on.data,
                group_assignment=form.group_assignment.data)
        except DomainError as exc:
            flash(str(exc.message), "error")
        else:
            flash(_("The session is created. Add groups and invite the moderators."), "ok")
            return redirect(url_for(".session", session_id=session.id))
    status = 400 if request.method == "POST" else 200
    return render_template("organizer/index.html", form=form,
                           sessions=sessions.sessions_of(current_user)), status


@bp.get("/s/<int:session_id>")
@login_required
def session(session_id):
    """One session: links and QR, settings, groups, agenda, invitations, participants."""
    session, actor = staff_actor(session_id, need="organizer")
    return _render_session(session)


def _render_session(session, status=200, forms=None):
    forms = forms or {}
    settings = forms.get("settings") or SessionForm(obj=session)
    invite = InviteForm()
    invite.group_id.choices = [(0, "—")] + [(g.id, g.name) for g in session.groups]
    staff = db.session.scalars(db.select(Membership).where(
        Membership.session_id == session.id).order_by(Membership.role)).all()
    invitations = db.session.scalars(db.select(Invitation).where(
        Invitation.session_id == session.id).order_by(Invitation.id.desc())).all()
    criteria_form = forms.get("criteria") or CriteriaPageForm(
        names="\n".join(c.name for c in experts.criteria_of(session)))
    return render_template(
        "organizer/session.html", session=session, settings=settings,
        criteria_form=criteria_form,
        group_form=forms.get("group") or GroupForm(), invite_form=invite,
        item_forms={i.id: forms.get(f"item{i.id}") or AgendaItemForm(obj=i) for i in session.items},
        staff=staff, invitations=invitations, participants=participants.participants_of(session.id),
        staff_users=sorted({m.user for m in staff}, key=lambda u: u.display_name),
    ), status


@bp.post("/s/<int:session_id>/settings")
@login_required
def settings(session_id):
    session, _actor = staff_actor(session_id, need="organizer")
    try:
        sessions.update_session(current_user, session_id, request.form)
    except DomainError as exc:
        form = SessionForm(request.form)
        form.validate()
        flash(str(exc.message), "error")
        return _render_session(session, 400, {"settings": form})
    flash(_("Saved."), "ok")
    return redirect(url_for(".session", session_id=session_id))


@bp.post("/s/<int:session_id>/items/<int:item_id>")
@login_required
def item(session_id, item_id):
    session, _actor = staff_actor(session_id, need="organizer")
    if db.session.get(AgendaItem, item_id) is None:
        abort(404)
    try:
        sessions.update_item(current_user, session_id, item_id, request.form)
    except DomainError as exc:
        form = AgendaItemForm(request.form)
        form.validate()
        flash(str(exc.message), "error")
        return _render_session(session, 400, {f"item{item_id}": form})
    flash(_("Saved."), "ok")
    return redirect(url_for(".session", session_id=session_id, _anchor=f"item-{item_id}"))


@bp.post("/s/<int:session_id>/groups", defaults={"group_id": None})
@bp.post("/s/<int:session_id>/groups/<int:group_id>")
@login_required
def group(session_id, group_id):
    session, _actor = staff_actor(session_id, need="organizer")
    data = request.form.to_dict()
    data["moderator_ids"] = " ".join(request.form.getlist("moderator_ids"))
    try:
        sessions.save_group(current_user, session_id, data, group_id=group_id)
    except DomainError as exc:
        flash(str(exc.message), "error")
        return _render_session(session, 400, {"group": GroupForm(request.form)})
    flash(_("Saved."), "ok")
    return redirect(url_for(".session", session_id=session_id, _anchor="groups"))


@bp.post("/s/<int:session_id>/groups/<int:group_id>/delete")
@login_required
def delete_group(session_id, group_id):
    staff_actor(session_id, need="organizer")
    try:
        sessions.delete_group(current_user, session_id, group_id)
    except DomainError as exc:
        flash(str(exc.message), "error")
    return redirect(url_for(".session", session_id=session_id, _anchor="groups"))


@bp.post("/s/<int:session_id>/invitations")
@login_required
def invite(session_id):
    staff_actor(session_id, need="organizer")
    form = InviteForm(request.form)
    try:
        sessions.create_invitation(current_user, session_id, form.role.data,
                                   form.group_id.data or None)
    except DomainError as exc:
        flash(str(exc.message), "error")
    else:
        flash(_("The invitation link is ready: send it to the person."), "ok")
    return redirect(url_for(".session", session_id=session_id, _anchor="invitations"))


@bp.post("/s/<int:session_id>/criteria")
@login_required
def criteria(session_id):
    """The experts' criteria, one per line."""
    session, actor = staff_actor(session_id, need="organizer")
    form = CriteriaPageForm()
    if form.validate():
        try:
            experts.set_criteria(actor, form.names.data)
        except DomainError as exc:
            form.names.errors = [str(exc.message)]
        else:
            flash(_("The criteria are saved."), "ok")
            return redirect(url_for(".session", session_id=session.id) + "#criteria")
    return _render_session(session, 400, {"criteria": form})


@bp.get("/s/<int:session_id>/export.json")
@login_required
def export_json(session_id):
    """Download the whole session as JSON (organizers only)."""
    import json

    from flask import Response

    from ..exports.json_export import export_session
    session, _actor = staff_actor(session_id, need="organizer")
    body = json.dumps(export_session(session_id), ensure_ascii=False, indent=2)
    return Response(body, mimetype="application/json", headers={
        "Content-Disposition": f"attachment; filename=session-{session_id}.json"})


__all__ = ["bp", "Group", "User"]
