"""Fixtures of the messages area: an organizer, delegates in two languages (the SMTP server: tests/smtp.py)."""
from __future__ import annotations

import pytest

from conference.accounts.models import Role


@pytest.fixture
def organizer(doha, make_user):
    return make_user("organizer@example.org", Role.ORGANIZER, doha, name="Noor Organizer")
