"""Nobody writes where they don't belong: every writing socket event, sent by a participant into
another group or session, by a participant as a moderator, by a removed participant on an open
connection and by a moderator of another group or session, is refused with a clear ack and
changes 0 rows. Roles are read from the database on every event (docs/PROTOCOL.md)."""
import uuid
from datetime import date, timedelta

import pytest
from sqlalchemy import text

from facilitation.extensions import db
from facilitation.models import (AgendaItem, Deck, Flow, Idea, Initiative, KeyResult, Objective,
                                 Participant, Request, Selection, Session, Slide, Stakeholder,
                                 StakeholderValue, Trend)
from facilitation.realtime.publish import NAMESPACE as NS
from facilitation.services import participants, sessions
from facilitation.services.actors import user_actor

from .. import factories
from .conftest import size

pytestmark = pytest.mark.reliability

# Every client → server event that writes (facilitation/realtime/events.py; `sync` only reads).
WRITE_EVENTS = (
    "post_card", "edit_card", "delete_card", "merge_cards", "reveal_card", "advance",
    "undo_advance", "timer", "set_item", "show", "take_idea", "drop_idea", "move_idea",
    "create_initiative", "rename_initiative", "merge_initiatives", "dissolve_initiative",
    "board_settings", "set_stake", "add_stakeholder", "edit_stakeholder", "delete_stakeholder",
    "merge_stakeholders", "add_value", "delete_value", "add_flow", "delete_flow", "send_request",
    "answer_request", "set_request_status", "withdraw_request", "add_objective", "edit_objective",
    "delete_objective", "add_key_result", "delete_key_result", "assemble_deck", "edit_slide",
    "add_slide", "delete_slide", "move_slide", "present_deck", "reveal_results", "present",
    "choose_team", "remove_participant")
# Events only the chief moderator (or a group's moderator) may send.
MODERATOR_EVENTS = ("merge_cards", "reveal_card", "advance", "undo_advance", "timer", "set_item",
                    "show", "merge_initiatives", "dissolve_initiative", "board_settings",
                    "merge_stakeholders", "present_deck", "reveal_results", "present",
                    "remove_participant")
PHASES = size(("deck", "clustering", "trends"),
              ("deck", "okr", "requests", "regrouping", "resources", "stakeholders",
               "clustering", "brainstorm", "trends"))


def db_rows():
    """Every row of every table, read on a connection of its own: {table: {pk: row}}."""
    snapshot = {}
    with db.engine.connect() as conn:
        for table in db.metadata.sorted_tables:
            pk = [c.name for c in table.primary_key.columns]
            rows = conn.execute(table.select()).mappings().all()
            snapshot[table.name] = {tuple(r[c] for c in pk): tuple(r.values()) for r in rows}
    return snapshot


def revisions():
    """A cheap per-event check: every session's revision and the length of the change log."""
    with db.engine.connect() as conn:
        return (conn.execute(text("SELECT group_concat(revision) FROM sessions")).scalar(),
                conn.execute(text("SELECT count(*) FROM changes")).scalar())


def rows_changed(before, after):
    """How many rows were added, removed or changed between two snapshots."""
    n = 0
    for table, rows in after.items():
        old = before.get(table, {})
        n += sum(1 for k, v in rows.items() if old.get(k) != v)
        n += sum(1 for k in old if k not in rows)
    return n


def _first(model, *where):
    return db.session.scalar(db.select(model.id).where(*where).order_by(model.id))


def _ids(model, *where):
    return db.session.scalars(db.select(model.id).where(*where).order_by(model.id)).all()


def target_rows(session_id, subject_group_id, team_id):
    """Ids of one side's rows: a subject group's day-one rows and its day-two team's rows."""
    sid = session_id
    inits = _ids(Initiative, Initiative.group_id == subject_group_id, Initiative.deleted_at.is_(None))
    stakeholders_ = _ids(Stakeholder, Stakeholder.initiative_id.in_(inits),
                         Stakeholder.deleted_at.is_(None))
    items = {i.kind: i.id for i in db.session.scalars(
        db.select(AgendaItem).where(AgendaItem.session_id == sid))}
    deck = _first(Deck, Deck.group_id == team_id)
    objective = _first(Objective, Objective.group_id == team_id)
    return {
        "items": items, "group": subject_group_id, "team": team_id,
        "trends": _ids(Trend, Trend.group_id == subject_group_id),
        "ideas": _ids(Idea, Idea.group_id == subject_group_id),
        "idea_any": _first(Idea, Idea.session_id == sid),
        "initiatives": inits, "selection": _first(Selection, Selection.group_id == subject_group_id),
        "stakeholders": stakeholders_,
        "value": _first(StakeholderValue, StakeholderValue.stakeholder_id.in_(stakeholders_)),
        "flow": _first(Flow, Flow.initiative_id.in_(inits)),
        "request": _first(Request, Request.from_group_id == team_id),
        "request_in": _first(Request, Request.to_group_id == team_id),
        "objective": objective,
        "key_result": _first(KeyResult, KeyResult.objective_id == objective),
        "deck": deck, "slide": _first(Slide, Slide.deck_id == deck),
        "participant": _first(Participant, Participant.group_id == team_id),
    }


def payloads(t, current_item_id, staff=False):
    """One well-formed payload per writing event, aimed at the rows in `t`."""
    items, cid = t["items"], lambda: str(uuid.uuid4())
    trend, trend2 = (t["trends"] + [None, None])[:2]
    init, init2 = (t["initiatives"] + [None, None])[:2]
    sh, sh2 = (t["stakeholders"] + [None, None])[:2]
    idea = (t["ideas"] or [t["idea_any"]])[0]
    soon = (date.today() + timedelta(days=30)).isoformat()
    return {
        # Staff may post into List A (plenary) at any time: theirs goes to B's trends.
        "post_card": {"client_id": cid(), "item_id": items["trends"] if staff else current_item_id,
                      "text": "чужое", "group_id": t["group"]},
        "edit_card": {"kind": "trend", "id": trend, "text": "переписано"},
        # List A (ideas) is plenary: every moderator moderates it, so staff get a trend here.
        "delete_card": ({"kind": "trend", "id": trend2} if staff else {"kind": "idea", "id": idea}),
        "merge_cards": {"kind": "trend", "id": trend, "into": trend2},
        "reveal_card": {"kind": "trend", "id": trend},
        "advance": {"current_item_id": current_item_id},
        "undo_advance": {"current_item_id": current_item_id},
        "timer": {"item_id": current_item_id, "action": "extend", "seconds": 600},
        "set_item": {"item_id": current_item_id, "locked": True, "hidden": True},
        "show": {"mode": "group", "group_id": t["team"]},
        "take_idea": {"item_id": items["clustering"], "group_id": t["group"],
                      "idea_id": t["idea_any"], "initiative_id": init},
        "drop_idea": {"id": t["selection"]},
        "move_idea": {"id": t["selection"], "initiative_id": init2, "position": 0},
        "create_initiative": {"client_id": cid(), "item_id": items["clustering"],
                              "group_id": t["group"], "name": "чужая"},
        "rename_initiative": {"id": init, "name": "переименовано"},
        "merge_initiatives": {"id": init, "into": init2},
        "dissolve_initiative": {"id": init},
        "board_settings": {"item_id": items["clustering"], "group_id": t["group"],
                           "staking": "open", "budget": 50, "list_b_locked": False},
        "set_stake": {"item_id": items["clustering"], "initiative_id": init, "count": 1},
        "add_stakeholder": {"client_id": cid(), "item_id": items["stakeholders"],
                            "initiative_id": init, "name": "чужой", "type": "business"},
        "edit_stakeholder": {"id": sh, "name": "переименован"},
        "delete_stakeholder": {"id": sh},
        "merge_stakeholders": {"id": sh, "into": sh2},
        "add_value": {"client_id": cid(), "stakeholder_id": sh, "text": "ценность"},
        "delete_value": {"id": t["value"]},
        "add_flow": {"client_id": cid(), "item_id": items["resources"], "initiative_id": init,
                     "source_id": sh, "target_id": None, "resource": "money",
                     "resource_text": "деньги", "mark": "given"},
        "delete_flow": {"id": t["flow"]},
        "send_request": {"client_id": cid(), "item_id": items["requests"], "initiative_id": init,
                         "to_group_id": t["team"], "need": "other", "text": "просьба"},
        "answer_request": {"client_id": cid(), "request_id": t["request_in"], "text": "ответ"},
        "set_request_status": {"id": t["request_in"], "status": "declined"},
        "withdraw_request": {"id": t["request"]},
        "add_objective": {"client_id": cid(), "item_id": items["okr"], "initiative_id": init,
                          "text": "цель"},
        "edit_objective": {"id": t["objective"], "text": "переписано"},
        "delete_objective": {"id": t["objective"]},
        "add_key_result": {"client_id": cid(), "objective_id": t["objective"], "metric": "люди",
                           "target": 10, "unit": "чел.", "deadline": soon,
                           "owner": f"p{t['participant']}"},
        "delete_key_result": {"id": t["key_result"]},
        "assemble_deck": {"item_id": items["deck"], "group_id": t["team"]},
        "edit_slide": {"id": t["slide"], "title": "чужой", "body": "", "base": 10 ** 6},
        "add_slide": {"client_id": cid(), "deck_id": t["deck"], "title": "чужой", "body": ""},
        "delete_slide": {"id": t["slide"]},
        "move_slide": {"id": t["slide"], "position": 3},
        "present_deck": {"group_id": t["team"], "index": 1},
        "reveal_results": {"revealed": True},
        "present": {"item_id": items.get("presentation", current_item_id), "group_id": t["group"]},
        "choose_team": {"team_id": t["team"]},
        "remove_participant": {"participant_id": t["participant"]},
    }


def _undo_to(chief, session_id, kind):
    from facilitation.services import agenda
    while True:
        current = db.session.get(Session, session_id).current_item
        db.session.refresh(current)
        if current.kind == kind:
            return current
        agenda.undo_advance(chief, current.id)


def test_no_write_where_it_does_not_belong(app, live, figure):
    """Six attackers × every writing event × several agenda positions: all refused, 0 rows."""
    from facilitation.cli import build_demo
    app.config.update(POST_LIMIT_PER_PARTICIPANT="100000 per minute",
                      BOARD_LIMIT_PER_PARTICIPANT="100000 per minute")
    s1, _pw, moderators, _experts = build_demo(filled=True)
    sid = s1.id
    teams = [g for g in s1.groups if g.stage == 2]
    team_a, team_b = teams[0], teams[1]
    group_b = db.session.get(Initiative, _first(Initiative, Initiative.team_group_id == team_b.id)
                             ).group_id
    group_a = db.session.get(Initiative, _first(Initiative, Initiative.team_group_id == team_a.id)
                             ).group_id
    mod_a = next(u for g, u, _p in moderators if g.id == group_a)
    mod_a.set_password(factories.PASSWORD)  # the live fixture signs in with it
    db.session.commit()
    a_people = db.session.scalars(db.select(Participant).where(
        Participant.group_id == team_a.id)).all()
    # Another session, with its own moderator and phone.
    s2, org2 = factories.gen_session(title="Другая сессия")
    g2 = factories.gen_group(s2, org2, "Чужая группа", "—")
    mod2 = factories.gen_user(name="Чужой модератор")
    sessions.assign_moderator(org2, s2.id, g2.id, mod2)
    phone2 = factories.gen_participant(s2, g2, "Чужой")
    from facilitation.models import Membership, User
    organizer = db.session.get(User, db.session.scalar(db.select(Membership.user_id).where(
        Membership.session_id == sid, Membership.role == "organizer")))
    chief = user_actor(organizer, sid)

    # The connections, each opened while its role was valid.
    p_a = live(participant=a_people[0])
    removed = live(participant=a_people[1])
    p_other = live(participant=phone2)
    m_a = live(user=mod_a, session=s1)
    m_other = live(user=mod2, session=s2)
    for c in (p_a, removed, p_other, m_a, m_other):
        assert c.is_connected(NS)
    # A moderator of another session cannot even connect to this one.
    refused_connects = 0
    intruder = factories.gen_user(name="Посторонний")
    try:
        c = live(user=intruder, session=s1)
        refused_connects += 0 if c.is_connected(NS) else 1
    except Exception:  # noqa: BLE001 — flask-socketio's test client raises on a refused connect
        refused_connects += 1
    participants.remove_participant(user_actor(mod_a, sid), a_people[1].id)

    a_rows = target_rows(sid, group_a, team_a.id)
    b_rows = target_rows(sid, group_b, team_b.id)
    for key in ("trends", "initiatives", "stakeholders"):
        assert len(b_rows[key]) >= 2, key
    for key in ("request", "request_in", "objective", "key_result", "deck", "slide", "value",
                "flow", "selection", "participant"):
        assert b_rows[key], key

    tried, refused, changed, unclear = 0, 0, 0, []
    for phase in PHASES:
        current = _undo_to(chief, sid, phase)
        attacks = [
            # (choose_team is left out here: choosing another team is a participant's right
            # while the regrouping item runs; it is sent by the other attackers.)
            ("participant of group A → group B", p_a, payloads(b_rows, current.id),
             tuple(e for e in WRITE_EVENTS if e != "choose_team")),
            ("participant of another session", p_other, payloads(b_rows, current.id),
             WRITE_EVENTS),
            ("participant → moderator events", p_a, payloads(a_rows, current.id),
             MODERATOR_EVENTS),
            ("removed participant", removed, payloads(a_rows, current.id), WRITE_EVENTS),
            ("moderator of group A → group B", m_a, payloads(b_rows, current.id, staff=True),
             tuple(e for e in WRITE_EVENTS if e not in ("choose_team", "set_stake"))),
            ("moderator of another session", m_other, payloads(b_rows, current.id, staff=True),
             WRITE_EVENTS),
        ]
        for who, client, data, events in attacks:
            before = db_rows()  # every row of every table, before and after each attacker's run
            for event in events:
                rev_before = revisions()
                ack = client.emit(event, data[event], namespace=NS, callback=True)
                tried += 1
                clear = (isinstance(ack, dict) and ack.get("ok") is False
                         and ack.get("code") not in (None, "server_error", "rate_limited")
                         and isinstance(ack.get("error"), str) and ack["error"].strip())
                if clear and revisions() == rev_before:
                    refused += 1
                else:
                    unclear.append((phase, who, event, ack))
            n = rows_changed(before, db_rows())
            changed += n
            if n:
                unclear.append((phase, who, "rows changed", n))
    assert p_a.is_connected(NS)
    if unclear:
        print("not refused cleanly:", unclear)
    figure("security: foreign writes refused with a clear ack",
           f"{refused}/{tried} (+{refused_connects}/1 foreign staff connect refused)",
           "all", refused == tried and refused_connects == 1 and not unclear)
    figure("security: rows changed by refused writes", changed, 0, changed == 0)
    assert not unclear, unclear[:10]
