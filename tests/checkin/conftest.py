"""Fixtures of the door area: a conference that is on today, door staff, a scanning client."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from itertools import count

import pytest
from flask import g

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


def door_token(client, csrf: str, slug: str = "door") -> str:
    """A door token for the client's logged-in staff member, asked for as the scanner page asks."""
    response = client.post(f"/api/v1/{slug}/door-token", headers={"X-CSRFToken": csrf})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["token"]


@pytest.fixture
def scanner(app, door_staff):
    """A logged-in staff member's scanner page: scan(code, **fields) posts to the API with its door token, as the
    page does; scan.client is the page's browser (its session cookie), scan.csrf the page's CSRF token."""
    client = app.test_client()
    login(client, door_staff)
    token = csrf_token(client, "/door/checkin")
    bearer = door_token(client, token)

    def scan(code, gate="Main entrance", nonce=None, slug="door", **extra):
        body = {"code": code, "gate": gate, "nonce": nonce or f"n{next(_nonces)}", **extra}
        return client.post(f"/api/v1/{slug}/checkin", json=body, headers={"Authorization": f"Bearer {bearer}"})

    scan.client = client
    scan.csrf = token
    scan.token = bearer
    return scan


@pytest.fixture
def session_scanner(app, door_staff):
    """A logged-in staff browser scanning with its session cookie and CSRF header (Flask's own path)."""
    client = app.test_client()
    login(client, door_staff)
    token = csrf_token(client, "/door/checkin")

    def scan(code, gate="Main entrance", nonce=None, slug="door", **extra):
        body = {"code": code, "gate": gate, "nonce": nonce or f"n{next(_nonces)}", **extra}
        g.pop("_login_user", None)  # requests share the test's app context: Flask-Login loads the user afresh
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
