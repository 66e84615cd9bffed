"""HTTP security with figures: security headers on every page, cookie flags (Secure in
production), CSRF on every POST form, and rate limits (join-code guessing, login, posting
floods per participant) measured against their configured rates."""
import re
import types
import uuid

import pytest

from facilitation import create_app
from facilitation.extensions import db
from facilitation.realtime.publish import NAMESPACE as NS

from .. import factories
from .conftest import size
from .security_world import client_as, demo_world, get_url, route_args, who_opens
from .test_security_writes import db_rows, rows_changed

pytestmark = pytest.mark.reliability


def _csp(response):
    return {d.strip().split(" ", 1)[0]: d.strip() for d in
            response.headers.get("Content-Security-Policy", "").split(";") if d.strip()}


def test_security_headers_on_every_page(app, figure):
    w = demo_world(app)
    clients = {role: client_as(app, w, role) for role in
               ("organizer", "expert", "participant", "anonymous")}
    checked, good, bad = 0, 0, []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods:
            continue
        url = get_url(w, rule)
        r = clients[who_opens(rule.endpoint)].get(url)
        r.close()
        checked += 1
        csp = _csp(r)
        script = csp.get("script-src") or csp.get("default-src", "")
        ok = (r.status_code < 400 and "'unsafe-inline'" not in script
              and "'unsafe-eval'" not in script and "frame-ancestors" in csp
              and r.headers.get("X-Content-Type-Options") == "nosniff")
        good += ok
        if not ok:
            bad.append((url, r.status_code, dict(r.headers)))
    figure("security: pages with CSP (no inline script), frame-ancestors, nosniff",
           f"{good}/{checked}", "all", good == checked and not bad)


def _cookie(response, name):
    for header in response.headers.getlist("Set-Cookie"):
        if header.startswith(name + "="):
            return header.lower()
    return None


def _cookie_flags(app, w, base_url, secure):
    """Sign in and join through the forms; the session and participant cookies' flags."""
    c = app.test_client()
    r = c.post("/login", base_url=base_url, headers={"Referer": base_url + "/login"}, data={
        "email": w["user"].email, "password": factories.PASSWORD,
        "csrf_token": _csrf_token(c, "/login", base_url)})
    session_cookie = _cookie(r, app.config.get("SESSION_COOKIE_NAME", "session"))
    phone = app.test_client()
    url = f"/j/{w['session'].join_code}"
    r = phone.post(url, base_url=base_url, headers={"Referer": base_url + url}, data={
        "display_name": "Маша", "group_id": str(w["group"].id), "client_id": str(uuid.uuid4()),
        "csrf_token": _csrf_token(phone, url, base_url)})
    phone_cookie = _cookie(r, f"takt_p{w['session'].id}")
    results = []
    for cookie in (session_cookie, phone_cookie):
        flags = cookie is not None and "httponly" in cookie and re.search(
            r"samesite=(lax|strict)", cookie) and (("; secure" in cookie) == secure)
        results.append(bool(flags))
    return results


def _csrf_token(client, url, base_url):
    """The form's CSRF token from the page (empty when CSRF is off)."""
    page = client.get(url, base_url=base_url).get_data(as_text=True)
    found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    return found.group(1) if found else ""


def types_world(app):
    session, organizer = factories.gen_session()
    group = factories.gen_group(session, organizer)
    return {"session": types.SimpleNamespace(id=session.id, join_code=session.join_code),
            "user": types.SimpleNamespace(email=organizer.email),
            "group": types.SimpleNamespace(id=group.id)}


def test_cookies_are_httponly_samesite_and_secure_in_production(app, tmp_path, monkeypatch,
                                                                 figure):
    dev = _cookie_flags(app, types_world(app), "http://localhost", secure=False)
    monkeypatch.setenv("SECRET_KEY", "prod-test-" + uuid.uuid4().hex)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'prod.db'}")
    prod_app = create_app("production", PASSWORD_HASH_METHOD="pbkdf2:sha256:1000",
                          SOCKETIO_ASYNC_MODE="threading")
    with prod_app.app_context():
        db.create_all()
        w = types_world(prod_app)
    # Requests outside that context: Flask-WTF caches the CSRF token in the context's `g`.
    config_ok = (prod_app.config["SESSION_COOKIE_SECURE"] and
                 prod_app.config["REMEMBER_COOKIE_SECURE"] and
                 prod_app.config["SESSION_COOKIE_HTTPONLY"] and
                 prod_app.config["SESSION_COOKIE_SAMESITE"] in ("Lax", "Strict"))
    # Production redirects plain HTTP to HTTPS (FORCE_HTTPS).
    redirected = prod_app.test_client().get("/login", base_url="http://takt.example")
    https_only = redirected.status_code in (301, 302) and redirected.headers[
        "Location"].startswith("https://")
    prod = _cookie_flags(prod_app, w, "https://takt.example", secure=True)
    with prod_app.app_context():
        db.session.remove()
        db.engine.dispose()
    ok = all(dev) and all(prod) and config_ok and https_only
    figure("security: session and participant cookies HttpOnly+SameSite, Secure in production",
           f"dev {sum(dev)}/2, production {sum(prod)}/2, production config "
           f"{'ok' if config_ok else 'NOT ok'}, HTTP→HTTPS {'yes' if https_only else 'no'}",
           "all", ok)


def test_every_post_form_needs_a_csrf_token(tmp_path, figure):
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'csrf.db'}",
                     WTF_CSRF_ENABLED=True)
    with app.app_context():
        db.create_all()
        w = demo_world(app)
        clients = {}
        for role, user in (("organizer", w.organizer), ("expert", w.expert)):
            c = app.test_client()
            with c.session_transaction() as s:  # signed in without the (CSRF-protected) form
                s["_user_id"] = str(user.id)
                s["_fresh"] = True
            clients[role] = c
        clients["anonymous"] = app.test_client()
        clients["participant"] = client_as(app, w, "participant")
        tried, refused, changed, bad = 0, 0, 0, []
        for rule in app.url_map.iter_rules():
            if "POST" not in rule.methods:
                continue
            with app.test_request_context():
                from flask import url_for
                url = url_for(rule.endpoint, **route_args(w, rule))
            role = who_opens(rule.endpoint)
            if rule.endpoint in ("auth.logout",):
                role = "organizer"
            data = {"title": "x", "name": "x", "email": "a@b.c", "password": "x" * 12,
                    "display_name": "x", "code": w.code, "names": "x", "role": "moderator",
                    "participant_id": str(w.phone.id), "group_id": str(w.team.id),
                    "starts_on": "2030-01-01", "ends_on": "2030-01-02"}
            if rule.endpoint == "organizer.import_file":  # a valid file: only the token lacks
                from io import BytesIO

                from facilitation.exports import render
                data = {"file": (BytesIO(render("json", w.sid)[0]), "session.json")}
            before = db_rows()
            r = clients[role].post(url, data=data)
            n = rows_changed(before, db_rows())
            tried += 1
            changed += n
            body = r.get_data(as_text=True)
            # Flask-WTF says why; the import (which checks its token itself) is proven by a
            # valid file that was not imported.
            told = "CSRF" in body or rule.endpoint == "organizer.import_file"
            if r.status_code == 400 and n == 0 and told:
                refused += 1
            else:
                bad.append((rule.endpoint, r.status_code, n, body[-300:]))
        db.session.remove()
        db.engine.dispose()
    if bad:
        print("POSTs not refused for CSRF:", bad)
    figure("security: POST forms refused without a CSRF token", f"{refused}/{tried}", "all",
           refused == tried and not bad)
    figure("security: rows changed by POSTs without a CSRF token", changed, 0, changed == 0)


# -- rate limits ----------------------------------------------------------------------------
def _allowed(responses):
    return sum(1 for r in responses if r != 429)


def _within(allowed, configured):
    return abs(allowed - configured) <= configured * 0.01


def test_join_code_guessing_is_limited_at_the_configured_rate(app, figure):
    limit = size(20, 1000)
    app.config["JOIN_FAILURE_LIMIT"] = f"{limit} per 10 minutes"
    session, _org = factories.gen_session()
    c = app.test_client()
    # A hall joining with the right code from one NAT address counts for nothing.
    hall = [c.get(f"/j/{session.join_code}").status_code for _ in range(limit + 5)]
    hall += [c.post("/join", data={"code": session.join_code}).status_code
             for _ in range(limit + 5)]
    hall_ok = all(s in (200, 302) for s in hall)
    lines = []
    ok = hall_ok
    for name, send in (("POST /join", lambda n: c.post("/join", data={"code": f"Z{n:05d}"})),
                       ("GET /j/<code>", lambda n: c.get(f"/j/Q{n:05d}"))):
        statuses = [send(n).status_code for n in range(int(limit * 1.2) + 5)]
        allowed = _allowed(statuses)
        lines.append(f"{name} {allowed} allowed / {limit} configured")
        ok = ok and _within(allowed, limit) and set(statuses) <= {404, 429}
    # Once limited, the address is told so, in a page, not a crash.
    figure("rate limit: join-code guesses per address per 10 minutes",
           "; ".join(lines) + f"; right code ×{len(hall)} never limited: {hall_ok}",
           "within ±1 %", ok)


def test_login_attempts_are_limited(app, figure):
    c = app.test_client()
    statuses = [c.post("/login", data={"email": f"x{n}@example.org", "password": "wrong"}
                       ).status_code for n in range(15)]
    allowed = _allowed(statuses)
    figure("rate limit: login attempts per address per minute", f"{allowed} / 10 configured",
           "within ±1 %", _within(allowed, 10))


def test_post_floods_are_limited_per_participant_not_per_address(app, live, figure):
    from ..factories import advance_to
    people = size(5, 60)
    session, organizer = factories.gen_session()
    group = factories.gen_group(session, organizer)
    chief = factories.World(session, organizer, None, [], [], []).staff(organizer)
    item = advance_to(chief, session.id, "brainstorm")
    phones = [factories.gen_participant(session, group, f"Телефон {n}") for n in range(people)]
    post_rate = int(app.config["POST_LIMIT_PER_PARTICIPANT"].split()[0])
    board_rate = int(app.config["BOARD_LIMIT_PER_PARTICIPANT"].split()[0])
    post_allowed, board_allowed, codes = [], [], set()
    for p in phones:  # every phone from 127.0.0.1: one NAT address for the whole hall
        c = live(participant=p)
        acks = [c.emit("post_card", {"client_id": str(uuid.uuid4()), "item_id": item.id,
                                     "text": f"Идея {n}"}, namespace=NS, callback=True)
                for n in range(post_rate + 10)]
        post_allowed.append(sum(1 for a in acks if a.get("code") != "rate_limited"))
        codes |= {a.get("code") for a in acks if not a["ok"]}
        acks = [c.emit("choose_team", {"team_id": 0}, namespace=NS, callback=True)
                for _ in range(board_rate + 10)]
        board_allowed.append(sum(1 for a in acks if a.get("code") != "rate_limited"))
        c.disconnect(NS)
    figure("rate limit: posts per participant per minute, a hall on one address",
           f"{people} phones, allowed {min(post_allowed)}–{max(post_allowed)} / "
           f"{post_rate} configured", "within ±1 % for each phone",
           all(_within(a, post_rate) for a in post_allowed) and codes <= {"rate_limited"})
    figure("rate limit: board events per participant per minute",
           f"{people} phones, allowed {min(board_allowed)}–{max(board_allowed)} / "
           f"{board_rate} configured", "within ±1 % for each phone",
           all(_within(a, board_rate) for a in board_allowed))
