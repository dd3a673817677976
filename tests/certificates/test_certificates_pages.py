"""The certificates' pages in English and Arabic: no serious accessibility fault (axe-core), valid HTML (Nu)."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from conference.accounts.models import Role, User
from conference.certificates.models import Certificate
from conference.certificates.services import issue_certificates, reissue_certificate
from conference.extensions import db
from tests.pagecheck import LANGUAGES


@pytest.fixture
def pages(past, configured, attendees, make_user) -> tuple:
    issue_certificates(past)
    revoked = db.session.scalar(select(Certificate).where(Certificate.delegate_id == attendees["charlotte"].id))
    reissue_certificate(past, revoked, None)
    db.session.commit()
    valid = db.session.scalar(select(Certificate).where(Certificate.delegate_id == attendees["hamad"].id))
    who = {"organizer": make_user("organizer@example.org", Role.ORGANIZER, past),
           "delegate": db.session.get(User, attendees["hamad"].user_id)}
    paths = (("/doha/manage/certificates", "organizer"), ("/doha/me", "delegate"), (f"/verify/{valid.code}", None),
             (f"/verify/{revoked.code}", None))
    return paths, who


@pytest.mark.parametrize("language", LANGUAGES)
def test_pages_have_no_serious_accessibility_violations(axe, pages, language):
    paths, who = pages
    assert axe(paths, who, language) == {}


def test_pages_are_valid_html(vnu, pages):
    paths, who = pages
    assert vnu(paths, who) == []
