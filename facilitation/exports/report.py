"""The session as a report in reading order: what every document format (Markdown, DOCX, PPTX,
XLSX, the printable summary page) renders. Built from the JSON export (which reads the
database), never from views; texts of the report itself are in the session's language.

report = {
  "session": {title, language, starts_on, ends_on, timezone, join_code, exported_at},
  "labels": {key: text in the session's language},
  "program": [{day, start_time, duration_min, title, kind, tact, state}],
  "list_a": [{id, text, author}],
  "groups": [group],   # the subject groups, then the day-two teams (or the one group asked for)
  "criteria": [{id, name}], "results": {...} (the experts' table, as in the JSON export),
  "sections": [section],   # session-wide blocks of the tact kinds' own output (after the program)
}
section = {kind, item_id, item_title, title, group_id, paragraphs: [str],
           table: {columns: [str], rows: [[str|int|float|None]]} | None}
           (a tact kind's report_sections hook; a group's own blocks are in group["sections"])
group = {id, name, stage, subject_frame, moderators, members: [names], trends: [{text, author}],
         list_b: [{initiative_id, name, rank, tie, total, focus, team}],
         initiatives: [initiative], requests_out: [request], requests_in: [request],
         objectives: [objective], scores: {experts, averages: [{criterion, value}], total,
         comments: [{expert, criterion, value, comment}]} | None, deck: [slide],
         sections: [section]}
initiative = {id, name, group (made by), team (or None), rank, tie, total, ideas: [text],
              chips: [{participant, count}] (each participant's stake, most first),
              stakeholders: [{name, type, values}], flows: [{source, target, resource, text,
              mark}], balance: [{name, flag, reason}]}
"""
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from flask_babel import force_locale, gettext

from ..services.errors import NotFound
from .json_export import export_session

FLOW_MARKS = ("given", "spent", "gained")


def _labels():
    """Texts of the report itself (headings, statuses), in the current locale."""
    return {
        "program": gettext("Program"), "day": gettext("Day"), "start": gettext("Start"),
        "minutes": gettext("Minutes"), "title": gettext("Title"), "list_a": gettext("List A"),
        "groups": gettext("Groups"), "team": gettext("Day-two team"), "group": gettext("Group"),
        "moderators": gettext("Moderators"), "members": gettext("Participants"),
        "trends": gettext("Trends and directions of development"),
        "list_b": gettext("List B"), "place": gettext("Place"), "initiative": gettext("Initiative"),
        "chips": gettext("Chips"), "focus": gettext("in focus"),
        "stakes": gettext("Chips by participant"), "participant": gettext("Participant"),
        "ideas": gettext("Ideas from List A:"), "made_by": gettext("made by the group"),
        "moved_to": gettext("now worked on by the team"),
        "stakeholders": gettext("Stakeholders and values"), "stakeholder": gettext("Stakeholder"),
        "type": gettext("Type"), "values": gettext("Values"),
        "flows": gettext("Resource flows"), "from": gettext("From"), "to": gettext("To"),
        "resource": gettext("Resource"), "mark": gettext("Mark"),
        "balance": gettext("Resource balance"), "the_initiative": gettext("the initiative"),
        "balanced": gettext("Every side both gives and gains."),
        "requests": gettext("Requests and solutions"), "sent": gettext("Sent"),
        "received": gettext("Received"), "need": gettext("What is needed"),
        "status": gettext("Status"), "solutions": gettext("Solutions"),
        "objectives": gettext("Objectives and key results"), "objective": gettext("Objective"),
        "metric": gettext("Metric"), "baseline": gettext("Baseline"),
        "target": gettext("Target"), "unit": gettext("Unit"), "deadline": gettext("Deadline"),
        "owner": gettext("Owner"), "scores": gettext("Expert scores"),
        "criterion": gettext("Criterion"), "average": gettext("Average"),
        "total": gettext("Total"), "experts": gettext("Experts"), "expert": gettext("Expert"),
        "score": gettext("Score"), "comment": gettext("Comment"),
        "deck": gettext("Final deck"), "slide": gettext("Slide"), "none": gettext("None yet."),
        "author": gettext("Author"), "results_hidden": gettext(
            "The experts' results are not revealed to the groups yet."),
        "exported": gettext("Exported"),
        # Office exports (DOCX, PPTX, XLSX): sheet names, chart titles, title page.
        "session": gettext("Session"), "timezone": gettext("Time zone"),
        "dates": gettext("Dates"), "initiatives": gettext("Initiatives"),
        "key_results": gettext("Key results"), "text": gettext("Text"),
        "tact": gettext("Tact"), "name": gettext("Name"),
        "continued": gettext("(continued)"), "chips_chart": gettext("Chips per initiative"),
        "averages": gettext("Average scores"),
        "statuses": {"new": gettext("New"), "discussing": gettext("Discussing"),
                     "accepted": gettext("Accepted"), "declined": gettext("Declined"),
                     "done": gettext("Fulfilled")},
        "needs": {"resource": gettext("Resource"), "action": gettext("Action"),
                  "expertise": gettext("Expertise"), "other": gettext("Other")},
        "marks": {"given": gettext("gives"), "spent": gettext("spends"),
                  "gained": gettext("gains")},
        "flags": {"only_gives": gettext("only gives"), "only_gains": gettext("only gains")},
        "stakeholder_types": {
            "public_body": gettext("Public body"), "ngo": gettext("NGO"),
            "business": gettext("Business"), "community": gettext("Community"),
            "media": gettext("Media"), "person": gettext("Person"), "other": gettext("Other")},
        "resources": {
            "money": gettext("Money"), "premises": gettext("Premises"),
            "people": gettext("People"), "expertise": gettext("Expertise"),
            "equipment": gettext("Equipment"), "information": gettext("Information"),
            "media": gettext("Media"), "legitimacy": gettext("Legitimacy"),
            "time": gettext("Time"), "other": gettext("Other")},
    }


def build_report(session_id, group_id=None):
    """The report of a session, or of one group (and what concerns it). Raises NotFound."""
    doc = export_session(session_id)
    if group_id is not None and group_id not in {g["id"] for g in doc["groups"]}:
        raise NotFound(f"group {group_id}")
    with force_locale(doc["session"]["language"]):
        labels = _labels()
        sections = kind_sections(doc)
    report = _report(doc, labels, group_id)
    groups = {g["id"]: g for g in report["groups"]}
    for g in report["groups"]:
        g["sections"] = []
    report["sections"] = []
    for block in sections:
        if block["group_id"] is None:
            report["sections"].append(block)
        elif block["group_id"] in groups:
            groups[block["group_id"]]["sections"].append(block)
    return report


def kind_sections(doc):
    """The blocks each item's tact kind makes of its own output (report_sections, in the current
    locale), in program order, with the kind, item id and item title added. A block names a group
    of the export or none (session-wide); one naming another group is dropped."""
    from ..tacts import KINDS
    group_ids = {g["id"] for g in doc["groups"]}
    out = []
    for entry in sorted(doc["agenda"], key=lambda a: a["position"]):
        kind = KINDS.get(entry["kind"])
        if kind is None or entry.get("output") is None:
            continue
        for block in kind.report_sections(entry, entry["output"]) or []:
            group_id = block.get("group_id")
            if group_id is not None and group_id not in group_ids:
                continue
            table = block.get("table")
            out.append({
                "kind": kind.name, "item_id": entry["id"], "item_title": entry["title"],
                "title": str(block.get("title") or entry["title"]), "group_id": group_id,
                "paragraphs": [str(p) for p in block.get("paragraphs") or [] if p],
                "table": {"columns": [str(c) for c in table["columns"]],
                          "rows": [list(r) for r in table["rows"]]} if table else None,
            })
    return out


def _report(doc, labels, group_id):
    live = lambda rows: [r for r in rows if not r.get("deleted")]  # noqa: E731
    names = {g["id"]: g["name"] for g in doc["groups"]}
    ideas = {i["id"]: i for i in live(doc["ideas"])}
    people = {p["id"]: p for p in doc["participants"]}
    initiatives = live(doc["initiatives"])
    by_initiative = {}
    for b in doc["boards"]:
        for row in b["list_b"]:
            by_initiative[row["initiative_id"]] = {**row, "focus": row["initiative_id"] in b["focus"]}
    stakeholders = {s["id"]: s for s in doc["stakeholders"] if not s.get("deleted")}
    chips = {}   # initiative id -> each participant's stake on it
    for s in doc["stakes"]:
        who = people.get(s["participant_id"], {}).get("display_name", "")
        chips.setdefault(s["initiative_id"], []).append({"participant": who, "count": s["count"]})
    balances = {b["initiative_id"]: b for b in doc["balances"]}
    criteria = {c["id"]: c["name"] for c in doc["criteria"]}
    results = {g["group_id"]: g for g in doc["results"]["groups"]}

    def end(ref):
        return labels["the_initiative"] if ref is None else stakeholders.get(ref, {}).get("name", "")

    def initiative_of(i):
        row = by_initiative.get(i["id"], {})
        return {
            "id": i["id"], "name": i["name"], "group": names.get(i["group_id"], ""),
            "team": names.get(i.get("team_group_id")), "rank": row.get("rank"),
            "tie": row.get("tie", False), "total": row.get("total"),
            "ideas": [ideas[n]["text"] for n in i["ideas"] if n in ideas],
            "chips": sorted(chips.get(i["id"], []), key=lambda c: (-c["count"], c["participant"])),
            "stakeholders": [{"name": s["name"], "type": s["type"],
                              "values": [v["text"] for v in s.get("values", [])]}
                             for s in stakeholders.values() if s["initiative_id"] == i["id"]],
            "flows": [{"source": end(f["source_id"]), "target": end(f["target_id"]),
                       "resource": f["resource"], "text": f.get("resource_text", ""),
                       "mark": f["mark"]}
                      for f in live(doc["flows"]) if f["initiative_id"] == i["id"]],
            "balance": [{"name": r["name"], "flag": r["flag"], "reason": r["reason"]}
                        for r in balances.get(i["id"], {}).get("rows", [])],
        }

    def request_of(r):
        return {"id": r["id"], "from": names.get(r["from_group_id"], ""),
                "to": names.get(r["to_group_id"], ""), "initiative": r.get("initiative_name", ""),
                "need": r["need"], "text": r["text"], "status": r["status"],
                "author": r.get("author") or "",
                "solutions": [{"text": s["text"], "author": s.get("author") or ""}
                              for s in r.get("solutions", [])]}

    def objective_of(o):
        return {"id": o["id"], "initiative": next(
            (i["name"] for i in initiatives if i["id"] == o["initiative_id"]), ""),
                "text": o["text"], "key_results": [
                    {"metric": k["metric"], "baseline": k.get("baseline"), "target": k["target"],
                     "unit": k.get("unit") or "", "deadline": k["deadline"],
                     "owner": (k.get("owner") or {}).get("name", "")}
                    for k in o.get("key_results", []) if not k.get("deleted")]}

    def scores_of(gid):
        row = results.get(gid)
        comments = [{"expert": s["expert"], "criterion": criteria.get(s["criterion_id"], ""),
                     "value": s["value"], "comment": s["comment"]}
                    for s in doc["scores"] if s["group_id"] == gid]
        if not row and not comments:
            return None
        return {"experts": row["experts"] if row else 0, "total": row["total"] if row else None,
                "averages": [{"criterion": c["name"],
                              "value": (row or {}).get("averages", {}).get(str(c["id"]))}
                             for c in doc["criteria"]],
                "comments": comments}

    groups = []
    for g in doc["groups"]:
        gid = g["id"]
        made = [i for i in initiatives if i["group_id"] == gid]
        worked = [i for i in initiatives if (i.get("team_group_id") or i["group_id"]) == gid]
        shown = made if g.get("stage", 1) != 2 else worked
        place = lambda i: by_initiative.get(i["id"]) or {}  # noqa: E731 (its List B row)
        shown = sorted(shown, key=lambda i: (place(i).get("rank") or 99, i["position"], i["id"]))
        deck = next((d for d in reversed(doc.get("decks", [])) if d["group_id"] == gid), None)
        groups.append({
            "id": gid, "name": g["name"], "stage": g.get("stage", 1),
            "subject_frame": g["subject_frame"], "moderators": g["moderators"],
            "members": sorted(p["display_name"] for p in people.values()
                              if p["group_id"] == gid and not p["removed"]),
            "trends": [{"text": t["text"], "author": t["author"] or ""}
                       for t in live(doc["trends"]) if t["group_id"] == gid],
            "list_b": [{"initiative_id": i["id"], "name": i["name"],
                        "rank": place(i).get("rank"), "tie": place(i).get("tie", False),
                        "total": place(i).get("total"), "focus": place(i).get("focus", False),
                        "team": names.get(i.get("team_group_id"))} for i in shown],
            "initiatives": [initiative_of(i) for i in shown],
            "requests_out": [request_of(r) for r in live(doc["requests"])
                             if r["from_group_id"] == gid],
            "requests_in": [request_of(r) for r in live(doc["requests"])
                            if r["to_group_id"] == gid],
            "objectives": [objective_of(o) for o in live(doc["objectives"])
                           if o["group_id"] == gid],
            "scores": scores_of(gid),
            "deck": [{"title": s["title"], "body": s["body"], "kind": s["kind"]}
                     for s in (deck or {}).get("slides", []) if not s.get("deleted")],
        })
    if group_id is not None:
        groups = [g for g in groups if g["id"] == group_id]
    session = doc["session"]
    return {
        "session": {**{k: session[k] for k in ("id", "title", "language", "starts_on", "ends_on",
                                               "timezone", "join_code")},
                    # In the session's time zone, as every time the session shows.
                    "exported_at": datetime.now(timezone.utc).astimezone(
                        ZoneInfo(session["timezone"])).strftime("%Y-%m-%d %H:%M")},
        "labels": labels,
        "program": [{k: a[k] for k in ("day", "start_time", "duration_min", "title", "kind",
                                       "tact", "state")} for a in doc["agenda"]
                    if not a["hidden"]],
        "list_a": [] if group_id is not None else [
            {"id": i["id"], "text": i["text"], "author": i["author"] or ""}
            for i in ideas.values() if i.get("merged_into") is None],
        "groups": groups,
        "criteria": [{"id": c["id"], "name": c["name"]} for c in doc["criteria"]],
        "results": doc["results"],
    }
