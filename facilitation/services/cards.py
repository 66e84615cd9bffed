"""Posting, editing, merging, deleting and revealing cards (trends and ideas)."""
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import AgendaItem, Idea, Selection, Session, Trend, utcnow
from ..tacts import get_kind
from . import rooms, serialize
from .actors import require
from .errors import Closed, Conflict, Invalid, NotAllowed, NotFound
from .initiatives import emit_selection
from .rows import author_fields, is_own, parse_client_id
from .unit import unit_of_work

CARD_MODELS = {"trend": Trend, "idea": Idea}


def kind_of(card):
    """'trend' or 'idea'."""
    return "trend" if isinstance(card, Trend) else "idea"


def is_visible(card, item):
    """Whether everyone in the card's audience may see it (not only author and moderators)."""
    return not item.hidden or card.revealed


def card_rooms(card, item):
    """The rooms that receive changes of this card."""
    sid = card.session_id
    if not is_visible(card, item):
        result = [rooms.group_moderators_room(card.group_id) if isinstance(card, Trend)
                  else rooms.moderators_room(sid)]
        if card.participant_id:
            result.append(rooms.participant_room(card.participant_id))
        return result
    if isinstance(card, Trend):
        return [rooms.group_room(card.group_id), rooms.projector_room(sid)]
    return [rooms.session_room(sid)]


def _find_by_client_id(model, client_id):
    return db.session.scalar(db.select(model).where(model.client_id == client_id))


def _open_item(actor, item_id):
    """The item a post goes into; refuse unless it is the current, active, unlocked one."""
    item = db.session.get(AgendaItem, item_id) if isinstance(item_id, int) else None
    if item is None or item.session_id != actor.session_id:
        raise NotFound(_l("This agenda item does not exist."))
    kind = get_kind(item.kind)
    if not kind.accepts_posts:
        raise Closed(_l("Nothing is posted in this item."))
    session = db.session.get(Session, actor.session_id)
    if session.current_item_id != item.id or item.state != "active":
        raise Closed(_l("This tact is finished or has not started yet; your post was not saved."))
    if item.locked:
        raise Closed(_l("The moderator has locked this tact; posts are closed."))
    return item, kind


def _target_group(actor, kind, data):
    """The group a card goes to: the participant's own, or one a moderator names."""
    if actor.participant is not None:
        if kind.post_scope == "group" and actor.participant.group_id is None:
            raise NotAllowed(_l("You are not in a group yet; ask the moderator."))
        requested = data.get("group_id")
        if requested not in (None, "", actor.participant.group_id):
            raise NotAllowed(_l("You can post only into your own group."))
        return actor.participant.group_id
    require(actor.is_moderator)
    group_id = data.get("group_id")
    if kind.post_scope == "group":
        if not isinstance(group_id, int) or not actor.may_moderate_group(group_id):
            raise NotAllowed(_l("You can post only into a group you moderate."))
        return group_id
    return group_id if isinstance(group_id, int) and actor.may_moderate_group(group_id) else None


def create_card(actor, data):
    """Post a card into the current item; a resend with the same client id is a no-op.

    Returns (card as plain data, created). Raises Closed, NotAllowed, Invalid, NotFound.
    """
    require(actor.is_participant or actor.is_moderator)
    if not isinstance(data, dict):
        raise Invalid()
    client_id = parse_client_id(data.get("client_id"))
    item_id = data.get("item_id")
    # A resend of something already stored answers as saved, whatever the tact's state now.
    for model in CARD_MODELS.values():
        existing = _find_by_client_id(model, client_id)
        if existing is not None:
            return _resent(existing, actor)
    try:
        with unit_of_work() as unit:
            item, kind = _open_item(actor, item_id)
            clean = kind.card_form(data)
            group_id = _target_group(actor, kind, data)
            card = kind.card_model(
                client_id=client_id, session_id=actor.session_id, item_id=item.id,
                group_id=group_id, text=clean["text"],
                **author_fields(actor))
            db.session.add(card)
            db.session.flush()
            card.rev = unit.next_rev(actor.session_id)
            data_out = serialize.card(card, kind_of(card))
            unit.record(actor.session_id, card.rev, "card.created", data_out,
                        card_rooms(card, item))
    except IntegrityError:
        # The same client id committed by a concurrent resend: answer as that one did.
        db.session.rollback()
        for model in CARD_MODELS.values():
            existing = _find_by_client_id(model, client_id)
            if existing is not None:
                return _resent(existing, actor)
        raise
    return data_out, True


def is_stored(data):
    """Whether a post's client id is already stored (a resend, answered without writing)."""
    try:
        client_id = parse_client_id(data.get("client_id") if isinstance(data, dict) else None)
    except Invalid:
        return False
    return any(_find_by_client_id(model, client_id) is not None for model in CARD_MODELS.values())


def _resent(existing, actor):
    if not is_own(existing, actor):
        raise Conflict(_l("This client id is already used; please reload the page."))
    return serialize.card(existing, kind_of(existing)), False


def _load_card(actor, data):
    kind = data.get("kind") if isinstance(data, dict) else None
    model = CARD_MODELS.get(kind)
    card_id = data.get("id") if isinstance(data, dict) else None
    card = db.session.get(model, card_id) if model and isinstance(card_id, int) else None
    if card is None or card.session_id != actor.session_id or card.deleted_at is not None:
        raise NotFound(_l("This card no longer exists."))
    return card, db.session.get(AgendaItem, card.item_id)


def _may_moderate_card(actor, card):
    if not actor.is_moderator:
        return False
    if isinstance(card, Trend):
        return actor.may_moderate_group(card.group_id)
    return True


def _may_change(actor, card, item):
    """Authors change their own cards until the tact is locked or done; moderators always."""
    if _may_moderate_card(actor, card):
        return True
    if not is_own(card, actor):
        raise NotAllowed(_l("You can change only your own posts."))
    if item.locked or item.state == "done":
        raise Closed(_l("The moderator has locked this tact; posts can no longer be changed."))
    return True


def _publish_card(unit, card, item, type_):
    card.rev = unit.next_rev(card.session_id)
    out = serialize.card(card, kind_of(card))
    unit.record(card.session_id, card.rev, type_, out, card_rooms(card, item))
    return out


def update_card(actor, data):
    """Change a card's text. Raises NotFound, NotAllowed, Closed, Invalid."""
    with unit_of_work() as unit:
        card, item = _load_card(actor, data)
        _may_change(actor, card, item)
        clean = get_kind(item.kind).card_form(data)
        if clean["text"] == card.text:
            return serialize.card(card, kind_of(card))
        card.text = clean["text"]
        card.updated_at = utcnow()
        return _publish_card(unit, card, item, "card.updated")


def delete_card(actor, data):
    """Delete a card (softly: its client id stays taken). Raises NotFound, NotAllowed, Closed."""
    with unit_of_work() as unit:
        card, item = _load_card(actor, data)
        _may_change(actor, card, item)
        card.deleted_at = utcnow()
        return _publish_card(unit, card, item, "card.deleted")


def merge_cards(actor, data):
    """Merge card `id` into card `into` (same item and board); optionally set the new text.

    The merged card disappears from the board and points at the card it joined. An idea's
    selections by the groups of tact 3 follow it (see `_follow_merge`); the ack's `selections`
    are those changed rows of the groups the actor moderates (the others get them as events).
    """
    with unit_of_work() as unit:
        # The session's write lock first: the selections below are read against committed data.
        unit.lock(actor.session_id)
        source, item = _load_card(actor, data)
        require(_may_moderate_card(actor, source),
                _l("Only the group's moderator can merge cards."))
        target, _ = _load_card(actor, {"kind": data.get("kind"), "id": data.get("into")})
        if target.id == source.id or target.item_id != source.item_id or (
                isinstance(source, Trend) and target.group_id != source.group_id):
            raise Invalid(_l("Cards can be merged only within one board."))
        if data.get("text"):
            target.text = get_kind(item.kind).card_form(data)["text"]
            target.updated_at = utcnow()
        source.merged_into_id = target.id
        source.deleted_at = utcnow()
        # The selections first: a board never shows a selection of an idea already gone.
        moved = _follow_merge(unit, source, target) if isinstance(source, Idea) else []
        gone = _publish_card(unit, source, item, "card.deleted")
        kept = _publish_card(unit, target, item, "card.updated")
        return {"merged": gone, "into": kept,
                "selections": [s for s in moved if actor.may_moderate_group(s["group_id"])]}


def _follow_merge(unit, source, target):
    """Every group's live selection of the merged-away idea `source` now stands for `target`.

    A group that did not hold `target` keeps its selection (same place), pointing at `target`.
    A group that held both keeps one selection: the duplicate is dropped (softly), and when it
    sat in an initiative while the kept one was still in the pool, the kept one takes its place
    there (the group's clustering wins over the unsorted pool). A group that had dropped
    `target` before gets that row back in the duplicate's place (one row per group and idea).

    Chips are not touched, and none is lost: stakes lie on initiatives (Stake.initiative_id),
    not on ideas, so every initiative keeps its chips and each person's budget stays as it was.
    An initiative left without ideas keeps its name and chips until the moderator dissolves it,
    which refunds them. Returns the changed selections as plain data (each event logged)."""
    changed = []
    duplicates = db.session.scalars(db.select(Selection).where(
        Selection.idea_id == source.id, Selection.deleted_at.is_(None))
        .order_by(Selection.id)).all()
    if not duplicates:
        return []
    held = {s.group_id: s for s in db.session.scalars(  # every group's row of `target`, at once
        db.select(Selection).where(Selection.idea_id == target.id))}
    for dup in duplicates:
        kept = held.get(dup.group_id)
        if kept is None:
            dup.idea_id = target.id
            changed.append(dup)
            continue
        if kept.deleted_at is not None or (kept.initiative_id is None
                                           and dup.initiative_id is not None):
            kept.deleted_at = None
            kept.initiative_id = dup.initiative_id
            kept.position = dup.position
            changed.append(kept)
        dup.deleted_at = utcnow()
        dup.initiative_id = None
        changed.append(dup)
    db.session.flush()
    return [emit_selection(unit, s) for s in changed]


def reveal_card(actor, data):
    """Show one hidden card to everyone before the rest (moderators only)."""
    with unit_of_work() as unit:
        card, item = _load_card(actor, data)
        require(_may_moderate_card(actor, card))
        card.revealed = True
        return _publish_card(unit, card, item, "card.updated")


def visible_cards(actor, item_ids=None, kinds=None):
    """Every live card this actor may see, as plain data (for snapshots); of `kinds` only
    (names of CARD_MODELS) when given: a snapshot knowing the others have none."""
    result = []
    for name, model in CARD_MODELS.items():
        if kinds is not None and name not in kinds:
            continue
        # Authors' names with two queries per kind, not one per card (a phone's snapshot).
        query = db.select(model).where(model.session_id == actor.session_id,
                                       model.deleted_at.is_(None)).options(
            selectinload(model.participant), selectinload(model.author_user))
        if item_ids is not None:
            query = query.where(model.item_id.in_(item_ids))
        if name == "trend" and not (actor.is_chief or actor.is_projector):
            groups = ({actor.group_id} if actor.participant is not None
                      else set(actor.moderated_group_ids))
            query = query.where(model.group_id.in_(groups))
        items = {}
        for card in db.session.scalars(query.order_by(model.id)):
            item = items.get(card.item_id) or items.setdefault(
                card.item_id, db.session.get(AgendaItem, card.item_id))
            if (is_visible(card, item) or (actor.is_moderator and actor.participant is None)
                    or (actor.participant is not None and is_own(card, actor))):
                result.append(serialize.card(card, name))
    return result
