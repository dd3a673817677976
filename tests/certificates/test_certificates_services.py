"""Certificates' services: who is entitled, release, issuing, revoke and reissue, verification, signature images."""
from __future__ import annotations

import io
import zlib
from datetime import timedelta

import pytest
from PIL import Image
from sqlalchemy import func, select

from conference.certificates.entitlements import eligible_query, entitlements
from conference.certificates.models import Certificate, CertificateKind, CertificateSettings
from conference.certificates.services import (
    CertificateError,
    announce_certificates,
    check_released,
    is_released,
    issue_certificates,
    own_certificate,
    reissue_certificate,
    save_settings,
    verify,
)
from conference.extensions import db
from conference.mail.models import MailState, OutboxMessage
from conference.types import utcnow


def test_admitted_delegates_and_speakers_are_entitled(past, attendees):
    found = entitlements(past, [d.id for d in attendees.values() if hasattr(d, "email")])
    hamad, charlotte, sara = attendees["hamad"], attendees["charlotte"], attendees["sara"]
    assert [e.kind for e in found[hamad.id]] == [CertificateKind.ATTENDANCE]
    assert found[hamad.id][0].days == tuple(past.days)
    assert [line.title_en for line in found[hamad.id][0].sessions] == ["Opening plenary"]
    assert found[hamad.id][0].minutes == 90
    assert found[charlotte.id][0].days == (past.days[0],) and found[charlotte.id][0].sessions == ()
    assert [e.kind for e in found[sara.id]] == [CertificateKind.PRESENTATION]
    assert found[sara.id][0].days == (past.days[1],)
    assert attendees["ivan"].id not in found
    names = [d.name for d in db.session.scalars(eligible_query(past))]
    assert sorted(names) == sorted(["حمد بن سيف الحوسني", "Charlotte Evans", "Sara Haddad"])
    assert [d.name for d in db.session.scalars(eligible_query(past, country="gb"))] == ["Charlotte Evans"]
    assert [d.name for d in db.session.scalars(eligible_query(past, category="speaker"))] == ["Sara Haddad"]


def test_a_speaker_of_a_proposal_not_confirmed_is_not_entitled(past, make_delegate, make_session):
    from conference.submissions.models import Proposal, ProposalStatus, ProposalType

    kind = ProposalType(conference_id=past.id, name_en="Talk")
    db.session.add(kind)
    db.session.flush()
    proposal = Proposal(conference_id=past.id, title="Maybe", proposal_type_id=kind.id,
                        status=ProposalStatus.ACCEPTED)
    db.session.add(proposal)
    db.session.commit()
    session = make_session("Maybe", 0, "14:00", "15:00", proposal_id=proposal.id)
    speaker = make_delegate(past, name="Not Yet Confirmed")
    from tests.certificates.conftest import speak

    speak(speaker, session)
    assert entitlements(past, [speaker.id]) == {}
    proposal.status = ProposalStatus.CONFIRMED
    db.session.commit()
    assert [e.kind for e in entitlements(past, [speaker.id])[speaker.id]] == [CertificateKind.PRESENTATION]


def test_release_after_the_last_day_or_on_a_date(past, configured, make_conference):
    assert is_released(past, configured)
    configured.release_on = utcnow().date() + timedelta(days=3)
    assert not is_released(past, configured)
    with pytest.raises(CertificateError, match="available from"):
        check_released(past, configured)
    ahead = make_conference("ahead")
    settings = save_settings(ahead, {"title_en": "x"})
    assert not is_released(ahead, settings)  # the day after a conference a month ahead
    assert not is_released(ahead, None)


def test_before_release_nothing_is_written(past, configured, attendees):
    configured.release_on = utcnow().date() + timedelta(days=3)
    db.session.commit()
    with pytest.raises(CertificateError):
        own_certificate(past, attendees["hamad"], CertificateKind.ATTENDANCE)
    db.session.rollback()
    assert db.session.scalar(select(func.count(Certificate.id))) == 0


def test_issue_is_idempotent_and_codes_are_long_and_distinct(past, configured, attendees):
    assert issue_certificates(past) == 3
    assert issue_certificates(past) == 0
    codes = db.session.scalars(select(Certificate.code)).all()
    assert len(set(codes)) == 3 and all(len(code) >= 22 for code in codes)  # 128 bits, URL-safe base64


def test_revoke_and_reissue(past, configured, attendees):
    issue_certificates(past)
    old = db.session.scalar(Certificate.of(past).where(Certificate.delegate_id == attendees["hamad"].id))
    new = reissue_certificate(past, old, None)
    db.session.commit()
    assert old.revoked_at is not None and old.replaced_by_id == new.id and new.code != old.code
    assert verify(old.code).state == "revoked"
    valid = verify(new.code)
    assert valid.state == "valid" and valid.name == "حمد بن سيف الحوسني" and valid.days == tuple(past.days)
    assert valid.conference.id == past.id and valid.kind == CertificateKind.ATTENDANCE
    with pytest.raises(CertificateError):
        reissue_certificate(past, old, None)


@pytest.mark.parametrize("code", ["", "x", "a" * 21, "a" * 5000, "..%2F..%2Fsecret", "é" * 30, "%00" * 10,
                                  "' OR 1=1 --", "A" * 22, None, 12])
def test_any_code_is_unknown_without_error(app, code):
    assert verify(code).state == "unknown"


def test_signature_is_re_encoded_and_bad_images_are_refused(past):
    transparent = io.BytesIO()
    Image.new("RGBA", (80, 40), (0, 0, 0, 0)).save(transparent, "PNG")
    settings = save_settings(past, {"signatory_name": "Dr. Amal"}, transparent.getvalue())
    db.session.commit()
    stored = db.session.scalar(select(CertificateSettings.signature))
    assert stored.startswith(b"\xff\xd8") and Image.open(io.BytesIO(stored)).format == "JPEG"
    for bad, reason in ((b"not an image at all", "JPEG, PNG or WebP"), (b"", "empty"), (_bomb(), "too large")):
        with pytest.raises(CertificateError, match=reason):
            save_settings(past, {"signatory_name": "Changed"}, bad)
        db.session.rollback()
    db.session.refresh(settings)
    assert settings.signatory_name == "Dr. Amal" and settings.signature == stored


def _bomb() -> bytes:
    """A small PNG that claims 40,000 × 40,000 pixels (its header only; the pixels would take gigabytes)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return len(data).to_bytes(4, "big") + kind + data + zlib.crc32(kind + data).to_bytes(4, "big")
    header = (40_000).to_bytes(4, "big") * 2 + bytes([8, 0, 0, 0, 0])
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 1000))
            + chunk(b"IEND", b""))


def test_announce_writes_drafts_in_each_language_once(past, configured, attendees):
    assert announce_certificates(past) == 3
    db.session.commit()
    drafts = db.session.scalars(OutboxMessage.of(past).where(OutboxMessage.template == "certificate_ready")).all()
    assert {m.state for m in drafts} == {MailState.DRAFT}
    by_address = {m.recipient: m for m in drafts}
    arabic = by_address[attendees["hamad"].email]
    assert arabic.locale == "ar" and "/doha/me" in arabic.body_text
    assert any("\u0600" <= ch <= "\u06ff" for ch in arabic.subject)
    assert by_address[attendees["charlotte"].email].subject.startswith("Your certificate is ready")
    assert announce_certificates(past) == 0  # told once


def test_announce_before_release_is_refused(past, configured, attendees):
    configured.release_on = utcnow().date() + timedelta(days=3)
    with pytest.raises(CertificateError):
        announce_certificates(past)
