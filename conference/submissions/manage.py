"""The call for proposals as organizers and reviewers see it: the table, assignment, reviews, decisions, settings."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from wtforms import SelectChoice

from ..accounts.access import conference_view
from ..accounts.forms import ConfirmForm
from ..accounts.models import Role, User
from ..core.actions import perform
from ..core.i18n import lang
from ..core.params import parse_id
from ..core.spreadsheet import csv_response, xlsx_response
from ..events.models import Conference
from ..extensions import db
from ..mail.services import mail_of_recipient
from ..questions.answers import answer_formatter, answered, answers_for
from ..questions.models import QuestionTarget
from ..questions.services import questions_of
from . import bp
from .call import call_of, proposal_types, save_proposal_type, update_call
from .exports import proposal_header, proposal_rows
from .forms import AssignForm, AutoAssignForm, CallForm, DecisionForm, DurationForm, ProposalTypeForm, ReviewForm
from .models import Proposal, ProposalStatus, ProposalType, ReviewAssignment
from .profiles import profile_of
from .review import (
    SORTS,
    TABLE_STATUSES,
    TableFilters,
    assign_automatically,
    assign_reviewer,
    assignment_for,
    eligible_reviewers,
    proposal_table,
    reviewer_progress,
    reviewer_queue,
    reviews_of,
    score_proposal,
    unassign_reviewer,
)
from .services import proposals_by_ids, set_duration
from .workflow import DECISIONS, ORGANIZER_ACTIONS, TRANSITIONS, decide_proposals, decision_preview

ORGANIZER = Role.ORGANIZER


def _filters() -> TableFilters:
    args = request.args
    try:
        min_mean = float(args.get("min_mean", "")) if args.get("min_mean") else None
    except ValueError:
        min_mean = None
    if min_mean is not None and not 1 <= min_mean <= 5:
        min_mean = None
    return TableFilters(status=args.get("status", ""), track=parse_id(args.get("track")),
                        type=parse_id(args.get("type")), min_mean=min_mean, unfinished=args.get("unfinished") == "1",
                        sort=args.get("sort") if args.get("sort") in SORTS else "submitted")


@bp.get("/<slug>/manage/proposals")
@conference_view(ORGANIZER)
def proposals(conference: Conference):
    """Every submitted proposal with its scores; filters, sorting, bulk decisions, reviewers' progress."""
    filters = _filters()
    call = call_of(conference)
    rows = proposal_table(conference, filters)
    decision = DecisionForm()
    decision.action.choices = [c for c in decision.action.choices if c.value in DECISIONS]  # reversals: one by one
    questions = [q for q in questions_of(conference, QuestionTarget.PROPOSAL) if q.retired_at is None]
    columns = [(q, answer_formatter(q, lang(), conference.tz)) for q in questions]
    answers = answers_for(proposal_ids=[row.proposal.id for row in rows]) if questions else {}
    return render_template("submissions/manage/proposals.html", conference=conference, rows=rows, filters=filters,
                           answer_columns=columns, answers=answers,
                           statuses=TABLE_STATUSES, types=proposal_types(conference), call=call,
                           progress=reviewer_progress(conference), decision=decision,
                           auto=AutoAssignForm(per_proposal=call.reviewers_per_proposal))


def _export(conference: Conference) -> tuple[list[str], object]:
    """The header and rows of the table as filtered, with a column per question of the call."""
    questions = questions_of(conference, QuestionTarget.PROPOSAL)
    rows = proposal_table(conference, _filters())
    return proposal_header(questions, lang()), proposal_rows(rows, questions, lang(), conference.tz)


@bp.get("/<slug>/manage/proposals.csv")
@conference_view(ORGANIZER)
def export_proposals_csv(conference: Conference):
    """The proposal table as CSV (UTF-8 with BOM, safe against formula injection), answers included."""
    return csv_response(f"{conference.slug}-proposals.csv", *_export(conference))


@bp.get("/<slug>/manage/proposals.xlsx")
@conference_view(ORGANIZER)
def export_proposals_xlsx(conference: Conference):
    """The proposal table as an Excel workbook, answers included."""
    return xlsx_response(f"{conference.slug}-proposals.xlsx", _("Proposals"), *_export(conference))


@bp.get("/<slug>/manage/proposals/<int:proposal_id>")
@conference_view(ORGANIZER)
def proposal(conference: Conference, proposal_id: int):
    """One proposal for organizers: all of it, its speakers, every review, reviewers, log, decision."""
    item = Proposal.get_or_404(conference, proposal_id)
    assign = AssignForm()
    assign.reviewer_id.choices = [SelectChoice("", _("Choose a reviewer"))] + [
        SelectChoice(str(r.id), r.display_name or r.email) for r in eligible_reviewers(item)]
    profiles = {s.id: profile_of(conference, s.user) for s in item.speakers if s.user is not None}
    return render_template("submissions/manage/proposal.html", conference=conference, proposal=item,
                           answered=answered(conference, QuestionTarget.PROPOSAL, proposal_id=item.id),
                           reviews=reviews_of(item), assign=assign, profiles=profiles, form=ConfirmForm(),
                           duration=DurationForm(duration_minutes=item.duration_minutes),
                           decision=DecisionForm(ids=str(item.id)),
                           mails={s.email: mail_of_recipient(conference.id, s.email, 20) for s in item.speakers})


@bp.post("/<slug>/manage/proposals/<int:proposal_id>/assign")
@conference_view(ORGANIZER)
def assign(conference: Conference, proposal_id: int):
    """Assign a reviewer by hand."""
    item = Proposal.get_or_404(conference, proposal_id)
    form = AssignForm()
    form.reviewer_id.choices = []
    if form.validate_on_submit():
        reviewer = db.session.get(User, form.reviewer_id.data)
        if reviewer is None:
            flash(_("This person is not a reviewer of this conference."), "error")
        else:
            perform(lambda: assign_reviewer(item, reviewer, current_user), _("The reviewer has been assigned."))
    else:
        flash(_("Please choose a reviewer."), "error")
    return redirect(url_for("submissions.proposal", slug=conference.slug, proposal_id=item.id))


@bp.post("/<slug>/manage/proposals/<int:proposal_id>/reviews/<int:assignment_id>/remove")
@conference_view(ORGANIZER)
def unassign(conference: Conference, proposal_id: int, assignment_id: int):
    """Take a reviewer off a proposal they have not scored."""
    item = Proposal.get_or_404(conference, proposal_id)
    assignment = ReviewAssignment.get_or_404(conference, assignment_id)
    if assignment.proposal_id != item.id:
        abort(404)
    if ConfirmForm().validate_on_submit():
        perform(lambda: unassign_reviewer(assignment), _("The reviewer has been taken off this proposal."))
    return redirect(url_for("submissions.proposal", slug=conference.slug, proposal_id=item.id))


@bp.post("/<slug>/manage/proposals/<int:proposal_id>/duration")
@conference_view(ORGANIZER)
def duration(conference: Conference, proposal_id: int):
    """Change how long the session lasts."""
    item = Proposal.get_or_404(conference, proposal_id)
    form = DurationForm()
    if form.validate_on_submit():
        perform(lambda: set_duration(item, form.duration_minutes.data, current_user), _("The duration has been saved."))
    else:
        flash(_("A duration is between 5 and 480 minutes."), "error")
    return redirect(url_for("submissions.proposal", slug=conference.slug, proposal_id=item.id))


@bp.post("/<slug>/manage/proposals/assign")
@conference_view(ORGANIZER)
def auto_assign(conference: Conference):
    """Assign reviewers automatically to every submitted proposal."""
    form = AutoAssignForm()
    if form.validate_on_submit():
        perform(lambda: assign_automatically(conference, current_user, form.per_proposal.data),
                lambda made: _("%(n)s assignments made.", n=made) if made else
                _("No assignment was needed (or no reviewer without a conflict was free)."))
    else:
        flash(_("Between 1 and 10 reviewers per proposal."), "error")
    return redirect(url_for("submissions.proposals", slug=conference.slug))


def _ids(raw: str) -> list[int]:
    return [number for number in (parse_id(v.strip()) for v in raw.split(",")) if number]


@bp.post("/<slug>/manage/proposals/decide")
@conference_view(ORGANIZER)
def decide(conference: Conference):
    """Accept or reject: first a page lists what will change; a second POST applies it."""
    form = DecisionForm()
    if not form.validate_on_submit() or form.action.data not in ORGANIZER_ACTIONS:
        flash(_("Please choose a decision."), "error")
        return redirect(url_for("submissions.proposals", slug=conference.slug))
    ids = _ids(",".join(request.form.getlist("ids")))  # ticked boxes, or the confirmation page's one list
    chosen = proposals_by_ids(conference, ids)
    if not chosen:
        flash(_("Choose at least one proposal."), "error")
        return redirect(url_for("submissions.proposals", slug=conference.slug))
    if form.confirmed.data != "1":
        changing, skipped = decision_preview(chosen, form.action.data)
        form.ids.data = ",".join(str(p.id) for p in chosen)
        return render_template("submissions/manage/decide.html", conference=conference, form=form,
                               changing=changing, skipped=skipped, to_status=TRANSITIONS[form.action.data].to,
                               label=dict((c.value, c.label) for c in form.action.choices)[form.action.data],
                               reversal=form.action.data not in DECISIONS)
    perform(lambda: decide_proposals(chosen, form.action.data, current_user, form.note.data),
            lambda counts: " ".join((
                ngettext("%(num)s proposal decided.", "%(num)s proposals decided.", counts[0]),
                ngettext("%(num)s skipped.", "%(num)s skipped.", counts[1]) if counts[1] else "",
                _("The letters wait in the outbox as drafts: read them and release them.") if counts[0] else "",
            )).strip())
    return redirect(url_for("submissions.proposals", slug=conference.slug))


@bp.route("/<slug>/manage/cfp", methods=["GET", "POST"])
@conference_view(ORGANIZER)
def call_settings(conference: Conference):
    """The call's texts, the abstract word limit, anonymized review, reviewers per proposal, proposal types."""
    # The defaults are created on first visit; an organizer who collides with another finds theirs.
    call = perform(lambda: call_of(conference), conflict="").value or call_of(conference)
    form = CallForm(obj=call)
    if form.validate_on_submit() and perform(
            lambda: update_call(conference, {name: form[name].data for name in (
                "text_en", "text_ar", "abstract_word_limit", "anonymized_review", "reviewers_per_proposal")}),
            _("The call's settings have been saved.")).ok:
        return redirect(url_for("submissions.call_settings", slug=conference.slug))
    types = proposal_types(conference)
    return render_template("submissions/manage/settings.html", conference=conference, form=form, call=call,
                           types=types, type_forms={t.id: ProposalTypeForm(obj=t, prefix=f"t{t.id}") for t in types},
                           new_type=ProposalTypeForm(prefix="new"))


@bp.post("/<slug>/manage/cfp/types", defaults={"type_id": None})
@bp.post("/<slug>/manage/cfp/types/<int:type_id>")
@conference_view(ORGANIZER)
def save_type(conference: Conference, type_id: int | None):
    """Add a proposal type, or change one's names and default duration."""
    existing = ProposalType.get_for(conference, type_id)
    if type_id and existing is None:
        abort(404)
    form = ProposalTypeForm(prefix=f"t{type_id}" if type_id else "new")
    if form.validate_on_submit():
        perform(lambda: save_proposal_type(conference, existing, form.name_en.data, form.name_ar.data,
                                           form.duration_minutes.data), _("The proposal type has been saved."))
    else:
        flash(_("Please give the type a name in English and a duration between 5 and 480 minutes."), "error")
    return redirect(url_for("submissions.call_settings", slug=conference.slug))


# ---- reviewers -----------------------------------------------------------------------------------------------

@bp.get("/<slug>/manage/review")
@conference_view(Role.REVIEWER, ORGANIZER)
def review(conference: Conference):
    """The proposals assigned to the current reviewer, open ones first."""
    call = call_of(conference)
    return render_template("submissions/manage/review.html", conference=conference,
                           assignments=reviewer_queue(conference, current_user), call=call)


@bp.route("/<slug>/manage/review/<int:proposal_id>", methods=["GET", "POST"])
@conference_view(Role.REVIEWER, ORGANIZER)
def review_proposal(conference: Conference, proposal_id: int):
    """Read an assigned proposal (anonymized when the call says so) and score it."""
    item = Proposal.get_or_404(conference, proposal_id)
    assignment = assignment_for(item, current_user)
    if assignment is None:
        abort(404)  # not assigned to this reviewer: as if it did not exist
    form = ReviewForm(obj=assignment)
    open_for_review = item.status == ProposalStatus.SUBMITTED
    if form.validate_on_submit() and perform(
            lambda: score_proposal(item, current_user, form.score.data, form.comment.data),
            _("Your review has been saved. You may change it until the decision is made.")).ok:
        return redirect(url_for("submissions.review", slug=conference.slug))
    call = call_of(conference)
    return render_template("submissions/manage/review_proposal.html", conference=conference, proposal=item,
                           form=form, assignment=assignment, anonymized=call.anonymized_review,
                           open_for_review=open_for_review,
                           answered=answered(conference, QuestionTarget.PROPOSAL, proposal_id=item.id,
                                             hide_about_speaker=call.anonymized_review))
