"""Session templates as data: YAML files in this folder, loaded and checked here."""
from datetime import time
from functools import lru_cache
from pathlib import Path

import yaml

from ..services.errors import Invalid, NotFound

HERE = Path(__file__).resolve().parent
DEFAULT_TEMPLATE = "strategic_session"
SCOPES = ("plenary", "groups")


def template_names():
    """The names of the built-in templates (files other than demo content)."""
    return sorted(p.stem for p in HERE.glob("*.yaml") if not p.stem.startswith("demo"))


def _text(value, where):
    if isinstance(value, str):
        return {"ru": value, "en": value}
    if not isinstance(value, dict) or not value.get("ru"):
        raise Invalid(f"{where}: expected a text with at least 'ru'")
    return {"ru": value["ru"], "en": value.get("en") or value["ru"]}


def check_template(data, known_kinds):
    """Validate a template's structure; return it normalized. Raises Invalid naming the place."""
    if not isinstance(data, dict):
        raise Invalid("template: expected a mapping")
    items = data.get("items")
    if not isinstance(items, list) or not items:
        raise Invalid("items: expected a non-empty list")
    result = {"name": str(data.get("name") or "custom"),
              "title": _text(data.get("title", "—"), "title"),
              "description": _text(data.get("description", ""), "description") if data.get(
                  "description") else {"ru": "", "en": ""},
              "days": int(data.get("days") or 1), "items": []}
    for n, raw in enumerate(items, start=1):
        where = f"items[{n}]"
        if not isinstance(raw, dict):
            raise Invalid(f"{where}: expected a mapping")
        kind = raw.get("kind")
        if kind not in known_kinds:
            raise Invalid(f"{where}.kind: unknown kind {kind!r}")
        try:
            hh, mm = str(raw.get("start", "")).split(":")
            start = time(int(hh), int(mm))
        except ValueError:
            raise Invalid(f"{where}.start: expected HH:MM") from None
        duration = raw.get("duration")
        if not isinstance(duration, int) or not 0 < duration <= 24 * 60:
            raise Invalid(f"{where}.duration: expected minutes between 1 and 1440")
        scope = raw.get("scope", "plenary")
        if scope not in SCOPES:
            raise Invalid(f"{where}.scope: expected one of {', '.join(SCOPES)}")
        day = raw.get("day", 1)
        if not isinstance(day, int) or not 1 <= day <= result["days"]:
            raise Invalid(f"{where}.day: expected a day between 1 and {result['days']}")
        result["items"].append({
            "day": day, "start": start, "duration": duration, "kind": kind,
            "tact": raw.get("tact"), "scope": scope,
            "title": _text(raw.get("title"), f"{where}.title"),
            "instructions": _text(raw.get("instructions", ""), f"{where}.instructions")
            if raw.get("instructions") else {"ru": "", "en": ""},
        })
    return result


@lru_cache(maxsize=None)
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


def demo_content():
    """The realistic Russian content that fills a demo session."""
    return _load("demo_content")
