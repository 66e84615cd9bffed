"""Day-two teams (regrouping): teams formed around initiatives chosen from the groups' List B.

A team is a Group with stage 2. An initiative moved to a team keeps `group_id`, the day-one group
that made it (its ideas, selections and stakes stay there, visible as they were); its
`team_group_id` names the team, and what hangs off the initiative (stakeholders, flows, requests,
objectives, the deck) is worked on by the team from then on: `Initiative.work_group_id`.
"""
from flask_babel import lazy_gettext as _l

from ..extensions import db
from ..models import Group, Initiative, Objective, Participant, Request, Session, Stake, utcnow
from ..models.board import DEFAULT_TOP_N
from . import rooms, serialize
from .actors import require
from .errors import Closed, Conflict, Invalid, NotFound
from .forms import TeamForm, check
from .rows import is_int
from .initiatives import emit_initiative, get_board, lock_session, rank
from .unit import unit_of_work


def has_teams(session_id):
    """Whether day-two teams have been formed in the session."""
    return db.session.scalar(db.select(db.func.count(Group.id)).where(
        Group.session_id == session_id, Group.stage == 2)) > 0


def active_groups(session):
    """The groups that work now: the day-two teams once formed, else the subject groups."""
    teams = [g for g in session.groups if g.stage == 2]
    return teams or [g for g in session.groups if g.stage != 2]


def work_group_filter(group_ids):
    """SQL condition: initiatives worked on by one of these groups (team, else maker)."""
    return db.func.coalesce(Initiative.team_group_id, Initiative.group_id).in_(list(group_ids))


def work_initiatives(group_id):
    """The live initiatives a group works on now, in their order."""
    return db.session.scalars(db.select(Initiative).where(
        work_group_filter([group_id]), Initiative.deleted_at.is_(None))
        .order_by(Initiative.group_id, Initiative.position, Initiative.id)).all()


def teams_summary(session):
    """What every client keeps of the teams: names, initiatives (with the group that made
    each) and whether phones may choose. Counts come from the members clients keep."""
    teams = [g for g in session.groups if g.stage == 2]
    names = {g.id: g.name for g in session.groups}
    by_team = {}
    if teams:
        for i in db.session.scalars(db.select(Initiative).where(
                Initiative.team_group_id.in_([t.id for t in teams]),
                Initiative.deleted_at.is_(None)).order_by(Initiative.group_id, Initiative.position,
                                                          Initiative.id)):
            by_team.setdefault(i.team_group_id, []).append(
                {"id": i.id, "name": i.name, "group_id": i.group_id,
                 "group_name": names.get(i.group_id, "")})
    return {"open": session.teams_opened_at is not None,
            "teams": [{"id": t.id, "name": t.name, "position": t.position,
                       "initiatives": by_team.get(t.id, [])} for t in teams]}


def emit_summary(unit, session_id):
    """The teams' summary to every client of the session (names, initiatives, open)."""
    db.session.flush()
    session = db.session.get(Session, session_id)
    db.session.expire(session, ["groups"])
    unit.bump(session_id, "teams.changed", teams_summary(session),
              [rooms.session_room(session_id)])


# -- forming teams (the organizer or the chief moderator) ----------------------------------
def _require_chief(actor):
    require(actor.participant is None and actor.is_chief,
            _l("Only the chief moderator or an organizer forms the teams."))


def _load_team(actor, team_id):
    team = db.session.get(Group, team_id) if is_int(team_id) else None
    if team is None or team.session_id != actor.session_id or team.stage != 2:
        raise NotFound(_l("This team does not exist."), field="team_id")
    return team


def _initiatives_for(actor, ids, team=None):
    """Live initiatives of the session, each either free or already on `team`."""
    ids = [int(i) for i in ids if is_int(i) or (isinstance(i, str) and i.isdigit())]
    if not ids:
        raise Invalid(_l("Choose at least one initiative for the team."), field="initiative_ids")
    rows = db.session.scalars(db.select(Initiative).where(Initiative.id.in_(ids))).all()
    if len(rows) != len(set(ids)) or any(
            r.session_id != actor.session_id or r.deleted_at is not None for r in rows):
        raise Invalid(_l("One of these initiatives no longer exists: reload the page."),
                      field="initiative_ids")
    for r in rows:
        if r.team_group_id and (team is None or r.team_group_id != team.id):
            taken = db.session.get(Group, r.team_group_id)
            raise Invalid(_l("«%(initiative)s» is already in the team «%(team)s».",
                             initiative=r.name, team=taken.name), field="initiative_ids")
    return sorted(rows, key=lambda r: ids.index(r.id))


def _emit_team(unit, team):
    unit.bump(team.session_id, "group.changed", serialize.group(team),
              [rooms.session_room(team.session_id)])


def _name(data, default):
    name = data.get("name") if isinstance(data.get("name"), str) else ""
    return check(TeamForm, {"name": name.strip() or default}).name.data


def create_team(actor, data):
    """Form a day-two team around initiatives chosen from the groups' List B.

    Raises NotAllowed for anyone but the chief moderator or an organizer, Invalid for a bad
    name or an initiative that is gone or already in another team.
    """
    _require_chief(actor)
    data = data if isinstance(data, dict) else {}
    with unit_of_work() as unit:
        lock_session(unit, actor.session_id)
        chosen = _initiatives_for(actor, data.get("initiative_ids") or [])
        name = _name(data, chosen[0].name[:80])
        top = db.session.scalar(db.select(db.func.max(Group.position)).where(
            Group.session_id == actor.session_id)) or 0
        team = Group(session_id=actor.session_id, name=name, stage=2, position=top + 1,
                     subject_frame="")
        db.session.add(team)
        db.session.flush()
        _emit_team(unit, team)
        for initiative in chosen:
            initiative.team_group_id = team.id
            emit_initiative(unit, initiative)
        emit_summary(unit, actor.session_id)
    return team


def update_team(actor, data):
    """Rename a team and set its initiatives; an initiative taken off goes back to its group."""
    _require_chief(actor)
    data = data if isinstance(data, dict) else {}
    with unit_of_work() as unit:
        lock_session(unit, actor.session_id)
        team = _load_team(actor, data.get("team_id"))
        chosen = _initiatives_for(actor, data.get("initiative_ids") or [], team)
        team.name = _name(data, team.name)
        _emit_team(unit, team)
        keep = {i.id for i in chosen}
        for initiative in work_initiatives(team.id):
            if initiative.id not in keep and initiative.team_group_id == team.id:
                _require_unused(initiative, team)
                initiative.team_group_id = None
                emit_initiative(unit, initiative)
        for initiative in chosen:
            if initiative.team_group_id != team.id:
                initiative.team_group_id = team.id
                emit_initiative(unit, initiative)
        emit_summary(unit, actor.session_id)
    return team


def _require_unused(initiative, team):
    """An initiative the team already wrote requests or objectives for stays with it."""
    used = db.session.scalar(db.select(db.func.count(Request.id)).where(
        Request.initiative_id == initiative.id, Request.deleted_at.is_(None))) or \
        db.session.scalar(db.select(db.func.count(Objective.id)).where(
            Objective.initiative_id == initiative.id, Objective.group_id == team.id,
            Objective.deleted_at.is_(None)))
    if used:
        raise Conflict(_l("The team «%(team)s» has already worked on «%(initiative)s»: it stays "
                          "with the team.", team=team.name, initiative=initiative.name))


def delete_team(actor, team_id):
    """Dissolve a team nobody has joined yet; its initiatives go back to their groups."""
    _require_chief(actor)
    with unit_of_work() as unit:
        lock_session(unit, actor.session_id)
        team = _load_team(actor, team_id)
        members = db.session.scalar(db.select(db.func.count(Participant.id)).where(
            Participant.group_id == team.id, Participant.removed_at.is_(None)))
        if members:
            raise Conflict(_l("%(count)s participants are already in this team: move them "
                              "first.", count=members))
        for initiative in work_initiatives(team.id):
            _require_unused(initiative, team)
            initiative.team_group_id = None
            emit_initiative(unit, initiative)
        data = serialize.group(team)
        db.session.delete(team)
        unit.bump(actor.session_id, "group.deleted", data, [rooms.session_room(actor.session_id)])
        emit_summary(unit, actor.session_id)


def open_teams(actor, opened):
    """Open (or close) the choice of teams on the participants' phones."""
    _require_chief(actor)
    with unit_of_work() as unit:
        lock_session(unit, actor.session_id)
        session = db.session.get(Session, actor.session_id)
        if opened and not has_teams(session.id):
            raise Conflict(_l("Form at least one team first."))
        session.teams_opened_at = (session.teams_opened_at or utcnow()) if opened else None
        unit.bump(session.id, "session.changed", {"teams_open": bool(opened)},
                  [rooms.session_room(session.id)])
        emit_summary(unit, session.id)
    return session


def _move(unit, participant, team):
    left = participant.group_id
    participant.group_id = team.id
    unit.bump(participant.session_id, "participant.moved", serialize.participant(participant),
              [rooms.moderators_room(participant.session_id), rooms.group_room(team.id),
               *([rooms.group_room(left)] if left else []),
               rooms.participant_room(participant.id), rooms.projector_room(participant.session_id)])


def choose_team(actor, team_id):
    """A participant joins a day-two team from their phone; the phone follows them there.

    Open while the teams are open and the participant is still in a subject group, or while
    the regrouping item runs (to change their mind). Raises Closed otherwise.
    """
    require(actor.participant is not None, _l("Only participants choose a team."))
    with unit_of_work() as unit:
        lock_session(unit, actor.session_id)
        session = db.session.get(Session, actor.session_id)
        team = _load_team(actor, team_id)
        participant = db.session.get(Participant, actor.participant.id)
        if session.teams_opened_at is None:
            raise Closed(_l("The teams are not open yet: the moderators are forming them."))
        current = db.session.get(Group, participant.group_id) if participant.group_id else None
        in_team = current is not None and current.stage == 2
        item = session.current_item
        if in_team and not (item is not None and item.kind == "regrouping"):
            raise Closed(_l("The teams are set: ask your moderator to move you."))
        if participant.group_id != team.id:
            _move(unit, participant, team)
    return participant


def assign_rest(actor):
    """Put everyone still in a subject group into a team: where their stakes lie, balanced.

    Each team takes at most its fair share (everyone in teams / number of teams, rounded up);
    a participant goes to the team whose initiatives carry most of their chips among those
    with room, else to the smallest. Returns how many were moved.
    """
    _require_chief(actor)
    with unit_of_work() as unit:
        lock_session(unit, actor.session_id)
        session = db.session.get(Session, actor.session_id)
        teams = [g for g in session.groups if g.stage == 2]
        if not teams:
            raise Conflict(_l("Form at least one team first."))
        team_ids = {t.id for t in teams}
        people = db.session.scalars(db.select(Participant).where(
            Participant.session_id == session.id, Participant.removed_at.is_(None))
            .order_by(Participant.joined_at, Participant.id)).all()
        size = {t.id: 0 for t in teams}
        waiting = []
        for p in people:
            if p.group_id in team_ids:
                size[p.group_id] += 1
            else:
                waiting.append(p)
        share = -(-(sum(size.values()) + len(waiting)) // len(teams))
        chips = {}
        for pid, team_id, total in db.session.execute(
                db.select(Stake.participant_id, Initiative.team_group_id, db.func.sum(Stake.count))
                .join(Initiative, Initiative.id == Stake.initiative_id)
                .where(Stake.session_id == session.id, Initiative.team_group_id.in_(team_ids),
                       Initiative.deleted_at.is_(None))
                .group_by(Stake.participant_id, Initiative.team_group_id)):
            chips[(pid, team_id)] = int(total or 0)
        order = {t.id: t.position for t in teams}
        for p in waiting:
            room = [t for t in size if size[t] < share] or list(size)
            best = max(room, key=lambda t: (chips.get((p.id, t), 0), -size[t], -order[t]))
            size[best] += 1
            _move(unit, p, db.session.get(Group, best))
    return len(waiting)


def teams_overview(session):
    """The teams page: each subject group's List B with where each initiative went, the teams
    with their initiatives and members, and who has not chosen yet."""
    groups = [g for g in session.groups if g.stage != 2]
    teams = [g for g in session.groups if g.stage == 2]
    names = {g.id: g.name for g in session.groups}
    clustering = [i for i in session.items if i.kind == "clustering"]
    item = clustering[-1] if clustering else None
    live = db.session.scalars(db.select(Initiative).where(
        Initiative.session_id == session.id, Initiative.deleted_at.is_(None))
        .order_by(Initiative.position, Initiative.id)).all()
    totals = dict(db.session.execute(
        db.select(Stake.initiative_id, db.func.sum(Stake.count))
        .where(Stake.session_id == session.id).group_by(Stake.initiative_id)).all())
    members = {}
    for p in db.session.scalars(db.select(Participant).where(
            Participant.session_id == session.id, Participant.removed_at.is_(None))
            .order_by(Participant.display_name)):
        members.setdefault(p.group_id, []).append(p)
    lists = []
    for g in groups:
        mine = [i for i in live if i.group_id == g.id and (item is None or i.item_id == item.id)]
        by_id = {i.id: i for i in mine}
        top_n = _top_n(item, g.id)
        lists.append({"group": g, "rows": [
            {"initiative": by_id[r["initiative_id"]], "total": r["total"], "rank": r["rank"],
             "top": r["rank"] <= top_n, "team": names.get(by_id[r["initiative_id"]].team_group_id)}
            for r in rank(mine, {i.id: int(totals.get(i.id) or 0) for i in mine})]})
    return {"lists": lists, "groups": groups, "opened": session.teams_opened_at is not None,
            "teams": [{"team": t, "initiatives": [i for i in live if i.team_group_id == t.id],
                       "members": members.get(t.id, [])} for t in teams],
            "waiting": [p for g in groups for p in members.get(g.id, [])]
            + members.get(None, []), "origin": names}


def _top_n(item, group_id):
    if item is None:
        return DEFAULT_TOP_N
    board = get_board(item.id, group_id)
    return board.top_n if board is not None else DEFAULT_TOP_N
