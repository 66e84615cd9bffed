"""A corpus of hostile inputs into every form field and every socket event's payload: each gets a
clear error or is stored verbatim; 0 crashes, 0 HTTP 500s, 0 `server_error` acks. Then stored
hostile text is shown escaped on the phone, the board, the projector and in every export."""
import io
import json
import uuid
import zipfile
from urllib.parse import quote, quote_from_bytes

import pytest

from facilitation import create_app
from facilitation.extensions import db
from facilitation.models import Criterion, Initiative, Participant
from facilitation.realtime.publish import NAMESPACE as NS

from .. import factories
from .conftest import size
from .security_world import client_as, demo_world
from .test_security_writes import WRITE_EVENTS, payloads, target_rows

pytestmark = pytest.mark.reliability

XSS = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
SQL = "'; DROP TABLE ideas; --"
# (label, value, verbatim): `verbatim` values, when accepted, must be stored exactly as sent.
CORPUS = [
    ("10 kB", "я" * 5000, False),  # 10,000 bytes of UTF-8
    ("empty", "", False),
    ("whitespace only", " \t\n \u00a0 ", False),
    ("control chars", "a" + "".join(chr(c) for c in range(0x20)) + "b", False),
    ("NUL", "a\x00b", False),
    ("zero-width", "\u200b\u200b\u200b", False),
    ("bidi override", "abc\u202edcba", False),
    ("script", XSS, True),
    ("img onerror", IMG, True),
    ("SQL", SQL, True),
    ("formula =", "=1+2", True),
    ("formula @", "@SUM(1+1)", True),
    ("formula + -", "+1-1", True),
    ("lone surrogate (invalid UTF-8 in JSON)", "\ud800x", False),
    ("number", 12345678901234567890, False),
    ("negative", -1, False),
    ("float", 1e308, False),
    ("null", None, False),
    ("bool", True, False),
    ("list", ["a", 1, None], False),
    ("object", {"$gt": ""}, False),
]
TEXT_FIELDS = {"text", "name", "title", "body", "metric", "unit", "resource_text"}
MEGA = ("1 MB", "x" * 1_000_000, False)
DEEP = ("1,000-level JSON", None, False)  # built below: json.dumps cannot encode it in-process


def _deep(levels):
    value = []
    for _ in range(levels):
        value = [value]
    return value


@pytest.fixture
def app(tmp_path):
    """The testing app without the login/join rate limits (they are measured elsewhere) and
    with per-participant limits high enough for the corpus."""
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'hostile.db'}",
                     RATELIMIT_ENABLED=False, POST_LIMIT_PER_PARTICIPANT="1000000 per minute",
                     BOARD_LIMIT_PER_PARTICIPANT="1000000 per minute")
    with app.app_context():
        db.create_all()
        yield app
        db.session.remove()
        db.engine.dispose()


def _clear(ack):
    """A clear answer: saved, or a refusal with a code (not server_error) and a message."""
    if not isinstance(ack, dict):
        return False
    if ack.get("ok") is True:
        return True
    return (ack.get("ok") is False and ack.get("code") not in (None, "server_error")
            and isinstance(ack.get("error"), str) and bool(ack["error"].strip()))


def test_hostile_socket_payloads(app, live, figure):
    import sys
    w = demo_world(app)
    team = w.team
    group = db.session.get(Initiative, db.session.scalar(db.select(Initiative.id).where(
        Initiative.team_group_id == team.id))).group_id
    rows = target_rows(w.sid, group, team.id)
    chief = live(user=w.organizer, session=w.session)
    phone = live(participant=w.phone)
    corpus = CORPUS + size([], [MEGA])  # 1 MB in every field at full size, whole payload always
    senders = size([("chief", chief)], [("chief", chief), ("phone", phone)])
    tried, accepted, server_errors, unclear, not_verbatim = 0, 0, 0, [], []
    events = ("sync",) + WRITE_EVENTS
    old_limit = sys.getrecursionlimit()
    sys.setrecursionlimit(5000)  # only so the test client can encode the 1,000-level payload
    try:
        for who, client in senders:
            for event in events:
                current = w.session.current_item_id
                base = {"rev": 0} if event == "sync" else payloads(rows, current, staff=True)[event]
                trials = [(f"whole payload: {label}", value, False) for label, value, _v in corpus]
                trials += [("whole payload: 1 MB", MEGA[1], False),
                           ("whole payload: 1,000-level JSON", _deep(1000), False)]
                for key in base:
                    for label, value, verbatim in corpus:
                        trials.append((f"{key}: {label}", {**base, key: value},
                                       verbatim and key in TEXT_FIELDS))
                    trials.append((f"{key}: 1,000-level JSON", {**base, key: _deep(1000)}, False))
                for label, data, verbatim in trials:
                    if isinstance(data, dict) and "client_id" in data and data is not base \
                            and not label.startswith("client_id"):
                        data = {**data, "client_id": str(uuid.uuid4())}
                    ack = client.emit(event, data, namespace=NS, callback=True)
                    tried += 1
                    if isinstance(ack, dict) and ack.get("code") == "server_error":
                        server_errors += 1
                    if not _clear(ack):
                        unclear.append((who, event, label, str(ack)[:200]))
                    elif ack.get("ok"):
                        accepted += 1
                    if _clear(ack) and verbatim and ack.get("ok") and event != "sync":
                        value = next(v for k, v in data.items() if base.get(k) != v)
                        if value not in json.dumps(ack, ensure_ascii=False):
                            not_verbatim.append((who, event, label, str(ack)[:200]))
                    if not client.is_connected(NS):
                        unclear.append((who, event, label, "disconnected"))
                        client.connect(namespace=NS, auth=client.connection_auth)
    finally:
        sys.setrecursionlimit(old_limit)
    if unclear or not_verbatim:
        print("unclear:", unclear[:20], "not verbatim:", not_verbatim[:20])
    figure("hostile input: socket payloads tried (saved / refused clearly)",
           f"{tried} ({accepted} / {tried - accepted})", "every event × every field",
           tried > 1000 and accepted > 0)
    figure("hostile input: socket acks with server_error", server_errors, 0, server_errors == 0)
    figure("hostile input: socket answers neither saved nor a clear refusal", len(unclear), 0,
           not unclear)
    figure("hostile input: accepted socket text not stored verbatim", len(not_verbatim), 0,
           not not_verbatim)


def _form_targets(w):
    """(name, role, method, url, base fields) for every form of the app."""
    sid, g0 = w.sid, w.groups[0]
    crit = db.session.scalars(db.select(Criterion).where(Criterion.session_id == sid)).all()
    initiative = db.session.scalar(db.select(Initiative.id).where(
        Initiative.team_group_id == w.team.id))
    expert_fields = {}
    for c in crit[:2]:
        expert_fields[f"g{w.team.id}-c{c.id}"] = "3"
        expert_fields[f"g{w.team.id}-comment{c.id}"] = "хорошо"
    session_fields = {"title": "Сессия", "starts_on": "2030-01-01", "ends_on": "2030-01-02",
                      "timezone": "Europe/Moscow", "group_assignment": "choose"}
    return [
        ("login", "anonymous", "POST", "/login",
         {"email": w.organizer.email, "password": "wrong password", "remember": "y"}),
        ("signup (invitation)", "anonymous", "POST", f"/invite/{w.invitation.token}",
         {"display_name": "Новый", "email": "new@example.org", "password": "long password 1"}),
        ("session create", "organizer", "POST", "/organizer/",
         {**session_fields, "ends_on": "", "template": "strategic_session", "language": "ru"}),
        ("session settings", "organizer", "POST", f"/organizer/s/{sid}/settings", session_fields),
        ("agenda item", "organizer", "POST", f"/organizer/s/{sid}/items/{w.item.id}",
         {"title": "Пункт", "instructions": "", "day": "1", "start_time": "10:00",
          "duration_min": "30"}),
        ("group", "organizer", "POST", f"/organizer/s/{sid}/groups/{g0.id}",
         {"name": g0.name, "subject_frame": "рамка", "moderator_ids": ""}),
        ("new group", "organizer", "POST", f"/organizer/s/{sid}/groups",
         {"name": "Группа", "subject_frame": "", "moderator_ids": ""}),
        ("invite", "organizer", "POST", f"/organizer/s/{sid}/invitations",
         {"role": "moderator", "group_id": str(g0.id)}),
        ("criteria", "organizer", "POST", f"/organizer/s/{sid}/criteria",
         {"names": "Актуальность\nРеализуемость"}),
        ("expert scores", "expert", "POST", f"/expert/{sid}/group/{w.team.id}", expert_fields),
        ("export download form", "organizer", "GET", f"/organizer/s/{sid}/download",
         {"fmt": "md", "group": "0"}),
        ("join code", "anonymous", "POST", "/join", {"code": w.code}),
        ("join", "anonymous", "POST", f"/j/{w.code}",
         {"display_name": "Гость", "group_id": str(w.team.id), "client_id": str(uuid.uuid4())}),
        ("teams page: team", "organizer", "POST", f"/moderate/{sid}/teams",
         {"name": "Команда", "initiative_ids": str(initiative)}),
        ("teams page: move", "organizer", "POST", f"/moderate/{sid}/teams/move",
         {"participant_id": str(w.phone.id), "group_id": str(w.team.id)}),
        ("teams page: open", "organizer", "POST", f"/moderate/{sid}/teams/open", {"open": "0"}),
    ]


def _encode(fields):
    """A urlencoded body; bytes values go as raw bytes (invalid UTF-8 included)."""
    parts = []
    for k, v in fields.items():
        v = v if isinstance(v, bytes) else str(v).encode("utf-8", "surrogatepass")
        parts.append(quote(k) + "=" + quote_from_bytes(v))
    return "&".join(parts)


HTTP_CORPUS = [(label, value, verbatim) for label, value, verbatim in CORPUS
               if isinstance(value, str)] + [
    ("invalid UTF-8 bytes", b"\xff\xfe\xc3\x28\xa0\xa1", False),
    ("overlong UTF-8", b"\xc0\xaf\xe0\x80\xaf", False),
    ("1,000-level JSON text", "[" * 1000 + "]" * 1000, False),
]


def test_hostile_form_posts(app, figure):
    w = demo_world(app)
    clients = {role: client_as(app, w, role) for role in ("organizer", "expert")}
    # Short: one of each family; full: the whole corpus and 1 MB into every field.
    short = ("10 kB", "empty", "control chars", "bidi override", "script", "SQL", "formula =",
             "invalid UTF-8 bytes", "1,000-level JSON text")
    corpus = size([c for c in HTTP_CORPUS if c[0] in short], HTTP_CORPUS + [MEGA])
    tried, status_500, crashes = 0, 0, []
    targets = _form_targets(w)
    for name, role, method, url, base in targets:
        for key in base:
            for label, value, _verbatim in corpus:
                client = clients.get(role) or app.test_client()
                body = _encode({**base, key: value})
                try:
                    if method == "GET":
                        r = client.get(url + "?" + body)
                    else:
                        r = client.post(url, data=body,
                                        content_type="application/x-www-form-urlencoded")
                    r.close()
                    status = r.status_code
                except Exception as exc:  # noqa: BLE001 — TESTING propagates a crash
                    status = 500
                    crashes.append((name, key, label, repr(exc)[:200]))
                tried += 1
                if status >= 500:
                    status_500 += 1
                    if not crashes or crashes[-1][:3] != (name, key, label):
                        crashes.append((name, key, label, status))
    # The import upload: every corpus value (and a deep JSON document) as the file's content.
    for label, value, _v in corpus + [("1,000-level JSON document", None, False)]:
        content = (json.dumps({"a": _deep(900)}).encode() if value is None else
                   value if isinstance(value, bytes) else value.encode("utf-8", "surrogatepass"))
        for filename in ("session.json", "session.exe", "<script>.json"):
            try:
                # The body built here: werkzeug's builder spools a large one to a temporary
                # file it does not close.
                boundary = "takt-hostile-" + uuid.uuid4().hex
                body = (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
                        f'filename="{filename}"\r\nContent-Type: application/json\r\n\r\n'
                        ).encode() + content + f"\r\n--{boundary}--\r\n".encode()
                r = clients["organizer"].post(
                    "/organizer/import", data=body,
                    content_type=f"multipart/form-data; boundary={boundary}")
                r.close()
                status = r.status_code
            except Exception as exc:  # noqa: BLE001
                status = 500
                crashes.append(("import", filename, label, repr(exc)[:200]))
            tried += 1
            status_500 += status >= 500
    if crashes:
        print("crashes:", crashes[:20])
    fields = sum(len(base) for *_rest, base in targets)
    expected = fields * len(corpus) + (len(corpus) + 1) * 3
    figure("hostile input: form posts tried",
           f"{tried} ({len(targets)} forms + import, {fields} fields × {len(corpus)} inputs)",
           "every form × every field × the corpus", tried == expected)
    figure("hostile input: HTTP 500s and crashes", status_500, 0, status_500 == 0)


def test_stored_hostile_text_is_shown_escaped(app, live, figure):
    """Hostile text stored through the services shows escaped in pages, JSON and exports."""
    from facilitation.exports import render
    from facilitation.exports.markdown import esc
    from facilitation.models import Slide, Stakeholder, Trend
    from facilitation.services import cards, decks, initiatives, sessions, stakeholders
    from facilitation.services.actors import user_actor
    w = demo_world(app)
    chief = user_actor(w.organizer, w.sid)
    g1 = w.groups[0]
    sessions.save_group(w.organizer, w.sid, {"name": XSS, "subject_frame": IMG}, g1.id)
    trend = db.session.scalar(db.select(Trend).where(Trend.group_id == g1.id))
    cards.update_card(chief, {"kind": "trend", "id": trend.id, "text": XSS})
    other = db.session.scalar(db.select(Trend).where(Trend.group_id == g1.id, Trend.id != trend.id))
    cards.update_card(chief, {"kind": "trend", "id": other.id, "text": "=1+2"})
    initiative = db.session.scalar(db.select(Initiative).where(Initiative.group_id == g1.id))
    initiatives.board_settings(chief, {"item_id": initiative.item_id, "group_id": g1.id,
                                       "list_b_locked": False})
    initiatives.rename_initiative(chief, {"id": initiative.id, "name": IMG})
    holder = db.session.scalar(db.select(Stakeholder).where(
        Stakeholder.initiative_id == initiative.id, Stakeholder.deleted_at.is_(None)))
    stakeholders.edit_stakeholder(chief, {"id": holder.id, "name": SQL})
    from facilitation.models import Deck
    deck = db.session.scalar(db.select(Deck.id).where(Deck.group_id == w.team.id))
    slide = db.session.scalar(db.select(Slide).where(Slide.deck_id == deck).order_by(Slide.id))
    decks.edit_slide(chief, {"id": slide.id, "title": "=1+2", "body": XSS + "\n@SUM(1+1)",
                             "base": slide.text_rev})
    sneaky = factories.gen_participant(w.session, w.team, IMG[:40])
    db.session.commit()
    stored = [XSS, IMG, SQL, "=1+2"]
    raw_markup = [XSS, "<img src=x"]

    checks = {}
    pages = {
        "phone": (client_as(app, w, "participant"), f"/s/{w.sid}"),
        "board": (client_as(app, w, "organizer"), f"/moderate/{w.sid}/group/{g1.id}"),
        "console": (client_as(app, w, "organizer"), f"/moderate/{w.sid}"),
        "projector": (app.test_client(), f"/projector/{w.sid}?key={w.key}"),
        "organizer": (client_as(app, w, "organizer"), f"/organizer/s/{w.sid}"),
        "teams page": (client_as(app, w, "organizer"), f"/moderate/{w.sid}/teams"),
        "expert": (client_as(app, w, "expert"), f"/expert/{w.sid}"),
        "summary": (client_as(app, w, "organizer"), f"/organizer/s/{w.sid}/summary"),
    }
    for name, (client, url) in pages.items():
        r = client.get(url)
        html = r.get_data(as_text=True)
        checks[f"page {name}"] = r.status_code == 200 and not any(m in html for m in raw_markup)
    # The live data: JSON with the text verbatim (the JS puts it in with textContent).
    snap = client_as(app, w, "organizer").get(f"/moderate/{w.sid}/snapshot.json").get_json()
    dumped = json.dumps(snap, ensure_ascii=False)
    checks["snapshot JSON verbatim"] = all(s in dumped for s in [XSS, IMG, SQL])
    ack = live(participant=sneaky).emit("sync", {"rev": -1}, namespace=NS, callback=True)
    phone_dump = json.dumps(ack, ensure_ascii=False)
    checks["phone sync JSON verbatim"] = ack["ok"] and IMG in phone_dump
    proj = live(projector_of=w.session).emit("sync", {"rev": -1}, namespace=NS, callback=True)
    checks["projector sync JSON verbatim"] = proj["ok"] and XSS in json.dumps(
        proj, ensure_ascii=False)

    md = render("md", w.sid)[0].decode()
    import re
    checks["export md escaped"] = (not re.search(r"(?<!\\)<(script|img|/script)", md)
                                   and esc(XSS) in md and esc(IMG) in md)
    data = json.loads(render("json", w.sid)[0])
    checks["export json verbatim"] = all(s in json.dumps(data, ensure_ascii=False)
                                         for s in stored)
    for fmt, part in (("docx", "word/document.xml"), ("pptx", None)):
        blob = render(fmt, w.sid)[0]
        with zipfile.ZipFile(io.BytesIO(blob)) as z:
            xml = "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist()
                          if n.endswith(".xml") and (part is None or n == part))
        checks[f"export {fmt} escaped"] = ("<script>" not in xml and "&lt;script&gt;" in xml)
    import openpyxl
    book = openpyxl.load_workbook(io.BytesIO(render("xlsx", w.sid)[0]))
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row
             if isinstance(c.value, str)]
    formulas = [c.coordinate for c in cells if c.data_type == "f"]
    texts = {c.value for c in cells}
    checks["export xlsx: strings, no formulas"] = (not formulas and "=1+2" in texts
                                                   and XSS in texts and IMG in texts)
    failed = [k for k, ok in checks.items() if not ok]
    figure("hostile text shown escaped (pages, live JSON, md/docx/pptx/xlsx/json)",
           f"{len(checks) - len(failed)}/{len(checks)}" + (f" failed: {failed}" if failed else ""),
           "all", not failed)
    assert db.session.get(Participant, sneaky.id).display_name == IMG[:40]
