"""`requests` (tact 6): groups ask each other for what their initiatives need and answer with
proposed solutions; each request has a status both sides see. Services: `services/requests.py`."""
from flask_babel import lazy_gettext as _l
from wtforms import Form, SelectField, TextAreaField
from wtforms.validators import InputRequired

from ..models.day2 import NEEDS, REQUEST_STATUSES
from ..services.text import CleanText, normalize
from .base import TactKind

class RequestForm(Form):
    need = SelectField(choices=[(n, n) for n in NEEDS], validate_choice=True)
    text = TextAreaField(validators=[InputRequired(message=_l("Write what your group needs.")),
                                     CleanText(500)], filters=[normalize])


class SolutionForm(Form):
    text = TextAreaField(validators=[InputRequired(message=_l("Write the solution you propose.")),
                                     CleanText(500)], filters=[normalize])


class StatusForm(Form):
    status = SelectField(choices=[(s, s) for s in REQUEST_STATUSES], validate_choice=True)


class RequestsKind(TactKind):
    name = "requests"
    label = _l("Requests and solutions")

    def client_info(self):
        return {**super().client_info(), "board": "requests"}
