"""Texts of the projector scripts for tacts 6–7 (merged into JS_STRINGS by strings.py).

The status and need names repeat the phone's English words, so they share one translation
("Fulfilled", not "Done": that is an agenda item's state).
"""
from flask_babel import lazy_gettext as _l

STRINGS = {
    # Statuses of a request (the legend; the symbol beside each is in projector_day2.js)
    "pj6_status_new": _l("New"),
    "pj6_status_discussing": _l("Discussing"),
    "pj6_status_accepted": _l("Accepted"),
    "pj6_status_declined": _l("Declined"),
    "pj6_status_done": _l("Fulfilled"),
    # What a request asks for
    "pj6_need_resource": _l("Resource"),
    "pj6_need_action": _l("Action"),
    "pj6_need_expertise": _l("Expertise"),
    "pj6_need_other": _l("Other"),
    # Tact 6: the matrix of the hall
    "pj6_matrix_title": _l("Requests between groups"),
    "pj6_matrix_hint": _l("Rows send, columns receive"),
    "pj6_from": _l("From ↓"),
    "pj6_to": _l("To →"),
    "pj6_requests_n": _l("Requests: {n}"),
    "pj6_more_n": _l("+{n}"),
    # Tact 6: one group's requests
    "pj6_requests_title": _l("Requests"),
    "pj6_incoming": _l("Incoming"),
    "pj6_sent": _l("Sent"),
    "pj6_no_incoming": _l("No requests to this group yet"),
    "pj6_no_sent": _l("This group has sent no requests yet"),
    "pj6_more_requests": _l("+{n} more requests"),
    "pj6_solutions_n": _l("solutions: {n}"),
    # Tact 7: objectives and key results
    "pj6_objectives_n": _l("Objectives: {n}"),
    "pj6_key_results_n": _l("Key results: {n}"),
    "pj6_no_objectives": _l("No objectives yet"),
    "pj6_no_key_results": _l("No key results yet"),
    "pj6_more_objectives": _l("+{n} more objectives"),
    "pj6_more_key_results": _l("+{n} more key results"),
    "pj6_by": _l("by"),
}
