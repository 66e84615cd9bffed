"""Room names. The server puts each connection in rooms from the database, never from the client."""


def session_room(session_id):
    """Everyone in the session: participants, staff, projectors."""
    return f"s{session_id}"


def group_room(group_id):
    """The participants and moderators of one group."""
    return f"g{group_id}"


def group_participants_room(group_id):
    """Only the participants of one group (what moderators must not get a masked copy of)."""
    return f"gp{group_id}"


def group_moderators_room(group_id):
    """The moderators of one group, with the chief moderator and organizers (hidden posts)."""
    return f"gm{group_id}"


def moderators_room(session_id):
    """Every moderator and organizer of the session (they see hidden posts)."""
    return f"m{session_id}"


def projector_room(session_id):
    """The projector screens of the session (they see every group's revealed board)."""
    return f"p{session_id}"


def participant_room(participant_id):
    """One participant's own devices (a phone and its reloads share the identity)."""
    return f"u{participant_id}"
