"""Tact 8: each group's final deck. The template assembles it from everything the group did
(trends, its initiatives with List B, stakeholders and values, the resource balance, what other
tacts of the program made of each initiative (a focus, a stage of development: a kind's
`deck_lines`), requests and solutions, objectives and key results, the team); the group then
edits the slides' text, adds, deletes and reorders slides; the projector presents it slide by
slide.

Refreshing from the data changes only the text the group has not edited (`Slide.edited`); the
drawn data (List B, the diagram) always follows the session. An edit carries the slide's
`text_rev` it started from: when someone else changed the text since, the edit is refused as a
conflict, never silently applied over theirs.
"""
from datetime import date

from flask_babel import force_locale, format_date, gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import (AgendaItem, Deck, Group, Idea, Objective, Participant, Request,
                      Selection, Session, Slide, Trend, utcnow)
from ..models.deck import BODY_MAX, TITLE_MAX
from ..tacts.base import validate
from ..tacts.deck import SlideForm
from . import rooms, serialize
from .actors import require
from .errors import Conflict, Invalid, NotFound
from .initiatives import (load_group, load_item, lock_session, require_group_member,
                          require_open_for_participant, stakes_data)
from .objectives import objective_data
from .requests import solutions_of
from .rows import author_fields, is_int, load_row, parse_client_id
from .stakeholders import balance, live_flows, live_stakeholders, values_of
from .teams import work_initiatives
from .unit import unit_of_work

MAX_TRENDS = 10
MAX_SLIDES = 60
STATUS_NAMES = {"new": _l("New"), "discussing": _l("Discussing"), "accepted": _l("Accepted"),
                "declined": _l("Declined"), "done": _l("Fulfilled")}


# -- reading --------------------------------------------------------------------------------
def deck_rooms(deck):
    """Who follows a deck: its group (participants and moderators) and the projectors."""
    return [rooms.group_room(deck.group_id), rooms.projector_room(deck.session_id)]


def live_slides(deck_id):
    return db.session.scalars(db.select(Slide).where(Slide.deck_id == deck_id,
                                                     Slide.deleted_at.is_(None))
                              .order_by(Slide.position, Slide.id)).all()


def slide_data(s, group_id):
    return {"id": s.id, "client_id": s.client_id, "deck_id": s.deck_id, "group_id": group_id,
            "position": s.position, "kind": s.kind, "initiative_id": s.initiative_id,
            "title": s.title, "body": s.body, "data": s.data, "edited": s.edited,
            "text_rev": s.text_rev, "editor": s.author_name if s.edited else "",
            "rev": s.rev, "deleted": s.deleted_at is not None,
            "updated_at": serialize.iso(s.updated_at)}


def deck_data(deck):
    """A deck with its live slides in order."""
    return {"id": deck.id, "item_id": deck.item_id, "group_id": deck.group_id, "rev": deck.rev,
            "assembled_at": serialize.iso(deck.assembled_at),
            "slides": [slide_data(s, deck.group_id) for s in live_slides(deck.id)]}


def latest_deck(session_id, group_id):
    """The group's deck of the latest `deck` item that has one, or None."""
    return db.session.scalar(
        db.select(Deck).join(AgendaItem, AgendaItem.id == Deck.item_id)
        .where(Deck.session_id == session_id, Deck.group_id == group_id)
        .order_by(AgendaItem.position.desc()).limit(1))


def visible_decks(actor, group_ids, everything):
    """The decks of the actor's groups (all of them for the chief and projectors)."""
    query = db.select(Deck).where(Deck.session_id == actor.session_id)
    if not everything:
        query = query.where(Deck.group_id.in_(list(group_ids)))
    return [deck_data(d) for d in db.session.scalars(query.order_by(Deck.id))]


# -- the template ---------------------------------------------------------------------------
def _cut(text, limit):
    text = (text or "").strip()
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _bullets(lines):
    return "\n".join(f"• {line}" for line in lines)


def _number(value):
    return "" if value is None else (f"{value:g}" if isinstance(value, float) else str(value))


def deck_initiatives(group):
    """The initiatives a deck is about: those the group works on that went on from List B (or
    came to its day-two team), in List B's order; all of them when none did."""
    work = work_initiatives(group.id)
    lists = {}
    for i in work:
        key = (i.item_id, i.group_id)
        if key not in lists:
            lists[key] = stakes_data(i.item_id, i.group_id, with_totals=False)
    chosen = [i for i in work if i.team_group_id == group.id
              or i.id in lists[(i.item_id, i.group_id)]["focus"]] or work
    order = {row["initiative_id"]: n for stakes in lists.values()
             for n, row in enumerate(stakes["list_b"])}
    return sorted(chosen, key=lambda i: (order.get(i.id, 999), i.position, i.id)), lists


def _trends(group_ids):
    rows = db.session.scalars(
        db.select(Trend).join(AgendaItem, AgendaItem.id == Trend.item_id)
        .where(Trend.group_id.in_(group_ids), Trend.deleted_at.is_(None),
               Trend.merged_into_id.is_(None), AgendaItem.hidden.is_(False) | Trend.revealed)
        .order_by(Trend.id)).all()
    return [t.text for t in rows]


def _ideas(initiative_id):
    return db.session.scalars(
        db.select(Idea.text).join(Selection, Selection.idea_id == Idea.id)
        .where(Selection.initiative_id == initiative_id, Selection.deleted_at.is_(None))
        .order_by(Selection.position, Selection.id)).all()


def _stakeholder_rows(initiative_id):
    return [{"id": s.id, "name": s.name, "type": s.type,
             "values": [{"id": v.id, "text": v.text} for v in values_of(s.id)]}
            for s in live_stakeholders(initiative_id)]


def _initiative_slide(i, stakes):
    rows = stakes["list_b"]
    row = next((r for r in rows if r["initiative_id"] == i.id), None)
    lines = []
    if row and row["rank"] is not None:
        lines.append(gettext("List B: place %(rank)s of %(count)s, %(total)s chips",
                             rank=row["rank"], count=len(rows), total=row["total"]))
    ideas = _ideas(i.id)
    if ideas:
        lines += ["", gettext("Ideas from List A:"), _bullets(ideas)]
    return {"title": i.name, "body": "\n".join(lines),
            "data": {"initiative": {"id": i.id, "name": i.name}, "group_id": i.group_id,
                     "list_b": rows, "revealed": stakes["revealed"]}}


def _stakeholders_slide(i):
    people = _stakeholder_rows(i.id)
    lines = [f"{s['name']} — {'; '.join(v['text'] for v in s['values'])}" if s["values"]
             else s["name"] for s in people]
    return {"title": gettext("Stakeholders and values: %(name)s", name=i.name),
            "body": _bullets(lines) if lines else gettext("No stakeholders yet."),
            "data": {"initiative": {"id": i.id, "name": i.name}, "stakeholders": people}}


def _balance_slide(i, language):
    people = _stakeholder_rows(i.id)
    flows = [{"id": f.id, "source_id": f.source_id, "target_id": f.target_id,
              "resource": f.resource, "resource_text": f.resource_text, "mark": f.mark}
             for f in live_flows(i.id)]
    sides = balance(i, language)
    flagged = [f"{r['name']}: {r['reason']}" for r in sides["rows"] if r["flag"]]
    if flagged:
        body = gettext("Out of balance:") + "\n" + _bullets(flagged)
    elif flows:
        body = gettext("Every side both gives and gains.")
    else:
        body = gettext("No resource flows yet.")
    return {"title": gettext("Resource balance: %(name)s", name=i.name), "body": body,
            "data": {"initiative": {"id": i.id, "name": i.name}, "stakeholders": people,
                     "flows": flows, "balance": {"rows": sides["rows"]}}}


def _requests_slide(group, initiative_ids):
    names = {g.id: g.name for g in db.session.scalars(
        db.select(Group).where(Group.session_id == group.session_id))}
    sent = db.session.scalars(db.select(Request).where(
        Request.initiative_id.in_(initiative_ids) if initiative_ids else Request.id < 0,
        Request.deleted_at.is_(None)).order_by(Request.id)).all()
    received = db.session.scalars(db.select(Request).where(
        Request.to_group_id == group.id, Request.deleted_at.is_(None)).order_by(Request.id)).all()

    def line(r, other):
        text = f"{other}: {r.text} ({gettext(STATUS_NAMES[r.status])})"
        return "\n".join([f"• {text}"] + [f"  ✓ {s.text}" for s in solutions_of(r.id)])

    parts = []
    if sent:
        parts += [gettext("We asked:")] + [line(r, names.get(r.to_group_id, "")) for r in sent]
    if received:
        parts += ([""] if parts else []) + [gettext("We were asked:")] + [
            line(r, names.get(r.from_group_id, "")) for r in received]
    return {"title": gettext("Requests and solutions"),
            "body": "\n".join(parts) or gettext("No requests yet."), "data": None}


def _okr_slide(i):
    lines = []
    objectives = db.session.scalars(db.select(Objective).where(
        Objective.initiative_id == i.id, Objective.deleted_at.is_(None))
        .order_by(Objective.id)).all()
    for o in objectives:
        lines.append(f"◎ {o.text}")
        for k in objective_data(o)["key_results"]:
            start = f"{_number(k['baseline'])} → " if k["baseline"] is not None else ""
            text = gettext("%(metric)s: %(start)s%(target)s %(unit)s by %(deadline)s (%(owner)s)",
                           metric=k["metric"], start=start, target=_number(k["target"]),
                           unit=k["unit"], owner=k["owner"]["name"],
                           deadline=format_date(date.fromisoformat(k["deadline"]), "medium"))
            lines.append("  – " + " ".join(text.split()))
    return {"title": gettext("Objectives and key results: %(name)s", name=i.name),
            "body": "\n".join(lines) or gettext("No objectives yet."), "data": None}


def _program_outputs(session):
    """[(kind, item, its export_item data)] of the session's agenda items whose kind has lines
    for the deck (tacts/base.py `deck_lines`), in program order."""
    from ..tacts import KINDS
    from ..tacts.base import TactKind
    out = []
    for item in session.items:
        kind = KINDS.get(item.kind)
        if kind is None or type(kind).deck_lines is TactKind.deck_lines:
            continue
        data = kind.export_item(item)
        if data:
            out.append((kind, item, data))
    return out


def _program_slide(i, outputs):
    """What the program's other tacts made of the initiative, or None when nothing."""
    lines = []
    for kind, item, data in outputs:
        got = kind.deck_lines(item, data, i.id)
        if got:
            lines += ([""] if lines else []) + [str(line) for line in got]
    if not lines:
        return None
    return {"title": gettext("%(name)s: results of the other tacts", name=i.name),
            "body": "\n".join(lines), "data": None}


def _team_slide(group):
    people = db.session.scalars(db.select(Participant.display_name).where(
        Participant.group_id == group.id, Participant.removed_at.is_(None))
        .order_by(Participant.display_name)).all()
    lines = []
    if group.moderators:
        lines.append(gettext("Moderator: %(names)s",
                             names=", ".join(u.display_name for u in group.moderators)))
    if people:
        lines += ([""] if lines else []) + [_bullets(people)]
    return {"title": gettext("Team"), "body": "\n".join(lines) or gettext("No participants yet."),
            "data": None}


def template_slides(session, group):
    """The slides the template makes for a group now: [(kind, initiative_id, spec)] in order,
    each spec {title, body, data} in the session's language. A slide filled by a tact the
    program does not have (a support workshop has no stakeholder map) is left out; one whose
    tact is there but still empty says so."""
    kinds = {item.kind for item in session.items}
    with force_locale(session.language):
        initiatives, lists = deck_initiatives(group)
        outputs = _program_outputs(session) if initiatives else []
        origins = sorted({group.id, *(i.group_id for i in initiatives)})
        out = [("title", None, {
            "title": group.name,
            "body": "\n".join([session.title, ""] + [f"• {i.name}" for i in initiatives]).strip(),
            "data": None})]
        if "trends" in kinds:
            trends = _trends(origins)
            out.append(("trends", None, {
                "title": gettext("Trends and directions of development"),
                "body": _bullets(trends[:MAX_TRENDS]) or gettext("No trends were posted."),
                "data": None}))
        for i in initiatives:
            out.append(("initiative", i.id, _initiative_slide(i, lists[(i.item_id, i.group_id)])))
            if "stakeholders" in kinds:
                out.append(("stakeholders", i.id, _stakeholders_slide(i)))
            if "resources" in kinds:
                out.append(("balance", i.id, _balance_slide(i, session.language)))
            program = _program_slide(i, outputs)
            if program:
                out.append(("program", i.id, program))
        if "requests" in kinds:
            out.append(("requests", None, _requests_slide(group, [i.id for i in initiatives])))
        if "okr" in kinds:
            for i in initiatives:
                out.append(("okr", i.id, _okr_slide(i)))
        out.append(("team", None, _team_slide(group)))
    for _kind, _iid, spec in out:
        spec["title"] = _cut(spec["title"], TITLE_MAX)
        spec["body"] = _cut(spec["body"], BODY_MAX)
    return out


# -- writing --------------------------------------------------------------------------------
def _writable(actor, deck):
    """The group's participants (while the tact runs, unlocked) and its moderators, any time."""
    require_group_member(actor, deck.group_id)
    require_open_for_participant(actor, db.session.get(AgendaItem, deck.item_id))


def _load_deck(actor, deck_id):
    return load_row(Deck, actor, deck_id, _l("This deck does not exist."))


def _load_slide(actor, slide_id):
    return load_row(Slide, actor, slide_id, _l("This slide does not exist."),
                    _l("This slide was deleted meanwhile."))


def _emit_deck(unit, deck, changed=(), texts=()):
    """One `deck.changed` with the whole deck; `changed` slides take its revision, and so does
    the `text_rev` of those whose text it changed (`texts`)."""
    rev = unit.next_rev(deck.session_id)
    deck.rev = rev
    deck.updated_at = utcnow()
    for s in changed:
        s.rev = rev
        s.updated_at = deck.updated_at
    for s in texts:
        s.text_rev = rev
    db.session.flush()
    data = deck_data(deck)
    unit.record(deck.session_id, rev, "deck.changed", data, deck_rooms(deck))
    return data


def _emit_slide(unit, deck, s):
    return unit.row_event(s, "slide.changed", lambda row: slide_data(row, deck.group_id),
                          deck_rooms(deck))


def _fill(deck, session, group):
    """Create the template's slides that are missing; refresh the text nobody edited and every
    slide's data; drop unedited slides whose initiative left the group. Returns the changed."""
    slides = db.session.scalars(db.select(Slide).where(Slide.deck_id == deck.id)
                                .order_by(Slide.position, Slide.id)).all()
    by_key = {(s.kind, s.initiative_id): s for s in slides if s.kind != "free"}
    live = [s for s in slides if s.deleted_at is None]
    top = max((s.position for s in live), default=-1)
    changed, texts, wanted = [], [], set()
    for kind, initiative_id, spec in template_slides(session, group):
        wanted.add((kind, initiative_id))
        s = by_key.get((kind, initiative_id))
        if s is None:
            top += 1
            s = Slide(session_id=session.id, deck_id=deck.id, position=top, kind=kind,
                      initiative_id=initiative_id, title=spec["title"], body=spec["body"],
                      data=spec["data"], edited=False, text_rev=0)
            db.session.add(s)
            changed.append(s)
            texts.append(s)
            continue
        if s.deleted_at is not None:
            continue  # the group deleted it: a refresh does not bring it back
        touched = False
        if s.data != spec["data"]:
            s.data = spec["data"]
            touched = True
        if not s.edited and (s.title, s.body) != (spec["title"], spec["body"]):
            s.title, s.body = spec["title"], spec["body"]
            touched = True
            texts.append(s)
        if touched:
            changed.append(s)
    for key, s in by_key.items():
        if key not in wanted and s.deleted_at is None and not s.edited:
            s.deleted_at = utcnow()
            changed.append(s)
    return changed, texts


def assemble(actor, data):
    """Assemble the group's deck in a `deck` item from the data, or refresh it when it exists.
    Returns (deck data, created)."""
    data = data if isinstance(data, dict) else {}
    with unit_of_work() as unit:
        lock_session(unit, actor.session_id)
        item = load_item(actor, data.get("item_id"), ("deck",))
        group = load_group(actor, data.get("group_id"))
        require_group_member(actor, group.id)
        require_open_for_participant(actor, item)
        session = db.session.get(Session, actor.session_id)
        deck = db.session.scalar(db.select(Deck).where(Deck.item_id == item.id,
                                                       Deck.group_id == group.id))
        created = deck is None
        if created:
            deck = Deck(session_id=session.id, item_id=item.id, group_id=group.id)
            db.session.add(deck)
            try:
                db.session.flush()
            except IntegrityError:  # another tap made it at the same moment (PostgreSQL)
                raise Conflict(_l("The deck was assembled at the same moment; the screen "
                                  "shows it now.")) from None
        deck.assembled_at = utcnow()
        changed, texts = _fill(deck, session, group)
        return _emit_deck(unit, deck, changed, texts), created


def refresh(actor, data):
    """Refresh a deck from the data: text the group edited stays as it is."""
    data = data if isinstance(data, dict) else {}
    deck = _load_deck(actor, data.get("deck_id"))
    return assemble(actor, {"item_id": deck.item_id, "group_id": deck.group_id})[0]


def _clean_text(data):
    return validate(SlideForm, {"title": data.get("title") if isinstance(data.get("title"), str)
                                else "", "body": data.get("body") if isinstance(
                                    data.get("body"), str) else ""})


def _same_editor(actor, s):
    if actor.participant is not None:
        return s.participant_id == actor.participant.id
    return s.participant_id is None and s.author_user_id == actor.user.id


def edit_slide(actor, data):
    """Change a slide's title and body. `base` is the slide's `text_rev` the editor started
    from; when someone else changed the text since, the edit is refused (Conflict)."""
    data = data if isinstance(data, dict) else {}
    clean = _clean_text(data)
    base = data.get("base")
    if not is_int(base):
        raise Invalid(_l("The edit carries no revision; please reload the page."), field="base")
    with unit_of_work() as unit:
        lock_session(unit, actor.session_id)
        s = _load_slide(actor, data.get("id"))
        deck = db.session.get(Deck, s.deck_id)
        _writable(actor, deck)
        if (s.title, s.body) == (clean["title"], clean["body"]):
            return slide_data(s, deck.group_id)
        if s.text_rev > base and not (s.edited and _same_editor(actor, s)):
            who = s.author_name if s.edited else ""
            raise Conflict(_l("%(who)s changed this slide meanwhile: their text is on the screen "
                              "now, yours is kept below to copy.", who=who) if who else _l(
                "This slide changed meanwhile: the new text is on the screen now, yours is "
                "kept below to copy."), field="base")
        s.title, s.body, s.edited = clean["title"], clean["body"], True
        for key, value in author_fields(actor).items():
            setattr(s, key, value)
        out = _emit_slide(unit, deck, s)
        s.text_rev = s.rev
        out["text_rev"] = s.rev
        return out


def add_slide(actor, data):
    """Add a free slide after `after` (a slide id; none: at the end). Idempotent by client id.
    Returns (deck data, created)."""
    data = data if isinstance(data, dict) else {}
    client_id = parse_client_id(data.get("client_id"))
    existing = db.session.scalar(db.select(Slide).where(Slide.client_id == client_id))
    if existing is not None:
        deck = db.session.get(Deck, existing.deck_id)
        require(deck.session_id == actor.session_id)
        require_group_member(actor, deck.group_id)
        return deck_data(deck), False
    clean = _clean_text(data)
    with unit_of_work() as unit:
        lock_session(unit, actor.session_id)
        deck = _load_deck(actor, data.get("deck_id"))
        _writable(actor, deck)
        slides = live_slides(deck.id)
        if len(slides) >= MAX_SLIDES:
            raise Invalid(_l("A deck holds at most %(max)s slides.", max=MAX_SLIDES))
        after = data.get("after")
        index = len(slides)
        if after is not None:
            found = [n for n, s in enumerate(slides) if s.id == after]
            if not found:
                raise Conflict(_l("That slide was deleted meanwhile; the screen shows the deck "
                                  "as it is now."))
            index = found[0] + 1
        s = Slide(client_id=client_id, session_id=deck.session_id, deck_id=deck.id, kind="free",
                  title=clean["title"], body=clean["body"], edited=True,
                  **author_fields(actor))
        db.session.add(s)
        slides.insert(index, s)
        return _emit_deck(unit, deck, _renumber(slides), [s]), True


def _renumber(slides):
    """Positions 0..n-1 in this order; returns the slides whose position changed."""
    moved = []
    for n, s in enumerate(slides):
        if s.position != n or s.id is None:
            s.position = n
            moved.append(s)
    return moved


def delete_slide(actor, data):
    data = data if isinstance(data, dict) else {}
    with unit_of_work() as unit:
        lock_session(unit, actor.session_id)
        s = _load_slide(actor, data.get("id"))
        deck = db.session.get(Deck, s.deck_id)
        _writable(actor, deck)
        s.deleted_at = utcnow()
        return _emit_slide(unit, deck, s)


def move_slide(actor, data):
    """Move a slide to `position` (its index in the deck's order); the later move wins."""
    data = data if isinstance(data, dict) else {}
    position = data.get("position")
    if not is_int(position) or position < 0:
        raise Invalid(_l("Give the slide's new place as a number from 0."), field="position")
    with unit_of_work() as unit:
        lock_session(unit, actor.session_id)
        s = _load_slide(actor, data.get("id"))
        deck = db.session.get(Deck, s.deck_id)
        _writable(actor, deck)
        slides = [x for x in live_slides(deck.id) if x.id != s.id]
        slides.insert(min(position, len(slides)), s)
        moved = _renumber(slides)
        if not moved:
            return deck_data(deck)
        return _emit_deck(unit, deck, moved)


# -- presenting -----------------------------------------------------------------------------
def present(actor, data):
    """Show a group's deck on the projector at slide `index` (clamped to the deck). The chief
    moderator may put any group's deck on; a group's moderator drives their own group's deck,
    but does not take the projector from another group's deck."""
    from .agenda import projector_state
    data = data if isinstance(data, dict) else {}
    index = data.get("index", 0)
    if not is_int(index):
        raise Invalid(_l("Give the slide's number."), field="index")
    require(actor.participant is None, _l("Only the moderators drive the projector."))
    group = load_group(actor, data.get("group_id"))
    require(actor.may_moderate_group(group.id),
            _l("Only the chief moderator or this group's moderator can present its deck."))
    with unit_of_work() as unit:
        lock_session(unit, actor.session_id)
        session = db.session.get(Session, actor.session_id)
        if (not actor.is_chief and session.projector_mode == "deck"
                and session.projector_group_id not in (None, group.id)):
            raise Conflict(_l("Another group is presenting now; the chief moderator switches "
                              "the projector."))
        deck = latest_deck(session.id, group.id)
        if deck is None:
            raise NotFound(_l("This group has no deck yet: assemble it first."))
        count = len(live_slides(deck.id))
        if count == 0:
            raise Invalid(_l("This deck has no slides."))
        session.projector_mode = "deck"
        session.projector_initiative_id = None
        session.projector_group_id = group.id
        session.projector_slide = max(0, min(index, count - 1))
        out = projector_state(session)
        unit.bump(session.id, "projector.changed", out,
                  [rooms.projector_room(session.id), rooms.moderators_room(session.id)])
        return out
