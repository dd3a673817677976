"""Public registration pages and the delegate's own page."""
from __future__ import annotations

from flask import abort, flash, jsonify, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts.access import conference_view, login_required_view, signup_rate_limit
from ..accounts.forms import ConfirmForm
from ..core.actions import ServiceError, perform
from ..core.i18n import lang
from ..core.params import page_number
from ..events.models import Conference
from ..extensions import db
from ..questions.answers import answered, answers_for, form_values, read_answers
from ..questions.models import QuestionTarget
from . import bp
from .forms import DetailsForm, RegistrationForm
from .letters import visa_letter_pdf
from .models import Category, Delegate, DelegateStatus
from .personal_data import personal_data
from .services import (
    delegation_choices,
    public_participants,
    register_delegate,
    register_visitor,
    registration_of,
    registration_questions,
    update_details,
)
from .workflow import change_status, waitlist_position


def _own_registration(conference: Conference) -> Delegate:
    delegate = registration_of(current_user, conference)
    if delegate is None:
        abort(404)
    return delegate


@bp.route("/<slug>/register", methods=["GET", "POST"])
@signup_rate_limit
@conference_view()
def register(conference: Conference):
    """Register for the conference (and create an account when not logged in)."""
    if not conference.registration_open():
        return render_template("registration/closed.html", conference=conference)
    if current_user.is_authenticated and registration_of(current_user, conference):
        flash(_("You are already registered for this conference."), "info")
        return redirect(url_for("registration.me", slug=conference.slug))
    form = RegistrationForm(delegations=delegation_choices(conference), conference=conference,
                            needs_account=not current_user.is_authenticated)
    asked = registration_questions(conference, Category.DELEGATE)
    answers, question_errors = read_answers(asked, request.form, conference.tz)
    page = {"form": form, "conference": conference, "asked": asked, "question_errors": question_errors,
            "answers": request.form.to_dict(flat=False)}
    valid = form.validate_on_submit()
    if not valid or question_errors:
        if not valid and request.method == "GET":
            page["question_errors"] = {}
        return render_template("registration/register.html", **page)
    details = {**form.details(), "answers": answers}
    if not current_user.is_authenticated:
        # Whether or not the address has an account, the visitor sees the same page (and is not logged in): the
        # new account's password or the mail to the address's owner leads on from there. The same address
        # registered or signed up a moment ago (a collision) gets that page too, and no word.
        outcome = perform(lambda: register_visitor(conference, form.email.data, form.password.data, details,
                                                   locale=lang()), conflict="")
        if not isinstance(outcome.error, ServiceError):
            return render_template("accounts/registration_sent.html", conference=conference)
    elif perform(lambda: register_delegate(conference, current_user._get_current_object(), details,
                                           locale=lang()),
                 _("Thank you: your registration has been received."),
                 conflict=_("This e-mail address is already registered for this conference.")).ok:
        return redirect(url_for("registration.me", slug=conference.slug))
    return render_template("registration/register.html", **page)


@bp.get("/<slug>/me")
@conference_view()
@login_required_view
def me(conference: Conference):
    """The delegate's own registration: status, place on the waiting list, details, badge."""
    delegate = registration_of(current_user, conference)
    return render_template("registration/me.html", conference=conference, delegate=delegate,
                           position=waitlist_position(delegate) if delegate else None, form=ConfirmForm(),
                           answered=answered(conference, QuestionTarget.REGISTRATION, delegate_id=delegate.id)
                           if delegate else [])


@bp.get("/<slug>/me/data")
@conference_view()
@login_required_view
def my_data(conference: Conference):
    """Everything the conference holds about the visitor, as JSON (their right under Qatar's Law No. 13 of 2016
    and the GDPR)."""
    response = jsonify(personal_data(conference, current_user))
    response.headers["Content-Disposition"] = f'attachment; filename="{conference.slug}-my-data.json"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/<slug>/me/edit", methods=["GET", "POST"])
@conference_view()
@login_required_view
def edit(conference: Conference):
    """Edit one's own details while the registration is pending or waiting."""
    delegate = _own_registration(conference)
    if not delegate.editable_by_delegate:
        flash(_("Your registration can no longer be edited. Please contact the organizers."), "info")
        return redirect(url_for("registration.me", slug=conference.slug))
    form = DetailsForm(obj=delegate, delegations=delegation_choices(conference), conference=conference)
    # The answers can be changed while registration is open; after, the organizers' questions are no longer asked.
    asked = registration_questions(conference, delegate.category) if conference.registration_open() else []
    answers, question_errors = read_answers(asked, request.form, conference.tz)
    valid = form.validate_on_submit()
    details = {**form.details(), "answers": answers} if asked else form.details()
    if valid and not question_errors and perform(
            lambda: update_details(delegate, details, current_user, by_organizer=False),
            _("Your details have been saved.")).ok:
        return redirect(url_for("registration.me", slug=conference.slug))
    shown = (request.form.to_dict(flat=False) if request.method == "POST"
             else form_values(asked, answers_for(delegate_ids=[delegate.id])[delegate.id], conference.tz))
    return render_template("registration/edit.html", form=form, conference=conference, delegate=delegate,
                           asked=asked, answers=shown, question_errors=question_errors if request.method == "POST"
                           else {})


@bp.route("/<slug>/me/cancel", methods=["GET", "POST"])
@conference_view()
@login_required_view
def cancel(conference: Conference):
    """Ask to confirm, then cancel one's own registration."""
    delegate = _own_registration(conference)
    form = ConfirmForm()
    if form.validate_on_submit():
        perform(lambda: change_status(delegate, "cancel", current_user), _("Your registration has been cancelled."))
        return redirect(url_for("registration.me", slug=conference.slug))
    return render_template("registration/cancel.html", form=form, conference=conference, delegate=delegate)


@bp.get("/<slug>/me/visa-letter.pdf")
@conference_view()
@login_required_view
def visa_letter(conference: Conference):
    """Download one's own visa invitation letter once an organizer has issued it."""
    delegate = _own_registration(conference)
    if not delegate.visa_letter_ref or delegate.status != DelegateStatus.APPROVED:
        abort(404)
    return send_file(visa_letter_pdf(delegate, conference), mimetype="application/pdf", as_attachment=True,
                     download_name=f"visa-letter-{delegate.visa_letter_ref}.pdf")


@bp.get("/<slug>/participants")
@conference_view()
def participants(conference: Conference):
    """Approved delegates who agreed to be listed: name, organization and country only."""
    page = db.paginate(public_participants(conference), page=page_number(request.args), per_page=100,
                       error_out=False)
    return render_template("registration/participants.html", conference=conference, page=page)


@bp.app_context_processor
def registration_helpers() -> dict:
    """Template helpers: the visitor's own registration, translated titles of stored status and category values."""

    def my_registration(conference):
        return registration_of(current_user, conference) if current_user.is_authenticated else None

    return {"my_registration": my_registration, "status_title": lambda value: DelegateStatus(value).title,
            "category_title": lambda value: Category(value).title if value in Category._value2member_map_ else value}
