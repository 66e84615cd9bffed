"""Join codes and tokens: short codes people can read off a screen, signed participant tokens."""
import secrets

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

# No look-alikes: no 0/O/Q/D, 1/I/L, 2/Z, 5/S, 8/B, U/V.
JOIN_ALPHABET = "ACEFGHJKMNPRTWXY34679"
PARTICIPANT_SALT = "takt.participant"
PROJECTOR_SALT = "takt.projector"


def new_join_code(length=None):
    """A random join code (21^6 ≈ 86 million codes of 6 characters)."""
    length = length or current_app.config["JOIN_CODE_LENGTH"]
    return "".join(secrets.choice(JOIN_ALPHABET) for _ in range(length))


def normalize_code(raw):
    """Read a typed code leniently: case, spaces and dashes do not matter."""
    return "".join(ch for ch in str(raw or "").upper() if ch.isalnum())[:12]


def _serializer(salt):
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=salt)


def participant_token(participant):
    """A signed token naming a participant and their session (kept in a cookie)."""
    return _serializer(PARTICIPANT_SALT).dumps({"p": participant.id, "s": participant.session_id})


def read_participant_token(token):
    """Return (participant_id, session_id) from a token, or None when it is not ours."""
    try:
        data = _serializer(PARTICIPANT_SALT).loads(token or "")
        return int(data["p"]), int(data["s"])
    except (BadSignature, KeyError, TypeError, ValueError):
        return None
