"""The organizers' table and the reviewer's list take a number of queries that does not grow with proposals."""
from __future__ import annotations

import pytest
from sqlalchemy import event

from conference.accounts.models import Role
from conference.extensions import db
from conference.submissions.call import proposal_types
from conference.submissions.models import (
    SUBMITTER,
    Proposal,
    ProposalLogEntry,
    ProposalSpeaker,
    ProposalStatus,
    ReviewAssignment,
)
from tests.conftest import login, quick_user


def _fill(conference, reviewer, count: int) -> None:
    """`count` submitted proposals, each with a speaker and the reviewer's score, inserted directly."""
    kind = proposal_types(conference)[0]
    for n in range(count):
        author = quick_user(f"author{n}@example.org", f"Author {n}")
        proposal = Proposal(conference_id=conference.id, title=f"Proposal {n}", abstract="Text", language="en",
                            proposal_type_id=kind.id, duration_minutes=20, status=ProposalStatus.SUBMITTED,
                            track_id=conference.tracks[n % 2].id)
        proposal.speakers.append(ProposalSpeaker(user_id=author.id, email=author.email, role=SUBMITTER))
        proposal.reviews.append(ReviewAssignment(reviewer_id=reviewer.id, score=(n % 5) + 1))
        proposal.log.append(ProposalLogEntry(from_status="draft", to_status="submitted"))
        db.session.add(proposal)
    db.session.commit()


def _count_queries(client, path: str) -> int:
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        response = client.get(path)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert response.status_code == 200
    return len(statements)


@pytest.mark.parametrize("path", ["/doha/manage/proposals", "/doha/manage/proposals?sort=mean&min_mean=2",
                                  "/doha/manage/review"], ids=["table", "table-filtered", "reviewer-list"])
def test_query_count_does_not_grow_with_proposals(client, cfp, make_user, path):
    organizer = make_user("organizer@example.org", Role.ORGANIZER, cfp)
    from conference.accounts.services import grant_role

    grant_role(organizer, cfp.id, Role.REVIEWER)
    db.session.commit()
    login(client, organizer)
    _fill(cfp, organizer, 20)
    small = _count_queries(client, path)
    _fill_more = 380
    kind_offset = 20
    kind = proposal_types(cfp)[0]
    for n in range(kind_offset, kind_offset + _fill_more):
        author = quick_user(f"author{n}@example.org", f"Author {n}")
        proposal = Proposal(conference_id=cfp.id, title=f"Proposal {n}", abstract="Text", language="ar",
                            proposal_type_id=kind.id, duration_minutes=20, status=ProposalStatus.SUBMITTED)
        proposal.speakers.append(ProposalSpeaker(user_id=author.id, email=author.email, role=SUBMITTER))
        proposal.reviews.append(ReviewAssignment(reviewer_id=organizer.id, score=(n % 5) + 1 if n % 3 else None))
        db.session.add(proposal)
    db.session.commit()
    large = _count_queries(client, path)
    assert large == small, f"{small} queries for 20 proposals, {large} for 400"
