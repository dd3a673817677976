"""Delivery over real SMTP (aiosmtpd on 127.0.0.1): Arabic intact, failures kept and retried, nothing sent twice,
and no request waits on the mail server."""
from __future__ import annotations

import socket
from types import SimpleNamespace

from aiosmtpd.controller import Controller
from sqlalchemy import select

from conference.core.tasks import queue, run_pending
from conference.extensions import db
from conference.mail.models import MailState, OutboxMessage
from conference.mail.services import deliver_pending, queue_mail
from tests.conftest import post_form, run_together
from tests.smtp import free_port


def queue_welcome(conference, locale: str = "ar") -> OutboxMessage:
    message = queue_mail("layla@example.org", "welcome", locale, conference=conference,
                         user=SimpleNamespace(display_name="ليلى الهاشمي"),
                         login_url="https://conference.example.org/login")
    db.session.commit()
    return message


def test_arabic_subject_and_body_arrive_intact(app, doha, smtp_server):
    message = queue_welcome(doha)
    assert deliver_pending() == (1, 0)
    received = smtp_server.inbox.messages[0]
    assert received["Subject"] == message.subject == "حسابك جاهز"
    assert received["To"] == "layla@example.org"
    text = received.get_body(("plain",)).get_content()
    html = received.get_body(("html",)).get_content()
    assert "ليلى الهاشمي" in text and "ليلى الهاشمي" in html
    assert 'dir="rtl"' in html


def test_links_in_mail_are_absolute(app, doha, smtp_server, make_user):
    from conference.mail.services import absolute_url

    queue_mail("layla@example.org", "password_reset", "en", user=make_user("layla@example.org"),
               reset_url=absolute_url("accounts.reset_password", token="abc"), hours=2)
    db.session.commit()
    deliver_pending()
    text = smtp_server.inbox.messages[0].get_body(("plain",)).get_content()
    assert "https://conference.example.org/password/reset/abc" in text


def test_server_down_keeps_the_mail_failed_then_retried_once(app, doha, smtp_server):
    message = queue_welcome(doha)
    smtp_server.controller.stop()
    assert deliver_pending() == (0, 1)
    db.session.refresh(message)
    assert message.state == MailState.FAILED and message.last_error
    smtp_server.controller = Controller(smtp_server.inbox, hostname="127.0.0.1", port=smtp_server.port)
    smtp_server.controller.start()  # the server is back
    assert deliver_pending(include_failed=True) == (1, 0)
    assert deliver_pending(include_failed=True) == (0, 0)
    assert len(smtp_server.inbox.messages) == 1
    db.session.refresh(message)
    assert (message.state, message.attempts) == (MailState.SENT, 2)


def test_server_refusing_keeps_the_mail_failed_then_retried_once(app, doha, smtp_server):
    message = queue_welcome(doha)
    smtp_server.inbox.refusing = True
    assert deliver_pending() == (0, 1)
    db.session.refresh(message)
    assert message.state == MailState.FAILED and "550" in message.last_error
    smtp_server.inbox.refusing = False
    assert deliver_pending(include_failed=True) == (1, 0)
    assert len(smtp_server.inbox.messages) == 1


def test_a_silent_server_times_out_and_the_mail_stays(app, doha):
    """A server that accepts the connection and never answers: the worker gives up after MAIL_TIMEOUT."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    app.config.update(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=listener.getsockname()[1],
                      MAIL_USE_TLS=False, MAIL_TIMEOUT=0.5)
    message = queue_welcome(doha)
    try:
        assert deliver_pending() == (0, 1)
    finally:
        listener.close()
    db.session.refresh(message)
    assert message.state == MailState.FAILED and "timed out" in message.last_error


def test_a_commit_that_queued_mail_wakes_a_worker(app, doha, smtp_server):
    queue_mail("a@example.org", "welcome", "en", conference=doha, user=SimpleNamespace(display_name="A"),
               login_url="https://conference.example.org/login")
    queue_welcome(doha)
    assert len(queue().pending()) == 1  # one wake-up per commit; the task reads the outbox
    queue_welcome(doha, "en")
    assert run_pending(quick_periodic=False) == 2
    assert len(smtp_server.inbox.messages) == 3


def test_mail_of_a_rolled_back_change_wakes_nobody(app, doha):
    queue_mail("layla@example.org", "welcome", "en", conference=doha, user=SimpleNamespace(display_name="L"),
               login_url="https://conference.example.org/login")
    db.session.rollback()
    assert queue().pending() == []


def test_send_mail_does_the_pending_work_once_and_exits(app, doha, smtp_server, runner):
    queue_welcome(doha)
    result = runner.invoke(args=["send-mail"])
    assert result.exit_code == 0, result.output
    assert len(smtp_server.inbox.messages) == 1
    assert "; 1 sent; 0 failed and 0 queued in the outbox." in result.output
    smtp_server.inbox.refusing = True
    queue_welcome(doha)
    assert "; 0 sent; 1 failed and 0 queued" in runner.invoke(args=["send-mail"]).output
    smtp_server.inbox.refusing = False
    assert "; 1 sent; 0 failed" in runner.invoke(args=["send-mail", "--retry-failed"]).output


def test_two_workers_at_once_send_each_message_once(app, doha, smtp_server):
    for _ in range(6):
        queue_welcome(doha)

    def worker(ready) -> None:
        ready()
        deliver_pending()

    run_together([worker] * 2, app)
    assert len(smtp_server.inbox.messages) == 6


def test_a_request_does_not_wait_on_the_mail_server(app, client, doha):
    """Registering queues the mail and answers, even with the mail server unreachable."""
    app.config.update(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port(), MAIL_USE_TLS=False)
    response = post_form(client, "/doha/register", {
        "name": "Layla Haddad", "email": "layla@example.org", "password": "a-long-password",
        "confirm": "a-long-password", "country": "JO", "consent_privacy": "y",
    })
    assert response.status_code in (200, 302) and b'class="error"' not in response.data
    messages = db.session.scalars(select(OutboxMessage)).all()
    assert messages and all(m.state == MailState.QUEUED and m.attempts == 0 for m in messages)
