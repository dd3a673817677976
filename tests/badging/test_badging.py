"""Badges in the app: batch PDFs whose every QR code scans, printing marks, reissue, e-badge, command."""
from __future__ import annotations

import pypdfium2
import pytest
import zxingcpp
from sqlalchemy import select

from conference.accounts.models import Role, User
from conference.badging.models import RevokedBadge
from conference.badging.services import reissue_badge
from conference.extensions import db
from conference.mail.models import OutboxMessage
from conference.registration.workflow import change_status
from tests.conftest import login, post_form
from tests.pdfcheck import assert_clean_pdf


def decoded_tokens(pdf: bytes) -> list[str]:
    """Every QR code found on every page, rasterized at about 200 dpi (after qpdf has read the file cleanly)."""
    assert_clean_pdf(pdf)
    document = pypdfium2.PdfDocument(pdf)
    tokens = []
    for page in document:
        image = page.render(scale=200 / 72).to_pil()
        tokens += [r.text for r in zxingcpp.read_barcodes(image) if r.format == zxingcpp.BarcodeFormat.QRCode]
    return tokens


@pytest.fixture
def organizer_client(client, doha, make_user):
    login(client, make_user("boss@example.org", Role.ORGANIZER, doha))
    return client


@pytest.fixture
def delegates(doha, make_delegate):
    return {
        "arabic": make_delegate(doha, name="حمد بن سيف الحوسني", name_latin="Hamad bin Saif Al-Housni"),
        "latin": make_delegate(doha, name="Charlotte Evans", country="GB", category="press"),
        "cyrillic": make_delegate(doha, name="Анна Смирнова", name_latin="Anna Smirnova", country="RU"),
        "long": make_delegate(doha, name="Maximilian " * 11, country="DE", organization="x" * 150),
        "pending": make_delegate(doha, name="Not Yet", status="pending"),
    }


def test_batch_pdf_every_code_scans_to_its_delegate(organizer_client, delegates):
    response = organizer_client.get("/doha/manage/badges.pdf?layout=a4-4up")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    approved = {d.badge_token for key, d in delegates.items() if key != "pending"}
    assert sorted(decoded_tokens(response.data)) == sorted(approved)
    assert response.headers["X-Badge-Count"] == "4"


def test_batch_filters_and_empty_result(organizer_client, delegates):
    response = organizer_client.get("/doha/manage/badges.pdf?layout=cr80&country=GB")
    assert decoded_tokens(response.data) == [delegates["latin"].badge_token]
    empty = organizer_client.get("/doha/manage/badges.pdf?layout=a6&country=FR")
    assert empty.status_code == 302
    page = organizer_client.get(empty.headers["Location"] + "&lang=en").get_data(as_text=True)
    assert "no badge to print" in page


def test_unknown_layout_is_a_bad_request(organizer_client, delegates):
    assert organizer_client.get("/doha/manage/badges.pdf?layout=poster").status_code == 400


def test_badges_page_counts_and_marks_printed(organizer_client, delegates):
    page = organizer_client.get("/doha/manage/badges?lang=en").get_data(as_text=True)
    assert "4 badges to print" in page
    post_form(organizer_client, "/doha/manage/badges/printed?country=GB", {})
    db.session.refresh(delegates["latin"])
    assert delegates["latin"].badge_printed_at is not None
    page = organizer_client.get("/doha/manage/badges?lang=en&not_printed=1").get_data(as_text=True)
    assert "3 badges to print" in page


def test_single_badge_and_refusal_for_pending(organizer_client, delegates):
    one = organizer_client.get(f"/doha/manage/delegates/{delegates['arabic'].id}/badge.pdf")
    assert decoded_tokens(one.data) == [delegates["arabic"].badge_token]
    refused = organizer_client.get(f"/doha/manage/delegates/{delegates['pending'].id}/badge.pdf")
    assert refused.status_code == 302


def test_reissue_revokes_old_token_and_counts(organizer_client, delegates):
    delegate = delegates["latin"]
    old = delegate.badge_token
    post_form(organizer_client, f"/doha/manage/delegates/{delegate.id}/badge/reissue", {})
    db.session.refresh(delegate)
    assert delegate.badge_token != old and delegate.badge_issue == 2
    assert db.session.scalar(select(RevokedBadge.token).where(RevokedBadge.delegate_id == delegate.id)) == old
    assert delegate.audit[-1].event == "badge_reissued"
    pdf = organizer_client.get(f"/doha/manage/delegates/{delegate.id}/badge.pdf").data
    assert decoded_tokens(pdf) == [delegate.badge_token]
    text = pypdfium2.PdfDocument(pdf)[0].get_textpage().get_text_range()
    assert "2" in text


def test_reissue_refused_for_pending(app, delegates):
    from conference.badging.services import BadgeError

    with pytest.raises(BadgeError):
        reissue_badge(delegates["pending"], None)


def test_ebadge_on_me_page_after_approval(client, doha, delegates, make_user):
    pending = delegates["pending"]
    login(client, db.session.get(User, pending.user_id))
    assert "<svg" not in client.get("/doha/me").get_data(as_text=True)
    assert client.get("/doha/me/badge.pdf").status_code == 404
    change_status(pending, "approve", make_user("boss@example.org"))
    db.session.commit()
    page = client.get("/doha/me?lang=en").get_data(as_text=True)
    assert "<svg" in page and "My e-badge" in page
    pdf = client.get("/doha/me/badge.pdf")
    assert decoded_tokens(pdf.data) == [pending.badge_token]
    mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.template == "registration_approved"))
    assert "/doha/me/badge.pdf" in mail.body_text


def test_badges_command(runner, delegates, tmp_path):
    out = tmp_path / "badges.pdf"
    result = runner.invoke(args=["badges", "doha", "--out", str(out), "--layout", "a4-4up"])
    assert result.exit_code == 0, result.output
    assert "4 badges written" in result.output
    assert len(decoded_tokens(out.read_bytes())) == 4
    for bad in (["--layout", "poster"], ["--status", "pending"], ["--country", "FR"], ["--category", "alien"]):
        result = runner.invoke(args=["badges", "doha", "--out", str(tmp_path / "x.pdf"), *bad])
        assert result.exit_code != 0
    assert not (tmp_path / "x.pdf").exists()
