"""Second look at the call for proposals: tampered ids, bidi isolation, decisions reversed before confirmation."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from conference.accounts.models import Role
from conference.extensions import db
from conference.submissions.models import Proposal, ReviewAssignment
from conference.submissions.services import proposal_types
from tests.conftest import login, post_form


def _form(cfp, **fields):
    data = {"title": "Oman's child hotline", "abstract": "What we learnt.",
            "proposal_type_id": str(proposal_types(cfp)[0].id), "track_id": "", "language": "en",
            "notes": "", "co_speakers": ""}
    data.update(fields)
    return data


HUGE = "99999999999999999999"


@pytest.mark.parametrize("field,value", [("proposal_type_id", HUGE), ("track_id", HUGE), ("proposal_type_id", "²")],
                         ids=["type-huge", "track-huge", "type-superscript"])
def test_oversized_ids_in_the_proposal_form_are_refused_without_error(client, cfp, speaker, field, value):
    login(client, speaker)
    response = post_form(client, "/doha/cfp/new", _form(cfp, **{field: value}))
    assert response.status_code == 200
    assert db.session.scalar(select(Proposal)) is None


def test_an_oversized_reviewer_id_is_refused_without_error(client, cfp, organizer, speaker, make_proposal):
    proposal = make_proposal(speaker)
    login(client, organizer)
    response = post_form(client, f"/doha/manage/proposals/{proposal.id}/assign", {"reviewer_id": HUGE})
    assert response.status_code == 302
    assert db.session.scalar(select(ReviewAssignment)) is None
