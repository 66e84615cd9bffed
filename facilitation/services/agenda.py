"""Driving the agenda: advance and undo, the timer, lock, hide and reveal, the projector."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import update

from ..extensions import db
from ..models import Advance, AgendaItem, Group, Initiative, Session, utcnow
from ..models.session import PROJECTOR_MODES
from . import clock, rooms, serialize
from .actors import require
from .cards import CARD_MODELS, card_rooms, kind_of
from .errors import Conflict, Invalid, NotFound
from .rows import is_int
from .unit import unit_of_work

# The columns an advance changes on an item, restored by undo.
ITEM_COLUMNS = ("state", "locked", "hidden", "timer_duration_s", "timer_elapsed_s",
                "timer_started_at")
MAX_EXTEND_S = 60 * 60


def _chief(actor):
    require(actor.is_chief, _l("Only the chief moderator can do this."))


def _item(actor, item_id):
    item = db.session.get(AgendaItem, item_id) if isinstance(item_id, int) else None
    if item is None or item.session_id != actor.session_id:
        raise NotFound(_l("This agenda item does not exist."))
    return item


def _item_snapshot(item):
    if item is None:
        return None
    data = {c: getattr(item, c) for c in ITEM_COLUMNS}
    data["timer_started_at"] = serialize.iso(item.timer_started_at)
    return data


def _restore(item, data):
    from datetime import datetime
    for column in ITEM_COLUMNS:
        value = data[column]
        if column == "timer_started_at" and value:
            value = datetime.fromisoformat(value.replace("Z", "+00:00")).replace(tzinfo=None)
        setattr(item, column, value)


def _agenda_event(unit, session, changed):
    unit.bump(session.id, "agenda.changed",
              {"current_item_id": session.current_item_id,
               "items": [serialize.item(i) for i in changed if i is not None]},
              [rooms.session_room(session.id)])


def advance(actor, expected_current_id):
    """Finish the current item and start the next one, its timer running.

    `expected_current_id` is the item the moderator saw as current: when two moderators
    press at the same moment, one advance happens and the other gets Conflict.
    """
    _chief(actor)
    with unit_of_work() as unit:
        session = db.session.get(Session, actor.session_id)
        current = session.current_item
        if (current.id if current else None) != expected_current_id:
            raise Conflict(_l("The agenda has already moved on; the screen shows the current item."))
        position = current.position if current else -1
        nxt = db.session.scalar(
            db.select(AgendaItem).where(AgendaItem.session_id == session.id,
                                        AgendaItem.position > position)
            .order_by(AgendaItem.position).limit(1))
        if nxt is None:
            raise Invalid(_l("This is the last item of the program."))
        # The conditional update makes the check-and-set atomic between processes.
        moved = db.session.execute(
            update(Session).where(Session.id == session.id,
                                  Session.current_item_id.is_(expected_current_id)
                                  if expected_current_id is None
                                  else Session.current_item_id == expected_current_id)
            .values(current_item_id=nxt.id).execution_options(synchronize_session=False))
        if moved.rowcount != 1:
            raise Conflict(_l("The agenda has already moved on; the screen shows the current item."))
        db.session.add(Advance(session_id=session.id, from_item_id=current.id if current else None,
                               to_item_id=nxt.id,
                               before={"from": _item_snapshot(current), "to": _item_snapshot(nxt)}))
        now = utcnow()
        if current is not None:
            clock.pause(current, now)
            current.state = "done"
        nxt.state = "active"
        if nxt.timer_duration_s == 0 or nxt.timer_elapsed_s == 0:
            nxt.timer_duration_s = nxt.duration_min * 60
        clock.start(nxt, now)
        db.session.refresh(session, ["current_item_id"])
        _agenda_event(unit, session, [current, nxt])
    return session.current_item_id


def undo_advance(actor, expected_current_id):
    """Take back the last advance: the previous item comes back as it was."""
    _chief(actor)
    with unit_of_work() as unit:
        session = db.session.get(Session, actor.session_id)
        last = db.session.scalar(
            db.select(Advance).where(Advance.session_id == session.id,
                                     Advance.undone_at.is_(None))
            .order_by(Advance.id.desc()).limit(1))
        if last is None:
            raise Invalid(_l("There is nothing to undo."))
        if session.current_item_id != expected_current_id or last.to_item_id != expected_current_id:
            raise Conflict(_l("The agenda has already moved on; the screen shows the current item."))
        moved = db.session.execute(
            update(Session).where(Session.id == session.id,
                                  Session.current_item_id == expected_current_id)
            .values(current_item_id=last.from_item_id)
            .execution_options(synchronize_session=False))
        if moved.rowcount != 1:
            raise Conflict()
        last.undone_at = utcnow()
        back = db.session.get(AgendaItem, last.from_item_id) if last.from_item_id else None
        forward = db.session.get(AgendaItem, last.to_item_id)
        _restore(forward, last.before["to"])
        if back is not None:
            _restore(back, last.before["from"])
        db.session.refresh(session, ["current_item_id"])
        _agenda_event(unit, session, [back, forward])
    return session.current_item_id


def _item_event(unit, item):
    unit.bump(item.session_id, "item.changed", serialize.item(item),
              [rooms.session_room(item.session_id)])
    return serialize.item(item)


def start_timer(actor, item_id):
    """Run the item's timer (from where it was paused)."""
    _chief(actor)
    with unit_of_work() as unit:
        item = _item(actor, item_id)
        if item.timer_duration_s == 0:
            item.timer_duration_s = item.duration_min * 60
        clock.start(item)
        return _item_event(unit, item)


def pause_timer(actor, item_id):
    """Pause the item's timer."""
    _chief(actor)
    with unit_of_work() as unit:
        item = _item(actor, item_id)
        clock.pause(item)
        return _item_event(unit, item)


def extend_timer(actor, item_id, seconds):
    """Add (or with a negative number take away) time on the item's timer."""
    _chief(actor)
    if not isinstance(seconds, int) or isinstance(seconds, bool) or not (
            -MAX_EXTEND_S <= seconds <= MAX_EXTEND_S) or seconds == 0:
        raise Invalid(_l("Give a number of seconds between -3600 and 3600."), field="seconds")
    with unit_of_work() as unit:
        item = _item(actor, item_id)
        if item.timer_duration_s == 0:
            item.timer_duration_s = item.duration_min * 60
        item.timer_duration_s = max(0, item.timer_duration_s + seconds)
        return _item_event(unit, item)


def set_locked(actor, item_id, locked):
    """Lock (no new posts, no edits by participants) or unlock an item."""
    _chief(actor)
    with unit_of_work() as unit:
        item = _item(actor, item_id)
        item.locked = bool(locked)
        return _item_event(unit, item)


def set_hidden(actor, item_id, hidden):
    """Hide new posts from everyone but their authors and moderators, or reveal them all."""
    _chief(actor)
    with unit_of_work() as unit:
        item = _item(actor, item_id)
        was_hidden = item.hidden
        if hidden and not was_hidden:
            # Only posts from now on are hidden: what everyone already saw stays visible.
            for model in CARD_MODELS.values():
                db.session.execute(
                    update(model).where(model.item_id == item.id, model.revealed.is_(False))
                    .values(revealed=True).execution_options(synchronize_session=False))
        item.hidden = bool(hidden)
        result = _item_event(unit, item)
        if was_hidden and not item.hidden:
            _reveal_all(unit, item)
        return result


def _reveal_all(unit, item):
    """Send each audience the cards it could not see while the item was hidden."""
    batches = {}
    for model in CARD_MODELS.values():
        for card in db.session.scalars(
                db.select(model).where(model.item_id == item.id, model.deleted_at.is_(None),
                                       model.revealed.is_(False)).order_by(model.id)):
            batches.setdefault(tuple(card_rooms(card, item)), []).append(card)
    for audience, cards in batches.items():
        rev = unit.next_rev(item.session_id)
        for card in cards:
            card.rev = rev
        unit.record(item.session_id, rev, "cards.revealed",
                    {"item_id": item.id, "cards": [serialize.card(c, kind_of(c)) for c in cards]},
                    list(audience))


def set_projector(actor, mode, group_id=None, initiative_id=None):
    """Choose what the projector shows: join screen, List A wall, one group's board (with one
    of its initiatives full size, or all of them), timer."""
    _chief(actor)
    if mode not in PROJECTOR_MODES:
        raise Invalid(_l("Unknown projector mode."), field="mode")
    with unit_of_work() as unit:
        session = db.session.get(Session, actor.session_id)
        if mode in ("group", "deck"):
            group = db.session.get(Group, group_id) if isinstance(group_id, int) else None
            if group is None or group.session_id != session.id:
                raise NotFound(_l("This group does not exist."), field="group_id")
            session.projector_group_id = group.id
        session.projector_initiative_id = None
        if mode == "group" and initiative_id is not None:
            initiative = db.session.get(Initiative, initiative_id) if is_int(initiative_id) else None
            if (initiative is None or initiative.session_id != session.id
                    or initiative.deleted_at is not None or initiative.work_group_id != group.id):
                raise NotFound(_l("This initiative is not on the group's board."),
                               field="initiative_id")
            session.projector_initiative_id = initiative.id
        if mode == "deck":  # a group's final deck from its first slide (services/decks.py)
            session.projector_slide = 0
        session.projector_mode = mode
        data = projector_state(session)
        unit.bump(session.id, "projector.changed", data,
                  [rooms.projector_room(session.id), rooms.moderators_room(session.id)])
        return data


def present(actor, item_id, group_id):
    """Day-1 presentation: put one group's results on the projector and give it its turn on the
    item's timer (the item's time shared by the groups, at least one minute each)."""
    _chief(actor)
    with unit_of_work() as unit:
        session = db.session.get(Session, actor.session_id)
        item = _item(actor, item_id)
        if item.kind != "presentation":
            raise Invalid(_l("Groups present only in the presentation item."))
        group = db.session.get(Group, group_id) if isinstance(group_id, int) else None
        if group is None or group.session_id != session.id:
            raise NotFound(_l("This group does not exist."), field="group_id")
        session.projector_mode = "present"
        session.projector_initiative_id = None
        session.projector_group_id = group.id
        turn = max(60, item.duration_min * 60 // max(1, len(session.groups)))
        item.timer_duration_s = turn
        item.timer_elapsed_s = 0.0
        item.timer_started_at = None
        if item.state == "active":
            clock.start(item)
        data = projector_state(session)
        unit.bump(session.id, "projector.changed", data,
                  [rooms.projector_room(session.id), rooms.moderators_room(session.id)])
        _item_event(unit, item)
        return data


def projector_state(session):
    """What the projector shows now."""
    return {"mode": session.projector_mode, "group_id": session.projector_group_id,
            "slide": session.projector_slide or 0,
            "initiative_id": session.projector_initiative_id}
