"""The base of tact kinds: what a kind accepts, how it shows and how it summarizes.

A kind never sees the Flask request or a socket: it gets plain data and returns plain data.
"""
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict
from wtforms import Form, StringField, TextAreaField
from wtforms.validators import InputRequired

from ..services.errors import Invalid
from ..services.forms import FlaskForm
from ..services.text import CleanText, normalize


class TactKind:
    """A kind of agenda item. Subclasses set the class attributes and override hooks."""

    name = ""
    label = _l("Item")
    # The card model posted in this kind (None: nothing is posted).
    card_model = None
    # Where posts go: "group" (the author's group board) or "plenary" (one shared wall).
    post_scope = None
    # What the phone's post form says (label and an example), for kinds that accept posts.
    post_label = None
    post_example = None
    # The kind's own scripts (static/js/tacts/kind_views.js describes them): per audience
    # ("phone", "board", "projector", "console") a module file in static/js/tacts/, "css" a sheet
    # in static/css/tacts/, "tab" the JS string key of its tab on the group moderator's board.
    # None: the kind has no scripts of its own.
    views = None
    # The texts its scripts show: {JS string key: lazy msgid}, merged into the page's strings
    # (views/strings.py); prefix the keys with the kind's own short prefix.
    js_strings = {}

    @property
    def accepts_posts(self):
        return self.card_model is not None

    def client_info(self):
        """What clients need to know of this kind to show an item of it (plain data)."""
        info = {"accepts_posts": self.accepts_posts, "post_scope": self.post_scope,
                "card_kind": self.card_model.__name__.lower() if self.card_model else None,
                "post_label": str(self.post_label or ""), "post_example": str(self.post_example or "")}
        if self.views:
            info["views"] = dict(self.views)
        return info

    def card_form(self, data):
        """Validate a post's payload with the kind's WTForms form; return the clean data.

        Raises Invalid with the first message (and its field) when the payload is bad.
        """
        raise Invalid()

    def template(self, audience):
        """The Jinja template of this kind for an audience (phone, board, projector)."""
        return f"tacts/{self.name}/{audience}.html"

    def script(self):
        """The kind's own script under static/js/tacts/."""
        return f"js/tacts/{self.name}.js"

    def summary(self, cards):
        """Plain-data summary of an item's cards, for exports and the moderator."""
        return {"count": len(cards)}

    # -- a kind's own output in the exports and the import (/work/tools/KIND_HOOKS.md) ------
    # A JSON Schema the export's `agenda[n].output` of this kind must match (None: any object);
    # the import checks it before writing anything and names the place.
    output_schema = None
    # The kind's service module under facilitation/services ("polls" for services/polls.py):
    # export_item, import_item, snapshot and demo_fill below call its function of the same
    # name when it has one, so that a kind need not repeat them as one-line delegations.
    service = None

    def _service(self, name):
        if self.service is None:
            return None
        from importlib import import_module
        return getattr(import_module(f"facilitation.services.{self.service}"), name, None)

    def export_item(self, item):
        """This agenda item's own output for the JSON export (`agenda[n].output`): a dict of
        plain JSON values, ids as the export gives them (the session's row ids) and the names a
        report shows beside them; None when the kind keeps nothing of its own."""
        fn = self._service("export_item")
        return fn(item) if fn else None

    def import_item(self, item, data, ids):
        """Recreate `export_item`'s dict on `item`, the new session's (flushed) agenda item.

        `ids` is services.imports.ImportIds: collection -> {old id: new id} ("groups",
        "agenda", "participants", "trends", "ideas", "initiatives", "stakeholders", "values",
        "flows", "requests", "objectives", "criteria", "decks"), with `ref(collection, old,
        place, nullable=False)`, `place` ("agenda[n].output"), `session`, `now`, `add(row,
        place)`, `flush()`, `when(value, place)` and `author(entry, place)`. Raise Invalid
        naming the place for what cannot be imported; the whole import is then refused."""
        fn = self._service("import_item")
        if fn:
            fn(item, data, ids)

    def report_sections(self, item, data):
        """Blocks of the reading-order report, in the current locale: a list of
        {"title": str, "group_id": int | None (None: session-wide), "paragraphs": [str],
        "table": {"columns": [str], "rows": [[str | int | float | None]]}} (paragraphs and
        table optional). `item` is the export's agenda entry (a dict), `data` what
        `export_item` returned."""
        return []

    def deck_lines(self, item, data, initiative_id):
        """Lines of text for a group's final deck (tact 8) about one initiative, in the current
        locale: what this agenda item made of it (a focus, a stage of development); [] when
        nothing. `item` is the AgendaItem, `data` what `export_item` returned for it. The deck
        puts every item's lines, in program order, on one slide per initiative ("program")."""
        return []

    # -- optional: demo content (`flask --app wsgi demo --template NAME --filled`) -----------
    def demo_fill(self, item, demo):
        """Fill `item` (an AgendaItem of this kind, now the current item) with the demo's
        content through the services, as the people in the hall would; `demo` is
        facilitation.cli.DemoFiller (its docstring lists what it offers; `demo.content` is the
        template's demo YAML, `demo_<template>.yaml`). Return False when there is nothing to
        fill for this item: the demo then moves on. The default calls the service's demo_fill,
        or fills nothing."""
        fn = self._service("demo_fill")
        return fn(item, demo) if fn else False

    def fills_demo(self):
        """Whether the kind has demo content of its own to fill (its demo_fill or its
        service's)."""
        return type(self).demo_fill is not TactKind.demo_fill or bool(self._service("demo_fill"))

    # -- optional: live data without editing services/sync.py or realtime/events.py ----------
    def snapshot(self, actor, session):
        """What a (re)connecting client of `actor` may see of this kind's own data (plain data
        at `snapshot["tacts"][name]`), or None."""
        fn = self._service("snapshot")
        return fn(actor, session) if fn else None

    def actions(self):
        """Socket actions of this kind: {name: (function(actor, data) -> ack dict, limit)},
        limit None, "post" or "board"; reached through the event `tact {kind, action, ...}`."""
        return {}


class CardTextForm(Form):
    """The text of one card (trend or idea), as posted from a phone or a board."""

    text = TextAreaField(validators=[InputRequired(message=_l("Please write something: the text is empty.")),
                                     CleanText(300)], filters=[normalize])


def validate(form_class, data):
    """Run a WTForms form over a plain dict; return its data or raise Invalid."""
    if not isinstance(data, dict):
        raise Invalid()
    flat = MultiDict({k: v for k, v in data.items() if isinstance(v, (str, int, float))})
    try:
        form = form_class(formdata=flat)
        valid = form.validate()
    except (TypeError, ValueError):  # a number or a bool where a field parses text (a date)
        raise Invalid() from None
    if not valid:
        field, errors = next(iter(form.errors.items()))
        raise Invalid(errors[0], field=field)
    return form.data


class CardTact(TactKind):
    """A kind where participants post short text cards."""

    form_class = CardTextForm

    def card_form(self, data):
        return validate(self.form_class, data)


__all__ = ["CardTact", "CardTextForm", "FlaskForm", "StringField", "TactKind", "validate"]
