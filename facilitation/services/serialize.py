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
    return {"id": g.id, "name": g.name, "subject_frame": g.subject_frame, "position": g.position,
            "stage": g.stage or 1}


def participant(p):
    return {"id": p.id, "display_name": p.display_name, "group_id": p.group_id,
            "joined_at": iso(p.joined_at), "removed": p.removed_at is not None}


# -- tacts 3–5 (docs/PROTOCOL.md, "Tacts 3–5") -----------------------------------------------
def board(b):
    """A group's settings in one tact item."""
    return {"item_id": b.item_id, "group_id": b.group_id, "budget": b.budget,
            "staking": b.staking, "totals_revealed": b.totals_revealed,
            "list_b_locked": b.list_b_locked, "participants_cluster": b.participants_cluster,
            "top_n": b.top_n, "rev": b.rev}


def selection(s):
    """An idea of List A taken by a group (initiative_id None: in the group's pool)."""
    return {"id": s.id, "group_id": s.group_id, "idea_id": s.idea_id,
            "initiative_id": s.initiative_id, "position": s.position, "rev": s.rev,
            "deleted": s.deleted_at is not None}


def initiative(i):
    return {"id": i.id, "client_id": i.client_id, "group_id": i.group_id, "item_id": i.item_id,
            "name": i.name, "position": i.position, "rev": i.rev,
            "team_group_id": i.team_group_id, "deleted": i.deleted_at is not None, "merged_into": i.merged_into_id,
            "created_at": iso(i.created_at), "updated_at": iso(i.updated_at)}


def stakeholder(s, values):
    """A stakeholder with its live values (passed in: they are separate rows)."""
    return {"id": s.id, "client_id": s.client_id, "group_id": s.group_id,
            "initiative_id": s.initiative_id, "item_id": s.item_id, "name": s.name,
            "type": s.type, "author": s.author_name, "participant_id": s.participant_id,
            "values": [{"id": v.id, "client_id": v.client_id, "text": v.text,
                        "participant_id": v.participant_id} for v in values],
            "rev": s.rev, "deleted": s.deleted_at is not None, "merged_into": s.merged_into_id,
            "created_at": iso(s.created_at), "updated_at": iso(s.updated_at)}


def flow(f):
    """A resource flow; source_id/target_id None is the initiative itself."""
    return {"id": f.id, "client_id": f.client_id, "group_id": f.group_id,
            "initiative_id": f.initiative_id, "item_id": f.item_id, "source_id": f.source_id,
            "target_id": f.target_id, "resource": f.resource, "resource_text": f.resource_text,
            "mark": f.mark, "author": f.author_name, "participant_id": f.participant_id,
            "rev": f.rev, "deleted": f.deleted_at is not None, "created_at": iso(f.created_at)}


# -- tacts 6–7 (docs/PROTOCOL.md, "Tacts 6–7") -----------------------------------------------
def request(r, solutions, initiative_name):
    """A request between groups with its proposed solutions (passed in: separate rows) and the
    name of the sending group's initiative (the receiving group does not hold that row)."""
    return {"id": r.id, "client_id": r.client_id, "item_id": r.item_id,
            "from_group_id": r.from_group_id, "to_group_id": r.to_group_id,
            "initiative_id": r.initiative_id, "initiative_name": initiative_name,
            "need": r.need, "text": r.text,
            "status": r.status, "author": r.author_name, "participant_id": r.participant_id,
            "solutions": [{"id": s.id, "client_id": s.client_id, "text": s.text,
                           "author": s.author_name, "participant_id": s.participant_id,
                           "created_at": iso(s.created_at)} for s in solutions],
            "rev": r.rev, "deleted": r.deleted_at is not None,
            "created_at": iso(r.created_at), "updated_at": iso(r.updated_at)}


def objective(o, key_results, owners):
    """An objective with its live key results; `owners` maps a key result id to its owner."""
    return {"id": o.id, "client_id": o.client_id, "item_id": o.item_id, "group_id": o.group_id,
            "initiative_id": o.initiative_id, "text": o.text, "author": o.author_name,
            "participant_id": o.participant_id,
            "key_results": [{"id": k.id, "client_id": k.client_id, "metric": k.metric,
                             "baseline": k.baseline, "target": k.target, "unit": k.unit,
                             "deadline": k.deadline.isoformat(), "owner": owners[k.id],
                             "vague_accepted": k.vague_accepted, "author": k.author_name,
                             "participant_id": k.participant_id} for k in key_results],
            "rev": o.rev, "deleted": o.deleted_at is not None,
            "created_at": iso(o.created_at), "updated_at": iso(o.updated_at)}
