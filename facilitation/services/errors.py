"""Domain exceptions: every refusal a user can meet, with a message in their language."""
from flask_babel import lazy_gettext as _l


class DomainError(Exception):
    """Base of every refusal; `message` is shown to the user as it is."""

    code = "error"
    default = _l("The request could not be carried out.")

    def __init__(self, message=None, field=None):
        super().__init__(message or self.default)
        self.message = message or self.default
        self.field = field

    def as_ack(self):
        """The ack a socket client gets for this refusal."""
        ack = {"ok": False, "error": str(self.message), "code": self.code}
        if self.field:
            ack["field"] = self.field
        return ack


class NotAllowed(DomainError):
    code = "forbidden"
    default = _l("You are not allowed to do this.")


class NotFound(DomainError):
    code = "not_found"
    default = _l("Not found.")


class Invalid(DomainError):
    code = "invalid"
    default = _l("Please check what you entered.")


class Conflict(DomainError):
    code = "conflict"
    default = _l("Someone else changed this at the same moment; the screen shows the current state.")


class Closed(DomainError):
    code = "closed"
    default = _l("This tact is not open for posts now.")
