"""Sign up, log in, log out, change password."""
from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from ..core.actions import ServiceError, perform
from ..core.i18n import lang
from ..core.params import safe_next
from ..events.models import Conference
from ..extensions import db, limiter, login_manager
from ..mail.services import absolute_url, queue_mail
from . import bp
from .access import conference_view, login_required_view, signup_rate_limit
from .forms import (
    ChangePasswordForm,
    ConfirmAddressForm,
    ConfirmForm,
    ForgotPasswordForm,
    LoginForm,
    ResetPasswordForm,
    SignupForm,
    TeamInvitationForm,
)
from .invitations import (
    accept_invitation,
    cancel_invitation,
    invitation_for_token,
    invite_team_member,
    mask_email,
    open_invitations,
)
from .models import Role
from .services import (
    authenticate,
    change_password,
    end_sessions,
    find_user,
    password_reset_token,
    remove_team_member,
    sign_up,
    team_of,
    user_for_reset_token,
)
from .services import reset_password as reset_password_with_link
from .verification import confirm_address, read_confirmation_token, send_confirmation_again


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
            return redirect(safe_next(request.args.get("next"), url_for("events.index")))
        flash(_("The e-mail or password is not correct."), "error")
    return render_template("accounts/login.html", form=form)


@bp.route("/signup", methods=["GET", "POST"])
@signup_rate_limit
def signup():
    """Create an account."""
    form = SignupForm()
    if request.method == "GET" and request.args.get("email"):
        form.email.data = request.args["email"][:254]  # from an invitation: the address it was sent to
    if form.validate_on_submit():
        # A new address and a taken one get the same page, and nobody is logged in: the confirmation link
        # (or, for a taken address, the mail to its owner) leads on from there. The same address signed up a
        # moment ago (a collision) is answered as any taken address: silently.
        outcome = perform(lambda: sign_up(form.email.data, form.password.data, form.display_name.data, locale=lang(),
                                          next_path=safe_next(request.args.get("next"), "")),
                          conflict="", field=form.password)
        if not isinstance(outcome.error, ServiceError):  # signed up, or the collision: the same page
            return render_template("accounts/signup_sent.html", email=form.email.data)
    return render_template("accounts/signup.html", form=form)


@bp.route("/account/confirm/<token>", methods=["GET", "POST"], endpoint="confirm_address")
@limiter.limit(_login_limit, methods=["POST"])
def confirm_address_page(token: str):
    """Confirm one's e-mail address from the link in the welcome mail (with the password when logged out)."""
    found = read_confirmation_token(token)
    if found is None:
        return render_template("accounts/confirm_address.html", state="invalid")
    user, next_path = found
    target = safe_next(next_path, url_for("events.index"))
    if user.address_confirmed:
        return render_template("accounts/confirm_address.html", state="done", user=user, target=target)
    signed_in = current_user.is_authenticated and current_user.id == user.id
    if current_user.is_authenticated and not signed_in:
        return render_template("accounts/confirm_address.html", state="other", user=user)
    form = ConfirmAddressForm()
    if form.validate_on_submit():
        # Logged out, the password is asked too: a link alone must not confirm an account that someone else
        # made with this address (its owner would then be proving the address for the stranger's account).
        if not signed_in and authenticate(user.email, form.password.data) is None:
            form.password.errors.append(_("The password is not correct."))
        elif perform(lambda: confirm_address(user), _("Thank you: your e-mail address is confirmed.")).ok:
            if not signed_in:
                login_user(user)
            return redirect(target)
    return render_template("accounts/confirm_address.html", state="confirm", user=user, form=form,
                           signed_in=signed_in)


def _account_key() -> str:
    # Per account, not per address: many delegates share one address on a venue's network.
    return f"account:{current_user.id}" if current_user.is_authenticated else request.remote_addr or ""


@bp.post("/account/confirm")
@limiter.limit("5 per hour", key_func=_account_key, methods=["POST"])
@login_required_view
def send_confirmation():
    """Mail the confirmation link again to the logged-in user."""
    if ConfirmForm().validate_on_submit():
        sent = perform(lambda: send_confirmation_again(current_user._get_current_object()),
                       lambda message: message and _("We have sent the link again to %(email)s. It works for three "
                                                     "days.", email=current_user.email))
        if sent.ok and sent.value is None:
            flash(_("Your e-mail address is confirmed already."), "info")
    return redirect(safe_next(request.args.get("next"), url_for("events.index")))


@bp.route("/logout", methods=["GET", "POST"])
def logout():
    """Ask to confirm on GET; log out on POST."""
    form = ConfirmForm()
    if request.method == "POST" and form.validate_on_submit():
        if current_user.is_authenticated:
            perform(lambda: end_sessions(current_user._get_current_object()))
        logout_user()
        flash(_("You have logged out on every device."), "success")
        return redirect(url_for("events.index"))
    return render_template("accounts/logout.html", form=form)


def _mail_reset_link(user) -> None:
    """Queue the mail with a link to choose a new password."""
    link = absolute_url("accounts.reset_password", token=password_reset_token(user))
    queue_mail(user.email, "password_reset", user.locale, user=user, reset_url=link)


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def forgot_password():
    """Send a link to choose a new password (the answer is the same whether the account exists or not)."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        user = find_user(form.email.data)
        if user is not None:
            perform(lambda: _mail_reset_link(user))
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
    if form.validate_on_submit() and perform(lambda: reset_password_with_link(user, form.new.data),
                                             _("Your password has been changed."), field=form.new).ok:
        login_user(user)
        return redirect(url_for("events.index"))
    return render_template("accounts/password.html", form=form, title=_("Choose a new password"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required_view
def password():
    """Change one's own password."""
    form = ChangePasswordForm()
    if form.validate_on_submit() and perform(lambda: change_password(current_user, form.current.data, form.new.data),
                                             _("Your password has been changed."), field=form.current).ok:
        login_user(current_user._get_current_object())  # this session stays; all others are logged out
        return redirect(url_for("events.index"))
    return render_template("accounts/password.html", form=form, title=_("Change password"))


@bp.route("/<slug>/manage/team", methods=["GET", "POST"])
@conference_view(Role.ORGANIZER)
def team(conference: Conference):
    """Who organizes, reviews and staffs the door; organizers invite people and remove roles."""
    form = TeamInvitationForm()
    if not form.is_submitted():
        form.language.data = lang()
    if form.validate_on_submit() and perform(
            lambda: invite_team_member(conference, form.email.data, Role(form.role.data),
                                       current_user._get_current_object(), locale=form.language.data),
            _("We have sent %(email)s an invitation to be %(role)s. The role takes effect when they accept it.",
              email=form.email.data, role=Role(form.role.data).title), field=form.email).ok:
        return redirect(url_for("accounts.team", slug=conference.slug))
    return render_template("accounts/team.html", conference=conference, form=form, team=team_of(conference.id),
                           invitations=open_invitations(conference.id), confirm=ConfirmForm())


@bp.post("/<slug>/manage/team/invitations/<int:invitation_id>/cancel")
@conference_view(Role.ORGANIZER)
def cancel_team_invitation(conference: Conference, invitation_id: int):
    """Withdraw an invitation that has not been accepted."""
    if ConfirmForm().validate_on_submit():
        perform(lambda: cancel_invitation(conference.id, invitation_id),
                _("The invitation has been withdrawn: its link no longer works."))
    return redirect(url_for("accounts.team", slug=conference.slug))


@bp.route("/invitations/<token>", methods=["GET", "POST"])
def invitation(token: str):
    """An invitation to a conference's team: who it is for, and the button that accepts it."""
    found = invitation_for_token(token)
    if found is None:
        return render_template("accounts/invitation.html", invitation=None)
    conference = db.session.get(Conference, found.conference_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if perform(lambda: accept_invitation(found, current_user._get_current_object()),
                   _("Welcome to the team: you are now %(role)s of %(conference)s.", role=found.role.title,
                     conference=conference.name_ar if lang() == "ar" and conference.name_ar else conference.name_en)
                   ).ok:
            return redirect(url_for("events.home", slug=conference.slug))
    # Whoever holds the link sees the address masked; only its owner, logged in, sees it whole.
    owner = current_user.is_authenticated and current_user.email == found.email
    return render_template("accounts/invitation.html", invitation=found, conference=conference, form=form,
                           owner=owner, address=found.email if owner else mask_email(found.email))


@bp.post("/<slug>/manage/team/<int:membership_id>/remove")
@conference_view(Role.ORGANIZER)
def remove_member(conference: Conference, membership_id: int):
    """Take a role away from someone."""
    if ConfirmForm().validate_on_submit():
        perform(lambda: remove_team_member(conference.id, membership_id), _("The role has been removed."))
    return redirect(url_for("accounts.team", slug=conference.slug))
