"""Organizers' messages to groups: compose (audience, preview, test, send or schedule), progress, history."""
from __future__ import annotations

from flask import jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from ..accounts.access import conference_view
from ..accounts.forms import ConfirmForm
from ..accounts.models import Role
from ..agenda.models import AgendaSession
from ..core.actions import ServiceError, perform
from ..core.params import page_number
from ..events.models import Conference
from ..extensions import db
from ..registration.queries import DelegateFilters
from . import bp
from .audiences import check_audience, count_recipients, first_recipients
from .forms import MessageForm
from .models import Message, MessageState
from .services import (
    cancel,
    check_draft,
    create_message,
    draft_of,
    history,
    message_of_form,
    preview,
    progress,
    resend_failed,
    send_test,
)

ORGANIZER = Role.ORGANIZER
PAGE_SIZE = 50


def _sessions(conference: Conference) -> list[tuple[int, str]]:
    sessions = db.session.scalars(AgendaSession.of(conference).order_by(AgendaSession.starts_at, AgendaSession.id))
    return [(s.id, s.title_en or s.title_ar or f"#{s.id}") for s in sessions]


def _starting_form(conference: Conference) -> MessageForm:
    """The compose form; on a GET the delegates table's filters in the query string are the starting audience."""
    sessions = _sessions(conference)
    if request.method == "POST":
        return MessageForm(conference, sessions)
    filters = DelegateFilters.from_args(request.args)
    answer = next((f"{question}:{value}" for question, value in filters.answers), "")  # the form takes one
    return MessageForm(conference, sessions, data={"status": filters.status, "country": filters.country,
                                                   "category": filters.category, "delegation": filters.delegation,
                                                   "answer": answer})


@bp.route("/<slug>/manage/messages/new", methods=["GET", "POST"])
@conference_view(ORGANIZER)
def compose(conference: Conference):
    """Write to a group: the recipients as the filters change, a preview, a test to oneself, send or schedule."""
    form = _starting_form(conference)
    problems, shown = [], []
    valid = request.method == "POST" and form.validate_on_submit()
    audience = form.audience()
    try:
        check_audience(conference, audience)
    except ServiceError as error:
        problems.append(str(error))
    recipients_count = count_recipients(conference, audience) if not problems else 0
    sample = first_recipients(conference, audience) if not problems else []
    form.preview_for.choices = [(p.email, p.email) for p in sample]
    if valid and not problems:
        problems = check_draft(form.draft(), audience)
        if "send" in request.form and not problems:
            token = form.form_token.data or ""
            done = perform(lambda: create_message(conference, current_user, form.draft(), audience, token,
                                                  form.send_moment()),
                           lambda message: _("The message is being sent.") if message.send_at is None
                           else _("The message will be sent at the chosen time."), conflict="")
            # Two clicks at the same moment: the second collides with the first, whose page both get.
            sent = done.value if done.ok else message_of_form(conference, token)
            if sent is not None:
                return redirect(url_for("messages.message", slug=conference.slug, message_id=sent.id))
        elif "test" in request.form and not problems:
            chosen = _chosen(sample, form.preview_for.data)
            perform(lambda: send_test(conference, form.draft(), audience, current_user, chosen),
                    lambda n: _("A test was queued to %(address)s.", address=current_user.email))
        elif "preview" in request.form and not problems:
            chosen = _chosen(sample, form.preview_for.data)
            other = next((person for person in sample if chosen and person.locale != chosen.locale), None)
            shown = list({mail["locale"]: mail for mail in (preview(conference, form.draft(), person)
                                                            for person in (chosen, other) if person)}.values())
    return render_template("messages/compose.html", conference=conference, form=form, problems=problems,
                           count=recipients_count, sample=sample, shown=shown)


@bp.get("/<slug>/manage/messages/audience")
@conference_view(ORGANIZER)
def audience_count(conference: Conference):
    """How many the audience in the query string reaches, and the first of them (the compose page's live count)."""
    form = MessageForm(conference, _sessions(conference), formdata=request.args, meta={"csrf": False})
    form.validate()
    audience = form.audience()
    try:
        check_audience(conference, audience)
    except ServiceError as error:
        return jsonify(count=0, text=str(error), first=[])
    count = count_recipients(conference, audience)
    text = (ngettext("%(num)s recipient.", "%(num)s recipients.", count) if count
            else _("Nobody is in this audience: choose other criteria."))
    return jsonify(count=count, text=text,
                   first=[{"name": p.name, "email": p.email} for p in first_recipients(conference, audience)])


def _chosen(sample, email: str | None):
    """The recipient chosen for a preview (the first when none is); the preview adds one in the other language."""
    return next((person for person in sample if person.email == email), sample[0] if sample else None)


@bp.get("/<slug>/manage/messages")
@conference_view(ORGANIZER)
def messages(conference: Conference):
    """Every message written to a group: who, what, to whom, when, how far."""
    page = db.paginate(history(conference), page=page_number(request.args), per_page=PAGE_SIZE, error_out=False)
    return render_template("messages/history.html", conference=conference, page=page,
                           counts={m.id: progress(m) for m in page.items})


@bp.get("/<slug>/manage/messages/<int:message_id>")
@conference_view(ORGANIZER)
def message(conference: Conference, message_id: int):
    """One message: its text, its audience, its progress (updated by the page itself)."""
    item = Message.get_or_404(conference, message_id)
    return render_template("messages/message.html", conference=conference, message=item, form=ConfirmForm(),
                           progress=progress(item), draft=draft_of(item))


@bp.get("/<slug>/manage/messages/<int:message_id>/progress")
@conference_view(ORGANIZER)
def message_progress(conference: Conference, message_id: int):
    """The counts the message page shows, for the page to update itself."""
    item = Message.get_or_404(conference, message_id)
    numbers = progress(item)
    return jsonify(state=item.state.value, state_title=item.state.title, queued=numbers.queued, sent=numbers.sent,
                   failed=numbers.failed, done=numbers.done, recipients=item.recipients)


@bp.post("/<slug>/manage/messages/<int:message_id>/resend")
@conference_view(ORGANIZER)
def resend(conference: Conference, message_id: int):
    """Send again to the recipients whose mail failed."""
    item = Message.get_or_404(conference, message_id)
    if ConfirmForm().validate_on_submit():
        perform(lambda: resend_failed(item), lambda n: _("%(n)s messages queued again.", n=n))
    return redirect(url_for("messages.message", slug=conference.slug, message_id=item.id))


@bp.post("/<slug>/manage/messages/<int:message_id>/cancel")
@conference_view(ORGANIZER)
def cancel_message(conference: Conference, message_id: int):
    """Cancel a scheduled message before it starts."""
    item = Message.get_or_404(conference, message_id)
    if ConfirmForm().validate_on_submit() and item.state == MessageState.WAITING:
        perform(lambda: cancel(item), _("The message is cancelled; nothing was sent."))
    return redirect(url_for("messages.message", slug=conference.slug, message_id=item.id))
