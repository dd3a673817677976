"""Sign up, log in, log out, change password."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from sqlalchemy.exc import IntegrityError

from ..core.i18n import lang
from ..extensions import db, limiter
from ..mail.services import absolute_url, queue_mail
from ..events.models import Conference
from . import bp
from .access import conference_view, login_required_view, signup_rate_limit
from .forms import (ChangePasswordForm, ConfirmForm, ForgotPasswordForm, LoginForm, ResetPasswordForm, SignupForm,
                    TeamMemberForm)
from .models import Role
from .services import (AccountError, add_team_member, authenticate, change_password, create_user, end_sessions,
                       find_user, password_reset_token, remove_team_member, set_password, team_of,
                       user_for_reset_token)


def safe_next(default: str = "events.index") -> str:
    """The ?next= target if it stays on this site, else a default page."""
    target = request.args.get("next", "")
    parts = urlsplit(target)
    # Browsers drop tabs and newlines, so "/\t/evil" would become "//evil": refuse any such character.
    if (target.startswith("/") and not target.startswith("//") and not parts.scheme and not parts.netloc
            and not any(ch.isspace() or ord(ch) < 32 or ch == "\\" for ch in target)):
        return target
    return url_for(default)


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    """Log in with e-mail and password."""
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        if user:
            login_user(user, remember=form.remember.data)
            flash(_("Welcome back, %(name)s.", name=user.display_name or user.email), "success")
            return redirect(safe_next())
        flash(_("The e-mail or password is not correct."), "error")
    return render_template("accounts/login.html", form=form)


@bp.route("/signup", methods=["GET", "POST"])
@signup_rate_limit
def signup():
    """Create an account."""
    form = SignupForm()
    if form.validate_on_submit():
        try:
            user = create_user(form.email.data, form.password.data, form.display_name.data, locale=lang())
            queue_mail(user.email, "welcome", user.locale, user=user, login_url=absolute_url("accounts.login"))
            db.session.commit()
        except (AccountError, IntegrityError) as error:  # IntegrityError: the same e-mail signed up a moment ago
            db.session.rollback()
            form.email.errors.append(str(error) if isinstance(error, AccountError) else
                                     _("An account with this e-mail address already exists. Please log in."))
        else:
            login_user(user)
            flash(_("Your account is ready."), "success")
            return redirect(safe_next())
    return render_template("accounts/signup.html", form=form)


@bp.route("/logout", methods=["GET", "POST"])
def logout():
    """Ask to confirm on GET; log out on POST."""
    form = ConfirmForm()
    if request.method == "POST" and form.validate_on_submit():
        if current_user.is_authenticated:
            end_sessions(current_user._get_current_object())
            db.session.commit()
        logout_user()
        flash(_("You have logged out on every device."), "success")
        return redirect(url_for("events.index"))
    return render_template("accounts/logout.html", form=form)


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def forgot_password():
    """Send a link to choose a new password (the answer is the same whether the account exists or not)."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        user = find_user(form.email.data)
        if user is not None:
            link = absolute_url("accounts.reset_password", token=password_reset_token(user))
            queue_mail(user.email, "password_reset", user.locale, user=user, reset_url=link)
            db.session.commit()
        flash(_("If an account uses this address, we have sent it a link to choose a new password. "
                "The link works for two hours."), "info")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/forgot.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    """Choose a new password from the link in the e-mail."""
    user = user_for_reset_token(token)
    if user is None:
        return render_template("accounts/reset_invalid.html")
    form = ResetPasswordForm()
    if form.validate_on_submit():
        set_password(user, form.new.data)
        db.session.commit()
        login_user(user)
        flash(_("Your password has been changed."), "success")
        return redirect(url_for("events.index"))
    return render_template("accounts/password.html", form=form, title=_("Choose a new password"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required_view
def password():
    """Change one's own password."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            change_password(current_user, form.current.data, form.new.data)
        except AccountError as error:
            form.current.errors.append(str(error))
        else:
            db.session.commit()
            login_user(current_user._get_current_object())  # this session stays; all others are logged out
            flash(_("Your password has been changed."), "success")
            return redirect(url_for("events.index"))
    return render_template("accounts/password.html", form=form, title=_("Change password"))


@bp.route("/<slug>/manage/team", methods=["GET", "POST"])
@conference_view(Role.ORGANIZER)
def team(conference: Conference):
    """Who organizes, reviews and staffs the door; organizers add and remove people."""
    form = TeamMemberForm()
    if form.validate_on_submit():
        try:
            add_team_member(conference.id, form.email.data, Role(form.role.data))
        except AccountError as error:
            db.session.rollback()
            form.email.errors.append(str(error))
        else:
            db.session.commit()
            flash(_("%(email)s is now %(role)s.", email=form.email.data, role=Role(form.role.data).title), "success")
            return redirect(url_for("accounts.team", slug=conference.slug))
    return render_template("accounts/team.html", conference=conference, form=form, team=team_of(conference.id),
                           confirm=ConfirmForm())


@bp.post("/<slug>/manage/team/<int:membership_id>/remove")
@conference_view(Role.ORGANIZER)
def remove_member(conference: Conference, membership_id: int):
    """Take a role away from someone."""
    if ConfirmForm().validate_on_submit():
        try:
            remove_team_member(conference.id, membership_id)
        except AccountError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("The role has been removed."), "success")
    return redirect(url_for("accounts.team", slug=conference.slug))
