"""Rows of the authorization matrix (tests/test_authorization.py) for certificates."""
from __future__ import annotations

from tests.access import ORGANIZER, ORGANIZER_POST, POST_ONLY, PUBLIC, Route, expect

SETTINGS = {"title_en": "Certificate of Attendance", "title_ar": "شهادة حضور", "signatory_name": "Dr. Amal",
            "list_sessions": "y"}

ROUTES: dict[str, Route] = {
    "certificates.manage": Route("/doha/manage/certificates", ORGANIZER, ORGANIZER_POST, form=SETTINGS),
    "certificates.signature": Route("/doha/manage/certificates/signature.jpg", ORGANIZER),
    "certificates.batch_pdf": Route("/doha/manage/certificates.pdf?country=YE", ORGANIZER),
    "certificates.reissue": Route("/doha/manage/certificates/{certificate_id}/reissue", POST_ONLY, ORGANIZER_POST),
    "certificates.announce": Route("/doha/manage/certificates/announce", POST_ONLY, ORGANIZER_POST),
    # The matrix's delegate is registered but was never admitted: no certificate (404), as for anyone without a
    # registration; the download itself is in tests/certificates/test_certificates_http.py.
    "certificates.my_certificate": Route("/doha/me/certificates/attendance.pdf", expect(302, 404, 404, 404, 404, 404,
                                                                                      404)),
    "certificates.verify_page": Route("/verify/{certificate_code}", PUBLIC),
}


def samples(people, conference) -> dict:
    """Released settings with a signature, and an admitted delegate with an issued certificate."""
    import io

    from PIL import Image

    from conference.certificates.services import issue_certificates, save_settings
    from conference.checkin.models import CheckIn
    from conference.extensions import db
    from conference.registration.models import Delegate, DelegateStatus
    from conference.registration.services import new_badge_token
    from conference.types import utcnow
    from tests.conftest import quick_user

    png = io.BytesIO()
    Image.new("RGB", (40, 20), "white").save(png, "PNG")
    settings = save_settings(conference, {"title_en": "Certificate"}, png.getvalue())
    settings.release_on = utcnow().date()  # released today (before the conference: a test conference is ahead)
    user = quick_user("matrix-certified@example.org", "Certified Delegate")
    delegate = Delegate(conference_id=conference.id, user_id=user.id, email=user.email, name="Certified Delegate",
                        country="YE", status=DelegateStatus.APPROVED, code="YE-9001",
                        badge_token=new_badge_token(), consent_privacy=True)
    db.session.add(delegate)
    db.session.flush()
    db.session.add(CheckIn(conference_id=conference.id, delegate_id=delegate.id, day=conference.start_date))
    issue_certificates(conference)
    db.session.commit()
    from conference.certificates.models import Certificate

    certificate = db.session.scalar(Certificate.of(conference))
    return {"certificate_id": certificate.id, "certificate_code": certificate.code}
