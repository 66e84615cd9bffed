"""`stakeholders` (tact 4): for each initiative of List B's top, who could take part in it and
the values on which each of them decides to. Services: `services/stakeholders.py`."""
from flask_babel import lazy_gettext as _l
from wtforms import Form, SelectField, StringField
from wtforms.validators import InputRequired, Optional

from ..models.board import STAKEHOLDER_TYPES
from ..services.text import CleanText, normalize
from .base import TactKind

TYPE_LABELS = {
    "public_body": _l("Public body"),
    "ngo": _l("NGO"),
    "business": _l("Business"),
    "community": _l("Community"),
    "media": _l("Media"),
    "person": _l("Person"),
    "other": _l("Other"),
}


class StakeholderForm(Form):
    name = StringField(validators=[InputRequired(message=_l("Name the stakeholder.")),
                                   CleanText(120, multiline=False)], filters=[normalize])
    type = SelectField(choices=[(t, t) for t in STAKEHOLDER_TYPES], default="other",
                       validate_choice=True)


class StakeholderEditForm(Form):
    """An edit names only what changes; each field is checked when present."""

    name = StringField(validators=[Optional(), CleanText(120, multiline=False)],
                       filters=[normalize])
    type = SelectField(choices=[(t, t) for t in STAKEHOLDER_TYPES], validate_choice=False)


class ValueForm(Form):
    text = StringField(validators=[InputRequired(message=_l("Write the value.")),
                                   CleanText(200, multiline=False)], filters=[normalize])


class StakeholdersKind(TactKind):
    name = "stakeholders"
    label = _l("Stakeholders and values")

    def client_info(self):
        return {**super().client_info(), "board": "stakeholders"}
