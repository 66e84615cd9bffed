"""The organizer's program builder and program templates (services/program.py does the work).

Every form posts and redirects back, so the page works without scripts; static/js/program.js
sends the same forms with fetch and swaps in the re-rendered list (the reply is the list's
HTML, or the refusal's message).
"""
from datetime import timedelta

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms import SelectField
from wtforms.validators import InputRequired

from ..services import program
from ..services.errors import DomainError, NotFound
from ..services.forms import FlaskForm
from ..templates_lib import template_titles, to_yaml
from .helpers import staff_actor

bp = Blueprint("program", __name__, url_prefix="/organizer")


class MoveForm(FlaskForm):
    """An item's up or down button."""

    direction = SelectField(choices=[("up", "up"), ("down", "down")],
                            validators=[InputRequired()])


class ActionForm(FlaskForm):
    """A button that carries nothing but its CSRF token (remove, new day, delete)."""


def _fetch():
    return request.headers.get("X-Requested-With") == "fetch"


def _back(session_id, anchor=None):
    return redirect(url_for(".builder", session_id=session_id, _anchor=anchor))


def _item_forms(session, forms):
    result = {}
    for item in session.items:
        if program.editable(session, item):
            result[item.id] = forms.get(item.id) or program.ProgramItemForm(
                formdata=None, data=program.form_data(item, session.language),
                language=session.language, prefix=f"i{item.id}")
    return result


def _context(session, forms=None, open_id=None):
    forms = forms or {}
    add_form = forms.get("add") or program.ProgramItemForm(
        formdata=None, data=program.new_item_defaults(session), language=session.language,
        prefix="new")
    save_form = forms.get("save") or program.SaveTemplateForm(formdata=None, data={
        "title_ru": session.title if session.language == "ru" else "",
        "title_en": session.title if session.language == "en" else ""})
    kinds = dict(program.kind_choices())
    return {"session": session, "days": program.program_days(session),
            "item_forms": _item_forms(session, forms), "add_form": add_form,
            "save_form": save_form, "kind_names": kinds, "scope_names": program.SCOPE_NAMES,
            "editable": lambda item: program.editable(session, item),
            "day_date": lambda day: format_date(session.starts_on + timedelta(days=day - 1),
                                                "long"),
            "end_time": _end_time, "open_id": open_id, "action_form": ActionForm(),
            "texts": lambda item: program.item_texts(item, session.language)}


def _end_time(item):
    from datetime import datetime
    end = datetime(2000, 1, 1, item.start_time.hour, item.start_time.minute) + timedelta(
        minutes=item.duration_min)
    return end.strftime("%H:%M")


def _page(session, status=200, forms=None, open_id=None):
    return render_template("organizer/program.html", **_context(session, forms, open_id)), status


def _done(session, message, anchor=None):
    """A change went through: the list's HTML for a script, else back to the page."""
    if _fetch():
        from ..extensions import db
        db.session.expire_all()
        html = render_template("organizer/program_list.html", **_context(session))
        return jsonify({"ok": True, "message": message, "html": html})
    flash(message, "ok")
    return _back(session.id, anchor)


def _refused(session, exc, forms=None, open_id=None, anchor=None):
    """A change was refused: the message for a script, else the page with it (400)."""
    message = str(exc.message) if isinstance(exc, DomainError) else str(exc)
    if _fetch():
        return jsonify({"ok": False, "error": message}), 400
    if forms is None:
        flash(message, "error")
        return _back(session.id, anchor)
    flash(message, "error")
    return _page(session, 400, forms, open_id)


@bp.get("/s/<int:session_id>/program")
@login_required
def builder(session_id):
    """The program builder: the items by day, each ahead of the current one editable."""
    session, _actor = staff_actor(session_id, need="organizer")
    return _page(session)


def _unprefixed(form):
    """The posted values of a prefixed item form, by the service's field names."""
    return {field.short_name: request.form.get(field.name, "") for field in form
            if field.short_name != "csrf_token"}


@bp.post("/s/<int:session_id>/program/items")
@login_required
def add(session_id):
    session, _actor = staff_actor(session_id, need="organizer")
    form = program.ProgramItemForm(language=session.language, prefix="new")
    if not form.validate():
        return _refused(session, _first_error(form), {"add": form}, anchor="add")
    try:
        item = program.add_item(current_user, session_id, _unprefixed(form))
    except DomainError as exc:
        _attach(form, exc)
        return _refused(session, exc, {"add": form}, anchor="add")
    return _done(session, _("The item is added."), f"item-{item.id}")


@bp.post("/s/<int:session_id>/program/items/<int:item_id>")
@login_required
def edit(session_id, item_id):
    session, _actor = staff_actor(session_id, need="organizer")
    form = program.ProgramItemForm(language=session.language, prefix=f"i{item_id}")
    if not form.validate():
        return _refused(session, _first_error(form), {item_id: form}, item_id, f"item-{item_id}")
    try:
        program.update_item(current_user, session_id, item_id, _unprefixed(form))
    except NotFound:
        abort(404)
    except DomainError as exc:
        _attach(form, exc)
        return _refused(session, exc, {item_id: form}, item_id, f"item-{item_id}")
    return _done(session, _("Saved."), f"item-{item_id}")


@bp.post("/s/<int:session_id>/program/items/<int:item_id>/move")
@login_required
def move(session_id, item_id):
    session, _actor = staff_actor(session_id, need="organizer")
    form = MoveForm()
    if not form.validate():
        return _refused(session, DomainError(_("Move an item up or down.")),
                        anchor=f"item-{item_id}")
    try:
        program.move_item(current_user, session_id, item_id, form.direction.data)
    except NotFound:
        abort(404)
    except DomainError as exc:
        return _refused(session, exc, anchor=f"item-{item_id}")
    return _done(session, _("The item is moved."), f"item-{item_id}")


@bp.post("/s/<int:session_id>/program/items/<int:item_id>/remove")
@login_required
def remove(session_id, item_id):
    session, _actor = staff_actor(session_id, need="organizer")
    ActionForm().validate()
    try:
        program.remove_item(current_user, session_id, item_id)
    except NotFound:
        abort(404)
    except DomainError as exc:
        return _refused(session, exc, anchor=f"item-{item_id}")
    return _done(session, _("The item is removed."), "program")


@bp.post("/s/<int:session_id>/program/items/<int:item_id>/new-day")
@login_required
def new_day(session_id, item_id):
    session, _actor = staff_actor(session_id, need="organizer")
    ActionForm().validate()
    try:
        item = program.new_day_from(current_user, session_id, item_id)
    except NotFound:
        abort(404)
    except DomainError as exc:
        return _refused(session, exc, anchor=f"item-{item_id}")
    return _done(session, _("Day %(day)d starts with this item.", day=item.day),
                 f"item-{item_id}")


@bp.post("/s/<int:session_id>/program/template")
@login_required
def save_template(session_id):
    """Save the program as one of the organizer's templates."""
    session, _actor = staff_actor(session_id, need="organizer")
    form = program.SaveTemplateForm()
    if not form.validate():
        return _refused(session, _first_error(form), {"save": form}, anchor="save-template")
    try:
        row = program.save_as_template(current_user, session_id, request.form)
    except DomainError as exc:
        _attach(form, exc)
        return _refused(session, exc, {"save": form}, anchor="save-template")
    flash(_("The program is saved as your template «%(title)s». It is offered when you create "
            "a session.", title=row.title), "ok")
    return _back(session_id, "save-template")


@bp.get("/s/<int:session_id>/program.yaml")
@login_required
def session_yaml(session_id):
    """The session's program as a template file (docs/TEMPLATES.md)."""
    session, _actor = staff_actor(session_id, need="organizer")
    prog = program.session_program(session)
    return _yaml(to_yaml(prog), f"program-{session_id}.yaml")


def _yaml(text, filename):
    return Response(text, mimetype="application/yaml", headers={
        "Content-Disposition": f"attachment; filename={filename}",
        "Cache-Control": "no-store"})


def _first_error(form):
    """A form that did not validate: its fields show why; the page says to look (or, for a
    script, the first message)."""
    from ..services.errors import Invalid
    if _fetch():
        for errors in form.errors.values():
            if errors:
                return Invalid(errors[0])
    return Invalid()


def _attach(form, exc):
    """Show a service's refusal under its field (or the form's first)."""
    field = getattr(form, exc.field, None) if exc.field else None
    if field is not None:
        field.errors = list(field.errors) + [str(exc.message)]


# -- templates ------------------------------------------------------------------------------
def _templates_page(import_form=None, status=200):
    return render_template(
        "organizer/program_templates.html", saved=program.templates_of(current_user),
        builtin=template_titles(), import_form=import_form or program.ImportTemplateForm(
            formdata=None), action_form=ActionForm()), status


@bp.get("/templates")
@login_required
def templates():
    """The organizer's templates and the built-in ones; download, delete, upload YAML."""
    return _templates_page()


@bp.post("/templates/import")
@login_required
def import_template():
    """Keep an uploaded YAML template as the organizer's; refusals name the place of the error."""
    form = program.ImportTemplateForm()
    if form.validate():
        limit = current_app.config.get("TEMPLATE_MAX_BYTES", 512 * 1024)
        raw = form.file.data.read(limit + 1)
        if len(raw) > limit:
            form.file.errors.append(_("The file is too large: at most %(size)d KB.",
                                      size=limit // 1024))
        else:
            try:
                row = program.import_template(current_user, raw, bool(form.replace.data))
            except DomainError as exc:
                form.file.errors.append(str(exc.message))
            else:
                flash(_("The template «%(title)s» is added: it is offered when you create a "
                        "session.", title=row.title), "ok")
                return redirect(url_for(".templates"))
    return _templates_page(form, 400)


@bp.get("/templates/<int:template_id>.yaml")
@login_required
def template_yaml(template_id):
    try:
        row = program.saved_template(current_user, template_id)
    except NotFound:
        abort(404)
    return _yaml(to_yaml(program.saved_program(row)), f"{row.name}.yaml")


@bp.get("/templates/builtin/<name>.yaml")
@login_required
def builtin_yaml(name):
    from ..templates_lib import load_template, template_names
    if name not in template_names():
        abort(404)
    return _yaml(to_yaml(load_template(name)), f"{name}.yaml")


@bp.post("/templates/<int:template_id>/delete")
@login_required
def delete_template(template_id):
    if not ActionForm().validate():
        abort(400)
    try:
        program.delete_template(current_user, template_id)
    except NotFound:
        abort(404)
    flash(_("The template is deleted."), "ok")
    return redirect(url_for(".templates"))
