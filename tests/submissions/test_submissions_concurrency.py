"""Decisions and confirmations made at the same moment count once (SQLite and PostgreSQL)."""
from __future__ import annotations

import threading

from sqlalchemy import func, select

from conference.extensions import db
from conference.mail.models import OutboxMessage
from conference.mail.services import release_drafts
from conference.registration.models import Delegate
from conference.submissions.errors import SubmissionError
from conference.submissions.models import Proposal, ProposalLogEntry, ProposalStatus
from conference.submissions.workflow import change_status
from conference.submissions.writing import accept_invitation


def _at_once(app, proposal_id: int, actions: list[tuple[int, str]]) -> tuple[int, list[BaseException]]:
    """Run (user id, action) pairs on one proposal in threads released together; returns (done, errors)."""
    barrier = threading.Barrier(len(actions), timeout=60)
    done: list[int] = []
    errors: list[BaseException] = []

    def act(user_id: int, action: str) -> None:
        with app.app_context():
            try:
                from conference.accounts.models import User

                user, proposal = db.session.get(User, user_id), db.session.get(Proposal, proposal_id)
                db.session.commit()  # hand the connection back while waiting for the others
                barrier.wait()
                change_status(proposal, action, user)
                db.session.commit()
                done.append(1)
            except SubmissionError:
                db.session.rollback()
            except BaseException as error:  # reported by the main thread
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=act, args=pair) for pair in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(done), errors


def test_two_organizers_accepting_at_once_write_one_letter(app, cfp, organizer, make_user, speaker, make_proposal):
    from conference.accounts.models import Role

    second = make_user("second@example.org", Role.ORGANIZER, cfp)
    proposal = make_proposal(speaker)
    done, errors = _at_once(app, proposal.id, [(organizer.id, "accept"), (second.id, "accept")])
    assert errors == [] and done == 1
    assert db.session.scalar(select(func.count(OutboxMessage.id)).where(
        OutboxMessage.template == "proposal_accepted")) == 1
    assert db.session.scalar(select(func.count(ProposalLogEntry.id)).where(
        ProposalLogEntry.to_status == "accepted")) == 1


def test_accept_and_reject_at_once_leave_one_decision(app, cfp, organizer, make_user, speaker, make_proposal):
    from conference.accounts.models import Role

    second = make_user("second@example.org", Role.ORGANIZER, cfp)
    proposal = make_proposal(speaker)
    done, errors = _at_once(app, proposal.id, [(organizer.id, "accept"), (second.id, "reject")])
    assert errors == [] and done == 1
    db.session.expire_all()
    assert db.session.get(Proposal, proposal.id).status in (ProposalStatus.ACCEPTED, ProposalStatus.REJECTED)


def test_two_speakers_confirming_at_once_register_each_once(app, cfp, organizer, make_user, speaker, make_proposal):
    proposal = make_proposal(speaker, co_speakers=["amina@example.org"])
    amina = make_user("amina@example.org")
    accept_invitation(proposal.speakers[1], amina)
    change_status(proposal, "accept", organizer)
    release_drafts(cfp.id)  # the speakers answer the letter once it is released
    db.session.commit()
    done, errors = _at_once(app, proposal.id, [(speaker.id, "confirm"), (amina.id, "confirm")])
    assert errors == [] and done == 1
    assert db.session.scalar(select(func.count(Delegate.id)).where(Delegate.conference_id == cfp.id)) == 2
