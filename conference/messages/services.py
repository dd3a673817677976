"""Writing to a group: check the text and its placeholders, keep the message, queue one mail per recipient in
batches (in a worker), follow its progress, resend to the failed ones, cancel before it starts."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app, render_template
from flask_babel import force_locale, format_datetime
from flask_babel import gettext as _
from markupsafe import Markup, escape
from sqlalchemy import func, insert, select, update

from ..accounts.models import User
from ..core.actions import ServiceError
from ..core.tasks import wake_after_commit
from ..events.models import Conference
from ..extensions import db
from ..mail.models import MailState, OutboxMessage
from ..mail.services import absolute_url, wake_worker
from ..types import utcnow
from .audiences import (
    ALL_PLACEHOLDERS,
    KINDS,
    PLACEHOLDERS,
    Audience,
    Recipient,
    check_audience,
    count_recipients,
    describe,
    recipients,
)
from .models import Message, MessageState

SUBJECT_LIMIT = 200
BODY_LIMIT = 20_000
PLACEHOLDER = re.compile(r"\{([^{}\n]{0,40})\}")
URL = re.compile(r"https?://[^\s<>\"']+[^\s<>\"'.,;:!?)]")
LINK = re.compile(r"\[([^\]\n]{1,200})\]\((https?://[^\s()<>\"']{1,500})\)")
CLAIM_LEASE = timedelta(minutes=10)  # a worker that queued nothing for this long died: another takes over
TEMPLATE = "messages/mail"


@dataclass(frozen=True)
class Draft:
    """What the organizer typed, per language."""

    subject_en: str = ""
    body_en: str = ""
    subject_ar: str = ""
    body_ar: str = ""


def check_draft(draft: Draft, audience: Audience) -> list[str]:
    """Every reason the text cannot be sent to this audience (empty: it can)."""
    problems = []
    languages = [(draft.subject_en, draft.body_en, "English"), (draft.subject_ar, draft.body_ar, "Arabic")]
    if not any(subject.strip() for subject, _body, _name in languages):
        problems.append(_("Write a subject and a text in English, in Arabic, or in both."))
    for subject, body, name in languages:
        if bool(subject.strip()) != bool(body.strip()):
            problems.append(_("The %(language)s version needs both a subject and a text.", language=_(name)))
        if "\n" in subject or "\r" in subject:
            problems.append(_("A subject is one line."))
        if len(subject) > SUBJECT_LIMIT:
            problems.append(_("A subject has at most %(n)s characters.", n=SUBJECT_LIMIT))
        if len(body) > BODY_LIMIT:
            problems.append(_("A text has at most %(n)s characters.", n=BODY_LIMIT))
        for found in PLACEHOLDER.findall(subject + "\n" + body):
            if found not in ALL_PLACEHOLDERS:
                problems.append(_("Unknown placeholder {%(name)s}. Use one of: %(known)s.", name=found,
                                  known=", ".join("{%s}" % name for name in ALL_PLACEHOLDERS)))
            elif audience.kind in PLACEHOLDERS and found not in PLACEHOLDERS[audience.kind]:
                problems.append(_("{%(name)s} cannot be filled in for %(audience)s: they have none.", name=found,
                                  audience=str(KINDS[audience.kind]).lower()))
    return list(dict.fromkeys(problems))


def _paragraphs(body: str) -> Markup:
    """Markdown-light: blank lines part paragraphs, lines starting with "- " or "* " are a list, links clickable;
    everything else escaped."""
    html = []
    for block in re.split(r"\n\s*\n", body.strip()):
        lines = [line.rstrip() for line in block.splitlines() if line.strip()]
        if lines and all(line.lstrip()[:2] in ("- ", "* ") for line in lines):
            items = "".join(f"<li>{_inline(line.lstrip()[2:])}</li>" for line in lines)
            html.append(f"<ul>{items}</ul>")
        elif lines:
            html.append("<p>" + "<br>".join(_inline(line) for line in lines) + "</p>")
    return Markup("\n".join(html))


def _inline(line: str) -> str:
    """One line escaped, with [text](url) and bare addresses as links."""
    out, position = [], 0
    for match in LINK.finditer(line):
        out.append(_linkify(line[position:match.start()]))
        out.append(f'<a href="{escape(match[2])}">{escape(match[1])}</a>')
        position = match.end()
    out.append(_linkify(line[position:]))
    return "".join(out)


def _linkify(text: str) -> str:
    out, position = [], 0
    for match in URL.finditer(text):
        out.append(str(escape(text[position:match.start()])))
        out.append(f'<a href="{escape(match[0])}">{escape(match[0])}</a>')
        position = match.end()
    out.append(str(escape(text[position:])))
    return "".join(out)


def _text(body: str) -> str:
    """The text version: the body as written, links written out."""
    return LINK.sub(lambda match: f"{match[1]} ({match[2]})", body.strip()) + "\n"


@dataclass
class Rendered:
    """One language's message with its placeholders still in (filled per recipient)."""

    subject: str
    text: str
    html: str
    fragment: str  # the body's HTML alone, for the preview on a page


def _render_language(conference: Conference, draft: Draft, locale: str) -> Rendered:
    subject, body = (draft.subject_ar, draft.body_ar) if locale == "ar" else (draft.subject_en, draft.body_en)
    fragment = _paragraphs(body)
    with force_locale(locale):
        html = render_template(f"{TEMPLATE}.html", locale=locale, conference=conference, subject=subject,
                               body=fragment)
    return Rendered(subject=subject, text=_text(body), html=html, fragment=str(fragment))


def _values(conference: Conference, person: Recipient, locale: str, links: dict[str, str]) -> dict[str, str]:
    session_time = ""
    if person.session_starts_at is not None:
        with force_locale(locale):
            session_time = format_datetime(person.session_starts_at.astimezone(conference.tz), "medium",
                                           rebase=False)
    return {
        "name": person.name,
        "first_name": person.name.split()[0] if person.name.split() else person.name,
        "conference": conference.name_ar if locale == "ar" and conference.name_ar else conference.name_en,
        "code": person.code,
        "proposal_title": person.proposal_title,
        "session_title": (person.session_title_ar if locale == "ar" else "") or person.session_title_en
        or person.session_title_ar,
        "session_time": session_time,
        **links,
    }


def _links(conference: Conference) -> dict[str, str]:
    return {"agenda_link": absolute_url("agenda.agenda", slug=conference.slug),
            "my_link": absolute_url("registration.me", slug=conference.slug),
            "badge_link": absolute_url("badging.my_badge", slug=conference.slug)}


def _fill(template: str, values: dict[str, str], html: bool) -> str:
    def value(match: re.Match) -> str:
        found = values.get(match[1], match[0])
        if not html:
            return found
        if match[1].endswith("_link"):
            return f'<a href="{escape(found)}">{escape(found)}</a>'
        return str(escape(found))
    return PLACEHOLDER.sub(value, template)


class Composer:
    """A message rendered once per language, then filled in for each recipient."""

    def __init__(self, conference: Conference, draft: Draft) -> None:
        self.conference = conference
        english, arabic = bool(draft.subject_en.strip()), bool(draft.subject_ar.strip())
        self.language = {"en": "en" if english else "ar", "ar": "ar" if arabic else "en"}
        self.versions = {locale: _render_language(conference, draft, locale) for locale in set(self.language.values())}
        self.links = _links(conference)

    def mail(self, person: Recipient) -> dict:
        """Subject, text and HTML for one recipient, in their language (the other when theirs was left empty)."""
        locale = self.language[person.locale]
        version = self.versions[locale]
        values = _values(self.conference, person, locale, self.links)
        subject = " ".join(_fill(version.subject, values, html=False).split())[:300]  # one line, always
        return {"recipient": person.email, "subject": subject, "body_text": _fill(version.text, values, False),
                "body_html": _fill(version.html, values, True), "locale": locale}


def draft_of(message: Message) -> Draft:
    """The text of a stored message."""
    return Draft(message.subject_en, message.body_en, message.subject_ar, message.body_ar)


def message_of_form(conference: Conference, form_token: str) -> Message | None:
    """The message a compose form created, if it did."""
    return db.session.scalar(Message.of(conference).where(Message.form_token == form_token[:64]))


def create_message(conference: Conference, author: User, draft: Draft, audience: Audience, form_token: str,
                   send_at: datetime | None = None) -> Message:
    """Keep a message to send (at once or at `send_at`); a worker queues its mail. The same form twice: the first."""
    existing = message_of_form(conference, form_token)
    if existing is not None:
        return existing
    check_audience(conference, audience)
    problems = check_draft(draft, audience)
    if problems:
        raise ServiceError(" ".join(problems))
    if send_at is not None and send_at <= utcnow():
        raise ServiceError(_("The time to send is in the past."))
    if send_at is None and count_recipients(conference, audience) == 0:
        raise ServiceError(_("Nobody is in this audience: nothing was sent."))
    message = Message(conference_id=conference.id, author_id=author.id, form_token=form_token[:64],
                      subject_en=draft.subject_en, body_en=draft.body_en, subject_ar=draft.subject_ar,
                      body_ar=draft.body_ar, audience=json.dumps(audience.as_data()),
                      audience_label=describe(conference, audience), send_at=send_at)
    db.session.add(message)
    db.session.flush()
    if send_at is None:
        from .tasks import queue_message_task  # the tasks module builds on these services

        wake_after_commit(db.session, queue_message_task, conference.id, message.id)
    return message


def _claim(conference: Conference, message_id: int) -> bool:
    """Take a message for queuing; False when another worker has it, or it is done, cancelled or not due."""
    now = utcnow()
    claimed = db.session.execute(
        update(Message).where(
            Message.id == message_id, Message.conference_id == conference.id,
            ((Message.state == MessageState.WAITING) & ((Message.send_at.is_(None)) | (Message.send_at <= now)))
            | ((Message.state == MessageState.QUEUING) & (Message.claimed_at < now - CLAIM_LEASE)))
        .values(state=MessageState.QUEUING, claimed_at=now)).rowcount == 1
    db.session.commit()
    return claimed


def queue_message(conference: Conference, message_id: int, batch_size: int | None = None) -> int | None:
    """Put one outbox mail per recipient in the outbox, a batch per transaction (resumable); returns how many,
    or None when another worker has the message or it is not due."""
    if not _claim(conference, message_id):
        return None
    message = Message.get_for(conference, message_id)
    size = batch_size or current_app.config["MESSAGE_BATCH_SIZE"]
    composer = Composer(conference, draft_of(message))
    done = set(db.session.scalars(select(func.lower(OutboxMessage.recipient))
                                  .where(OutboxMessage.message_id == message.id)))  # an earlier worker's batches
    batch: list[dict] = []
    for person in recipients(conference, Audience.from_data(json.loads(message.audience))):
        if person.email.lower() not in done:
            batch.append(composer.mail(person))
        if len(batch) >= size:
            _write_batch(message, batch)
            batch = []
    _write_batch(message, batch)
    total = db.session.scalar(select(func.count(OutboxMessage.id)).where(OutboxMessage.message_id == message.id))
    message.state, message.queued_at, message.recipients, message.claimed_at = (
        MessageState.QUEUED, utcnow(), total, None)
    db.session.commit()
    return total


def _write_batch(message: Message, batch: list[dict]) -> None:
    """One transaction: the batch's mail and a renewed claim (progress that other workers and the page see)."""
    if batch:
        now = utcnow()
        rows = [{**mail, "template": "message", "conference_id": message.conference_id, "message_id": message.id,
                 "state": MailState.QUEUED, "attempts": 0, "last_error": "", "created_at": now} for mail in batch]
        db.session.execute(insert(OutboxMessage), rows)
        wake_worker()
    message.claimed_at = utcnow()
    db.session.commit()


def queue_due_messages() -> int:
    """Queue every message whose time has come (and any a dead worker left half-queued); returns how many."""
    now = utcnow()
    due = db.session.execute(select(Message.conference_id, Message.id).where(
        ((Message.state == MessageState.WAITING) & ((Message.send_at.is_(None)) | (Message.send_at <= now)))
        | ((Message.state == MessageState.QUEUING) & (Message.claimed_at < now - CLAIM_LEASE)))
        .order_by(Message.id)).all()
    return sum(queue_message(db.session.get(Conference, conference_id), message_id) is not None
               for conference_id, message_id in due)


@dataclass
class Progress:
    """How far a message's mail got."""

    queued: int
    sent: int
    failed: int
    done: bool

    @property
    def total(self) -> int:
        return self.queued + self.sent + self.failed


def progress(message: Message) -> Progress:
    """Counts of the message's mail by delivery state."""
    counts = dict(db.session.execute(
        select(OutboxMessage.state, func.count(OutboxMessage.id)).where(OutboxMessage.message_id == message.id)
        .group_by(OutboxMessage.state)).all())
    queued = counts.get(MailState.QUEUED, 0)
    finished = message.state == MessageState.CANCELLED or (message.state == MessageState.QUEUED and not queued)
    return Progress(queued=queued, sent=counts.get(MailState.SENT, 0), failed=counts.get(MailState.FAILED, 0),
                    done=finished)


def resend_failed(message: Message) -> int:
    """Queue the message's failed mail again (in the caller's transaction); returns how many."""
    count = db.session.execute(update(OutboxMessage).where(
        OutboxMessage.message_id == message.id, OutboxMessage.state == MailState.FAILED)
        .values(state=MailState.QUEUED)).rowcount
    if count:
        wake_worker()
    return count


def cancel(message: Message) -> None:
    """Stop a message that has not started queuing."""
    changed = db.session.execute(update(Message).where(
        Message.id == message.id, Message.state == MessageState.WAITING)
        .values(state=MessageState.CANCELLED)).rowcount
    if not changed:
        raise ServiceError(_("This message is already being sent; it cannot be cancelled."))
    db.session.refresh(message)


def preview(conference: Conference, draft: Draft, person: Recipient) -> dict:
    """The mail `person` would get, exactly as it would be sent (with its HTML body alone, `fragment`)."""
    composer = Composer(conference, draft)
    mail = composer.mail(person)
    values = _values(conference, person, mail["locale"], composer.links)
    return {**mail, "fragment": Markup(_fill(composer.versions[mail["locale"]].fragment, values, html=True))}


def send_test(conference: Conference, draft: Draft, audience: Audience, user: User, sample: Recipient | None) -> int:
    """Queue the message to the organizer themselves, once per language in use, filled in for a sample recipient."""
    composer = Composer(conference, draft)
    person = sample or Recipient(email=user.email, name=user.display_name or user.email, locale=user.locale)
    sent = 0
    for locale in ("en", "ar"):
        own_subject = draft.subject_ar if locale == "ar" else draft.subject_en
        if not own_subject.strip():
            continue
        mail = composer.mail(Recipient(**{**person.__dict__, "email": user.email, "locale": locale}))
        mail["subject"] = ("[" + _("Test") + "] " + mail["subject"])[:300]
        db.session.add(OutboxMessage(**mail, template="message_test", conference_id=conference.id))
        sent += 1
    wake_worker()
    return sent


def history(conference: Conference):
    """SELECT of the conference's messages, newest first."""
    return Message.of(conference).order_by(Message.id.desc())

