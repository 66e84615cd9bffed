"""The round of trust communication (kind `trust_round`, seed 004): the moderator sets the
prompts and the queue and runs each speaker's timer; each participant keeps the key points of
their own turn; the round ends with the group's common goal and proposals, which participants
support with a tap. Every change: authorize, validate (WTForms), one transaction, then publish.

Events (docs/PROTOCOL.md, "Trust-communication round"): `trust_round.rounds` (the round's
state) and `trust_round.proposals` to the session room; `trust_round.notes` to the author's own
devices and the moderators."""
from flask_babel import force_locale, gettext
from flask_babel import lazy_gettext as _l

from ..extensions import db
from ..models import AgendaItem, Participant, Session, utcnow
from ..models.trust import (DEFAULT_TURN_S, PHASES, TrustNote, TrustPrompt, TrustProposal,
                            TrustRound, TrustSpeaker, TrustSupport, TrustTurn)
from ..tacts.base import validate
from . import rooms
from .actors import require
from .errors import Closed, Conflict, Invalid, NotFound
from .initiatives import load_item, lock_session, require_open_for_participant
from .rows import author_fields, is_int, is_own, load_row, parse_client_id, resent
from .serialize import iso
from .unit import unit_of_work

KIND = "trust_round"
# "<kind>.<list>": one row of the kind's own list (static/js/store.js keeps them by id and rev).
ROUND_EVENT, NOTE_EVENT, PROPOSAL_EVENT = (f"{KIND}.rounds", f"{KIND}.notes", f"{KIND}.proposals")
MAX_PROMPTS = 12
MAX_QUEUE = 500
TURN_LIMITS = (15, 30 * 60)
MAX_EXTEND_S = 10 * 60


def default_prompts(language):
    """The seed's circles: strengths, then why one takes part (in the session's language)."""
    with force_locale(language):
        return [gettext("My strengths"), gettext("Why I take part")]


# -- reading --------------------------------------------------------------------------------
def prompts_of(r):
    return db.session.scalars(db.select(TrustPrompt).where(
        TrustPrompt.round_id == r.id, TrustPrompt.deleted_at.is_(None))
        .order_by(TrustPrompt.position, TrustPrompt.id)).all()


def queue_of(r, with_removed=False):
    """The speakers in order: [(TrustSpeaker, Participant)]; removed participants left out."""
    rows = db.session.execute(db.select(TrustSpeaker, Participant).join(
        Participant, Participant.id == TrustSpeaker.participant_id).where(
        TrustSpeaker.round_id == r.id).order_by(TrustSpeaker.position, TrustSpeaker.id)).all()
    return [(s, p) for s, p in rows if with_removed or p.removed_at is None]


def turn_remaining(r, now=None):
    """Seconds left on the speaker's timer (negative when overrun)."""
    now = now or utcnow()
    elapsed = r.turn_elapsed_s or 0.0
    if r.turn_started_at is not None:
        elapsed += (now - r.turn_started_at).total_seconds()
    return r.turn_s - elapsed


def round_data(r, now=None):
    """The round as clients keep it (plain data; `turn` counts from `server_now`)."""
    now = now or utcnow()
    spoken = {}
    for t in db.session.scalars(db.select(TrustTurn).where(TrustTurn.round_id == r.id)
                                .order_by(TrustTurn.id)):
        spoken.setdefault(str(t.prompt_id), []).append(t.participant_id)
    return {"id": r.id, "item_id": r.item_id, "phase": r.phase, "prompt_id": r.prompt_id,
            "prompts": [{"id": p.id, "text": p.text, "position": p.position}
                        for p in prompts_of(r)],
            "queue": [{"participant_id": p.id, "name": p.display_name} for _s, p in queue_of(r)],
            "speaker_id": r.speaker_id, "spoken": spoken, "goal": r.goal,
            "turn": {"duration_s": r.turn_s, "remaining_s": round(turn_remaining(r, now), 1),
                     "running": r.turn_started_at is not None, "server_now": iso(now)},
            "rev": r.rev, "updated_at": iso(r.updated_at)}


def note_data(n):
    p = db.session.get(Participant, n.participant_id)
    return {"id": n.id, "item_id": db.session.get(TrustRound, n.round_id).item_id,
            "round_id": n.round_id, "prompt_id": n.prompt_id, "participant_id": n.participant_id,
            "name": p.display_name if p else "", "text": n.text, "rev": n.rev,
            "updated_at": iso(n.updated_at)}


def proposal_data(x):
    supporters = db.session.scalars(db.select(TrustSupport.participant_id).where(
        TrustSupport.proposal_id == x.id).order_by(TrustSupport.id)).all()
    return {"id": x.id, "client_id": x.client_id,
            "item_id": db.session.get(TrustRound, x.round_id).item_id, "round_id": x.round_id,
            "text": x.text, "author": x.author_name, "participant_id": x.participant_id,
            "supporters": list(supporters), "support": len(supporters), "rev": x.rev,
            "deleted": x.deleted_at is not None, "created_at": iso(x.created_at)}


def snapshot(actor, session):
    """The rounds of the session, the proposals, and the notes the actor may read: a
    participant their own, moderators everyone's, projectors none."""
    rounds = db.session.scalars(db.select(TrustRound).where(
        TrustRound.session_id == session.id).order_by(TrustRound.id)).all()
    ids = [r.id for r in rounds]
    notes = db.select(TrustNote).where(TrustNote.round_id.in_(ids)).order_by(TrustNote.id)
    if actor.participant is not None:
        notes = notes.where(TrustNote.participant_id == actor.participant.id)
    elif not actor.is_moderator:
        notes = None
    return {
        "rounds": [round_data(r) for r in rounds],
        "notes": [note_data(n) for n in db.session.scalars(notes)] if notes is not None else [],
        "proposals": [proposal_data(x) for x in db.session.scalars(db.select(TrustProposal).where(
            TrustProposal.round_id.in_(ids), TrustProposal.deleted_at.is_(None))
            .order_by(TrustProposal.id))],
    }


# -- who may do what --------------------------------------------------------------------------
def _driver(actor):
    require(actor.participant is None and actor.is_moderator,
            _l("Only a moderator runs the round."))


def _item(actor, data):
    return load_item(actor, data.get("item_id"), (KIND,))


def _round(unit, actor, item, create=True):
    """The item's round; created with the default prompts and everyone who joined as the queue."""
    r = db.session.scalar(db.select(TrustRound).where(TrustRound.item_id == item.id))
    if r is not None or not create:
        return r
    session = db.session.get(Session, actor.session_id)
    r = TrustRound(session_id=session.id, item_id=item.id, phase="speaking",
                   turn_s=DEFAULT_TURN_S, goal="", rev=0)
    db.session.add(r)
    db.session.flush()
    for n, text in enumerate(default_prompts(session.language)):
        db.session.add(TrustPrompt(session_id=session.id, round_id=r.id, position=n, text=text))
    _fill(r)
    db.session.flush()
    r.prompt_id = prompts_of(r)[0].id
    return r


def _fill(r):
    """Add everyone who joined and is not in the queue yet, in the order they joined."""
    queued = set(db.session.scalars(db.select(TrustSpeaker.participant_id).where(
        TrustSpeaker.round_id == r.id)))
    position = len(queued)
    for p in db.session.scalars(db.select(Participant).where(
            Participant.session_id == r.session_id, Participant.removed_at.is_(None))
            .order_by(Participant.joined_at, Participant.id)):
        if p.id not in queued and position < MAX_QUEUE:
            db.session.add(TrustSpeaker(session_id=r.session_id, round_id=r.id,
                                        participant_id=p.id, position=position))
            position += 1
    db.session.flush()


def _emit_round(unit, r):
    return unit.row_event(r, ROUND_EVENT, round_data, [rooms.session_room(r.session_id)])


def _emit_proposal(unit, x):
    return unit.row_event(x, PROPOSAL_EVENT, proposal_data, [rooms.session_room(x.session_id)])


def _drive(actor, data, change):
    """A moderator's change of the round: load, change, publish the round; return its data."""
    _driver(actor)
    with unit_of_work() as unit:
        lock_session(unit, actor.session_id)
        item = _item(actor, data)
        r = _round(unit, actor, item)
        change(r)
        return {"round": _emit_round(unit, r)}


# -- the moderator: prompts, queue, turns, phase, goal ------------------------------------------
def open_round(actor, data):
    """Make sure the item's round exists (the console does this when the item comes up)."""
    return _drive(actor, data, lambda r: None)


def round_state(actor, data):
    """The round now (a fresh timer), for a client that (re)mounts; None before it is opened."""
    data = data if isinstance(data, dict) else {}
    item = _item(actor, data)
    r = db.session.scalar(db.select(TrustRound).where(TrustRound.item_id == item.id))
    return {"round": round_data(r) if r is not None else None}


def set_prompts(actor, data):
    """{item_id, text}: the prompts, one a line. A prompt kept keeps its notes and turns."""
    from ..tacts.trust_round import PromptsForm
    data = data if isinstance(data, dict) else {}
    lines = [" ".join(x.split()) for x in validate(PromptsForm, data)["text"].splitlines()]
    lines = list(dict.fromkeys(x for x in lines if x))
    if not lines:
        raise Invalid(_l("Write at least one prompt."), field="text")
    if len(lines) > MAX_PROMPTS:
        raise Invalid(_l("At most %(n)d prompts.", n=MAX_PROMPTS), field="text")
    if any(len(x) > 200 for x in lines):
        raise Invalid(_l("A prompt is at most 200 characters."), field="text")

    def change(r):
        kept = {p.text: p for p in prompts_of(r)}
        for p in kept.values():
            if p.text not in lines:
                p.deleted_at = utcnow()
        for n, text in enumerate(lines):
            p = kept.get(text)
            if p is None:
                db.session.add(TrustPrompt(session_id=r.session_id, round_id=r.id, position=n,
                                           text=text))
            else:
                p.position = n
        db.session.flush()
        live = prompts_of(r)
        if r.prompt_id not in {p.id for p in live}:
            r.prompt_id = live[0].id
    return _drive(actor, data, change)


def set_queue(actor, data):
    """{item_id, values: [participant ids]}: the queue in this order (anyone left out leaves
    it); {item_id, fill: true} adds everyone who joined and is not in it yet."""
    data = data if isinstance(data, dict) else {}
    order = data.get("values")
    fill = data.get("fill") is True
    if not fill and (not isinstance(order, list) or not all(is_int(x) for x in order)
                     or len(order) > MAX_QUEUE or len(set(order)) != len(order)):
        raise Invalid(_l("The queue is a list of participants, each once."), field="values")

    def change(r):
        if fill:
            _fill(r)
            return
        people = {p.id: p for p in db.session.scalars(db.select(Participant).where(
            Participant.id.in_(order)))}
        for pid in order:
            p = people.get(pid)
            if p is None or p.session_id != r.session_id or p.removed_at is not None:
                raise NotFound(_l("This participant is not in the session."), field="values")
        current = {s.participant_id: s for s, _p in queue_of(r, with_removed=True)}
        for pid, s in current.items():
            if pid not in order:
                db.session.delete(s)
        for n, pid in enumerate(order):
            s = current.get(pid)
            if s is None:
                db.session.add(TrustSpeaker(session_id=r.session_id, round_id=r.id,
                                            participant_id=pid, position=n))
            else:
                s.position = n
        if r.speaker_id is not None and r.speaker_id not in order:
            _stop(r)
            r.speaker_id = None
        db.session.flush()
    return _drive(actor, data, change)


def _expect_speaker(r, data):
    """`speaker_id` is the speaker the moderator saw: two presses at once move one step."""
    if "speaker_id" in data and data.get("speaker_id") != r.speaker_id:
        raise Conflict(_l("The round has already moved on; the screen shows the current speaker."))


def _stop(r, now=None):
    """Stop the speaker's timer and credit the time to their turn."""
    now = now or utcnow()
    if r.turn_started_at is not None:
        spent = (now - r.turn_started_at).total_seconds()
        r.turn_elapsed_s = (r.turn_elapsed_s or 0.0) + spent
        r.turn_started_at = None
        turn = _turn(r, r.speaker_id) if r.speaker_id else None
        if turn is not None:
            turn.spoken_s = (turn.spoken_s or 0.0) + spent


def _turn(r, participant_id, create=False):
    t = db.session.scalar(db.select(TrustTurn).where(TrustTurn.prompt_id == r.prompt_id,
                                                     TrustTurn.participant_id == participant_id))
    if t is None and create:
        t = TrustTurn(session_id=r.session_id, round_id=r.id, prompt_id=r.prompt_id,
                      participant_id=participant_id, started_at=utcnow(), spoken_s=0.0)
        db.session.add(t)
        db.session.flush()
    return t


def _give_floor(r, participant_id, run):
    """Make `participant_id` the speaker with a fresh timer (running when `run`)."""
    _stop(r)
    r.speaker_id = participant_id
    r.turn_elapsed_s = 0.0
    r.turn_started_at = None
    if participant_id is not None and run:
        _turn(r, participant_id, create=True)
        r.turn_started_at = utcnow()


def start_turn(actor, data):
    """{item_id[, participant_id][, speaker_id]}: run the speaker's timer (from where it was
    paused), or give the floor to `participant_id` with a fresh timer."""
    data = data if isinstance(data, dict) else {}

    def change(r):
        if r.phase != "speaking":
            raise Closed(_l("The round is at the common goal; go back to the turns first."))
        _expect_speaker(r, data)
        target = data.get("participant_id")
        if target is not None:
            if target not in {p.id for _s, p in queue_of(r)}:
                raise NotFound(_l("This participant is not in the queue."), field="participant_id")
            if target != r.speaker_id:
                _give_floor(r, target, run=True)
                return
        if r.speaker_id is None:
            first = _next_speaker(r)
            if first is None:
                raise Invalid(_l("The queue is empty: add the participants first."))
            _give_floor(r, first, run=True)
            return
        if r.turn_started_at is None:
            _turn(r, r.speaker_id, create=True)
            r.turn_started_at = utcnow()
    return _drive(actor, data, change)


def pause_turn(actor, data):
    """{item_id}: pause the speaker's timer."""
    data = data if isinstance(data, dict) else {}
    return _drive(actor, data, _stop)


def _next_speaker(r):
    """The first in the queue after the current speaker who has not spoken on this prompt."""
    queue = [p.id for _s, p in queue_of(r)]
    spoken = set(db.session.scalars(db.select(TrustTurn.participant_id).where(
        TrustTurn.prompt_id == r.prompt_id)))
    start = queue.index(r.speaker_id) + 1 if r.speaker_id in queue else 0
    for pid in queue[start:] + queue[:start]:
        if pid not in spoken and pid != r.speaker_id:
            return pid
    return None


def next_turn(actor, data):
    """{item_id, speaker_id}: the next speaker's turn, their timer running. After the last
    speaker of a prompt the next prompt's circle starts; after the last prompt, the goal."""
    data = data if isinstance(data, dict) else {}

    def change(r):
        if r.phase != "speaking":
            raise Closed(_l("The round is at the common goal; go back to the turns first."))
        _expect_speaker(r, data)
        running = True
        _stop(r)
        if r.speaker_id is not None:
            _turn(r, r.speaker_id, create=True)  # a turn passed over still counts as taken
        nxt = _next_speaker(r)
        if nxt is None:
            prompts = prompts_of(r)
            ids = [p.id for p in prompts]
            at = ids.index(r.prompt_id) if r.prompt_id in ids else -1
            if at + 1 < len(ids):
                r.prompt_id = ids[at + 1]
                r.speaker_id = None
                nxt = _next_speaker(r)
            else:
                _give_floor(r, None, run=False)
                r.phase = "goal"
                return
        _give_floor(r, nxt, run=running)
    return _drive(actor, data, change)


def extend_turn(actor, data):
    """{item_id, seconds}: more (or less) time for the current speaker."""
    data = data if isinstance(data, dict) else {}
    seconds = data.get("seconds")
    if not is_int(seconds) or seconds == 0 or abs(seconds) > MAX_EXTEND_S:
        raise Invalid(_l("Give a number of seconds between -600 and 600."), field="seconds")

    def change(r):
        r.turn_s = max(0, r.turn_s + seconds)
    return _drive(actor, data, change)


def set_turn_length(actor, data):
    """{item_id, seconds}: the time each speaker gets (15 s to 30 min); the current speaker's
    timer starts over from it."""
    data = data if isinstance(data, dict) else {}
    seconds = data.get("seconds")
    if not is_int(seconds) or not TURN_LIMITS[0] <= seconds <= TURN_LIMITS[1]:
        raise Invalid(_l("A turn lasts from 15 seconds to 30 minutes."), field="seconds")

    def change(r):
        r.turn_s = seconds
    return _drive(actor, data, change)


def set_phase(actor, data):
    """{item_id, phase: speaking|goal}: to the common goal and proposals, or back to the turns."""
    data = data if isinstance(data, dict) else {}
    phase = data.get("phase")
    if phase not in PHASES:
        raise Invalid(_l("Unknown stage of the round."), field="phase")

    def change(r):
        if phase == "goal":
            _stop(r)
        r.phase = phase
    return _drive(actor, data, change)


def set_goal(actor, data):
    """{item_id, text}: the common goal as the group words it (the moderator writes it down)."""
    from ..tacts.trust_round import GoalForm
    data = data if isinstance(data, dict) else {}
    text = validate(GoalForm, data)["text"] or ""

    def change(r):
        r.goal = text
    return _drive(actor, data, change)


# -- participants: their key points; everyone: proposals and supports ------------------------
def save_note(actor, data):
    """{item_id, prompt_id, text}: the key points of the participant's own turn (an empty text
    clears them). Saved as they type: the newest text wins."""
    from ..tacts.trust_round import NoteForm
    data = data if isinstance(data, dict) else {}
    require(actor.participant is not None, _l("Only participants keep key points of a turn."))
    text = validate(NoteForm, {"text": data.get("text") or ""})["text"] or ""
    with unit_of_work() as unit:
        lock_session(unit, actor.session_id)
        item = _item(actor, data)
        require_open_for_participant(actor, item)
        r = _round(unit, actor, item, create=False)
        prompt_id = data.get("prompt_id")
        prompt = db.session.get(TrustPrompt, prompt_id) if is_int(prompt_id) else None
        if r is None or prompt is None or prompt.round_id != r.id or prompt.deleted_at is not None:
            raise NotFound(_l("This prompt is no longer on the table."), field="prompt_id")
        note = db.session.scalar(db.select(TrustNote).where(
            TrustNote.prompt_id == prompt.id, TrustNote.participant_id == actor.participant.id))
        if note is None:
            note = TrustNote(session_id=actor.session_id, round_id=r.id, prompt_id=prompt.id,
                             participant_id=actor.participant.id, text=text)
            db.session.add(note)
            db.session.flush()
        elif note.text == text:
            return {"note": note_data(note)}
        note.text = text
        return {"note": unit.row_event(note, NOTE_EVENT, note_data, [
            rooms.participant_room(actor.participant.id), rooms.moderators_room(actor.session_id)])}


def _writable_round(unit, actor, item):
    require_open_for_participant(actor, item)
    r = _round(unit, actor, item, create=actor.participant is None)
    if r is None:
        raise Closed(_l("The round has not started yet."))
    return r


def add_proposal(actor, data):
    """{client_id, item_id, text}: a proposal to reach the goal (participants, moderators)."""
    from ..tacts.trust_round import ProposalForm
    data = data if isinstance(data, dict) else {}
    client_id = parse_client_id(data.get("client_id"))
    existing = resent(TrustProposal, client_id, actor)
    if existing is not None:
        return {"proposal": proposal_data(existing), "duplicate": True}
    text = validate(ProposalForm, data)["text"]
    with unit_of_work() as unit:
        lock_session(unit, actor.session_id)
        item = _item(actor, data)
        r = _writable_round(unit, actor, item)
        x = TrustProposal(client_id=client_id, session_id=actor.session_id, round_id=r.id,
                          text=text, **author_fields(actor))
        db.session.add(x)
        db.session.flush()
        return {"proposal": _emit_proposal(unit, x), "duplicate": False}


def _load_proposal(actor, data):
    return load_row(TrustProposal, actor, data.get("id") if "id" in data else
                    data.get("proposal_id"), _l("This proposal does not exist."),
                    _l("This proposal was deleted meanwhile."))


def delete_proposal(actor, data):
    """{id}: its author (while the round runs) or a moderator."""
    data = data if isinstance(data, dict) else {}
    with unit_of_work() as unit:
        lock_session(unit, actor.session_id)
        x = _load_proposal(actor, data)
        r = db.session.get(TrustRound, x.round_id)
        if actor.participant is not None or not actor.is_moderator:
            require(is_own(x, actor), _l("You can delete only what you added."))
            require_open_for_participant(actor, db.session.get(AgendaItem, r.item_id))
        x.deleted_at = utcnow()
        return {"proposal": _emit_proposal(unit, x)}


def support(actor, data):
    """{proposal_id, on: bool}: a participant supports a proposal, or takes the support back.
    One support per person and proposal; sending the same value again changes nothing."""
    data = data if isinstance(data, dict) else {}
    require(actor.participant is not None, _l("Only participants support proposals."))
    if not isinstance(data.get("on"), bool):
        raise Invalid()
    with unit_of_work() as unit:
        lock_session(unit, actor.session_id)
        x = _load_proposal(actor, data)
        r = db.session.get(TrustRound, x.round_id)
        require_open_for_participant(actor, db.session.get(AgendaItem, r.item_id))
        mine = db.session.scalar(db.select(TrustSupport).where(
            TrustSupport.proposal_id == x.id, TrustSupport.participant_id == actor.participant.id))
        if data["on"] == (mine is not None):
            return {"proposal": proposal_data(x)}
        if data["on"]:
            db.session.add(TrustSupport(session_id=actor.session_id, proposal_id=x.id,
                                        participant_id=actor.participant.id))
        else:
            db.session.delete(mine)
        db.session.flush()
        return {"proposal": _emit_proposal(unit, x)}
