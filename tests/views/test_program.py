"""The program builder's pages: forms without scripts, the fetch replies, access, templates."""
import io
import re

import pytest
import yaml

from facilitation.extensions import db
from facilitation.models import AgendaItem, ProgramTemplate, Session
from facilitation.services import program
from facilitation.templates_lib import load_template, to_yaml
from tests import factories

FETCH = {"X-Requested-With": "fetch"}


def items_of(session_id):
    return db.session.scalars(db.select(AgendaItem).where(AgendaItem.session_id == session_id)
                              .order_by(AgendaItem.position)).all()


def form(prefix, **extra):
    data = {"kind": "info", "title_ru": "Перерыв", "title_en": "Break", "instructions_ru": "",
            "instructions_en": "", "day": "1", "start_time": "15:00", "duration_min": "15",
            "scope": "plenary", "tact": ""}
    data.update(extra)
    return {f"{prefix}-{k}": v for k, v in data.items()}


def test_builder_page_lists_items_with_kinds_and_locks(client, auth, world):
    sid = world.session.id
    factories.advance_to(world.chief, sid, "trends")
    auth.login(world.organizer)
    page = client.get(f"/organizer/s/{sid}/program").get_data(as_text=True)
    assert "Конструктор программы" in page and "День 1" in page and "День 2" in page
    assert "Мозговой штурм" in page or "brainstorm" not in page  # kinds by translated name
    assert page.count("prog-locked") == 3  # two done items and the current one
    current = db.session.get(Session, sid).current_item
    block = re.search(rf'id="item-{current.id}".*?</li>', page, re.DOTALL).group(0)
    assert "/move" not in block and "Заблокировано" in block
    ahead = items_of(sid)[3]
    block = re.search(rf'id="item-{ahead.id}".*?</li>', page, re.DOTALL).group(0)
    assert "/move" in block and "/remove" in block and f'name="i{ahead.id}-title_en"' in block
    assert 'src="/static/js/program.js"' in page


def test_add_edit_move_remove_without_scripts(client, auth, world):
    sid = world.session.id
    auth.login(world.organizer)
    count = len(items_of(sid))
    response = client.post(f"/organizer/s/{sid}/program/items", data=form("new", day="2"))
    assert response.status_code == 302 and "#item-" in response.headers["Location"]
    added = items_of(sid)[-1]
    assert added.title == "Перерыв" and added.texts["en"]["title"] == "Break"
    assert len(items_of(sid)) == count + 1
    response = client.post(f"/organizer/s/{sid}/program/items/{added.id}",
                           data=form(f"i{added.id}", day="2", title_ru="Обед",
                                     kind="brainstorm", tact="9"))
    assert response.status_code == 302
    db.session.refresh(added)
    assert (added.title, added.kind, added.tact) == ("Обед", "brainstorm", 9)
    response = client.post(f"/organizer/s/{sid}/program/items/{added.id}/move",
                           data={"direction": "up"})
    assert response.status_code == 302
    assert items_of(sid)[-2].id == added.id
    response = client.post(f"/organizer/s/{sid}/program/items/{added.id}/new-day")
    db.session.refresh(added)
    assert response.status_code == 302 and added.day == 3
    response = client.post(f"/organizer/s/{sid}/program/items/{added.id}/remove")
    assert response.status_code == 302 and db.session.get(AgendaItem, added.id) is None


def test_bad_input_shows_the_form_with_messages_and_changes_nothing(client, auth, world):
    sid = world.session.id
    auth.login(world.organizer)
    item = items_of(sid)[4]
    before = (item.title, item.start_time, item.duration_min)
    response = client.post(f"/organizer/s/{sid}/program/items/{item.id}", data=form(
        f"i{item.id}", title_ru="", start_time="25:99", duration_min="0"))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Неверное значение времени" in page and "От 1 до 1440 минут" in page
    assert "Укажите название пункта" in page and "Проверьте введённые данные" in page
    assert re.search(r'<details class="prog-edit" open>', page)
    db.session.refresh(item)
    assert (item.title, item.start_time, item.duration_min) == before
    response = client.post(f"/organizer/s/{sid}/program/items", data=form("new", kind="nope"))
    assert response.status_code == 400 and len(items_of(sid)) == len(world.session.items)
    response = client.post(f"/organizer/s/{sid}/program/items/{item.id}/move",
                           data={"direction": "sideways"})
    assert response.status_code == 302
    db.session.refresh(item)
    assert item.position == 4


def test_fetch_replies_carry_the_list_or_the_refusal(client, auth, world):
    sid = world.session.id
    auth.login(world.organizer)
    item = items_of(sid)[3]
    reply = client.post(f"/organizer/s/{sid}/program/items/{item.id}/move",
                        data={"direction": "down"}, headers=FETCH)
    assert reply.status_code == 200 and reply.json["ok"]
    assert 'id="program"' in reply.json["html"] and f'id="item-{item.id}"' in reply.json["html"]
    first = items_of(sid)[0]
    reply = client.post(f"/organizer/s/{sid}/program/items/{first.id}/move",
                        data={"direction": "up"}, headers=FETCH)
    assert reply.status_code == 400 and not reply.json["ok"] and reply.json["error"]


def test_running_session_refuses_past_items_with_a_message(client, auth, world):
    sid = world.session.id
    current = factories.advance_to(world.chief, sid, "trends")
    auth.login(world.organizer)
    response = client.post(f"/organizer/s/{sid}/program/items/{current.id}/remove",
                           follow_redirects=True)
    assert "уже не может быть изменён" in response.get_data(as_text=True) or \
        "can no longer be changed" in response.get_data(as_text=True)
    assert db.session.get(AgendaItem, current.id) is not None
    response = client.post(f"/organizer/s/{sid}/program/items/{current.id}",
                           data=form(f"i{current.id}"))
    assert response.status_code == 400
    db.session.refresh(current)
    assert current.title != "Перерыв"


@pytest.mark.parametrize("method,path", [
    ("get", "/organizer/s/{sid}/program"),
    ("post", "/organizer/s/{sid}/program/items"),
    ("post", "/organizer/s/{sid}/program/items/{iid}"),
    ("post", "/organizer/s/{sid}/program/items/{iid}/move"),
    ("post", "/organizer/s/{sid}/program/items/{iid}/remove"),
    ("post", "/organizer/s/{sid}/program/items/{iid}/new-day"),
    ("post", "/organizer/s/{sid}/program/template"),
    ("get", "/organizer/s/{sid}/program.yaml"),
])
def test_only_the_sessions_organizer(client, auth, world, method, path):
    sid = world.session.id
    url = path.format(sid=sid, iid=items_of(sid)[5].id)
    count = len(items_of(sid))
    anonymous = getattr(client, method)(url, data={"direction": "up"})
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
    auth.login(world.moderators[0])
    assert getattr(client, method)(url, data=form("new")).status_code == 403
    auth.logout()
    auth.login(factories.gen_user())
    assert getattr(client, method)(url, data=form("new")).status_code == 403
    assert len(items_of(sid)) == count


def test_save_template_and_offer_it_for_a_new_session(client, auth, world):
    sid = world.session.id
    auth.login(world.organizer)
    response = client.post(f"/organizer/s/{sid}/program/template", data={
        "title_ru": "Наша программа", "title_en": "Our program", "name": "Плохое имя"})
    assert response.status_code == 400
    response = client.post(f"/organizer/s/{sid}/program/template", data={
        "title_ru": "Наша программа", "title_en": "Our program", "name": ""})
    assert response.status_code == 302
    row = db.session.scalar(db.select(ProgramTemplate))
    assert row.name == "our-program" and row.owner_id == world.organizer.id
    page = client.get("/organizer/").get_data(as_text=True)
    assert f'value="mine:{row.id}"' in page and "Наша программа" in page
    response = client.post("/organizer/", data={
        "template": f"mine:{row.id}", "title": "Из шаблона", "starts_on": "2030-01-01",
        "ends_on": "", "timezone": "Europe/Moscow", "language": "ru",
        "group_assignment": "choose"})
    assert response.status_code == 302
    new = db.session.scalar(db.select(Session).where(Session.title == "Из шаблона"))
    assert len(new.items) == len(world.session.items)
    # another organizer does not see it and cannot download it
    auth.logout()
    auth.login(factories.gen_user())
    assert f"mine:{row.id}" not in client.get("/organizer/").get_data(as_text=True)
    assert client.get(f"/organizer/templates/{row.id}.yaml").status_code == 404


def test_yaml_export_and_import_pages(client, auth, world):
    sid = world.session.id
    auth.login(world.organizer)
    response = client.get(f"/organizer/s/{sid}/program.yaml")
    assert response.status_code == 200 and response.mimetype == "application/yaml"
    data = yaml.safe_load(response.get_data(as_text=True))
    assert data["name"] == "strategic_session" and len(data["items"]) == len(world.session.items)
    assert client.get("/organizer/templates/builtin/strategic_session.yaml").status_code == 200
    assert client.get("/organizer/templates/builtin/nope.yaml").status_code == 404
    good = to_yaml(load_template("strategic_session")).replace(
        "name: strategic_session", "name: uploaded")
    response = client.post("/organizer/templates/import", data={
        "file": (io.BytesIO(good.encode()), "mine.yaml")}, content_type="multipart/form-data")
    assert response.status_code == 302
    row = db.session.scalar(db.select(ProgramTemplate).where(ProgramTemplate.name == "uploaded"))
    assert row is not None
    page = client.get("/organizer/templates").get_data(as_text=True)
    assert "uploaded" in page and f"/organizer/templates/{row.id}.yaml" in page
    bad = good.replace("duration: 40", "duration: 0", 1)
    response = client.post("/organizer/templates/import", data={
        "file": (io.BytesIO(bad.encode()), "bad.yaml"), "replace": "y"},
        content_type="multipart/form-data")
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "items[1].duration" in text
    response = client.post("/organizer/templates/import", data={
        "file": (io.BytesIO(b"x"), "bad.txt")}, content_type="multipart/form-data")
    assert response.status_code == 400
    response = client.post(f"/organizer/templates/{row.id}/delete")
    assert response.status_code == 302 and db.session.get(ProgramTemplate, row.id) is None


def test_session_page_links_the_builder(client, auth, world):
    auth.login(world.organizer)
    page = client.get(f"/organizer/s/{world.session.id}").get_data(as_text=True)
    assert f"/organizer/s/{world.session.id}/program" in page


def test_program_service_and_form_agree_on_kinds(app):
    assert [name for name, _label in program.kind_choices()][:3] == ["info", "trends", "brainstorm"]


def test_changes_reach_console_projector_and_phones_live(client, auth, world, live):
    """The builder publishes the agenda event clients already apply: `agenda.changed`."""
    from facilitation.realtime.publish import NAMESPACE as NS
    sid = world.session.id
    watchers = [live(user=world.moderators[0], session=world.session),
                live(projector_of=world.session), live(participant=world.phones[0])]
    for w in watchers:
        w.get_received(NS)
    count = len(items_of(sid))
    auth.login(world.organizer)
    client.post(f"/organizer/s/{sid}/program/items", data=form("new", day="2"))
    added = items_of(sid)[-1]
    client.post(f"/organizer/s/{sid}/program/items/{added.id}/move", data={"direction": "up"})
    client.post(f"/organizer/s/{sid}/program/items/{added.id}/remove")
    for w in watchers:
        events = [m["args"][0] for m in w.get_received(NS) if m["name"] == "event"]
        agenda = [e for e in events if e["type"] == "agenda.changed"]
        assert len(agenda) == 3
        assert added.id in [i["id"] for i in agenda[0]["data"]["items"]]
        moved = {i["id"]: i["position"] for i in agenda[1]["data"]["items"]}
        assert len(moved) == 2 and moved[added.id] == count - 1
        assert agenda[2]["data"]["removed"] == [added.id]
        assert [e["rev"] for e in events] == sorted(e["rev"] for e in events)
