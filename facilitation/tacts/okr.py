"""`okr` (tact 7): objectives of each initiative with measurable key results — a metric, a
baseline where known, a numeric target with a unit, a deadline and an owner.
Services: `services/objectives.py`."""
import re

from flask_babel import lazy_gettext as _l
from wtforms import DateField, FloatField, Form, StringField, TextAreaField
from wtforms.validators import InputRequired, Optional

from ..services.text import CleanText, normalize
from .base import TactKind

# Wording that promises a direction but no figure: a key result needs a number to be checked.
VAGUE = re.compile(r"(улучш|повыс|увелич|расшир|развив|развит|укреп|сниз|уменьш|оптимиз|"
                   r"активиз|improv|increas|enhanc|boost|reduc|strengthen|develop|grow)",
                   re.IGNORECASE)


def is_vague(metric):
    """A metric that says "improve" or "raise" and holds no figure at all."""
    return bool(VAGUE.search(metric)) and not re.search(r"\d", metric)


class ObjectiveForm(Form):
    text = TextAreaField(validators=[InputRequired(message=_l("Write the objective.")),
                                     CleanText(300)], filters=[normalize])


class KeyResultForm(Form):
    metric = StringField(validators=[
        InputRequired(message=_l("Name what is measured, e.g. “pupils at eco-lessons”.")),
        CleanText(200, multiline=False)], filters=[normalize])
    baseline = FloatField(validators=[Optional()])
    target = FloatField(validators=[InputRequired(message=_l(
        "A key result needs a target number, e.g. 120."))])
    unit = StringField(validators=[Optional(), CleanText(40, multiline=False)], filters=[normalize])
    deadline = DateField(format="%Y-%m-%d", validators=[InputRequired(message=_l(
        "A key result needs a deadline, e.g. 2027-06-30."))])


class OkrKind(TactKind):
    name = "okr"
    label = _l("Objectives and key results")

    def client_info(self):
        return {**super().client_info(), "board": "okr"}
