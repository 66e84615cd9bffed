"""CLI commands: `flask --app wsgi demo [--template NAME] [--filled]`, `templates`,
`template-export`, `template-import`, `export ID ...`, `import`, `backup`."""
import os
import secrets
import sys
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import click
from flask import current_app, url_for

from .exports import FORMATS
from .extensions import db
from .models import Session, User


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


def build_demo(filled=False, template="strategic_session", until=None):
    """Create the demo session (and its staff); return (session, organizer password, moderators).

    `filled` runs the program through every tact the demo content has, stopping at the kind
    `until` (default: the last filled one) as the current item.
    """
    from .services import sessions as sessions_service
    from .templates_lib import DEFAULT_TEMPLATE, demo_content, has_own_demo, load_template
    content = demo_content(template)
    title = content["session"]["title"]["ru"]
    if template != DEFAULT_TEMPLATE and not has_own_demo(template):
        title = load_template(template)["title"]["ru"]  # the default demo's people, its title
    organizer, password = _demo_user("organizer@demo.takt", "Организатор (демо)")
    timezone = content["session"].get("timezone", "Europe/Moscow")
    # Today where the session takes place: a one-day session made from the server's date would
    # already be over (its join code closed) late in the evening UTC east of it.
    today = datetime.now(ZoneInfo(timezone)).date()
    session = sessions_service.create_session(organizer, title, today, timezone=timezone,
                                              template=template)
    moderators = []
    for n, g in enumerate(content["groups"], start=1):
        group = sessions_service.save_group(organizer, session.id, {
            "name": g["name"]["ru"], "subject_frame": g["subject_frame"]["ru"]})
        user, mod_password = _demo_user(f"moderator{n}@demo.takt", f"Модератор {n} (демо)")
        sessions_service.assign_moderator(organizer, session.id, group.id, user)
        moderators.append((group, user, mod_password))
    experts = []
    for n in (1, 2):
        user, expert_password = _demo_user(f"expert{n}@demo.takt", f"Эксперт {n} (демо)")
        sessions_service.add_member(organizer, session.id, user, "expert")
        experts.append((user, expert_password))
    if filled:
        filler = DemoFiller(session, organizer, content,
                            {g["key"]: (grp, user)
                             for g, (grp, user, _p) in zip(content["groups"], moderators)})
        filler.run(until)
        if content.get("scores") and any(i.kind == "experts" for i in session.items) and (
                filler.finished):
            filler.scores([user for user, _p in experts])
    return session, password, moderators, experts


# The kinds the default demo fills, in the order of the default program.
FILL_ORDER = ("trends", "brainstorm", "clustering", "stakeholders", "resources", "regrouping",
              "requests", "okr", "deck")
# The demo content's section each built-in filling reads (a template's demo without it skips).
FILL_SECTIONS = {"trends": "trends", "brainstorm": "ideas", "clustering": "boards",
                 "stakeholders": "boards", "resources": "boards", "regrouping": "teams",
                 "requests": "requests", "okr": "objectives", "deck": "groups"}


class DemoFiller:
    """Runs the program with the demo content, through the same services as the live app.

    It walks the program's items in order; each item it can fill becomes current (the chief
    moderator advances to it) and is filled: the built-in kinds here, any other kind through
    its `demo_fill(item, demo)` hook (facilitation/tacts/base.py) with this object as `demo`.
    What a kind's hook may use: `session`, `content` (the template's demo YAML as a dict),
    `occurrence` (0 for the first item of the kind, 1 for the second...), `chief` (the chief
    moderator's actor), `people` (name -> Participant), `participant(name)` (an actor),
    `members(group_key)` (names), `groups` (group key -> (Group, moderator User)),
    `moderator(group_key)` (an actor), `working(group_key)` (the group, or its day-two team),
    `initiatives` ((group key, name) -> id, from the clustering), `cid()` (a new client id),
    `post(item, author, text)` (a card).
    """

    def __init__(self, session, organizer, content, groups):
        from .services import participants
        from .services.actors import user_actor
        self.session, self.content, self.groups = session, content, groups
        self.people = {}
        for person in content["participants"]:
            self.people[person["name"]] = participants.join(session, {
                "display_name": person["name"], "client_id": "",
                "group_id": str(groups[person["group"]][0].id)})
        self.chief = user_actor(organizer, session.id)
        self.ideas = []
        self.initiatives = {}  # (group key, name) -> initiative id
        self.stakeholders = {}  # (group key, initiative name, stakeholder name) -> id
        self.teams = {}  # group key -> the day-two team formed from its initiatives

    def run(self, until=None):
        """Fill the program's items in order, stopping after the first item of the kind
        `until` (None: every item that has demo content). Returns the last kind filled."""
        from .tacts import KINDS
        steps = {"trends": self.trends, "brainstorm": self.brainstorm,
                 "clustering": self.clustering, "stakeholders": self.stakeholders_tact,
                 "resources": self.resources, "regrouping": self.regrouping,
                 "requests": self.requests, "okr": self.okr,
                 "deck": self.deck}
        seen = {}
        last = None
        self.finished = True  # False when stopped at `until` with fillable items after it
        items = list(db.session.get(Session, self.session.id).items)
        for n, item in enumerate(items):
            self.occurrence = seen.get(item.kind, 0)
            seen[item.kind] = self.occurrence + 1
            if not self._fillable(item, self.occurrence, steps):
                continue
            if item.kind in steps:
                steps[item.kind](self.advance_to_item(item))
            elif KINDS[item.kind].demo_fill(self.advance_to_item(item), self) is False:
                continue
            last = item.kind
            if item.kind == until:
                counts = dict(seen)
                for later in items[n + 1:]:
                    occurrence = counts.get(later.kind, 0)
                    counts[later.kind] = occurrence + 1
                    if self._fillable(later, occurrence, steps):
                        self.finished = False
                        break
                break
        return last

    def _fillable(self, item, occurrence, steps):
        """Whether the demo has something to fill `item` with: the built-in content fills the
        first item of its kind; other kinds fill themselves through their demo_fill hook."""
        from .tacts import KINDS
        if item.kind in steps:
            return not occurrence and bool(self.content.get(FILL_SECTIONS[item.kind]))
        return KINDS[item.kind].fills_demo()

    # -- helpers ------------------------------------------------------------------------
    occurrence = 0

    def advance_to_item(self, item):
        """Advance the agenda until `item` is current; return it."""
        from .services import agenda
        while True:
            current = db.session.get(Session, self.session.id).current_item
            if current is not None and current.id == item.id:
                return current
            agenda.advance(self.chief, current.id if current else None)

    def advance_to(self, kind):
        """Advance the agenda until the current item is of `kind`; return it."""
        from .services import agenda
        while True:
            current = db.session.get(Session, self.session.id).current_item
            if current is not None and current.kind == kind:
                return current
            agenda.advance(self.chief, current.id if current else None)

    def participant(self, name):
        from .services.actors import participant_actor
        return participant_actor(self.people[name].id, self.session.id)

    def members(self, key):
        return [p["name"] for p in self.content["participants"] if p["group"] == key]

    def moderator(self, key):
        from .services.actors import user_actor
        return user_actor(self.groups[key][1], self.session.id)

    @staticmethod
    def cid():
        return str(uuid.uuid4())

    # -- tacts --------------------------------------------------------------------------
    def post(self, item, author, text):
        from .services import cards
        card, _ = cards.create_card(self.participant(author), {
            "client_id": self.cid(), "item_id": item.id, "text": text})
        return card

    def trends(self, item):
        for rows in self.content["trends"].values():
            for row in rows:
                self.post(item, row["author"], row["text"])

    def brainstorm(self, item):
        self.ideas = [self.post(item, row["author"], row["text"])["id"]
                      for row in self.content["ideas"]]

    def clustering(self, item):
        from .services import initiatives as svc
        for key, board in self.content.get("boards", {}).items():
            group = self.groups[key][0]
            mod = self.moderator(key)
            for n in board.get("pool", []):
                svc.take_idea(mod, {"item_id": item.id, "group_id": group.id,
                                    "idea_id": self.ideas[n - 1]})
            for row in board["initiatives"]:
                taken = [svc.take_idea(mod, {"item_id": item.id, "group_id": group.id,
                                             "idea_id": self.ideas[n - 1]})["id"]
                         for n in row["ideas"]]
                initiative, _ = svc.create_initiative(mod, {
                    "client_id": self.cid(), "item_id": item.id, "group_id": group.id,
                    "name": row["name"], "selection_ids": taken})
                self.initiatives[key, row["name"]] = initiative["id"]
            svc.board_settings(mod, {"item_id": item.id, "group_id": group.id,
                                     "staking": "open", "top_n": board.get("top_n", 3)})
            for name, chips in zip(self.members(key), board.get("stakes", [])):
                for row, count in zip(board["initiatives"], chips):
                    if count:
                        svc.set_stake(self.participant(name), {
                            "item_id": item.id, "count": count,
                            "initiative_id": self.initiatives[key, row["name"]]})
            svc.board_settings(mod, {"item_id": item.id, "group_id": group.id,
                                     "totals_revealed": True, "list_b_locked": True})

    def stakeholders_tact(self, item):
        from .services import stakeholders as svc
        for key, board in self.content.get("boards", {}).items():
            authors = self.members(key)
            for row in board["initiatives"]:
                for n, s in enumerate(row.get("stakeholders", [])):
                    added, _ = svc.add_stakeholder(self.participant(authors[n % len(authors)]), {
                        "client_id": self.cid(), "item_id": item.id, "name": s["name"],
                        "type": s["type"], "values": s.get("values", []),
                        "initiative_id": self.initiatives[key, row["name"]]})
                    self.stakeholders[key, row["name"], s["name"]] = added["id"]

    def resources(self, item):
        from .services import stakeholders as svc
        for key, board in self.content.get("boards", {}).items():
            authors = self.members(key)
            for row in board["initiatives"]:
                ends = lambda name: (None if name is None  # noqa: E731
                                     else self.stakeholders[key, row["name"], name])
                for n, f in enumerate(row.get("flows", [])):
                    svc.add_flow(self.participant(authors[(n + 1) % len(authors)]), {
                        "client_id": self.cid(), "item_id": item.id,
                        "initiative_id": self.initiatives[key, row["name"]],
                        "source_id": ends(f["from"]), "target_id": ends(f["to"]),
                        "resource": f["resource"], "resource_text": f.get("text", ""),
                        "mark": f["mark"]})

    def regrouping(self, item):
        """Day-two teams: one per group from its List B, its moderator and people follow."""
        from .services import sessions, teams
        for row in self.content.get("teams", []):
            group, moderator = self.groups[row["from"]]
            team = teams.create_team(self.chief, {"name": row["name"], "initiative_ids": [
                self.initiatives[row["from"], name] for name in row["initiatives"]]})
            sessions.assign_moderator(self.chief.user, self.session.id, team.id, moderator)
            self.teams[row["from"]] = team
        if self.teams:
            teams.open_teams(self.chief, True)
            for person in self.content["participants"]:
                if person["group"] in self.teams:
                    teams.choose_team(self.participant(person["name"]),
                                      self.teams[person["group"]].id)

    def working(self, key):
        """The group that works for a group key now: its day-two team, else the group."""
        return self.teams[key] if key in self.teams else self.groups[key][0]

    def requests(self, item):
        from .services import requests as svc
        groups = {key: self.working(key).id for key in self.groups}
        keys = {group_id: key for key, group_id in groups.items()}
        for row in self.content.get("requests", []):
            request, _ = svc.send_request(self.participant(row["author"]), {
                "client_id": self.cid(), "item_id": item.id, "need": row["need"],
                "initiative_id": self.initiatives[row["from"], row["initiative"]],
                "to_group_id": groups[row["to"]], "text": row["text"]})
            for answer in row.get("solutions", []):
                svc.answer_request(self.participant(answer["author"]), {
                    "client_id": self.cid(), "request_id": request["id"], "text": answer["text"]})
            receiver = self.moderator(row["to"])
            if row["status"] in ("discussing", "accepted", "declined", "done"):
                svc.set_status(receiver, {"id": request["id"], "status": (
                    "accepted" if row["status"] == "done" else row["status"])})
            if row["status"] == "done":
                svc.set_status(self.moderator(keys[groups[row["from"]]]),
                               {"id": request["id"], "status": "done"})

    def okr(self, item):
        from datetime import timedelta

        from .services import objectives as svc
        from .services.clock import utcnow
        today = utcnow().date()
        for row in self.content.get("objectives", []):
            objective, _ = svc.add_objective(self.participant(row["author"]), {
                "client_id": self.cid(), "item_id": item.id, "text": row["text"],
                "initiative_id": self.initiatives[row["group"], row["initiative"]]})
            for kr in row["key_results"]:
                kind, name = kr["owner"].split(":", 1)
                owner = (f"s{self.stakeholders[row['group'], row['initiative'], name]}"
                         if kind == "s" else f"p{self.people[name].id}")
                svc.add_key_result(self.participant(row["author"]), {
                    "client_id": self.cid(), "objective_id": objective["id"],
                    "metric": kr["metric"], "baseline": kr.get("baseline"),
                    "target": kr["target"], "unit": kr.get("unit", ""),
                    "deadline": (today + timedelta(days=kr["days"])).isoformat(),
                    "owner": owner, "accept_vague": kr.get("accept_vague", False)})

    def deck(self, item):
        """Tact 8: each working group's moderator assembles its deck; the first group retitles
        its title slide (an edit that refreshing from the data keeps)."""
        from .services import decks
        from .services.actors import user_actor
        from .services.teams import active_groups
        session = db.session.get(Session, self.session.id)
        for n, group in enumerate(active_groups(session)):
            mod = (user_actor(group.moderators[0], session.id) if group.moderators
                   else self.chief)
            deck, _ = decks.assemble(mod, {"item_id": item.id, "group_id": group.id})
            if n == 0 and deck["slides"]:
                first = deck["slides"][0]
                decks.edit_slide(mod, {"id": first["id"], "base": first["text_rev"],
                                       "title": f"{group.name}: от идей к делу",
                                       "body": first["body"]})

    def scores(self, experts):
        """Both demo experts score every group (hidden until the chief moderator reveals)."""
        from .services import experts as svc
        from .services.actors import user_actor
        criteria = svc.ensure_criteria(self.session)
        for n, expert in enumerate(experts):
            actor = user_actor(expert, self.session.id)
            for g, row in enumerate(self.content.get("scores", [])):
                group = self.working(row["group"])
                values = {c.id: (max(1, min(5, v - n * ((g + i) % 2))), row["comments"][i] if n == 0
                                 and i < len(row.get("comments", [])) else "")
                          for i, (c, v) in enumerate(zip(criteria, row["values"]))}
                svc.save_scores(actor, group.id, values)


def register_commands(app):
    from .tacts import KINDS
    from .templates_lib import template_names

    @app.cli.command("demo")
    @click.option("--filled", is_flag=True, help="Fill the tacts so far with realistic content.")
    @click.option("--template", default="strategic_session", show_default=True,
                  help="A built-in template (`flask --app wsgi templates` lists them).")
    @click.option("--until", type=click.Choice(sorted(KINDS)), default=None,
                  help="With --filled: stop at this tact kind (default: the last filled one).")
    def demo(filled, template, until):
        """Create a demo session from a built-in program (the default one unless --template)
        and print its links."""
        if template not in template_names():
            raise click.ClickException(f"there is no built-in template {template!r}; "
                                       f"choose one of: {', '.join(template_names())}")
        session, password, moderators, experts = build_demo(filled=filled, template=template,
                                                            until=until)
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
        for team in (g for g in session.groups if g.stage == 2):
            names = ", ".join(u.email for u in team.moderators)
            click.echo(f"day-two team «{team.name}»: "
                       f"{_link('moderator.group_board', session_id=session.id, group_id=team.id)}"
                       f"  (moderated by {names or 'the chief moderator'})")
        if any(g.stage == 2 for g in session.groups):
            click.echo(f"day-two teams: {_link('moderator.teams_page', session_id=session.id)}")
        for user, expert_password in experts:
            click.echo(f"expert: {_link('expert.score', session_id=session.id)}"
                       f"  login: {user.email} / {expert_password}")
        click.echo(f"projector: {_link('projector.show', session_id=session.id, key=session.projector_key)}")
        click.echo(f"join: {_link('participant.join', code=session.join_code)}"
                   f"  code: {session.join_code}")

    @app.cli.command("suggest")
    @click.argument("file", type=click.File("r", encoding="utf-8"))
    def suggest_(file):
        """Read one idea per line and print the suggestions as JSON: clusters with a proposed
        name and their line numbers (from 1), and groups of near-duplicate lines."""
        import json

        from .suggest import suggest
        lines = file.read().splitlines()
        click.echo(json.dumps(suggest(lines).as_dict(base=1), ensure_ascii=False))

    @app.cli.command("templates")
    def templates():
        """List the built-in program templates: name, then title (Russian / English)."""
        from .templates_lib import template_titles
        for name, title in template_titles():
            click.echo(f"{name}\t{title['ru']} / {title['en']}")

    @app.cli.command("template-export")
    @click.argument("session_id", type=int)
    @click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True),
                  default="-", help="File to write ('-' for standard output).")
    def template_export(session_id, output):
        """Write a session's program as a template (YAML, docs/TEMPLATES.md)."""
        from .services.program import session_program
        from .templates_lib import to_yaml
        session = db.session.get(Session, session_id)
        if session is None:
            raise click.ClickException(f"there is no session {session_id}")
        text = to_yaml(session_program(session))
        if output == "-":
            click.echo(text, nl=False)
        else:
            with open(output, "w", encoding="utf-8") as fh:
                fh.write(text)
            click.echo(f"wrote {output}", err=True)

    @app.cli.command("template-import")
    @click.argument("file", type=click.File("rb"))
    @click.option("--owner", "owner_email", default=None, metavar="EMAIL",
                  help="The account whose template it becomes (without it: only check it).")
    @click.option("--replace", is_flag=True, help="Replace the owner's template of that name.")
    def template_import(file, owner_email, replace):
        """Check a template file (YAML); with --owner, keep it as that organizer's template."""
        from .services.errors import DomainError
        from .services.program import import_template
        from .templates_lib import parse_template
        raw = file.read()
        try:
            program = parse_template(raw, KINDS)
            if owner_email:
                owner = db.session.scalar(
                    db.select(User).where(User.email == owner_email.strip().lower()))
                if owner is None:
                    raise click.ClickException(f"there is no account {owner_email}")
                row = import_template(owner, raw, replace)
                click.echo(f"template: {row.id} {row.name}")
            else:
                click.echo(f"ok: {program['name']}, {program['days']} day(s), "
                           f"{len(program['items'])} items")
        except DomainError as exc:
            raise click.ClickException(f"{file.name}: {exc.message}") from None

    @app.cli.command("backup")
    @click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
                  help="The copy's file (default: instance/backups/takt-<UTC time>.db).")
    def backup(output):
        """Write a consistent copy of the SQLite database while the app runs (PostgreSQL:
        use pg_dump; docs/RELIABILITY.md)."""
        from pathlib import Path

        from .backup import BackupError, backup_sqlite, default_name
        target = output or str(Path(current_app.instance_path) / "backups" / default_name())
        try:
            path = backup_sqlite(current_app.config["SQLALCHEMY_DATABASE_URI"], target)
        except BackupError as exc:
            raise click.ClickException(str(exc)) from None
        click.echo(f"backup: {path}")

    @app.cli.command("export")
    @click.argument("session_id", type=int)
    @click.option("--format", "fmt", type=click.Choice(sorted(FORMATS)), default="json",
                  show_default=True)
    @click.option("--group", "group_id", type=int, default=None,
                  help="Only this group (or day-two team) and what concerns it. JSON is always "
                       "the whole session: it is what `import` reads back.")
    @click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True),
                  default="-", help="File to write ('-' for standard output).")
    def export(session_id, fmt, group_id, output):
        """Export a session: json (schema in docs/session-export.schema.json), md, and the
        office formats, at any point of the session (a half-finished one exports what it has)."""
        from .exports import render
        from .services.errors import NotFound
        try:
            body, _mimetype, _ext = render(fmt, session_id, group_id)
        except NotFound:
            what = f"group {group_id} in session {session_id}" if group_id else f"session {session_id}"
            if db.session.get(Session, session_id) is None:
                what = f"session {session_id}"
            raise click.ClickException(f"there is no {what}") from None
        if output == "-":
            sys.stdout.buffer.write(body)
            sys.stdout.flush()
        else:
            with open(output, "wb") as fh:
                fh.write(body)
            click.echo(f"wrote {output}", err=True)

    @app.cli.command("create-account")
    @click.argument("email")
    @click.option("--name", "display_name", required=True, help="The name shown to others.")
    @click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True,
                  envvar="TAKT_NEW_PASSWORD",
                  help="Asked twice when not given (or read from TAKT_NEW_PASSWORD).")
    def create_account(email, display_name, password):
        """Create a staff account: the first organizer of a new installation (every later one
        can be invited from a session page). Any account can create sessions; it signs in at
        /login. Checked as the sign-up form checks it; a taken e-mail changes nothing."""
        from .services import sessions
        from .services.errors import DomainError
        from .services.forms import SignupForm, check
        try:
            form = check(SignupForm, {"email": email, "display_name": display_name,
                                      "password": password})
            user = sessions.register_user(form.email.data, form.display_name.data,
                                          form.password.data)
        except DomainError as exc:
            raise click.ClickException(f"{exc.field or 'email'}: {exc.message}") from None
        click.echo(f"account: {user.email}")
        click.echo(f"sign in: {_link('auth.login')}")

    @app.cli.command("import")
    @click.argument("file", type=click.File("rb"))
    @click.option("--organizer", "organizer_email", default=None, metavar="EMAIL",
                  help="An existing account that becomes organizer and chief moderator.")
    def import_(file, organizer_email):
        """Create a new session from a JSON export (docs/session-export.schema.json) and print
        `session: ID`. A file that does not validate is refused and nothing is written."""
        from .services.errors import DomainError
        from .services.imports import import_session, parse
        organizer = None
        if organizer_email:
            organizer = db.session.scalar(
                db.select(User).where(User.email == organizer_email.strip().lower()))
            if organizer is None:
                raise click.ClickException(f"there is no account {organizer_email}")
        try:
            session = import_session(parse(file.read()), organizer=organizer)
        except DomainError as exc:
            raise click.ClickException(f"{file.name}: {exc.message}") from None
        click.echo(f"session: {session.id}")
        click.echo(f"organizer: {_link('organizer.session', session_id=session.id)}")
