"""One way to send mail: render in the recipient's language, store in the outbox, deliver."""
from __future__ import annotations

import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from flask import current_app, has_request_context, render_template, url_for
from flask_babel import force_locale
from sqlalchemy import Select, func, or_, select, text, update

from ..core.tasks import wake_after_commit
from ..extensions import db
from ..types import utcnow
from .models import MailState, OutboxMessage


def absolute_url(endpoint: str, **values) -> str:
    """A full link for e-mails, built on the configured public address."""
    base = current_app.config["PUBLIC_URL"].rstrip("/")
    if has_request_context():
        return base + url_for(endpoint, **values)
    with current_app.test_request_context():
        return base + url_for(endpoint, **values)


def render_mail(template: str, locale: str, **context) -> tuple[str, str, str]:
    """(subject, text, html) of `templates/mail/<template>.*` in `locale`.

    The text template's first line is the subject; HTML is autoescaped, text is not.
    """
    with force_locale(locale):
        text = render_template(f"mail/{template}.txt", locale=locale, **context)
        html = render_template(f"mail/{template}.html", locale=locale, **context)
    subject, _, body = text.lstrip().partition("\n")
    return subject.strip()[:300], body.strip() + "\n", html


def queue_mail(recipient: str, template: str, locale: str = "en", conference=None, proposal_id: int | None = None,
               **context) -> OutboxMessage:
    """Render a message and put it in the outbox, in the caller's transaction (proposal_id: what it is about)."""
    subject, text, html = render_mail(template, locale, conference=conference, **context)
    message = OutboxMessage(
        recipient=recipient, subject=subject, body_text=text, body_html=html, template=template,
        locale=locale, conference_id=conference.id if conference is not None else None, proposal_id=proposal_id,
    )
    db.session.add(message)
    wake_worker()
    return message


def wake_worker() -> None:
    """Have a worker deliver the outbox once the caller's transaction commits."""
    from .tasks import deliver_outbox  # the tasks module builds on these services

    wake_after_commit(db.session, deliver_outbox)


def _send_log(message: OutboxMessage) -> None:
    current_app.logger.info("mail to %s: %s\n%s", message.recipient, message.subject, message.body_text)


def _send_smtp(message: OutboxMessage) -> None:
    config = current_app.config
    email = EmailMessage()
    email["From"] = config["MAIL_FROM"]
    email["To"] = message.recipient
    email["Subject"] = message.subject  # encoded (RFC 2047) by the e-mail package when not ASCII
    email["Date"] = formatdate(localtime=False)
    email["Message-ID"] = make_msgid(f"outbox-{message.id}", domain=config["MAIL_FROM"].rpartition("@")[2]
                                     .strip(" >") or None)
    reply_to = _reply_to(message)
    if reply_to:
        email["Reply-To"] = reply_to
    email.set_content(message.body_text)
    email.add_alternative(message.body_html, subtype="html")
    # The timeout bounds a connection to a server that does not answer: the worker moves on, the mail stays queued.
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT"]) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(email)


def _reply_to(message: OutboxMessage) -> str:
    """The organizers' address for the mail they wrote to a group (none for the system's own mail).

    Read by table name: the outbox knows no area's models.
    """
    if message.message_id is None or message.conference_id is None:
        return ""
    return db.session.scalar(text("SELECT contact_email FROM conferences WHERE id = :id"),
                             {"id": message.conference_id}) or ""


BACKENDS = {"log": _send_log, "smtp": _send_smtp}


CLAIM_LEASE = timedelta(minutes=5)  # a claim older than this belongs to a worker that died while sending


def _claim(message_id: int) -> bool:
    """Take a message for sending; False when it is sent already or another worker is sending it."""
    now = utcnow()
    claimed = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.state.in_((MailState.QUEUED, MailState.FAILED)),
               or_(OutboxMessage.claimed_at.is_(None), OutboxMessage.claimed_at < now - CLAIM_LEASE))
        .values(attempts=OutboxMessage.attempts + 1, claimed_at=now)
    ).rowcount == 1
    db.session.commit()  # the claim is visible at once, and no lock is held while the mail server answers
    return claimed


def deliver(message: OutboxMessage) -> bool | None:
    """Send one message: True sent, False failed (it stays in the outbox), None taken by another worker."""
    if not _claim(message.id):
        return None
    try:
        BACKENDS[current_app.config["MAIL_BACKEND"]](message)
    except (OSError, smtplib.SMTPException) as error:
        message.state = MailState.FAILED
        message.last_error = f"{type(error).__name__}: {error}"[:2000]
    else:
        message.state, message.sent_at, message.last_error = MailState.SENT, utcnow(), ""
    message.claimed_at = None
    db.session.commit()
    return message.state == MailState.SENT


def deliver_pending(include_failed: bool = False, limit: int = 200) -> tuple[int, int]:
    """Send queued (and optionally failed) messages; returns (sent, failed)."""
    states = [MailState.QUEUED, MailState.FAILED] if include_failed else [MailState.QUEUED]
    # Messages another worker is sending are left out, so that several workers share a long queue.
    messages = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.state.in_(states),
                                    or_(OutboxMessage.claimed_at.is_(None),
                                        OutboxMessage.claimed_at < utcnow() - CLAIM_LEASE))
        .order_by(OutboxMessage.id).limit(limit)
    ).all()
    results = [deliver(message) for message in messages]
    return results.count(True), results.count(False)


def outbox_counts() -> dict[MailState, int]:
    """How many messages of the whole outbox are in each state."""
    return dict(db.session.execute(select(OutboxMessage.state, func.count(OutboxMessage.id))
                                   .group_by(OutboxMessage.state)).all())


def deliver_all(include_failed: bool = False) -> tuple[int, int]:
    """Deliver until the outbox holds nothing this worker can take; returns (sent, failed)."""
    sent = failed = 0
    retry = include_failed
    while True:
        round_sent, round_failed = deliver_pending(include_failed=retry)
        retry = False  # a message that fails again waits for the next retry, not this loop
        sent, failed = sent + round_sent, failed + round_failed
        if round_sent + round_failed == 0:
            return sent, failed


def release(message: OutboxMessage) -> bool:
    """Let a draft go out (queued, in the caller's transaction); False when it is not a draft."""
    if message.state != MailState.DRAFT:
        return False
    message.state = MailState.QUEUED  # the mail worker sends it, like any queued message
    return True


def release_drafts(conference_id: int, ids: list[int] | None = None) -> int:
    """Release the drafts of a conference's outbox (all, or those of `ids`); returns how many."""
    query = select(OutboxMessage).where(OutboxMessage.conference_id == conference_id,
                                        OutboxMessage.state == MailState.DRAFT)
    if ids is not None:
        query = query.where(OutboxMessage.id.in_(ids))
    return sum(release(message) for message in db.session.scalars(query.order_by(OutboxMessage.id)))


# What each kind of draft is, named by the area that writes it (submissions: its decision letters).
DRAFT_KINDS: dict[str, object] = {}
BATCH_GAP = timedelta(minutes=1)  # drafts of one kind written closer together than this are one batch


@dataclass(frozen=True)
class DraftBatch:
    """Drafts of one kind written together (the letters of one decision): what releasing them would send."""

    template: str
    written_at: datetime
    ids: tuple[int, ...]

    @property
    def title(self) -> str:
        return str(DRAFT_KINDS.get(self.template, self.template))


def draft_batches(conference_id: int) -> list[DraftBatch]:
    """The conference's drafts by kind and batch, oldest first."""
    rows = db.session.execute(select(OutboxMessage.id, OutboxMessage.template, OutboxMessage.created_at).where(
        OutboxMessage.conference_id == conference_id, OutboxMessage.state == MailState.DRAFT)
        .order_by(OutboxMessage.template, OutboxMessage.created_at, OutboxMessage.id)).all()
    batches: list[list] = []
    for message_id, template, created_at in rows:
        last = batches[-1] if batches else None
        if last and last[0] == template and created_at - last[2] < BATCH_GAP:
            last[3].append(message_id)
            last[2] = created_at
        else:
            batches.append([template, created_at, created_at, [message_id]])
    found = [DraftBatch(template, first, tuple(ids)) for template, first, _last, ids in batches]
    return sorted(found, key=lambda batch: (batch.written_at, batch.template))


def draft_count(conference_id: int) -> int:
    """How many drafts wait for release in a conference's outbox."""
    return db.session.scalar(select(func.count(OutboxMessage.id)).where(
        OutboxMessage.conference_id == conference_id, OutboxMessage.state == MailState.DRAFT))


def requeue(message: OutboxMessage) -> bool:
    """Put a failed message back in the queue for the mail worker; False when it did not fail."""
    if message.state != MailState.FAILED:
        return False
    message.state = MailState.QUEUED
    return True


def every_message() -> Select:
    """SELECT of every message of the installation, whatever its conference (the site administrators' outbox)."""
    return select(OutboxMessage)


def mail_of_recipient(conference_id: int, address: str, limit: int = 100) -> list[OutboxMessage]:
    """The newest mail a conference's outbox holds for one address (registration, decisions, messages)."""
    return db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.conference_id == conference_id,
                                    func.lower(OutboxMessage.recipient) == address.strip().lower())
        .order_by(OutboxMessage.id.desc()).limit(limit)).all()
