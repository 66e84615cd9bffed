"""Plain-data views of rows, as sent in events, snapshots and the JSON export."""
from datetime import timezone

from .clock import timer_state


def iso(dt):
    """ISO 8601 in UTC with a Z, or None."""
    return dt.replace(tzinfo=timezone.utc).isoformat().replace("+00:00", "Z") if dt else None


def card(c, kind):
    """A trend or an idea as clients see it. `visible` says whether others can see it."""
    return {
        "kind": kind,
        "id": c.id,
        "client_id": c.client_id,
        "item_id": c.item_id,
        "group_id": c.group_id,
        "text": c.text,
        "author": c.author_name,
        "participant_id": c.participant_id,
        "rev": c.rev,
        "revealed": bool(c.revealed),
        "deleted": c.deleted_at is not None,
        "merged_into": c.merged_into_id,
        "created_at": iso(c.created_at),
        "updated_at": iso(c.updated_at),
    }


def item(i):
    """An agenda item with its timer and what its tact kind accepts."""
    from ..tacts import get_kind
    return {
        "id": i.id,
        "position": i.position,
        "day": i.day,
        "kind": i.kind,
        "tact": i.tact,
        "scope": i.scope,
        "title": i.title,
        "instructions": i.instructions,
        "start_time": i.start_time.strftime("%H:%M"),
        "duration_min": i.duration_min,
        "state": i.state,
        "locked": i.locked,
        "hidden": i.hidden,
        "timer": timer_state(i),
        **get_kind(i.kind).client_info(),
    }


def group(g):
    return {"id": g.id, "name": g.name, "subject_frame": g.subject_frame, "position": g.position}


def participant(p):
    return {"id": p.id, "display_name": p.display_name, "group_id": p.group_id,
            "joined_at": iso(p.joined_at), "removed": p.removed_at is not None}
