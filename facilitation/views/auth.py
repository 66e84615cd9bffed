"""Staff sign-in and sign-out, and accepting an invitation link."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from ..extensions import db, limiter
from ..models import Invitation, User
from ..services import sessions
from ..services.errors import DomainError
from ..services.forms import LoginForm, SignupForm

bp = Blueprint("auth", __name__)


def _safe_next(target):
    return target if target and target.startswith("/") and not target.startswith("//") else None


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def login():
    """Sign in with e-mail and password."""
    form = LoginForm()
    if form.validate_on_submit():
        user = db.session.scalar(db.select(User).where(User.email == form.email.data.lower()))
        if user is not None and user.check_password(form.password.data):
            login_user(user, remember=form.remember.data)
            return redirect(_safe_next(request.args.get("next")) or url_for("organizer.index"))
        flash(_("Wrong e-mail or password."), "error")
    return render_template("auth/login.html", form=form), 400 if request.method == "POST" else 200


@bp.post("/logout")
@login_required
def logout():
    logout_user()
    return redirect(url_for("main.index"))


@bp.route("/invite/<token>", methods=["GET", "POST"])
def invite(token):
    """Open an invitation: sign up (or sign in), then get the invited role."""
    invitation = db.session.scalar(db.select(Invitation).where(Invitation.token == token))
    if invitation is None:
        return render_template("auth/invite_invalid.html"), 404
    if current_user.is_authenticated:
        try:
            sessions.accept_invitation(current_user, token)
        except DomainError as exc:
            flash(str(exc.message), "error")
            return redirect(url_for("organizer.index"))
        return redirect(_role_home(invitation))
    form = SignupForm()
    if form.validate_on_submit():
        try:
            user = sessions.register_user(form.email.data, form.display_name.data,
                                          form.password.data)
        except DomainError as exc:
            form.email.errors.append(str(exc.message))
        else:
            login_user(user)
            sessions.accept_invitation(user, token)
            return redirect(_role_home(invitation))
    return render_template("auth/invite.html", form=form, invitation=invitation)


def _role_home(invitation):
    if invitation.role == "moderator" and invitation.group_id:
        return url_for("moderator.group_board", session_id=invitation.session_id,
                       group_id=invitation.group_id)
    if invitation.role in ("chief_moderator",):
        return url_for("moderator.console", session_id=invitation.session_id)
    if invitation.role == "expert":
        return url_for("expert.score", session_id=invitation.session_id)
    return url_for("organizer.index")
