"""Shared set-up of the security tests: the filled demo session, a signed-in client per role,
and every route of the app's url_map with its arguments filled in."""
import types

from facilitation.extensions import db
from facilitation.models import Group, Membership, Participant, User
from facilitation.services import sessions
from facilitation.services.codes import participant_token

from .. import factories


def demo_world(app):
    """The demo session filled through tact 8, with a known password for its staff."""
    from flask import g

    from facilitation.cli import build_demo

    def forget_user():
        """The tests run inside one app context, so Flask-Login's cached user in `g` would
        carry over from one client's request to another's: load it per request."""
        g.pop("_login_user", None)
    app.before_request_funcs.setdefault(None, []).insert(0, forget_user)
    session, _pw, moderators, experts = build_demo(filled=True)
    sid = session.id
    organizer = db.session.get(User, db.session.scalar(db.select(Membership.user_id).where(
        Membership.session_id == sid, Membership.role == "organizer")))
    for user in [organizer, *(u for _g, u, _p in moderators), *(u for u, _p in experts)]:
        user.set_password(factories.PASSWORD)
    db.session.commit()
    groups = db.session.scalars(db.select(Group).where(Group.session_id == sid)
                                .order_by(Group.id)).all()
    team = next(g for g in groups if g.stage == 2)
    phone = db.session.scalar(db.select(Participant).where(Participant.group_id == team.id))
    invitation = sessions.create_invitation(organizer, sid, "moderator", groups[0].id)
    from facilitation.services import program
    template = program.save_as_template(organizer, sid, {"title_ru": "Шаблон", "name": "mine"})
    return types.SimpleNamespace(template=template,
        app=app, session=session, sid=sid, organizer=organizer, moderators=moderators,
        expert=experts[0][0], groups=groups, team=team, phone=phone,
        item=session.items[0], invitation=invitation, code=session.join_code,
        key=session.projector_key)


def client_as(app, w, role):
    """A test client signed in as: organizer, moderator, expert, participant, or anonymous."""
    c = app.test_client()
    user = {"organizer": w.organizer, "moderator": w.moderators[0][1],
            "expert": w.expert}.get(role)
    if user is not None:
        r = c.post("/login", data={"email": user.email, "password": factories.PASSWORD})
        assert r.status_code == 302, r.status_code
    if role == "participant":
        c.set_cookie(f"takt_p{w.sid}", participant_token(w.phone))
    return c


def route_args(w, rule):
    """Fill a rule's arguments from the world."""
    values = {"session_id": w.sid, "item_id": w.item.id, "group_id": w.groups[0].id,
              "team_id": w.team.id, "code": w.code, "fmt": "md", "filename": "css/app.css",
              "token": getattr(w.invitation, "token", w.invitation),
              "template_id": w.template.id, "name": "strategic_session"}
    if rule.endpoint == "main.set_language":
        values["code"] = "en"
    return {a: values[a] for a in rule.arguments}


def who_opens(endpoint):
    """Which role opens a page: the organizer for organizer and moderator pages, etc."""
    area = endpoint.split(".")[0]
    return {"organizer": "organizer", "program": "organizer", "moderator": "organizer",
            "expert": "expert", "participant": "participant"}.get(area, "anonymous")


def get_url(w, rule):
    from flask import url_for
    with w.app.test_request_context():
        url = url_for(rule.endpoint, **route_args(w, rule))
    if rule.endpoint == "projector.show":
        url += f"?key={w.key}"
    return url
