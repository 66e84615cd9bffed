"""Texts of the projector scripts for tacts 3–5 (merged into JS_STRINGS by strings.py).

The pj_type_*, pj_res_*, pj_mark_* and pj_flag_* keys also label the drawings of
static/js/tacts/svg.js, which the moderator's group board shares.
"""
from flask_babel import lazy_gettext as _l

STRINGS = {
    # Stakeholder types
    "pj_type_public_body": _l("Public body"),
    "pj_type_ngo": _l("NGO"),
    "pj_type_business": _l("Business"),
    "pj_type_community": _l("Community"),
    "pj_type_media": _l("Media"),
    "pj_type_person": _l("Person"),
    "pj_type_other": _l("Other"),
    # Resources
    "pj_res_money": _l("Money"),
    "pj_res_premises": _l("Premises"),
    "pj_res_people": _l("People"),
    "pj_res_expertise": _l("Expertise"),
    "pj_res_equipment": _l("Equipment"),
    "pj_res_information": _l("Information"),
    "pj_res_media": _l("Media coverage"),
    "pj_res_legitimacy": _l("Legitimacy"),
    "pj_res_time": _l("Time"),
    "pj_res_other": _l("Other resource"),
    # Marks of a flow and flags of the balance
    "pj_mark_given": _l("gives"),
    "pj_mark_spent": _l("spends"),
    "pj_mark_gained": _l("gains"),
    "pj_flag_only_gives": _l("only gives, gains nothing"),
    "pj_flag_only_gains": _l("only gains, gives nothing"),
    "pj_values_more": _l("+{n}"),
    # Projector views
    "pj_list_b": _l("List B"),
    "pj_pool": _l("Not in an initiative yet"),
    "pj_no_initiatives": _l("No initiatives yet: the group is choosing ideas from List A."),
    "pj_ideas_n": _l("Ideas: {n}"),
    "pj_initiatives_n": _l("Initiatives: {n}"),
    "pj_totals_hidden": _l("Stakes are hidden until the moderator reveals them"),
    "pj_list_b_locked": _l("List B is final"),
    "pj_more_initiatives": _l("+{n} more in List B"),
    "pj_no_stakeholders": _l("No stakeholders yet"),
    "pj_no_flows": _l("No resource flows yet"),
    "pj_flagged": _l("Out of balance"),
    "pj_all_balanced": _l("Every side both gives and gains"),
    "pj_stakeholders": _l("Stakeholders and values"),
    "pj_balance": _l("Resource balance"),
    "pj_presenting": _l("Presenting"),
    "pj_no_group": _l("Choose a group on the console."),
    # Chief console
    "pj_present_group": _l("Present"),
    "pj_present_title": _l("Presentation: put a group on the screen and restart its time"),
    "pj_show_present": _l("Presentation"),
}
