"""What a (re)connecting client gets: the events it missed, or a snapshot of what it may see."""
from flask import current_app

from ..extensions import db
from ..models import (Change, Deck, Flow, GroupBoard, Initiative, Objective, Participant,
                      Request, Selection, Session, Stakeholder)
from . import serialize
from .agenda import projector_state
from .cards import CARD_MODELS, visible_cards
from .clock import timer_state
from .initiatives import default_board, get_board, mine_data, stakes_data
from .experts import results
from .objectives import visible_objectives
from .requests import visible_requests
from .stakeholders import balance, stakeholder_data
from .sessions import session_info
from .teams import teams_summary


# The tables a snapshot reads beyond the session's own rows, by the name the snapshot uses.
# Early in a session, when a hall joins, most are empty: one query tells which hold anything of
# the session, and the reads that could only come back empty are skipped (a phone's first
# snapshot in tact 2: 6 queries instead of 19; bench S4). What is skipped is exactly what would
# have been empty, so the snapshot is the same (tests/services/test_snapshot_probe.py).
PROBED = {**CARD_MODELS, "boards": GroupBoard, "selections": Selection,
          "initiatives": Initiative, "stakeholders": Stakeholder, "flows": Flow,
          "requests": Request, "objectives": Objective, "decks": Deck}


def present(session_id):
    """The names of PROBED whose table holds any row of the session, deleted rows included."""
    row = db.session.execute(db.select(*(
        db.exists().where(model.session_id == session_id).label(name)
        for name, model in PROBED.items()))).one()
    return {name for name, has in zip(PROBED, row) if has}


def snapshot(actor, probe=True):
    """Everything this actor may see now, with the revision it is current as of. `probe=False`
    reads every table (what the probe must never change)."""
    session = db.session.get(Session, actor.session_id)
    have = present(session.id) if probe else set(PROBED)
    data = {
        "rev": session.revision,
        "session": session_info(session),
        "current_item_id": session.current_item_id,
        "items": [serialize.item(i) for i in session.items],
        "groups": [serialize.group(g) for g in session.groups],
        "cards": visible_cards(actor, kinds=have),
        "projector": projector_state(session),
        "board": board_snapshot(actor, session, have),
        "teams": teams_summary(session),
        "decks": deck_snapshot(actor, session, have),
        # The experts' results: staff always; phones and projectors once revealed.
        "results": results(session, with_numbers=actor.participant is None
                           and not actor.is_projector),
    }
    if actor.participant is not None:
        data["me"] = serialize.participant(actor.participant)
    data["tacts"] = kinds_snapshot(actor, session)
    return data


def kinds_snapshot(actor, session):
    """Each tact kind's own live data that the session's items use (the kind's snapshot hook),
    by kind name; kinds that keep nothing of their own are left out."""
    from ..tacts import get_kind
    out = {}
    for name in dict.fromkeys(i.kind for i in session.items):
        part = get_kind(name).snapshot(actor, session)
        if part is not None:
            out[name] = part
    return out


MEMBERS_FOR_PHONES = 200


def deck_snapshot(actor, session, have=PROBED):
    """Tact 8: the decks of the actor's group (participants), of the groups they moderate, or
    every group's (the chief moderator, organizers and projectors)."""
    from .decks import visible_decks
    if "decks" not in have:
        return []
    if actor.participant is not None:
        group_ids = [actor.participant.group_id] if actor.participant.group_id else []
    else:
        group_ids = sorted(actor.moderated_group_ids)
    return visible_decks(actor, group_ids, actor.is_chief or actor.is_projector)


def board_snapshot(actor, session, have=PROBED):
    """Tacts 3–5 as this actor may see them: their own group's, or the groups they moderate.
    `have`: the names of PROBED that may hold rows (see `present`); the others are skipped."""
    if actor.participant is not None:
        group_ids = [actor.participant.group_id] if actor.participant.group_id else []
    elif actor.is_chief or actor.is_projector:
        group_ids = [g.id for g in session.groups]
    else:
        group_ids = sorted(actor.moderated_group_ids)
    data = {key: [] for key in ("boards", "selections", "initiatives", "stakes", "mine",
                                "stakeholders", "flows", "balances", "requests", "objectives",
                                "members")}
    if not group_ids:
        return data
    in_groups = lambda model: model.group_id.in_(group_ids)  # noqa: E731
    if "boards" in have:
        data["boards"] = [serialize.board(b) for b in db.session.scalars(
            db.select(GroupBoard).where(in_groups(GroupBoard)))]
    if "selections" in have:
        data["selections"] = [serialize.selection(s) for s in db.session.scalars(
            db.select(Selection).where(in_groups(Selection), Selection.deleted_at.is_(None)))]
    # A day-two team sees the initiatives it took over, with what hangs off them and their
    # List B places in the groups that made them (services/teams.py).
    initiatives = db.session.scalars(db.select(Initiative).where(
        in_groups(Initiative) | Initiative.team_group_id.in_(group_ids),
        Initiative.deleted_at.is_(None))).all() if "initiatives" in have else []
    data["initiatives"] = [serialize.initiative(i) for i in initiatives]
    taken_over = [i.id for i in initiatives if i.group_id not in group_ids]
    origins = sorted({i.group_id for i in initiatives} - set(group_ids))
    # With no rows in a table, a group's board has its defaults and List B and chips are empty.
    no_initiatives = "initiatives" not in have
    for item in (i for i in session.items if i.kind == "clustering"):
        for group_id in group_ids + origins:
            # Read once for List B and the chips (each would read it again).
            board = (get_board(item.id, group_id) if "boards" in have
                     else default_board(item, group_id))
            totals = actor.participant is None and not actor.is_projector
            data["stakes"].append(stakes_data(item.id, group_id, with_totals=totals, board=board,
                                              rows=[] if no_initiatives else None))
            if actor.participant is not None and group_id in group_ids:
                data["mine"].append(mine_data(item.id, group_id, actor.participant.id,
                                              board=board, stakes={} if no_initiatives else None))
    if "stakeholders" in have:
        data["stakeholders"] = [stakeholder_data(s) for s in db.session.scalars(
            db.select(Stakeholder).where(in_groups(Stakeholder)
                                         | Stakeholder.initiative_id.in_(taken_over),
                                         Stakeholder.deleted_at.is_(None)))]
    if "flows" in have:
        data["flows"] = [serialize.flow(f) for f in db.session.scalars(
            db.select(Flow).where(in_groups(Flow) | Flow.initiative_id.in_(taken_over),
                                  Flow.deleted_at.is_(None)))]
    data["balances"] = [balance(i, session.language) for i in initiatives]
    everything = actor.is_chief or actor.is_projector
    # The people of the group: owners of key results (tact 7) are chosen among them. Plain
    # rows, and for a phone at most MEMBERS_FOR_PHONES: every phone of a plenary-size group
    # would otherwise carry the whole hall in its snapshot (bench/fanout.py: 1,000 in one).
    query = (db.select(Participant.id, Participant.display_name, Participant.group_id)
             .where(Participant.group_id.in_(group_ids), Participant.removed_at.is_(None))
             .order_by(Participant.display_name))
    if actor.participant is not None:
        query = query.limit(MEMBERS_FOR_PHONES)
    data["members"] = [{"id": i, "display_name": name, "group_id": g}
                       for i, name, g in db.session.execute(query)]
    if "requests" in have:
        data["requests"] = visible_requests(actor, group_ids, everything)
    if "objectives" in have:
        data["objectives"] = visible_objectives(actor, group_ids, everything)
    return data


def answer(actor, rev, limit):
    """What a (re)connecting client gets for its revision `rev`: {rev, events, timer} (what it
    missed, when at most `limit` revisions and the log is complete) or {rev, snapshot}."""
    # The session row read once and held here: the identity map keeps an object only while
    # something refers to it, and since() and snapshot() read it too. (A participant's actor
    # has loaded it already, with its current item.)
    session = db.session.get(Session, actor.session_id)
    events = since(actor, rev, limit)
    if events is None:
        snap = snapshot(actor)
        return {"rev": snap["rev"], "snapshot": snap}
    current = session.current_item
    return {"rev": session.revision, "events": events,
            "timer": timer_state(current) if current else None}


def since(actor, rev, limit):
    """The events after `rev` that reach this actor's rooms, or None when a snapshot is due.

    A snapshot is due when the client is ahead of the server (a reset database), when the
    log holds more than `limit` events after `rev`.
    """
    session = db.session.get(Session, actor.session_id)
    if not isinstance(rev, int) or rev < 0 or rev > session.revision:
        return None
    if session.revision - rev > limit:
        return None
    changes = change_log().between(session, rev, session.revision)
    if changes is None:
        return None  # the log was pruned: only a snapshot is complete
    my_rooms = set(actor.rooms())
    return [{"type": kind, "rev": number, "data": data}
            for number, kind, data, rooms in changes if not my_rooms.isdisjoint(rooms)]


def change_log():
    """This app's ChangeLog (one per app: tests make many apps, each on its own database)."""
    log = current_app.extensions.get("takt_change_log")
    if log is None:
        log = current_app.extensions["takt_change_log"] = ChangeLog()
    return log


class ChangeLog:
    """The sessions' recent changes as read from the `changes` table, kept by this process.

    A change row is written once, in the transaction that takes its revision, and never
    altered, so a revision once read stays true: a reconnect storm of a thousand phones reads
    the log once instead of a thousand times (and decodes no JSON). A session is known by its
    id, join code and creation time together, so that a session deleted and another created
    under the same id (SQLite may reuse it) never sees the first one's changes. Bounded: at most
    KEEP changes per session and SESSIONS sessions, the least recently used going first.
    """
    KEEP = 2000
    SESSIONS = 64

    def __init__(self):
        self._sessions = {}  # (id, join_code, created_at) -> {rev: (rev, type, data, rooms)}

    def between(self, session, after, upto):
        """The changes with after < rev <= upto in order, or None when the table lacks some."""
        key = (session.id, session.join_code, session.created_at)
        log = self._sessions.pop(key, None)
        if log is None:
            log = {}
            while len(self._sessions) >= self.SESSIONS:
                self._sessions.pop(next(iter(self._sessions)))
        self._sessions[key] = log  # most recently used last
        wanted = range(after + 1, upto + 1)
        first_missing = next((r for r in wanted if r not in log), None)
        if first_missing is not None:
            rows = db.session.execute(
                db.select(Change.rev, Change.type, Change.data, Change.rooms)
                .where(Change.session_id == session.id, Change.rev >= first_missing,
                       Change.rev <= upto))
            for number, kind, data, rooms in rows:
                log[number] = (number, kind, data, frozenset(rooms))
            for number in sorted(log)[:max(0, len(log) - self.KEEP)]:
                del log[number]  # the oldest; `wanted` is among the newest (limit < KEEP)
        found = [log.get(r) for r in wanted]
        return None if None in found else found
