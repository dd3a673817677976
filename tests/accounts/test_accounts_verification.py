"""Confirmed addresses: the signed link, the banner, sending it again, reset links, sign-up that reveals nothing."""
from __future__ import annotations

import re

import pytest
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import func, select

from conference.accounts.models import User
from conference.accounts.services import create_user, reset_password, sign_up
from conference.accounts.verification import (
    CONFIRM_SALT,
    confirm_address,
    confirmation_token,
    read_confirmation_token,
    send_confirmation_again,
)
from conference.extensions import db
from conference.mail.models import OutboxMessage
from tests.conftest import PASSWORD, csrf_token, login, post_form

CONFIRM = re.compile(r"/account/confirm/[A-Za-z0-9._\-]+")


def mails(template: str) -> list[OutboxMessage]:
    return db.session.scalars(select(OutboxMessage).where(OutboxMessage.template == template)).all()


def confirm_path(user: User, next_path: str = "") -> str:
    return f"/account/confirm/{confirmation_token(user, next_path)}"


def signup(client, email: str, password: str = PASSWORD):
    return post_form(client, "/signup", {"display_name": "Layla", "email": email, "password": password,
                                          "confirm": password})


def logged_in(client) -> bool:
    return "Log out" in client.get("/").get_data(as_text=True)


@pytest.fixture
def newcomer(make_user):
    return make_user("layla@example.org", verified=False)


# --- services ---

def test_a_new_account_is_not_confirmed(app):
    assert create_user("layla@example.org", PASSWORD).email_verified_at is None


def test_the_token_names_the_account(newcomer):
    assert read_confirmation_token(confirmation_token(newcomer, "/doha/me")) == (newcomer, "/doha/me")


@pytest.mark.parametrize("token", ["garbage", "", "a.b.c"], ids=["garbage", "empty", "dots"])
def test_a_forged_token_is_refused(newcomer, token):
    assert read_confirmation_token(token) is None


def test_a_token_signed_with_another_key_is_refused(app, newcomer):
    forged = URLSafeTimedSerializer("another-key", salt=CONFIRM_SALT).dumps([newcomer.id, newcomer.email, ""])
    assert read_confirmation_token(forged) is None


def test_a_token_for_an_old_address_is_refused(newcomer):
    token = confirmation_token(newcomer)
    newcomer.email = "other@example.org"
    assert read_confirmation_token(token) is None


def test_an_expired_token_is_refused(app, newcomer, monkeypatch):
    token = confirmation_token(newcomer)
    monkeypatch.setattr("conference.accounts.verification.CONFIRM_MAX_AGE", -1)
    assert read_confirmation_token(token) is None


def test_confirming_records_the_time_once(newcomer):
    assert confirm_address(newcomer) is True
    first = newcomer.email_verified_at
    assert confirm_address(newcomer) is False and newcomer.email_verified_at == first


def test_a_reset_through_the_mailed_link_confirms_the_address(newcomer):
    reset_password(newcomer, "a-brand-new-password")
    assert newcomer.address_confirmed


def test_the_link_is_sent_again_only_when_needed(newcomer, make_user):
    assert send_confirmation_again(newcomer).template == "confirm_address"
    assert send_confirmation_again(make_user("done@example.org")) is None


def test_sign_up_of_a_new_address_makes_the_account_and_mails_the_link(app):
    user = sign_up("Layla@Example.org", PASSWORD, "Layla", locale="ar")
    assert user.email == "layla@example.org" and not user.address_confirmed
    [welcome] = mails("welcome")
    assert welcome.locale == "ar" and CONFIRM.search(welcome.body_text)


def test_sign_up_of_a_taken_address_mails_its_owner_in_their_language(make_user):
    owner = make_user("layla@example.org")
    owner.locale = "ar"
    assert sign_up("LAYLA@example.org", "another-password", "X") is None
    [attempt] = mails("signup_attempt")
    assert attempt.recipient == "layla@example.org" and attempt.locale == "ar"
    assert db.session.scalar(select(func.count(User.id))) == 1


def test_repeated_sign_ups_of_a_taken_address_mail_its_owner_once(make_user):
    make_user("layla@example.org")
    for _ in range(3):
        sign_up("layla@example.org", PASSWORD, "X")
    assert len(mails("signup_attempt")) == 1


# --- sign-up pages ---

@pytest.mark.parametrize("taken", [False, True], ids=["new", "taken"])
def test_sign_up_answers_alike_and_logs_nobody_in(client, make_user, taken):
    if taken:
        make_user("layla@example.org")
    response = signup(client, "layla@example.org")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Check your e-mail" in page and "already exists" not in page
    assert not any(c.startswith("remember_token=") for c in response.headers.getlist("Set-Cookie"))
    assert not logged_in(client)


def test_the_two_answers_have_the_same_text(client, make_user):
    make_user("taken@example.org")
    pages = [signup(client, email).get_data(as_text=True) for email in ("new@example.org", "taken@example.org")]
    strip = [re.sub(r'value="[^"]+"|[a-z]+@example\.org', "", page) for page in pages]
    assert strip[0] == strip[1]


def test_a_new_account_logs_in_with_its_password_before_confirming(client):
    signup(client, "layla@example.org")
    response = post_form(client, "/login", {"email": "layla@example.org", "password": PASSWORD})
    assert response.status_code == 302 and logged_in(client)


# --- the confirmation page ---

def test_logged_out_the_link_asks_for_the_password_then_logs_in(client, newcomer):
    path = confirm_path(newcomer, "/doha/")
    assert 'type="password"' in client.get(path).get_data(as_text=True)
    response = post_form(client, path, {"password": PASSWORD, "csrf_token": csrf_token(client, path)})
    assert response.status_code == 302 and response.headers["Location"].endswith("/doha/")
    db.session.refresh(newcomer)
    assert newcomer.address_confirmed and logged_in(client)


def test_a_wrong_password_confirms_nothing(client, newcomer):
    path = confirm_path(newcomer)
    response = post_form(client, path, {"password": "not-the-password", "csrf_token": csrf_token(client, path)})
    assert "not correct" in response.get_data(as_text=True)
    db.session.refresh(newcomer)
    assert not newcomer.address_confirmed and not logged_in(client)


def test_logged_in_the_link_needs_one_click(client, newcomer):
    login(client, newcomer)
    path = confirm_path(newcomer)
    assert 'type="password"' not in client.get(path).get_data(as_text=True)
    post_form(client, path, {"csrf_token": csrf_token(client, path)})
    db.session.refresh(newcomer)
    assert newcomer.address_confirmed


def test_the_link_of_another_account_is_not_used_by_a_logged_in_user(client, newcomer, make_user):
    login(client, make_user("someone@example.org"))
    path = confirm_path(newcomer)
    assert "another account" in client.get(path).get_data(as_text=True)
    post_form(client, path, {"password": PASSWORD, "csrf_token": csrf_token(client)})
    db.session.refresh(newcomer)
    assert not newcomer.address_confirmed


def test_a_used_link_says_the_address_is_confirmed_and_logs_nobody_in(client, make_user):
    done = make_user("done@example.org")
    page = client.get(confirm_path(done)).get_data(as_text=True)
    assert "confirmed already" in page and 'type="password"' not in page


def test_a_bad_link_answers_with_a_page(client):
    response = client.get("/account/confirm/not-a-token")
    assert response.status_code == 200 and "not valid" in response.get_data(as_text=True)


@pytest.mark.parametrize("next_path", ["https://evil.example/", "//evil.example/", "/\t/evil.example"],
                         ids=["absolute", "scheme-relative", "tab"])
def test_the_link_never_leads_off_the_site(client, newcomer, next_path):
    path = confirm_path(newcomer, next_path)
    response = post_form(client, path, {"password": PASSWORD, "csrf_token": csrf_token(client, path)})
    assert response.headers["Location"] == "/"


# --- the banner and "send the link again" ---

def test_an_unconfirmed_account_sees_the_banner(client, newcomer):
    login(client, newcomer)
    assert "Send the link again" in client.get("/").get_data(as_text=True)


def test_a_confirmed_account_sees_no_banner(client, make_user):
    login(client, make_user("done@example.org"))
    assert "Send the link again" not in client.get("/").get_data(as_text=True)


def test_the_banner_sends_the_link_again(client, newcomer):
    login(client, newcomer)
    response = post_form(client, "/account/confirm?next=/doha/", {"csrf_token": csrf_token(client, "/")})
    assert response.status_code == 302 and response.headers["Location"].endswith("/doha/")
    [mail] = mails("confirm_address")
    assert mail.recipient == "layla@example.org" and CONFIRM.search(mail.body_html)


def test_sending_again_needs_a_login(client):
    response = post_form(client, "/account/confirm", {})
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert mails("confirm_address") == []


def test_a_reset_link_confirms_the_address(client, newcomer):
    from conference.accounts.services import password_reset_token

    path = f"/password/reset/{password_reset_token(newcomer)}"
    post_form(client, path, {"new": "a-brand-new-password", "confirm": "a-brand-new-password",
                             "csrf_token": csrf_token(client, path)})
    db.session.refresh(newcomer)
    assert newcomer.address_confirmed


# --- commands and the demo ---

def test_create_user_command_makes_a_confirmed_account(runner, app):
    result = runner.invoke(args=["create-user", "boss@example.org", "--admin", "--password", PASSWORD])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(User).where(User.email == "boss@example.org")).address_confirmed


def test_create_user_command_confirms_an_existing_account(runner, newcomer):
    result = runner.invoke(args=["create-user", newcomer.email, "--password", PASSWORD])
    assert result.exit_code == 0, result.output
    db.session.refresh(newcomer)
    assert newcomer.address_confirmed


def test_send_confirmation_links_mails_unconfirmed_accounts_with_held_registrations(runner, doha, make_delegate):
    held = make_delegate(doha, status="pending", verified=False)
    make_delegate(doha, status="approved", verified=False)  # nothing waits for this one
    make_delegate(doha, status="pending")  # confirmed already
    result = runner.invoke(args=["send-confirmation-links", "--conference", "doha"])
    assert result.exit_code == 0, result.output
    assert [mail.recipient for mail in mails("confirm_address")] == [held.email]


def test_send_confirmation_links_refuses_an_unknown_conference(runner, app):
    result = runner.invoke(args=["send-confirmation-links", "--conference", "nowhere"])
    assert result.exit_code != 0 and "No conference" in result.output


def test_sending_again_is_limited_per_account(client, newcomer):
    login(client, newcomer)
    token = csrf_token(client, "/")
    codes = [client.post("/account/confirm", data={"csrf_token": token}).status_code for _ in range(6)]
    assert codes == [302] * 5 + [429]
