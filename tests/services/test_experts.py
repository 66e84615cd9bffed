"""The expert session: criteria, scores that update instead of doubling, the hidden results."""
import pytest

from facilitation.extensions import db
from facilitation.models import Criterion, Score, Session
from facilitation.services import experts, sessions
from facilitation.services.actors import user_actor
from facilitation.services.errors import Invalid, NotAllowed

from ..factories import gen_user


@pytest.fixture
def panel(world):
    expert = gen_user(name="Эксперт")
    sessions.add_member(world.organizer, world.session.id, expert, "expert")
    return user_actor(expert, world.session.id)


def _criteria(world):
    return experts.criteria_of(db.session.get(Session, world.session.id))


def test_sessions_start_with_the_default_criteria_in_their_language(world):
    assert [c.name for c in _criteria(world)] == [
        "Актуальность", "Реализуемость", "Ресурсная база", "Измеримость ключевых результатов",
        "Команда"]


def test_scoring_again_updates_and_nothing_doubles(world, panel):
    c = _criteria(world)
    group = world.groups[0]
    experts.save_scores(panel, group.id, {c[0].id: (4, "Актуально"), c[1].id: (3, "")})
    data = experts.save_scores(panel, group.id, {c[0].id: (5, "Очень актуально")})
    assert db.session.scalar(db.select(db.func.count(Score.id))) == 2
    row = next(g for g in data["groups"] if g["group_id"] == group.id)
    assert row["averages"][str(c[0].id)] == 5 and row["experts"] == 1 and row["total"] == 4


@pytest.mark.parametrize("value", [0, 6, -1, "5", 2.5, True])
def test_scores_outside_one_to_five_are_refused(world, panel, value):
    c = _criteria(world)
    with pytest.raises(Invalid):
        experts.save_scores(panel, world.groups[0].id, {c[0].id: (value, "")})
    assert db.session.scalar(db.select(db.func.count(Score.id))) == 0


def test_only_experts_score(world, panel):
    c = _criteria(world)
    for actor in (world.actor(world.phones[0]), world.staff(world.moderators[0]), world.chief):
        with pytest.raises(NotAllowed):
            experts.save_scores(actor, world.groups[0].id, {c[0].id: (5, "")})
    assert db.session.scalar(db.select(db.func.count(Score.id))) == 0


def test_results_stay_hidden_until_the_chief_reveals(world, panel):
    c = _criteria(world)
    experts.save_scores(panel, world.groups[1].id, {c[2].id: (2, "")})
    session = db.session.get(Session, world.session.id)
    assert experts.results(session, with_numbers=False) == {"revealed": False}
    with pytest.raises(NotAllowed):
        experts.reveal(world.staff(world.moderators[0]), True)
    shown = experts.reveal(world.chief, True)
    assert shown["revealed"]
    db.session.refresh(session)
    assert experts.results(session, with_numbers=False)["groups"][1]["averages"][str(c[2].id)] == 2
    experts.reveal(world.chief, False)
    db.session.refresh(session)
    assert experts.results(session, with_numbers=False) == {"revealed": False}


def test_the_organizer_sets_the_criteria(world, panel):
    c = _criteria(world)
    experts.save_scores(panel, world.groups[0].id, {c[4].id: (5, "")})
    experts.set_criteria(world.chief, "Актуальность\nРеализуемость\nСоциальный эффект")
    names = [x.name for x in _criteria(world)]
    assert names == ["Актуальность", "Реализуемость", "Социальный эффект"]
    assert db.session.scalar(db.select(db.func.count(Score.id))) == 0  # "Команда" went, its score too
    with pytest.raises(Invalid):
        experts.set_criteria(world.chief, "\n".join(f"Критерий {n}" for n in range(11)))
    with pytest.raises(Invalid):
        experts.set_criteria(world.chief, "x" * 81)
    with pytest.raises(NotAllowed):
        experts.set_criteria(world.staff(world.moderators[0]), "Одно")
    assert db.session.scalar(db.select(db.func.count(Criterion.id))) == 3
