"""The base of tact kinds: what a kind accepts, how it shows and how it summarizes.

A kind never sees the Flask request or a socket: it gets plain data and returns plain data.
"""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import Form, StringField, TextAreaField
from wtforms.validators import InputRequired

from ..services.errors import Invalid
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

    @property
    def accepts_posts(self):
        return self.card_model is not None

    def client_info(self):
        """What clients need to know of this kind to show an item of it (plain data)."""
        return {"accepts_posts": self.accepts_posts, "post_scope": self.post_scope,
                "card_kind": self.card_model.__name__.lower() if self.card_model else None,
                "post_label": str(self.post_label or ""), "post_example": str(self.post_example or "")}

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
