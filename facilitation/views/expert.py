"""The experts' page: score each group's presentation on the session's criteria (phone or
laptop, a plain form: it needs no live connection)."""
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import login_required

from ..extensions import db
from ..models import Group
from ..services import experts
from ..services.errors import DomainError
from ..services.teams import active_groups
from ..tacts.experts import score_form
from .helpers import staff_actor

bp = Blueprint("expert", __name__, url_prefix="/expert")


def _expert(session_id):
    session, actor = staff_actor(session_id, need=None)
    if "expert" not in actor.roles:
        abort(403)
    return session, actor


def _forms(session, actor, criteria, posted=None):
    mine = experts.my_scores(actor)
    form_class = score_form(criteria)
    forms = {}
    for group in active_groups(session):
        if posted is not None and posted[0] == group.id:
            forms[group.id] = posted[1]
            continue
        scores = mine.get(group.id, {})
        data = {}
        for c in criteria:
            if c.id in scores:
                data[f"c{c.id}"] = str(scores[c.id].value)
                data[f"comment{c.id}"] = scores[c.id].comment
        forms[group.id] = form_class(formdata=None, data=data, prefix=f"g{group.id}")
    return forms, mine


@bp.get("/<int:session_id>")
@login_required
def score(session_id):
    """Every group with a 1–5 choice and a comment per criterion, as this expert scored them."""
    session, actor = _expert(session_id)
    criteria = experts.scoring_criteria(session)
    forms, mine = _forms(session, actor, criteria)
    return render_template("expert/score.html", session=session, criteria=criteria,
                           forms=forms, mine=mine, groups=active_groups(session))


@bp.post("/<int:session_id>/group/<int:group_id>")
@login_required
def save(session_id, group_id):
    """Save one group's scores; scoring again updates them."""
    session, actor = _expert(session_id)
    group = db.session.get(Group, group_id)
    if group is None or group.session_id != session.id:
        abort(404)
    criteria = experts.scoring_criteria(session)
    form = score_form(criteria)(prefix=f"g{group.id}")
    if form.validate():
        values = {c.id: (int(form[f"c{c.id}"].data) if form[f"c{c.id}"].data else None,
                         form[f"comment{c.id}"].data or "") for c in criteria}
        if any(v for v, _comment in values.values()):
            try:
                experts.save_scores(actor, group.id, values)
            except DomainError as exc:
                flash(str(exc.message), "error")
            else:
                flash(_("Scores for «%(name)s» are saved.", name=group.name), "ok")
                return redirect(url_for(".score", session_id=session.id) + f"#group-{group.id}")
        else:
            form.form_errors.append(_("Choose a score from 1 to 5 for at least one criterion."))
    forms, mine = _forms(session, actor, criteria, posted=(group.id, form))
    return render_template("expert/score.html", session=session, criteria=criteria,
                           forms=forms, mine=mine, groups=active_groups(session)), 400
