"""Fixtures of the call for proposals: a conference with an open call, speakers, reviewers, proposals."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from conference.accounts.models import Role
from conference.extensions import db
from conference.submissions.call import call_of, proposal_types
from conference.submissions.workflow import submit_proposal
from conference.submissions.writing import create_proposal


@pytest.fixture
def cfp(make_conference):
    """A conference whose call for proposals is open now, with two tracks and the default types."""
    from conference.events.services import add_track

    now = datetime.now(timezone.utc)
    conference = make_conference("doha", cfp_opens_at=now - timedelta(days=10), cfp_closes_at=now + timedelta(days=10))
    add_track(conference, "Child protection", "حماية الطفل")
    add_track(conference, "Emergencies", "الطوارئ")
    call_of(conference)
    db.session.commit()
    return conference


@pytest.fixture
def organizer(cfp, make_user):
    return make_user("organizer@example.org", Role.ORGANIZER, cfp, name="Mariam Al-Kuwari")


@pytest.fixture
def speaker(make_user):
    return make_user("hamad@example.org", name="Hamad bin Saif Al-Housni")


@pytest.fixture
def make_proposal(cfp):
    """Factory: a proposal by `author`, as a draft or already submitted."""
    counter = iter(range(1, 100_000))

    def make(author, submitted: bool = True, conference=None, co_speakers=(), **fields):
        conference = conference or cfp
        call_of(conference)  # the default proposal types
        data = {"title": f"Proposal {next(counter)}", "abstract": "Helplines answer children in crisis.",
                "proposal_type_id": proposal_types(conference)[0].id, "track_id": None, "language": "en",
                "notes": "", "co_speakers": list(co_speakers)}
        data.update(fields)
        proposal = create_proposal(conference, author, data)
        if submitted:
            submit_proposal(proposal, author)
        db.session.commit()
        return proposal

    return make
