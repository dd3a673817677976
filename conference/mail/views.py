"""The outbox, readable by organizers (their conference) and site administrators (all)."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from ..accounts.access import admin_required, conference_view
from ..accounts.forms import ConfirmForm
from ..accounts.models import Role
from ..core.actions import perform
from ..core.params import page_number, parse_id
from ..events.models import Conference
from ..extensions import db
from . import bp
from .models import MailState, OutboxMessage
from .services import draft_batches, draft_count, every_message, release, release_drafts, requeue

PAGE_SIZE = 50


def _page(query):
    return db.paginate(query.order_by(OutboxMessage.id.desc()), page=page_number(request.args), per_page=PAGE_SIZE,
                       error_out=False)


@bp.get("/<slug>/manage/outbox")
@conference_view(Role.ORGANIZER)
def outbox(conference: Conference):
    """Messages sent for one conference, newest first."""
    query = OutboxMessage.of(conference)
    state = request.args.get("state")
    if state in {s.value for s in MailState}:
        query = query.where(OutboxMessage.state == state)
    message_id = parse_id(request.args.get("message"))  # one message to a group: its recipients' copies
    if message_id:
        query = query.where(OutboxMessage.message_id == message_id)
    return render_template("mail/outbox.html", page=_page(query), conference=conference, form=ConfirmForm(),
                           drafts=draft_count(conference.id), state=state, batches=draft_batches(conference.id))


@bp.post("/<slug>/manage/outbox/release")
@conference_view(Role.ORGANIZER)
def release_all(conference: Conference):
    """Release drafts (decision letters the organizers have read) so they are sent: all, one batch, or those ticked.

    `ids` names the drafts (a batch's, or those ticked in the list); without it every draft goes.
    """
    form = ConfirmForm()
    if form.validate_on_submit():
        ids = None
        if "ids" in request.form:
            ids = [number for number in map(parse_id, request.form.getlist("ids")) if number]
            if not ids:
                flash(_("Tick the drafts to release."), "error")
                return redirect(url_for("mail.outbox", slug=conference.slug, state="draft"))
        perform(lambda: release_drafts(conference.id, ids),
                lambda released: ngettext("%(num)s message released for sending.",
                                          "%(num)s messages released for sending.", released))
    return redirect(url_for("mail.outbox", slug=conference.slug))


@bp.post("/<slug>/manage/outbox/<int:message_id>/release")
@conference_view(Role.ORGANIZER)
def release_message(conference: Conference, message_id: int):
    """Release one draft so it is sent."""
    item = OutboxMessage.get_or_404(conference, message_id)
    if ConfirmForm().validate_on_submit():
        released = perform(lambda: release(item),
                           lambda done: _("The message has been released for sending.") if done else None)
        if released.ok and not released.value:
            flash(_("This message is not a draft."), "error")
    return redirect(url_for("mail.message", slug=conference.slug, message_id=item.id))


@bp.get("/<slug>/manage/outbox/<int:message_id>")
@conference_view(Role.ORGANIZER)
def message(conference: Conference, message_id: int):
    """One message as it was sent."""
    item = OutboxMessage.get_or_404(conference, message_id)
    return render_template("mail/message.html", message=item, conference=conference, form=ConfirmForm())


@bp.post("/<slug>/manage/outbox/<int:message_id>/retry")
@conference_view(Role.ORGANIZER)
def retry_message(conference: Conference, message_id: int):
    """Queue a failed message again for the mail worker."""
    item = OutboxMessage.get_or_404(conference, message_id)
    if ConfirmForm().validate_on_submit():
        perform(lambda: requeue(item),
                lambda done: _("The message is queued and will be sent again within a minute.") if done else None)
    return redirect(url_for("mail.message", slug=conference.slug, message_id=item.id))


@bp.get("/admin/outbox")
@admin_required
def admin_outbox():
    """Every message of the installation, for site administrators."""
    state = request.args.get("state")
    query = every_message()
    if state in {s.value for s in MailState}:
        query = query.where(OutboxMessage.state == state)
    return render_template("mail/outbox.html", page=_page(query), conference=None, form=ConfirmForm())
