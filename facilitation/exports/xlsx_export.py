"""The session (or one group) as a workbook (openpyxl): a sheet per entity (program, participants,
List A, trends, initiatives, List B stakes, stakeholders, flows, requests, objectives, key
results, expert scores and their averages), each with a bold frozen header, a filter over its
data and column widths from its content. Sheet names and headers are the session's language.

Every user text is stored as a string: text that starts like a formula ("=", "+", "-", "@", a
tab or a return) is stored with Excel's quote prefix, so it shows verbatim and never runs, not
even after someone edits the cell."""
import io
import re
from datetime import date, time

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .office import clean, detailed, flagged, moved
from .report import build_report

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
HEADER_FILL = PatternFill("solid", fgColor="DCEBE5")
MAX_WIDTH, MIN_WIDTH = 60, 6
DATE_FORMATS = {"ru": "DD.MM.YYYY"}


def render(session_id, group_id=None):
    """XLSX bytes. Raises NotFound for an unknown session or group."""
    return to_xlsx(build_report(session_id, group_id))


def _sheet_name(text, taken):
    """A valid, unique sheet name: at most 31 characters, none of []:*?/\\ ."""
    name = re.sub(r"[\[\]:*?/\\]", " ", clean(text)).strip().strip("'")[:31].strip() or "Sheet"
    base, n = name, 2
    while name.lower() in taken:
        suffix = f" {n}"
        name, n = base[:31 - len(suffix)] + suffix, n + 1
    taken.add(name.lower())
    return name


def _put(ws, row, column, value, date_format):
    """One cell; text as a string, never a formula."""
    cell = ws.cell(row=row, column=column)
    if isinstance(value, str):
        value = clean(value)
        cell.value = value
        cell.data_type = "s"  # openpyxl would take "=..." for a formula
        if value.startswith(FORMULA_START):
            cell.quotePrefix = True
        if "\n" in value:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    else:
        cell.value = value
        if isinstance(value, date):
            cell.number_format = date_format
        elif isinstance(value, time):
            cell.number_format = "HH:MM"
    return cell


def _width(value):
    if value is None:
        return 0
    if isinstance(value, (date, time)):
        return 11
    return max((len(line) for line in str(value).split("\n")), default=0)


class _Book:
    def __init__(self, language):
        self.wb = Workbook()
        self.wb.remove(self.wb.active)
        self.taken = set()
        self.date_format = DATE_FORMATS.get(language, "YYYY-MM-DD")

    def sheet(self, title, header, rows):
        """A sheet with a bold frozen header row, a filter over the data and fitted columns."""
        ws = self.wb.create_sheet(_sheet_name(title, self.taken))
        for c, text in enumerate(header, start=1):
            cell = _put(ws, 1, c, text, self.date_format)
            cell.font, cell.fill = Font(bold=True), HEADER_FILL
        widths = [_width(h) + 3 for h in header]  # room for the filter button
        for r, values in enumerate(rows, start=2):
            for c, value in enumerate(values, start=1):
                _put(ws, r, c, value, self.date_format)
                widths[c - 1] = max(widths[c - 1], _width(value))
        for c, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(c)].width = \
                min(MAX_WIDTH, max(MIN_WIDTH, width + 2))
            if width > MAX_WIDTH:
                for row in ws.iter_rows(min_row=2, min_col=c, max_col=c):
                    row[0].alignment = Alignment(wrap_text=True, vertical="top")
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}{max(len(rows) + 1, 1)}"
        return ws

    def save(self):
        out = io.BytesIO()
        self.wb.save(out)
        return out.getvalue()


def _time(text):
    try:
        return time.fromisoformat(text) if text else None
    except ValueError:
        return text


def _date(text):
    try:
        return date.fromisoformat(text) if text else None
    except (TypeError, ValueError):
        return text


def to_xlsx(report):
    L, s = report["labels"], report["session"]
    book = _Book(s["language"])
    book.sheet(L["session"], [L["title"], L["dates"], "–", L["timezone"], L["exported"]],
               [[s["title"], _date(s["starts_on"]), _date(s["ends_on"]), s["timezone"],
                 s["exported_at"]]])
    book.sheet(L["program"], [L["day"], L["start"], L["minutes"], L["title"], L["tact"]],
               [[a["day"], _time(a["start_time"]), a["duration_min"], a["title"], a["tact"]]
                for a in report["program"]])
    book.sheet(L["members"], [L["group"], L["name"]],
               [[g["name"], m] for g in report["groups"] for m in g["members"]])
    if report["list_a"]:
        book.sheet(L["list_a"], ["#", L["text"], L["author"]],
                   [[n, i["text"], i["author"]] for n, i in enumerate(report["list_a"], start=1)])
    book.sheet(L["trends"], [L["group"], L["text"], L["author"]],
               [[g["name"], t["text"], t["author"]] for g in report["groups"]
                for t in g["trends"]])
    shown = [(g, i) for g in report["groups"] for i in detailed(report, g)]
    book.sheet(L["initiatives"], [L["initiative"], L["group"], L["team"], L["place"], L["chips"],
                                  L["ideas"].rstrip(": ")],
               [[i["name"], i["group"], i["team"] or "", i["rank"], i["total"],
                 "\n".join(i["ideas"])] for _g, i in shown])
    book.sheet(L["list_b"], [L["group"], L["place"], L["initiative"], L["chips"], L["focus"],
                             L["team"]],
               [[g["name"], r["rank"], r["name"], r["total"], "✓" if r["focus"] else "",
                 moved(g, r)] for g in report["groups"] if g["stage"] != 2
                for r in g["list_b"]])
    book.sheet(L["stakes"], [L["group"], L["initiative"], L["participant"], L["chips"]],
               [[i["group"], i["name"], c["participant"], c["count"]]
                for _g, i in shown for c in i["chips"]])
    book.sheet(L["stakeholders"], [L["initiative"], L["stakeholder"], L["type"], L["values"],
                                   L["balance"]],
               [[i["name"], st["name"], L["stakeholder_types"].get(st["type"], st["type"]),
                 "\n".join(st["values"]), _flag(i, st["name"], L)]
                for _g, i in shown for st in i["stakeholders"]])
    book.sheet(L["flows"], [L["initiative"], L["from"], L["to"], L["resource"], L["text"],
                            L["mark"]],
               [[i["name"], f["source"], f["target"],
                 L["resources"].get(f["resource"], f["resource"]), f["text"],
                 L["marks"].get(f["mark"], f["mark"])] for _g, i in shown for f in i["flows"]])
    requests = {r["id"]: r for g in report["groups"] for r in g["requests_out"] + g["requests_in"]}
    book.sheet(L["requests"], [L["from"], L["to"], L["initiative"], L["need"], L["text"],
                               L["status"], L["author"], L["solutions"]],
               [[r["from"], r["to"], r["initiative"], L["needs"].get(r["need"], r["need"]),
                 r["text"], L["statuses"].get(r["status"], r["status"]), r["author"],
                 "\n".join(x["text"] + (f" — {x['author']}" if x["author"] else "")
                           for x in r["solutions"])] for r in requests.values()])
    objectives = [(g, o) for g in report["groups"] for o in g["objectives"]]
    book.sheet(L["objectives"], [L["group"], L["initiative"], L["objective"]],
               [[g["name"], o["initiative"], o["text"]] for g, o in objectives])
    book.sheet(L["key_results"], [L["group"], L["initiative"], L["objective"], L["metric"],
                                  L["baseline"], L["target"], L["unit"], L["deadline"],
                                  L["owner"]],
               [[g["name"], o["initiative"], o["text"], k["metric"], k["baseline"], k["target"],
                 k["unit"], _date(k["deadline"]), k["owner"]]
                for g, o in objectives for k in o["key_results"]])
    scored = [g for g in report["groups"] if g["scores"]]
    book.sheet(L["scores"], [L["group"], L["expert"], L["criterion"], L["score"], L["comment"]],
               [[g["name"], c["expert"], c["criterion"], c["value"], c["comment"]]
                for g in scored for c in g["scores"]["comments"]])
    book.sheet(L["averages"], [L["group"], L["experts"]] + [c["name"] for c in report["criteria"]]
               + [L["total"]],
               [[g["name"], g["scores"]["experts"]] + [a["value"] for a in g["scores"]["averages"]]
                + [g["scores"]["total"]] for g in scored])
    _sections(book, report, L)
    return book.save()


def _sections(book, report, L):
    """The tact kinds' own blocks (report_sections): one sheet per kind and table columns, rows
    led by the group (empty: session-wide) and the block's title; blocks with text only go to
    one sheet per kind, a row per paragraph."""
    names = {g["id"]: g["name"] for g in report["groups"]}
    blocks = report.get("sections", []) + [b for g in report["groups"]
                                           for b in g.get("sections", [])]
    tables, texts = {}, {}
    for b in blocks:
        lead = [names.get(b["group_id"], ""), b["title"]]
        if b["table"]:
            key = (b["kind"], tuple(b["table"]["columns"]))
            sheet = tables.setdefault(key, {"title": b["title"], "rows": []})
            sheet["rows"] += [lead + list(r) for r in b["table"]["rows"]]
        elif b["paragraphs"]:
            sheet = texts.setdefault(b["kind"], {"title": b["item_title"], "rows": []})
            sheet["rows"] += [lead + [p] for p in b["paragraphs"]]
    for (_kind, columns), sheet in tables.items():
        book.sheet(sheet["title"], [L["group"], L["title"]] + list(columns), sheet["rows"])
    for sheet in texts.values():
        book.sheet(sheet["title"], [L["group"], L["title"], L["text"]], sheet["rows"])


def _flag(initiative, name, L):
    return "\n".join(f"{flag}: {reason}" for side, flag, reason in flagged(initiative, L)
                     if side == name)
