"""Registration through HTTP, with CSRF on: the form, /me, cancel, edit, the public list."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from conference.accounts.models import User
from conference.extensions import db
from conference.mail.models import OutboxMessage
from conference.registration.models import Category, Delegate, DelegateStatus
from tests.conftest import login, post_form
from tests.pdfcheck import assert_clean_pdf


def form(**overrides) -> dict:
    data = {"name": "حمد بن سيف الحوسني", "name_latin": "Hamad bin Saif Al-Housni", "name_ar": "حمد بن سيف الحوسني",
            "email": "Hamad@Example.org", "password": "a-long-password", "confirm": "a-long-password",
            "country": "OM", "organization": "وزارة التنمية الاجتماعية", "job_title": "Director",
            "consent_privacy": "y", "consent_public_list": "y"}
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def delegate_count() -> int:
    return db.session.scalar(select(func.count(Delegate.id)))


def test_register_in_arabic_creates_account_and_shows_me_page(client, doha):
    page = client.get("/doha/register?lang=ar").get_data(as_text=True)
    assert 'dir="rtl"' in page and "عُمان" in page
    response = post_form(client, "/doha/register", form())
    assert response.status_code == 200 and "تحقق من بريدك الإلكتروني" in response.get_data(as_text=True)
    delegate = db.session.scalar(select(Delegate))
    assert delegate.email == "hamad@example.org" and delegate.locale == "ar"
    assert delegate.status == DelegateStatus.PENDING
    # Not logged in by the form (an existing address must not look different): the chosen password logs in.
    login_response = post_form(client, "/login?next=/doha/register", {"email": "hamad@example.org",
                                                                       "password": "a-long-password"})
    assert login_response.headers["Location"] == "/doha/register"
    assert client.get("/doha/register").headers["Location"].endswith("/doha/me")  # registered already
    me = client.get("/doha/me").get_data(as_text=True)
    assert "حمد بن سيف الحوسني" in me and "قيد المراجعة" in me
    mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.template == "registration_received"))
    assert mail.locale == "ar" and "/doha/me" in mail.body_text


def test_logged_in_user_registers_with_own_account(client, doha, make_user):
    login(client, make_user("sara@example.org"))
    response = post_form(client, "/doha/register", form(email=None, password=None, confirm=None,
                                                         name="Sara Haddad", name_ar=None, name_latin=None))
    assert response.status_code == 302
    assert db.session.scalar(select(Delegate.email)) == "sara@example.org"
    assert client.get("/doha/register").status_code == 302  # already registered: sent to /me


@pytest.mark.parametrize("bad", [
    {"country": "XX"}, {"email": "not-an-email"}, {"name": ""}, {"name": "x" * 10_000},
    {"consent_privacy": None}, {"name": "Evil\u202eName"}, {"organization": "Bell\x07"},
    {"name_ar": "Latin only"}, {"name_latin": "عربي"}, {"password": "short", "confirm": "short"},
    {"visa_requested": "y"}, {"delegation_id": "999"},
])
def test_bad_input_is_refused_without_partial_rows(client, doha, bad):
    response = post_form(client, "/doha/register?lang=en", form(**bad))
    assert response.status_code == 200
    assert delegate_count() == 0 and db.session.scalar(select(func.count(User.id))) == 0


def test_html_is_escaped_everywhere(client, doha, make_user):
    script = "<script>alert(1)</script>"
    post_form(client, "/doha/register", form(name=script, name_ar=None, name_latin=None, organization=script))
    login(client, db.session.scalar(select(User)))
    assert script not in client.get("/doha/me").get_data(as_text=True)
    mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.template == "registration_received"))
    assert script not in mail.body_html and "&lt;script&gt;" in mail.body_html


def test_tampered_status_and_category_are_ignored(client, doha):
    post_form(client, "/doha/register", form(status="approved", category="vip", code="XX-1"))
    delegate = db.session.scalar(select(Delegate))
    assert delegate.status == DelegateStatus.PENDING and delegate.category == Category.DELEGATE
    assert delegate.code == "OM-0001"


def test_existing_account_registers_nothing_and_is_not_revealed(client, doha, make_user):
    make_user("hamad@example.org")
    response = post_form(client, "/doha/register?lang=en", form())
    page = response.get_data(as_text=True)
    assert "Check your e-mail" in page and "already exists" not in page
    assert delegate_count() == 0


def test_registering_twice_is_refused(client, doha, make_user, make_delegate):
    delegate = make_delegate(doha, status="pending")
    user = db.session.get(User, delegate.user_id)
    login(client, user)
    response = post_form(client, "/doha/register", form(email=None, password=None, confirm=None))
    assert response.status_code == 302 and delegate_count() == 1


def test_closed_registration_page(client, make_conference):
    make_conference("closed", registration_closes_at=datetime.now(timezone.utc) - timedelta(days=1))
    page = client.get("/closed/register?lang=en").get_data(as_text=True)
    assert "Registration is closed" in page and "<form" not in page.split("<main")[1]
    assert post_form(client, "/closed/register", form()).status_code == 200
    assert delegate_count() == 0


def test_cancel_with_confirmation(client, doha, make_delegate):
    delegate = make_delegate(doha, status="approved")
    login(client, db.session.get(User, delegate.user_id))
    assert "Yes, cancel" in client.get("/doha/me/cancel?lang=en").get_data(as_text=True)
    assert post_form(client, "/doha/me/cancel").status_code == 302
    db.session.refresh(delegate)
    assert delegate.status == DelegateStatus.CANCELLED


def test_edit_while_pending_only(client, doha, make_delegate):
    delegate = make_delegate(doha, status="pending")
    login(client, db.session.get(User, delegate.user_id))
    response = post_form(client, "/doha/me/edit", {"name": "Hamad Al-Housni", "country": "OM",
                                                    "organization": "UNICEF"})
    assert response.status_code == 302
    db.session.refresh(delegate)
    assert delegate.organization == "UNICEF"
    delegate.status = DelegateStatus.APPROVED
    db.session.commit()
    assert client.get("/doha/me/edit").status_code == 302


def test_waitlisted_me_page_shows_position(client, doha, make_delegate):
    make_delegate(doha, status="waitlisted")
    second = make_delegate(doha, status="waitlisted")
    login(client, db.session.get(User, second.user_id))
    assert "number 2 on the waiting list" in client.get("/doha/me?lang=en").get_data(as_text=True)


def test_participants_list_shows_only_consenting_approved_and_no_email(client, doha, make_delegate):
    make_delegate(doha, name="Listed Person", status="approved", consent_public_list=True, organization="UNICEF")
    make_delegate(doha, name="Private Person", status="approved", consent_public_list=False)
    make_delegate(doha, name="Pending Person", status="pending", consent_public_list=True)
    page = client.get("/doha/participants?lang=en").get_data(as_text=True)
    assert "Listed Person" in page and "UNICEF" in page and "Oman" in page
    assert "Private Person" not in page and "Pending Person" not in page and "@example.org" not in page


def test_visa_letter_download(client, doha, make_delegate):
    from datetime import date

    import pypdfium2

    delegate = make_delegate(doha, status="approved", visa_requested=True, passport_name="HAMAD AL HOUSNI",
                             nationality="OM", passport_number="A1234567", passport_expiry=date(2035, 1, 1),
                             visa_letter_ref="DOHA-2027-V00001")
    login(client, db.session.get(User, delegate.user_id))
    response = client.get("/doha/me/visa-letter.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert_clean_pdf(response.data)
    text = pypdfium2.PdfDocument(response.data)[0].get_textpage().get_text_range()
    assert "A1234567" in text and "HAMAD AL HOUSNI" in text and "DOHA-2027-V00001" in text
