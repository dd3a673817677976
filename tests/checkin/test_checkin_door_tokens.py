"""Door tokens: the scanner page's bearer credential for its logged-in staff member (POST /api/v1/<slug>/door-token),
and the staff session's own way in (cookie and CSRF header, through Flask-Login and Flask-WTF)."""
from __future__ import annotations

import os
import uuid
from datetime import datetime, timedelta, timezone

import pytest
import redis
from flask import g
from sqlalchemy import func, select, update

from conference import create_app
from conference.accounts.models import Membership, Role, User
from conference.accounts.services import change_password, remove_team_member
from conference.checkin.devices import issue_device_token, issue_door_token
from conference.checkin.models import CheckIn, DoorToken, ScanLog
from conference.checkin.services import CheckInError
from conference.extensions import db
from tests.checkin.conftest import door_token
from tests.conftest import IN_CI, PASSWORD, app_config, csrf_token, login, post_form

URL = "/api/v1/door/checkin"
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def admitted() -> int:
    return db.session.scalar(select(func.count(CheckIn.id)))


def scan_with(client, token: str, code: str, slug: str = "door"):
    return client.post(f"/api/v1/{slug}/checkin", json={"code": code}, headers={"Authorization": f"Bearer {token}"})


@pytest.fixture
def badge(today_conference, make_delegate) -> str:
    return make_delegate(today_conference, name="Fatima Al-Sayed", country="QA").badge_token


def test_the_page_gets_a_token_that_scans_searches_and_lists(app, scanner, today_conference, make_delegate,
                                                            door_staff):
    response = scanner.client.post("/api/v1/door/door-token", headers={"X-CSRFToken": scanner.csrf})
    body = response.get_json()
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    expires = datetime.fromisoformat(body["expires_at"])
    assert timedelta(minutes=59) < expires - datetime.now(timezone.utc) <= timedelta(hours=1)
    token = body["token"]
    delegate = make_delegate(today_conference, name="Youssef Benali", country="MA")
    other = app.test_client()  # the token alone: no cookie
    assert scan_with(other, token, delegate.badge_token).get_json()["status"] == "ok"
    headers = {"Authorization": f"Bearer {token}"}
    assert other.get("/api/v1/door/checkin/search?q=Benali", headers=headers).get_json()["results"]
    assert other.get("/api/v1/door/door-list", headers=headers).status_code == 200
    line = db.session.scalars(select(ScanLog)).one()
    assert (line.staff_id, line.device_id) == (door_staff.id, None)  # recorded as the staff member's scan
    assert db.session.scalar(select(DoorToken.token_hash)) != token  # only its hash is stored


@pytest.mark.parametrize("role", [None, Role.REVIEWER])
def test_only_the_door_team_gets_a_token(app, make_user, today_conference, role):
    client = app.test_client()
    login(client, make_user("someone@example.org", role, today_conference) if role else
          make_user("someone@example.org"))
    csrf = csrf_token(client, "/")
    assert client.post("/api/v1/door/door-token", headers={"X-CSRFToken": csrf}).status_code == 403
    assert db.session.scalar(select(func.count(DoorToken.id))) == 0


def test_a_token_needs_a_login_and_the_csrf_header(app, scanner, today_conference):
    anonymous = app.test_client()
    csrf = csrf_token(anonymous, "/login")
    g.pop("_login_user", None)  # requests share the test's app context, where Flask-Login caches the user
    assert anonymous.post("/api/v1/door/door-token", headers={"X-CSRFToken": csrf}).status_code == 401
    assert scanner.client.post("/api/v1/door/door-token").status_code == 400  # no CSRF header: a cross-site POST
    assert scanner.client.post("/api/v1/door/door-token", headers={"X-CSRFToken": "x" * 40}).status_code == 400
    assert scanner.client.post("/api/v1/nowhere/door-token",
                               headers={"X-CSRFToken": scanner.csrf}).status_code == 404


def test_a_token_works_at_its_own_conference_only(app, scanner, make_conference, make_delegate, door_staff):
    elsewhere = make_conference("elsewhere")
    db.session.add(Membership(user_id=door_staff.id, conference_id=elsewhere.id, role=Role.STAFF))
    db.session.commit()
    badge = make_delegate(elsewhere).badge_token
    assert scan_with(app.test_client(), scanner.token, badge, slug="elsewhere").status_code == 403
    assert admitted() == 0


def test_log_out_ends_the_token_at_once(app, scanner, badge):
    assert scan_with(app.test_client(), scanner.token, badge).status_code == 200
    post_form(scanner.client, "/logout", {})
    assert scan_with(app.test_client(), scanner.token, badge).status_code == 401
    assert admitted() == 1


def test_a_password_change_ends_the_token_at_once(app, scanner, door_staff, badge):
    change_password(door_staff, PASSWORD, "another-horse-battery")
    db.session.commit()
    assert scan_with(app.test_client(), scanner.token, badge).status_code == 401
    assert admitted() == 0


def test_leaving_the_door_team_ends_the_token(app, scanner, door_staff, today_conference, make_user, badge):
    make_user("boss@example.org", Role.ORGANIZER, today_conference)
    membership = db.session.scalar(select(Membership).where(Membership.user_id == door_staff.id))
    remove_team_member(today_conference.id, membership.id)
    db.session.commit()
    # The database deleted the token with the membership it was issued on.
    assert db.session.scalar(select(func.count(DoorToken.id))) == 0
    assert scan_with(app.test_client(), scanner.token, badge).status_code == 401


def test_an_expired_token_is_refused_and_the_next_issue_clears_it(app, scanner, door_staff, today_conference, badge):
    db.session.execute(update(DoorToken).values(expires_at=datetime.now(timezone.utc) - timedelta(seconds=1)))
    db.session.commit()
    assert scan_with(app.test_client(), scanner.token, badge).status_code == 401
    fresh = door_token(scanner.client, scanner.csrf)
    assert db.session.scalar(select(func.count(DoorToken.id))) == 1  # the expired one went
    assert scan_with(app.test_client(), fresh, badge).status_code == 200


def test_an_administrators_token_holds_while_the_flag_does(app, make_user, today_conference, badge):
    admin = make_user("admin@example.org")
    admin.is_admin = True
    db.session.commit()
    client = app.test_client()
    login(client, admin)
    token = door_token(client, csrf_token(client, "/door/checkin"))
    assert scan_with(app.test_client(), token, badge).status_code == 200
    db.session.execute(update(User).where(User.id == admin.id).values(is_admin=False))
    db.session.commit()
    assert scan_with(app.test_client(), token, "another").status_code == 401


def test_the_service_refuses_someone_off_the_door_team(make_user, today_conference):
    with pytest.raises(CheckInError):
        issue_door_token(today_conference, make_user("visitor@example.org", Role.REVIEWER, today_conference))


def test_a_session_scan_needs_its_own_csrf_token(app, session_scanner, badge, make_user, today_conference):
    """Flask-WTF checks a session's scan: a missing, forged or borrowed token is refused."""
    client = session_scanner.client
    missing = client.post(URL, json={"code": badge})
    forged = client.post(URL, json={"code": badge}, headers={"X-CSRFToken": "x" * 40})
    colleague = app.test_client()  # another door's browser: its session has its own token
    login(colleague, make_user("second-door@example.org", Role.STAFF, today_conference))
    colleague.get("/door/checkin")
    borrowed = colleague.post(URL, json={"code": badge}, headers={"X-CSRFToken": session_scanner.csrf})
    for response in (missing, forged, borrowed):
        assert response.status_code == 400 and response.get_json()["error"] == 400
    assert admitted() == 0


def test_over_https_a_session_scan_needs_a_same_origin_referrer(session_scanner, badge):
    client, token = session_scanner.client, session_scanner.csrf
    no_referrer = client.post(URL, json={"code": badge}, headers={"X-CSRFToken": token}, base_url="https://localhost")
    foreign = client.post(URL, json={"code": badge}, base_url="https://localhost",
                          headers={"X-CSRFToken": token, "Referer": "https://evil.example/door/checkin"})
    ours = client.post(URL, json={"code": badge}, base_url="https://localhost",
                       headers={"X-CSRFToken": token, "Referer": "https://localhost/door/checkin"})
    assert (no_referrer.status_code, foreign.status_code, ours.status_code) == (400, 400, 200)


def test_a_session_scan_ends_at_log_out(app, session_scanner, badge, today_conference, make_delegate):
    client = session_scanner.client
    assert session_scanner(badge, nonce="before").status_code == 200
    cookie = client.get_cookie("session").value
    post_form(client, "/logout", {})
    copied = app.test_client()
    copied.set_cookie("session", cookie)
    g.pop("_login_user", None)
    other = make_delegate(today_conference, name="Second Badge").badge_token
    response = copied.post(URL, json={"code": other, "nonce": "after"}, headers={"X-CSRFToken": session_scanner.csrf})
    assert response.status_code == 401
    assert admitted() == 1


def test_token_and_session_scans_count_against_the_scan_limit(app, scanner, session_scanner, badge):
    """One limit, counted in Flask-Limiter's storage, whichever way a scan comes in."""
    app.config["SCAN_RATE_LIMIT"] = "2 per minute"
    assert [scanner(badge).status_code for _ in range(3)] == [200, 200, 429]
    assert [session_scanner(badge).status_code for _ in range(3)] == [200, 200, 429]


def test_with_redis_the_scan_limit_is_counted_in_redis(database_url, today_conference, badge):
    """RATELIMIT_STORAGE_URI pointing at Redis: the scans of every worker count in one place."""
    store = redis.Redis.from_url(REDIS_URL)
    try:
        store.ping()
    except redis.ConnectionError:
        if IN_CI:
            raise
        pytest.skip("no Redis at " + REDIS_URL)
    prefix = f"door-test-{uuid.uuid4().hex}"
    _, token = issue_device_token(today_conference, "Gate 9", None)
    db.session.commit()
    other = create_app(app_config(database_url, RATELIMIT_STORAGE_URI=REDIS_URL, RATELIMIT_KEY_PREFIX=prefix,
                                  SCAN_RATE_LIMIT="2 per minute"))
    client = other.test_client()
    try:
        answers = [scan_with(client, token, badge).status_code for _ in range(3)]
        kept = store.keys(f"*{prefix}*")
    finally:
        for key in store.scan_iter(f"*{prefix}*"):
            store.delete(key)
    assert answers == [200, 200, 429]
    assert len(kept) == 1 and int(store.get(kept[0]) or 0) in (0, 3)  # deleted above, or counted 3
