"""The scan API's own WSGI entrance (checkin.entrance): bearer tokens' scans answered without Flask's request
context, with the view's contract, headers and log line; everything else (session scans included) handed to
Flask."""
from __future__ import annotations

import logging
from contextlib import contextmanager

import pytest
from flask import g, request_started
from sqlalchemy import func, select

from conference.checkin.devices import issue_device_token
from conference.checkin.models import CheckIn
from conference.extensions import db


@contextmanager
def flask_requests(app):
    """The paths Flask itself handled meanwhile (request_started is sent only inside Flask's request context)."""
    seen = []

    def record(sender, **_extra):
        from flask import request

        seen.append(request.path)

    with request_started.connected_to(record, app):
        yield seen


@pytest.fixture
def device_token(today_conference):
    _, token = issue_device_token(today_conference, "Gate 1", None)
    db.session.commit()
    return token


@pytest.fixture
def badge(today_conference, make_delegate) -> str:
    return make_delegate(today_conference, name="Mariam Al-Kuwari", country="QA").badge_token


def test_token_scans_skip_flask_session_scans_and_other_requests_do_not(app, client, scanner, session_scanner,
                                                                         device_token, badge, make_delegate,
                                                                         today_conference):
    with flask_requests(app) as seen:
        by_device = client.post("/api/v1/door/checkin", json={"code": badge, "nonce": "d1"},
                                headers={"Authorization": f"Bearer {device_token}"})
        by_door_token = scanner(badge, nonce="s1")
        client.get("/healthz")
        by_session = session_scanner(make_delegate(today_conference).badge_token, nonce="c1")
        g.pop("_login_user", None)
        anonymous = app.test_client().post("/api/v1/door/checkin", json={"code": badge})
    assert by_device.get_json()["status"] == "ok" and by_door_token.get_json()["reason"] == "already_checked_in"
    assert by_session.get_json()["status"] == "ok"  # Flask-Login and Flask-WTF answered it, in Flask
    assert anonymous.status_code == 401  # no credentials: answered by the view, in Flask
    assert seen == ["/healthz", "/api/v1/door/checkin", "/api/v1/door/checkin"]


def test_the_entrance_reads_no_cookie(app, session_scanner, badge):
    """A session cookie with a bearer header that is not a token is refused as a token: the cookie is not read."""
    response = session_scanner.client.post("/api/v1/door/checkin", json={"code": badge},
                                           headers={"Authorization": "Bearer not-a-token",
                                                    "X-CSRFToken": session_scanner.csrf})
    assert response.status_code == 401
    assert db.session.scalar(select(func.count(CheckIn.id))) == 0


def test_the_answer_carries_the_sites_headers_and_a_request_id(client, device_token, badge):
    response = client.post("/api/v1/door/checkin", json={"code": badge}, headers={
        "Authorization": f"Bearer {device_token}", "X-Request-ID": "proxy-id-12345678"})
    assert response.mimetype == "application/json"
    assert response.headers["X-Request-ID"] == "proxy-id-12345678"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_one_log_line_per_scan_with_its_request_id(client, device_token, badge, caplog):
    with caplog.at_level(logging.INFO, logger="conference.requests"):
        response = client.post("/api/v1/door/checkin", json={"code": badge},
                               headers={"Authorization": f"Bearer {device_token}"})
    lines = [r for r in caplog.records if r.name == "conference.requests"]
    assert len(lines) == 1 and response.headers["X-Request-ID"] in lines[0].getMessage()
    assert lines[0].request_id == response.headers["X-Request-ID"]


def test_the_answer_is_in_the_scanners_language(client, device_token, badge):
    headers = {"Authorization": f"Bearer {device_token}", "Accept-Language": "ar"}
    body = client.post("/api/v1/door/checkin", json={"code": badge, "nonce": "a"}, headers=headers).get_json()
    assert body["delegate"]["country_name"] == "قطر"
    english = client.post("/api/v1/door/checkin?lang=en", json={"code": badge, "nonce": "b"}, headers=headers)
    assert english.get_json()["delegate"]["country_name"] == "Qatar"


def test_a_body_over_the_limit_is_413(app, client, device_token):
    body = b'{"code": "' + b"1" * (app.config["MAX_CONTENT_LENGTH"] + 10) + b'"}'
    response = client.post("/api/v1/door/checkin", data=body, content_type="application/json",
                           headers={"Authorization": f"Bearer {device_token}"})
    assert response.status_code == 413 and response.get_json()["error"] == 413


@pytest.mark.parametrize("authorization", ["Bearer ", "Bearer  ", "bearer"])
def test_an_empty_bearer_token_is_401(client, today_conference, badge, authorization):
    """It used to be a 500: the rate limit looked for a session user that a token's scan does not read."""
    response = client.post("/api/v1/door/checkin", json={"code": badge}, headers={"Authorization": authorization})
    assert response.status_code == 401 and response.get_json()["error"] == 401


def test_an_unexpected_failure_is_a_logged_json_500(client, device_token, badge, monkeypatch, caplog):
    def broken(*_args, **_kwargs):
        raise RuntimeError("database on fire")

    monkeypatch.setattr("conference.checkin.api.check_in", broken)
    with caplog.at_level(logging.ERROR):
        response = client.post("/api/v1/door/checkin", json={"code": badge},
                               headers={"Authorization": f"Bearer {device_token}"})
    assert response.status_code == 500 and response.get_json()["status"] == "error"
    assert any("scan failed" in r.getMessage() and r.request_id == response.headers["X-Request-ID"]
               for r in caplog.records)
