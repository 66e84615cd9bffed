"""`experts` (the expert session): groups present, experts score each presentation on the
organizer's criteria, 1–5 with a comment. Services: `services/experts.py`; the experts' page:
`views/expert.py`."""
from flask_babel import lazy_gettext as _l
from wtforms import Form, RadioField, StringField, TextAreaField
from wtforms.validators import InputRequired, Optional

from ..services.text import CleanText, normalize
from ..services.forms import FlaskForm
from .base import TactKind


def score_form(criteria):
    """A Flask-WTF form for one group: a 1–5 choice and a comment per criterion."""
    fields = {}
    for c in criteria:
        # Optional() lets whitespace through unchecked: strip it so it reads as no score.
        fields[f"c{c.id}"] = RadioField(c.name, choices=[(str(n), str(n)) for n in range(1, 6)],
                                        validators=[Optional()], filters=[_strip])
        fields[f"comment{c.id}"] = TextAreaField(validators=[Optional(), CleanText(500)],
                                                 filters=[normalize])
    return type("ScoreForm", (FlaskForm,), fields)


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class CriteriaForm(Form):
    """The organizer's criteria, one per line."""

    names = TextAreaField(validators=[InputRequired(message=_l("Write at least one criterion.")),
                                      CleanText(1000)], filters=[normalize])


class CriteriaPageForm(FlaskForm):
    """The organizer page's form (with CSRF); the service checks the names again."""

    names = TextAreaField(validators=[InputRequired(message=_l("Write at least one criterion."))],
                          filters=[normalize])


class CriterionName(Form):
    name = StringField(validators=[InputRequired(), CleanText(80, multiline=False)],
                       filters=[normalize])


class ExpertsKind(TactKind):
    name = "experts"
    label = _l("Expert session")

    def client_info(self):
        return {**super().client_info(), "board": "experts"}
