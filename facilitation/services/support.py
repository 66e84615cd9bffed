"""The stage diagnosis of an initiative and its support measures (seed 002): the stage the group
places it on (participants suggest, the moderator decides) and the measures chosen from the
seed's matrix or of the group's own. Also what the ikigai canvas shares with it: who sees which
initiatives and who may change a row. Events (docs/PROTOCOL.md, "Stages and support measures"):
`stages.places` and `stages.measures`, each with one row."""
from flask_babel import lazy_gettext as _l

from ..extensions import db
from ..models import (AgendaItem, Initiative, Session, StagePlace, StageVote,
                      SupportMeasure, utcnow)
from ..models.support import STAGES
from ..tacts.base import validate
from ..tacts.stages import MeasureForm, PlaceForm, catalog
from .actors import require
from .errors import Closed, Invalid, NotFound
from .initiatives import (initiative_rooms, load_initiative, load_item, lock_session,
                          require_group_member, require_moderator, require_open_for_participant)
from .rows import author_fields, is_int, is_own, load_row, parse_client_id, resent
from .serialize import iso
from .unit import unit_of_work

KINDS = ("stages",)


# -- shared with the ikigai canvas ----------------------------------------------------------
def visible_group_ids(actor, session):
    """The groups whose work this actor sees (as services/sync.py's board snapshot)."""
    if actor.participant is not None:
        return [actor.participant.group_id] if actor.participant.group_id else []
    if actor.is_chief or actor.is_projector:
        return [g.id for g in session.groups]
    return sorted(actor.moderated_group_ids)


def visible_initiative_ids(actor, session):
    """The live initiatives of those groups, with the ones a day-two team took over."""
    group_ids = visible_group_ids(actor, session)
    if not group_ids:
        return []
    return db.session.scalars(db.select(Initiative.id).where(
        Initiative.session_id == session.id, Initiative.deleted_at.is_(None),
        Initiative.group_id.in_(group_ids) | Initiative.team_group_id.in_(group_ids))).all()


def may_change(actor, row, group_id, item):
    """Moderators of the group always; authors while their item runs unlocked."""
    if actor.participant is None and actor.may_moderate_group(group_id):
        return
    require(is_own(row, actor), _l("You can change only what you added."))
    if item is None or item.locked or item.state != "active":
        raise Closed(_l("The moderator has locked this tact; it can no longer be changed."))


# -- rows as clients see them ---------------------------------------------------------------
def _votes(place_id):
    return db.session.scalars(db.select(StageVote).where(StageVote.place_id == place_id)
                              .order_by(StageVote.id)).all()


def place_data(p, votes=None):
    """A placement with the participants' suggestions: {participant id: stage} and counts."""
    votes = _votes(p.id) if votes is None else votes
    counts = {}
    for v in votes:
        counts[str(v.stage)] = counts.get(str(v.stage), 0) + 1
    return {"id": p.id, "item_id": p.item_id, "group_id": p.group_id,
            "initiative_id": p.initiative_id, "stage": p.stage, "note": p.note,
            "votes": {str(v.participant_id): v.stage for v in votes}, "counts": counts,
            "rev": p.rev, "updated_at": iso(p.updated_at)}


def measure_data(m):
    return {"id": m.id, "client_id": m.client_id, "item_id": m.item_id, "group_id": m.group_id,
            "initiative_id": m.initiative_id, "kind": m.kind, "phase": m.phase, "text": m.text,
            "catalog_key": m.catalog_key, "author": m.author_name,
            "participant_id": m.participant_id, "rev": m.rev,
            "deleted": m.deleted_at is not None, "created_at": iso(m.created_at)}


def snapshot(actor, session):
    """Placements and measures of the initiatives this actor may see, and the catalog (stages
    with their guidance, the matrix of measures) in the session's language."""
    from ..tacts.stages import localized
    ids = visible_initiative_ids(actor, session)
    places, measures = [], []
    if ids:
        places = [place_data(p) for p in db.session.scalars(db.select(StagePlace).where(
            StagePlace.initiative_id.in_(ids)).order_by(StagePlace.id))]
        measures = [measure_data(m) for m in db.session.scalars(db.select(SupportMeasure).where(
            SupportMeasure.initiative_id.in_(ids), SupportMeasure.deleted_at.is_(None))
            .order_by(SupportMeasure.id))]
    return {"places": places, "measures": measures, "catalog": localized(session.language)}


def _emit_place(unit, place):
    return unit.row_event(place, "stages.places", place_data,
                          initiative_rooms(db.session.get(Initiative, place.initiative_id)))


def _emit_measure(unit, measure):
    return unit.row_event(measure, "stages.measures", measure_data,
                          initiative_rooms(db.session.get(Initiative, measure.initiative_id)))


def _place_row(item, initiative):
    place = db.session.scalar(db.select(StagePlace).where(
        StagePlace.item_id == item.id, StagePlace.initiative_id == initiative.id))
    if place is None:
        place = StagePlace(session_id=item.session_id, item_id=item.id,
                           group_id=initiative.work_group_id, initiative_id=initiative.id,
                           stage=None, note="", rev=0)
        db.session.add(place)
        db.session.flush()
    return place


def _stage(value, field="stage"):
    """A stage number 1–7, or None (clear)."""
    if value is None:
        return None
    if not is_int(value) or value not in STAGES:
        raise Invalid(_l("Choose a stage from 1 to 7."), field=field)
    return value


# -- writes ---------------------------------------------------------------------------------
def place_stage(actor, data):
    """The group's moderator places an initiative on a stage (None clears it), with an optional
    note. The same stage and note again change nothing. Ack: {place}."""
    data = data if isinstance(data, dict) else {}
    stage = _stage(data.get("stage"))
    note = None
    if "note" in data:
        note = validate(PlaceForm, {"note": data.get("note") or ""})["note"] or ""
    with unit_of_work() as unit:
        lock_session(unit, actor.session_id)
        item = load_item(actor, data.get("item_id"), KINDS)
        initiative = load_initiative(actor, data.get("initiative_id"))
        require_moderator(actor, initiative.work_group_id)
        place = _place_row(item, initiative)
        if place.stage == stage and (note is None or place.note == note):
            return {"place": place_data(place)}
        place.stage = stage
        if note is not None:
            place.note = note
        return {"place": _emit_place(unit, place)}


def vote_stage(actor, data):
    """A participant suggests the stage of an initiative of their group (None withdraws the
    suggestion); one suggestion per person, the latest counts. Ack: {place}."""
    data = data if isinstance(data, dict) else {}
    require(actor.participant is not None, _l("Only participants suggest a stage; the "
                                              "moderator places the initiative."))
    stage = _stage(data.get("stage"))
    with unit_of_work() as unit:
        lock_session(unit, actor.session_id)
        item = load_item(actor, data.get("item_id"), KINDS)
        initiative = load_initiative(actor, data.get("initiative_id"))
        require_group_member(actor, initiative.work_group_id)
        require_open_for_participant(actor, item)
        place = _place_row(item, initiative)
        vote = db.session.scalar(db.select(StageVote).where(
            StageVote.place_id == place.id, StageVote.participant_id == actor.participant.id))
        if (vote.stage if vote else None) == stage:
            return {"place": place_data(place)}
        if stage is None:
            db.session.delete(vote)
        elif vote is None:
            db.session.add(StageVote(session_id=actor.session_id, place_id=place.id,
                                     participant_id=actor.participant.id, stage=stage))
        else:
            vote.stage = stage
            vote.updated_at = utcnow()
        db.session.flush()
        return {"place": _emit_place(unit, place)}


def add_measure(actor, data):
    """Add a support measure to an initiative: `catalog_key` picks one of the seed's matrix (in
    the session's language; picking one already chosen returns it), or `measure_kind`, `phase`
    and `text` make the group's own. Idempotent by client id. Ack: {measure, duplicate}."""
    data = data if isinstance(data, dict) else {}
    client_id = parse_client_id(data.get("client_id"))
    existing = resent(SupportMeasure, client_id, actor)
    if existing is not None:
        return {"measure": measure_data(existing), "duplicate": True}
    key = data.get("catalog_key")
    if key is not None:
        entry = catalog()["measures"].get(key) if isinstance(key, str) else None
        if entry is None:
            raise NotFound(_l("There is no such measure in the table."), field="catalog_key")
        clean = {"kind": entry["kind"], "phase": entry["phase"]}
    else:
        # `kind` names the tact kind in the generic event: the measure's kind is `measure_kind`.
        form = validate(MeasureForm, {k: data.get(k) or ""
                                      for k in ("measure_kind", "phase", "text")})
        clean = {"kind": form["measure_kind"], "phase": form["phase"], "text": form["text"]}
    with unit_of_work() as unit:
        lock_session(unit, actor.session_id)
        item = load_item(actor, data.get("item_id"), KINDS)
        initiative = load_initiative(actor, data.get("initiative_id"))
        require_group_member(actor, initiative.work_group_id)
        require_open_for_participant(actor, item)
        if key is not None:
            chosen = db.session.scalar(db.select(SupportMeasure).where(
                SupportMeasure.item_id == item.id, SupportMeasure.initiative_id == initiative.id,
                SupportMeasure.catalog_key == key, SupportMeasure.deleted_at.is_(None)))
            if chosen is not None:
                return {"measure": measure_data(chosen), "duplicate": True}
            language = db.session.get(Session, actor.session_id).language
            clean["text"] = entry["en" if language == "en" else "ru"]
        measure = SupportMeasure(client_id=client_id, session_id=actor.session_id,
                                 item_id=item.id, group_id=initiative.work_group_id,
                                 initiative_id=initiative.id, kind=clean["kind"],
                                 phase=clean["phase"], text=clean["text"], catalog_key=key,
                                 **author_fields(actor))
        db.session.add(measure)
        db.session.flush()
        return {"measure": _emit_measure(unit, measure), "duplicate": False}


def delete_measure(actor, data):
    """The author while the item runs, or the group's moderator, removes a measure."""
    data = data if isinstance(data, dict) else {}
    with unit_of_work() as unit:
        lock_session(unit, actor.session_id)
        measure = load_row(SupportMeasure, actor, data.get("id"),
                           _l("This measure no longer exists."),
                           _l("This measure was removed meanwhile; the screen shows the current "
                              "list."))
        may_change(actor, measure, measure.group_id, db.session.get(AgendaItem, measure.item_id))
        measure.deleted_at = utcnow()
        return {"measure": _emit_measure(unit, measure)}


# -- export and import (tacts/base.py, the kind hooks) --------------------------------------
def export_item(item):
    names = dict(db.session.execute(db.select(Initiative.id, Initiative.name).where(
        Initiative.session_id == item.session_id)).all())
    places = db.session.scalars(db.select(StagePlace).where(StagePlace.item_id == item.id)
                                .order_by(StagePlace.group_id, StagePlace.initiative_id)).all()
    measures = db.session.scalars(db.select(SupportMeasure).where(
        SupportMeasure.item_id == item.id, SupportMeasure.deleted_at.is_(None))
        .order_by(SupportMeasure.group_id, SupportMeasure.initiative_id,
                  SupportMeasure.id)).all()
    if not places and not measures:
        return None
    return {
        "places": [{"group_id": p.group_id, "initiative_id": p.initiative_id,
                    "initiative": names.get(p.initiative_id, ""), "stage": p.stage,
                    "note": p.note,
                    "votes": [{"participant_id": v.participant_id, "stage": v.stage}
                              for v in _votes(p.id)]} for p in places],
        "measures": [{"id": m.id, "group_id": m.group_id, "initiative_id": m.initiative_id,
                      "initiative": names.get(m.initiative_id, ""), "kind": m.kind,
                      "phase": m.phase, "text": m.text, "catalog_key": m.catalog_key,
                      "participant_id": m.participant_id, "author": m.author_name,
                      "created_at": iso(m.created_at)} for m in measures],
    }


def import_item(item, data, ids):
    """Recreate the exported placements (with suggestions) and measures on `item`."""
    seen = set()
    for n, p in enumerate(data.get("places") or []):
        place = f"{ids.place}.places[{n}]"
        initiative_id = ids.ref("initiatives", p["initiative_id"], f"{place}.initiative_id")
        if initiative_id in seen:
            raise Invalid(_l("%(place)s: a second placement of the same initiative.",
                             place=place), field=place)
        seen.add(initiative_id)
        row = ids.add(StagePlace(session_id=ids.session.id, item_id=item.id,
                                 group_id=ids.ref("groups", p["group_id"], f"{place}.group_id"),
                                 initiative_id=initiative_id, stage=p.get("stage"),
                                 note=p.get("note") or "", rev=0, created_at=ids.now,
                                 updated_at=ids.now), place)
        ids.flush()
        voters = set()
        for k, v in enumerate(p.get("votes") or []):
            where = f"{place}.votes[{k}].participant_id"
            participant_id = ids.ref("participants", v["participant_id"], where)
            if participant_id in voters:
                raise Invalid(_l("%(place)s: a second suggestion of the same participant.",
                                 place=where), field=where)
            voters.add(participant_id)
            ids.add(StageVote(session_id=ids.session.id, place_id=row.id,
                              participant_id=participant_id, stage=v["stage"],
                              updated_at=ids.now), where)
    own = ids.setdefault("support_measures", {})
    for n, m in enumerate(data.get("measures") or []):
        place = f"{ids.place}.measures[{n}]"
        key = m.get("catalog_key")
        if key is not None and key not in catalog()["measures"]:
            raise Invalid(_l("%(place)s: there is no such measure in the table.",
                             place=f"{place}.catalog_key"), field=f"{place}.catalog_key")
        row = ids.add(SupportMeasure(
            session_id=ids.session.id, item_id=item.id,
            group_id=ids.ref("groups", m["group_id"], f"{place}.group_id"),
            initiative_id=ids.ref("initiatives", m["initiative_id"], f"{place}.initiative_id"),
            kind=m["kind"], phase=m["phase"], text=m["text"], catalog_key=key, rev=0,
            created_at=ids.when(m.get("created_at"), f"{place}.created_at"), updated_at=ids.now,
            **ids.author(m, place)), place)
        ids.flush()
        if is_int(m.get("id")):
            own[m["id"]] = row.id
    ids.flush()



# -- demo content (`flask --app wsgi demo --template support_workshop --filled`) --------------
def demo_fill(item, filler):
    """Fill a stages item from the demo content's `boards.<group>.initiatives[]`: `stage`
    ({stage, votes: the members' suggestions in order, note}) and `measures` (keys of the
    table, or the group's own {kind, phase, text}). `filler`: see services.ikigai.demo_fill.
    Returns whether it filled any."""
    filled = False
    for key, board in filler.content.get("boards", {}).items():
        mod = filler.moderator(key)
        members = filler.members(key)
        for row in board.get("initiatives", []):
            initiative_id = filler.initiatives.get((key, row["name"]))
            if initiative_id is None:
                continue
            base = {"item_id": item.id, "initiative_id": initiative_id}
            stage = row.get("stage") or {}
            filled = filled or bool(stage or row.get("measures"))
            for name, n in zip(members, stage.get("votes", [])):
                vote_stage(filler.participant(name), {**base, "stage": n})
            if stage.get("stage"):
                place_stage(mod, {**base, "stage": stage["stage"],
                                  "note": stage.get("note", "")})
            for n, m in enumerate(row.get("measures", [])):
                actor = filler.participant(members[n % len(members)]) if members else mod
                if isinstance(m, str):
                    add_measure(actor, {**base, "client_id": filler.cid(), "catalog_key": m})
                else:
                    add_measure(actor, {**base, "client_id": filler.cid(),
                                        "measure_kind": m["kind"], "phase": m["phase"],
                                        "text": m["text"]})
    return filled
