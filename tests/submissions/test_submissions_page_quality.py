"""The call for proposals' pages, in English and Arabic: no serious accessibility fault (axe-core), valid HTML (Nu)."""
from __future__ import annotations

import pytest

from conference.accounts.models import Role
from conference.extensions import db
from conference.submissions.review import assign_reviewer, score_proposal
from conference.submissions.workflow import change_status
from conference.submissions.writing import invitation_token
from tests.pagecheck import LANGUAGES


@pytest.fixture
def pages(cfp, organizer, speaker, make_user, make_proposal):
    """(path, who looks at it) for every kind of page of the area, with data on them."""
    reviewer = make_user("reviewer@example.org", Role.REVIEWER, cfp, name="Youssef Benali")
    open_one = make_proposal(speaker, title="حماية الطفل في الأزمات", co_speakers=["amina@example.org"])
    decided = make_proposal(speaker, title="Helplines and the SDGs")
    for proposal in (open_one, decided):
        assign_reviewer(proposal, reviewer, organizer)
    score_proposal(decided, reviewer, 4, "Clear and practical")
    change_status(decided, "accept", organizer)
    db.session.commit()
    invitation = f"/doha/cfp/invitation/{invitation_token(open_one.speakers[1])}"
    who = {"speaker": speaker, "organizer": organizer, "reviewer": reviewer,
           "co_speaker": make_user("amina@example.org", name="Amina Al-Balushi"),
           "other_account": make_user("intruder@example.org")}
    paths = [
        ("/doha/cfp", None), ("/doha/cfp/new", "speaker"), ("/doha/me/proposals", "speaker"),
        (f"/doha/me/proposals/{decided.id}", "speaker"), (f"/doha/me/proposals/{decided.id}/confirm", "speaker"),
        ("/doha/me/speaker-profile", "speaker"), ("/doha/me/availability", "speaker"), ("/doha/me", "speaker"),
        ("/doha/manage/proposals", "organizer"), (f"/doha/manage/proposals/{open_one.id}", "organizer"),
        ("/doha/manage/cfp", "organizer"), ("/doha/manage/outbox", "organizer"),
        ("/doha/manage/review", "reviewer"), (f"/doha/manage/review/{open_one.id}", "reviewer"),
        (invitation, None), (invitation, "co_speaker"), (invitation, "other_account"),
    ]
    return paths, who


@pytest.mark.parametrize("language", LANGUAGES)
def test_submission_pages_have_no_serious_accessibility_violations(axe, pages, language):
    paths, who = pages
    assert axe(paths, who, language) == {}


def test_submission_pages_are_valid_html(vnu, pages):
    paths, who = pages
    assert vnu(paths, who) == []
