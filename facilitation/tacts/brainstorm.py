"""`brainstorm` (tact 2): everyone adds project initiatives to one shared List A."""
from flask_babel import lazy_gettext as _l

from ..models import Idea
from .base import CardTact


class BrainstormKind(CardTact):
    name = "brainstorm"
    label = _l("Brainstorm: List A")
    card_model = Idea
    post_scope = "plenary"
    post_label = _l("Your project initiative for List A")
    post_example = _l("For example: battery collection points in schools")
