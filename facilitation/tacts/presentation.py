"""`presentation` (end of day 1): the chief moderator steps through the groups on the
projector, each with its List B, stakeholder map and resource balance, a timer per group."""
from flask_babel import lazy_gettext as _l

from .base import TactKind


class PresentationKind(TactKind):
    name = "presentation"
    label = _l("Presentation of the groups' results")

    def client_info(self):
        return {**super().client_info(), "board": "presentation"}
