"""`info`: a keynote, a break or any item where the room listens: title, text and a timer."""
from flask_babel import lazy_gettext as _l

from .base import TactKind


class InfoKind(TactKind):
    name = "info"
    label = _l("Information")
