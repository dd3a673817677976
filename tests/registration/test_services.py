"""The registration services: register, capacity and waiting list, transitions, audit, e-mails."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from conference.extensions import db
from conference.mail.models import OutboxMessage
from conference.registration.errors import RegistrationError
from conference.registration.models import Category, Delegate, DelegateStatus
from conference.registration.services import (
    create_delegation,
    issue_visa_letter,
    register_delegate,
    set_delegation_head,
    update_details,
)
from conference.registration.workflow import bulk_change, change_status, waitlist_position
from tests.conftest import quick_user

S = DelegateStatus


def details(**overrides) -> dict:
    data = {"name": "حمد بن سيف الحوسني", "name_latin": "Hamad bin Saif Al-Housni", "name_ar": "حمد بن سيف الحوسني",
            "country": "OM", "organization": "وزارة التنمية الاجتماعية", "job_title": "Director",
            "consent_privacy": True}
    data.update(overrides)
    return data


@pytest.fixture
def register(app, doha):
    counter = iter(range(1, 10_000))

    def do(conference=None, locale="en", **overrides) -> Delegate:
        user = quick_user(f"person{next(counter)}@example.org")
        delegate = register_delegate(conference or doha, user, details(**overrides), locale=locale)
        db.session.commit()
        return delegate

    return do


def mails_to(delegate: Delegate) -> list[OutboxMessage]:
    return db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == delegate.email)
                              .order_by(OutboxMessage.id)).all()


def test_register_is_pending_with_code_token_audit_and_mail(register):
    delegate = register(locale="ar")
    assert delegate.status == S.PENDING
    assert delegate.code == "OM-0001"
    assert len(delegate.badge_token) == 39 and delegate.badge_token.isdigit()
    assert [(e.event, e.to_status) for e in delegate.audit] == [("registered", "pending")]
    mail = mails_to(delegate)[0]
    assert mail.template == "registration_received" and mail.locale == "ar"
    assert "استلمنا" in mail.subject
    assert register().code == "OM-0002"


def test_auto_approve(register, doha):
    doha.auto_approve = True
    db.session.commit()
    delegate = register()
    assert delegate.status == S.APPROVED
    assert mails_to(delegate)[0].template == "registration_approved"


def test_registration_window(register, make_conference):
    now = datetime.now(timezone.utc)
    closed = make_conference("closed", registration_closes_at=now - timedelta(hours=1))
    with pytest.raises(RegistrationError, match="closed"):
        register(conference=closed)
    later = make_conference("later", registration_opens_at=now + timedelta(days=1))
    with pytest.raises(RegistrationError):
        register(conference=later)


def test_refuses_unknown_country_missing_consent_and_duplicates(register, doha):
    with pytest.raises(RegistrationError):
        register(country="XX")
    with pytest.raises(RegistrationError):
        register(consent_privacy=False)
    db.session.rollback()
    first = register()
    user = db.session.get(type(first.user), first.user_id)
    with pytest.raises(RegistrationError, match="already registered"):
        register_delegate(doha, user, details())
    db.session.rollback()
    assert db.session.scalar(select(func.count(Delegate.id))) == 1


def test_database_enforces_one_registration_per_email(app, doha, make_delegate):
    first = make_delegate(doha, email="same@example.org")
    twin = Delegate(conference_id=doha.id, user_id=first.user_id, email="same@example.org", name="x", country="OM",
                    code="OM-0999", badge_token="1" * 39, consent_privacy=True)
    db.session.add(twin)
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_database_refuses_uppercase_email_and_missing_consent(app, doha, make_delegate):
    first = make_delegate(doha)
    for bad in ({"email": "UPPER@example.org"}, {"email": "ok@example.org", "consent_privacy": False}):
        fields = {"conference_id": doha.id, "user_id": first.user_id, "name": "x", "country": "OM",
                  "code": "OM-0998", "badge_token": "2" * 39, "consent_privacy": True, **bad}
        db.session.add(Delegate(**fields))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()


def test_capacity_waitlists_with_position_and_promotes_on_cancel(register, doha):
    doha.capacity = 2
    db.session.commit()
    first, second = register(), register()
    third, fourth = register(), register()
    assert (third.status, fourth.status) == (S.WAITLISTED, S.WAITLISTED)
    assert (waitlist_position(third), waitlist_position(fourth)) == (1, 2)
    assert mails_to(third)[0].template == "registration_waitlisted"
    change_status(first, "cancel", first.user)
    db.session.commit()
    assert third.status == S.APPROVED and fourth.status == S.WAITLISTED
    assert waitlist_position(fourth) == 1
    assert [m.template for m in mails_to(third)] == ["registration_waitlisted", "registration_promoted"]
    change_status(second, "reject", None, "not eligible")
    db.session.commit()
    assert fourth.status == S.APPROVED


def test_each_transition_is_checked_and_audited(register, make_user):
    organizer = make_user("boss@example.org")
    delegate = register()
    with pytest.raises(RegistrationError):
        change_status(delegate, "promote", organizer)
    change_status(delegate, "approve", organizer, "welcome")
    with pytest.raises(RegistrationError):
        change_status(delegate, "approve", organizer)
    with pytest.raises(RegistrationError):
        change_status(delegate, "waitlist", organizer)
    change_status(delegate, "cancel", organizer)
    db.session.commit()
    entries = [(e.event, e.from_status, e.to_status, e.actor_id, e.note) for e in delegate.audit]
    assert entries[1:] == [("status", "pending", "approved", organizer.id, "welcome"),
                           ("status", "approved", "cancelled", organizer.id, "")]
    assert [m.template for m in mails_to(delegate)] == [
        "registration_received", "registration_approved", "registration_cancelled"]


def test_manual_waitlist_and_promotion(register, make_user):
    organizer = make_user("boss@example.org")
    delegate = register()
    change_status(delegate, "waitlist", organizer)
    assert waitlist_position(delegate) == 1
    change_status(delegate, "promote", organizer)
    assert delegate.status == S.APPROVED


def test_promotion_refused_when_full(register, doha, make_user):
    doha.capacity = 1
    db.session.commit()
    register()
    waiting = register()
    with pytest.raises(RegistrationError, match="full"):
        change_status(waiting, "promote", make_user("boss@example.org"))


def test_bulk_change_skips_what_does_not_apply(register, make_user):
    organizer = make_user("boss@example.org")
    pending = [register(), register()]
    approved = register()
    change_status(approved, "approve", organizer)
    assert bulk_change([*pending, approved], "approve", organizer) == (2, 1)


def test_update_details_rules(register, make_user):
    delegate = register()
    update_details(delegate, {"organization": "UNICEF", "category": "vip"}, delegate.user, by_organizer=False)
    assert delegate.organization == "UNICEF" and delegate.category == Category.DELEGATE
    organizer = make_user("boss@example.org")
    change_status(delegate, "approve", organizer)
    with pytest.raises(RegistrationError):
        update_details(delegate, {"organization": "X"}, delegate.user, by_organizer=False)
    update_details(delegate, {"organization": "WHO", "category": "vip"}, organizer, by_organizer=True)
    assert delegate.organization == "WHO" and delegate.category == Category.VIP


def test_visa_letter_rules(register, make_user):
    organizer = make_user("boss@example.org")
    delegate = register(visa_requested=True, passport_name="HAMAD AL HOUSNI", nationality="OM",
                        passport_number="A1234567", passport_expiry=date(2035, 1, 1))
    with pytest.raises(RegistrationError):
        issue_visa_letter(delegate, organizer)
    change_status(delegate, "approve", organizer)
    reference = issue_visa_letter(delegate, organizer)
    assert reference.startswith("DOHA-") and issue_visa_letter(delegate, organizer) == reference
    assert delegate.audit[-1].event == "visa_letter"
    no_visa = register()
    change_status(no_visa, "approve", organizer)
    with pytest.raises(RegistrationError):
        issue_visa_letter(no_visa, organizer)


def test_delegations(register, doha):
    delegation = create_delegation(doha, "OM", "Delegation of the Sultanate of Oman")
    with pytest.raises(RegistrationError):
        create_delegation(doha, "OM", "Delegation of the Sultanate of Oman")
    hamad = register()
    set_delegation_head(delegation, hamad)
    assert delegation.head_id == hamad.id and hamad.delegation_id == delegation.id
    egyptian = register(country="EG")
    with pytest.raises(RegistrationError):
        set_delegation_head(delegation, egyptian)
    with pytest.raises(RegistrationError):
        register(country="EG", delegation_id=delegation.id)


def test_newcomers_do_not_overtake_the_waiting_list(register, doha, make_user):
    organizer = make_user("boss@example.org")
    first = register()
    change_status(first, "waitlist", organizer)
    db.session.commit()
    assert register().status == S.WAITLISTED


def test_raising_the_capacity_promotes_the_waiting_list(register, doha):
    from conference.events.services import save_conference

    doha.capacity = 1
    db.session.commit()
    register()
    waiting = [register(), register()]
    data = {field: getattr(doha, field) for field in (
        "slug", "name_en", "name_ar", "description_en", "description_ar", "venue_en", "venue_ar", "city_en",
        "city_ar", "country", "timezone", "start_date", "end_date", "auto_approve", "agenda_published",
        "admit_only_on_conference_days")}
    save_conference(doha, {**data, "capacity": 2})
    db.session.commit()
    assert [d.status for d in waiting] == [S.APPROVED, S.WAITLISTED]
