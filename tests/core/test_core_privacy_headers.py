"""Personal pages and exports are never cached (Cache-Control: no-store); production sends HSTS."""
from __future__ import annotations

from datetime import date

import pytest

from conference import create_app
from conference.accounts.models import Role, User
from conference.extensions import db
from conference.mail.services import queue_mail
from conference.registration.models import Delegate
from tests.conftest import app_config, login

ORGANIZER_PAGES = [
    "/doha/manage/",
    "/doha/manage/delegates",
    "/doha/manage/delegates/{delegate}",
    "/doha/manage/delegates/{delegate}/edit",
    "/doha/manage/delegates.csv",
    "/doha/manage/delegates.xlsx",
    "/doha/manage/delegates/{delegate}/visa-letter.pdf",
    "/doha/manage/badges",
    "/doha/manage/badges.pdf?layout=a6",
    "/doha/manage/delegates/{delegate}/badge.pdf",
    "/doha/manage/attendance",
    "/doha/manage/attendance.csv",
    "/doha/manage/outbox",
    "/doha/manage/outbox/{message}",
    "/doha/manage/team",
]
DELEGATE_PAGES = ["/doha/me", "/doha/me/edit", "/doha/me/visa-letter.pdf", "/doha/me/badge.pdf", "/account/password"]
PUBLIC_PAGES = ["/", "/doha/", "/doha/register", "/doha/participants", "/login", "/signup", "/healthz"]


@pytest.fixture
def delegate(doha, make_delegate) -> Delegate:
    return make_delegate(doha, visa_requested=True, passport_name="HAMAD AL HOUSNI", nationality="OM",
                         passport_number="A1234567", passport_expiry=date(2035, 1, 1), visa_letter_ref="DOHA-V1")


@pytest.fixture
def values(doha, delegate, make_user) -> dict:
    message = queue_mail("someone@example.org", "welcome", "en", conference=doha,
                         user=make_user("someone@example.org"), login_url="http://x/login")
    db.session.commit()
    return {"delegate": delegate.id, "message": message.id}


@pytest.mark.parametrize("path", ORGANIZER_PAGES)
def test_organizer_pages_and_exports_are_not_stored(client, doha, make_user, values, path):
    login(client, make_user("boss@example.org", Role.ORGANIZER, doha))
    response = client.get(path.format(**values))
    assert response.status_code == 200, path
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("path", DELEGATE_PAGES)
def test_delegates_own_pages_and_files_are_not_stored(client, delegate, path):
    delegate.status = delegate.status.PENDING if path.endswith("/edit") else delegate.status
    db.session.commit()
    login(client, db.session.get(User, delegate.user_id))
    response = client.get(path)
    assert response.status_code == 200, path
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_any_page_seen_logged_in_is_not_stored(client, make_user, doha, path):
    login(client, make_user("sam@example.org"))
    assert client.get(path).headers.get("Cache-Control") == "no-store"


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_for_visitors_stay_cacheable(client, doha, path):
    assert "no-store" not in client.get(path).headers.get("Cache-Control", "")


def test_static_files_stay_cacheable_when_logged_in(client, make_user):
    login(client, make_user("sam@example.org"))
    response = client.get("/static/css/app.css")
    assert response.status_code == 200 and "no-store" not in response.headers.get("Cache-Control", "")


def test_api_answers_to_a_token_are_not_stored(client, doha):
    response = client.get("/api/v1/doha/checkin/search?q=Hamad", headers={"Authorization": "Bearer not-a-token"})
    assert response.headers["Cache-Control"] == "no-store"


def test_remembered_login_is_not_stored_either(app, doha, make_user):
    from tests.conftest import PASSWORD, post_form

    make_user("sam@example.org")
    browser = app.test_client()
    post_form(browser, "/login", {"email": "sam@example.org", "password": PASSWORD, "remember": "y"})
    remembered = app.test_client()
    remembered.set_cookie("remember_token", browser.get_cookie("remember_token").value)
    from flask import g

    g.pop("_login_user", None)
    assert remembered.get("/doha/").headers["Cache-Control"] == "no-store"


def test_production_sends_hsts(monkeypatch, database_url, _schema):
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "p" * 64)
    app = create_app(app_config(database_url, SECRET_KEY="p" * 64))
    with app.app_context():
        response = app.test_client().get("/healthz")
        db.engine.dispose()
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"


def test_development_sends_no_hsts(client):
    assert "Strict-Transport-Security" not in client.get("/healthz").headers
