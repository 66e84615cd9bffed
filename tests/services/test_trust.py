"""The trust-communication round (kind `trust_round`): prompts, queue, turns and the speaker's
timer, key points, the common goal, proposals and supports; refusals change nothing."""
import uuid
from datetime import timedelta

import pytest

from facilitation.extensions import db
from facilitation.models import Change, TrustNote, TrustRound, TrustSupport, TrustTurn
from facilitation.services import agenda, trust
from facilitation.services.actors import participant_actor, user_actor
from facilitation.services.errors import Closed, Conflict, Invalid, NotAllowed, NotFound
from tests import factories


class Table:
    """A round table session at its trust round, with a moderator and three phones."""

    def __init__(self):
        self.session, self.organizer = factories.gen_session(template="round_table",
                                                             title="Круглый стол")
        self.chief = user_actor(self.organizer, self.session.id)
        group = factories.gen_group(self.session, self.organizer, "Стол", "")
        self.moderator = factories.gen_user(name="Модератор стола")
        from facilitation.services import sessions
        sessions.assign_moderator(self.organizer, self.session.id, group.id, self.moderator)
        self.people = [factories.gen_participant(self.session, group, name)
                       for name in ("Алина", "Борис", "Вера")]
        self.item = factories.advance_to(self.chief, self.session.id, "trust_round")

    def phone(self, n):
        return participant_actor(self.people[n].id, self.session.id)

    def mod(self):
        return user_actor(self.moderator, self.session.id)

    def do(self, fn, actor=None, **data):
        return fn(actor or self.chief, {"item_id": self.item.id, **data})

    def revision(self):
        db.session.expire_all()
        return self.session.revision


@pytest.fixture
def table(app):
    return Table()


def test_open_makes_default_prompts_and_queue(table):
    r = table.do(trust.open_round)["round"]
    assert [p["text"] for p in r["prompts"]] == ["Мои сильные стороны", "Почему я участвую"]
    assert [q["name"] for q in r["queue"]] == ["Алина", "Борис", "Вера"]
    assert r["phase"] == "speaking" and r["speaker_id"] is None and r["turn"]["duration_s"] == 120
    # Opening again changes nothing but the revision; still one round.
    table.do(trust.open_round)
    assert db.session.scalar(db.select(db.func.count(TrustRound.id))) == 1


def test_turn_order_goes_through_each_prompt_then_to_the_goal(table):
    ids = [p.id for p in table.people]
    r = table.do(trust.start_turn)["round"]
    assert r["speaker_id"] == ids[0] and r["turn"]["running"]
    seen = [(r["prompt_id"], r["speaker_id"])]
    for _ in range(5):
        r = table.do(trust.next_turn, speaker_id=r["speaker_id"])["round"]
        seen.append((r["prompt_id"], r["speaker_id"]))
    prompts = [p["id"] for p in r["prompts"]]
    assert seen == [(prompts[0], i) for i in ids] + [(prompts[1], i) for i in ids]
    r = table.do(trust.next_turn, speaker_id=r["speaker_id"])["round"]
    assert r["phase"] == "goal" and r["speaker_id"] is None and not r["turn"]["running"]
    assert r["spoken"] == {str(p): ids for p in prompts}
    # In the goal phase the turns are closed until the moderator goes back.
    with pytest.raises(Closed):
        table.do(trust.next_turn, speaker_id=None)
    r = table.do(trust.set_phase, phase="speaking")["round"]
    assert r["phase"] == "speaking"


def test_two_presses_at_once_move_one_step(table):
    r = table.do(trust.start_turn)["round"]
    seen = r["speaker_id"]
    table.do(trust.next_turn, speaker_id=seen)
    before = table.revision()
    with pytest.raises(Conflict):
        table.do(trust.next_turn, speaker_id=seen)
    assert table.revision() == before


def test_the_speakers_timer_pauses_extends_and_counts_the_turn(table):
    r = table.do(trust.start_turn)["round"]
    speaker = r["speaker_id"]
    row = db.session.scalar(db.select(TrustRound))
    row.turn_started_at -= timedelta(seconds=30)  # thirty seconds of speech
    db.session.commit()
    r = table.do(trust.pause_turn)["round"]
    assert not r["turn"]["running"] and 89 <= r["turn"]["remaining_s"] <= 90.5
    r = table.do(trust.extend_turn, seconds=60)["round"]
    assert r["turn"]["duration_s"] == 180 and 149 <= r["turn"]["remaining_s"] <= 150.5
    turn = db.session.scalar(db.select(TrustTurn).where(TrustTurn.participant_id == speaker))
    assert 29.5 <= turn.spoken_s <= 31
    r = table.do(trust.start_turn)["round"]
    assert r["turn"]["running"] and r["speaker_id"] == speaker
    r = table.do(trust.set_turn_length, seconds=90)["round"]
    assert r["turn"]["duration_s"] == 90
    # The next speaker starts with the full time.
    r = table.do(trust.next_turn, speaker_id=speaker)["round"]
    assert r["turn"]["duration_s"] == 90 and r["turn"]["remaining_s"] > 89


def test_give_the_floor_to_someone_and_reorder_the_queue(table):
    ids = [p.id for p in table.people]
    table.do(trust.open_round)
    r = table.do(trust.set_queue, values=[ids[2], ids[0]])["round"]
    assert [q["participant_id"] for q in r["queue"]] == [ids[2], ids[0]]
    r = table.do(trust.start_turn, participant_id=ids[0])["round"]
    assert r["speaker_id"] == ids[0]
    r = table.do(trust.next_turn, speaker_id=ids[0])["round"]
    assert r["speaker_id"] == ids[2]  # wraps to the one who has not spoken yet
    r = table.do(trust.set_queue, fill=True)["round"]
    assert [q["participant_id"] for q in r["queue"]] == [ids[2], ids[0], ids[1]]


def test_prompts_kept_keep_their_notes(table):
    r = table.do(trust.open_round)["round"]
    first = r["prompts"][0]
    table.do(trust.save_note, table.phone(0), prompt_id=first["id"], text="Организую людей")
    r = table.do(trust.set_prompts, text="Почему я участвую\nМои сильные стороны\nЧем могу помочь")["round"]
    assert [p["text"] for p in r["prompts"]] == ["Почему я участвую", "Мои сильные стороны",
                                                 "Чем могу помочь"]
    assert any(p["id"] == first["id"] for p in r["prompts"])
    assert db.session.scalar(db.select(TrustNote.text)) == "Организую людей"


def test_key_points_are_own_saved_as_typed_and_private(table):
    r = table.do(trust.open_round)["round"]
    prompt = r["prompts"][0]["id"]
    phone = table.phone(1)
    note = table.do(trust.save_note, phone, prompt_id=prompt, text="Гранты")["note"]
    note = table.do(trust.save_note, phone, prompt_id=prompt, text="Гранты и отчётность")["note"]
    assert note["text"] == "Гранты и отчётность" and note["name"] == "Борис"
    assert db.session.scalar(db.select(db.func.count(TrustNote.id))) == 1
    # The note went to the author's own room and the moderators, not to the whole session.
    change = db.session.scalars(db.select(Change).where(Change.type == "trust_round.notes")
                                .order_by(Change.rev.desc())).first()
    assert set(change.rooms) == {f"u{table.people[1].id}", f"m{table.session.id}"}
    assert [n["text"] for n in trust.snapshot(phone, table.session)["notes"]] == ["Гранты и отчётность"]
    assert trust.snapshot(table.phone(0), table.session)["notes"] == []
    assert len(trust.snapshot(table.mod(), table.session)["notes"]) == 1
    from facilitation.services.actors import projector_actor
    assert trust.snapshot(projector_actor(table.session.id), table.session)["notes"] == []


def test_refusals_change_nothing(table):
    r = table.do(trust.open_round)["round"]
    prompt = r["prompts"][0]["id"]
    before = table.revision()
    phone = table.phone(0)
    cases = [
        (NotAllowed, trust.start_turn, phone, {}),  # a participant does not run the round
        (NotAllowed, trust.set_goal, phone, {"text": "Цель"}),
        (NotAllowed, trust.save_note, table.chief, {"prompt_id": prompt, "text": "x"}),
        (Invalid, trust.save_note, phone, {"prompt_id": prompt, "text": "x" * 1001}),
        (NotFound, trust.save_note, phone, {"prompt_id": 999999, "text": "x"}),
        (Invalid, trust.set_prompts, table.chief, {"text": "   "}),
        (Invalid, trust.set_turn_length, table.chief, {"seconds": 5}),
        (Invalid, trust.extend_turn, table.chief, {"seconds": "60"}),
        (Invalid, trust.set_queue, table.chief, {"values": [table.people[0].id] * 2}),
        (NotFound, trust.set_queue, table.chief, {"values": [999999]}),
        (Invalid, trust.set_phase, table.chief, {"phase": "later"}),
        (Invalid, trust.add_proposal, phone, {"client_id": str(uuid.uuid4()), "text": " "}),
    ]
    for error, fn, actor, data in cases:
        with pytest.raises(error):
            table.do(fn, actor, **data)
        db.session.rollback()
    assert table.revision() == before
    # A locked item takes nothing from phones.
    agenda.set_locked(table.chief, table.item.id, True)
    before = table.revision()
    with pytest.raises(Closed):
        table.do(trust.save_note, phone, prompt_id=prompt, text="x")
    assert table.revision() == before


def test_goal_proposals_and_one_support_per_person(table):
    table.do(trust.set_phase, phase="goal")
    r = table.do(trust.set_goal, text="Сообщество ценностных лидеров")["round"]
    assert r["goal"] == "Сообщество ценностных лидеров"
    cid = str(uuid.uuid4())
    made = table.do(trust.add_proposal, table.phone(0), client_id=cid, text="Встречаться раз в месяц")
    assert not made["duplicate"] and made["proposal"]["author"] == "Алина"
    again = table.do(trust.add_proposal, table.phone(0), client_id=cid, text="Встречаться раз в месяц")
    assert again["duplicate"] and again["proposal"]["id"] == made["proposal"]["id"]
    with pytest.raises(NotAllowed):  # someone else's client id
        table.do(trust.add_proposal, table.phone(1), client_id=cid, text="Другое")
    pid = made["proposal"]["id"]
    for n in (0, 1, 1):
        x = trust.support(table.phone(n), {"proposal_id": pid, "on": True})["proposal"]
    assert x["support"] == 2 and sorted(x["supporters"]) == sorted(p.id for p in table.people[:2])
    before = table.revision()
    trust.support(table.phone(1), {"proposal_id": pid, "on": True})  # the same again: no change
    assert table.revision() == before
    x = trust.support(table.phone(1), {"proposal_id": pid, "on": False})["proposal"]
    assert x["support"] == 1
    assert db.session.scalar(db.select(db.func.count(TrustSupport.id))) == 1
    with pytest.raises(NotAllowed):  # staff do not support; they run the round
        trust.support(table.chief, {"proposal_id": pid, "on": True})
    with pytest.raises(NotAllowed):  # only the author or a moderator deletes
        trust.delete_proposal(table.phone(2), {"id": pid})
    assert trust.delete_proposal(table.mod(), {"id": pid})["proposal"]["deleted"]
    assert trust.snapshot(table.phone(0), table.session)["proposals"] == []
