"""`regrouping` (start of day two): the chief moderator forms teams around initiatives chosen
from the groups' List B (the teams page); participants pick a team on their phones or are
assigned where their stakes lie. Services: `services/teams.py`."""
from flask_babel import lazy_gettext as _l

from .base import TactKind


class RegroupingKind(TactKind):
    name = "regrouping"
    label = _l("Forming the day-two teams")

    def client_info(self):
        return {**super().client_info(), "board": "regrouping"}
