"""Decisions and confirmations made at the same moment count once (SQLite and PostgreSQL)."""
from __future__ import annotations

from functools import partial

from sqlalchemy import func, select

from conference.accounts.models import User
from conference.extensions import db
from conference.mail.models import OutboxMessage
from conference.mail.services import release_drafts
from conference.registration.models import Delegate
from conference.submissions.errors import SubmissionError
from conference.submissions.models import Proposal, ProposalLogEntry, ProposalStatus
from conference.submissions.workflow import change_status
from conference.submissions.writing import accept_invitation
from tests.conftest import run_together


def _at_once(app, proposal_id: int, actions: list[tuple[int, str]]) -> int:
    """Run (user id, action) pairs on one proposal in threads released together; how many took effect."""

    def act(user_id: int, action: str, ready) -> None:
        user, proposal = db.session.get(User, user_id), db.session.get(Proposal, proposal_id)
        db.session.commit()  # hand the connection back while waiting for the others
        ready()
        change_status(proposal, action, user)

    outcomes = run_together([partial(act, *pair) for pair in actions], app, expected=(SubmissionError,))
    return sum(not isinstance(outcome, SubmissionError) for outcome in outcomes)


def test_two_organizers_accepting_at_once_write_one_letter(app, cfp, organizer, make_user, speaker, make_proposal):
    from conference.accounts.models import Role

    second = make_user("second@example.org", Role.ORGANIZER, cfp)
    proposal = make_proposal(speaker)
    assert _at_once(app, proposal.id, [(organizer.id, "accept"), (second.id, "accept")]) == 1
    assert db.session.scalar(select(func.count(OutboxMessage.id)).where(
        OutboxMessage.template == "proposal_accepted")) == 1
    assert db.session.scalar(select(func.count(ProposalLogEntry.id)).where(
        ProposalLogEntry.to_status == "accepted")) == 1


def test_accept_and_reject_at_once_leave_one_decision(app, cfp, organizer, make_user, speaker, make_proposal):
    from conference.accounts.models import Role

    second = make_user("second@example.org", Role.ORGANIZER, cfp)
    proposal = make_proposal(speaker)
    assert _at_once(app, proposal.id, [(organizer.id, "accept"), (second.id, "reject")]) == 1
    db.session.expire_all()
    assert db.session.get(Proposal, proposal.id).status in (ProposalStatus.ACCEPTED, ProposalStatus.REJECTED)


def test_two_speakers_confirming_at_once_register_each_once(app, cfp, organizer, make_user, speaker, make_proposal):
    proposal = make_proposal(speaker, co_speakers=["amina@example.org"])
    amina = make_user("amina@example.org")
    accept_invitation(proposal.speakers[1], amina)
    change_status(proposal, "accept", organizer)
    release_drafts(cfp.id)  # the speakers answer the letter once it is released
    db.session.commit()
    assert _at_once(app, proposal.id, [(speaker.id, "confirm"), (amina.id, "confirm")]) == 1
    assert db.session.scalar(select(func.count(Delegate.id)).where(Delegate.conference_id == cfp.id)) == 2
