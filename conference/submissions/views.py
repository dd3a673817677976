"""The call for proposals as speakers see it: the call, their proposals, invitations, profile and availability."""
from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts.access import conference_view, login_required_view
from ..accounts.forms import ConfirmForm
from ..accounts.invitations import mask_email
from ..core.actions import perform
from ..core.i18n import lang
from ..events.models import Conference
from ..questions.answers import answers_for, form_values, read_answers
from . import bp
from .call import call_of, proposal_types
from .forms import AvailabilityForm, ConsentForm, ProfileForm, ProposalForm
from .models import CO_SPEAKER, LANGUAGE_TITLES, LANGUAGES, Proposal, ProposalStatus
from .profiles import availability_of, process_photo, profile_of, save_profile, set_availability
from .services import (
    decision_released,
    invitations_for,
    proposals_of,
    speaker_log,
    speaker_status,
    speaker_statuses,
)
from .workflow import allowed_actions, change_status, is_speaker, is_submitter
from .writing import (
    DuplicateProposal,
    accept_invitation,
    create_proposal,
    invitation_for_token,
    is_invited,
    proposal_questions,
    update_proposal,
)


@bp.app_context_processor
def speaker_globals() -> dict:
    """`my_speaker_status(conference)`: what the speaker part of /<slug>/me shows (templates/submissions/_me.html)."""

    def my_speaker_status(conference: Conference) -> dict | None:
        if not current_user.is_authenticated:
            return None
        # Every proposal, from the first draft: the speaker finds theirs and their profile before any decision.
        proposals = proposals_of(conference, current_user)
        invitations = invitations_for(conference, current_user)
        if not proposals and not invitations:
            return None
        waiting = {p.id for p in proposals if not decision_released(p)}  # a new letter about it is not released yet
        return {"proposals": proposals, "invitations": invitations, "shown": speaker_statuses(proposals),
                "waiting": waiting}

    def proposal_status_title(value: str) -> str:
        try:
            return ProposalStatus(value).title
        except ValueError:
            return value

    return {"my_speaker_status": my_speaker_status, "proposal_status_title": proposal_status_title}


def _proposal_form(conference: Conference, **kwargs) -> ProposalForm:
    call = call_of(conference)
    return ProposalForm(types=proposal_types(conference), tracks=conference.tracks,
                        word_limit=call.abstract_word_limit, **kwargs)


def _questions(conference: Conference, form: ProposalForm, proposal: Proposal | None) -> dict:
    """The call's questions for the form: those asked of the chosen type, the answers read and checked (on a POST)
    or stored (on a GET), and the errors to show under them."""
    if request.method == "POST":
        asked = proposal_questions(conference, form.proposal_type_id.data if isinstance(
            form.proposal_type_id.data, int) else None)
        given, errors = read_answers(asked, request.form, conference.tz)
        return {"asked": asked, "given": given, "question_errors": errors,
                "answers": request.form.to_dict(flat=False)}
    asked = proposal_questions(conference, proposal.proposal_type_id if proposal else None)
    stored = answers_for(proposal_ids=[proposal.id])[proposal.id] if proposal else {}
    return {"asked": asked, "given": {}, "question_errors": {}, "answers": form_values(asked, stored, conference.tz)}


def _own_proposal(conference: Conference, proposal_id: int, submitter_only: bool = False) -> Proposal:
    """A proposal the current user speaks in (or wrote); another's is not found."""
    proposal = Proposal.get_or_404(conference, proposal_id)
    if not is_speaker(proposal, current_user):
        abort(404)
    if submitter_only and not is_submitter(proposal, current_user):
        abort(403)
    return proposal


@bp.get("/<slug>/cfp")
@conference_view()
def cfp(conference: Conference):
    """The call: its text, dates, proposal types, tracks and languages, and the way to submit."""
    # The call's defaults are created on first visit; a visitor who collides with another finds theirs.
    call = perform(lambda: call_of(conference), conflict="").value or call_of(conference)
    return render_template("submissions/cfp.html", conference=conference, call=call,
                           types=proposal_types(conference), languages=[LANGUAGE_TITLES[c] for c in LANGUAGES])


@bp.route("/<slug>/cfp/new", methods=["GET", "POST"])
@conference_view()
@login_required_view
def new_proposal(conference: Conference):
    """Write a proposal: save it as a draft, or submit it at once."""
    form = _proposal_form(conference)
    is_open = conference.cfp_open()
    questions = _questions(conference, form, None)
    if is_open and form.validate_on_submit() and not questions["question_errors"]:
        def write() -> Proposal:
            proposal = create_proposal(conference, current_user, {**form.data_for_service(), "answers": questions[
                "given"]}, locale=lang())
            if request.form.get("submit_now"):
                change_status(proposal, "submit", current_user)
            return proposal

        written = perform(write, lambda proposal: _("Your proposal has been submitted.")
                          if proposal.status == ProposalStatus.SUBMITTED
                          else _("Your draft has been saved. You can finish it later."))
        # A proposal sent twice (a double click) leads to the one already there.
        if isinstance(written.error, DuplicateProposal):  # sent twice (a double click): here is the first
            return redirect(url_for("submissions.my_proposal", slug=conference.slug,
                                    proposal_id=written.error.proposal.id))
        if written.ok:
            return redirect(url_for("submissions.my_proposal", slug=conference.slug, proposal_id=written.value.id))
    elif request.method == "POST" and not is_open:
        flash(_("The call for proposals is closed."), "error")
    return render_template("submissions/proposal_form.html", conference=conference, form=form, proposal=None,
                           is_open=is_open, call=call_of(conference), **questions)


@bp.get("/<slug>/me/proposals")
@conference_view()
@login_required_view
def my_proposals(conference: Conference):
    """The speaker's own proposals, invitations waiting for them, and their profile."""
    proposals = proposals_of(conference, current_user)
    return render_template("submissions/my_proposals.html", conference=conference, proposals=proposals,
                           shown=speaker_statuses(proposals),
                           invitations=invitations_for(conference, current_user),
                           profile=profile_of(conference, current_user), is_open=conference.cfp_open())


@bp.get("/<slug>/me/proposals/<int:proposal_id>")
@conference_view()
@login_required_view
def my_proposal(conference: Conference, proposal_id: int):
    """One of the speaker's proposals: where it stands, its speakers, what they can do now."""
    proposal = _own_proposal(conference, proposal_id)
    actions = allowed_actions(proposal)
    if not decision_released(proposal):  # the speakers answer a decision once its letter has reached them
        actions = [action for action in actions if action not in ("confirm", "decline")]
    return render_template("submissions/my_proposal.html", conference=conference, proposal=proposal,
                           shown=speaker_status(proposal), log=speaker_log(proposal),
                           actions=actions, submitter=is_submitter(proposal, current_user),
                           is_open=conference.cfp_open(), form=ConfirmForm(), CO_SPEAKER=CO_SPEAKER)


@bp.route("/<slug>/me/proposals/<int:proposal_id>/edit", methods=["GET", "POST"])
@conference_view()
@login_required_view
def edit_proposal(conference: Conference, proposal_id: int):
    """Change a draft or submitted proposal until the deadline."""
    proposal = _own_proposal(conference, proposal_id, submitter_only=True)
    form = _proposal_form(conference, obj=proposal)
    is_open = conference.cfp_open() and proposal.status in (ProposalStatus.DRAFT, ProposalStatus.SUBMITTED)
    if request.method == "GET":
        form.co_speakers.data = "\n".join(s.email for s in proposal.speakers if s.role == CO_SPEAKER)
    questions = _questions(conference, form, proposal)
    if is_open and form.validate_on_submit() and not questions["question_errors"]:
        def rewrite() -> None:
            update_proposal(proposal, current_user, {**form.data_for_service(), "answers": questions["given"]},
                            locale=lang())
            if request.form.get("submit_now") and proposal.status == ProposalStatus.DRAFT:
                change_status(proposal, "submit", current_user)

        if perform(rewrite, _("Your proposal has been submitted.") if request.form.get("submit_now")
                   else _("Your changes have been saved."), conflict=_("Please try again.")).ok:
            return redirect(url_for("submissions.my_proposal", slug=conference.slug, proposal_id=proposal.id))
    elif request.method == "POST" and not is_open:
        flash(_("This proposal can no longer be changed."), "error")
    return render_template("submissions/proposal_form.html", conference=conference, form=form, proposal=proposal,
                           is_open=is_open, call=call_of(conference), **questions)


def _transition_view(conference: Conference, proposal: Proposal, action: str, done: str, template: str | None,
                     form=None):
    """Apply a speaker's transition on a valid POST; on GET show its confirmation page."""
    form = form or ConfirmForm()
    if request.method == "POST" and form.validate_on_submit():
        perform(lambda: change_status(proposal, action, current_user), done)
        return redirect(url_for("submissions.my_proposal", slug=conference.slug, proposal_id=proposal.id))
    if template is None:
        return redirect(url_for("submissions.my_proposal", slug=conference.slug, proposal_id=proposal.id))
    return render_template(template, conference=conference, proposal=proposal, form=form, action=action)


@bp.route("/<slug>/me/proposals/<int:proposal_id>/submit", methods=["POST"])
@conference_view()
@login_required_view
def submit(conference: Conference, proposal_id: int):
    """Submit a finished draft."""
    proposal = _own_proposal(conference, proposal_id, submitter_only=True)
    return _transition_view(conference, proposal, "submit", _("Your proposal has been submitted."), None)


@bp.route("/<slug>/me/proposals/<int:proposal_id>/withdraw", methods=["GET", "POST"])
@conference_view()
@login_required_view
def withdraw(conference: Conference, proposal_id: int):
    """Ask to confirm, then withdraw a draft or submitted proposal."""
    proposal = _own_proposal(conference, proposal_id, submitter_only=True)
    return _transition_view(conference, proposal, "withdraw", _("Your proposal has been withdrawn."),
                            "submissions/confirm_action.html")


@bp.route("/<slug>/me/proposals/<int:proposal_id>/confirm", methods=["GET", "POST"])
@conference_view()
@login_required_view
def confirm(conference: Conference, proposal_id: int):
    """Confirm an accepted proposal: the speakers become approved delegates with category speaker."""
    proposal = _own_proposal(conference, proposal_id)
    return _transition_view(conference, proposal, "confirm",
                            _("Thank you: your session is confirmed and you are registered as a speaker."),
                            "submissions/confirm_action.html", form=ConsentForm())


@bp.route("/<slug>/me/proposals/<int:proposal_id>/decline", methods=["GET", "POST"])
@conference_view()
@login_required_view
def decline(conference: Conference, proposal_id: int):
    """Ask to confirm, then decline an accepted proposal."""
    proposal = _own_proposal(conference, proposal_id)
    return _transition_view(conference, proposal, "decline", _("You have declined; the organizers have been told."),
                            "submissions/confirm_action.html")


@bp.route("/<slug>/cfp/invitation/<token>", methods=["GET", "POST"])
@conference_view()
def invitation(conference: Conference, token: str):
    """A co-speaker's invitation link: log in (or sign up) with the invited address, then accept."""
    speaker = invitation_for_token(conference, token)
    if speaker is None:
        return render_template("submissions/invitation_invalid.html", conference=conference), 404
    page = {"conference": conference, "speaker": speaker, "proposal": speaker.proposal, "next_url": request.path,
            "invited_address": mask_email(speaker.email)}
    if not current_user.is_authenticated:
        return render_template("submissions/invitation.html", form=None, **page)
    if speaker.user_id == current_user.id:
        return redirect(url_for("submissions.profile", slug=conference.slug))
    if not is_invited(speaker, current_user):  # as the team's invitations: explained, and nothing changes
        return render_template("submissions/invitation.html", form=None, other_account=True, **page)
    form = ConsentForm()
    if form.validate_on_submit() and perform(lambda: accept_invitation(speaker, current_user),
                                             _("Welcome on board. Please complete your speaker profile.")).ok:
        return redirect(url_for("submissions.profile", slug=conference.slug))
    return render_template("submissions/invitation.html", form=form, **page)


PROFILE_REQUEST_LIMIT = 2 * 1024 * 1024 + 64 * 1024


@bp.route("/<slug>/me/speaker-profile", methods=["GET", "POST"])
@conference_view()
@login_required_view
def profile(conference: Conference):
    """The speaker profile shown with the programme: names, organization, country, bios, photo."""
    request.max_content_length = PROFILE_REQUEST_LIMIT  # a 2 MB photo plus the form's text fields
    existing = profile_of(conference, current_user)
    form = ProfileForm(obj=existing)
    if request.method == "GET" and existing is None:
        form.name.data = current_user.display_name
    if form.validate_on_submit():
        def save() -> None:
            upload = request.files.get(form.photo.name)
            photo = process_photo(upload.read(2 * 1024 * 1024 + 1)) if upload and upload.filename else None
            save_profile(conference, current_user, form.data_for_service(), photo=photo,
                         remove_photo=form.remove_photo.data)

        if perform(save, _("Your speaker profile has been saved."), conflict=_("Please try again.")).ok:
            return redirect(url_for("submissions.my_proposals", slug=conference.slug))
    return render_template("submissions/profile.html", conference=conference, form=form, profile=existing)


@bp.get("/<slug>/me/speaker-profile/photo.jpg")
@conference_view()
@login_required_view
def my_photo(conference: Conference):
    """The speaker's own photo, as stored (re-encoded)."""
    existing = profile_of(conference, current_user)
    if existing is None or not existing.photo:
        abort(404)
    response = Response(existing.photo, mimetype="image/jpeg")
    response.headers["Cache-Control"] = "private, no-cache"
    return response


@bp.route("/<slug>/me/availability", methods=["GET", "POST"])
@conference_view()
@login_required_view
def availability(conference: Conference):
    """“I can only speak at these times”: ranges on the conference days, at the venue's time."""
    form = AvailabilityForm(conference=conference)
    if request.method == "GET":
        for entry, item in zip(form.ranges, availability_of(conference, current_user), strict=False):
            starts, ends = item.starts_at.astimezone(conference.tz), item.ends_at.astimezone(conference.tz)
            entry.form.day.data = starts.date().isoformat()
            entry.form.starts.data, entry.form.ends.data = starts.time(), ends.time()
    elif form.validate_on_submit() and perform(
            lambda: set_availability(conference, current_user, form.ranges_for_service()),
            lambda count: _("Your availability has been saved.") if count
            else _("Saved: you can speak at any time of the conference.")).ok:
        return redirect(url_for("submissions.my_proposals", slug=conference.slug))
    return render_template("submissions/availability.html", conference=conference, form=form)

