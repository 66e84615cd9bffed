"""Texts of the suggestions panel on the group moderator's board and the chief moderator's
console (static/js/suggestions.js)."""
from flask_babel import lazy_gettext as _l

STRINGS = {
    "sg_title": _l("Suggestions"),
    "sg_ask": _l("Suggest duplicates and clusters"),
    "sg_ask_again": _l("Suggest again"),
    "sg_asking": _l("Looking for suggestions…"),
    "sg_note": _l("Proposals computed on this server, offline. Nothing changes until you accept one."),
    "sg_found": _l("Proposals: {n} (ideas looked at: {total})."),
    "sg_none": _l("Nothing to propose: no ideas close enough (ideas looked at: {total})."),
    "sg_dup": _l("Near-duplicates: merge into one card"),
    "sg_create": _l("New initiative from these ideas"),
    "sg_move": _l("Add to the initiative «{name}»"),
    "sg_name": _l("Name of the initiative"),
    "sg_accept": _l("Accept"),
    "sg_accept_merge": _l("Merge"),
    "sg_dismiss": _l("Dismiss"),
    "sg_drop": _l("Leave «{text}» out of this proposal"),
    "sg_done": _l("Done: the board shows the change."),
    # The console (tact 2): duplicates in the whole List A.
    "sg_ask_dups": _l("Suggest duplicates in List A"),
    "sg_note_list_a": _l("Near-duplicate ideas of the whole List A, computed on this server, "
                         "offline. Nothing changes until you accept one."),
}
