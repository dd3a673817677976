"""Fixtures of the door area: a conference that is on today, door staff, a scanning client."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from itertools import count

import pytest

from conference.accounts.models import Role
from conference.extensions import db
from tests.conftest import csrf_token, login

_nonces = count(1)


@pytest.fixture
def today_conference(make_conference):
    """A conference running from yesterday to tomorrow at the venue (Asia/Qatar), admitting only on its days.

    It began yesterday so that a scan queued a few minutes ago, just before midnight at the venue, is still on one
    of its days.
    """
    today = datetime.now(timezone.utc).astimezone(timezone(timedelta(hours=3))).date()
    return make_conference("door", start_date=today - timedelta(days=1), end_date=today + timedelta(days=1))


@pytest.fixture
def door_staff(make_user, today_conference):
    return make_user("door@example.org", Role.STAFF, today_conference)


@pytest.fixture
def scanner(app, door_staff):
    """A logged-in staff browser: scan(code, **fields) posts to the API with the page's CSRF header."""
    client = app.test_client()
    login(client, door_staff)
    token = csrf_token(client, "/door/checkin")

    def scan(code, gate="Main entrance", nonce=None, slug="door", **extra):
        body = {"code": code, "gate": gate, "nonce": nonce or f"n{next(_nonces)}", **extra}
        return client.post(f"/api/v1/{slug}/checkin", json=body, headers={"X-CSRFToken": token})

    scan.client = client
    scan.csrf = token
    return scan


@pytest.fixture
def organizer_client(app, make_user, today_conference):
    """A logged-in organizer of the door conference."""
    client = app.test_client()
    login(client, make_user("organizer@example.org", Role.ORGANIZER, today_conference))
    return client


def reload(obj):
    """The row as the database has it now."""
    db.session.expire_all()
    return db.session.get(type(obj), obj.id)
