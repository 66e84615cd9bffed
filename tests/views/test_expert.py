"""The experts' page: only experts; a score is saved, scored again is updated; bad input."""
from facilitation.extensions import db
from facilitation.models import Score
from facilitation.services import experts, sessions

from ..factories import gen_user


def _expert(world):
    user = gen_user(name="Эксперт")
    sessions.add_member(world.organizer, world.session.id, user, "expert")
    return user


def test_only_experts_open_the_scoring_page(client, auth, world):
    url = f"/expert/{world.session.id}"
    assert client.get(url).status_code == 302  # sign in first
    auth.login(world.moderators[0])
    assert client.get(url).status_code == 403
    auth.logout()
    auth.login(_expert(world))
    page = client.get(url).get_data(as_text=True)
    assert "Экопросвещение" in page and "Актуальность" in page


def test_an_expert_scores_a_group_and_scores_again(client, auth, world):
    auth.login(_expert(world))
    group = world.groups[0]
    criteria = experts.criteria_of(world.session)
    url = f"/expert/{world.session.id}/group/{group.id}"
    form = {f"g{group.id}-c{criteria[0].id}": "4", f"g{group.id}-comment{criteria[0].id}": "Хорошо"}
    response = client.post(url, data=form)
    assert response.status_code == 302 and f"#group-{group.id}" in response.headers["Location"]
    client.post(url, data={**form, f"g{group.id}-c{criteria[0].id}": "5"})
    scores = db.session.scalars(db.select(Score)).all()
    assert [(s.value, s.comment) for s in scores] == [(5, "Хорошо")]


def test_bad_scores_change_nothing(client, auth, world):
    auth.login(_expert(world))
    group = world.groups[0]
    c = experts.criteria_of(world.session)[0]
    url = f"/expert/{world.session.id}/group/{group.id}"
    for bad in ({f"g{group.id}-c{c.id}": "7"}, {f"g{group.id}-c{c.id}": "x"}, {},
                {f"g{group.id}-c{c.id}": "3", f"g{group.id}-comment{c.id}": "x" * 501}):
        response = client.post(url, data=bad)
        assert response.status_code == 400
    assert db.session.scalar(db.select(db.func.count(Score.id))) == 0
    assert client.post(f"/expert/{world.session.id}/group/99999", data={}).status_code == 404


def test_the_organizer_sets_criteria_on_the_session_page(client, auth, world):
    auth.login(world.organizer)
    page = client.get(f"/organizer/s/{world.session.id}").get_data(as_text=True)
    assert "Актуальность" in page and f"/expert/{world.session.id}" in page
    response = client.post(f"/organizer/s/{world.session.id}/criteria",
                           data={"names": "Актуальность\nКоманда"})
    assert response.status_code == 302
    assert [c.name for c in experts.criteria_of(world.session)] == ["Актуальность", "Команда"]
    bad = client.post(f"/organizer/s/{world.session.id}/criteria", data={"names": "  "})
    assert bad.status_code == 400
    assert len(experts.criteria_of(world.session)) == 2
