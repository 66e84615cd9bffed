"""The whole session as one JSON document (schema: docs/session-export.schema.json)."""
from ..extensions import db
from ..models import (Flow, Idea, Initiative, Membership, Objective, Participant, Request, Score,
                      Selection, Session, Stake, Stakeholder, Trend, User)
from ..services import serialize
from ..services.errors import NotFound
from ..services.initiatives import get_board, stakes_data
from ..services.experts import criteria_of, results
from ..services.objectives import objective_data
from ..services.requests import request_data
from ..services.stakeholders import balance, stakeholder_data

FORMAT = "takt.session"
AGENDA_FIELDS = ("id", "position", "day", "kind", "tact", "scope", "title", "instructions",
                 "start_time", "duration_min", "state", "locked", "hidden")
VERSION = 6  # 2: tacts 3–5; 3: tacts 6–7 (requests, objectives); 4: expert criteria and scores;
# 5: day-two teams (groups' stage, initiatives' team) and tact 8 decks; 6: agenda items' `output`
# (each kind's own data, from its export_item hook)


def _cards(model, session_id):
    rows = db.session.scalars(db.select(model).where(model.session_id == session_id)
                              .order_by(model.id))
    return [{"id": c.id, "client_id": c.client_id, "item_id": c.item_id, "group_id": c.group_id,
             "participant_id": c.participant_id, "author": c.author_name, "text": c.text,
             "revealed": c.revealed, "merged_into": c.merged_into_id,
             "deleted": c.deleted_at is not None, "created_at": serialize.iso(c.created_at),
             "updated_at": serialize.iso(c.updated_at)} for c in rows]


def _agenda_item(item):
    """An agenda item, with its kind's own output (the kind's export_item hook) when it has one."""
    from ..tacts import get_kind
    row = {k: v for k, v in serialize.item(item).items() if k in AGENDA_FIELDS}
    if item.texts:  # the program's other language (the builder's), when there is one
        row["texts"] = item.texts
    output = get_kind(item.kind).export_item(item)
    if output is not None:
        row["output"] = output
    return row


def export_session(session_id):
    """Return the session as plain data. Raises NotFound for an unknown id."""
    session = db.session.get(Session, session_id)
    if session is None:
        raise NotFound(f"session {session_id}")
    staff = db.session.scalars(db.select(Membership).where(Membership.session_id == session_id)
                               .order_by(Membership.user_id, Membership.role))
    return {
        "format": FORMAT,
        "version": VERSION,
        "session": {
            "id": session.id, "title": session.title, "language": session.language,
            "starts_on": session.starts_on.isoformat(), "ends_on": session.ends_on.isoformat(),
            "timezone": session.timezone, "join_code": session.join_code,
            "template": session.template_name, "group_assignment": session.group_assignment,
            "revision": session.revision, "current_item_id": session.current_item_id,
            "teams_opened_at": serialize.iso(session.teams_opened_at),
            "created_at": serialize.iso(session.created_at),
        },
        "staff": [{"name": m.user.display_name, "role": m.role} for m in staff],
        "groups": [{**serialize.group(g), "moderators": [u.display_name for u in g.moderators]}
                   for g in session.groups],
        "agenda": [_agenda_item(i) for i in session.items],
        "participants": [
            serialize.participant(p) for p in db.session.scalars(
                db.select(Participant).where(Participant.session_id == session_id)
                .order_by(Participant.id))],
        "trends": _cards(Trend, session_id),
        "ideas": _cards(Idea, session_id),
        **_boards(session),
    }


def _rows(model, session_id):
    return db.session.scalars(db.select(model).where(model.session_id == session_id)
                              .order_by(model.id)).all()


def _boards(session):
    """Tacts 3–5: List B per group, initiatives with their ideas, stakes, stakeholders with
    values, flows, and each live initiative's balance with its flags."""
    sid = session.id
    selections = [s for s in _rows(Selection, sid) if s.deleted_at is None]
    boards = []
    for item in (i for i in session.items if i.kind == "clustering"):
        for group in (g for g in session.groups if g.stage != 2):  # teams make no List B
            data = stakes_data(item.id, group.id, with_totals=True)
            settings = serialize.board(get_board(item.id, group.id))
            settings.pop("rev")
            boards.append({**settings, "list_b": data["list_b"], "focus": data["focus"],
                           "pool": [s.idea_id for s in sorted(selections, key=_order)
                                    if s.group_id == group.id and s.initiative_id is None]})
    initiatives = []
    for i in _rows(Initiative, sid):
        row = serialize.initiative(i)
        row.pop("rev")
        row["ideas"] = [s.idea_id for s in sorted(selections, key=_order)
                        if s.initiative_id == i.id]
        initiatives.append(row)
    language = session.language
    return {
        "boards": boards,
        "initiatives": initiatives,
        "stakes": [{"participant_id": s.participant_id, "initiative_id": s.initiative_id,
                    "count": s.count} for s in _rows(Stake, sid) if s.count > 0],
        "stakeholders": [_drop_rev(stakeholder_data(s)) for s in _rows(Stakeholder, sid)],
        "flows": [_drop_rev(serialize.flow(f)) for f in _rows(Flow, sid)],
        "balances": [balance(i, language) for i in _rows(Initiative, sid)
                     if i.deleted_at is None],
        "requests": [_drop_rev(request_data(r)) for r in _rows(Request, sid)],
        "objectives": [_drop_rev(objective_data(o)) for o in _rows(Objective, sid)],
        "criteria": [{"id": c.id, "name": c.name, "position": c.position}
                     for c in criteria_of(session)],
        "scores": [{"expert": db.session.get(User, s.expert_user_id).display_name,
                    "group_id": s.group_id, "criterion_id": s.criterion_id, "value": s.value,
                    "comment": s.comment} for s in _rows(Score, sid)],
        "results": results(session),
        "decks": _decks(sid),
    }


def _order(selection):
    return (selection.position, selection.id)


def _drop_rev(row):
    row.pop("rev", None)
    return row


def _decks(session_id):
    """Tact 8: each group's final deck with every slide (deleted ones flagged), in order."""
    from ..models import Deck, Slide
    from ..services.decks import slide_data
    out = []
    for deck in _rows(Deck, session_id):
        slides = db.session.scalars(db.select(Slide).where(Slide.deck_id == deck.id)
                                    .order_by(Slide.position, Slide.id))
        out.append({"id": deck.id, "item_id": deck.item_id, "group_id": deck.group_id,
                    "assembled_at": serialize.iso(deck.assembled_at),
                    "slides": [{k: v for k, v in slide_data(x, deck.group_id).items()
                                if k not in ("rev", "text_rev", "group_id", "deck_id")}
                               for x in slides]})
    return out


def render(session_id, group_id=None):
    """The JSON document as UTF-8 bytes. The JSON export is always the whole session: it is
    what `flask import` reads back, so `group_id` only checks that the group exists."""
    import json
    data = export_session(session_id)
    if group_id is not None and group_id not in {g["id"] for g in data["groups"]}:
        raise NotFound(f"group {group_id}")
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
