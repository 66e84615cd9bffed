"""The ikigai canvas of an initiative (seed 002): entries in three columns, the moderator's marks
of what stands in all three, and the focus formulated from them. Events (docs/PROTOCOL.md,
"Ikigai canvas"): `ikigai.entries` and `ikigai.focus`, each with one row."""
from flask_babel import lazy_gettext as _l

from ..extensions import db
from ..models import AgendaItem, IkigaiEntry, IkigaiFocus, Initiative, utcnow
from ..models.support import IKIGAI_COLUMNS
from ..tacts.base import validate
from ..tacts.ikigai import IkigaiEntryForm, IkigaiFocusForm
from .errors import Invalid
from .initiatives import (initiative_rooms, load_initiative, load_item, lock_session,
                          require_group_member, require_moderator, require_open_for_participant)
from .rows import author_fields, is_int, load_row, parse_client_id, resent
from .serialize import iso
from .support import may_change, visible_initiative_ids
from .unit import unit_of_work

KINDS = ("ikigai",)


# -- rows as clients see them ---------------------------------------------------------------
def entry_data(e):
    return {"id": e.id, "client_id": e.client_id, "item_id": e.item_id, "group_id": e.group_id,
            "initiative_id": e.initiative_id, "column": e.column, "text": e.text,
            "marked": e.marked, "author": e.author_name, "participant_id": e.participant_id,
            "rev": e.rev, "deleted": e.deleted_at is not None, "created_at": iso(e.created_at)}


def focus_data(f):
    return {"id": f.id, "item_id": f.item_id, "group_id": f.group_id,
            "initiative_id": f.initiative_id, "text": f.text, "rev": f.rev,
            "updated_at": iso(f.updated_at)}


def snapshot(actor, session):
    """The entries and foci of the initiatives this actor may see (their group's, or the
    groups they moderate; every group's for the chief moderator and projectors)."""
    ids = visible_initiative_ids(actor, session)
    if not ids:
        return {"entries": [], "focus": []}
    entries = db.session.scalars(db.select(IkigaiEntry).where(
        IkigaiEntry.initiative_id.in_(ids), IkigaiEntry.deleted_at.is_(None))
        .order_by(IkigaiEntry.id))
    focus = db.session.scalars(db.select(IkigaiFocus).where(IkigaiFocus.initiative_id.in_(ids))
                               .order_by(IkigaiFocus.id))
    return {"entries": [entry_data(e) for e in entries], "focus": [focus_data(f) for f in focus]}


def _emit_entry(unit, entry):
    return unit.row_event(entry, "ikigai.entries", entry_data,
                          initiative_rooms(db.session.get(Initiative, entry.initiative_id)))


def _emit_focus(unit, focus):
    return unit.row_event(focus, "ikigai.focus", focus_data,
                          initiative_rooms(db.session.get(Initiative, focus.initiative_id)))


def _load_entry(actor, entry_id):
    return load_row(IkigaiEntry, actor, entry_id, _l("This entry no longer exists."),
                    _l("This entry was deleted meanwhile; the screen shows the current canvas."))


# -- writes ---------------------------------------------------------------------------------
def add_entry(actor, data):
    """A participant of the group or its moderator adds an entry to a column. Idempotent by
    client id. Ack: {entry, duplicate}."""
    data = data if isinstance(data, dict) else {}
    client_id = parse_client_id(data.get("client_id"))
    existing = resent(IkigaiEntry, client_id, actor)
    if existing is not None:
        return {"entry": entry_data(existing), "duplicate": True}
    clean = validate(IkigaiEntryForm, {k: data.get(k) or "" for k in ("column", "text")})
    with unit_of_work() as unit:
        lock_session(unit, actor.session_id)
        item = load_item(actor, data.get("item_id"), KINDS)
        initiative = load_initiative(actor, data.get("initiative_id"))
        require_group_member(actor, initiative.work_group_id)
        require_open_for_participant(actor, item)
        entry = IkigaiEntry(client_id=client_id, session_id=actor.session_id, item_id=item.id,
                            group_id=initiative.work_group_id, initiative_id=initiative.id,
                            column=clean["column"], text=clean["text"], marked=False,
                            **author_fields(actor))
        db.session.add(entry)
        db.session.flush()
        return {"entry": _emit_entry(unit, entry), "duplicate": False}


def delete_entry(actor, data):
    """The author while the item runs, or the group's moderator, deletes an entry."""
    data = data if isinstance(data, dict) else {}
    with unit_of_work() as unit:
        lock_session(unit, actor.session_id)
        entry = _load_entry(actor, data.get("id"))
        may_change(actor, entry, entry.group_id, db.session.get(AgendaItem, entry.item_id))
        entry.deleted_at = utcnow()
        db.session.flush()
        return {"entry": _emit_entry(unit, entry)}


def mark_entry(actor, data):
    """The group's moderator marks an entry as standing in all three columns (or unmarks it).
    Marking what is already so changes nothing. Ack: {entry}."""
    data = data if isinstance(data, dict) else {}
    marked = data.get("marked")
    if not isinstance(marked, bool):
        raise Invalid(field="marked")
    with unit_of_work() as unit:
        lock_session(unit, actor.session_id)
        entry = _load_entry(actor, data.get("id"))
        require_moderator(actor, entry.group_id)
        if entry.marked == marked:
            return {"entry": entry_data(entry)}
        entry.marked = marked
        return {"entry": _emit_entry(unit, entry)}


def marked_columns(item_id, initiative_id):
    """The columns that hold at least one marked live entry of the initiative in the item."""
    return set(db.session.scalars(db.select(IkigaiEntry.column).where(
        IkigaiEntry.item_id == item_id, IkigaiEntry.initiative_id == initiative_id,
        IkigaiEntry.marked.is_(True), IkigaiEntry.deleted_at.is_(None)).distinct()))


def set_focus(actor, data):
    """The group's moderator writes the initiative's focus from what stands in all three
    columns: at least one marked entry in each is required. An empty text clears the focus.
    Ack: {focus}."""
    data = data if isinstance(data, dict) else {}
    text = validate(IkigaiFocusForm, {"text": data.get("text") or ""})["text"] or ""
    with unit_of_work() as unit:
        lock_session(unit, actor.session_id)
        item = load_item(actor, data.get("item_id"), KINDS)
        initiative = load_initiative(actor, data.get("initiative_id"))
        require_moderator(actor, initiative.work_group_id)
        if text and marked_columns(item.id, initiative.id) != set(IKIGAI_COLUMNS):
            raise Invalid(_l("Mark what stands in all three columns first: at least one entry "
                             "in each of them."), field="text")
        focus = db.session.scalar(db.select(IkigaiFocus).where(
            IkigaiFocus.item_id == item.id, IkigaiFocus.initiative_id == initiative.id))
        if focus is None:
            focus = IkigaiFocus(session_id=actor.session_id, item_id=item.id,
                                group_id=initiative.work_group_id, initiative_id=initiative.id,
                                text="", rev=0)
            db.session.add(focus)
        elif focus.text == text:
            return {"focus": focus_data(focus)}
        focus.text = text
        db.session.flush()
        return {"focus": _emit_focus(unit, focus)}


def latest_focus(initiative_id):
    """The initiative's focus from its latest ikigai item that set one, or ""."""
    row = db.session.execute(
        db.select(IkigaiFocus.text).join(AgendaItem, AgendaItem.id == IkigaiFocus.item_id)
        .where(IkigaiFocus.initiative_id == initiative_id, IkigaiFocus.text != "")
        .order_by(AgendaItem.position.desc()).limit(1)).first()
    return row[0] if row else ""


# -- export and import (tacts/base.py, the kind hooks) --------------------------------------
def export_item(item):
    names = dict(db.session.execute(db.select(Initiative.id, Initiative.name).where(
        Initiative.session_id == item.session_id)).all())
    entries = db.session.scalars(db.select(IkigaiEntry).where(
        IkigaiEntry.item_id == item.id, IkigaiEntry.deleted_at.is_(None))
        .order_by(IkigaiEntry.group_id, IkigaiEntry.initiative_id, IkigaiEntry.id)).all()
    focus = db.session.scalars(db.select(IkigaiFocus).where(
        IkigaiFocus.item_id == item.id, IkigaiFocus.text != "")
        .order_by(IkigaiFocus.group_id, IkigaiFocus.initiative_id)).all()
    if not entries and not focus:
        return None
    return {
        "entries": [{"id": e.id, "group_id": e.group_id, "initiative_id": e.initiative_id,
                     "initiative": names.get(e.initiative_id, ""), "column": e.column,
                     "text": e.text, "marked": e.marked, "participant_id": e.participant_id,
                     "author": e.author_name, "created_at": iso(e.created_at)}
                    for e in entries],
        "focus": [{"group_id": f.group_id, "initiative_id": f.initiative_id,
                   "initiative": names.get(f.initiative_id, ""), "text": f.text}
                  for f in focus],
    }


def import_item(item, data, ids):
    """Recreate the exported entries and foci on `item` (ids: services.imports.ImportIds)."""
    own = ids.setdefault("ikigai_entries", {})
    for n, e in enumerate(data.get("entries") or []):
        place = f"{ids.place}.entries[{n}]"
        row = IkigaiEntry(session_id=ids.session.id, item_id=item.id,
                          group_id=ids.ref("groups", e["group_id"], f"{place}.group_id"),
                          initiative_id=ids.ref("initiatives", e["initiative_id"],
                                                f"{place}.initiative_id"),
                          column=e["column"], text=e["text"], marked=bool(e["marked"]),
                          created_at=ids.when(e.get("created_at"), f"{place}.created_at"),
                          updated_at=ids.now, rev=0, **ids.author(e, place))
        ids.add(row, place)
        ids.flush()
        if is_int(e.get("id")):
            own[e["id"]] = row.id
    seen = set()
    for n, f in enumerate(data.get("focus") or []):
        place = f"{ids.place}.focus[{n}]"
        initiative_id = ids.ref("initiatives", f["initiative_id"], f"{place}.initiative_id")
        if initiative_id in seen:
            raise Invalid(_l("%(place)s: a second focus of the same initiative.", place=place),
                          field=place)
        seen.add(initiative_id)
        ids.add(IkigaiFocus(session_id=ids.session.id, item_id=item.id,
                            group_id=ids.ref("groups", f["group_id"], f"{place}.group_id"),
                            initiative_id=initiative_id,
                            text=f["text"], rev=0, created_at=ids.now, updated_at=ids.now),
                place)
    ids.flush()


# -- demo content (`flask --app wsgi demo --template support_workshop --filled`) --------------
def demo_fill(item, filler):
    """Fill an ikigai item from the demo content's `boards.<group>.initiatives[].ikigai`:
    entries by their authors, the moderator's marks (1-based per column) and the focus.

    `filler` is the demo builder (cli.py): `content`, `initiatives[(group key, name)]`,
    `participant(name)`, `moderator(group key)` and `cid()`. Returns whether it filled any."""
    filled = False
    for key, board in filler.content.get("boards", {}).items():
        mod = filler.moderator(key)
        for row in board.get("initiatives", []):
            canvas = row.get("ikigai")
            initiative_id = filler.initiatives.get((key, row["name"]))
            if not canvas or initiative_id is None:
                continue
            filled = True
            ids = {}
            for column in IKIGAI_COLUMNS:
                for e in canvas.get(column, []):
                    actor = filler.participant(e["author"]) if e.get("author") else mod
                    ids.setdefault(column, []).append(add_entry(actor, {
                        "client_id": filler.cid(), "item_id": item.id, "column": column,
                        "text": e["text"], "initiative_id": initiative_id})["entry"]["id"])
            for column, numbers in (canvas.get("marked") or {}).items():
                for n in numbers:
                    mark_entry(mod, {"id": ids[column][n - 1], "marked": True})
            if canvas.get("focus"):
                set_focus(mod, {"item_id": item.id, "initiative_id": initiative_id,
                                "text": canvas["focus"]})
    return filled
