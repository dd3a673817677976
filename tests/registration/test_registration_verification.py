"""A registration takes effect only once its account's address is confirmed; confirming lets it proceed."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from conference.accounts.verification import confirm_address
from conference.extensions import db
from conference.mail.models import OutboxMessage
from conference.registration.errors import RegistrationError
from conference.registration.models import Category, Delegate, DelegateStatus
from conference.registration.services import register_delegate, register_speaker, register_visitor
from conference.registration.workflow import TRANSITIONS, allowed_actions, bulk_change, change_status
from tests.conftest import PASSWORD, login, post_form, quick_user

S = DelegateStatus


def details(**overrides) -> dict:
    data = {"name": "Layla Haddad", "country": "JO", "organization": "Helpline", "consent_privacy": True}
    data.update(overrides)
    return data


@pytest.fixture
def organizer(doha, make_user):
    from conference.accounts.models import Role

    return make_user("boss@example.org", Role.ORGANIZER, doha)


@pytest.fixture
def unconfirmed(doha, make_delegate):
    """A pending registration whose account has not confirmed its address."""
    return make_delegate(doha, name="Layla Haddad", status="pending", verified=False)


def reload(delegate: Delegate) -> Delegate:
    db.session.expire_all()
    return db.session.get(Delegate, delegate.id)


# --- the rule in the transition table ---

def test_approving_and_promoting_need_a_confirmed_address():
    assert {action for action, t in TRANSITIONS.items() if t.needs_confirmed_address} == {"approve", "promote"}


def test_approving_an_unconfirmed_registration_is_refused(unconfirmed, organizer):
    with pytest.raises(RegistrationError, match="has not confirmed their e-mail address"):
        change_status(unconfirmed, "approve", organizer)
    assert reload(unconfirmed).status == S.PENDING


def test_promoting_an_unconfirmed_registration_is_refused(doha, make_delegate, organizer):
    waiting = make_delegate(doha, status="waitlisted", verified=False)
    with pytest.raises(RegistrationError, match="has not confirmed"):
        change_status(waiting, "promote", organizer)


def test_the_pages_offer_no_approval_until_confirmed(unconfirmed):
    assert allowed_actions(unconfirmed) == ["reject", "waitlist", "cancel"]
    confirm_address(unconfirmed.user)
    assert "approve" in allowed_actions(unconfirmed)


@pytest.mark.parametrize("action", ["reject", "waitlist", "cancel"])
def test_other_transitions_do_not_wait(unconfirmed, organizer, action):
    change_status(unconfirmed, action, organizer)
    assert reload(unconfirmed).status != S.PENDING


def test_bulk_approval_skips_unconfirmed_registrations(doha, make_delegate, unconfirmed, organizer):
    confirmed = make_delegate(doha, status="pending")
    assert bulk_change([unconfirmed, confirmed], "approve", organizer) == (1, 1)
    assert reload(unconfirmed).status == S.PENDING and reload(confirmed).status == S.APPROVED


def test_confirming_then_lets_the_organizer_approve(unconfirmed, organizer):
    confirm_address(unconfirmed.user)
    change_status(unconfirmed, "approve", organizer)
    assert reload(unconfirmed).status == S.APPROVED


# --- auto-approval and the waiting list ---

def test_auto_approval_waits_for_the_confirmation(make_conference):
    conference = make_conference("auto", auto_approve=True)
    delegate = register_delegate(conference, quick_user("layla@example.org", verified=False), details())
    assert delegate.status == S.PENDING


def test_confirming_applies_auto_approval(make_conference):
    conference = make_conference("auto", auto_approve=True)
    user = quick_user("layla@example.org", verified=False)
    delegate = register_delegate(conference, user, details())
    confirm_address(user)
    assert reload(delegate).status == S.APPROVED
    assert reload(delegate).audit[-1].note == "address confirmed"


def test_confirming_leaves_a_hand_approved_conference_to_its_organizers(doha, unconfirmed):
    confirm_address(unconfirmed.user)
    assert reload(unconfirmed).status == S.PENDING


def test_a_confirmed_account_is_auto_approved_at_once(make_conference):
    conference = make_conference("auto", auto_approve=True)
    assert register_delegate(conference, quick_user("layla@example.org"), details()).status == S.APPROVED


def test_a_freed_place_goes_to_the_first_confirmed_waiter(doha, make_delegate, organizer):
    doha.capacity = 1
    holder = make_delegate(doha, status="approved")
    unconfirmed = make_delegate(doha, status="waitlisted", verified=False)
    confirmed = make_delegate(doha, status="waitlisted")
    change_status(holder, "cancel", organizer)
    assert reload(unconfirmed).status == S.WAITLISTED and reload(confirmed).status == S.APPROVED


def test_an_unconfirmed_waiter_does_not_hold_back_newcomers(doha, make_delegate, organizer):
    doha.capacity = 2
    make_delegate(doha, status="approved")
    make_delegate(doha, status="waitlisted", verified=False)  # a place is free, but not for them yet
    delegate = register_delegate(doha, quick_user("new@example.org"), details())
    assert delegate.status == S.PENDING


def test_confirming_lets_a_waiter_into_a_free_place(doha, make_delegate):
    doha.capacity = 2
    make_delegate(doha, status="approved")
    waiting = make_delegate(doha, status="waitlisted", verified=False)
    confirm_address(waiting.user)
    assert reload(waiting).status == S.APPROVED


def test_confirming_keeps_a_waiter_waiting_when_full(doha, make_delegate):
    doha.capacity = 1
    make_delegate(doha, status="approved")
    waiting = make_delegate(doha, status="waitlisted", verified=False)
    confirm_address(waiting.user)
    assert reload(waiting).status == S.WAITLISTED


# --- speakers: confirmed through their account, not held ---

def test_a_confirmed_speaker_with_an_unconfirmed_address_is_registered(doha, organizer):
    speaker = quick_user("speaker@example.org", verified=False)
    delegate = register_speaker(doha, speaker, organizer)
    assert delegate.status == S.APPROVED and delegate.category == Category.SPEAKER


def test_a_held_registration_of_a_speaker_is_approved_by_the_proposal(unconfirmed, organizer):
    register_speaker(_conference(unconfirmed), unconfirmed.user, organizer)
    assert reload(unconfirmed).status == S.APPROVED


def _conference(delegate: Delegate):
    from conference.events.models import Conference

    return db.session.get(Conference, delegate.conference_id)


# --- mails ---

def test_the_registration_mail_of_an_unconfirmed_account_carries_the_link(doha):
    register_visitor(doha, "layla@example.org", PASSWORD, details(), locale="ar")
    mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.template == "registration_received"))
    assert mail.locale == "ar" and re.search(r"/account/confirm/\S+", mail.body_text)


def test_the_registration_mail_of_a_confirmed_account_has_no_link(doha):
    register_delegate(doha, quick_user("layla@example.org"), details())
    mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.template == "registration_received"))
    assert "/account/confirm/" not in mail.body_text


# --- pages ---

def test_the_organizer_sees_the_mark_and_no_approve_button(client, doha, unconfirmed, organizer):
    login(client, organizer)
    page = client.get(f"/doha/manage/delegates/{unconfirmed.id}").get_data(as_text=True)
    assert "Address not confirmed" in page and "/status/approve" not in page
    assert "address not confirmed" in client.get("/doha/manage/delegates").get_data(as_text=True)


def test_approving_through_the_page_says_why_it_is_refused(client, doha, unconfirmed, organizer):
    login(client, organizer)
    response = post_form(client, f"/doha/manage/delegates/{unconfirmed.id}/status/approve", {},
                         follow_redirects=True)
    assert "has not confirmed their e-mail address" in response.get_data(as_text=True)
    assert reload(unconfirmed).status == S.PENDING


def test_a_confirmed_registration_has_no_mark(client, doha, make_delegate, organizer):
    make_delegate(doha, status="pending")
    login(client, organizer)
    assert "address not confirmed" not in client.get("/doha/manage/delegates").get_data(as_text=True)


def test_confirming_from_the_mail_approves_on_an_auto_approving_conference(client, make_conference):
    make_conference("auto", auto_approve=True)
    post_form(client, "/auto/register", {"email": "layla@example.org", "password": PASSWORD, "confirm": PASSWORD,
                                         "name": "Layla Haddad", "country": "JO", "consent_privacy": "y"})
    delegate = db.session.scalar(select(Delegate))
    assert delegate.status == S.PENDING
    mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.template == "registration_received"))
    path = re.search(r"/account/confirm/\S+", mail.body_text).group(0)
    response = post_form(client, path, {"password": PASSWORD})
    assert response.headers["Location"].endswith("/auto/me")
    assert reload(delegate).status == S.APPROVED
