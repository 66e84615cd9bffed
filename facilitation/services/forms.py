"""The WTForms forms of the domain. Views render them (with CSRF); services validate with them."""
from functools import lru_cache
from zoneinfo import available_timezones

from babel import support
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm as _FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (BooleanField, DateField, HiddenField, IntegerField, PasswordField,
                     SelectField, SelectMultipleField, StringField, TextAreaField, TimeField)
from wtforms.validators import (DataRequired, Email, InputRequired, Length, NumberRange,
                                Optional, ValidationError)

from .text import CleanText, normalize


@lru_cache(maxsize=8)
def _wtforms_translations(locale):
    from wtforms.i18n import messages_path
    return support.Translations.load(messages_path(), [locale], domain="wtforms")


class FlaskForm(_FlaskForm):
    """Flask-WTF's form with WTForms' own messages read once per language: Flask-WTF loads
    and parses the .mo file again on every request (a tenth of a phone's join)."""

    class Meta:
        def get_translations(self, form):
            return _wtforms_translations(str(get_locale() or "ru"))


TIMEZONES = sorted(tz for tz in available_timezones() if "/" in tz and not tz.startswith("Etc/"))


class SessionForm(FlaskForm):
    title = StringField(_l("Title"), filters=[normalize],
                        validators=[InputRequired(_l("Please give the session a title.")),
                                    CleanText(200, multiline=False)])
    starts_on = DateField(_l("First day"), validators=[DataRequired(_l("Please give a date."))])
    ends_on = DateField(_l("Last day"), validators=[DataRequired(_l("Please give a date."))])
    timezone = SelectField(_l("Time zone"), choices=[(tz, tz) for tz in TIMEZONES],
                           default="Europe/Moscow")
    group_assignment = SelectField(
        _l("Groups"), default="choose",
        choices=[("choose", _l("Participants choose their group")),
                 ("assign", _l("Assign participants to groups evenly"))])

    def validate_ends_on(self, field):
        if self.starts_on.data and field.data and field.data < self.starts_on.data:
            raise ValidationError(_l("The last day cannot be before the first day."))


class NewSessionForm(SessionForm):
    # Left empty, the last day follows from the program's number of days.
    ends_on = DateField(_l("Last day"), validators=[Optional()])
    template = SelectField(_l("Program"), choices=[], default="strategic_session")
    language = SelectField(_l("Language of the program"), default="ru",
                           choices=[("ru", "Русский"), ("en", "English")])


class GroupForm(FlaskForm):
    name = StringField(_l("Group name"), filters=[normalize],
                       validators=[InputRequired(_l("Please name the group.")),
                                   CleanText(80, multiline=False)])
    subject_frame = TextAreaField(_l("Subject frame"), filters=[normalize],
                                  validators=[Optional(), Length(max=500)])
    moderator_ids = HiddenField()


class TeamForm(FlaskForm):
    name = StringField(_l("Team name"), filters=[normalize],
                       validators=[InputRequired(_l("Please name the team.")),
                                   CleanText(80, multiline=False)])


class TeamPageForm(FlaskForm):
    """The teams page: a team's name (its first initiative's when left empty) and initiatives."""
    name = StringField(_l("Team name"), filters=[normalize],
                       validators=[Optional(), CleanText(80, multiline=False)])
    initiative_ids = SelectMultipleField(
        _l("Initiatives"), coerce=int, choices=[],
        validators=[InputRequired(_l("Choose at least one initiative for the team."))])


class ExportForm(FlaskForm):
    """What to download from the organizer's outcomes panel (a GET form: no CSRF)."""
    fmt = SelectField(_l("Format"), choices=[])
    group = SelectField(_l("What"), coerce=int, choices=[])


class ImportSessionForm(FlaskForm):
    """The organizer's upload of a session's JSON export (services/imports.py reads it)."""
    file = FileField(_l("Session file (JSON)"), validators=[
        FileRequired(_l("Please choose a file.")),
        FileAllowed(["json"], _l("Please choose a .json file exported from Takt."))])


class MoveForm(FlaskForm):
    """Move one participant into a group or team (the chief moderator)."""
    participant_id = IntegerField(validators=[InputRequired()])
    group_id = SelectField(_l("Move to"), coerce=int, choices=[])


class AgendaItemForm(FlaskForm):
    title = StringField(_l("Title"), filters=[normalize],
                        validators=[InputRequired(_l("Please give the item a title.")),
                                    CleanText(200, multiline=False)])
    instructions = TextAreaField(_l("Instructions"), filters=[normalize],
                                 validators=[Optional(), Length(max=2000)])
    day = IntegerField(_l("Day"), validators=[InputRequired(), NumberRange(1, 14)])
    start_time = TimeField(_l("Start"), validators=[InputRequired(_l("Please give a time."))])
    duration_min = IntegerField(_l("Minutes"), validators=[
        InputRequired(), NumberRange(1, 24 * 60, _l("Between 1 and 1440 minutes."))])


class InviteForm(FlaskForm):
    role = SelectField(_l("Role"), choices=[("moderator", _l("Group moderator")),
                                            ("chief_moderator", _l("Chief moderator")),
                                            ("expert", _l("Expert"))])
    group_id = SelectField(_l("Group"), coerce=int, choices=[], validate_choice=False)


class JoinCodeForm(FlaskForm):
    code = StringField(_l("Join code"), validators=[InputRequired(_l("Please enter the code."))])


class JoinForm(FlaskForm):
    display_name = StringField(_l("Your name"), filters=[normalize],
                               validators=[InputRequired(_l("Please tell us your name.")),
                                           CleanText(40, multiline=False)])
    group_id = SelectField(_l("Your group"), coerce=int, choices=[], validate_choice=False)
    client_id = HiddenField()


class LoginForm(FlaskForm):
    email = StringField(_l("E-mail"), filters=[normalize],
                        validators=[InputRequired(_l("Please enter your e-mail.")),
                                    Email(_l("This does not look like an e-mail."))])
    password = PasswordField(_l("Password"), validators=[InputRequired(_l("Please enter the password."))])
    remember = BooleanField(_l("Remember me"))


class SignupForm(FlaskForm):
    display_name = StringField(_l("Your name"), filters=[normalize],
                               validators=[InputRequired(_l("Please tell us your name.")),
                                           CleanText(80, multiline=False)])
    email = StringField(_l("E-mail"), filters=[normalize],
                        validators=[InputRequired(_l("Please enter your e-mail.")),
                                    Email(_l("This does not look like an e-mail."))])
    password = PasswordField(_l("Password"), validators=[
        InputRequired(), Length(min=8, message=_l("At least 8 characters."))])


def check(form_class, data):
    """Validate plain data with a domain form (no CSRF); return its data or raise Invalid."""
    from werkzeug.datastructures import MultiDict

    from .errors import Invalid
    form = form_class(formdata=MultiDict(data), meta={"csrf": False})
    if not form.validate():
        field, errors = next(iter(form.errors.items()))
        raise Invalid(errors[0], field=field)
    return form
