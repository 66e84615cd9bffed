"""`resources` (tact 5): the resource balance of each initiative — flows of a resource between
stakeholders and the initiative, each given, spent or gained; one-sided stakeholders are
flagged. Services: `services/stakeholders.py`."""
from flask_babel import lazy_gettext as _l
from wtforms import Form, SelectField, StringField
from wtforms.validators import Optional

from ..models.board import FLOW_MARKS, RESOURCES
from ..services.text import CleanText, normalize
from .base import TactKind

RESOURCE_LABELS = {
    "money": _l("Money"),
    "premises": _l("Premises"),
    "people": _l("People"),
    "expertise": _l("Expertise"),
    "equipment": _l("Equipment"),
    "information": _l("Information"),
    "media": _l("Media reach"),
    "legitimacy": _l("Legitimacy"),
    "time": _l("Time"),
    "other": _l("Other"),
}
MARK_LABELS = {"given": _l("given"), "spent": _l("spent"), "gained": _l("gained")}


class FlowForm(Form):
    resource = SelectField(choices=[(r, r) for r in RESOURCES], validate_choice=True)
    resource_text = StringField(validators=[Optional(), CleanText(120, multiline=False)],
                                filters=[normalize])
    mark = SelectField(choices=[(m, m) for m in FLOW_MARKS], validate_choice=True)


class ResourcesKind(TactKind):
    name = "resources"
    label = _l("Resource balance")

    def client_info(self):
        return {**super().client_info(), "board": "resources"}
