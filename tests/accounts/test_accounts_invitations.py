"""Team roles by invitation: e-mailed to the address, accepted by its owner, single-use, expiring, cancellable."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from conference.accounts.invitations import (
    accept_invitation,
    cancel_invitation,
    invitation_for_token,
    invitation_token,
    invite_team_member,
    open_invitations,
)
from conference.accounts.models import Membership, Role, TeamInvitation, User
from conference.accounts.services import AccountError
from conference.extensions import db
from conference.mail.models import OutboxMessage
from conference.types import utcnow
from tests.conftest import PASSWORD, csrf_token, login, post_form

LINK = re.compile(r"/invitations/([A-Za-z0-9._\-]+)")


@pytest.fixture
def boss(doha, make_user):
    return make_user("boss@example.org", Role.ORGANIZER, doha, name="Noura Al-Kuwari")


def invitation_mail() -> OutboxMessage:
    return db.session.scalars(select(OutboxMessage).where(OutboxMessage.template == "team_invitation")
                              .order_by(OutboxMessage.id.desc())).first()


def mailed_path() -> str:
    return "/invitations/" + LINK.search(invitation_mail().body_text).group(1)


def roles(user: User, conference) -> set[Role]:
    db.session.refresh(user)
    return user.roles_for(conference.id)


# --- services ---

def test_an_invitation_gives_no_role_until_accepted(doha, boss, make_user):
    future = make_user("future-staff@example.org")
    invite_team_member(doha, future.email, Role.STAFF, boss)
    db.session.commit()
    assert roles(future, doha) == set()


def test_the_owner_accepting_gets_the_role(doha, boss, make_user):
    future = make_user("future-staff@example.org")
    invitation = invite_team_member(doha, "Future-Staff@example.org", Role.STAFF, boss)
    accept_invitation(invitation, future)
    db.session.commit()
    assert roles(future, doha) == {Role.STAFF}
    assert invitation.accepted_by_id == future.id and invitation.accepted_at is not None


def test_another_account_cannot_accept(doha, boss, make_user):
    invitation = invite_team_member(doha, "future-staff@example.org", Role.STAFF, boss)
    impostor = make_user("someone-else@example.org")
    with pytest.raises(AccountError, match="another e-mail address"):
        accept_invitation(invitation, impostor)
    assert roles(impostor, doha) == set()


def test_an_invitation_works_once(doha, boss, make_user):
    future = make_user("future-staff@example.org")
    invitation = invite_team_member(doha, future.email, Role.STAFF, boss)
    accept_invitation(invitation, future)
    with pytest.raises(AccountError, match="used already"):
        accept_invitation(invitation, future)


def test_an_expired_invitation_is_refused(doha, boss, make_user):
    future = make_user("future-staff@example.org")
    invitation = invite_team_member(doha, future.email, Role.STAFF, boss)
    invitation.expires_at = utcnow() - timedelta(seconds=1)
    with pytest.raises(AccountError, match="expired"):
        accept_invitation(invitation, future)
    assert open_invitations(doha.id) == []


def test_a_cancelled_invitation_is_refused(doha, boss, make_user):
    future = make_user("future-staff@example.org")
    invitation = invite_team_member(doha, future.email, Role.STAFF, boss)
    cancel_invitation(doha.id, invitation.id)
    with pytest.raises(AccountError, match="withdrawn"):
        accept_invitation(invitation, future)
    assert roles(future, doha) == set()


def test_an_accepted_invitation_cannot_be_cancelled(doha, boss, make_user):
    future = make_user("future-staff@example.org")
    invitation = invite_team_member(doha, future.email, Role.STAFF, boss)
    accept_invitation(invitation, future)
    with pytest.raises(AccountError, match="accepted already"):
        cancel_invitation(doha.id, invitation.id)


def test_another_conferences_invitation_cannot_be_cancelled(doha, boss, make_conference, make_user):
    other = make_conference("other")
    invitation = invite_team_member(other, "x@example.org", Role.STAFF, make_user("them@example.org"))
    with pytest.raises(AccountError):
        cancel_invitation(doha.id, invitation.id)
    assert invitation.cancelled_at is None


def test_inviting_again_renews_the_open_invitation(doha, boss):
    first = invite_team_member(doha, "x@example.org", Role.STAFF, boss)
    first.expires_at = utcnow() + timedelta(hours=1)
    again = invite_team_member(doha, "X@example.org", Role.STAFF, boss)
    assert again.id == first.id and again.expires_at > utcnow() + timedelta(days=6)
    assert db.session.scalar(select(func.count(TeamInvitation.id))) == 1
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 2  # the mail is sent again


def test_inviting_someone_who_holds_the_role_is_refused(doha, boss, make_user):
    make_user("door@example.org", Role.STAFF, doha)
    with pytest.raises(AccountError, match="already"):
        invite_team_member(doha, "door@example.org", Role.STAFF, boss)


def test_accepting_from_the_link_confirms_the_address(doha, boss, make_user):
    future = make_user("future-staff@example.org", verified=False)
    accept_invitation(invite_team_member(doha, future.email, Role.STAFF, boss), future)
    assert future.email_verified_at is not None  # the link arrived at the address: it is theirs


@pytest.mark.parametrize("locale,subject", [("ar", "دعوة"), ("en", "Invitation")], ids=["arabic", "english"])
def test_the_mail_is_in_the_language_of_the_recipients_account(doha, boss, make_user, locale, subject):
    future = make_user("future-staff@example.org")
    future.locale = locale
    invite_team_member(doha, future.email, Role.STAFF, boss, locale="en" if locale == "ar" else "ar")
    mail = invitation_mail()
    assert mail.locale == locale and subject in mail.subject


def test_an_address_without_account_gets_the_chosen_language(doha, boss):
    invite_team_member(doha, "new@example.org", Role.REVIEWER, boss, locale="ar")
    mail = invitation_mail()
    assert mail.locale == "ar" and "مؤتمر تجريبي" in mail.subject and "/invitations/" in mail.body_html


def test_a_token_for_another_address_or_tampered_is_not_an_invitation(doha, boss):
    invitation = invite_team_member(doha, "x@example.org", Role.STAFF, boss)
    token = invitation_token(invitation)
    assert invitation_for_token(token) is invitation
    assert invitation_for_token(token[:-2] + "xx") is None
    invitation.email = "y@example.org"
    assert invitation_for_token(token) is None


# --- pages ---

def test_the_team_page_lists_open_invitations_and_withdraws_them(client, doha, boss):
    login(client, boss)
    post_form(client, "/doha/manage/team", {"email": "new@example.org", "role": "reviewer", "language": "en"})
    page = client.get("/doha/manage/team").get_data(as_text=True)
    assert "new@example.org" in page and "Noura Al-Kuwari" in page
    invitation = db.session.scalar(select(TeamInvitation))
    response = post_form(client, f"/doha/manage/team/invitations/{invitation.id}/cancel", {})
    assert response.status_code == 302
    db.session.refresh(invitation)
    assert invitation.cancelled_at is not None
    assert "new@example.org" not in client.get("/doha/manage/team").get_data(as_text=True)


def test_the_team_form_says_the_invitation_was_sent(client, doha, boss):
    login(client, boss)
    response = post_form(client, "/doha/manage/team", {"email": "new@example.org", "role": "staff", "language": "en"},
                         follow_redirects=True)
    assert "invitation" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Membership.id))) == 1  # the organizer's own only


def test_the_owner_accepts_through_the_mailed_link(client, doha, boss, make_user):
    future = make_user("future-staff@example.org")
    invite_team_member(doha, future.email, Role.STAFF, boss)
    db.session.commit()
    login(client, future)
    path = mailed_path()
    assert "Accept the invitation" in client.get(path).get_data(as_text=True)
    response = post_form(client, path, {"csrf_token": csrf_token(client, path)})
    assert response.status_code == 302
    assert roles(future, doha) == {Role.STAFF}
    assert client.get("/doha/checkin").status_code == 200


def test_an_impostor_account_cannot_accept_through_the_link(client, doha, boss, make_user):
    invite_team_member(doha, "future-staff@example.org", Role.STAFF, boss)
    db.session.commit()
    impostor = make_user("impostor@example.org")
    login(client, impostor)
    path = mailed_path()
    page = client.get(path).get_data(as_text=True)
    assert "is for f***@example.org" in page and "future-staff@example.org" not in page
    post_form(client, path, {"csrf_token": csrf_token(client, path)})
    assert roles(impostor, doha) == set()


def test_accepting_needs_a_login(client, doha, boss):
    invite_team_member(doha, "future-staff@example.org", Role.STAFF, boss)
    db.session.commit()
    path = mailed_path()
    page = client.get(path).get_data(as_text=True)
    assert "Log in" in page and "Create an account" in page
    assert "f***@example.org" in page and "future-staff@example.org" not in page  # the link may have travelled
    response = post_form(client, path, {})
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("state,text", [("accepted", "used already"), ("cancelled", "withdrawn"),
                                        ("expired", "expired")], ids=["accepted", "cancelled", "expired"])
def test_a_closed_invitation_says_why(client, doha, boss, make_user, state, text):
    invitation = invite_team_member(doha, "x@example.org", Role.STAFF, boss)
    path = mailed_path()
    if state == "accepted":
        accept_invitation(invitation, make_user("x@example.org"))
    elif state == "cancelled":
        cancel_invitation(doha.id, invitation.id)
    else:
        invitation.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert text in client.get(path).get_data(as_text=True)


def test_a_bad_invitation_link_answers_with_a_page(client):
    response = client.get("/invitations/not-a-token")
    assert response.status_code == 200 and "not valid" in response.get_data(as_text=True)


def test_a_new_person_signs_up_from_the_link_confirms_and_accepts(client, doha, boss):
    invite_team_member(doha, "future-staff@example.org", Role.STAFF, boss)
    db.session.commit()
    path = mailed_path()
    signup = f"/signup?next={path}"
    assert f'href="{signup}"' in client.get(path).get_data(as_text=True).replace("&amp;", "&")
    post_form(client, signup, {"display_name": "Future", "email": "future-staff@example.org",
                               "password": PASSWORD, "confirm": PASSWORD})
    welcome = db.session.scalar(select(OutboxMessage).where(OutboxMessage.template == "welcome"))
    confirm = re.search(r"/account/confirm/[A-Za-z0-9._\-]+", welcome.body_text).group(0)
    response = post_form(client, confirm, {"password": PASSWORD, "csrf_token": csrf_token(client, confirm)})
    assert response.headers["Location"].endswith(path)  # back to the invitation, logged in
    post_form(client, path, {"csrf_token": csrf_token(client, path)})
    user = db.session.scalar(select(User).where(User.email == "future-staff@example.org"))
    assert roles(user, doha) == {Role.STAFF} and user.address_confirmed
