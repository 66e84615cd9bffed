"""Cleaning and checking of user text: what may be stored, and the message when it may not."""
import unicodedata

from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError

# Invisible characters with no place in a card. ZWJ/ZWNJ (U+200D, U+200C) stay: emoji
# sequences and some scripts need them.
INVISIBLE = {"\u200b", "\u2060", "\ufeff", "\u180e"}
# Bidirectional overrides can make a card read differently on screen than it is stored.
BIDI = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}


def normalize(text):
    """NFC-normalize, unify line ends and strip surrounding whitespace."""
    if text is None:
        return ""
    text = unicodedata.normalize("NFC", str(text)).replace("\r\n", "\n").replace("\r", "\n")
    return text.strip()


def problem(text, max_length, multiline=True):
    """Return the message for what is wrong with already-normalized text, or None."""
    if not text or not text.strip("".join(INVISIBLE) + " \n\t\u200c\u200d"):
        return _l("Please write something: the text is empty.")
    if len(text) > max_length:
        return _l("The text is too long: %(length)d characters, at most %(max)d.",
                  length=len(text), max=max_length)
    for ch in text:
        if ch in INVISIBLE or ch in BIDI:
            return _l("The text contains invisible characters; please retype it.")
        if unicodedata.category(ch) == "Cc" and not (multiline and ch in "\n\t"):
            return _l("The text contains control characters; please retype it.")
    if "\ufffd" in text:
        return _l("The text contains characters that could not be read.")
    return None


class CleanText:
    """WTForms validator (and filter partner of `normalize`) for any free text field."""

    def __init__(self, max_length, multiline=True):
        self.max_length = max_length
        self.multiline = multiline

    def __call__(self, form, field):
        message = problem(field.data or "", self.max_length, self.multiline)
        if message:
            raise ValidationError(str(message))
