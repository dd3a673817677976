"""A real SMTP server for the tests that send mail (aiosmtpd on 127.0.0.1): what arrived, optionally slowly, or
refused while `refusing` is set."""
from __future__ import annotations

import asyncio
import email
import email.policy
import socket
from types import SimpleNamespace

import pytest
from aiosmtpd.controller import Controller


class Inbox:
    """An SMTP handler that keeps what it receives; `delay` answers as a busy server does, `refusing` refuses all."""

    def __init__(self, delay: float = 0.0) -> None:
        self.messages: list[email.message.EmailMessage] = []
        self.delay = delay
        self.refusing = False

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.refusing:
            return "550 5.7.1 Refused by policy"
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK"

    def to(self, address: str) -> list[email.message.EmailMessage]:
        return [m for m in self.messages if m["To"] == address]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(app):
    """A real SMTP server on a free local port, and the app configured to use it."""
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    app.config.update(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_USE_TLS=False,
                      MAIL_TIMEOUT=5, MAIL_FROM="Doha Conference <no-reply@example.org>",
                      PUBLIC_URL="https://conference.example.org")
    server = SimpleNamespace(inbox=inbox, controller=controller, port=port)
    yield server
    server.controller.stop()
