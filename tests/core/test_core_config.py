"""Safe defaults: cookies Secure exactly over https, and an installation's own secret instead of a published one."""
from __future__ import annotations

import stat

import pytest

import conference.config
from conference import create_app
from conference.accounts.models import User
from conference.config import ConfigError, cookies_secure, instance_secret
from conference.extensions import db
from tests.conftest import PASSWORD, password_hash, run_together


@pytest.fixture
def environment(monkeypatch, tmp_path):
    """A clean environment: no secret, no public URL, development without debug, instance/ in tmp_path."""
    for name in ("SECRET_KEY", "PUBLIC_URL", "APP_ENV", "FLASK_ENV"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("FLASK_DEBUG", "0")
    monkeypatch.setattr(conference.config, "INSTANCE", tmp_path / "instance")
    return monkeypatch


def start(database_url: str, **extra):
    return create_app({"SQLALCHEMY_DATABASE_URI": database_url, "TESTING": True, **extra})


@pytest.mark.parametrize("url, secure", [
    ("https://conference.example.org", True),
    ("HTTPS://conference.example.org/", True),
    ("http://127.0.0.1:5000", False),
    ("http://10.0.0.5", False),
], ids=["https", "https-upper-case", "http-localhost", "http-lan"])
def test_cookies_secure_follows_public_url_scheme(url, secure):
    assert cookies_secure(url) is secure


@pytest.mark.parametrize("env", ["development", "production"])
def test_http_public_url_sends_cookies_without_secure_even_without_debug(environment, database_url, env):
    environment.setenv("APP_ENV", env)
    environment.setenv("SECRET_KEY", "s" * 64)
    environment.setenv("PUBLIC_URL", "http://10.0.0.5:8000")
    app = start(database_url)
    assert app.config["SESSION_COOKIE_SECURE"] is False
    assert app.config["REMEMBER_COOKIE_SECURE"] is False


@pytest.mark.parametrize("env", ["development", "production"])
def test_https_public_url_sends_secure_cookies_even_in_debug(environment, database_url, env):
    environment.setenv("APP_ENV", env)
    environment.setenv("FLASK_DEBUG", "1")
    environment.setenv("SECRET_KEY", "s" * 64)
    environment.setenv("PUBLIC_URL", "https://conference.example.org")
    app = start(database_url)
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["REMEMBER_COOKIE_SECURE"] is True


@pytest.mark.parametrize("public_url, secure", [("http://10.0.0.5:8000", False), ("https://c.example.org", True)],
                         ids=["http", "https"])
def test_login_over_the_wire_sets_cookie_secure_by_scheme(environment, database_url, _schema, public_url, secure):
    environment.setenv("SECRET_KEY", "s" * 64)
    environment.setenv("PUBLIC_URL", public_url)
    app = start(database_url, WTF_CSRF_ENABLED=False)
    with app.app_context():
        db.session.add(User(email="door@example.org", password_hash=password_hash()))
        db.session.commit()
        try:
            response = app.test_client().post("/login", data={"email": "door@example.org", "password": PASSWORD,
                                                              "remember": "y"})
            cookies = response.headers.getlist("Set-Cookie")
            assert response.status_code == 302
            assert {c.split("=")[0] for c in cookies} >= {"session", "remember_token"}
            assert all(("; Secure" in c) is secure for c in cookies)
        finally:
            db.session.execute(db.delete(User))
            db.session.commit()


def test_without_secret_key_a_secret_is_generated_once_and_kept(environment, database_url, tmp_path):
    first = start(database_url).config["SECRET_KEY"]
    path = tmp_path / "instance" / "secret_key"
    assert len(first) >= 32 and path.read_text().strip() == first
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert start(database_url).config["SECRET_KEY"] == first


def test_generated_secret_is_not_a_published_value(environment, database_url, tmp_path, monkeypatch):
    first = start(database_url).config["SECRET_KEY"]
    monkeypatch.setattr(conference.config, "INSTANCE", tmp_path / "another-installation")
    assert start(database_url).config["SECRET_KEY"] != first
    assert first not in {"dev-only-not-secret", "test-secret"}


def test_session_signed_before_a_restart_still_works_after(environment, database_url):
    before = start(database_url)
    with before.test_request_context():
        cookie = before.session_interface.get_signing_serializer(before).dumps({"marker": 1})
    after = start(database_url)
    with after.test_request_context():
        assert after.session_interface.get_signing_serializer(after).loads(cookie) == {"marker": 1}


def test_explicit_secret_key_wins_and_writes_no_file(environment, database_url, tmp_path):
    environment.setenv("SECRET_KEY", "e" * 40)
    assert start(database_url).config["SECRET_KEY"] == "e" * 40
    assert not (tmp_path / "instance" / "secret_key").exists()


def test_production_without_secret_key_refuses_and_generates_nothing(environment, database_url, tmp_path):
    environment.setenv("APP_ENV", "production")
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        start(database_url)
    assert not (tmp_path / "instance" / "secret_key").exists()


def test_loose_permissions_on_the_secret_file_are_tightened(tmp_path):
    secret = instance_secret(tmp_path)
    (tmp_path / "secret_key").chmod(0o644)
    assert instance_secret(tmp_path) == secret
    assert stat.S_IMODE((tmp_path / "secret_key").stat().st_mode) == 0o600


def test_an_empty_secret_file_is_refused_with_a_clear_message(tmp_path):
    (tmp_path / "secret_key").write_text("\n")
    with pytest.raises(ConfigError, match="secret"):
        instance_secret(tmp_path)


def test_workers_starting_together_share_one_secret(tmp_path):
    def worker(ready) -> str:
        ready()
        return instance_secret(tmp_path)

    found = run_together([worker] * 8)
    assert len(found) == 8 and len(set(found)) == 1
    assert [p.name for p in tmp_path.iterdir()] == ["secret_key"]
