"""Sign-up, login, logout, remember me, password change and the login rate limit."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from conference.accounts.models import User
from conference.accounts.services import AccountError, authenticate, change_password, create_user
from conference.extensions import db
from conference.mail.models import OutboxMessage
from tests.conftest import PASSWORD, csrf_token, login, post_form


def user_count() -> int:
    return db.session.scalar(select(func.count(User.id)))


def signup(client, email="Layla@Example.org", password="a-long-password", name="ليلى"):
    return post_form(client, "/signup", {"display_name": name, "email": email, "password": password,
                                          "confirm": password})


def test_signup_creates_account_with_lowercase_email_and_welcome_mail(client):
    response = signup(client)
    assert response.status_code == 200 and "Check your e-mail" in response.get_data(as_text=True)
    user = db.session.scalar(select(User))
    assert user.email == "layla@example.org" and user.email_verified_at is None
    assert user.password_hash != "a-long-password"
    mail = db.session.scalar(select(OutboxMessage))
    assert mail.recipient == "layla@example.org" and mail.state.value == "queued"  # the mail worker sends it
    assert mail.template == "welcome" and "/account/confirm/" in mail.body_text


def test_signup_with_a_taken_email_answers_as_for_a_new_one(client, make_user):
    make_user("layla@example.org")
    response = signup(client, email="LAYLA@example.org")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Check your e-mail" in page and "already exists" not in page
    assert user_count() == 1
    assert db.session.scalar(select(OutboxMessage.template)) == "signup_attempt"


def test_signup_refuses_short_password(client):
    response = signup(client, password="short")
    assert response.status_code == 200
    assert user_count() == 0


def test_signup_refuses_huge_and_control_character_fields(client):
    assert signup(client, name="x" * 10_000).status_code == 200
    response = signup(client, name="Evil\u202eName")
    assert "control characters" in response.get_data(as_text=True)
    assert user_count() == 0


def test_service_refuses_duplicate_and_short_password(app):
    create_user("a@example.org", PASSWORD)
    with pytest.raises(AccountError):
        create_user("A@EXAMPLE.ORG", PASSWORD)
    with pytest.raises(AccountError):
        create_user("b@example.org", "123")


def test_login_and_logout(client, make_user):
    make_user("sam@example.org")
    response = post_form(client, "/login", {"email": "SAM@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert "Log out" in client.get("/").get_data(as_text=True)
    assert client.get("/logout").status_code == 200
    response = post_form(client, "/logout", {"csrf_token": csrf_token(client, "/logout")})
    assert response.status_code == 302
    assert "Log in" in client.get("/").get_data(as_text=True)


def test_login_remember_me_sets_cookie(client, make_user):
    make_user("sam@example.org")
    response = post_form(client, "/login", {"email": "sam@example.org", "password": PASSWORD, "remember": "y"})
    cookies = response.headers.getlist("Set-Cookie")
    assert any(c.startswith("remember_token=") and "HttpOnly" in c for c in cookies)


@pytest.mark.parametrize("email,password", [("sam@example.org", "wrong-password"), ("nobody@example.org", PASSWORD)])
def test_login_refuses_wrong_password_and_unknown_email(client, make_user, email, password):
    make_user("sam@example.org")
    response = post_form(client, "/login", {"email": email, "password": password})
    assert response.status_code == 200
    assert "The e-mail or password is not correct." in response.get_data(as_text=True)


def test_login_redirects_only_inside_the_site(client, make_user):
    make_user("sam@example.org")
    data = {"email": "sam@example.org", "password": PASSWORD}
    assert post_form(client, "/login?next=/account/password", data).headers["Location"] == "/account/password"
    outside = post_form(client, "/login?next=//evil.example/", data).headers["Location"]
    assert "evil" not in outside


def test_login_is_rate_limited(client, make_user):
    make_user("sam@example.org")
    token = csrf_token(client)
    codes = [
        client.post(
            "/login", data={"csrf_token": token, "email": "sam@example.org", "password": "nope-nope"}
        ).status_code
        for _ in range(11)
    ]
    assert codes[:10] == [200] * 10
    assert codes[10] == 429


def test_login_without_csrf_is_refused(client, make_user):
    make_user("sam@example.org")
    response = client.post("/login", data={"email": "sam@example.org", "password": PASSWORD})
    assert response.status_code == 400


def test_change_password(client, make_user):
    user = make_user("sam@example.org")
    login(client, user)
    response = post_form(client, "/account/password", {"current": PASSWORD, "new": "another-long-one",
                                                        "confirm": "another-long-one"})
    assert response.status_code == 302
    assert authenticate("sam@example.org", "another-long-one") is not None


def test_change_password_refuses_wrong_current(app, make_user):
    user = make_user("sam@example.org")
    with pytest.raises(AccountError):
        change_password(user, "not-the-password", "another-long-one")


def test_password_page_needs_login(client):
    response = client.get("/account/password")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_password_change_logs_out_other_sessions(app, make_user):
    user = make_user("sam@example.org")
    here, elsewhere = app.test_client(), app.test_client()
    login(here, user)
    login(elsewhere, user)
    post_form(
        here, "/account/password", {"current": PASSWORD, "new": "another-long-one", "confirm": "another-long-one"}
    )
    from flask import g

    g.pop("_login_user", None)
    assert here.get("/account/password").status_code == 200
    g.pop("_login_user", None)
    assert elsewhere.get("/account/password").status_code == 302


def test_next_cannot_leave_the_site(client, make_user):
    make_user("sam@example.org")
    for target in ("/%09/evil.example", "/\t/evil.example", "https://evil.example/", "/\\evil.example"):
        response = post_form(client, f"/login?next={target}", {"email": "sam@example.org", "password": PASSWORD})
        assert "evil" not in response.headers["Location"], target


def test_forgotten_password_by_mail_link_works_once(client, make_user):
    import re

    from sqlalchemy import select

    make_user("sam@example.org")
    response = post_form(client, "/password/forgot", {"email": "SAM@example.org"})
    assert response.status_code == 302
    mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.template == "password_reset"))
    link = re.search(r"http://\S+/password/reset/(\S+)", mail.body_text).group(0)
    path = link.split("127.0.0.1:5000", 1)[1]
    new = {"new": "brand-new-password", "confirm": "brand-new-password"}
    assert post_form(client, path, new).status_code == 302
    assert authenticate("sam@example.org", "brand-new-password") is not None
    again = post_form(client, path, {"new": "third-password-x", "confirm": "third-password-x"})
    assert "no longer works" in again.get_data(as_text=True)
    assert authenticate("sam@example.org", "brand-new-password") is not None


def test_forgotten_password_does_not_reveal_accounts(client):
    from sqlalchemy import func, select

    response = post_form(client, "/password/forgot", {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0
    assert "no longer works" in client.get("/password/reset/garbage?lang=en").get_data(as_text=True)
