"""Feedback pages: a delegate rates a session; speakers read theirs without names; organizers read all, as CSV."""
from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts.access import conference_view, login_required_view
from ..accounts.models import Role
from ..core.actions import perform
from ..core.spreadsheet import csv_response
from ..events.models import Conference
from ..types import utcnow
from . import bp
from .forms import FeedbackForm
from .services import (
    SORTS,
    FeedbackError,
    NotAllowed,
    anonymous_comments,
    check_may_rate,
    closes_at,
    feedback_header,
    feedback_on,
    feedback_rows,
    my_feedback,
    rateable_session,
    save_feedback,
    session_summaries,
    speaker_session_ids,
    track_summaries,
)


def _session_or_404(conference: Conference, session_id: int):
    session = rateable_session(conference, session_id)
    if session is None:
        abort(404)
    return session


@bp.route("/<slug>/agenda/<int:session_id>/feedback", methods=["GET", "POST"])
@conference_view()
@login_required_view
def rate(conference: Conference, session_id: int):
    """Rate a session you attended (1 to 5, a comment if you like); once, and changed as often as you wish."""
    session = _session_or_404(conference, session_id)
    existing = my_feedback(conference, current_user, session)
    form = FeedbackForm(obj=existing)
    status = 200
    refusal = None
    try:
        check_may_rate(conference, current_user, session)
    except FeedbackError as error:
        refusal = error
        status = 403 if isinstance(error, NotAllowed) else 409
    if request.method == "POST":
        if refusal is not None:
            return render_template("feedback/rate.html", conference=conference, session=session, form=form,
                                   existing=existing, refusal=refusal, closes=closes_at(conference)), status
        if not form.validate_on_submit():
            return render_template("feedback/rate.html", conference=conference, session=session, form=form,
                                   existing=existing, refusal=None, closes=closes_at(conference)), 400
        outcome = perform(lambda: save_feedback(conference, current_user, session, form.rating.data,
                                                form.comment.data or ""),
                          _("Thank you: your feedback is saved. You can change it until feedback closes."))
        if outcome.ok:
            return redirect(url_for("feedback.rate", slug=conference.slug, session_id=session.id))
        status = 400
    return render_template("feedback/rate.html", conference=conference, session=session, form=form,
                           existing=existing, refusal=refusal, closes=closes_at(conference)), \
        (status if request.method == "POST" else 200)


@bp.get("/<slug>/me/feedback")
@conference_view()
@login_required_view
def speaker_feedback(conference: Conference):
    """The feedback on the sessions I speak on or moderate: numbers and comments, without names."""
    ids = speaker_session_ids(conference, current_user)
    rows = session_summaries(conference, "time", ids) if ids else []
    return render_template("feedback/speaker.html", conference=conference, rows=rows,
                           comments=anonymous_comments(conference, ids))


def _sort() -> str:
    sort = request.args.get("sort", "time")
    return sort if sort in SORTS else "time"


@bp.get("/<slug>/manage/feedback")
@conference_view(Role.ORGANIZER)
def overview(conference: Conference):
    """Every session's ratings (count, mean, distribution), sortable, and the same per track."""
    sort = _sort()
    rows = session_summaries(conference, sort)
    return render_template("feedback/manage.html", conference=conference, rows=rows, sort=sort, sorts=list(SORTS),
                           tracks=track_summaries(rows), closes=closes_at(conference), now=utcnow())


@bp.get("/<slug>/manage/feedback/<int:session_id>")
@conference_view(Role.ORGANIZER)
def session_detail(conference: Conference, session_id: int):
    """One session's ratings and comments, with who gave them."""
    session = _session_or_404(conference, session_id)
    [row] = session_summaries(conference, "time", [session.id])
    return render_template("feedback/session.html", conference=conference, row=row,
                           feedback=feedback_on(conference, session))


@bp.get("/<slug>/manage/feedback.csv")
@conference_view(Role.ORGANIZER)
def feedback_csv(conference: Conference):
    """Every rating as a spreadsheet-safe CSV file."""
    return csv_response(f"{conference.slug}-feedback-{utcnow():%Y%m%d-%H%M}.csv", feedback_header(),
                        feedback_rows(conference))
