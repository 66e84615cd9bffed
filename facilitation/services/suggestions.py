"""Suggestions for a moderator's board (facilitation/suggest): near-duplicate ideas to merge and,
in tact 3, clusters of the group's taken ideas to form or fill initiatives.

Nothing is written here: the moderator accepts a proposal on the board, and the board then calls
the same events as a manual merge (`merge_cards`), move (`move_idea`) or new initiative
(`create_initiative`). The computation runs off the event loop (a real thread under eventlet or
gevent), so a hall's phones are not kept waiting while the analyzer loads on first use.
"""
from flask import current_app
from flask_babel import lazy_gettext as _l

from ..extensions import db
from ..models import Idea, Initiative, Selection
from .actors import require
from .initiatives import load_group, load_item

KINDS = ("brainstorm", "clustering")
MAX_IDEAS = 2000


def _compute(texts):
    from ..suggest import suggest
    return suggest(texts)


def _off_loop(fn, *args):
    """Run CPU-bound `fn` in an OS thread where the server runs green threads."""
    mode = current_app.extensions["socketio"].async_mode if "socketio" in current_app.extensions \
        else None
    if mode == "eventlet":
        from eventlet import tpool
        return tpool.execute(fn, *args)
    if mode == "gevent":
        import gevent
        return gevent.get_hub().threadpool.apply(fn, args)
    return fn(*args)


def _require_moderator(actor, group_id):
    require(actor.participant is None and actor.is_moderator,
            _l("Only moderators can ask for suggestions."))
    if group_id is not None:
        require(actor.may_moderate_group(group_id), _l("Only the group's moderator can do this."))


def suggest_for_board(actor, data):
    """{item_id[, group_id]} → the proposals for that board, as plain data.

    Tact 2 (brainstorm): duplicate groups among List A's ideas of the item (`group_id` optional:
    the chief console asks for the whole list). Tact 3 (clustering, `group_id` required): the
    duplicates among the group's taken ideas and the clusters of them. Raises NotAllowed,
    NotFound, Invalid."""
    data = data if isinstance(data, dict) else {}
    item = load_item(actor, data.get("item_id"), KINDS)
    group_id = data.get("group_id")
    if item.kind == "clustering" or group_id is not None:
        group_id = load_group(actor, group_id).id
    _require_moderator(actor, group_id)
    if item.kind == "brainstorm":
        return _for_list_a(item)
    return _for_group(item, group_id)


def _for_list_a(item):
    ideas = db.session.scalars(
        db.select(Idea).where(Idea.item_id == item.id, Idea.deleted_at.is_(None))
        .order_by(Idea.id).limit(MAX_IDEAS)).all()
    result = _off_loop(_compute, [i.text for i in ideas])
    return {"item_id": item.id, "group_id": None, "kind": item.kind, "considered": len(ideas),
            "duplicates": [{"idea_ids": [ideas[i].id for i in g], "selection_ids": []}
                           for g in result.duplicates],
            "clusters": []}


def _for_group(item, group_id):
    rows = db.session.execute(
        db.select(Selection, Idea).join(Idea, Idea.id == Selection.idea_id)
        .where(Selection.group_id == group_id, Selection.deleted_at.is_(None),
               Idea.deleted_at.is_(None))
        .order_by(Selection.position, Selection.id).limit(MAX_IDEAS)).all()
    live = set(db.session.scalars(db.select(Initiative.id).where(
        Initiative.item_id == item.id, Initiative.group_id == group_id,
        Initiative.deleted_at.is_(None))))
    result = _off_loop(_compute, [idea.text for _, idea in rows])
    duplicates = [{"idea_ids": [rows[i][1].id for i in g],
                   "selection_ids": [rows[i][0].id for i in g]} for g in result.duplicates]
    clusters = []
    for cluster in result.clusters:
        proposal = _cluster_proposal(cluster, [rows[i][0] for i in cluster.members], live)
        if proposal:
            clusters.append(proposal)
    return {"item_id": item.id, "group_id": group_id, "kind": item.kind, "considered": len(rows),
            "duplicates": duplicates, "clusters": clusters}


def _cluster_proposal(cluster, selections, live):
    """What to do with one cluster: make an initiative of its ideas still in the pool, or, when
    most of its placed ideas are in one initiative, move the pool's ones there. None: nothing."""
    pool = [s for s in selections if s.initiative_id not in live]
    if not pool:
        return None
    placed = {}
    for s in selections:
        if s.initiative_id in live:
            placed[s.initiative_id] = placed.get(s.initiative_id, 0) + 1
    by_index = dict(zip(cluster.members, selections))
    base = {"name": cluster.name, "words": cluster.words,
            "parts": [{"label": label, "idea_ids": [by_index[i].idea_id for i in held]}
                      for label, held in cluster.parts],
            "selection_ids": [s.id for s in pool], "idea_ids": [s.idea_id for s in pool]}
    if placed:
        target, count = max(placed.items(), key=lambda kv: (kv[1], -kv[0]))
        if count * 2 > sum(placed.values()):
            return {**base, "action": "move", "initiative_id": target}
    if len(pool) < 2:
        return None
    return {**base, "action": "create", "initiative_id": None}
