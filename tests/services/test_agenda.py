"""Advance and undo, the timer, projector modes; only the chief moderator drives."""
import pytest

from facilitation.extensions import db
from facilitation.models import AgendaItem, Session
from facilitation.services import agenda
from facilitation.services.errors import Conflict, Invalid, NotAllowed


def _current(world):
    return db.session.get(Session, world.session.id).current_item


def test_advance_starts_first_item_with_its_timer(world):
    first = world.session.items[0]
    agenda.advance(world.chief, None)
    db.session.refresh(first)
    assert _current(world).id == first.id and first.state == "active"
    assert first.timer_started_at is not None and first.timer_duration_s == first.duration_min * 60


def test_advance_with_stale_expectation_is_refused(world):
    agenda.advance(world.chief, None)
    with pytest.raises(Conflict):
        agenda.advance(world.chief, None)  # a second moderator pressed at the same moment
    assert _current(world).position == 0


def test_undo_brings_back_the_previous_items_state(world):
    agenda.advance(world.chief, None)
    first = _current(world)
    agenda.pause_timer(world.chief, first.id)
    agenda.set_locked(world.chief, first.id, True)
    db.session.refresh(first)
    before = (first.state, first.locked, first.timer_elapsed_s, first.timer_started_at)
    agenda.advance(world.chief, first.id)
    second = _current(world)
    assert second.position == 1
    agenda.undo_advance(world.chief, second.id)
    db.session.refresh(first)
    db.session.refresh(second)
    assert _current(world).id == first.id
    assert (first.state, first.locked, first.timer_elapsed_s, first.timer_started_at) == before
    assert second.state == "pending" and second.timer_started_at is None
    agenda.undo_advance(world.chief, first.id)  # back to before the start
    assert _current(world) is None
    with pytest.raises(Invalid):
        agenda.undo_advance(world.chief, None)  # nothing left to undo


def test_timer_pause_extend_start(world):
    agenda.advance(world.chief, None)
    item = _current(world)
    agenda.pause_timer(world.chief, item.id)
    db.session.refresh(item)
    assert item.timer_started_at is None
    agenda.extend_timer(world.chief, item.id, 300)
    db.session.refresh(item)
    assert item.timer_duration_s == item.duration_min * 60 + 300
    for bad in (0, "60", 10**6, True, None):
        with pytest.raises(Invalid):
            agenda.extend_timer(world.chief, item.id, bad)
    agenda.start_timer(world.chief, item.id)
    db.session.refresh(item)
    assert item.timer_started_at is not None


@pytest.mark.parametrize("call", [
    lambda a, i: agenda.advance(a, None),
    lambda a, i: agenda.start_timer(a, i),
    lambda a, i: agenda.set_locked(a, i, True),
    lambda a, i: agenda.set_hidden(a, i, True),
    lambda a, i: agenda.set_projector(a, "wall"),
])
def test_participants_and_group_moderators_cannot_drive(world, call):
    item = world.session.items[0]
    rev = world.session.revision
    for actor in (world.actor(world.phones[0]), world.staff(world.moderators[0])):
        with pytest.raises(NotAllowed):
            call(actor, item.id)
    db.session.refresh(world.session)
    assert world.session.revision == rev


def test_projector_shows_a_group_of_this_session_only(world):
    agenda.set_projector(world.chief, "group", world.groups[1].id)
    assert db.session.get(Session, world.session.id).projector_group_id == world.groups[1].id
    from ..factories import gen_group, gen_session
    other, organizer = gen_session()
    foreign = gen_group(other, organizer)
    with pytest.raises(Exception):
        agenda.set_projector(world.chief, "group", foreign.id)
    with pytest.raises(Invalid):
        agenda.set_projector(world.chief, "disco")


def test_projector_shows_one_initiative_of_the_group_full_size(world):
    """show {mode: group, group_id, initiative_id}: that initiative alone (tacts 4–5 drawn large);
    another group's, a deleted one or a stranger is refused and changes nothing; any other
    mode, or the group without one, shows all again."""
    import uuid

    from facilitation.models import Initiative
    from facilitation.services import initiatives
    from facilitation.services.errors import NotFound
    from ..factories import advance_to
    item = advance_to(world.chief, world.session.id, "clustering")
    made = [initiatives.create_initiative(world.staff(world.moderators[n]), {
        "client_id": str(uuid.uuid4()), "item_id": item.id, "group_id": g.id,
        "name": f"Инициатива {n}"})[0]["id"] for n, g in enumerate(world.groups)]
    g0, g1 = world.groups
    state = agenda.set_projector(world.chief, "group", g0.id, made[0])
    assert state["initiative_id"] == made[0] and state["group_id"] == g0.id
    rev = db.session.get(Session, world.session.id).revision
    for bad in (made[1], 10 ** 6, "1", True):
        with pytest.raises((NotFound, Invalid)):
            agenda.set_projector(world.chief, "group", g0.id, bad)
    session = db.session.get(Session, world.session.id)
    assert (session.projector_initiative_id, session.revision) == (made[0], rev)
    assert agenda.set_projector(world.chief, "group", g0.id)["initiative_id"] is None
    agenda.set_projector(world.chief, "group", g1.id, made[1])
    assert agenda.set_projector(world.chief, "wall")["initiative_id"] is None
    initiatives.dissolve_initiative(world.staff(world.moderators[0]), {"id": made[0]})
    assert db.session.get(Initiative, made[0]).deleted_at is not None
    with pytest.raises(NotFound):
        agenda.set_projector(world.chief, "group", g0.id, made[0])


def test_revisions_strictly_increase(world):
    revs = []
    agenda.advance(world.chief, None)
    item = _current(world)
    for _ in range(3):
        agenda.pause_timer(world.chief, item.id)
        db.session.refresh(world.session)
        revs.append(world.session.revision)
    assert revs == sorted(set(revs)) and len(revs) == 3
    assert db.session.scalar(db.select(db.func.count(AgendaItem.id))) > 0
