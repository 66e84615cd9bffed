"""The program builder: add, edit, reorder and remove agenda items; days; program templates.

Only the items still ahead can change: an item is locked once it is current or done (and any
item at or before the current one). Every change renumbers the items so that their order is
the order of their days (an item goes to the end of its day), then publishes the one agenda
event clients already apply, `agenda.changed`, with the items that changed and the ids removed.
"""
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileRequired
from sqlalchemy.exc import IntegrityError
from wtforms import BooleanField, IntegerField, SelectField, StringField, TextAreaField, TimeField
from wtforms.validators import InputRequired, NumberRange, Optional, ValidationError

from ..extensions import db
from ..models import AgendaItem, ProgramTemplate, Session, utcnow
from ..templates_lib import (
    DESCRIPTION_MAX,
    INSTRUCTIONS_MAX,
    LANGUAGES,
    MAX_DAYS,
    MAX_ITEMS,
    MAX_TACT,
    NAME_RE,
    TITLE_MAX,
    check_template,
    dump_template,
    load_template,
    parse_template,
    template_names,
)
from . import rooms, serialize
from .actors import require, user_actor
from .errors import Invalid, NotFound
from .forms import FlaskForm
from .text import CleanText, normalize
from .unit import unit_of_work

SCOPE_NAMES = {"plenary": _l("Everyone together (plenary)"), "groups": _l("In groups")}
DEFAULT_DURATION = 30
SAVED_PREFIX = "mine:"  # the value of a saved template in the new-session form's list


def kind_choices():
    """(name, translated label) of every registered tact kind, in the registry's order."""
    from ..tacts import KINDS
    return [(name, kind.label) for name, kind in KINDS.items()]


class ProgramItemForm(FlaskForm):
    """One agenda item in the builder: what it is, its texts in both languages, when, who.

    `language` is the session's: its title is required, the other language's falls back to it.
    """

    kind = SelectField(_l("Kind of item"), choices=[])
    title_ru = StringField(_l("Title (Russian)"), filters=[normalize],
                           validators=[Optional(), CleanText(TITLE_MAX, multiline=False)])
    title_en = StringField(_l("Title (English)"), filters=[normalize],
                           validators=[Optional(), CleanText(TITLE_MAX, multiline=False)])
    instructions_ru = TextAreaField(_l("Instructions (Russian)"), filters=[normalize],
                                    validators=[Optional(), CleanText(INSTRUCTIONS_MAX)])
    instructions_en = TextAreaField(_l("Instructions (English)"), filters=[normalize],
                                    validators=[Optional(), CleanText(INSTRUCTIONS_MAX)])
    day = IntegerField(_l("Day"), validators=[
        InputRequired(_l("Please give the day.")),
        NumberRange(1, MAX_DAYS, _l("A day between 1 and %(max)d.", max=MAX_DAYS))])
    start_time = TimeField(_l("Start"), validators=[InputRequired(_l("Please give a time."))])
    duration_min = IntegerField(_l("Minutes"), validators=[
        InputRequired(_l("Please give the duration in minutes.")),
        NumberRange(1, 24 * 60, _l("Between 1 and 1440 minutes."))])
    scope = SelectField(_l("Who works"), choices=list(SCOPE_NAMES.items()), default="plenary")
    tact = IntegerField(_l("Tact number"), validators=[
        Optional(), NumberRange(1, MAX_TACT, _l("A tact number between 1 and %(max)d.",
                                                max=MAX_TACT))])

    def __init__(self, *args, language="ru", **kwargs):
        super().__init__(*args, **kwargs)
        self.language = language if language in LANGUAGES else "ru"
        self.kind.choices = kind_choices()

    def validate(self, extra_validators=None):
        """The fields' own checks, then: the title in the session's language is required."""
        valid = super().validate(extra_validators)
        field = getattr(self, f"title_{self.language}")
        if not field.data and not field.errors:
            field.errors = [*field.errors, _l("Please give the item a title.")]
            valid = False
        return valid


class SaveTemplateForm(FlaskForm):
    """Save a session's program as one of the organizer's templates."""

    title_ru = StringField(_l("Template title (Russian)"), filters=[normalize], validators=[
        InputRequired(_l("Please give the template a title.")),
        CleanText(TITLE_MAX, multiline=False)])
    title_en = StringField(_l("Template title (English)"), filters=[normalize],
                           validators=[Optional(), CleanText(TITLE_MAX, multiline=False)])
    description_ru = TextAreaField(_l("Description (Russian)"), filters=[normalize],
                                   validators=[Optional(), CleanText(DESCRIPTION_MAX)])
    description_en = TextAreaField(_l("Description (English)"), filters=[normalize],
                                   validators=[Optional(), CleanText(DESCRIPTION_MAX)])
    name = StringField(_l("Short name (Latin letters, digits, - and _)"), filters=[normalize],
                       validators=[Optional()])
    replace = BooleanField(_l("Replace my template of the same name"))

    def validate_name(self, field):
        if field.data and not NAME_RE.match(field.data):
            raise ValidationError(_l("Use small Latin letters, digits, '-' and '_' (at most 80)."))


class ImportTemplateForm(FlaskForm):
    """Upload a program template as YAML (docs/TEMPLATES.md)."""

    file = FileField(_l("Template file (YAML)"), validators=[
        FileRequired(_l("Please choose a file.")),
        FileAllowed(["yaml", "yml"], _l("Please choose a .yaml file."))])
    replace = BooleanField(_l("Replace my template of the same name"))


def _check(form_class, data, **kwargs):
    from werkzeug.datastructures import MultiDict
    form = form_class(formdata=MultiDict(data), meta={"csrf": False}, **kwargs)
    if not form.validate():
        field, errors = next(iter(form.errors.items()))
        raise Invalid(errors[0], field=field)
    return form


# -- reading --------------------------------------------------------------------------------
def _organizer(user, session_id):
    actor = user_actor(user, session_id)
    require(actor.is_organizer, _l("Only the session's organizers can do this."))
    return actor


def _session(session_id):
    session = db.session.get(Session, session_id)
    if session is None:
        raise NotFound()
    return session


def editable(session, item):
    """Whether the item is still ahead: pending and after the current item."""
    current = session.current_item
    return item.state == "pending" and (current is None or item.position > current.position)


def item_texts(item, language):
    """The item's title and instructions in both languages: {"title": {ru, en}, "instructions":
    {ru, en}}; a language without its own text shows the session language's."""
    own = {"title": item.title, "instructions": item.instructions or ""}
    texts = {"title": {}, "instructions": {}}
    for lang in LANGUAGES:
        other = ((item.texts or {}).get(lang) or {}) if lang != language else own
        for key, by_lang in texts.items():
            by_lang[lang] = other.get(key) or own[key]
    return texts


def form_data(item, language):
    """The builder form's data for an item (ProgramItemForm field names)."""
    texts = item_texts(item, language)
    return {"kind": item.kind, "title_ru": texts["title"]["ru"], "title_en": texts["title"]["en"],
            "instructions_ru": texts["instructions"]["ru"],
            "instructions_en": texts["instructions"]["en"], "day": item.day,
            "start_time": item.start_time, "duration_min": item.duration_min,
            "scope": item.scope, "tact": item.tact}


def new_item_defaults(session):
    """What the add form proposes: after the last item, on its day, for half an hour."""
    from datetime import datetime, time, timedelta
    items = list(session.items)
    if not items:
        return {"kind": "info", "day": 1, "start_time": time(10, 0),
                "duration_min": DEFAULT_DURATION, "scope": "plenary"}
    last = items[-1]
    end = (datetime.combine(session.starts_on, last.start_time)
           + timedelta(minutes=last.duration_min)).time()
    return {"kind": "info", "day": last.day, "start_time": end,
            "duration_min": DEFAULT_DURATION, "scope": "plenary"}


def program_days(session):
    """The items by day: [(day, [item, ...])], in order."""
    days = {}
    for item in session.items:
        days.setdefault(item.day, []).append(item)
    return sorted(days.items())


# -- writing --------------------------------------------------------------------------------
def _apply(item, form, language):
    other = {}
    for lang in LANGUAGES:
        title = getattr(form, f"title_{lang}").data or ""
        instructions = getattr(form, f"instructions_{lang}").data or ""
        if lang == language:
            item.title, item.instructions = title, instructions
        else:
            other[lang] = {"title": title, "instructions": instructions}
    item.texts = other
    item.kind = form.kind.data
    item.day = form.day.data
    item.start_time = form.start_time.data
    if item.duration_min != form.duration_min.data or not item.timer_duration_s:
        item.timer_duration_s = form.duration_min.data * 60
    item.duration_min = form.duration_min.data
    item.scope = form.scope.data
    item.tact = form.tact.data


def _editable_item(session, item_id):
    item = db.session.get(AgendaItem, item_id) if isinstance(item_id, int) else None
    if item is None or item.session_id != session.id:
        raise NotFound(_l("This agenda item does not exist."))
    if not editable(session, item):
        raise Invalid(_l("This item is current or already done: it can no longer be changed."))
    return item


def _earliest_day(session):
    current = session.current_item
    return current.day if current is not None else 1


def _check_day(session, day):
    if day < _earliest_day(session):
        raise Invalid(_l("The program has already reached day %(day)d: an item ahead cannot "
                         "be on an earlier day.", day=_earliest_day(session)), field="day")


def _shown(item):
    """What clients see of an item, but its timer (which carries the server's clock)."""
    return {k: v for k, v in serialize.item(item).items() if k != "timer"}


class _Change:
    """One builder operation: the items before it, so that only what changed is published."""

    def __init__(self, session):
        self.session = session
        self.before = {i.id: _shown(i) for i in session.items}

    def finish(self, unit, removed=()):
        """Renumber (past items keep their places; the items ahead go in day order), stretch the
        session to its last day, and publish `agenda.changed`."""
        from datetime import timedelta
        session = self.session
        db.session.flush()
        db.session.expire(session, ["items"])
        items = list(session.items)
        fixed = [i for i in items if not editable(session, i)]
        ahead = sorted((i for i in items if editable(session, i)),
                       key=lambda i: (i.day, i.position))
        for position, item in enumerate(fixed + ahead):
            item.position = position
        if len(items) > MAX_ITEMS:
            raise Invalid(_l("A program holds at most %(max)d items.", max=MAX_ITEMS))
        last_day = max((i.day for i in items), default=1)
        if session.starts_on + timedelta(days=last_day - 1) > session.ends_on:
            session.ends_on = session.starts_on + timedelta(days=last_day - 1)
            from .sessions import session_info
            unit.bump(session.id, "session.changed", session_info(session),
                      [rooms.session_room(session.id)])
        db.session.flush()
        changed = [i for i in fixed + ahead
                   if self.before.get(i.id) != _shown(i)]
        if changed or removed:
            unit.bump(session.id, "agenda.changed",
                      {"current_item_id": session.current_item_id,
                       "items": [serialize.item(i) for i in changed],
                       "removed": list(removed)},
                      [rooms.session_room(session.id)])
        return changed


def add_item(user, session_id, data):
    """Add an item at the end of its day (only ahead of the current item).

    Raises Invalid (with the field) for bad input, NotAllowed for anyone but an organizer.
    """
    _organizer(user, session_id)
    session = _session(session_id)
    form = _check(ProgramItemForm, data, language=session.language)
    _check_day(session, form.day.data)
    with unit_of_work() as unit:
        change = _Change(session)
        item = AgendaItem(session_id=session.id, position=len(change.before) + 1,
                          state="pending")
        _apply(item, form, session.language)
        db.session.add(item)
        change.finish(unit)
    return item


def update_item(user, session_id, item_id, data):
    """Change an item ahead: kind, texts, day, start, duration, who works, tact number."""
    _organizer(user, session_id)
    session = _session(session_id)
    form = _check(ProgramItemForm, data, language=session.language)
    with unit_of_work() as unit:
        item = _editable_item(session, item_id)
        _check_day(session, form.day.data)
        change = _Change(session)
        _apply(item, form, session.language)
        change.finish(unit)
    return item


def _used(item):
    """Whether any row (a card, a board, an advance, a kind's own rows) hangs off the item."""
    count = 0
    for table in db.metadata.sorted_tables:
        if table.name in ("agenda_items", "sessions"):
            continue
        for fk in table.foreign_keys:
            if fk.column.table.name == "agenda_items":
                count += db.session.scalar(
                    db.select(db.func.count()).select_from(table).where(fk.parent == item.id))
    return count > 0


def remove_item(user, session_id, item_id):
    """Remove an item ahead that holds nothing yet. Raises Invalid otherwise."""
    _organizer(user, session_id)
    session = _session(session_id)
    with unit_of_work() as unit:
        item = _editable_item(session, item_id)
        if _used(item):
            raise Invalid(_l("This item already holds the session's work; it cannot be removed."))
        if len(session.items) <= 1:
            raise Invalid(_l("A program needs at least one item."))
        change = _Change(session)
        db.session.delete(item)
        change.finish(unit, removed=[item_id])


def move_item(user, session_id, item_id, direction):
    """Move an item ahead one place up or down. Across a day's edge it changes day instead
    (the first item of day 2 moved up becomes the last of day 1), so days stay in order."""
    _organizer(user, session_id)
    if direction not in ("up", "down"):
        raise Invalid(_l("Move an item up or down."), field="direction")
    session = _session(session_id)
    with unit_of_work() as unit:
        item = _editable_item(session, item_id)
        items = list(session.items)
        n = items.index(item)
        other = items[n - 1] if direction == "up" and n > 0 else (
            items[n + 1] if direction == "down" and n + 1 < len(items) else None)
        change = _Change(session)
        if other is None:
            raise Invalid(_l("The item is already first.") if direction == "up"
                          else _l("The item is already last."))
        if other.day != item.day:
            _check_day(session, other.day)
            item.day = other.day
            # the item joins the neighbouring day at its near end
            item.position = other.position + (0.5 if direction == "up" else -0.5)
        elif not editable(session, other):
            raise Invalid(_l("An item cannot move before the current one."))
        else:
            item.position, other.position = other.position, item.position
        _renumber_in_memory(session, item)
        change.finish(unit)
    return item


def _renumber_in_memory(session, item):
    """Make fractional positions whole before the flush (the column is an integer)."""
    items = sorted(session.items, key=lambda i: i.position)
    for position, row in enumerate(items):
        row.position = position


def new_day_from(user, session_id, item_id):
    """Split the program: this item and every item after it move to the next day."""
    _organizer(user, session_id)
    session = _session(session_id)
    with unit_of_work() as unit:
        item = _editable_item(session, item_id)
        change = _Change(session)
        later = [i for i in session.items if i.position >= item.position]
        if any(i.day + 1 > MAX_DAYS for i in later):
            raise Invalid(_l("A program has at most %(max)d days.", max=MAX_DAYS))
        for row in later:
            row.day += 1
        change.finish(unit)
    return item


# -- templates ------------------------------------------------------------------------------
def _slug(text):
    table = str.maketrans({
        "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
        "з": "z", "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
        "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "h", "ц": "ts",
        "ч": "ch", "ш": "sh", "щ": "sch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
        "я": "ya"})
    out = "".join(ch if ch.isascii() and ch.isalnum() else "-"
                  for ch in text.lower().translate(table))
    out = "-".join(part for part in out.split("-") if part)[:60].strip("-")
    return out or "program"


def session_program(session):
    """The session's program as a normalized template (check_template's form).

    The template's title and description are those of the template the session was made
    from, while the session keeps that template's title; else the session's own title.
    """
    from datetime import time  # noqa: F401  (start times are datetime.time already)
    lang = session.language
    title = {"ru": session.title, "en": session.title}
    description = {"ru": "", "en": ""}
    name = session.template_name or _slug(session.title)
    origin = _origin(session)
    if origin is not None and origin["title"][lang] == session.title:
        title, description = dict(origin["title"]), dict(origin["description"])
        name = origin["name"]
    elif not NAME_RE.match(name or ""):
        name = _slug(session.title)
    items = []
    for item in session.items:
        texts = item_texts(item, lang)
        items.append({"day": item.day, "start": item.start_time, "duration": item.duration_min,
                      "kind": item.kind, "tact": item.tact, "scope": item.scope,
                      "title": texts["title"], "instructions": texts["instructions"]})
    days = max([i["day"] for i in items] + [(session.ends_on - session.starts_on).days + 1, 1])
    return {"name": name, "title": title, "description": description,
            "days": min(days, MAX_DAYS), "items": items}


def _origin(session):
    """The template the session was made from, when it is still known."""
    name = session.template_name or ""
    try:
        if name in template_names():
            return load_template(name)
        if name.startswith(SAVED_PREFIX):
            row = db.session.get(ProgramTemplate, int(name[len(SAVED_PREFIX):]))
            return saved_program(row) if row is not None else None
    except (ValueError, Invalid, NotFound):
        return None
    return None


def saved_program(row):
    """A saved template as a normalized program."""
    from ..tacts import KINDS
    return check_template(row.data, KINDS)


def templates_of(user):
    """The user's saved templates, by title."""
    return db.session.scalars(db.select(ProgramTemplate).where(
        ProgramTemplate.owner_id == user.id).order_by(ProgramTemplate.title,
                                                      ProgramTemplate.id)).all()


def saved_template(user, template_id):
    """One of the user's saved templates. Raises NotFound for another's or a missing one."""
    row = db.session.get(ProgramTemplate, template_id) if isinstance(template_id, int) else None
    if row is None or row.owner_id != user.id:
        raise NotFound(_l("There is no such template."))
    return row


def _store(user, program, replace):
    """Keep a normalized program as the user's template (by its name)."""
    existing = db.session.scalar(db.select(ProgramTemplate).where(
        ProgramTemplate.owner_id == user.id, ProgramTemplate.name == program["name"]))
    if existing is not None and not replace:
        raise Invalid(_l("You already have a template named “%(name)s”; tick “replace” to "
                         "overwrite it.", name=program["name"]), field="name")
    with unit_of_work():
        row = existing or ProgramTemplate(owner_id=user.id, name=program["name"])
        row.title = program["title"]["ru"]
        row.data = dump_template(program)
        row.updated_at = utcnow()
        db.session.add(row)
        try:
            db.session.flush()
        except IntegrityError:  # the same name saved twice at once
            raise Invalid(_l("You already have a template named “%(name)s”; tick “replace” to "
                             "overwrite it.", name=program["name"]), field="name") from None
    return row


def save_as_template(user, session_id, data):
    """Save the session's program as the organizer's template. Raises Invalid naming the field."""
    _organizer(user, session_id)
    from ..tacts import KINDS
    session = _session(session_id)
    form = _check(SaveTemplateForm, data)
    program = session_program(session)
    program["title"] = {"ru": form.title_ru.data, "en": form.title_en.data or form.title_ru.data}
    program["description"] = {"ru": form.description_ru.data or "",
                              "en": form.description_en.data or form.description_ru.data or ""}
    program["name"] = form.name.data or _slug(form.title_en.data or form.title_ru.data)
    program = check_template(dump_template(program), KINDS)
    return _store(user, program, bool(form.replace.data))


def import_template(user, raw, replace=False):
    """Read an uploaded YAML template (bytes) and keep it as the user's. Raises Invalid naming
    the place of the first error; nothing is stored then."""
    from ..tacts import KINDS
    program = parse_template(raw, KINDS)
    return _store(user, program, replace)


def delete_template(user, template_id):
    """Delete one of the user's saved templates."""
    with unit_of_work():
        db.session.delete(saved_template(user, template_id))


def program_for_new_session(user, value):
    """The program a new session starts from: a built-in template's name or `mine:<id>`.
    Returns (template name to remember, normalized program). Raises NotFound."""
    if isinstance(value, str) and value.startswith(SAVED_PREFIX):
        try:
            template_id = int(value[len(SAVED_PREFIX):])
        except ValueError:
            raise NotFound(_l("There is no such template.")) from None
        return value, saved_program(saved_template(user, template_id))
    return value, load_template(value)
