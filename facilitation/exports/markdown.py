"""The session (or one group) as Markdown, in reading order: program, List A, and per group its
trends, List B with stakes, initiatives with ideas, stakeholders and values, flows and the
resource balance with its flags, requests and solutions, objectives and key results, expert
scores and the final deck. Every user text is escaped: it reads as written and never turns
into markup or HTML."""
import re

from .report import build_report

_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|!~&])")


def esc(text):
    """User text as literal Markdown on one line (CommonMark backslash escapes)."""
    text = " ".join(str(text or "").split())
    text = _SPECIAL.sub(r"\\\1", text)
    # A leading "-", "+" or "1." would start a list ("<" and ">" are escaped above).
    text = re.sub(r"^([-+])", r"\\\1", text)
    return re.sub(r"^(\d+)([.)])", r"\1\\\2", text)


def number(value):
    if value is None:
        return "—"
    return f"{value:g}" if isinstance(value, float) else str(value)


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell if cell != "" else " " for cell in row) + " |" for row in rows]
    return lines + [""]


def render(session_id, group_id=None):
    """UTF-8 Markdown. Raises NotFound for an unknown session or group."""
    return to_markdown(build_report(session_id, group_id)).encode("utf-8")


def to_markdown(report):
    L, s = report["labels"], report["session"]
    out = [f"# {esc(s['title'])}", "",
           f"{s['starts_on']} — {s['ends_on']} · {esc(s['timezone'])} · "
           f"{L['exported']}: {s['exported_at']}", ""]
    if report["program"]:
        out += [f"## {L['program']}", ""]
        rows = [[str(a["day"]), a["start_time"] or "", f"{a['duration_min']}",
                 esc(a["title"])] for a in report["program"]]
        out += table([L["day"], L["start"], L["minutes"], L["title"]], rows)
    out += _sections(report.get("sections", []), "##")
    if report["list_a"]:
        out += [f"## {L['list_a']} · {len(report['list_a'])}", ""]
        out += [f"{n}. {esc(i['text'])}" + (f" — *{esc(i['author'])}*" if i["author"] else "")
                for n, i in enumerate(report["list_a"], start=1)] + [""]
    for g in report["groups"]:
        out += _group(g, L)
    if len(report["groups"]) > 1 and any(g["experts"] for g in report["results"]["groups"]):
        out += _results(report, L)
    return "\n".join(out).rstrip() + "\n"


def _group(g, L):
    kind = L["team"] if g["stage"] == 2 else L["group"]
    out = [f"## {kind}: {esc(g['name'])}", ""]
    if g["subject_frame"]:
        out += [f"*{esc(g['subject_frame'])}*", ""]
    if g["moderators"]:
        out += [f"**{L['moderators']}:** {esc(', '.join(g['moderators']))}  "]
    if g["members"]:
        out += [f"**{L['members']} ({len(g['members'])}):** {esc(', '.join(g['members']))}"]
    out += [""]
    if g["trends"]:
        out += [f"### {L['trends']}", ""]
        out += [f"- {esc(t['text'])}" for t in g["trends"]] + [""]
    if g["list_b"]:
        out += [f"### {L['list_b']}", ""]
        rows = [[("=" if r["tie"] else "") + number(r["rank"]), esc(r["name"]),
                 number(r["total"]), "✓" if r["focus"] else "",
                 f"→ {esc(r['team'])}" if r["team"] and g["stage"] != 2 else ""]
                for r in g["list_b"]]
        out += table([L["place"], L["initiative"], L["chips"], L["focus"], L["team"]], rows)
    for i in g["initiatives"]:
        if i["team"] and g["stage"] != 2:
            continue  # detailed under the team that works on it
        out += _initiative(i, g, L)
    out += _requests(g, L)
    if g["objectives"]:
        out += [f"### {L['objectives']}", ""]
        for o in g["objectives"]:
            out += [f"**{esc(o['initiative'])}.** {esc(o['text'])}", ""]
            rows = [[esc(k["metric"]), number(k["baseline"]), number(k["target"]), esc(k["unit"]),
                     k["deadline"], esc(k["owner"])] for k in o["key_results"]]
            if rows:
                out += table([L["metric"], L["baseline"], L["target"], L["unit"], L["deadline"],
                              L["owner"]], rows)
    if g["scores"]:
        sc = g["scores"]
        out += [f"### {L['scores']}", "",
                f"{L['experts']}: {sc['experts']} · {L['total']}: {number(sc['total'])}", ""]
        out += table([L["criterion"], L["average"]],
                     [[esc(a["criterion"]), number(a["value"])] for a in sc["averages"]])
        # Every expert's own scores, then what they wrote.
        criteria = [a["criterion"] for a in sc["averages"]]
        by_expert = {}
        for c in sc["comments"]:
            by_expert.setdefault(c["expert"], {})[c["criterion"]] = c["value"]
        out += table([L["expert"]] + [esc(c) for c in criteria], [
            [esc(expert)] + [number(values.get(c)) for c in criteria]
            for expert, values in by_expert.items()])
        comments = [c for c in sc["comments"] if c["comment"]]
        out += [f"- *{esc(c['expert'])}*, {esc(c['criterion'])} ({c['value']}): "
                f"{esc(c['comment'])}" for c in comments] + ([""] if comments else [])
    if g["deck"]:
        out += [f"### {L['deck']}", ""]
        for n, slide in enumerate(g["deck"], start=1):
            out += [f"**{L['slide']} {n}. {esc(slide['title'])}**", ""]
            out += [f"> {esc(line)}  " for line in slide["body"].splitlines() if line.strip()]
            out += [""]
    out += _sections(g.get("sections", []), "###")
    return out


def _sections(sections, level):
    """The tact kinds' own blocks (report_sections): a heading, paragraphs, a table."""
    out = []
    for block in sections:
        out += [f"{level} {esc(block['title'])}", ""]
        for paragraph in block["paragraphs"]:
            out += [esc(paragraph), ""]
        if block["table"]:
            out += table([esc(c) for c in block["table"]["columns"]],
                         [[esc(v) if isinstance(v, str) else number(v) for v in row]
                          for row in block["table"]["rows"]])
    return out


def _initiative(i, g, L):
    place = f" ({L['place']} {'=' if i['tie'] else ''}{number(i['rank'])}, " \
            f"{L['chips']}: {number(i['total'])})" if i["rank"] is not None else ""
    out = [f"### {L['initiative']}: {esc(i['name'])}{place}", ""]
    if g["stage"] == 2:
        out += [f"*{L['made_by']}: {esc(i['group'])}*", ""]
    if i["ideas"]:
        out += [f"{L['ideas']}", ""] + [f"- {esc(t)}" for t in i["ideas"]] + [""]
    if i["stakeholders"]:
        out += [f"#### {L['stakeholders']}", ""]
        out += table([L["stakeholder"], L["type"], L["values"]], [
            [esc(s["name"]), L["stakeholder_types"].get(s["type"], s["type"]),
             esc("; ".join(s["values"]))] for s in i["stakeholders"]])
    if i["flows"]:
        out += [f"#### {L['flows']}", ""]
        out += table([L["from"], L["to"], L["resource"], L["mark"]], [
            [esc(f["source"]), esc(f["target"]),
             esc(L["resources"].get(f["resource"], f["resource"])
                 + (f": {f['text']}" if f["text"] else "")),
             L["marks"].get(f["mark"], f["mark"])] for f in i["flows"]])
    if i["balance"]:
        flagged = [b for b in i["balance"] if b["flag"]]
        out += [f"#### {L['balance']}", ""]
        out += ([f"- ⚠ **{esc(b['name'])}** — {L['flags'][b['flag']]}: {esc(b['reason'])}"
                 for b in flagged] or [L["balanced"]]) + [""]
    return out


def _requests(g, L):
    if not g["requests_out"] and not g["requests_in"]:
        return []
    out = [f"### {L['requests']}", ""]
    for title, rows, other in ((L["sent"], g["requests_out"], "to"),
                               (L["received"], g["requests_in"], "from")):
        if not rows:
            continue
        out += [f"#### {title}", ""]
        for r in rows:
            out += [f"- **{L['statuses'].get(r['status'], r['status'])}** · "
                    f"{L[other]}: {esc(r[other])} · {esc(r['initiative'])} · "
                    f"{L['needs'].get(r['need'], r['need'])}: {esc(r['text'])}"]
            out += [f"  - {L['solutions']}: {esc(s['text'])}"
                    + (f" — *{esc(s['author'])}*" if s["author"] else "")
                    for s in r["solutions"]]
        out += [""]
    return out


def _results(report, L):
    res = report["results"]
    out = [f"## {L['scores']}", ""]
    if not res["revealed"]:
        out += [f"*{L['results_hidden']}*", ""]
    header = [L["group"]] + [esc(c["name"]) for c in res["criteria"]] + [L["total"], L["experts"]]
    rows = [[esc(g["name"])] + [number(g["averages"].get(str(c["id"]))) for c in res["criteria"]]
            + [number(g["total"]), str(g["experts"])] for g in res["groups"]]
    return out + table(header, rows)
