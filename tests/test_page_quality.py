"""The main pages in English and Arabic: no serious accessibility fault (axe-core), valid HTML (Nu checker).

The checkers and how they are run are in tests/pagecheck.py.
"""
from __future__ import annotations

import pytest

from conference.accounts.models import Role
from conference.extensions import db
from conference.messages.audiences import Audience
from conference.messages.services import Draft, create_message
from conference.registration.models import Delegate, DelegateStatus
from conference.registration.services import new_badge_token
from tests.pagecheck import LANGUAGES

# (path, who looks at it): the pages people spend their time on, one per kind of visitor and area.
PAGES = (
    ("/", None),
    ("/doha/", None),
    ("/doha/register", None),
    ("/login", None),
    ("/doha/participants", None),
    ("/doha/me", "delegate"),
    ("/doha/checkin", "staff"),
    ("/doha/manage/", "organizer"),
    ("/doha/manage/delegates", "organizer"),
    ("/doha/manage/badges", "organizer"),
    ("/doha/manage/attendance", "organizer"),
    ("/doha/manage/messages/new?status=approved&country=OM", "organizer"),
    ("/doha/manage/messages", "organizer"),
    ("/doha/manage/messages/1", "organizer"),
)


@pytest.fixture
def visitors(doha, make_user) -> dict[str, object]:
    """A delegate with an approved registration, a door staff member and an organizer, with sample delegates."""
    delegate = make_user("delegate@example.org", name="Hamad bin Saif Al-Housni")
    for n, (name, status) in enumerate([("حمد بن سيف الحوسني", "approved"), ("Fatima Zahra", "pending"),
                                        ("Layla Haddad", "waitlisted")]):
        user = delegate if n == 0 else make_user(f"sample{n}@example.org", name=name)
        db.session.add(Delegate(conference_id=doha.id, user_id=user.id, email=user.email, name=name,
                                country="OM" if n == 0 else "MA", status=DelegateStatus(status),
                                code=f"XX-{n + 1:04d}", badge_token=new_badge_token(), consent_privacy=True,
                                consent_public_list=True))
    db.session.commit()
    organizer = make_user("organizer@example.org", Role.ORGANIZER, doha)
    create_message(doha, organizer, Draft("Welcome {first_name}", "See you soon.", "أهلاً {first_name}", "نراكم."),
                   Audience(status="approved"), "page-quality")  # /doha/manage/messages/1
    db.session.commit()
    return {"delegate": delegate, "staff": make_user("staff@example.org", Role.STAFF, doha), "organizer": organizer}


@pytest.mark.parametrize("language", LANGUAGES)
def test_pages_have_no_serious_accessibility_violations(axe, visitors, language):
    assert axe(PAGES, visitors, language) == {}


def test_pages_are_valid_html(vnu, visitors):
    assert vnu(PAGES, visitors) == []
