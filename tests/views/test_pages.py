"""Pages: access by role, the join flow, language, health, headers."""
import re

import pytest

from facilitation.extensions import db
from facilitation.models import Participant

from ..factories import PASSWORD, gen_user


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json["app"] == "ok" and response.json["database"] == "ok"


def test_security_headers(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_landing_is_russian_first_and_switches_to_english(client):
    assert "Войти" in client.get("/").get_data(as_text=True)
    response = client.get("/lang/en?next=/")
    assert response.status_code == 302
    assert "Sign in" in client.get("/").get_data(as_text=True)


def test_language_switch_does_not_redirect_off_site(client):
    assert client.get("/lang/en?next=//evil.example").headers["Location"] == "/"


@pytest.mark.parametrize("path", ["/organizer/", "/organizer/s/{sid}", "/moderate/{sid}",
                                  "/moderate/{sid}/group/{gid}"])
def test_staff_pages_need_sign_in(client, world, path):
    url = path.format(sid=world.session.id, gid=world.groups[0].id)
    response = client.get(url)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("path,status", [
    ("/organizer/s/{sid}", 403), ("/moderate/{sid}", 403),
    ("/moderate/{sid}/group/{gid}", 403), ("/moderate/{sid}/group/{own}", 200),
    ("/organizer/s/{sid}/export.json", 403),
])
def test_group_moderator_sees_only_own_board(client, auth, world, path, status):
    auth.login(world.moderators[1])
    url = path.format(sid=world.session.id, gid=world.groups[0].id, own=world.groups[1].id)
    assert client.get(url).status_code == status


def test_organizer_sees_everything(client, auth, world):
    auth.login(world.organizer)
    for url in (f"/organizer/s/{world.session.id}", f"/moderate/{world.session.id}",
                f"/moderate/{world.session.id}/group/{world.groups[0].id}",
                f"/organizer/s/{world.session.id}/export.json"):
        assert client.get(url).status_code == 200, url


def test_stranger_gets_403(client, auth, world):
    auth.login(gen_user())
    assert client.get(f"/organizer/s/{world.session.id}").status_code == 403


def test_wrong_password(client, world):
    response = client.post("/login", data={"email": world.organizer.email, "password": "nope"})
    assert response.status_code == 400


def test_projector_needs_its_key(client, world):
    sid = world.session.id
    assert client.get(f"/projector/{sid}").status_code == 404
    assert client.get(f"/projector/{sid}?key=wrong").status_code == 404
    assert client.get(f"/projector/{sid}?key={world.session.projector_key}").status_code == 200


def test_join_by_code_then_phone(client, world):
    code = world.session.join_code
    response = client.post("/join", data={"code": f" {code[:3].lower()}-{code[3:]} "})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/j/{code}")
    page = client.get(f"/j/{code}").get_data(as_text=True)
    assert world.groups[0].name in page and world.groups[1].name in page
    response = client.post(f"/j/{code}", data={"display_name": "Алина К.",
                                                 "group_id": world.groups[1].id,
                                                 "client_id": "3b2c2f0e-8d4f-4bb5-9a39-2f3f1c0b0a11"})
    assert response.status_code == 302
    phone = client.get(response.headers["Location"])
    assert phone.status_code == 200 and "Алина К." in phone.get_data(as_text=True)
    joined = db.session.scalar(db.select(Participant).where(Participant.display_name == "Алина К."))
    assert joined.group_id == world.groups[1].id
    # Coming back to the join link goes straight to the phone view (the cookie remembers).
    assert client.get(f"/j/{code}").headers["Location"].endswith(f"/s/{world.session.id}")


def test_double_submit_joins_once_and_same_name_on_two_phones_is_two(app, world):
    code = world.session.join_code
    data = {"display_name": "Иван", "group_id": world.groups[0].id,
            "client_id": "0f0e2a8c-6c1e-4f57-9b0e-0d4c8f3e9a21"}
    first, second = app.test_client(), app.test_client()
    first.post(f"/j/{code}", data=data)
    first.post(f"/j/{code}", data=data)
    second.post(f"/j/{code}", data={**data, "client_id": "6a4f1c9e-3b7d-4e2a-8f5c-1d9e7b3a2c40"})
    names = db.session.scalars(db.select(Participant.id).where(Participant.display_name == "Иван"))
    assert len(list(names)) == 2


@pytest.mark.parametrize("data,message", [
    ({"display_name": "", "group_id": "x"}, "имя"),
    ({"display_name": "   ", "group_id": "1"}, "имя"),
    ({"display_name": "x" * 41, "group_id": "1"}, "длинн"),
    ({"display_name": "Вася", "group_id": "999999"}, "групп"),
    ({"display_name": "Ва\u200bся", "group_id": "1"}, "невидим"),
])
def test_bad_join_input_changes_nothing(client, world, data, message):
    before = db.session.scalar(db.select(db.func.count(Participant.id)))
    response = client.post(f"/j/{world.session.join_code}", data=data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True).lower()
    assert db.session.scalar(db.select(db.func.count(Participant.id))) == before


def test_wrong_code_is_explained_and_rate_limited(app, client, world):
    app.config["JOIN_FAILURE_LIMIT"] = "3 per minute"
    for _ in range(3):
        response = client.post("/join", data={"code": "ZZZZZZ"})
        assert response.status_code == 404
        assert "нет сессии" in response.get_data(as_text=True).lower()
    assert client.post("/join", data={"code": "ZZZZZZ"}).status_code == 429
    # Right codes are never counted: a hall behind one NAT address joins freely.


def test_right_codes_are_not_limited(app, client, world):
    app.config["JOIN_FAILURE_LIMIT"] = "2 per minute"
    for _ in range(5):
        assert client.post("/join", data={"code": world.session.join_code}).status_code == 302


def test_qr_is_an_svg_of_the_join_url(client, world):
    response = client.get(f"/qr/{world.session.join_code}.svg")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    assert response.data.startswith(b"<svg")


def test_organizer_creates_a_session_from_the_default_program(client, auth):
    user = gen_user()
    auth.login(user)
    response = client.post("/organizer/", data={
        "template": "strategic_session", "title": "Сессия «Озеро»", "starts_on": "2026-12-01",
        "ends_on": "2026-12-02", "timezone": "Asia/Irkutsk", "language": "ru",
        "group_assignment": "choose"})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Сессия «Озеро»" in page and "Asia/Irkutsk" in page
    assert re.search(r"Такт 8", page)


def test_organizer_edits_agenda_time_and_groups(client, auth, world):
    auth.login(world.organizer)
    item = world.session.items[2]
    sid = world.session.id
    response = client.post(f"/organizer/s/{sid}/items/{item.id}", data={
        "title": "Такт 1: тренды", "instructions": "Пишите тренды", "day": 1,
        "start_time": "14:10", "duration_min": 45})
    assert response.status_code == 302
    db.session.refresh(item)
    assert item.start_time.strftime("%H:%M") == "14:10" and item.duration_min == 45
    bad = client.post(f"/organizer/s/{sid}/items/{item.id}", data={
        "title": "", "day": 1, "start_time": "25:99", "duration_min": 0})
    assert bad.status_code == 400
    db.session.refresh(item)
    assert item.title == "Такт 1: тренды"
    response = client.post(f"/organizer/s/{sid}/groups", data={
        "name": "Экотуризм", "subject_frame": "Туризм и природа",
        "moderator_ids": [str(world.moderators[0].id)]})
    assert response.status_code == 302
    assert "Экотуризм" in client.get(f"/organizer/s/{sid}").get_data(as_text=True)


def test_invitation_makes_a_moderator(app, client, auth, world):
    auth.login(world.organizer)
    client.post(f"/organizer/s/{world.session.id}/invitations",
                data={"role": "moderator", "group_id": world.groups[0].id})
    from facilitation.models import Invitation
    invitation = db.session.scalar(db.select(Invitation))
    guest = app.test_client()
    response = guest.post(f"/invite/{invitation.token}", data={
        "display_name": "Пётр", "email": "petr@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert guest.get(response.headers["Location"]).status_code == 200


def test_code_of_a_finished_session_no_longer_opens_it(client, world):
    from datetime import date
    world.session.starts_on = world.session.ends_on = date(2020, 1, 1)
    db.session.commit()
    response = client.post("/join", data={"code": world.session.join_code})
    assert response.status_code == 404 and "код больше не действует" in response.get_data(as_text=True)


def test_language_can_be_chosen_by_link(client):
    assert "Sign in" in client.get("/?lang=en").get_data(as_text=True)
