"""Tact 3: a group takes ideas from List A, clusters them into initiatives, and stakes chips on
them; the ranked result is the group's List B.

Every write here first takes the session row's write lock (`lock_session`), so that checks
such as a participant's chip budget are made against committed data, on SQLite and PostgreSQL.
"""
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, case, func, update

from ..extensions import db
from ..models import (AgendaItem, Group, GroupBoard, Idea, Initiative, Selection, Session, Stake,
                      utcnow)
from ..models.board import STAKING_STATES
from . import rooms, serialize
from .actors import require
from .errors import Closed, Conflict, Invalid, NotAllowed, NotFound
from .rows import is_int, parse_client_id
from .unit import unit_of_work
from ..tacts.base import validate
from ..tacts.clustering import InitiativeForm

MAX_BUDGET = 50
MAX_TOP_N = 20


def lock_session(unit, session_id):
    """Take the session row's write lock for the rest of the transaction (see Unit.lock)."""
    unit.lock(session_id)


def board_rooms(session_id, group_id):
    """Who sees a group's tact 3–5 board: the group (with its moderators) and the projectors."""
    return [rooms.group_room(group_id), rooms.projector_room(session_id)]


# -- loading --------------------------------------------------------------------------------
def initiative_rooms(initiative):
    """The rooms that follow what hangs off an initiative: its group's, and its team's."""
    result = board_rooms(initiative.session_id, initiative.group_id)
    if initiative.team_group_id:
        result.append(rooms.group_room(initiative.team_group_id))
    return result


def load_item(actor, item_id, kinds):
    """The agenda item `item_id` of this session, of one of `kinds`."""
    item = db.session.get(AgendaItem, item_id) if is_int(item_id) else None
    if item is None or item.session_id != actor.session_id:
        raise NotFound(_l("This agenda item does not exist."))
    if item.kind not in kinds:
        raise Invalid(_l("This cannot be done in this agenda item."))
    return item


def load_group(actor, group_id):
    group = db.session.get(Group, group_id) if is_int(group_id) else None
    if group is None or group.session_id != actor.session_id:
        raise NotFound(_l("This group does not exist."), field="group_id")
    return group


def load_initiative(actor, initiative_id, stale_message=None):
    """A live initiative of this session; a dissolved or merged one is a conflict."""
    initiative = db.session.get(Initiative, initiative_id) if is_int(initiative_id) else None
    if initiative is None or initiative.session_id != actor.session_id:
        raise NotFound(_l("This initiative does not exist."))
    if initiative.deleted_at is not None:
        raise Conflict(stale_message or _l(
            "This initiative was merged or dissolved meanwhile; the screen shows the current board."))
    return initiative


def get_board(item_id, group_id, create=False):
    """The group's settings in the item; a transient row with the defaults until first saved."""
    board = db.session.scalar(db.select(GroupBoard).where(GroupBoard.item_id == item_id,
                                                          GroupBoard.group_id == group_id))
    if board is None:
        board = default_board(db.session.get(AgendaItem, item_id), group_id)
        if create:
            db.session.add(board)
    return board


def default_board(item, group_id):
    """A group's settings in the item before anyone saved them: a transient row (not added)."""
    return GroupBoard(session_id=item.session_id, item_id=item.id, group_id=group_id, budget=5,
                      staking="closed", totals_revealed=False, list_b_locked=False,
                      participants_cluster=False, top_n=3, rev=0)


# -- who may do what ------------------------------------------------------------------------
def require_group_member(actor, group_id):
    """A participant of the group, or a moderator of it."""
    if actor.participant is not None:
        require(actor.participant.group_id == group_id,
                _l("You can work only on your own group's board."))
    else:
        require(actor.may_moderate_group(group_id),
                _l("Only the group's moderator can do this."))


def require_open_for_participant(actor, item):
    """Participants write only into the current item while it runs and is not locked."""
    if actor.participant is None:
        return
    session = db.session.get(Session, actor.session_id)
    if session.current_item_id != item.id or item.state != "active":
        raise Closed(_l("This tact is finished or has not started yet; nothing was saved."))
    if item.locked:
        raise Closed(_l("The moderator has locked this tact; nothing was saved."))


def require_clusterer(actor, item, group_id):
    """The group's moderator, or its participants where the moderator allows it."""
    require_group_member(actor, group_id)
    board = get_board(item.id, group_id)
    if actor.participant is not None:
        require(board.participants_cluster,
                _l("Only the moderator arranges this board; ask them to let participants do it."))
        require_open_for_participant(actor, item)
    if board.list_b_locked:
        raise Closed(_l("List B is locked: the board no longer changes."))
    return board


def require_moderator(actor, group_id):
    require(actor.participant is None and actor.may_moderate_group(group_id),
            _l("Only the group's moderator can do this."))


# -- events ---------------------------------------------------------------------------------
def emit_selection(unit, s):
    return unit.row_event(s, "selection.changed", serialize.selection,
                          board_rooms(s.session_id, s.group_id))


def emit_initiative(unit, i):
    return unit.row_event(i, "initiative.changed", serialize.initiative, initiative_rooms(i))


def emit_board(unit, board):
    return unit.row_event(board, "board.changed", serialize.board,
                          board_rooms(board.session_id, board.group_id))


def _teams_follow(unit, session_id, *initiatives):
    """The day-two teams' summary names their initiatives: a rename, merge or dissolve of one of
    them reaches every phone's team chooser."""
    if any(i.team_group_id for i in initiatives):
        from .teams import emit_summary
        emit_summary(unit, session_id)


# -- List B ---------------------------------------------------------------------------------


def rank(initiatives, totals):
    """List B: initiatives by total stakes, equal totals sharing a rank (1, 2, 2, 4)."""
    ordered = sorted(initiatives, key=lambda i: (-totals.get(i.id, 0), i.position, i.id))
    counts = {}
    for i in ordered:
        counts[totals.get(i.id, 0)] = counts.get(totals.get(i.id, 0), 0) + 1
    result = []
    for i in ordered:
        total = totals.get(i.id, 0)
        place = 1 + sum(1 for other in ordered if totals.get(other.id, 0) > total)
        result.append({"initiative_id": i.id, "name": i.name, "total": total, "rank": place,
                       "tie": counts[total] > 1})
    return result


def _list_b_rows(item_id, group_id):
    """The group's live initiatives of the item with their total stakes: one query."""
    return db.session.execute(
        db.select(Initiative.id, Initiative.name, Initiative.position,
                  func.coalesce(func.sum(Stake.count), 0).label("total"))
        .outerjoin(Stake, Stake.initiative_id == Initiative.id)
        .where(Initiative.item_id == item_id, Initiative.group_id == group_id,
               Initiative.deleted_at.is_(None))
        .group_by(Initiative.id, Initiative.name, Initiative.position)
        .order_by(Initiative.position, Initiative.id)).all()


def stakes_data(item_id, group_id, with_totals, board=None, rows=None):
    """The `stakes.changed` payload; totals and ranks masked unless allowed or revealed.
    `board` and `rows` (List B's) when already read: a snapshot knowing there are none."""
    board = board or get_board(item_id, group_id)
    rows = _list_b_rows(item_id, group_id) if rows is None else rows
    return _stakes_payload(item_id, group_id, board, rows, {r.id: int(r.total) for r in rows},
                           with_totals)


def emit_stakes(unit, session_id, item_id, group_id, board=None):
    """Send the group's List B: with totals to its moderators; masked to the rest if hidden.

    Returns the revision of the event the group's phones get."""
    board = board or get_board(item_id, group_id)
    moderators = [rooms.group_moderators_room(group_id)]
    full = stakes_data(item_id, group_id, True, board)
    if full["revealed"]:
        return unit.bump(session_id, "stakes.changed", full,
                         moderators + board_rooms(session_id, group_id))
    # Moderators are in the group's room too: the masked copy goes around them.
    unit.bump(session_id, "stakes.changed", full, moderators)
    return unit.bump(session_id, "stakes.changed", stakes_data(item_id, group_id, False, board),
                     [rooms.group_participants_room(group_id), rooms.projector_room(session_id)])


def _my_stakes(item_id, group_id, participant_id):
    """initiative id -> chips of one participant on the group's live initiatives of the item."""
    return dict(db.session.execute(
        db.select(Stake.initiative_id, Stake.count).join(Initiative)
        .where(Stake.participant_id == participant_id, Initiative.item_id == item_id,
               Initiative.group_id == group_id, Initiative.deleted_at.is_(None),
               Stake.count > 0)).all())


def mine_data(item_id, group_id, participant_id, board=None, stakes=None):
    """One participant's chips on the group's initiatives of the item."""
    board = board or get_board(item_id, group_id)
    stakes = _my_stakes(item_id, group_id, participant_id) if stakes is None else stakes
    stakes = {str(k): v for k, v in stakes.items() if v > 0}
    return {"item_id": item_id, "group_id": group_id, "budget": board.budget,
            "used": sum(stakes.values()), "stakes": stakes}


def emit_mine(unit, session_id, item_id, group_id, participant_id, board=None, stakes=None):
    data = mine_data(item_id, group_id, participant_id, board, stakes)
    unit.bump(session_id, "stakes.mine", data, [rooms.participant_room(participant_id)])
    return data


# -- selections -----------------------------------------------------------------------------
def _next_position(group_id, initiative_id):
    query = db.select(func.max(Selection.position)).where(
        Selection.group_id == group_id, Selection.deleted_at.is_(None))
    query = query.where(Selection.initiative_id.is_(None) if initiative_id is None
                        else Selection.initiative_id == initiative_id)
    top = db.session.scalar(query)
    return 0 if top is None else top + 1


def take_idea(actor, data):
    """Take an idea of List A into the group (its pool, or an initiative). Taking twice is a no-op."""
    data = data if isinstance(data, dict) else {}
    with unit_of_work() as unit:
        lock_session(unit, actor.session_id)
        item = load_item(actor, data.get("item_id"), ("clustering",))
        group = load_group(actor, data.get("group_id", actor.group_id))
        require_clusterer(actor, item, group.id)
        idea = db.session.get(Idea, data.get("idea_id")) if is_int(data.get("idea_id")) else None
        if idea is None or idea.session_id != actor.session_id or idea.deleted_at is not None:
            raise NotFound(_l("This idea is no longer on List A."))
        initiative_id = data.get("initiative_id")
        if initiative_id is not None:
            initiative = load_initiative(actor, initiative_id)
            require(initiative.group_id == group.id)
        selection = db.session.scalar(db.select(Selection).where(
            Selection.group_id == group.id, Selection.idea_id == idea.id))
        if selection is not None and selection.deleted_at is None:
            return serialize.selection(selection)
        if selection is None:
            selection = Selection(session_id=actor.session_id, group_id=group.id, idea_id=idea.id)
            db.session.add(selection)
        selection.deleted_at = None
        selection.initiative_id = initiative_id
        selection.position = _next_position(group.id, initiative_id)
        db.session.flush()
        return emit_selection(unit, selection)


def _load_selection(actor, selection_id):
    selection = db.session.get(Selection, selection_id) if is_int(selection_id) else None
    if selection is None or selection.session_id != actor.session_id or selection.deleted_at:
        raise Conflict(_l("This idea is no longer on the board; the screen shows the current board."))
    return selection


def _clustering_item_of(group_id, selection):
    """The clustering item a selection's board belongs to (its initiative's, or the latest)."""
    if selection.initiative_id is not None:
        return db.session.get(AgendaItem, db.session.get(Initiative, selection.initiative_id).item_id)
    group = db.session.get(Group, group_id)
    return db.session.scalar(
        db.select(AgendaItem).where(AgendaItem.session_id == group.session_id,
                                    AgendaItem.kind == "clustering")
        .order_by((AgendaItem.state == "pending").asc(), AgendaItem.position.desc()).limit(1))


def drop_idea(actor, data):
    """Take an idea back out of the group (List A keeps it)."""
    data = data if isinstance(data, dict) else {}
    with unit_of_work() as unit:
        lock_session(unit, actor.session_id)
        selection = _load_selection(actor, data.get("id"))
        require_clusterer(actor, _clustering_item_of(selection.group_id, selection),
                          selection.group_id)
        selection.deleted_at = utcnow()
        selection.initiative_id = None
        return emit_selection(unit, selection)


def move_idea(actor, data):
    """Move a taken idea into an initiative (or the pool) at a position; the later move wins."""
    data = data if isinstance(data, dict) else {}
    position = data.get("position", 0)
    if not is_int(position) or position < 0:
        raise Invalid(_l("The position must be a whole number from 0."), field="position")
    with unit_of_work() as unit:
        lock_session(unit, actor.session_id)
        selection = _load_selection(actor, data.get("id"))
        target_id = data.get("initiative_id")
        target = None
        if target_id is not None:
            target = load_initiative(actor, target_id)
            if target.group_id != selection.group_id:
                raise NotAllowed(_l("An idea moves only within its group's board."))
        item = (db.session.get(AgendaItem, target.item_id) if target
                else _clustering_item_of(selection.group_id, selection))
        require_clusterer(actor, item, selection.group_id)
        siblings = db.session.scalars(
            db.select(Selection).where(
                Selection.group_id == selection.group_id, Selection.deleted_at.is_(None),
                Selection.id != selection.id,
                Selection.initiative_id.is_(None) if target is None
                else Selection.initiative_id == target.id)
            .order_by(Selection.position, Selection.id)).all()
        siblings.insert(min(position, len(siblings)), selection)
        selection.initiative_id = target.id if target else None
        changed = []
        for index, row in enumerate(siblings):
            if row is selection or row.position != index:
                row.position = index
                changed.append(row)
        return {"selections": [emit_selection(unit, row) for row in changed]}


# -- initiatives ----------------------------------------------------------------------------
def _name(data):
    return validate(InitiativeForm, data)["name"]


def create_initiative(actor, data):
    """Create an initiative on the group's board, optionally with some of its taken ideas."""
    data = data if isinstance(data, dict) else {}
    client_id = parse_client_id(data.get("client_id"))
    existing = db.session.scalar(db.select(Initiative).where(Initiative.client_id == client_id))
    if existing is not None:
        require(existing.session_id == actor.session_id)
        return serialize.initiative(existing), False
    name = _name(data)
    with unit_of_work() as unit:
        lock_session(unit, actor.session_id)
        item = load_item(actor, data.get("item_id"), ("clustering",))
        group = load_group(actor, data.get("group_id", actor.group_id))
        require_clusterer(actor, item, group.id)
        top = db.session.scalar(db.select(func.max(Initiative.position)).where(
            Initiative.group_id == group.id, Initiative.item_id == item.id))
        initiative = Initiative(client_id=client_id, session_id=actor.session_id, item_id=item.id,
                                group_id=group.id, name=name, position=(top or 0) + 1)
        db.session.add(initiative)
        db.session.flush()
        out = emit_initiative(unit, initiative)
        ids = data.get("selection_ids") or []
        for index, selection_id in enumerate(ids if isinstance(ids, list) else []):
            selection = _load_selection(actor, selection_id)
            require(selection.group_id == group.id)
            selection.initiative_id = initiative.id
            selection.position = index
            emit_selection(unit, selection)
        emit_stakes(unit, actor.session_id, item.id, group.id)
        return out, True


def initiative_selections(initiative_id):
    """The ideas an initiative holds, in order: a create's ack carries them, so the board that
    made it shows them at once (the broadcast of each may come after the ack)."""
    rows = db.session.scalars(db.select(Selection).where(
        Selection.initiative_id == initiative_id, Selection.deleted_at.is_(None))
        .order_by(Selection.position, Selection.id))
    return [serialize.selection(s) for s in rows]


def rename_initiative(actor, data):
    data = data if isinstance(data, dict) else {}
    name = _name(data)
    with unit_of_work() as unit:
        lock_session(unit, actor.session_id)
        initiative = load_initiative(actor, data.get("id"))
        item = db.session.get(AgendaItem, initiative.item_id)
        require_clusterer(actor, item, initiative.group_id)
        if initiative.name == name:
            return serialize.initiative(initiative)
        initiative.name = name
        out = emit_initiative(unit, initiative)
        emit_stakes(unit, actor.session_id, item.id, initiative.group_id)
        _teams_follow(unit, actor.session_id, initiative)
        return out


def merge_initiatives(actor, data):
    """Merge initiative `id` into `into`: its ideas, chips, stakeholders and flows go along."""
    from .stakeholders import emit_balance, move_initiative_content
    data = data if isinstance(data, dict) else {}
    name = _name(data) if data.get("name") else None
    with unit_of_work() as unit:
        lock_session(unit, actor.session_id)
        source = load_initiative(actor, data.get("id"))
        target = load_initiative(actor, data.get("into"))
        require_moderator(actor, source.group_id)
        if source.id == target.id or source.group_id != target.group_id or (
                source.item_id != target.item_id):
            raise Invalid(_l("Initiatives can be merged only within one group's board."))
        if get_board(source.item_id, source.group_id).list_b_locked:
            raise Closed(_l("List B is locked: the board no longer changes."))
        offset = _next_position(source.group_id, target.id)
        moved = db.session.scalars(db.select(Selection).where(
            Selection.initiative_id == source.id, Selection.deleted_at.is_(None))
            .order_by(Selection.position, Selection.id)).all()
        for index, selection in enumerate(moved):
            selection.initiative_id = target.id
            selection.position = offset + index
        owners = _carry_stakes(source, target)
        source.deleted_at = utcnow()
        source.merged_into_id = target.id
        if name:
            target.name = name
        emit_initiative(unit, source)
        out = emit_initiative(unit, target)
        for selection in moved:
            emit_selection(unit, selection)
        if move_initiative_content(unit, source, target):
            emit_balance(unit, target)
        emit_stakes(unit, actor.session_id, source.item_id, source.group_id)
        for participant_id in owners:
            emit_mine(unit, actor.session_id, source.item_id, source.group_id, participant_id)
        _teams_follow(unit, actor.session_id, source, target)
        return out


def _carry_stakes(source, target):
    """Add each participant's chips on `source` to their chips on `target`; return the owners."""
    owners = []
    for stake in db.session.scalars(db.select(Stake).where(Stake.initiative_id == source.id)):
        owners.append(stake.participant_id)
        kept = db.session.scalar(db.select(Stake).where(
            Stake.initiative_id == target.id, Stake.participant_id == stake.participant_id))
        if kept is None:
            stake.initiative_id = target.id
        else:
            kept.count += stake.count
            kept.updated_at = utcnow()
            db.session.delete(stake)
    db.session.flush()
    return owners


def dissolve_initiative(actor, data):
    """Dissolve an initiative: its ideas go back to the pool, its chips back to their owners."""
    data = data if isinstance(data, dict) else {}
    with unit_of_work() as unit:
        lock_session(unit, actor.session_id)
        initiative = load_initiative(actor, data.get("id"))
        require_moderator(actor, initiative.group_id)
        if get_board(initiative.item_id, initiative.group_id).list_b_locked:
            raise Closed(_l("List B is locked: the board no longer changes."))
        offset = _next_position(initiative.group_id, None)
        moved = db.session.scalars(db.select(Selection).where(
            Selection.initiative_id == initiative.id, Selection.deleted_at.is_(None))
            .order_by(Selection.position, Selection.id)).all()
        for index, selection in enumerate(moved):
            selection.initiative_id = None
            selection.position = offset + index
        stakes = db.session.scalars(db.select(Stake).where(Stake.initiative_id == initiative.id)).all()
        owners = [s.participant_id for s in stakes]
        for stake in stakes:
            db.session.delete(stake)
        initiative.deleted_at = utcnow()
        emit_initiative(unit, initiative)
        for selection in moved:
            emit_selection(unit, selection)
        emit_stakes(unit, actor.session_id, initiative.item_id, initiative.group_id)
        for participant_id in owners:
            emit_mine(unit, actor.session_id, initiative.item_id, initiative.group_id,
                      participant_id)
        _teams_follow(unit, actor.session_id, initiative)
        return {}


# -- settings and stakes --------------------------------------------------------------------
def board_settings(actor, data):
    """The group moderator sets the budget, opens or closes staking, reveals, locks List B."""
    data = data if isinstance(data, dict) else {}
    with unit_of_work() as unit:
        lock_session(unit, actor.session_id)
        item = load_item(actor, data.get("item_id"), ("clustering",))
        group = load_group(actor, data.get("group_id"))
        require_moderator(actor, group.id)
        board = get_board(item.id, group.id, create=True)
        changes = _settings(board, data)
        if board.list_b_locked and not (changes.keys() <= {"list_b_locked", "top_n",
                                                          "totals_revealed"}):
            raise Closed(_l("List B is locked: unlock it first."))
        for key, value in changes.items():
            setattr(board, key, value)
        if board.list_b_locked:
            board.staking = "done"
        db.session.flush()
        out = emit_board(unit, board)
        emit_stakes(unit, actor.session_id, item.id, group.id)
        if "budget" in changes:
            for participant_id in _stakers(item.id, group.id):
                emit_mine(unit, actor.session_id, item.id, group.id, participant_id)
        return out


def _settings(board, data):
    changes = {}
    if "budget" in data:
        budget = data["budget"]
        if not is_int(budget) or not 1 <= budget <= MAX_BUDGET:
            raise Invalid(_l("The budget is a number of chips from 1 to 50."), field="budget")
        used = db.session.scalar(
            db.select(func.max(_per_participant_subquery(board).c.used))) or 0
        if budget < used:
            raise Invalid(_l("Someone already placed more chips than that; close staking and ask "
                             "them to take chips back first."), field="budget")
        changes["budget"] = budget
    if "staking" in data:
        if data["staking"] not in STAKING_STATES:
            raise Invalid(field="staking")
        changes["staking"] = data["staking"]
    if "top_n" in data:
        if not is_int(data["top_n"]) or not 1 <= data["top_n"] <= MAX_TOP_N:
            raise Invalid(_l("Choose from 1 to 20 initiatives."), field="top_n")
        changes["top_n"] = data["top_n"]
    for key in ("totals_revealed", "list_b_locked", "participants_cluster"):
        if key in data:
            if not isinstance(data[key], bool):
                raise Invalid(field=key)
            changes[key] = data[key]
    if not changes:
        raise Invalid(_l("Nothing to change."))
    return changes


def _per_participant_subquery(board):
    return (db.select(Stake.participant_id, func.sum(Stake.count).label("used"))
            .join(Initiative).where(Initiative.item_id == board.item_id,
                                    Initiative.group_id == board.group_id,
                                    Initiative.deleted_at.is_(None))
            .group_by(Stake.participant_id).subquery())


def _stakers(item_id, group_id):
    return db.session.scalars(
        db.select(Stake.participant_id).join(Initiative)
        .where(Initiative.item_id == item_id, Initiative.group_id == group_id).distinct()).all()


# The two reads of a tap, built once: a statement object reused keeps its compiled form and
# cache key, which matters at a hall's rate of taps.
_TAP_TARGET = (
    db.select(Initiative, GroupBoard)
    .outerjoin(GroupBoard, (GroupBoard.item_id == Initiative.item_id)
               & (GroupBoard.group_id == Initiative.group_id))
    .where(Initiative.id == bindparam("initiative_id")))
_TAP_STATE = (
    db.select(Initiative.id, Initiative.name, Initiative.position,
              func.coalesce(func.sum(Stake.count), 0).label("total"),
              func.coalesce(func.sum(case(
                  (Stake.participant_id == bindparam("participant_id"), Stake.count),
                  else_=0)), 0).label("mine"))
    .outerjoin(Stake, Stake.initiative_id == Initiative.id)
    .where(Initiative.item_id == bindparam("item_id"),
           Initiative.group_id == bindparam("group_id"), Initiative.deleted_at.is_(None))
    .group_by(Initiative.id, Initiative.name, Initiative.position)
    .order_by(Initiative.position, Initiative.id))

_TAP_WRITE = (update(Stake).where(Stake.participant_id == bindparam("pid"),
                                  Stake.initiative_id == bindparam("iid"))
              .values(count=bindparam("new_count"), updated_at=bindparam("now"))
              .execution_options(synchronize_session=False))


def _stake_state(item_id, group_id, participant_id):
    """One query for a tap: each live initiative of the group with its total and my chips."""
    return db.session.execute(_TAP_STATE, {"item_id": item_id, "group_id": group_id,
                                           "participant_id": participant_id}).all()


def _stakes_payload(item_id, group_id, board, rows, totals, with_totals):
    """`stakes.changed` from already-read rows (see stakes_data)."""
    ranked = rank(rows, totals)
    shown = board.totals_revealed or board.list_b_locked
    focus = ([r["initiative_id"] for r in ranked if r["rank"] <= board.top_n] if shown
             else [r.id for r in rows])
    if not (shown or with_totals):
        by_id = {r["initiative_id"]: r for r in ranked}
        ranked = [{**by_id[i], "total": None, "rank": None, "tie": False} for i in focus]
    return {"item_id": item_id, "group_id": group_id, "revealed": shown, "list_b": ranked,
            "focus": focus, "locked": board.list_b_locked}


def set_stake(actor, data):
    """Put `count` of the participant's chips on an initiative (an absolute number: a resend
    changes nothing). Checked against the budget under the session lock.

    This is the hottest write of a session (a hall staking at once), so it reads what it needs
    in two queries and derives the events from them (bench/stakes.py measures it)."""
    data = data if isinstance(data, dict) else {}
    require(actor.participant is not None, _l("Only participants stake chips."))
    count = data.get("count")
    if not is_int(count) or count < 0:
        raise Invalid(_l("The number of chips must be a whole number from 0."), field="count")
    pid, sid = actor.participant.id, actor.session_id
    with unit_of_work() as unit:
        lock_session(unit, sid)
        target = data.get("initiative_id")
        found = (db.session.execute(_TAP_TARGET, {"initiative_id": target}).first()
                 if is_int(target) else None)
        if found is None or found[0].session_id != sid:
            raise NotFound(_l("This initiative does not exist."))
        initiative, board = found
        if initiative.deleted_at is not None:
            raise Conflict(_l("This initiative was merged or dissolved meanwhile; the screen "
                              "shows the current board."))
        require(initiative.group_id == actor.participant.group_id,
                _l("You can stake only on your own group's initiatives."))
        item_id, group_id = initiative.item_id, initiative.group_id
        board = board or get_board(item_id, group_id)
        if board.list_b_locked:
            raise Closed(_l("List B is locked: stakes no longer change."))
        if board.staking != "open":
            raise Closed(_l("Staking is not open now; wait for the moderator."))
        rows = _stake_state(item_id, group_id, pid)
        mine = {r.id: int(r.mine) for r in rows if r.mine}
        before = mine.get(initiative.id, 0)
        if count == before:
            return mine_data(item_id, group_id, pid, board, mine)
        used = sum(mine.values())
        if used - before + count > board.budget:
            left = board.budget - (used - before)
            raise Invalid(_l("You have only %(left)s chips left of %(budget)s.",
                             left=left, budget=board.budget), field="count")
        changed = db.session.execute(_TAP_WRITE, {"pid": pid, "iid": initiative.id,
                                                  "new_count": count, "now": utcnow()})
        if changed.rowcount == 0:
            db.session.add(Stake(session_id=sid, participant_id=pid,
                                 initiative_id=initiative.id, count=count))
        mine[initiative.id] = count
        totals = {r.id: int(r.total) for r in rows}
        totals[initiative.id] += count - before
        full = _stakes_payload(item_id, group_id, board, rows, totals, True)
        moderators = [rooms.group_moderators_room(group_id)]
        # While the totals are hidden a tap changes nothing the group sees: only the
        # moderators' board gets the update (a hall staking at once sends 25× less).
        group_rev = unit.bump(sid, "stakes.changed", full, moderators + (
            board_rooms(sid, group_id) if full["revealed"] else []))
        out = emit_mine(unit, sid, item_id, group_id, pid, board, mine)
        return {**out, "rev": group_rev}
