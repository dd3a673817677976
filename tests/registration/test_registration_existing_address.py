"""/<slug>/register tells nobody which addresses have accounts, mails their owners instead, and is rate-limited."""
from __future__ import annotations

import re

import pytest
from flask import g
from sqlalchemy import func, select
from werkzeug.security import check_password_hash

from conference.accounts.models import User
from conference.extensions import db
from conference.mail.models import OutboxMessage
from conference.registration.errors import RegistrationError
from conference.registration.models import Delegate, Delegation
from conference.registration.services import register_visitor
from tests.conftest import PASSWORD, csrf_token, post_form


def form(**overrides) -> dict:
    data = {"name": "Mallory Example", "email": "hamad@example.org", "password": "a-long-password",
            "confirm": "a-long-password", "country": "OM", "consent_privacy": "y"}
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def details(**overrides) -> dict:
    data = {"name": "Mallory Example", "country": "OM", "consent_privacy": True}
    data.update(overrides)
    return data


def attempt_mails() -> list[OutboxMessage]:
    return db.session.scalars(select(OutboxMessage).where(OutboxMessage.template == "registration_attempt")).all()


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def comparable(html: str) -> str:
    """The page without what differs on every request (CSRF tokens)."""
    return re.sub(r'(name="csrf_token"[^>]*value=")[^"]+|(value=")[^"]+("[^>]*name="csrf_token")', r"\1\2\3", html)


def browser(app):
    """A new test client; the test's shared `g` forgets the previous client's CSRF token and user."""
    g.pop("csrf_token", None)
    g.pop("_login_user", None)
    return app.test_client()


@pytest.fixture
def owner(make_user):
    user = make_user("hamad@example.org", name="Hamad")
    user.locale = "ar"
    db.session.commit()
    return user


def test_answer_is_the_same_for_a_new_and_an_existing_address(app, doha, owner):
    answer_existing = post_form(browser(app), "/doha/register?lang=en", form())
    answer_new = post_form(browser(app), "/doha/register?lang=en", form(email="newcomer@example.org"))
    assert answer_existing.status_code == answer_new.status_code == 200
    assert comparable(answer_existing.get_data(as_text=True)) == comparable(answer_new.get_data(as_text=True))
    assert "Check your e-mail" in answer_existing.get_data(as_text=True)


@pytest.mark.parametrize("address", ["hamad@example.org", "newcomer@example.org"], ids=["existing", "new"])
def test_the_visitor_is_not_logged_in_either_way(app, doha, owner, address):
    client = browser(app)
    post_form(client, "/doha/register", form(email=address))
    with client.session_transaction() as session:
        assert "_user_id" not in session
    assert client.get("/account/password").status_code == 302


def test_existing_address_mails_the_owner_in_their_language(client, doha, owner):
    post_form(client, "/doha/register?lang=en", form(email="HAMAD@example.org"))
    (mail,) = attempt_mails()
    assert mail.recipient == "hamad@example.org" and mail.locale == "ar" and mail.conference_id == doha.id
    assert "حاول شخص التسجيل" in mail.subject
    assert "/login?next=/doha/register" in mail.body_text and "/password/forgot" in mail.body_text
    assert "Mallory" not in mail.body_text + mail.body_html  # nothing the visitor typed reaches the owner


def test_existing_address_changes_no_account_and_registers_nothing(client, doha, owner):
    users_before = count(User)
    post_form(client, "/doha/register", form(password="another-password", confirm="another-password"))
    db.session.refresh(owner)
    assert count(User) == users_before and count(Delegate) == 0
    assert check_password_hash(owner.password_hash, PASSWORD) and owner.display_name == "Hamad"


def test_mail_to_an_owner_already_registered_says_so(client, doha, make_delegate):
    delegate = make_delegate(doha, email="hamad@example.org", status="pending")
    post_form(client, "/doha/register?lang=en", form())
    (mail,) = attempt_mails()
    assert "already registered" in mail.body_text
    assert count(Delegate) == 1 and db.session.get(Delegate, delegate.id).name != "Mallory Example"


def test_repeated_attempts_mail_the_owner_once(app, doha, owner):
    answers = [post_form(browser(app), "/doha/register", form()).status_code for _ in range(3)]
    assert answers == [200] * 3 and len(attempt_mails()) == 1


def test_owner_logs_in_from_the_mail_and_registers_normally(client, doha, owner):
    post_form(client, "/doha/register", form())
    login_url = re.search(r"http\S+/login\?next=\S+", attempt_mails()[0].body_text).group(0)
    path = login_url.split("127.0.0.1:5000", 1)[1]
    response = post_form(client, path, {"email": "hamad@example.org", "password": PASSWORD})
    assert response.headers["Location"] == "/doha/register"
    page = client.get("/doha/register?lang=en").get_data(as_text=True)
    assert "You are registering as hamad@example.org" in page
    response = post_form(client, "/doha/register", form(email=None, password=None, confirm=None, name="Hamad"))
    assert response.headers["Location"].endswith("/doha/me")
    assert db.session.scalar(select(Delegate.user_id)) == owner.id


def test_new_address_gets_its_account_and_registration(app, doha):
    delegate = register_visitor(doha, "Newcomer@Example.org", "a-long-password", details(), locale="ar")
    db.session.commit()
    user = db.session.get(User, delegate.user_id)
    assert (user.email, user.locale, user.display_name) == ("newcomer@example.org", "ar", "Mallory Example")
    assert check_password_hash(user.password_hash, "a-long-password")
    assert attempt_mails() == []


def test_existing_address_returns_no_registration(app, doha, owner):
    assert register_visitor(doha, "hamad@example.org", "a-long-password", details()) is None
    assert count(Delegate) == 0 and len(attempt_mails()) == 1


@pytest.mark.parametrize("address", ["hamad@example.org", "newcomer@example.org"], ids=["existing", "new"])
def test_refusals_are_the_same_for_both_kinds_of_address(app, doha, owner, address):
    other = Delegation(conference_id=doha.id, country="QA", name="Qatar")
    db.session.add(other)
    db.session.commit()
    with pytest.raises(RegistrationError, match="delegation"):
        register_visitor(doha, address, "a-long-password", details(delegation_id=other.id))
    db.session.rollback()
    assert attempt_mails() == [] and count(Delegate) == 0


def test_register_is_rate_limited(app, doha):
    client = browser(app)
    token = csrf_token(client, "/doha/register")
    codes = [client.post("/doha/register", data={**form(email=f"bulk{n}@example.org"), "csrf_token": token})
             .status_code for n in range(11)]
    assert codes[:10] == [200] * 10 and codes[10] == 429
    assert count(User) == 10


def test_signup_and_register_share_one_limit(app, doha):
    for n in range(5):  # from the same address, each signing up in its own browser
        signup = browser(app)
        response = post_form(signup, "/signup", {"email": f"s{n}@example.org", "password": "a-long-password",
                                                 "confirm": "a-long-password", "display_name": "S"})
        assert response.status_code == 200 and "Check your e-mail" in response.get_data(as_text=True)
    client = browser(app)
    token = csrf_token(client, "/doha/register")
    codes = [client.post("/doha/register", data={**form(email=f"r{n}@example.org"), "csrf_token": token})
             .status_code for n in range(6)]
    assert codes == [200] * 5 + [429]


def test_the_limit_counts_posts_only(app, doha):
    client = browser(app)
    assert {client.get("/doha/register").status_code for _ in range(12)} == {200}
