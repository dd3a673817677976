"""Decision letters and what the speakers know: a decision reaches the speakers with its letter."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ..extensions import db
from ..mail.models import MailState, OutboxMessage
from .models import Proposal, ProposalLogEntry, ProposalStatus

DECISION_LETTERS = ("proposal_accepted", "proposal_rejected")


def discard_decision_letters(proposal: Proposal) -> bool:
    """Delete the proposal's decision letters still waiting as drafts; True when one had been released already."""
    letters = db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.proposal_id == proposal.id, OutboxMessage.template.in_(DECISION_LETTERS))).all()
    released = False
    for letter in letters:
        if letter.state == MailState.DRAFT:
            db.session.delete(letter)
        else:
            released = True
    db.session.flush()
    return released


# ---- what the speakers know ----------------------------------------------------------------------------------
# A decision reaches the speakers with its letter: while a decision letter of a proposal waits as a draft, its
# speakers see the proposal as they last heard of it (the decision of the latest released letter, else
# "Submitted", the only state a first decision is made from) and cannot confirm or decline. Organizers always see
# the real state. Any draft counts, even when one speaker's copy was released alone: the speakers of a proposal
# hear of a decision together. A released letter that failed to send counts as released (the organizers retry it).
LETTER_STATUS = {"proposal_accepted": ProposalStatus.ACCEPTED, "proposal_rejected": ProposalStatus.REJECTED}
LETTER_TITLES = {"proposal_accepted": _l("Acceptance letters"), "proposal_rejected": _l("Rejection letters")}


def speaker_statuses(proposals: list[Proposal]) -> dict[int, ProposalStatus]:
    """The state each proposal's speakers see, by proposal id (one query for all of them)."""
    shown = {proposal.id: proposal.status for proposal in proposals}
    if not proposals:
        return shown
    letters = db.session.execute(
        select(OutboxMessage.proposal_id, OutboxMessage.template, OutboxMessage.state)
        .where(OutboxMessage.proposal_id.in_(list(shown)), OutboxMessage.template.in_(DECISION_LETTERS))
        .order_by(OutboxMessage.id)).all()
    pending = {proposal_id for proposal_id, _, state in letters if state == MailState.DRAFT}
    for proposal_id in pending:
        shown[proposal_id] = ProposalStatus.SUBMITTED
    for proposal_id, template, state in letters:  # in order: the latest released letter wins
        if proposal_id in pending and state != MailState.DRAFT:
            shown[proposal_id] = LETTER_STATUS[template]
    return shown


def speaker_status(proposal: Proposal) -> ProposalStatus:
    """The state the proposal's speakers see: the real one once its decision letter is released."""
    return speaker_statuses([proposal])[proposal.id]


def decision_released(proposal: Proposal) -> bool:
    """False while a decision letter about the proposal still waits in the outbox as a draft."""
    return db.session.scalar(select(OutboxMessage.id).where(
        OutboxMessage.proposal_id == proposal.id, OutboxMessage.template.in_(DECISION_LETTERS),
        OutboxMessage.state == MailState.DRAFT).limit(1)) is None


def speaker_log(proposal: Proposal) -> list[ProposalLogEntry]:
    """The history the speakers see: without the decisions whose letters are not released yet."""
    if decision_released(proposal):
        return list(proposal.log)
    # A decision is logged just before its letter is written: those logged after the latest released letter
    # are the ones the speakers have not heard of.
    heard_until = db.session.scalar(select(func.max(OutboxMessage.created_at)).where(
        OutboxMessage.proposal_id == proposal.id, OutboxMessage.template.in_(DECISION_LETTERS),
        OutboxMessage.state != MailState.DRAFT))
    decided = (ProposalStatus.ACCEPTED.value, ProposalStatus.REJECTED.value)
    return [entry for entry in proposal.log
            if entry.to_status not in decided or (heard_until is not None and entry.at <= heard_until)]
