"""Texts of the expert session's results: the projector's table (static/js/tacts/projector_results.js)
and the chief console's results panel and buttons (merged into JS_STRINGS by strings.py).
"""
from flask_babel import lazy_gettext as _l

STRINGS = {
    # The projector's mode button and the console's "On screen now" label
    "rs_show_results": _l("Results"),
    # The projector's table
    "rs_title": _l("Results of the expert assessment"),
    "rs_scale": _l("Average of the experts' scores, from 1 to 5"),
    "rs_place": _l("Place"),
    "rs_group": _l("Group"),
    "rs_total": _l("Total"),
    "rs_experts_n": _l("Experts: {n}"),
    "rs_more_groups": _l("+{n} more groups"),
    "rs_hidden_title": _l("The results are not revealed yet"),
    "rs_hidden_hint": _l("The experts' scores will appear here when the chief moderator reveals them."),
    "rs_no_scores": _l("No expert has scored yet."),
    "rs_no_criteria": _l("The session has no criteria to score."),
    # The chief console's results panel
    "rs_panel_title": _l("Expert results"),
    "rs_reveal": _l("Reveal expert results"),
    "rs_hide": _l("Hide results"),
    "rs_state_hidden": _l("Hidden from the groups"),
    "rs_state_revealed": _l("Revealed to everyone"),
    "rs_scored_n": _l("Scored: {n} of {m} groups"),
    "rs_not_scored": _l("Not scored"),
}
