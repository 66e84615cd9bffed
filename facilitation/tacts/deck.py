"""`deck` (tact 8): each group's final presentation, assembled from everything above by a
template, edited by the group slide by slide, and presented on the projector in the expert
session. Services: `services/decks.py`."""
from flask_babel import lazy_gettext as _l
from wtforms import Form, StringField, TextAreaField
from wtforms.validators import Optional

from ..models.deck import BODY_MAX, TITLE_MAX
from ..services.text import CleanText, normalize
from .base import TactKind


class SlideForm(Form):
    """A slide's text as the group edits it: a title (one line) and a body (may be empty)."""

    title = StringField(validators=[CleanText(TITLE_MAX, multiline=False)], filters=[normalize])
    body = TextAreaField(validators=[Optional(), CleanText(BODY_MAX)], filters=[normalize])


class DeckKind(TactKind):
    name = "deck"
    label = _l("Final presentation")

    def client_info(self):
        return {**super().client_info(), "board": "deck"}
