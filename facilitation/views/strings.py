"""Texts the browser scripts show, translated on the server and passed as JSON (no inline JS)."""
from flask_babel import lazy_gettext as _l

from . import (strings_board, strings_board_day2, strings_deck, strings_phone, strings_phone_day2,
               strings_projector, strings_projector_day2, strings_results, strings_suggest,
               strings_teams)

LANGUAGE_NAMES = {"ru": "Русский", "en": "English"}

STATE_NAMES = {
    "pending": _l("Next"),
    "active": _l("Now"),
    "done": _l("Done"),
}

ROLE_NAMES = {
    "organizer": _l("Organizer"),
    "chief_moderator": _l("Chief moderator"),
    "moderator": _l("Group moderator"),
    "expert": _l("Expert"),
}

JS_STRINGS = {
    "online": _l("Online"),
    "offline": _l("Offline: your posts wait on this phone and will be sent"),
    "connecting": _l("Connecting…"),
    "syncing": _l("Updating…"),
    "saved": _l("Saved"),
    "sending": _l("Sending…"),
    "not_saved": _l("Not saved"),
    "send": _l("Send"),
    "save": _l("Save"),
    "cancel": _l("Cancel"),
    "edit": _l("Edit"),
    "delete": _l("Delete"),
    "confirm_delete": _l("Delete this card?"),
    "merge": _l("Merge into…"),
    "merge_pick": _l("Click the card to merge into, or Cancel."),
    "reveal": _l("Reveal"),
    "hidden": _l("Hidden until revealed"),
    "my_posts": _l("My posts"),
    "all_posts": _l("Everyone's posts"),
    "no_posts": _l("Nothing here yet."),
    "closed": _l("Posting is closed now."),
    "locked": _l("Locked by the moderator"),
    "waiting": _l("The session has not started yet. Wait for the moderator."),
    "info_item": _l("Listen and watch the screen: nothing to post now."),
    "chars_left": _l("Characters left: {n}"),
    "too_long": _l("Too long"),
    "empty_text": _l("Please write something: the text is empty."),
    "removed": _l("The moderator has removed you from this session."),
    "start": _l("Start"),
    "pause": _l("Pause"),
    "advance": _l("Next item"),
    "undo": _l("Undo advance"),
    "lock": _l("Lock posts"),
    "unlock": _l("Unlock posts"),
    "hide": _l("Hide new posts"),
    "reveal_all": _l("Reveal all"),
    "min": _l("min"),
    "list_a": _l("List A"),
    "my_group": _l("My group"),
    "trends": _l("Trends"),
    "group": _l("Group"),
    "cards_n": _l("Cards: {n}"),
    "join_at": _l("Join at"),
    "code": _l("Code"),
    "overtime": _l("Overtime"),
    "paused": _l("Paused"),
    "current": _l("Now"),
    "done": _l("Done"),
    "pending": _l("Next"),
    "day": _l("Day"),
    "tact": _l("Tact"),
    "error": _l("Something went wrong; please try again."),
    "conflict": _l("Someone else changed this at the same moment; the screen shows the current state."),
    "show_join": _l("Join screen"),
    "show_wall": _l("List A wall"),
    "show_group": _l("Group board"),
    "show_timer": _l("Timer only"),
    "projector_shows": _l("The projector shows"),
    "retry": _l("Retry"),
    "board_of": _l("Board"),
    "from_group": _l("From this group"),
    "from_others": _l("From other groups"),
    "last_item": _l("This is the last item of the program."),
    # Moderator screens (console and group board)
    "mod_offline": _l("Offline: reconnecting…"),
    "not_sent": _l("No connection: nothing was changed. Try again when the connection is back."),
    "no_answer": _l("The server did not answer in time; check the screen and try again."),
    "start_program": _l("Start the program"),
    "posts_hidden": _l("New posts hidden"),
    "hidden_n": _l("Hidden: {n}"),
    "no_posts_item": _l("Nothing is posted in this item."),
    "on_screen": _l("On screen now"),
    "show_all_initiatives": _l("All initiatives in focus"),
    "planned": _l("planned"),
    "merge_pick_keys": _l("Click the card to merge into (or Tab to it and press Enter). Esc cancels."),
    "merge_text": _l("Text of the merged card"),
    "merge_source": _l("Merged into it:"),
    "merge_do": _l("Merge"),
    "merging": _l("Being merged"),
    "merge_here": _l("Merge into this card"),
    "edit_keys": _l("Ctrl+Enter saves, Esc cancels"),
    "edit_label": _l("Text of the card"),
    "post_keys": _l("Enter adds the card, Shift+Enter starts a new line"),
}

# Each view's texts for tacts 3–5 live in their own module.
JS_STRINGS.update(strings_phone.STRINGS)
JS_STRINGS.update(strings_board.STRINGS)
JS_STRINGS.update(strings_projector.STRINGS)
JS_STRINGS.update(strings_phone_day2.STRINGS)
JS_STRINGS.update(strings_board_day2.STRINGS)
JS_STRINGS.update(strings_projector_day2.STRINGS)
JS_STRINGS.update(strings_results.STRINGS)
JS_STRINGS.update(strings_teams.STRINGS)
JS_STRINGS.update(strings_deck.STRINGS)
JS_STRINGS.update(strings_suggest.STRINGS)


# A tact kind brings the texts of its own scripts (`js_strings` on its class, tacts/base.py).
def _kind_strings():
    from ..tacts import KINDS
    for kind in KINDS.values():
        JS_STRINGS.update(kind.js_strings)


_kind_strings()


_TRANSLATED = {}  # locale -> (the strings as plain text, the same as JSON for a page)


def _translated():
    from flask_babel import get_locale
    locale = str(get_locale())
    found = _TRANSLATED.get(locale)
    if found is None:
        from markupsafe import Markup
        strings = {key: str(value) for key, value in JS_STRINGS.items()}
        # Translated once per language and process: every page carries them, and translating
        # a thousand lazy strings per page was a fifth of a phone's join (bench S4).
        found = _TRANSLATED[locale] = (strings, Markup(htmlsafe_json(strings)))
    return found


def htmlsafe_json(value):
    """JSON safe inside a <script> element, as Jinja's `tojson` filter writes it."""
    from jinja2.utils import htmlsafe_json_dumps
    import json
    return htmlsafe_json_dumps(value, dumps=json.dumps, ensure_ascii=False)


def js_strings():
    """The strings as plain text in the current language (one shared dict: do not change it)."""
    return _translated()[0]


def js_strings_json():
    """The strings of js_strings() as JSON for the page's <script type="application/json">."""
    return _translated()[1]
