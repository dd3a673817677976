"""A message to a group, end to end through the queue's workers and a real SMTP server (aiosmtpd)."""
from __future__ import annotations

import email.header
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from conference.core.actions import ServiceError
from conference.core.tasks import queue, run_pending
from conference.extensions import db
from conference.mail.models import MailState, OutboxMessage
from conference.mail.services import deliver_pending
from conference.messages.audiences import Audience
from conference.messages.models import Message, MessageState
from conference.messages.services import Draft, create_message, progress, queue_due_messages, resend_failed
from conference.types import utcnow
from tests.conftest import run_together

BILINGUAL = Draft(subject_en="Welcome to {conference}, {first_name}",
                  body_en="Dear {name},\n\nYour code is {code}.\n\n- badge: {badge_link}\n- agenda: {agenda_link}",
                  subject_ar="أهلاً بك في {conference}",
                  body_ar="عزيزنا {name}،\n\nرمزك {code}.")


def send(doha, organizer, audience: Audience, draft: Draft = BILINGUAL, token: str = "form-1", **kwargs) -> Message:
    message = create_message(doha, organizer, draft, audience, token, **kwargs)
    db.session.commit()
    return message


def test_one_mail_per_recipient_in_their_language_with_placeholders(app, doha, organizer, make_delegate,
                                                                     smtp_server):
    doha.contact_email = "team@doha.example.org"
    db.session.commit()
    english = make_delegate(doha, "Hamad Al-Housni", email="hamad@example.org", locale="en")
    arabic = make_delegate(doha, "ليلى الهاشمي", email="layla@example.org", locale="ar")
    make_delegate(doha, "Pending Person", status="pending", email="pending@example.org")
    make_delegate(doha, "From Qatar", country="QA", email="qatar@example.org")
    message = send(doha, organizer, Audience(status="approved", country="OM"))
    assert run_pending() >= 2  # the queuing task, then the delivery it woke
    assert sorted(m["To"] for m in smtp_server.inbox.messages) == ["hamad@example.org", "layla@example.org"]

    [en] = smtp_server.inbox.to("hamad@example.org")
    assert en["Subject"] == "Welcome to Test Conference, Hamad"
    text = en.get_body(("plain",)).get_content()
    assert "Dear Hamad Al-Housni," in text and english.code in text
    assert "https://conference.example.org/doha/me/badge.pdf" in text
    html = en.get_body(("html",)).get_content()
    assert '<a href="https://conference.example.org/doha/agenda">' in html
    assert en["Message-ID"] and en["Date"] and en["Reply-To"] == "team@doha.example.org"

    [ar] = smtp_server.inbox.to("layla@example.org")
    assert ar["Subject"] == "أهلاً بك في مؤتمر تجريبي"
    raw_subject = ar.get("Subject").__str__()
    assert raw_subject  # decoded by the policy; the wire form is RFC 2047 encoded:
    assert "=?utf-8?" in ar.as_string().split("Subject:", 1)[1].split("\n", 1)[0].lower()
    assert arabic.code in ar.get_body(("plain",)).get_content()
    assert 'dir="rtl"' in ar.get_body(("html",)).get_content()

    db.session.refresh(message)
    assert message.state == MessageState.QUEUED and message.recipients == 2
    numbers = progress(message)
    assert (numbers.queued, numbers.sent, numbers.failed, numbers.done) == (0, 2, 0, True)


def test_an_empty_language_gives_everyone_the_other(app, doha, organizer, make_delegate, smtp_server):
    make_delegate(doha, "ليلى", email="layla@example.org", locale="ar")
    send(doha, organizer, Audience(), Draft(subject_en="Only English", body_en="Hello {first_name}"))
    run_pending()
    [mail] = smtp_server.inbox.messages
    assert mail["Subject"] == "Only English" and 'lang="en"' in mail.get_body(("html",)).get_content()


def test_a_recipient_matching_twice_gets_one_mail_and_a_double_submit_sends_once(app, doha, organizer,
                                                                                make_user, smtp_server):
    from tests.messages.test_messages_audiences import proposal

    speaker = make_user("same@example.org", name="Two Talks")
    proposal(doha, speaker, "accepted")
    proposal(doha, speaker, "accepted")  # the speaker matches twice
    audience = Audience(kind="speakers", proposal_state="accepted")
    draft = Draft(subject_en="About {proposal_title}", body_en="x")
    first = send(doha, organizer, audience, draft)
    again = send(doha, organizer, audience, draft, token="form-1")  # the same form submitted again
    assert again.id == first.id
    run_pending()
    run_pending()
    assert len(smtp_server.inbox.messages) == 1
    assert db.session.scalar(select(func.count(Message.id))) == 1


def test_html_and_script_are_escaped_in_the_html_mail(app, doha, organizer, make_delegate, smtp_server):
    make_delegate(doha, "<script>alert(1)</script>", email="x@example.org")
    send(doha, organizer, Audience(), Draft(subject_en="<b>Hi</b>", body_en="<img src=x onerror=alert(1)> {name}"))
    run_pending()
    html = smtp_server.inbox.messages[0].get_body(("html",)).get_content()
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html and "&lt;img src=x" in html


def test_queued_in_batches_resumed_after_a_dead_worker(app, doha, organizer, make_delegate):
    for n in range(7):
        make_delegate(doha, f"Person {n}", email=f"p{n}@example.org")
    message = send(doha, organizer, Audience())
    queue().flush()  # the wake-up is lost: the periodic work finds the message anyway
    app.config["MESSAGE_BATCH_SIZE"] = 3
    assert queue_due_messages() == 1
    assert db.session.scalar(select(func.count(OutboxMessage.id)).where(OutboxMessage.message_id == message.id)) == 7
    # a worker that died half-way: its claim runs out, another finishes without queuing anyone twice
    db.session.execute(OutboxMessage.__table__.delete().where(OutboxMessage.recipient.in_(["p5@example.org",
                                                                                          "p6@example.org"])))
    message.state, message.claimed_at = MessageState.QUEUING, utcnow() - timedelta(hours=1)
    db.session.commit()
    assert queue_due_messages() == 1
    assert db.session.scalar(select(func.count(OutboxMessage.id)).where(OutboxMessage.message_id == message.id)) == 7


def test_scheduled_send_waits_for_its_time_and_can_be_cancelled(app, doha, organizer, make_delegate, smtp_server):
    from conference.messages.services import cancel

    make_delegate(doha, "Someone", email="someone@example.org")
    later = send(doha, organizer, Audience(), send_at=utcnow() + timedelta(hours=1))
    cancelled = send(doha, organizer, Audience(), token="form-2", send_at=utcnow() + timedelta(hours=1))
    cancel(cancelled)
    db.session.commit()
    run_pending()
    assert smtp_server.inbox.messages == []
    later.send_at = cancelled.send_at = utcnow() - timedelta(seconds=1)  # the time has come
    db.session.commit()
    run_pending()
    assert len(smtp_server.inbox.messages) == 1
    db.session.refresh(cancelled)
    assert cancelled.state == MessageState.CANCELLED
    with pytest.raises(ServiceError):
        cancel(later)


def test_refusals_queue_nothing(app, doha, organizer, make_delegate, make_conference):
    make_delegate(doha, "Someone", email="someone@example.org")
    other = make_conference("other")
    from conference.registration.models import Delegation

    foreign = Delegation(conference_id=other.id, country="OM", name="Oman")
    db.session.add(foreign)
    db.session.commit()
    cases = [
        (Audience(), Draft(subject_en="Hi {nmae}", body_en="x")),  # misspelt placeholder
        (Audience(kind="team"), Draft(subject_en="Hi", body_en="your code {code}")),  # does not apply
        (Audience(), Draft(subject_en="Hi\nBcc: x@example.org", body_en="x")),
        (Audience(), Draft(subject_en="Hi", body_en="x" * 1_000_000)),
        (Audience(country="ZZ"), Draft(subject_en="Hi", body_en="x")),  # nobody
        (Audience(delegation=foreign.id), Draft(subject_en="Hi", body_en="x")),
        (Audience(), Draft()),
    ]
    for audience, draft in cases:
        with pytest.raises(ServiceError):
            create_message(doha, organizer, draft, audience, "t")
        db.session.rollback()
    with pytest.raises(ServiceError):
        create_message(doha, organizer, Draft(subject_en="Hi", body_en="x"), Audience(), "t",
                       send_at=utcnow() - timedelta(minutes=1))
    db.session.rollback()
    assert db.session.scalar(select(func.count(Message.id))) == 0
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0


def test_resend_to_the_failed_ones(app, doha, organizer, make_delegate, smtp_server):
    make_delegate(doha, "A", email="a@example.org")
    make_delegate(doha, "B", email="b@example.org")
    message = send(doha, organizer, Audience())
    run_pending(quick_periodic=False)
    db.session.execute(OutboxMessage.__table__.update().where(OutboxMessage.recipient == "b@example.org")
                       .values(state=MailState.FAILED))
    db.session.commit()
    assert progress(message).failed == 1
    assert resend_failed(message) == 1
    db.session.commit()
    run_pending(quick_periodic=False)
    assert progress(message).sent == 2


def test_two_workers_and_a_slow_server_send_each_mail_once(app, doha, organizer, make_delegate, smtp_server):
    smtp_server.inbox.delay = 0.05
    for n in range(12):
        make_delegate(doha, f"Person {n}", email=f"p{n}@example.org")
    send(doha, organizer, Audience())
    queue().flush()
    queue_due_messages()

    def worker(ready) -> None:
        ready()
        deliver_pending()

    run_together([worker] * 2, app)
    assert sorted(m["To"] for m in smtp_server.inbox.messages) == sorted(f"p{n}@example.org" for n in range(12))


def test_the_arabic_subject_is_encoded_on_the_wire(app, doha, organizer, make_delegate, smtp_server):
    make_delegate(doha, "ليلى", email="layla@example.org", locale="ar")
    send(doha, organizer, Audience(), Draft(subject_ar="مرحباً", body_ar="نص"))
    run_pending()
    raw = smtp_server.inbox.messages[0].as_bytes()
    header = raw.split(b"Subject: ", 1)[1].split(b"\n", 1)[0].decode("ascii")
    assert str(email.header.make_header(email.header.decode_header(header))) == "مرحباً"
