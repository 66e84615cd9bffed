"""The day-two teams page: the chief moderator forms teams, opens the choice, assigns, moves."""
import uuid

from facilitation.extensions import db
from facilitation.models import Group, Initiative, Participant, Session
from facilitation.services import initiatives

from ..factories import advance_to


def _initiatives(world):
    item = advance_to(world.chief, world.session.id, "clustering")
    ids = []
    for n, group in enumerate(world.groups):
        for name in (f"Школа {n}", f"Сад {n}"):
            ids.append(initiatives.create_initiative(world.staff(world.moderators[n]), {
                "client_id": str(uuid.uuid4()), "item_id": item.id, "group_id": group.id,
                "name": name})[0]["id"])
    return ids


def test_only_the_chief_moderator_opens_the_teams_page(client, auth, world):
    url = f"/moderate/{world.session.id}/teams"
    assert client.get(url).status_code == 302
    auth.login(world.moderators[0])
    assert client.get(url).status_code == 403
    assert client.post(url, data={"initiative_ids": "1"}).status_code == 403
    auth.logout()
    auth.login(world.organizer)
    page = client.get(url).get_data(as_text=True)
    assert "Команды второго дня" in page and "Экопросвещение" in page


def test_forming_opening_assigning_and_moving_on_the_page(client, auth, world):
    ids = _initiatives(world)
    auth.login(world.organizer)
    base = f"/moderate/{world.session.id}/teams"
    page = client.get(base).get_data(as_text=True)
    assert "Школа 0" in page and "Сад 1" in page
    response = client.post(base, data={"name": "", "initiative_ids": [ids[0], ids[2]]})
    assert response.status_code == 302
    team = db.session.scalar(db.select(Group).where(Group.stage == 2))
    assert team.name == "Школа 0"
    assert {i.id for i in db.session.scalars(db.select(Initiative).where(
        Initiative.team_group_id == team.id))} == {ids[0], ids[2]}
    # Nothing ticked, or an initiative already taken: a clear message, nothing written.
    bad = client.post(base, data={"name": "Пусто"})
    assert bad.status_code == 400 and "Выберите хотя бы одну инициативу" in bad.get_data(as_text=True)
    taken = client.post(base, data={"name": "Снова", "initiative_ids": [ids[0]]})
    assert taken.status_code == 400 and "уже в команде" in taken.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Group.id)).where(Group.stage == 2)) == 1
    # Rename and change the initiatives.
    response = client.post(f"{base}/{team.id}", data={f"t{team.id}-name": "Лидеры",
                                                       f"t{team.id}-initiative_ids": [ids[0]]})
    assert response.status_code == 302 and db.session.get(Group, team.id).name == "Лидеры"
    assert db.session.get(Initiative, ids[2]).team_group_id is None
    client.post(f"{base}/open", data={"open": "1"})
    assert db.session.get(Session, world.session.id).teams_opened_at is not None
    client.post(f"{base}/assign")
    assert {p.group_id for p in db.session.scalars(db.select(Participant))} == {team.id}
    page = client.get(base).get_data(as_text=True)
    assert "Участников: 4" in page and "Ждут команду: 0" in page
    # Move one back into a group.
    phone = world.phones[0]
    client.post(f"{base}/move", data={"participant_id": phone.id, "group_id": world.groups[1].id})
    assert db.session.get(Participant, phone.id).group_id == world.groups[1].id
    # A team with members is not dissolved.
    response = client.post(f"{base}/{team.id}/delete", follow_redirects=True)
    assert "В этой команде уже есть участники (3)" in response.get_data(as_text=True)
    assert db.session.get(Group, team.id) is not None
