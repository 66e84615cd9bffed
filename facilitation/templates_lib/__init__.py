"""Session templates as data: YAML files in this folder, loaded and checked here.

The format (every field) is documented in docs/TEMPLATES.md. `check_template` validates a
template and returns it normalized; `dump_template` writes the normalized form back in the
file format, so that YAML -> session -> YAML gives the same template.
"""
import re
from datetime import time
from functools import cache
from pathlib import Path

import yaml
from flask_babel import lazy_gettext as _l

from ..services.errors import Invalid, NotFound

HERE = Path(__file__).resolve().parent
DEFAULT_TEMPLATE = "strategic_session"
SCOPES = ("plenary", "groups")
LANGUAGES = ("ru", "en")
MAX_DAYS = 14
MAX_ITEMS = 200
MAX_TACT = 99
TITLE_MAX = 200
INSTRUCTIONS_MAX = 2000
DESCRIPTION_MAX = 2000
NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,79}$")
# Demo content: `demo_<template>.yaml` for a template's own, `demo_content.yaml` the default.
DEMO_PREFIX = "demo"


def template_names():
    """The names of the built-in templates (files other than demo content)."""
    return sorted(p.stem for p in HERE.glob("*.yaml") if not p.stem.startswith(DEMO_PREFIX))


def template_titles():
    """[(name, {"ru": title, "en": title})] of the built-in templates, by name."""
    return [(name, load_template(name)["title"]) for name in template_names()]


def _text(value, where, max_length=TITLE_MAX, multiline=False, required=True):
    """A text in both languages from a string (both the same) or {ru, en} (en falls back)."""
    from ..services.text import normalize, problem
    if value is None and not required:
        return {"ru": "", "en": ""}
    if isinstance(value, str):
        value = {"ru": value, "en": value}
    if not isinstance(value, dict) or not isinstance(value.get("ru"), str) or not (
            value["ru"].strip() or not required):
        raise Invalid(_l("%(where)s: expected a text with at least 'ru'", where=where))
    result = {}
    for lang in LANGUAGES:
        raw = value.get(lang)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            raw = value["ru"]
        if not isinstance(raw, str):
            raise Invalid(_l("%(where)s: expected a text", where=f"{where}.{lang}"))
        text = normalize(raw)
        if text or required:
            message = problem(text, max_length, multiline)
            if message:
                raise Invalid(_l("%(where)s: %(message)s", where=f"{where}.{lang}",
                                 message=message))
        result[lang] = text
    return result


def _int(value, where, low, high):
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise Invalid(_l("%(where)s: expected a whole number between %(low)d and %(high)d",
                         where=where, low=low, high=high))
    return value


def _start(value, where):
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 24 * 60:
        # YAML 1.1 reads an unquoted 13:00 as a sexagesimal number: 780 minutes.
        return time(value // 60, value % 60)
    try:
        hh, mm = str(value).split(":")
        if len(mm) != 2:
            raise ValueError
        return time(int(hh), int(mm))
    except (ValueError, TypeError):
        raise Invalid(_l("%(where)s: expected a time as HH:MM", where=where)) from None


def check_template(data, known_kinds):
    """Validate a template's structure; return it normalized. Raises Invalid naming the place.

    The normalized form: {name, title: {ru, en}, description: {ru, en}, days, items: [{day,
    start (datetime.time), duration, kind, tact, scope, title: {ru, en}, instructions: {ru,
    en}}]}. Unknown keys are ignored.
    """
    if not isinstance(data, dict):
        raise Invalid(_l("%(where)s: expected a mapping", where="template"))
    items = data.get("items")
    if not isinstance(items, list) or not items:
        raise Invalid(_l("%(where)s: expected a non-empty list", where="items"))
    if len(items) > MAX_ITEMS:
        raise Invalid(_l("%(where)s: at most %(max)d items", where="items", max=MAX_ITEMS))
    name = data.get("name")
    if name is None:
        name = "custom"
    if not isinstance(name, str) or not NAME_RE.match(name):
        raise Invalid(_l("%(where)s: use small Latin letters, digits, '-' and '_' "
                         "(at most 80)", where="name"))
    days = data.get("days", 1)
    result = {"name": name,
              "title": _text(data.get("title", "—"), "title"),
              "description": _text(data.get("description") or None, "description",
                                   DESCRIPTION_MAX, multiline=True, required=False),
              "days": _int(days, "days", 1, MAX_DAYS), "items": []}
    for n, raw in enumerate(items, start=1):
        where = f"items[{n}]"
        if not isinstance(raw, dict):
            raise Invalid(_l("%(where)s: expected a mapping", where=where))
        kind = raw.get("kind")
        if not isinstance(kind, str) or kind not in known_kinds:
            raise Invalid(_l("%(where)s: unknown kind %(kind)s", where=f"{where}.kind",
                             kind=repr(kind)))
        start = _start(raw.get("start", ""), f"{where}.start")
        duration = raw.get("duration")
        if not isinstance(duration, int) or isinstance(duration, bool) or not (
                0 < duration <= 24 * 60):
            raise Invalid(_l("%(where)s: expected minutes between 1 and 1440",
                             where=f"{where}.duration"))
        scope = raw.get("scope", "plenary")
        if scope not in SCOPES:
            raise Invalid(_l("%(where)s: expected one of %(choices)s", where=f"{where}.scope",
                             choices=", ".join(SCOPES)))
        day = raw.get("day", 1)
        if not isinstance(day, int) or isinstance(day, bool) or not 1 <= day <= result["days"]:
            raise Invalid(_l("%(where)s: expected a day between 1 and %(days)d",
                             where=f"{where}.day", days=result["days"]))
        if result["items"] and day < result["items"][-1]["day"]:
            raise Invalid(_l("%(where)s: the items of a day come after those of the days "
                             "before it", where=f"{where}.day"))
        tact = raw.get("tact")
        if tact is not None:
            _int(tact, f"{where}.tact", 1, MAX_TACT)
        result["items"].append({
            "day": day, "start": start, "duration": duration, "kind": kind,
            "tact": tact, "scope": scope,
            "title": _text(raw.get("title"), f"{where}.title"),
            "instructions": _text(raw.get("instructions") or None, f"{where}.instructions",
                                  INSTRUCTIONS_MAX, multiline=True, required=False),
        })
    return result


def dump_template(program):
    """A normalized template (check_template's result) as plain data in the file format."""
    return {
        "name": program["name"],
        "title": dict(program["title"]),
        "description": dict(program["description"]),
        "days": program["days"],
        "items": [{"day": it["day"], "start": it["start"].strftime("%H:%M"),
                   "duration": it["duration"], "kind": it["kind"], "tact": it["tact"],
                   "scope": it["scope"], "title": dict(it["title"]),
                   "instructions": dict(it["instructions"])} for it in program["items"]],
    }


def to_yaml(program):
    """A normalized template as YAML text (UTF-8, keys in the documented order)."""
    header = ("# A Takt program template (docs/TEMPLATES.md). Russian first, English second.\n")
    return header + yaml.safe_dump(dump_template(program), allow_unicode=True, sort_keys=False,
                                   width=100, default_flow_style=False)


def parse_template(raw, known_kinds):
    """Read a template from YAML bytes or text; return it checked. Raises Invalid naming the
    place (a line for YAML that does not parse, a field path for the rest)."""
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise Invalid(_l("The file is not UTF-8 text.")) from None
    try:
        data = yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        if mark is not None:
            raise Invalid(_l("line %(line)d, column %(column)d: this is not valid YAML",
                             line=mark.line + 1, column=mark.column + 1)) from None
        raise Invalid(_l("This is not valid YAML.")) from None
    return check_template(data, known_kinds)


def plain(program):
    """A normalized template as JSON-safe data (times as HH:MM), as the database keeps it."""
    return dump_template(program)


@cache
def _load(name):
    path = HERE / f"{name}.yaml"
    if not path.exists():
        raise NotFound(f"template {name!r}")
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def load_template(name=DEFAULT_TEMPLATE):
    """Return the named built-in template, validated against the registered kinds."""
    from ..tacts import KINDS
    if name not in template_names():
        raise NotFound(f"template {name!r}")
    return check_template(_load(name), KINDS)


def has_own_demo(name):
    """Whether the template has its own demo content (`demo_<name>.yaml`)."""
    return (HERE / f"{DEMO_PREFIX}_{name}.yaml").exists()


def demo_content(name=DEFAULT_TEMPLATE):
    """The realistic Russian content that fills a demo session of the template: its own
    `demo_<name>.yaml` when there is one, else the default `demo_content.yaml`."""
    if name != DEFAULT_TEMPLATE and has_own_demo(name):
        return _load(f"{DEMO_PREFIX}_{name}")
    return _load("demo_content")
