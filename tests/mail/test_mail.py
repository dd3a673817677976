"""The outbox: rendering in the recipient's language, delivery, failures kept for retry, the pages."""
from __future__ import annotations

from sqlalchemy import select

from conference.accounts.models import Role
from conference.extensions import db
from conference.mail.models import MailState, OutboxMessage
from conference.mail.services import deliver, deliver_pending, queue_mail
from tests.conftest import login, post_form


def welcome(doha, locale="ar", name="ليلى <b>"):
    from types import SimpleNamespace

    message = queue_mail("layla@example.org", "welcome", locale, conference=doha,
                         user=SimpleNamespace(display_name=name), login_url="http://x/login")
    db.session.commit()
    return message


def test_rendered_in_recipient_language_with_text_and_html(app, doha):
    message = welcome(doha)
    assert message.subject == "حسابك جاهز" and message.locale == "ar"
    assert "مرحبًا ليلى <b>" in message.body_text
    assert "&lt;b&gt;" in message.body_html and 'dir="rtl"' in message.body_html
    assert message.state == MailState.QUEUED


def test_log_backend_sends(app, doha):
    message = welcome(doha, "en")
    assert deliver_pending() == (1, 0)
    db.session.refresh(message)
    assert message.state == MailState.SENT and message.attempts == 1 and message.sent_at


def test_failed_smtp_stays_in_outbox_and_is_retried(app, doha):
    app.config.update(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=1, MAIL_USE_TLS=False)
    message = welcome(doha, "en")
    assert deliver_pending() == (0, 1)
    db.session.refresh(message)
    assert message.state == MailState.FAILED and "Error" in message.last_error
    assert deliver_pending() == (0, 0)  # failed mail waits for a retry
    app.config["MAIL_BACKEND"] = "log"
    assert deliver_pending(include_failed=True) == (1, 0)
    db.session.refresh(message)
    assert message.state == MailState.SENT and message.attempts == 2


def test_a_message_is_sent_once_even_when_two_workers_try(app, doha):
    from datetime import timedelta

    from conference.mail.services import _claim
    from conference.types import utcnow

    message = welcome(doha, "en")
    assert _claim(message.id) is True  # a first worker is sending it right now
    assert deliver(message) is None  # so a second one leaves it alone
    message.claimed_at = utcnow() - timedelta(minutes=10)  # the first worker died while sending
    db.session.commit()
    assert deliver(message) is True
    assert deliver(message) is None  # sent: nobody sends it again


def test_outbox_pages(client, doha, make_user):
    organizer = make_user("boss@example.org", Role.ORGANIZER, doha)
    message = welcome(doha, "en", name="Layla")
    login(client, organizer)
    page = client.get("/doha/manage/outbox?lang=en").get_data(as_text=True)
    assert "layla@example.org" in page and "Your account is ready" in page
    assert "Hello Layla" in client.get(f"/doha/manage/outbox/{message.id}").get_data(as_text=True)


def test_send_again_queues_a_failed_message_for_the_worker(client, doha, make_user):
    message = welcome(doha, "en", name="Layla")
    message.state = MailState.FAILED
    db.session.commit()
    login(client, make_user("boss@example.org", Role.ORGANIZER, doha))
    response = post_form(client, f"/doha/manage/outbox/{message.id}/retry", {})
    assert response.status_code == 302
    db.session.refresh(message)
    assert message.state == MailState.QUEUED and message.attempts == 0  # nothing was sent in the request


def test_outbox_of_another_conference_is_hidden(client, doha, make_conference, make_user):
    other = make_conference("other")
    message = welcome(other, "en")
    login(client, make_user("boss@example.org", Role.ORGANIZER, doha))
    assert client.get(f"/doha/manage/outbox/{message.id}").status_code == 404
    assert "layla@example.org" not in client.get("/doha/manage/outbox").get_data(as_text=True)


def test_admin_outbox_filters_by_state(client, doha, make_user):
    welcome(doha, "en")
    login(client, make_user(admin=True))
    assert "layla@example.org" in client.get("/admin/outbox?state=queued").get_data(as_text=True)
    assert "layla@example.org" not in client.get("/admin/outbox?state=sent").get_data(as_text=True)
    assert db.session.scalar(select(OutboxMessage.state)) == MailState.QUEUED
