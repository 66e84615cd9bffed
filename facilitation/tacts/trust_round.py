"""`trust_round` (seed 004): a round of trust communication. Participants speak in turn on the
moderator's prompts ("my strengths", "why I take part"), each keeping the key points of their own
turn on the phone; the projector shows the speaker, the queue and the speaker's timer; the round
ends with the group's common goal and proposals to reach it, supported with a tap.
Services: `services/trust.py`; models: `models/trust.py`; scripts: `static/js/tacts/trust_*.js`.
"""
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from wtforms import Form, TextAreaField
from wtforms.validators import InputRequired, Optional

from ..models.trust import GOAL_MAX, NOTE_MAX, PROPOSAL_MAX
from ..services.text import CleanText, normalize
from .base import TactKind


class PromptsForm(Form):
    """The moderator's prompts, one a line."""

    text = TextAreaField(validators=[InputRequired(message=_l("Write at least one prompt.")),
                                     CleanText(2600)], filters=[normalize])


class NoteForm(Form):
    """The key points of one's own turn (may be emptied)."""

    text = TextAreaField(validators=[Optional(), CleanText(NOTE_MAX)], filters=[normalize])


class GoalForm(Form):
    """The group's common goal."""

    text = TextAreaField(validators=[Optional(), CleanText(GOAL_MAX)], filters=[normalize])


class ProposalForm(Form):
    """A proposal to reach the common goal."""

    text = TextAreaField(validators=[InputRequired(message=_l("Write the proposal.")),
                                     CleanText(PROPOSAL_MAX)], filters=[normalize])


_ID = {"type": "integer", "minimum": 1}
_TEXT = {"type": "string"}
_TIME = {"type": ["string", "null"], "format": "date-time"}
OUTPUT_SCHEMA = {
    "type": "object",
    "required": ["phase", "goal", "turn_s", "turn_elapsed_s", "prompt_id", "speaker_id",
                 "prompts", "queue", "turns", "notes", "proposals"],
    "additionalProperties": False,
    "properties": {
        "phase": {"enum": ["speaking", "goal"]},
        "goal": _TEXT,
        "turn_s": {"type": "integer", "minimum": 0, "maximum": 24 * 3600},
        "turn_elapsed_s": {"type": "number", "minimum": 0},
        "prompt_id": {"type": ["integer", "null"]},
        "speaker_id": {"type": ["integer", "null"]},
        "prompts": {"type": "array", "items": {
            "type": "object", "required": ["id", "text", "position", "deleted"],
            "additionalProperties": False,
            "properties": {"id": _ID, "text": _TEXT, "position": {"type": "integer"},
                           "deleted": {"type": "boolean"}}}},
        "queue": {"type": "array", "items": {
            "type": "object", "required": ["participant_id"], "additionalProperties": False,
            "properties": {"participant_id": _ID, "name": _TEXT}}},
        "turns": {"type": "array", "items": {
            "type": "object", "required": ["prompt_id", "participant_id", "spoken_s"],
            "additionalProperties": False,
            "properties": {"prompt_id": _ID, "participant_id": _ID, "name": _TEXT,
                           "spoken_s": {"type": "number", "minimum": 0},
                           "started_at": _TIME}}},
        "notes": {"type": "array", "items": {
            "type": "object", "required": ["prompt_id", "participant_id", "text"],
            "additionalProperties": False,
            "properties": {"prompt_id": _ID, "participant_id": _ID, "name": _TEXT,
                           "text": _TEXT, "updated_at": _TIME}}},
        "proposals": {"type": "array", "items": {
            "type": "object", "required": ["id", "text", "participant_id", "author", "deleted",
                                           "supporters"],
            "additionalProperties": False,
            "properties": {"id": _ID, "text": _TEXT, "participant_id": {"type": ["integer", "null"]},
                           "author": _TEXT, "deleted": {"type": "boolean"},
                           "created_at": _TIME,
                           "supporters": {"type": "array", "items": _ID, "uniqueItems": True}}}},
    },
}


def _clock(seconds):
    seconds = int(round(seconds or 0))
    return f"{seconds // 60}:{seconds % 60:02d}"


class TrustRoundKind(TactKind):
    name = "trust_round"
    service = "trust"  # its snapshot (tacts/base.py)
    label = _l("Trust-communication round")
    output_schema = OUTPUT_SCHEMA
    # The scripts of each view (static/js/tacts/), loaded by the views' kind loader.
    views = {"phone": "trust_phone.js", "projector": "trust_projector.js",
             "console": "trust_console.js", "css": "trust_round.css"}
    js_strings = {
        "tr_prompt": _l("Prompt"),
        "tr_speaker": _l("Speaking now"),
        "tr_next": _l("Next speaker"),
        "tr_queue": _l("Queue"),
        "tr_no_speaker": _l("The round starts when the moderator gives the floor."),
        "tr_your_turn": _l("Your turn: speak now"),
        "tr_soon": _l("You speak after the current speaker"),
        "tr_place": _l("Your place in the queue: {n}"),
        "tr_not_in_queue": _l("You are not in the queue; the moderator can add you."),
        "tr_points": _l("Key points of my turn"),
        "tr_points_hint": _l("Jot down what you want to say; it is saved as you type."),
        "tr_saving": _l("Saving…"),
        "tr_saved": _l("Saved"),
        "tr_waiting": _l("Saved on this phone; it will be sent when the connection is back."),
        "tr_goal": _l("Common goal"),
        "tr_goal_none": _l("The group is wording the common goal."),
        "tr_proposals": _l("Proposals to reach it"),
        "tr_propose": _l("Propose"),
        "tr_proposal_ph": _l("What can we do to reach the goal?"),
        "tr_support": _l("Support"),
        "tr_supported": _l("Supported"),
        "tr_supports": _l("supports"),
        "tr_no_proposals": _l("No proposals yet."),
        "tr_not_open": _l("The moderator is preparing the round."),
        "tr_start": _l("Start"),
        "tr_pause": _l("Pause"),
        "tr_give_floor": _l("Give the floor"),
        "tr_to_goal": _l("To the common goal"),
        "tr_to_turns": _l("Back to the turns"),
        "tr_prompts": _l("Prompts, one a line"),
        "tr_save_prompts": _l("Save prompts"),
        "tr_turn_length": _l("Minutes per speaker"),
        "tr_set": _l("Set"),
        "tr_add_all": _l("Add everyone who joined"),
        "tr_up": _l("Up"),
        "tr_down": _l("Down"),
        "tr_remove": _l("Remove from the queue"),
        "tr_save_goal": _l("Save the goal"),
        "tr_spoke": _l("spoke"),
        "tr_done_circle": _l("Everyone has spoken on this prompt."),
        "tr_delete": _l("Delete"),
        "tr_of": _l("of"),
        "tr_on_projector": _l("Show the round on the projector"),
    }

    def client_info(self):
        return {**super().client_info(), "board": "trust_round"}

    # -- live data (services/trust.py) ----------------------------------------------------------
    def actions(self):
        from ..services import trust
        return {
            "open": (trust.open_round, None), "state": (trust.round_state, None),
            "set_prompts": (trust.set_prompts, None), "set_queue": (trust.set_queue, None),
            "start": (trust.start_turn, None), "pause": (trust.pause_turn, None),
            "next": (trust.next_turn, None), "extend": (trust.extend_turn, None),
            "turn_length": (trust.set_turn_length, None), "phase": (trust.set_phase, None),
            "goal": (trust.set_goal, None),
            "note": (trust.save_note, "board"), "propose": (trust.add_proposal, "post"),
            "delete_proposal": (trust.delete_proposal, None), "support": (trust.support, "board"),
        }

    # -- exports and import (/work/tools/KIND_HOOKS.md) -------------------------------------------
    def export_item(self, item):
        from ..extensions import db
        from ..models import Participant
        from ..models.trust import (TrustNote, TrustPrompt, TrustProposal, TrustRound,
                                    TrustSpeaker, TrustSupport, TrustTurn)
        from ..services.serialize import iso
        from ..services.trust import turn_remaining
        r = db.session.scalar(db.select(TrustRound).where(TrustRound.item_id == item.id))
        if r is None:
            return None

        def rows(model, *order):
            return db.session.scalars(db.select(model).where(model.round_id == r.id)
                                      .order_by(*order, model.id)).all()

        def name(pid):
            p = db.session.get(Participant, pid) if pid else None
            return p.display_name if p else ""
        return {
            "phase": r.phase, "goal": r.goal, "turn_s": r.turn_s,
            "turn_elapsed_s": round(max(0.0, r.turn_s - turn_remaining(r)), 1),
            "prompt_id": r.prompt_id, "speaker_id": r.speaker_id,
            "prompts": [{"id": p.id, "text": p.text, "position": p.position,
                         "deleted": p.deleted_at is not None}
                        for p in rows(TrustPrompt, TrustPrompt.position)],
            "queue": [{"participant_id": s.participant_id, "name": name(s.participant_id)}
                      for s in rows(TrustSpeaker, TrustSpeaker.position)],
            "turns": [{"prompt_id": t.prompt_id, "participant_id": t.participant_id,
                       "name": name(t.participant_id), "spoken_s": round(t.spoken_s or 0.0, 1),
                       "started_at": iso(t.started_at)} for t in rows(TrustTurn)],
            "notes": [{"prompt_id": n.prompt_id, "participant_id": n.participant_id,
                       "name": name(n.participant_id), "text": n.text,
                       "updated_at": iso(n.updated_at)} for n in rows(TrustNote)],
            "proposals": [{"id": x.id, "text": x.text, "participant_id": x.participant_id,
                           "author": x.author_name, "deleted": x.deleted_at is not None,
                           "created_at": iso(x.created_at),
                           "supporters": list(db.session.scalars(
                               db.select(TrustSupport.participant_id)
                               .where(TrustSupport.proposal_id == x.id)
                               .order_by(TrustSupport.id)))}
                          for x in rows(TrustProposal)],
        }

    def import_item(self, item, data, ids):
        from ..models.trust import (TrustNote, TrustPrompt, TrustProposal, TrustRound,
                                    TrustSpeaker, TrustSupport, TrustTurn)
        from ..services.errors import Invalid
        at, sid = ids.place, ids.session.id
        r = ids.add(TrustRound(session_id=sid, item_id=item.id, phase=data["phase"],
                               goal=data["goal"], turn_s=data["turn_s"],
                               turn_elapsed_s=data["turn_elapsed_s"], rev=0), at)
        ids.flush()
        prompts = ids.setdefault("trust_prompts", {})
        for n, p in enumerate(data["prompts"]):
            row = ids.add(TrustPrompt(session_id=sid, round_id=r.id, position=p["position"],
                                      text=p["text"], deleted_at=ids.now if p["deleted"] else None),
                          f"{at}.prompts[{n}]")
            ids.flush()
            if p["id"] in prompts:
                raise Invalid(_l("%(place)s: the id %(value)s appears twice.",
                                 place=f"{at}.prompts[{n}].id", value=p["id"]))
            prompts[p["id"]] = row.id
        r.prompt_id = ids.ref("trust_prompts", data["prompt_id"], f"{at}.prompt_id", nullable=True)
        r.speaker_id = ids.ref("participants", data["speaker_id"], f"{at}.speaker_id",
                               nullable=True)
        seen = set()
        for n, s in enumerate(data["queue"]):
            pid = ids.ref("participants", s["participant_id"], f"{at}.queue[{n}].participant_id")
            if pid in seen:
                raise Invalid(_l("%(place)s: this participant is in the queue twice.",
                                 place=f"{at}.queue[{n}]"))
            seen.add(pid)
            ids.add(TrustSpeaker(session_id=sid, round_id=r.id, participant_id=pid, position=n),
                    f"{at}.queue[{n}]")
        for key, model, extra in (("turns", TrustTurn, ("spoken_s", "started_at")),
                                  ("notes", TrustNote, ("text", "updated_at"))):
            pairs = set()
            for n, row in enumerate(data[key]):
                place = f"{at}.{key}[{n}]"
                pair = (ids.ref("trust_prompts", row["prompt_id"], f"{place}.prompt_id"),
                        ids.ref("participants", row["participant_id"], f"{place}.participant_id"))
                if pair in pairs:
                    raise Invalid(_l("%(place)s: this participant already has one on this "
                                     "prompt.", place=place))
                pairs.add(pair)
                values = {"session_id": sid, "round_id": r.id, "prompt_id": pair[0],
                          "participant_id": pair[1]}
                if key == "turns":
                    values.update(spoken_s=row["spoken_s"],
                                  started_at=ids.when(row.get("started_at"), f"{place}.started_at"))
                else:
                    when = ids.when(row.get("updated_at"), f"{place}.updated_at")
                    values.update(text=row["text"], created_at=when, updated_at=when, rev=0)
                ids.add(model(**values), place)
        ids.flush()
        for n, x in enumerate(data["proposals"]):
            place = f"{at}.proposals[{n}]"
            created = ids.when(x.get("created_at"), f"{place}.created_at")
            row = ids.add(TrustProposal(
                session_id=sid, round_id=r.id, text=x["text"], created_at=created,
                updated_at=created, deleted_at=created if x["deleted"] else None, rev=0,
                **ids.author(x, place)), place)
            ids.flush()
            for k, pid in enumerate(x["supporters"]):
                ids.add(TrustSupport(session_id=sid, proposal_id=row.id, created_at=created,
                                     participant_id=ids.ref("participants", pid,
                                                            f"{place}.supporters[{k}]")),
                        f"{place}.supporters[{k}]")
        ids.flush()

    def demo_fill(self, item, demo):
        """`flask --app wsgi demo --template round_table --filled`: the demo's `trust_round`."""
        content = demo.content.get("trust_round")
        if not content:
            return False
        fill_demo(demo.session, demo.chief, demo.people, content)
        return None

    def report_sections(self, item, data):
        prompts = {p["id"]: p["text"] for p in data["prompts"]}
        order = {q["participant_id"]: n for n, q in enumerate(data["queue"])}
        names = {q["participant_id"]: q.get("name", "") for q in data["queue"]}
        rows = {}
        for t in data["turns"]:
            names.setdefault(t["participant_id"], t.get("name", ""))
            rows.setdefault((t["prompt_id"], t["participant_id"]), {})["spoken"] = t["spoken_s"]
        for n in data["notes"]:
            names.setdefault(n["participant_id"], n.get("name", ""))
            if n["text"]:
                rows.setdefault((n["prompt_id"], n["participant_id"]), {})["text"] = n["text"]
        position = {p["id"]: (p["position"], p["id"]) for p in data["prompts"]}
        keys = sorted(rows, key=lambda k: (position.get(k[0], (99, 0)),
                                           order.get(k[1], 10 ** 6), names.get(k[1], "")))
        points_title, prompts_label = gettext("key points of the turns"), gettext("Prompts")
        goal_title, goal_label = gettext("common goal and proposals"), gettext("Common goal")
        turns = {
            "title": f"{item['title']}: {points_title}", "group_id": None,
            "paragraphs": [f"{prompts_label}: " + "; ".join(
                p["text"] for p in sorted(data["prompts"], key=lambda p: p["position"])
                if not p["deleted"])] if data["prompts"] else [],
            "table": {"columns": [gettext("Prompt"), gettext("Participant"),
                                  gettext("Key points"), gettext("Spoke, min:s")],
                      "rows": [[prompts.get(p, ""), names.get(pid, ""),
                                rows[(p, pid)].get("text", ""),
                                _clock(rows[(p, pid)]["spoken"]) if "spoken" in rows[(p, pid)]
                                else None] for p, pid in keys]},
        }
        live = sorted((x for x in data["proposals"] if not x["deleted"]),
                      key=lambda x: (-len(x["supporters"]), x["id"]))
        goal = {
            "title": f"{item['title']}: {goal_title}", "group_id": None,
            "paragraphs": [f"{goal_label}: {data['goal']}"] if data["goal"] else [],
            "table": {"columns": [gettext("Proposal"), gettext("Author"), gettext("Supports")],
                      "rows": [[x["text"], x["author"], len(x["supporters"])] for x in live]}
            if live else None,
        }
        return [turns, goal]


def fill_demo(session, chief, people, content=None):
    """Run the session's trust round with demo content through the services (what
    `flask --app wsgi demo --template round_table --filled` does): prompts, every participant's
    turn with key points on both prompts, the common goal, proposals and supports. `chief` is
    the chief moderator's actor, `people` {display name: Participant}, in queue order."""
    import uuid

    from ..extensions import db
    from ..models import Session
    from ..services import agenda, trust
    from ..services.actors import participant_actor
    from ..templates_lib import _load
    content = content or _load("demo_round_table")["trust_round"]
    lang = db.session.get(Session, session.id).language
    pick = lambda v: v.get(lang) or v["ru"] if isinstance(v, dict) else v  # noqa: E731
    while True:
        current = db.session.get(Session, session.id).current_item
        if current is not None and current.kind == "trust_round":
            break
        agenda.advance(chief, current.id if current else None)
    item_id = current.id
    trust.set_prompts(chief, {"item_id": item_id,
                              "text": "\n".join(pick(p) for p in content["prompts"])})
    order = [people[n].id for n in content["speakers"] if n in people]
    trust.set_queue(chief, {"item_id": item_id, "values": order})
    state = trust.round_state(chief, {"item_id": item_id})["round"]
    for prompt in state["prompts"]:
        for name in content["speakers"]:
            if name not in people:
                continue
            actor = participant_actor(people[name].id, session.id)
            points = content["points"].get(name, {})
            text = pick(points.get(prompt["position"] + 1, "")) if points else ""
            if text:
                trust.save_note(actor, {"item_id": item_id, "prompt_id": prompt["id"],
                                        "text": text})
    speaker = None
    for _ in range(len(order) * len(state["prompts"]) + 1):
        speaker = trust.next_turn(chief, {"item_id": item_id, "speaker_id": speaker})["round"]
        speaker = speaker["speaker_id"]
        if speaker is None:
            break
    trust.set_phase(chief, {"item_id": item_id, "phase": "goal"})
    trust.set_goal(chief, {"item_id": item_id, "text": pick(content["goal"])})
    for proposal in content["proposals"]:
        author = participant_actor(people[proposal["author"]].id, session.id)
        made = trust.add_proposal(author, {"client_id": str(uuid.uuid4()), "item_id": item_id,
                                           "text": pick(proposal["text"])})["proposal"]
        for name in proposal.get("supporters", []):
            trust.support(participant_actor(people[name].id, session.id),
                          {"proposal_id": made["id"], "on": True})
    return item_id
