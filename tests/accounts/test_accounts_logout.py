"""Logging out ends the session on the server: copies of the session or remember-me cookie stop working."""
from __future__ import annotations

import pytest
from flask import g
from sqlalchemy import select

from conference.accounts.access import load_user
from conference.accounts.models import User
from conference.accounts.services import end_sessions
from conference.extensions import db
from tests.conftest import PASSWORD, csrf_token, login, post_form

PROTECTED = "/account/password"


def fresh(app):
    """A new browser; the test's shared `g` forgets the user Flask-Login cached for the previous one."""
    g.pop("_login_user", None)
    return app.test_client()


def opens_protected_page(client) -> bool:
    g.pop("_login_user", None)
    return client.get(PROTECTED).status_code == 200


def log_out(client) -> None:
    g.pop("_login_user", None)
    response = post_form(client, "/logout", {"csrf_token": csrf_token(client, "/logout")})
    assert response.status_code == 302


def copy_cookie(app, client, name: str):
    """A new browser holding only a copy of one cookie of `client`."""
    cookie = client.get_cookie(name)
    assert cookie is not None, f"no {name} cookie"
    thief = fresh(app)
    thief.set_cookie(name, cookie.value)
    return thief


def test_end_sessions_makes_the_old_session_id_unknown(app, make_user):
    user = make_user("sam@example.org")
    old_id = user.get_id()
    end_sessions(user)
    db.session.commit()
    assert load_user(old_id) is None
    assert load_user(user.get_id()) == user


def test_two_logouts_each_raise_the_generation(app, make_user):
    user = make_user("sam@example.org")
    end_sessions(user)
    end_sessions(user)
    db.session.commit()
    assert db.session.scalar(select(User.session_generation).where(User.id == user.id)) == 2


def test_new_users_start_at_generation_zero(app, make_user):
    assert make_user("sam@example.org").session_generation == 0


def test_copied_session_cookie_stops_working_after_logout(app, make_user):
    user = make_user("sam@example.org")
    browser = fresh(app)
    login(browser, user)
    assert opens_protected_page(browser)
    thief = copy_cookie(app, browser, "session")
    assert opens_protected_page(thief)  # the copy works while the session is alive
    log_out(browser)
    assert not opens_protected_page(thief)
    assert not opens_protected_page(browser)


def test_copied_remember_token_stops_working_after_logout(app, make_user):
    make_user("sam@example.org")
    browser = fresh(app)
    post_form(browser, "/login", {"email": "sam@example.org", "password": PASSWORD, "remember": "y"})
    thief = copy_cookie(app, browser, "remember_token")
    assert opens_protected_page(thief)  # remember-me alone logs a new browser in while it is valid
    log_out(browser)
    assert not opens_protected_page(copy_cookie(app, thief, "remember_token"))


def test_logout_ends_the_sessions_of_other_devices(app, make_user):
    user = make_user("sam@example.org")
    here, elsewhere = fresh(app), fresh(app)
    login(here, user)
    login(elsewhere, user)
    log_out(here)
    assert not opens_protected_page(elsewhere)


def test_logging_in_again_after_logout_works(app, make_user):
    make_user("sam@example.org")
    browser = fresh(app)
    post_form(browser, "/login", {"email": "sam@example.org", "password": PASSWORD})
    log_out(browser)
    g.pop("_login_user", None)
    post_form(browser, "/login", {"email": "sam@example.org", "password": PASSWORD})
    assert opens_protected_page(browser)


def test_logout_does_not_touch_other_users(app, make_user):
    sam, ali = make_user("sam@example.org"), make_user("ali@example.org")
    sam_browser, ali_browser = fresh(app), fresh(app)
    login(sam_browser, sam)
    login(ali_browser, ali)
    log_out(sam_browser)
    assert opens_protected_page(ali_browser)


@pytest.mark.parametrize("method", ["get", "head"])
def test_logout_by_get_only_asks_and_ends_nothing(app, make_user, method):
    user = make_user("sam@example.org")
    browser = fresh(app)
    login(browser, user)
    getattr(browser, method)("/logout")
    assert opens_protected_page(browser)


def test_logout_page_says_every_device_is_logged_out(app, make_user):
    browser = fresh(app)
    login(browser, make_user("sam@example.org"))
    page = browser.get("/logout?lang=en").get_data(as_text=True)
    assert "every device" in page
