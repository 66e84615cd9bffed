"""Texts of the day-two teams (regrouping) on the phone, the board and the projector (merged
into JS_STRINGS by strings.py)."""
from flask_babel import lazy_gettext as _l

STRINGS = {
    "tm_forming": _l("The moderators are forming the day-two teams around the initiatives. "
                     "Wait a moment: the list appears here."),
    "tm_preview": _l("These teams are being formed. The choice opens in a moment."),
    "tm_choose": _l("Choose your team for day two"),
    "tm_choose_hint": _l("Pick the initiative you want to work on. Your day-one work stays "
                         "with your group."),
    "tm_yours": _l("Your team: «{name}»"),
    "tm_change": _l("Changed your mind? You can switch while the moderator keeps the choice open."),
    "tm_join_team": _l("Join this team"),
    "tm_joined": _l("You are here"),
    "tm_joining": _l("Joining…"),
    "tm_from_group": _l("from «{group}»"),
    "tm_members_n": _l("{n} people"),
    "tm_waiting_n": _l("Without a team: {n}"),
    "tm_closed": _l("The choice is closed. If you are in the wrong team, tell the moderator."),
    "tm_no_teams": _l("No new teams: the groups go on as they are today."),
    "tm_title": _l("Day-two teams"),
    "tm_team_label": _l("Team"),
    "my_group_label": _l("Group"),
    "tm_join_on_phone": _l("Choose your team on your phone"),
}
