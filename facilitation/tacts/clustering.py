"""`clustering` (tact 3): each group takes ideas of List A that fit its subject frame, clusters
them into initiatives and stakes chips on them; the ranked result is the group's List B.

The services are in `services/initiatives.py`; this module declares the kind and its forms.
"""
from flask_babel import lazy_gettext as _l
from wtforms import Form, StringField
from wtforms.validators import InputRequired

from ..services.text import CleanText, normalize
from .base import TactKind


class InitiativeForm(Form):
    """The name of an initiative (a cluster of ideas)."""

    name = StringField(validators=[InputRequired(message=_l("Give the initiative a name.")),
                                   CleanText(120, multiline=False)], filters=[normalize])


class ClusteringKind(TactKind):
    name = "clustering"
    label = _l("Clustering and stakes: List B")

    def client_info(self):
        return {**super().client_info(), "board": "initiatives"}
