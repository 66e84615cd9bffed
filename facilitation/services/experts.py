"""The expert session: criteria, experts' scores (1–5 with a comment, a second score of the same
group and criterion updates the first), and the results table revealed by the chief moderator."""
from flask_babel import lazy_gettext as _l

from ..extensions import db
from ..models import Criterion, Group, Score, Session, utcnow
from ..models.day2 import DEFAULT_CRITERIA
from ..tacts.base import validate
from ..tacts.experts import CriteriaForm, CriterionName
from . import rooms
from .actors import require
from .errors import Invalid, NotFound
from .teams import active_groups
from .unit import unit_of_work

MAX_CRITERIA = 10


def criteria_of(session):
    """The session's criteria, in order."""
    return db.session.scalars(db.select(Criterion).where(Criterion.session_id == session.id)
                              .order_by(Criterion.position, Criterion.id)).all()


def ensure_criteria(session):
    """Give a session the default criteria (in its language) when it has none; the caller's
    transaction commits them (sessions get them when they are created)."""
    rows = criteria_of(session)
    if not rows:
        names = DEFAULT_CRITERIA.get(session.language, DEFAULT_CRITERIA["en"])
        rows = [Criterion(session_id=session.id, position=n, name=name)
                for n, name in enumerate(names)]
        db.session.add_all(rows)
        db.session.flush()
    return rows


def scoring_criteria(session):
    """The criteria an expert scores on; a session made before criteria existed gets the
    defaults here, in their own transaction."""
    with unit_of_work():
        return ensure_criteria(session)


def set_criteria(actor, text):
    """The organizer sets the criteria, one per line; a removed one takes its scores along."""
    require(actor.is_organizer, _l("Only the organizer sets the criteria."))
    names = [line.strip() for line in validate(CriteriaForm, {"names": text})["names"].split("\n")
             if line.strip()]
    if not names or len(names) > MAX_CRITERIA:
        raise Invalid(_l("Give from 1 to 10 criteria, one per line."), field="names")
    for name in names:
        validate(CriterionName, {"name": name})
    with unit_of_work() as unit:
        unit.lock(actor.session_id)
        session = db.session.get(Session, actor.session_id)
        rows = ensure_criteria(session)
        for n, name in enumerate(names):
            if n < len(rows):
                rows[n].name, rows[n].position = name, n
            else:
                db.session.add(Criterion(session_id=session.id, position=n, name=name))
        for row in rows[len(names):]:
            db.session.execute(db.delete(Score).where(Score.criterion_id == row.id))
            db.session.delete(row)
        db.session.flush()
        _emit(unit, session)


def results(session, with_numbers=True):
    """The results table: per group the average per criterion, the experts, the total."""
    if not (with_numbers or session.results_revealed_at):
        return {"revealed": False}
    criteria = criteria_of(session)
    rows = db.session.execute(
        db.select(Score.group_id, Score.criterion_id, db.func.avg(Score.value),
                  db.func.count(Score.id))
        .where(Score.session_id == session.id).group_by(Score.group_id, Score.criterion_id)).all()
    experts = dict(db.session.execute(
        db.select(Score.group_id, db.func.count(db.distinct(Score.expert_user_id)))
        .where(Score.session_id == session.id).group_by(Score.group_id)).all())
    averages = {(g, c): round(float(avg), 2) for g, c, avg, _n in rows}
    groups = []
    working = {g.id for g in active_groups(session)}
    for g in (g for g in session.groups if g.id in working or g.id in experts):
        per = {str(c.id): averages.get((g.id, c.id)) for c in criteria}
        known = [v for v in per.values() if v is not None]
        groups.append({"group_id": g.id, "name": g.name, "experts": experts.get(g.id, 0),
                       "averages": per,
                       "total": round(sum(known) / len(known), 2) if known else None})
    return {"revealed": session.results_revealed_at is not None,
            "criteria": [{"id": c.id, "name": c.name} for c in criteria], "groups": groups}


def _emit(unit, session):
    """Staff always get the numbers; everyone else only once revealed."""
    data = results(session)
    audience = [rooms.moderators_room(session.id)]
    if session.results_revealed_at:
        audience.append(rooms.session_room(session.id))
    unit.bump(session.id, "results.changed", data, audience)
    return data


def save_scores(actor, group_id, values):
    """An expert scores one group: {criterion_id: (value 1–5 or None, comment)}."""
    require(actor.participant is None and "expert" in actor.roles,
            _l("Only the session's experts score the presentations."))
    with unit_of_work() as unit:
        unit.lock(actor.session_id)
        session = db.session.get(Session, actor.session_id)
        group = db.session.get(Group, group_id)
        if group is None or group.session_id != session.id:
            raise NotFound(_l("This group does not exist."))
        if group not in active_groups(session):
            raise Invalid(_l("This group handed its initiatives to the day-two teams: score "
                             "the teams."))
        known = {c.id for c in ensure_criteria(session)}
        for criterion_id, (value, comment) in values.items():
            if criterion_id not in known:
                raise Invalid(_l("Unknown criterion."))
            if value is None:
                continue
            if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 5:
                raise Invalid(_l("A score is a whole number from 1 to 5."))
            score = db.session.scalar(db.select(Score).where(
                Score.expert_user_id == actor.user.id, Score.group_id == group.id,
                Score.criterion_id == criterion_id))
            if score is None:
                score = Score(session_id=session.id, expert_user_id=actor.user.id,
                              group_id=group.id, criterion_id=criterion_id)
                db.session.add(score)
            score.value, score.comment, score.updated_at = value, comment or "", utcnow()
        db.session.flush()
        return _emit(unit, session)


def my_scores(actor):
    """{group_id: {criterion_id: Score}} of the signed-in expert."""
    mine = {}
    for s in db.session.scalars(db.select(Score).where(Score.session_id == actor.session_id,
                                                       Score.expert_user_id == actor.user.id)):
        mine.setdefault(s.group_id, {})[s.criterion_id] = s
    return mine


def reveal(actor, revealed):
    """The chief moderator shows the results to everyone, or hides them again."""
    require(actor.is_chief, _l("Only the chief moderator can do this."))
    with unit_of_work() as unit:
        unit.lock(actor.session_id)
        session = db.session.get(Session, actor.session_id)
        was = session.results_revealed_at is not None
        session.results_revealed_at = utcnow() if revealed else None
        data = _emit(unit, session)
        if was and not revealed:  # tell phones and projectors the table is gone (not staff)
            unit.bump(session.id, "results.changed", {"revealed": False},
                      [rooms.projector_room(session.id)]
                      + [rooms.group_participants_room(g.id) for g in session.groups])
        return data
