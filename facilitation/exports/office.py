"""What the office formats (DOCX, PPTX, XLSX) share: which initiatives a group details, and
plain-text pieces of the report (numbers, places, dates, flows) in the session's language."""
import re
from datetime import date

from babel.dates import format_date

# XML 1.0 cannot hold these; the services should never store them, but one would break the file.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
FONT = "Arial"  # metric-compatible with Liberation Sans (LibreOffice's stand-in); has Cyrillic


def clean(text):
    """User text as it can be written into an XML part: verbatim but for illegal characters."""
    return _ILLEGAL.sub("", "" if text is None else str(text))


def number(value):
    """A score, chip count or key-result figure as text: 4.5, 12; an em dash when missing."""
    if value is None:
        return "—"
    return f"{value:g}" if isinstance(value, float) else str(value)


def place(row):
    """List B place: "1", "=1" for a tie, "—" before stakes."""
    return ("=" if row.get("tie") and row.get("rank") is not None else "") + number(row.get("rank"))


def detailed(report, group):
    """The initiatives a group shows in full. A subject group's initiative that moved to a day-two
    team is detailed under the team when the team is in the report too (listed here in List B
    with a mark), so that nothing is shown twice."""
    teams = {g["name"] for g in report["groups"] if g["stage"] == 2}
    if group["stage"] == 2:
        return list(group["initiatives"])
    return [i for i in group["initiatives"] if not (i["team"] and i["team"] in teams)]


def moved(group, row):
    """The "→ team" mark of a List B row that moved to a day-two team ("" otherwise)."""
    return f"→ {row['team']}" if row.get("team") and group["stage"] != 2 else ""


def dates(session):
    """The session's days in its language: "25 ноября 2026 г. – 26 ноября 2026 г."."""
    days = [format_date(date.fromisoformat(session[k]), "long", locale=session["language"])
            for k in ("starts_on", "ends_on")]
    return days[0] if days[0] == days[1] else f"{days[0]} – {days[1]}"


def deadline(value, language):
    """A key result's deadline (ISO date) in the session's language; the raw text if not a date."""
    try:
        return format_date(date.fromisoformat(value), "medium", locale=language)
    except (TypeError, ValueError):
        return value or ""


def resource(flow, L):
    """A flow's resource as the session shows it: "Деньги: грант на материалы"."""
    kind = L["resources"].get(flow["resource"], flow["resource"])
    return f"{kind}: {flow['text']}" if flow["text"] else kind


def mark(flow, L):
    return L["marks"].get(flow["mark"], flow["mark"])


def flagged(initiative, L):
    """The one-sided sides of an initiative: [(name, flag text, reason)]."""
    return [(r["name"], L["flags"].get(r["flag"], r["flag"]), r["reason"])
            for r in initiative["balance"] if r["flag"]]


def objectives_of(group, initiative):
    return [o for o in group["objectives"] if o["initiative"] == initiative["name"]]

