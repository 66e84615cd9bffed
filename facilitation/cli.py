"""CLI commands: `flask --app wsgi demo [--filled]`, `flask --app wsgi export ID ...`."""
import json
import os
import secrets
import sys
from datetime import date

import click
from flask import current_app, url_for

from .extensions import db
from .models import Group, Participant, Session, User


def _base_url():
    return os.environ.get("TAKT_BASE_URL") or "http://{}:{}".format(
        os.environ.get("HOST", "127.0.0.1"), os.environ.get("PORT", "5000"))


def _link(endpoint, **values):
    with current_app.test_request_context(base_url=_base_url()):
        return url_for(endpoint, _external=True, **values)


def _demo_user(email, name):
    """Create or reuse a demo staff account; give it a fresh random password to print."""
    from .services.sessions import register_user
    password = secrets.token_urlsafe(9)
    user = db.session.scalar(db.select(User).where(User.email == email))
    if user is None:
        user = register_user(email, name, password)
    else:
        user.set_password(password)
        db.session.commit()
    return user, password


def build_demo(filled=False, template="strategic_session"):
    """Create the demo session (and its staff); return (session, organizer password, moderators)."""
    from .services import sessions as sessions_service
    from .templates_lib import demo_content
    content = demo_content()
    organizer, password = _demo_user("organizer@demo.takt", "Организатор (демо)")
    session = sessions_service.create_session(
        organizer, content["session"]["title"]["ru"], date.today(),
        timezone=content["session"].get("timezone", "Europe/Moscow"), template=template)
    moderators = []
    for n, g in enumerate(content["groups"], start=1):
        group = sessions_service.save_group(organizer, session.id, {
            "name": g["name"]["ru"], "subject_frame": g["subject_frame"]["ru"]})
        user, mod_password = _demo_user(f"moderator{n}@demo.takt", f"Модератор {n} (демо)")
        sessions_service.assign_moderator(organizer, session.id, group.id, user)
        moderators.append((group, user, mod_password))
    if filled:
        _fill(session, organizer, content, {g["key"]: grp for g, (grp, _u, _p)
                                           in zip(content["groups"], moderators)})
    return session, password, moderators


def _fill(session, organizer, content, groups):
    """Run the program up to tact 2 with the demo content, through the services."""
    from .services import agenda, cards, participants
    from .services.actors import participant_actor, user_actor
    people = {}
    for person in content["participants"]:
        p = participants.join(session, {"display_name": person["name"],
                                        "group_id": str(groups[person["group"]].id),
                                        "client_id": ""})
        people[person["name"]] = p
    chief = user_actor(organizer, session.id)

    def advance_to(kind):
        while True:
            current = db.session.get(Session, session.id).current_item
            if current is not None and current.kind == kind:
                return current
            agenda.advance(chief, current.id if current else None)

    def post(item, author, text):
        actor = participant_actor(people[author].id, session.id)
        cards.create_card(actor, {"client_id": secrets.token_hex(16), "item_id": item.id,
                                  "text": text})

    trends_item = advance_to("trends")
    for key, rows in content["trends"].items():
        for row in rows:
            post(trends_item, row["author"], row["text"])
    ideas_item = advance_to("brainstorm")
    for row in content["ideas"]:
        post(ideas_item, row["author"], row["text"])
    db.session.refresh(ideas_item)


def register_commands(app):
    @app.cli.command("demo")
    @click.option("--filled", is_flag=True, help="Fill the tacts so far with realistic content.")
    @click.option("--template", default="strategic_session", show_default=True)
    def demo(filled, template):
        """Create a demo session from the default program and print its links."""
        session, password, moderators = build_demo(filled=filled, template=template)
        click.echo(f"session: {session.id}")
        click.echo(f"title: {session.title}")
        click.echo(f"organizer: {_link('organizer.session', session_id=session.id)}"
                   f"  login: organizer@demo.takt / {password}")
        click.echo(f"chief moderator: {_link('moderator.console', session_id=session.id)}"
                   f"  (same login as the organizer)")
        for group, user, mod_password in moderators:
            click.echo(f"group moderator «{group.name}»: "
                       f"{_link('moderator.group_board', session_id=session.id, group_id=group.id)}"
                       f"  login: {user.email} / {mod_password}")
        click.echo(f"projector: {_link('projector.show', session_id=session.id, key=session.projector_key)}")
        click.echo(f"join: {_link('participant.join', code=session.join_code)}"
                   f"  code: {session.join_code}")

    @app.cli.command("export")
    @click.argument("session_id", type=int)
    @click.option("--format", "fmt", type=click.Choice(["json"]), default="json",
                  show_default=True)
    @click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True),
                  default="-", help="File to write ('-' for standard output).")
    def export(session_id, fmt, output):
        """Export a whole session (JSON; schema in docs/session-export.schema.json)."""
        from .exports.json_export import export_session
        from .services.errors import NotFound
        try:
            data = export_session(session_id)
        except NotFound:
            raise click.ClickException(f"there is no session {session_id}") from None
        text = json.dumps(data, ensure_ascii=False, indent=2)
        if output == "-":
            sys.stdout.write(text + "\n")
        else:
            with open(output, "w", encoding="utf-8") as fh:
                fh.write(text + "\n")
            click.echo(f"wrote {output}", err=True)
