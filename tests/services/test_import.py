"""The JSON round trip: `import_session` (and `flask import`, and the organizer's upload) builds
a new session from an export; exporting it again gives the same document, ids and codes aside.
A file that does not validate is refused with the place named, and nothing is written.
Messages are checked as users read them: in Russian, the default language."""
import copy
import io
import json
import re

import pytest

from facilitation.exports.json_export import export_session
from facilitation.extensions import db
from facilitation.models import Idea, Membership, Session, User
from facilitation.services.errors import Invalid
from facilitation.services.imports import import_session, parse

from .. import factories

# Keys whose integer value is the id of a row of a collection of the document.
REFS = {"group_id": "groups", "team_group_id": "groups", "from_group_id": "groups",
        "to_group_id": "groups", "item_id": "agenda", "current_item_id": "agenda",
        "participant_id": "participants", "initiative_id": "initiatives",
        "stakeholder_id": "stakeholders", "source_id": "stakeholders",
        "target_id": "stakeholders", "criterion_id": "criteria"}
# Keys holding rows (or lists of ids) of a collection: their `id` and `merged_into` are its ids.
COLLECTIONS = {"groups": "groups", "agenda": "agenda", "participants": "participants",
               "trends": "trends", "ideas": "ideas", "initiatives": "initiatives",
               "initiative": "initiatives", "stakeholders": "stakeholders", "values": "values",
               "flows": "flows", "requests": "requests", "solutions": "solutions",
               "objectives": "objectives", "key_results": "key_results",
               "criteria": "criteria", "decks": "decks", "slides": "slides",
               "pool": "ideas", "focus": "initiatives", "gives": "flows", "spends": "flows",
               "gains": "flows"}
# What differs between two sessions by construction: their ids, codes and client ids.
DROP = {"client_id", "join_code"}


def normalise(doc):
    """The document with every id replaced by the position of its row in the document (so that a
    reference compares by what it points at, not by the number), client ids and the join code
    dropped. A reference to a row the document does not hold becomes None."""
    positions = {name: {} for name in set(COLLECTIONS.values())}

    def index(node, collection=None):
        if isinstance(node, list):
            for x in node:
                index(x, collection)
        elif isinstance(node, dict):
            if collection and isinstance(node.get("id"), int):
                table = positions[collection]
                table.setdefault(node["id"], len(table))
            for key, value in node.items():
                if key != "data":  # a slide's data only refers to rows of the document
                    index(value, COLLECTIONS.get(key) if isinstance(value, list) else None)

    index(doc)

    def token(collection, value):
        if value is None or collection is None:
            return value
        n = positions[collection].get(value)
        return None if n is None else f"{collection}#{n}"

    def walk(node, collection=None):
        if isinstance(node, list):
            return [walk(x, collection) for x in node]
        if not isinstance(node, dict):
            return token(collection, node) if _is_id(node) else node
        out = {}
        for key, value in node.items():
            if key in DROP:
                continue
            if key in ("id", "merged_into") and collection and (_is_id(value) or value is None):
                out[key] = token(collection, value)
            elif key in REFS and (_is_id(value) or value is None):
                out[key] = token(REFS[key], value)
            elif key == "owner":
                kind = "stakeholders" if value["kind"] == "stakeholder" else "participants"
                out[key] = {**value, "id": token(kind, value["id"])}
            elif key == "averages":  # results: per criterion id (a string key)
                out[key] = {token("criteria", int(k)): v for k, v in value.items()}
            else:
                out[key] = walk(value, COLLECTIONS.get(key))
        return out

    out = walk(doc)
    out["session"].pop("id")
    return out


def _is_id(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _demo(runner, *extra):
    result = runner.invoke(args=["demo", "--filled", *extra])
    assert result.exit_code == 0, result.output
    return int(re.search(r"^session: (\d+)$", result.output, re.M).group(1))


def _count(model):
    return db.session.scalar(db.select(db.func.count()).select_from(model))


@pytest.fixture
def demo(runner):
    """The filled demo's export (a JSON text round trip, as a file would carry it)."""
    return json.loads(json.dumps(export_session(_demo(runner)), ensure_ascii=False))


def test_round_trip_of_the_filled_demo(demo):
    session = import_session(copy.deepcopy(demo))
    again = export_session(session.id)
    assert again["session"]["id"] != demo["session"]["id"]
    assert again["session"]["join_code"] != demo["session"]["join_code"]
    assert normalise(again) == normalise(demo)
    # Everything came over, with new ids and client ids, and references still point right.
    for key in ("ideas", "initiatives", "stakeholders", "flows", "requests", "objectives"):
        assert len(again[key]) == len(demo[key]) > 0, key
        assert not {r["client_id"] for r in again[key]} & {r["client_id"] for r in demo[key]}
        assert not {r["id"] for r in again[key]} & {r["id"] for r in demo[key]}, key
    assert len(again["scores"]) == 40 and len(again["decks"]) == 4
    assert again["results"]["groups"] == [
        {**g, "group_id": g2["group_id"], "averages": g2["averages"]}
        for g, g2 in zip(demo["results"]["groups"], again["results"]["groups"])]
    teams = {g["id"]: g["name"] for g in again["groups"] if g["stage"] == 2}
    assert {teams[i["team_group_id"]] for i in again["initiatives"] if i["team_group_id"]} == {
        g["name"] for g in demo["groups"] if g["stage"] == 2}
    # Timestamps are kept where the tables have them.
    assert [i["created_at"] for i in again["ideas"]] == [i["created_at"] for i in demo["ideas"]]
    # The staff came as accounts nobody can sign in to; nobody else is a member.
    staff = db.session.scalars(db.select(User).join(Membership).where(
        Membership.session_id == session.id)).unique().all()
    assert {u.display_name for u in staff} == {m["name"] for m in demo["staff"]}
    assert all(u.email.startswith("imported-") and u.email.endswith("@takt.invalid")
               and not u.check_password("") for u in staff)


def test_round_trip_of_a_half_finished_session(runner):
    doc = export_session(_demo(runner, "--until", "clustering"))
    assert doc["initiatives"] and not doc["stakeholders"] and not doc["decks"]
    again = export_session(import_session(json.loads(json.dumps(doc))).id)
    assert normalise(again) == normalise(doc)


HOSTILE = ['"quoted" \'single\' «ёлочки» „лапки“', "line one\nline two\r\nthree\ttab",
           "emoji 🌿👩‍👩‍👧 flag 🇷🇺", "=1+2", "+7 (999) 123-45-67", "-x", "@SUM(A1:A2)",
           "<script>alert(1)</script>", "a\u200db zero-width joiner", "\u200fRTL mark עברית",
           "back\\slash \\n is no newline", '=HYPERLINK("http://x";"y")', "{{ 7*7 }} {% x %}"]


def test_round_trip_keeps_hostile_text_verbatim(demo):
    doc = copy.deepcopy(demo)
    for n, text in enumerate(HOSTILE):
        doc["ideas"][n]["text"] = text
        doc["trends"][n]["text"] = text
        doc["participants"][n]["display_name"] = text[:40]
    live = [i for i in doc["initiatives"] if not i["deleted"]]
    for text, initiative in zip(HOSTILE, live):
        initiative["name"] = text
    for text, s in zip(HOSTILE, doc["stakeholders"]):
        s["name"] = text
        s["values"][0]["text"] = text
    for text, f in zip(HOSTILE, doc["flows"]):
        f["resource_text"] = text
    for text, r in zip(HOSTILE, doc["requests"]):
        r["text"] = text
        for solution in r["solutions"]:
            solution["text"] = text
    objective = doc["objectives"][0]
    objective["text"] = HOSTILE[7]
    objective["key_results"][0]["metric"] = HOSTILE[3]
    objective["key_results"][0]["unit"] = HOSTILE[2]
    doc["groups"][0]["name"] = HOSTILE[0][:80]
    doc["groups"][0]["subject_frame"] = "\n".join(HOSTILE)
    doc["session"]["title"] = HOSTILE[7] + " " + HOSTILE[3]
    doc["agenda"][0]["instructions"] = "\n".join(HOSTILE)
    doc["scores"][0]["comment"] = HOSTILE[6]
    doc["decks"][0]["slides"][0]["title"] = HOSTILE[2]
    doc["decks"][0]["slides"][0]["body"] = "\n".join(HOSTILE)

    first = export_session(import_session(parse(json.dumps(doc, ensure_ascii=False)
                                                 .encode("utf-8"))).id)
    for text, idea, trend in zip(HOSTILE, first["ideas"], first["trends"]):
        assert idea["text"] == text and trend["text"] == text
    assert [p["display_name"] for p in first["participants"][:len(HOSTILE)]] == [
        t[:40] for t in HOSTILE]
    assert [i["name"] for i in first["initiatives"] if not i["deleted"]][:len(HOSTILE)] == \
        HOSTILE[:len(live)]
    assert [s["name"] for s in first["stakeholders"]][:len(HOSTILE)] == HOSTILE
    assert first["stakeholders"][1]["values"][0]["text"] == HOSTILE[1]
    assert first["requests"][0]["solutions"][0]["text"] == HOSTILE[0]
    assert first["objectives"][0]["key_results"][0]["metric"] == "=1+2"
    assert first["session"]["title"] == "<script>alert(1)</script> =1+2"
    assert first["decks"][0]["slides"][0]["body"] == "\n".join(HOSTILE)
    assert first["scores"][0]["comment"] == "@SUM(A1:A2)"
    # Derived text (List B, balances, owners, request's initiative) follows the new names.
    assert HOSTILE[7] in json.dumps(first["boards"], ensure_ascii=False)
    # And the hostile session goes round again unchanged.
    second = export_session(import_session(json.loads(json.dumps(first))).id)
    assert normalise(second) == normalise(first)


def test_round_trip_of_states_the_demo_does_not_reach(demo):
    """Merged, deleted, revealed and removed rows, forward references, staff authors."""
    doc = copy.deepcopy(demo)
    ideas, trends = doc["ideas"], doc["trends"]
    ideas[1]["merged_into"] = ideas[5]["id"]  # into a card further down the file
    ideas[2]["deleted"] = ideas[3]["revealed"] = True
    trends[0].update(participant_id=None, author=doc["staff"][2]["name"],
                     merged_into=trends[1]["id"])
    ideas[6].update(participant_id=None, author="Гость без аккаунта")
    doc["participants"][2]["removed"] = True
    doc["participants"][3]["group_id"] = None
    doc["stakeholders"][1].update(deleted=True, merged_into=doc["stakeholders"][0]["id"])
    doc["flows"][0]["deleted"] = doc["requests"][0]["deleted"] = True
    doc["decks"][0]["slides"][1].update(deleted=True)
    doc["decks"][0]["slides"][2].update(edited=True, editor=doc["participants"][0]["display_name"])
    doc["results"]["revealed"] = True

    first = export_session(import_session(doc).id)
    assert first["ideas"][1]["merged_into"] == first["ideas"][5]["id"]
    assert first["ideas"][2]["deleted"] and first["ideas"][3]["revealed"]
    assert first["trends"][0]["author"] == doc["staff"][2]["name"] and \
        first["trends"][0]["participant_id"] is None
    assert first["ideas"][6]["author"] == "Гость без аккаунта"
    assert first["participants"][2]["removed"] and first["participants"][3]["group_id"] is None
    assert first["stakeholders"][1]["merged_into"] == first["stakeholders"][0]["id"]
    assert first["flows"][0]["deleted"] and first["requests"][0]["deleted"]
    slides = first["decks"][0]["slides"]
    assert slides[1]["deleted"] and slides[2]["editor"] == doc["participants"][0]["display_name"]
    assert first["results"]["revealed"]
    second = export_session(import_session(json.loads(json.dumps(first))).id)
    assert normalise(second) == normalise(first)


def test_the_same_file_twice_gives_two_sessions(demo):
    one, two = import_session(copy.deepcopy(demo)), import_session(copy.deepcopy(demo))
    assert one.id != two.id and one.join_code != two.join_code
    assert one.projector_key != two.projector_key
    assert normalise(export_session(one.id)) == normalise(export_session(two.id))
    assert _count(Session) == 3


def test_the_uploader_becomes_organizer_and_chief(app, demo):
    user = factories.gen_user("uploader@example.org", "Загрузчица")
    session = import_session(copy.deepcopy(demo), organizer=user)
    roles = set(db.session.scalars(db.select(Membership.role).where(
        Membership.session_id == session.id, Membership.user_id == user.id)))
    assert roles == {"organizer", "chief_moderator"}


def _break(path, value):
    def change(doc):
        *parents, last = path
        node = doc
        for key in parents:
            node = node[key]
        if value is _DELETE:
            del node[last]
        else:
            node[last] = value
    return change


_DELETE = object()


def _late_slide(doc):
    doc["decks"][-1]["slides"][-1]["initiative_id"] = 99999


def _idea_in_two_initiatives(doc):
    first, second = [i for i in doc["initiatives"] if i["ideas"]][:2]
    same_group = [i for i in doc["initiatives"] if i["group_id"] == first["group_id"]
                  and i is not first and i["ideas"]][0]
    same_group["ideas"].append(first["ideas"][0])


REFUSALS = [
    (_break(["format"], "trello.board"), "format"),
    (_break(["version"], 4), "версии 4"),
    (_break(["session", "title"], _DELETE), "'title' is a required property"),
    (_break(["stakeholders"], _DELETE), "'stakeholders' is a required property"),
    (_break(["initiatives", 3, "name"], 5), "initiatives[3].name: 5 is not of type 'string'"),
    (_break(["groups", 2, "stage"], 3), "groups[2].stage"),
    (_break(["ideas", 4, "text"], ""), "ideas[4].text"),
    (_break(["ideas", 4, "created_at"], "yesterday"), "ideas[4].created_at"),
    (_break(["initiatives", 2, "group_id"], 999), "initiatives[2].group_id: 999"),
    (_break(["initiatives", 1, "ideas", 0], 12345), "initiatives[1].ideas[0]: 12345"),
    (_break(["requests", 0, "to_group_id"], 4444), "requests[0].to_group_id: 4444"),
    (_break(["objectives", 0, "key_results", 0, "owner", "id"], 777),
     "objectives[0].key_results[0].owner.id: 777"),
    (_break(["agenda", 3, "kind"], "séance"), "agenda[3].kind"),
    (_break(["session", "timezone"], "Mars/Olympus"), "session.timezone"),
    (_break(["participants", 0, "display_name"], "x" * 41), "participants[0].display_name"),
    (_break(["ideas", 0, "text"], "evil \u202e reversed"), "ideas[0].text"),
    (_idea_in_two_initiatives, "группа уже взяла эту идею"),
    (_late_slide, ".initiative_id: 99999"),  # half way: after every other row is written
]


@pytest.mark.parametrize("change, message", REFUSALS)
def test_a_broken_file_is_refused_by_place_and_nothing_is_written(demo, change, message):
    doc = copy.deepcopy(demo)
    change(doc)
    before = _count(Session), _count(User), _count(Idea)
    with pytest.raises(Invalid) as refused:
        import_session(doc)
    assert message in str(refused.value.message)
    db.session.rollback()
    assert (_count(Session), _count(User), _count(Idea)) == before


@pytest.mark.parametrize("raw, message", [
    (b"", "строка 1, столбец 1"),
    (b'{"format": "takt.session",\n "version": 5,,\n}', "строка 2, столбец 15"),
    (b'{"a": "\xff"}', "UTF-8"),
    ('\ufeff{"а":\n "ёж'.encode("utf-8") + b"\xc3\x28", "строка 2, столбец 5"),
    (b'{"a": NaN}', "NaN"),
    (b"[1, 2]", "нет объекта JSON"),
])
def test_what_is_not_an_export_at_all_is_named(app, raw, message):
    with pytest.raises(Invalid) as refused:
        import_session(parse(raw))
    assert message in str(refused.value.message)


def test_a_utf8_byte_order_mark_is_fine(demo):
    raw = b"\xef\xbb\xbf" + json.dumps(demo).encode("utf-8")
    assert import_session(parse(raw)).title == demo["session"]["title"]


# -- the command ------------------------------------------------------------------------------
def test_cli_import_prints_the_session_and_refuses_clearly(runner, demo, tmp_path):
    good = tmp_path / "good.json"
    good.write_text(json.dumps(demo, ensure_ascii=False), encoding="utf-8")
    result = runner.invoke(args=["import", str(good)])
    assert result.exit_code == 0, result.output
    sid = int(re.search(r"^session: (\d+)$", result.stdout, re.M).group(1))
    assert normalise(export_session(sid)) == normalise(demo)

    bad = copy.deepcopy(demo)
    bad["initiatives"][3]["name"] = 5
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(bad), encoding="utf-8")
    before = _count(Session)
    result = runner.invoke(args=["import", str(broken)])
    assert result.exit_code != 0 and "session:" not in result.stdout
    assert "initiatives[3].name" in result.stderr
    assert _count(Session) == before

    garbage = tmp_path / "garbage.json"
    garbage.write_text('{"format":\n  takt}', encoding="utf-8")
    result = runner.invoke(args=["import", str(garbage)])
    assert result.exit_code != 0 and "строка 2, столбец 3" in result.stderr


def test_cli_import_with_an_organizer(runner, demo, tmp_path):
    user = factories.gen_user("org@example.org")
    path = tmp_path / "demo.json"
    path.write_text(json.dumps(demo), encoding="utf-8")
    result = runner.invoke(args=["import", str(path), "--organizer", "ORG@example.org"])
    assert result.exit_code == 0, result.output
    sid = int(re.search(r"^session: (\d+)$", result.stdout, re.M).group(1))
    assert db.session.scalar(db.select(Membership).where(
        Membership.session_id == sid, Membership.user_id == user.id,
        Membership.role == "organizer"))
    result = runner.invoke(args=["import", str(path), "--organizer", "nobody@example.org"])
    assert result.exit_code != 0 and "nobody@example.org" in result.stderr


# -- the organizer's upload -------------------------------------------------------------------
def _upload(client, body, name="session.json"):
    return client.post("/organizer/import", data={"file": (io.BytesIO(body), name)},
                       content_type="multipart/form-data")


def test_upload_creates_a_session_for_the_uploader(app, client, auth, demo):
    body = json.dumps(demo, ensure_ascii=False).encode("utf-8")
    assert _upload(client, body).status_code == 302  # sign in first
    assert _count(Session) == 1
    user = factories.gen_user("up@example.org")
    auth.login(user)
    page = client.get("/organizer/").get_data(as_text=True)
    assert 'action="/organizer/import"' in page and 'type="file"' in page
    response = _upload(client, body)
    assert response.status_code == 302
    sid = int(re.search(r"/organizer/s/(\d+)", response.headers["Location"]).group(1))
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert demo["session"]["title"].split("«")[0] in page
    assert normalise({**export_session(sid), "staff": demo["staff"]}) == normalise(demo)
    assert client.get(f"/organizer/s/{sid}/export.json").status_code == 200  # organizer now


def test_upload_failures_stay_on_the_page_with_the_message(app, client, auth, demo):
    auth.login(factories.gen_user("up@example.org"))
    bad = copy.deepcopy(demo)
    bad["initiatives"][3]["name"] = 5
    response = _upload(client, json.dumps(bad).encode("utf-8"))
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "initiatives[3].name" in page
    assert 'class="error"' in page
    response = _upload(client, b"not json at all")
    assert response.status_code == 400 and "JSON" in response.get_data(as_text=True)
    response = _upload(client, json.dumps(demo).encode("utf-8"), name="session.xlsx")
    assert response.status_code == 400 and ".json" in response.get_data(as_text=True)
    response = client.post("/organizer/import", data={}, content_type="multipart/form-data")
    assert response.status_code == 400
    app.config["IMPORT_MAX_BYTES"] = 1024
    response = _upload(client, json.dumps(demo).encode("utf-8"))
    assert response.status_code == 413 and "1 МБ" in response.get_data(as_text=True)
    assert _count(Session) == 1  # only the demo


def test_upload_checks_its_csrf_token_itself(app, client, auth, demo):
    """The route is exempt from the app-wide check (which would read the body under the app's
    smaller limit); the form checks the token instead."""
    auth.login(factories.gen_user("up@example.org"))
    app.config["WTF_CSRF_ENABLED"] = True
    body = json.dumps(demo).encode("utf-8")
    response = _upload(client, body)
    assert response.status_code == 400 and 'class="error"' in response.get_data(as_text=True)
    assert _count(Session) == 1
    page = client.get("/organizer/").get_data(as_text=True)
    token = re.findall(r'name="csrf_token" type="hidden" value="([^"]+)"', page)[-1]
    response = client.post("/organizer/import", content_type="multipart/form-data",
                           data={"file": (io.BytesIO(body), "s.json"), "csrf_token": token})
    assert response.status_code == 302 and _count(Session) == 2
