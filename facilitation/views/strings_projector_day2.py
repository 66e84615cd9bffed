"""Texts of the projector scripts for tacts 6–7 (merged into JS_STRINGS by strings.py)."""
from flask_babel import lazy_gettext as _l

STRINGS = {
}
