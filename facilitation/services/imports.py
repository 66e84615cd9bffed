"""Import a session from its JSON export (docs/session-export.schema.json): check the document,
then build a new session from it in one transaction, with new ids, codes and client ids.

Exporting the imported session gives the same document again, ids, client ids, the join code
and the projector's key aside (tests/services/test_import.py keeps that promise)."""
import json
import math
import secrets
import unicodedata
import uuid
from datetime import date, datetime, time, timezone
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import SQLAlchemyError

from ..extensions import db
from ..models import (AgendaItem, Criterion, Deck, Flow, Group, GroupBoard, Idea, Initiative,
                      KeyResult, Membership, Objective, Participant, Request, Score, Selection,
                      Session, Slide, Solution, Stake, Stakeholder, StakeholderValue, Trend, User,
                      utcnow)
from .codes import new_join_code
from .errors import Invalid
from .text import BIDI
from .unit import unit_of_work

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "docs" / "session-export.schema.json"
FORMAT = "takt.session"
VERSION = 6
UNUSABLE_PASSWORD = "!imported:"
MESSAGE_MAX = 300  # a schema message quotes the offending value: keep it readable

# Inside a slide's `data` (what the deck template drew): which keys hold ids of what.
_DATA_ID_FIELDS = {"group_id": "groups", "initiative_id": "initiatives", "item_id": "agenda",
                   "stakeholder_id": "stakeholders", "source_id": "stakeholders",
                   "target_id": "stakeholders", "participant_id": "participants",
                   "criterion_id": "criteria"}
_DATA_COLLECTIONS = {"initiative": "initiatives", "initiatives": "initiatives",
                     "stakeholders": "stakeholders", "values": "values", "flows": "flows",
                     "gives": "flows", "spends": "flows", "gains": "flows", "ideas": "ideas",
                     "pool": "ideas", "focus": "initiatives", "group": "groups"}


# -- reading and checking the document ----------------------------------------------------------
def parse(raw):
    """Read an export file's bytes (or text) as JSON. Raises Invalid naming line and column."""
    if isinstance(raw, bytes):
        raw = raw.removeprefix(b"\xef\xbb\xbf")  # a byte order mark some editors write
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            line, column = _line_column(raw, exc.start)
            raise Invalid(_l("The file is not UTF-8 text (line %(line)d, column %(column)d).",
                             line=line, column=column)) from None
    try:
        return json.loads(raw, parse_constant=_no_constant)
    except RecursionError:  # nested deeper than the parser goes: no export is
        raise Invalid(_l("The file is not a Takt session export: it holds no JSON object.")
                      ) from None
    except json.JSONDecodeError as exc:
        raise Invalid(_l("The file is not valid JSON: %(message)s (line %(line)d, column "
                         "%(column)d).", message=exc.msg, line=exc.lineno, column=exc.colno)
                      ) from None


def _no_constant(name):
    raise json.JSONDecodeError(f"{name} is not a JSON number", name, 0)


def _line_column(raw, offset):
    """Line and column (in characters, as an editor counts them) of a byte offset."""
    line_start = raw.rfind(b"\n", 0, offset) + 1
    column = len(raw[line_start:offset].decode("utf-8", "replace")) + 1
    return raw.count(b"\n", 0, offset) + 1, column


@lru_cache(maxsize=1)
def _validator():
    from jsonschema import Draft202012Validator
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def place_of(path):
    """A JSON path as people read it: `groups[2].name`."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def validate(data):
    """Check the document against the export schema. Raises Invalid naming the place."""
    if not isinstance(data, dict):
        raise Invalid(_l("The file is not a Takt session export: it holds no JSON object."))
    if data.get("format") != FORMAT:
        raise Invalid(_l("The file is not a Takt session export: its \"format\" is not "
                         "\"%(format)s\".", format=FORMAT), field="format")
    if data.get("version") != VERSION:
        raise Invalid(_l("The file is a Takt session export of version %(found)s; this Takt "
                         "imports version %(version)s.", found=json.dumps(data.get("version")),
                         version=VERSION), field="version")
    from jsonschema.exceptions import best_match
    error = best_match(_validator().iter_errors(data))
    if error is None:
        _validate_outputs(data)
        return
    _refuse(error)


def _validate_outputs(data):
    """Each agenda item's `output` against its kind's own schema (tacts' `output_schema`)."""
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import best_match

    from ..tacts import KINDS
    for n, item in enumerate(data["agenda"]):
        kind = KINDS.get(item["kind"])
        if kind is None or "output" not in item or not kind.output_schema:
            continue
        validator = Draft202012Validator(kind.output_schema,
                                         format_checker=Draft202012Validator.FORMAT_CHECKER)
        error = best_match(validator.iter_errors(item["output"]))
        if error is not None:
            _refuse(error, ["agenda", n, "output"])


def _refuse(error, prefix=()):
    """Raise Invalid for a schema error, naming its place in the document."""
    message = error.message
    if len(message) > MESSAGE_MAX:
        message = message[:MESSAGE_MAX - 1] + "…"
    place = place_of(list(prefix) + list(error.absolute_path))
    if not place:
        raise Invalid(_l("The file does not match the export schema: %(message)s",
                         message=message))
    raise Invalid(_l("The file does not match the export schema at %(place)s: %(message)s",
                     place=place, message=message), field=place)


# -- building the session -----------------------------------------------------------------------
def import_session(data, organizer=None):
    """Create a new session from an export document, in one transaction; return it.

    With `organizer` (the uploading user) that user becomes organizer and chief moderator too.
    Raises Invalid naming the place when the document does not validate or contradicts itself
    (a reference to a row the file does not hold); then nothing is written."""
    validate(data)
    try:
        with unit_of_work():
            session = _Builder(data).build(organizer)
    except (SQLAlchemyError, OverflowError) as exc:  # a check above should have caught it
        detail = str(getattr(exc, "orig", None) or exc).splitlines()[0][:200]
        raise Invalid(_l("The database refused the file (%(detail)s); nothing was imported.",
                         detail=detail)) from None
    return session


class ImportIds(dict):
    """What a tact kind's `import_item` hook gets (/work/tools/KIND_HOOKS.md): collection ->
    {old id: new id}, and the importer's helpers, with `place` the JSON path of the item's
    output ("agenda[3].output")."""

    def __init__(self, builder):
        super().__init__(builder.ids)
        self._builder = builder
        self.place = ""

    @property
    def session(self):
        return self._builder.session

    @property
    def now(self):
        return self._builder.now

    def ref(self, collection, old, place, nullable=False):
        """The new id of the row `old` of a collection; Invalid naming `place` when there is none."""
        if collection not in self._builder.ids:
            self._builder.ids[collection] = self.setdefault(collection, {})
        return self._builder.ref(collection, old, place, nullable)

    def add(self, row, place):
        return self._builder.add(row, place)

    def flush(self):
        self._builder.flush()

    def when(self, value, place, default=None):
        return self._builder.when(value, place, default if default is not None else self.now)

    def author(self, entry, place):
        return self._builder.author(entry, place)


class _Builder:
    """One import: the new rows, and for each collection of the file its old id -> new id."""

    def __init__(self, data):
        self.data = data
        self.now = utcnow()
        self.ids = {key: {} for key in ("groups", "agenda", "participants", "trends", "ideas",
                                        "initiatives", "stakeholders", "values", "flows",
                                        "requests", "objectives", "criteria", "decks")}
        self.users = {}  # display name -> User: one account per name
        self.taken = {}  # (group id, idea id) -> the place in the file that took it
        self.session = None

    # -- helpers --------------------------------------------------------------------------------
    def ref(self, collection, old, place, nullable=False):
        """The new id of the row `old` of a collection of the file; Invalid when there is none."""
        if old is None and nullable:
            return None
        new = self.ids[collection].get(old)
        if new is None:
            raise Invalid(_l("%(place)s: %(value)s is not the id of any of the file's "
                             "\"%(collection)s\".", place=place, value=json.dumps(old),
                             collection=collection), field=place)
        return new

    def remember(self, collection, old, row, place):
        if old in self.ids[collection]:
            raise Invalid(_l("%(place)s: the id %(value)s appears twice in \"%(collection)s\".",
                             place=place, value=old, collection=collection), field=place)
        self.ids[collection][old] = row.id

    def add(self, row, place, aliases=None):
        """Check the row's text columns (length, characters) and add it to the session."""
        for column in row.__table__.columns:
            value = getattr(row, column.key, None)
            if not isinstance(value, str):
                continue
            name = f"{place}.{(aliases or {}).get(column.key, column.key)}"
            limit = getattr(column.type, "length", None)
            if limit and len(value) > limit:
                raise Invalid(_l("%(place)s: the text is too long (%(length)d characters, at "
                                 "most %(max)d).", place=name, length=len(value), max=limit),
                              field=name)
            if any(ch in BIDI or (unicodedata.category(ch) == "Cc" and ch not in "\n\r\t")
                   for ch in value):
                raise Invalid(_l("%(place)s: the text contains control or direction-override "
                                 "characters.", place=name), field=name)
        db.session.add(row)
        return row

    def when(self, value, place, default=None):
        """A UTC time of the file as a naive UTC datetime (how the database keeps them)."""
        if value is None:
            return default
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except (TypeError, ValueError, AttributeError):
            raise Invalid(_l("%(place)s: %(value)s is not a valid date or time.", place=place,
                             value=json.dumps(value)), field=place) from None
        if parsed.tzinfo is not None:
            parsed = parsed.astimezone(timezone.utc).replace(tzinfo=None)
        return parsed

    def day(self, value, place):
        try:
            return date.fromisoformat(value)
        except (TypeError, ValueError):
            raise Invalid(_l("%(place)s: %(value)s is not a valid date or time.", place=place,
                             value=json.dumps(value)), field=place) from None

    def user(self, name, place):
        """The account for a staff name (created once per name, with no usable password)."""
        if name not in self.users:
            # No "$" in the hash: werkzeug's check_password_hash refuses every password.
            user = User(email=f"imported-{uuid.uuid4().hex}@takt.invalid", display_name=name,
                        password_hash=UNUSABLE_PASSWORD + secrets.token_hex(16),
                        created_at=self.now)
            self.users[name] = self.add(user, place, {"display_name": "name"})
        return self.users[name]

    def author(self, row, place):
        """Authored columns: the participant by id, else a staff account by the author's name."""
        participant = self.ref("participants", row.get("participant_id"),
                               f"{place}.participant_id", nullable=True)
        if participant is not None:
            return {"participant_id": participant}
        name = row.get("author") or ""
        return {"author_user": self.user(name, f"{place}.author")} if name else {}

    def flush(self):
        db.session.flush()

    # -- the document, collection by collection -----------------------------------------------
    def build(self, organizer):
        self._session()
        self._staff(organizer)
        self._groups()
        self._agenda()
        self._participants()
        self._cards("trends", Trend)
        self._cards("ideas", Idea)
        self._boards()
        self._initiatives()
        self._pools()
        self._stakes()
        self._stakeholders()
        self._flows()
        self._requests()
        self._objectives()
        self._scores()
        self._decks()
        self._outputs()
        self.flush()
        return self.session

    def _outputs(self):
        """Each item's own output, through its tact kind's import_item hook, in agenda order."""
        from ..tacts import get_kind
        self.flush()
        ids = ImportIds(self)
        for n, entry in sorted(enumerate(self.data["agenda"]), key=lambda e: e[1]["position"]):
            if entry.get("output") is None:
                continue
            ids.place = f"agenda[{n}].output"
            item = db.session.get(AgendaItem, self.ids["agenda"][entry["id"]])
            get_kind(entry["kind"]).import_item(item, entry["output"], ids)
        self.flush()

    def _session(self):
        s = self.data["session"]
        try:
            ZoneInfo(s["timezone"])
        except (ZoneInfoNotFoundError, ValueError):
            raise Invalid(_l("%(place)s: unknown time zone %(value)s.", place="session.timezone",
                             value=json.dumps(s["timezone"])), field="session.timezone") from None
        code = new_join_code()
        while db.session.scalar(db.select(Session.id).where(Session.join_code == code)):
            code = new_join_code()
        results = self.data["results"]
        self.session = self.add(Session(
            title=s["title"], language=s["language"],
            starts_on=self.day(s["starts_on"], "session.starts_on"),
            ends_on=self.day(s["ends_on"], "session.ends_on"), timezone=s["timezone"],
            join_code=code, revision=s["revision"], template_name=s["template"],
            group_assignment=s["group_assignment"], projector_key=secrets.token_urlsafe(24),
            teams_opened_at=self.when(s.get("teams_opened_at"), "session.teams_opened_at"),
            results_revealed_at=self.now if results.get("revealed") else None,
            created_at=self.when(s["created_at"], "session.created_at", self.now)),
            "session", {"template_name": "template"})
        self.flush()

    def _staff(self, organizer):
        roles = set()
        for n, m in enumerate(self.data["staff"]):
            user = self.user(m["name"], f"staff[{n}]")
            roles.add((user, m["role"]))
        if organizer is not None:
            roles |= {(organizer, "organizer"), (organizer, "chief_moderator")}
        self.flush()
        for user, role in sorted(roles, key=lambda r: (r[0].id, r[1])):
            db.session.add(Membership(session_id=self.session.id, user_id=user.id, role=role,
                                      created_at=self.now))

    def _groups(self):
        for n, g in enumerate(self.data["groups"]):
            place = f"groups[{n}]"
            group = self.add(Group(session_id=self.session.id, name=g["name"],
                                   subject_frame=g["subject_frame"], position=g["position"],
                                   stage=g["stage"]), place)
            group.moderators = [self.user(name, f"{place}.moderators[{k}]")
                                for k, name in enumerate(dict.fromkeys(g["moderators"]))]
            self.flush()
            self.remember("groups", g["id"], group, f"{place}.id")

    def _agenda(self):
        from ..tacts import KINDS
        for n, i in enumerate(self.data["agenda"]):
            place = f"agenda[{n}]"
            if i["kind"] not in KINDS:
                raise Invalid(_l("%(place)s: unknown kind of agenda item %(value)s.",
                                 place=f"{place}.kind", value=json.dumps(i["kind"])),
                              field=f"{place}.kind")
            hours, minutes = (int(x) for x in i["start_time"].split(":"))
            if hours > 23:
                raise Invalid(_l("%(place)s: %(value)s is not a valid date or time.",
                                 place=f"{place}.start_time", value=json.dumps(i["start_time"])),
                              field=f"{place}.start_time")
            item = self.add(AgendaItem(
                session_id=self.session.id, position=i["position"], day=i["day"],
                kind=i["kind"], tact=i["tact"], scope=i["scope"], title=i["title"],
                instructions=i["instructions"], start_time=time(hours, minutes),
                duration_min=i["duration_min"], state=i["state"], locked=i["locked"],
                hidden=i["hidden"], timer_duration_s=i["duration_min"] * 60,
                texts=i.get("texts") or None), place)
            self.flush()
            self.remember("agenda", i["id"], item, f"{place}.id")
        self.session.current_item_id = self.ref(
            "agenda", self.data["session"]["current_item_id"], "session.current_item_id",
            nullable=True)

    def _participants(self):
        rows = []
        for n, p in enumerate(self.data["participants"]):
            place = f"participants[{n}]"
            rows.append((p, place, self.add(Participant(
                session_id=self.session.id, display_name=p["display_name"],
                group_id=self.ref("groups", p["group_id"], f"{place}.group_id", nullable=True),
                joined_at=self.when(p["joined_at"], f"{place}.joined_at", self.now),
                removed_at=self.now if p["removed"] else None), place)))
        self.flush()
        for p, place, row in rows:
            self.remember("participants", p["id"], row, f"{place}.id")

    def _cards(self, key, model):
        rows = []
        for n, c in enumerate(self.data[key]):
            place = f"{key}[{n}]"
            group_id = self.ref("groups", c["group_id"], f"{place}.group_id",
                                nullable=model is Idea)
            created = self.when(c["created_at"], f"{place}.created_at", self.now)
            updated = self.when(c["updated_at"], f"{place}.updated_at", created)
            rows.append((c, place, self.add(model(
                session_id=self.session.id,
                item_id=self.ref("agenda", c["item_id"], f"{place}.item_id"),
                group_id=group_id, text=c["text"], revealed=c["revealed"],
                created_at=created, updated_at=updated,
                deleted_at=updated if c["deleted"] else None, **self.author(c, place)), place)))
        self.flush()
        for c, place, row in rows:
            self.remember(key, c["id"], row, f"{place}.id")
        for c, place, row in rows:  # merged into a card before or after it
            row.merged_into_id = self.ref(key, c["merged_into"], f"{place}.merged_into",
                                          nullable=True)

    def _boards(self):
        seen = set()
        for n, b in enumerate(self.data["boards"]):
            place = f"boards[{n}]"
            key = (self.ref("agenda", b["item_id"], f"{place}.item_id"),
                   self.ref("groups", b["group_id"], f"{place}.group_id"))
            if key in seen:
                raise Invalid(_l("%(place)s: this group already has a board in this agenda "
                                 "item.", place=place), field=place)
            seen.add(key)
            self.add(GroupBoard(session_id=self.session.id, item_id=key[0], group_id=key[1],
                                budget=b["budget"], staking=b["staking"],
                                totals_revealed=b["totals_revealed"],
                                list_b_locked=b["list_b_locked"],
                                participants_cluster=b["participants_cluster"],
                                top_n=b["top_n"]), place)

    def _select(self, group_id, idea_old, initiative_id, position, place):
        idea_id = self.ref("ideas", idea_old, place)
        if (group_id, idea_id) in self.taken:
            raise Invalid(_l("%(place)s: the group has already taken this idea (at %(other)s).",
                             place=place, other=self.taken[(group_id, idea_id)]), field=place)
        self.taken[(group_id, idea_id)] = place
        db.session.add(Selection(session_id=self.session.id, group_id=group_id, idea_id=idea_id,
                                 initiative_id=initiative_id, position=position))

    def _initiatives(self):
        rows = []
        for n, i in enumerate(self.data["initiatives"]):
            place = f"initiatives[{n}]"
            created = self.when(i["created_at"], f"{place}.created_at", self.now)
            updated = self.when(i["updated_at"], f"{place}.updated_at", created)
            rows.append((i, place, self.add(Initiative(
                session_id=self.session.id,
                item_id=self.ref("agenda", i["item_id"], f"{place}.item_id"),
                group_id=self.ref("groups", i["group_id"], f"{place}.group_id"),
                team_group_id=self.ref("groups", i.get("team_group_id"),
                                       f"{place}.team_group_id", nullable=True),
                name=i["name"], position=i["position"], created_at=created, updated_at=updated,
                deleted_at=updated if i["deleted"] else None), place)))
        self.flush()
        for i, place, row in rows:
            self.remember("initiatives", i["id"], row, f"{place}.id")
        for i, place, row in rows:
            row.merged_into_id = self.ref("initiatives", i["merged_into"],
                                          f"{place}.merged_into", nullable=True)
            for k, idea in enumerate(i["ideas"]):
                self._select(row.group_id, idea, row.id, k, f"{place}.ideas[{k}]")

    def _pools(self):
        """The boards' pools: the ideas a group took and put in no initiative. A group's pool
        shows on each of its clustering boards: taken once."""
        pools = {}
        for n, b in enumerate(self.data["boards"]):
            group_id = self.ref("groups", b["group_id"], f"boards[{n}].group_id")
            pool = pools.setdefault(group_id, {})
            for k, idea in enumerate(b["pool"]):
                pool.setdefault(idea, f"boards[{n}].pool[{k}]")
        for group_id, pool in pools.items():
            for position, (idea, place) in enumerate(pool.items()):
                self._select(group_id, idea, None, position, place)

    def _stakes(self):
        seen = set()
        for n, s in enumerate(self.data["stakes"]):
            place = f"stakes[{n}]"
            key = (self.ref("participants", s["participant_id"], f"{place}.participant_id"),
                   self.ref("initiatives", s["initiative_id"], f"{place}.initiative_id"))
            if key in seen:
                raise Invalid(_l("%(place)s: this participant already has stakes on this "
                                 "initiative.", place=place), field=place)
            seen.add(key)
            db.session.add(Stake(session_id=self.session.id, participant_id=key[0],
                                 initiative_id=key[1], count=s["count"], updated_at=self.now))

    def _stakeholders(self):
        rows = []
        for n, s in enumerate(self.data["stakeholders"]):
            place = f"stakeholders[{n}]"
            created = self.when(s["created_at"], f"{place}.created_at", self.now)
            updated = self.when(s["updated_at"], f"{place}.updated_at", created)
            row = self.add(Stakeholder(
                session_id=self.session.id,
                item_id=self.ref("agenda", s["item_id"], f"{place}.item_id"),
                group_id=self.ref("groups", s["group_id"], f"{place}.group_id"),
                initiative_id=self.ref("initiatives", s["initiative_id"],
                                       f"{place}.initiative_id"),
                name=s["name"], type=s["type"], created_at=created, updated_at=updated,
                deleted_at=updated if s["deleted"] else None, **self.author(s, place)), place)
            rows.append((s, place, row))
        self.flush()  # stakeholders get their ids before their values
        values = []
        for s, place, row in rows:
            self.remember("stakeholders", s["id"], row, f"{place}.id")
            for k, v in enumerate(s["values"]):
                vplace = f"{place}.values[{k}]"
                values.append((v, vplace, self.add(StakeholderValue(
                    session_id=self.session.id, stakeholder_id=row.id, text=v["text"],
                    created_at=row.created_at,
                    participant_id=self.ref("participants", v["participant_id"],
                                            f"{vplace}.participant_id", nullable=True)), vplace)))
        self.flush()
        for v, vplace, value in values:
            self.remember("values", v["id"], value, f"{vplace}.id")
        for s, place, row in rows:
            row.merged_into_id = self.ref("stakeholders", s["merged_into"],
                                          f"{place}.merged_into", nullable=True)

    def _flows(self):
        rows = []
        for n, f in enumerate(self.data["flows"]):
            place = f"flows[{n}]"
            created = self.when(f["created_at"], f"{place}.created_at", self.now)
            rows.append((f, place, self.add(Flow(
                session_id=self.session.id,
                item_id=self.ref("agenda", f["item_id"], f"{place}.item_id"),
                group_id=self.ref("groups", f["group_id"], f"{place}.group_id"),
                initiative_id=self.ref("initiatives", f["initiative_id"],
                                       f"{place}.initiative_id"),
                source_id=self.ref("stakeholders", f["source_id"], f"{place}.source_id",
                                   nullable=True),
                target_id=self.ref("stakeholders", f["target_id"], f"{place}.target_id",
                                   nullable=True),
                resource=f["resource"], resource_text=f["resource_text"], mark=f["mark"],
                created_at=created, updated_at=created,
                deleted_at=created if f["deleted"] else None, **self.author(f, place)), place)))
        self.flush()
        for f, place, row in rows:
            self.remember("flows", f["id"], row, f"{place}.id")

    def _requests(self):
        rows = []
        for n, r in enumerate(self.data["requests"]):
            place = f"requests[{n}]"
            from_group = self.ref("groups", r["from_group_id"], f"{place}.from_group_id")
            to_group = self.ref("groups", r["to_group_id"], f"{place}.to_group_id")
            if from_group == to_group:
                raise Invalid(_l("%(place)s: a request cannot go to the group that sends it.",
                                 place=f"{place}.to_group_id"), field=f"{place}.to_group_id")
            created = self.when(r["created_at"], f"{place}.created_at", self.now)
            updated = self.when(r["updated_at"], f"{place}.updated_at", created)
            rows.append((r, place, self.add(Request(
                session_id=self.session.id,
                item_id=self.ref("agenda", r["item_id"], f"{place}.item_id"),
                from_group_id=from_group, to_group_id=to_group,
                initiative_id=self.ref("initiatives", r["initiative_id"],
                                       f"{place}.initiative_id"),
                need=r["need"], text=r["text"], status=r["status"], created_at=created,
                updated_at=updated, deleted_at=updated if r["deleted"] else None,
                **self.author(r, place)), place)))
        self.flush()
        for r, place, row in rows:
            self.remember("requests", r["id"], row, f"{place}.id")
            for k, s in enumerate(r["solutions"]):
                splace = f"{place}.solutions[{k}]"
                self.add(Solution(session_id=self.session.id, request_id=row.id, text=s["text"],
                                  created_at=self.when(s["created_at"], f"{splace}.created_at",
                                                       self.now),
                                  **self.author(s, splace)), splace)

    def _objectives(self):
        rows = []
        for n, o in enumerate(self.data["objectives"]):
            place = f"objectives[{n}]"
            created = self.when(o["created_at"], f"{place}.created_at", self.now)
            updated = self.when(o["updated_at"], f"{place}.updated_at", created)
            rows.append((o, place, self.add(Objective(
                session_id=self.session.id,
                item_id=self.ref("agenda", o["item_id"], f"{place}.item_id"),
                group_id=self.ref("groups", o["group_id"], f"{place}.group_id"),
                initiative_id=self.ref("initiatives", o["initiative_id"],
                                       f"{place}.initiative_id"),
                text=o["text"], created_at=created, updated_at=updated,
                deleted_at=updated if o["deleted"] else None, **self.author(o, place)), place)))
        self.flush()
        for o, place, row in rows:
            created = row.created_at
            self.remember("objectives", o["id"], row, f"{place}.id")
            for k, kr in enumerate(o["key_results"]):
                kplace = f"{place}.key_results[{k}]"
                for number in ("baseline", "target"):
                    if kr[number] is not None and not math.isfinite(kr[number]):
                        raise Invalid(_l("%(place)s: %(value)s is not a number.",
                                         place=f"{kplace}.{number}", value=kr[number]),
                                      field=f"{kplace}.{number}")
                owner = kr["owner"]
                owners = "stakeholders" if owner["kind"] == "stakeholder" else "participants"
                owner_id = self.ref(owners, owner["id"], f"{kplace}.owner.id")
                self.add(KeyResult(
                    session_id=self.session.id, objective_id=row.id, metric=kr["metric"],
                    baseline=kr["baseline"], target=kr["target"], unit=kr["unit"],
                    deadline=self.day(kr["deadline"], f"{kplace}.deadline"),
                    owner_stakeholder_id=owner_id if owners == "stakeholders" else None,
                    owner_participant_id=owner_id if owners == "participants" else None,
                    vague_accepted=kr["vague_accepted"], created_at=created,
                    **self.author(kr, kplace)), kplace)

    def _scores(self):
        rows = []
        for n, c in enumerate(self.data["criteria"]):
            rows.append((c, f"criteria[{n}]", self.add(Criterion(
                session_id=self.session.id, name=c["name"], position=c["position"]),
                f"criteria[{n}]")))
        self.flush()
        for c, place, row in rows:
            self.remember("criteria", c["id"], row, f"{place}.id")
        experts = [self.user(s["expert"], f"scores[{n}].expert")
                   for n, s in enumerate(self.data["scores"])]
        self.flush()
        seen = set()
        for n, s in enumerate(self.data["scores"]):
            place = f"scores[{n}]"
            key = (experts[n].id, self.ref("groups", s["group_id"], f"{place}.group_id"),
                   self.ref("criteria", s["criterion_id"], f"{place}.criterion_id"))
            if key in seen:
                raise Invalid(_l("%(place)s: this expert already scored this group on this "
                                 "criterion.", place=place), field=place)
            seen.add(key)
            self.add(Score(session_id=self.session.id, expert_user_id=key[0], group_id=key[1],
                           criterion_id=key[2], value=s["value"], comment=s["comment"],
                           updated_at=self.now), place)

    def _decks(self):
        seen = set()
        for n, d in enumerate(self.data.get("decks", [])):
            place = f"decks[{n}]"
            key = (self.ref("agenda", d["item_id"], f"{place}.item_id"),
                   self.ref("groups", d["group_id"], f"{place}.group_id"))
            if key in seen:
                raise Invalid(_l("%(place)s: this group already has a deck in this agenda "
                                 "item.", place=place), field=place)
            seen.add(key)
            deck = self.add(Deck(session_id=self.session.id, item_id=key[0], group_id=key[1],
                                 assembled_at=self.when(d["assembled_at"],
                                                        f"{place}.assembled_at", self.now)),
                            place)
            self.flush()
            self.remember("decks", d["id"], deck, f"{place}.id")
            for k, s in enumerate(d["slides"]):
                splace = f"{place}.slides[{k}]"
                updated = self.when(s["updated_at"], f"{splace}.updated_at", self.now)
                editor = self._editor(s["editor"], f"{splace}.editor") if s["edited"] else {}
                self.add(Slide(
                    session_id=self.session.id, deck_id=deck.id, position=s["position"],
                    kind=s["kind"],
                    initiative_id=self.ref("initiatives", s["initiative_id"],
                                           f"{splace}.initiative_id", nullable=True),
                    title=s["title"], body=s["body"], data=self._data(s["data"]),
                    edited=s["edited"], updated_at=updated, created_at=updated,
                    deleted_at=updated if s["deleted"] else None, **editor), splace)

    def _editor(self, name, place):
        """A slide's last editor: a staff member by name, else a participant of that name."""
        if not name:
            return {}
        if name not in self.users:
            participant = db.session.scalar(db.select(Participant.id).where(
                Participant.session_id == self.session.id, Participant.display_name == name)
                .order_by(Participant.id).limit(1))
            if participant is not None:
                return {"participant_id": participant}
        return {"author_user": self.user(name, place)}

    def _data(self, node, collection=None):
        """A slide's drawn data with the file's ids turned into the new ones (None: a row the
        file does not hold any more, such as a value deleted after the deck was assembled)."""
        if isinstance(node, list):
            return [self._data(x, collection) for x in node]
        if isinstance(node, dict):
            out = {}
            for key, value in node.items():
                if key == "id" and collection and _is_id(value):
                    out[key] = self.ids[collection].get(value)
                elif key in _DATA_ID_FIELDS and _is_id(value):
                    out[key] = self.ids[_DATA_ID_FIELDS[key]].get(value)
                else:
                    out[key] = self._data(value, _DATA_COLLECTIONS.get(key))
            return out
        if collection and _is_id(node):
            return self.ids[collection].get(node)
        return node


def _is_id(value):
    return isinstance(value, int) and not isinstance(value, bool)
