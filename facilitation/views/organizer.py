"""The organizer's pages: sessions, settings, agenda times, groups, invitations, who joined."""
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import (Blueprint, abort, current_app, flash, redirect, render_template, request,
                   url_for)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from ..extensions import csrf, db
from ..models import AgendaItem, Group, Invitation, Membership, User
from ..services import experts, participants, sessions
from ..services.errors import DomainError
from ..services.forms import (AgendaItemForm, ExportForm, GroupForm, ImportSessionForm, InviteForm,
                              NewSessionForm, SessionForm)
from ..tacts.experts import CriteriaPageForm
from ..templates_lib import DEFAULT_TEMPLATE, load_template, template_names
from .helpers import staff_actor

bp = Blueprint("organizer", __name__, url_prefix="/organizer")


def _template_choices():
    """The built-in templates, then the user's own (services/program.py), as choices."""
    from flask_babel import get_locale

    from ..services.program import SAVED_PREFIX, templates_of
    lang = "en" if str(get_locale()).startswith("en") else "ru"
    # The two-day strategic session first: it is what the form offers unless told otherwise.
    names = sorted(template_names(), key=lambda name: name != DEFAULT_TEMPLATE)
    builtin = [(name, load_template(name)["title"][lang]) for name in names]
    mine = [(f"{SAVED_PREFIX}{row.id}", row.data["title"].get(lang) or row.title)
            for row in templates_of(current_user)]
    if not mine:
        return builtin
    return {_("Built-in"): builtin, _("My templates"): mine}


def _today(form):
    """Today where the new session takes place (its time zone field's default), not on the
    server's clock: late in the evening UTC it is already tomorrow in Moscow, and a session
    dated by the server would be over (its join code closed) as soon as it is made."""
    zone = form.timezone.data or current_app.config["BABEL_DEFAULT_TIMEZONE"]
    return datetime.now(ZoneInfo(zone)).date()


@bp.route("/", methods=["GET", "POST"])
@login_required
def index():
    """The user's sessions and a form to create one from a template."""
    form = NewSessionForm()
    form.template.choices = _template_choices()
    if request.method == "GET":
        form.starts_on.data = form.starts_on.data or _today(form)
    if form.validate_on_submit():
        from ..services.program import program_for_new_session
        try:
            name, prog = program_for_new_session(current_user, form.template.data)
            session = sessions.create_session(
                current_user, form.title.data, form.starts_on.data,
                timezone=form.timezone.data, template=name, program=prog,
                language=form.language.data, ends_on=form.ends_on.data,
                group_assignment=form.group_assignment.data)
        except DomainError as exc:
            flash(str(exc.message), "error")
        else:
            flash(_("The session is created. Add groups and invite the moderators."), "ok")
            return redirect(url_for(".session", session_id=session.id))
    status = 400 if request.method == "POST" else 200
    return _render_index(form, None, status)


def _render_index(form=None, import_form=None, status=200):
    """The sessions page with its two forms: a new session, and an import from a JSON file."""
    if form is None:
        form = NewSessionForm(formdata=None)
        form.template.choices = _template_choices()
        form.starts_on.data = _today(form)
    return render_template("organizer/index.html", form=form,
                           import_form=import_form or ImportSessionForm(formdata=None),
                           sessions=sessions.sessions_of(current_user)), status


@bp.post("/import")
@csrf.exempt  # the form checks its token itself, once the upload's own size limit is set
@login_required
def import_file():
    """Create a session from an uploaded JSON export; the uploader becomes its organizer."""
    from werkzeug.exceptions import RequestEntityTooLarge

    from ..services import imports
    limit = current_app.config["IMPORT_MAX_BYTES"]
    request.max_content_length = limit  # larger than the app's limit for other forms
    try:
        request.files
    except RequestEntityTooLarge:
        form = ImportSessionForm(formdata=None)
        form.file.errors = [_("The file is too large: at most %(size)d MB.",
                              size=max(1, limit // 2**20))]
        return _render_index(import_form=form, status=413)
    form = ImportSessionForm()
    if form.validate_on_submit():
        try:
            session = imports.import_session(imports.parse(form.file.data.read()),
                                             organizer=current_user)
        except DomainError as exc:
            form.file.errors.append(str(exc.message))
        else:
            flash(_("The session is imported: «%(title)s». Its staff came with it as names "
                    "only; invite them again to give them access.", title=session.title), "ok")
            return redirect(url_for(".session", session_id=session.id))
    if "csrf_token" in form.errors:  # the hidden field shows no message of its own
        form.file.errors.append(_("The page was open too long; please choose the file again."))
    return _render_index(import_form=form, status=400)


@bp.get("/s/<int:session_id>")
@login_required
def session(session_id):
    """One session: links and QR, settings, groups, agenda, invitations, participants."""
    session, actor = staff_actor(session_id, need="organizer")
    return _render_session(session)


FORMAT_NAMES = {"md": _l("Markdown"), "docx": _l("Word (DOCX)"), "pptx": _l("PowerPoint (PPTX)"),
                "xlsx": _l("Excel (XLSX)"), "json": _l("JSON (the whole session)"),
                "print": _l("Page to print")}


def export_form(session, formdata=None):
    """The outcomes panel: a format and the whole session (0) or one group or team."""
    from ..exports import FORMATS
    form = ExportForm(formdata=formdata, meta={"csrf": False})
    form.fmt.choices = [(f, FORMAT_NAMES.get(f, f)) for f in ("print", "md", "docx", "pptx",
                                                              "xlsx", "json")
                        if f == "print" or f in FORMATS]
    form.group.choices = [(0, _l("The whole session"))] + [(g.id, g.name) for g in session.groups]
    return form


def _render_session(session, status=200, forms=None):
    forms = forms or {}
    settings = forms.get("settings") or SessionForm(obj=session)
    invite = InviteForm()
    invite.group_id.choices = [(0, "—")] + [(g.id, g.name) for g in session.groups]
    staff = db.session.scalars(db.select(Membership).where(
        Membership.session_id == session.id).order_by(Membership.role)).all()
    invitations = db.session.scalars(db.select(Invitation).where(
        Invitation.session_id == session.id).order_by(Invitation.id.desc())).all()
    export = export_form(session)
    criteria_form = forms.get("criteria") or CriteriaPageForm(
        names="\n".join(c.name for c in experts.criteria_of(session)))
    return render_template(
        "organizer/session.html", session=session, settings=settings, export_form=export,
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


@bp.get("/s/<int:session_id>/export.<fmt>")
@login_required
def export_file(session_id, fmt):
    """Download the session (or, with ?group=ID, one group) in a format (organizers only)."""
    from flask import Response

    from ..exports import FORMATS, filename, render
    from ..services.errors import NotFound
    session, _actor = staff_actor(session_id, need="organizer")
    if fmt not in FORMATS:
        abort(404)
    group_id = request.args.get("group", type=int)
    try:
        body, mimetype, extension = render(fmt, session_id, group_id)
    except NotFound:
        abort(404)
    return Response(body, mimetype=mimetype, headers={
        "Content-Disposition": f"attachment; filename={filename(session_id, extension, group_id)}",
        "Cache-Control": "no-store"})


@bp.get("/s/<int:session_id>/download")
@login_required
def download(session_id):
    """The outcomes panel's form: a format and the whole session or one group."""
    session, _actor = staff_actor(session_id, need="organizer")
    form = export_form(session, request.args)
    if not form.validate():
        flash(_("Choose a format and a group."), "error")
        return redirect(url_for(".session", session_id=session_id) + "#outcomes")
    group = form.group.data or None
    if form.fmt.data == "print":
        return redirect(url_for(".summary", session_id=session_id, group=group))
    return redirect(url_for(".export_file", session_id=session_id, fmt=form.fmt.data, group=group))


@bp.get("/s/<int:session_id>/summary")
@login_required
def summary(session_id):
    """The session's outcomes on one page, made to print on A4 (organizers only)."""
    from ..exports.report import build_report
    from ..services.errors import NotFound
    session, _actor = staff_actor(session_id, need="organizer")
    group_id = request.args.get("group", type=int)
    try:
        report = build_report(session_id, group_id)
    except NotFound:
        abort(404)
    return render_template("organizer/summary.html", session=session, report=report,
                           group_id=group_id)


__all__ = ["bp", "Group", "User"]
