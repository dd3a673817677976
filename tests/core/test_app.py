"""The application factory, configuration, health, errors and security headers."""
from __future__ import annotations

import pytest

from conference import create_app
from conference.config import ConfigError
from tests.conftest import app_config


def test_factory_takes_test_settings(app):
    assert app.testing
    assert app.config["SECRET_KEY"] == "test-secret"


def test_production_refuses_default_secret(monkeypatch, database_url):
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app({"SQLALCHEMY_DATABASE_URI": database_url})


def test_production_refuses_short_secret(monkeypatch, database_url):
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "short")
    with pytest.raises(ConfigError):
        create_app({"SQLALCHEMY_DATABASE_URI": database_url})


def test_production_starts_with_real_secret(monkeypatch, database_url):
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 64)
    monkeypatch.setenv("PUBLIC_URL", "https://conference.example.org")
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url})
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_database_url_from_environment(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://u@db/conf")
    from conference.config import load_config

    assert load_config()["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db/conf"


@pytest.mark.sqlite_only
def test_sqlite_runs_with_wal_and_foreign_keys(app):
    from sqlalchemy import text

    from conference.extensions import db

    assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_healthz_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok"}


def test_healthz_503_when_database_unreachable():
    app = create_app(app_config("postgresql+psycopg://nobody@127.0.0.1:1/nowhere"))
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["database"] == "unreachable"


def test_security_headers_on_every_response(client):
    for path in ("/", "/healthz", "/no-such-page"):
        headers = client.get(path).headers
        csp = headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in csp
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"


def test_404_page_in_both_languages(client):
    english = client.get("/no-such-conference/?lang=en")
    assert english.status_code == 404
    assert "We could not find that page." in english.get_data(as_text=True)
    arabic = client.get("/no-such-conference/?lang=ar").get_data(as_text=True)
    assert 'dir="rtl"' in arabic
    assert "لم نتمكن من العثور على هذه الصفحة" in arabic


def test_api_errors_are_json(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.is_json and response.json["status"] == "error"


def test_500_page_rolls_back_and_is_translated(app, client):
    @app.get("/boom-test")
    def boom():
        raise RuntimeError("boom")

    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = client.get("/boom-test?lang=ar")
    assert response.status_code == 500
    assert "حدث خطأ" in response.get_data(as_text=True)


def test_oversized_body_is_refused(client):
    response = client.post("/login", data={"email": "x" * (3 * 1024 * 1024)})
    assert response.status_code == 413


def test_odd_query_strings_never_break_a_page(client, doha):
    for path in ("/?_method=POST", "/doha/?_external=1&lang=ar", "/doha/participants?page=99999999999999999999",
                 "/doha/participants?page=%C2%B2", "/doha/participants?page=-1"):
        response = client.get(path)
        assert response.status_code == 200, path


def test_huge_ids_in_addresses_are_not_found(client, make_user, doha):
    from conference.accounts.models import Role
    from tests.conftest import login

    login(client, make_user(role=Role.ORGANIZER, conference=doha))
    assert client.get("/doha/manage/delegates/99999999999999999999").status_code == 404
    assert client.get("/doha/manage/delegates?delegation=%C2%B2&page=%C2%B2").status_code == 200
    assert client.get("/doha/manage/delegates.csv?delegation=99999999999999999999").status_code == 200


def test_trusted_proxy_headers(database_url):
    app = create_app(app_config(database_url, TRUSTED_PROXIES=1))

    @app.get("/whoami-test")
    def whoami():
        from flask import request

        return f"{request.remote_addr} {request.scheme}"

    response = app.test_client().get("/whoami-test", headers={"X-Forwarded-For": "203.0.113.9",
                                                              "X-Forwarded-Proto": "https"})
    assert response.get_data(as_text=True) == "203.0.113.9 https"
