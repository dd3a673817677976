"""The proposal workflow: every change of state, who may make it, its log and the e-mails it queues; decisions."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..accounts.access import has_role
from ..accounts.models import Membership, Role, User
from ..db_locks import lock_conference
from ..events.models import Conference
from ..extensions import db
from ..mail.models import MailState
from ..mail.services import absolute_url, queue_mail
from ..registration.services import register_speaker
from ..types import utcnow
from .call import call_of, count_words
from .errors import SubmissionError
from .letters import decision_released, discard_decision_letters
from .models import CO_SPEAKER, SUBMITTER, CallForProposals, Proposal, ProposalLogEntry, ProposalSpeaker, ProposalStatus
from .profiles import profile_of


@dataclass(frozen=True)
class Transition:
    """A change of state: from which states, to which, who makes it, and the e-mail that tells the speakers.

    by: "submitter" (the proposal's author), "speaker" (any speaker with an account) or "organizer".
    until_deadline: only while the call is open. draft_mail: the e-mail waits in the outbox for an organizer.
    """

    allowed_from: frozenset[ProposalStatus]
    to: ProposalStatus
    by: str
    mail: str | None
    until_deadline: bool = False
    draft_mail: bool = False


# The whole workflow. Withdrawing: by the author from draft or submitted until the deadline; after acceptance
# a speaker declines (accepted → withdrawn). A confirmed proposal is changed only by the organizers on the agenda.
TRANSITIONS = {
    "submit": Transition(frozenset({ProposalStatus.DRAFT}), ProposalStatus.SUBMITTED, "submitter",
                         "proposal_submitted", until_deadline=True),
    "withdraw": Transition(frozenset({ProposalStatus.DRAFT, ProposalStatus.SUBMITTED}), ProposalStatus.WITHDRAWN,
                           "submitter", "proposal_withdrawn", until_deadline=True),
    "accept": Transition(frozenset({ProposalStatus.SUBMITTED}), ProposalStatus.ACCEPTED, "organizer",
                         "proposal_accepted", draft_mail=True),
    "reject": Transition(frozenset({ProposalStatus.SUBMITTED}), ProposalStatus.REJECTED, "organizer",
                         "proposal_rejected", draft_mail=True),
    "confirm": Transition(frozenset({ProposalStatus.ACCEPTED}), ProposalStatus.CONFIRMED, "speaker",
                          "proposal_confirmed"),
    "decline": Transition(frozenset({ProposalStatus.ACCEPTED}), ProposalStatus.WITHDRAWN, "speaker",
                          "proposal_declined"),
    # A committee changes its mind before the speakers confirm (a slot lost, a conflict found, a decline freeing
    # room): the earlier letter's unreleased draft is discarded and the new letter waits as a draft in its place.
    "revoke_acceptance": Transition(frozenset({ProposalStatus.ACCEPTED}), ProposalStatus.REJECTED, "organizer",
                                    "proposal_rejected", draft_mail=True),
    "reverse_rejection": Transition(frozenset({ProposalStatus.REJECTED}), ProposalStatus.ACCEPTED, "organizer",
                                    "proposal_accepted", draft_mail=True),
}
DECISIONS = ("accept", "reject")
REVERSALS = ("revoke_acceptance", "reverse_rejection")
ORGANIZER_ACTIONS = DECISIONS + REVERSALS  # what the organizers' decision form may ask for


def allowed_actions(proposal: Proposal) -> list[str]:
    """The transitions that apply to the proposal's state now, in the table's order."""
    return [action for action, transition in TRANSITIONS.items() if proposal.status in transition.allowed_from]


def is_speaker(proposal: Proposal, user: User) -> bool:
    """True when `user` is a speaker of the proposal (the submitter or a co-speaker who accepted)."""
    return any(speaker.user_id == user.id for speaker in proposal.speakers)


def is_submitter(proposal: Proposal, user: User) -> bool:
    """True when `user` wrote the proposal (only they edit, submit and withdraw it)."""
    return any(s.user_id == user.id and s.role == SUBMITTER for s in proposal.speakers)


def _check_actor(proposal: Proposal, transition: Transition, actor: User, conference: Conference) -> None:
    if transition.by == "organizer":
        allowed = has_role(actor, conference, Role.ORGANIZER)
    elif transition.by == "submitter":
        allowed = is_submitter(proposal, actor)
    else:
        allowed = is_speaker(proposal, actor)
    if not allowed:
        raise SubmissionError(_l("You may not make this change to this proposal."))


def _check_complete(proposal: Proposal, call: CallForProposals) -> None:
    if not proposal.title or not proposal.abstract:
        raise SubmissionError(_l("A proposal needs a title and an abstract before it is submitted."))
    if count_words(proposal.abstract) > call.abstract_word_limit:
        raise SubmissionError(_l("The abstract is longer than %(n)d words.", n=call.abstract_word_limit))


def change_status(proposal: Proposal, action: str, actor: User, note: str = "", now: datetime | None = None) -> None:
    """The one way a proposal changes state: checked against TRANSITIONS, logged, and its e-mails queued."""
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise SubmissionError(_l("Unknown action."))
    conference = db.session.get(Conference, proposal.conference_id)
    lock_conference(conference.id)
    db.session.refresh(proposal)  # decide on the state as it is now, after any concurrent change
    if proposal.status not in transition.allowed_from:
        raise SubmissionError(_l("This proposal cannot be changed from “%(status)s”.", status=proposal.status.title))
    _check_actor(proposal, transition, actor, conference)
    if transition.by == "speaker" and not decision_released(proposal):
        raise SubmissionError(_l("The committee's decision on this proposal has not been sent yet: you can confirm "
                                 "or decline once you receive it by e-mail."))
    now = now or utcnow()
    if transition.until_deadline and not conference.cfp_open(now):
        raise SubmissionError(_l("The call for proposals is closed: proposals can no longer be changed."))
    if action == "submit":
        _check_complete(proposal, call_of(conference))
        proposal.submitted_at = now
    replaces = False
    if action in ORGANIZER_ACTIONS:
        proposal.decided_at = now
    if action in REVERSALS:
        replaces = discard_decision_letters(proposal)
    old = proposal.status
    proposal.status = transition.to
    proposal.log.append(ProposalLogEntry(actor_id=actor.id, at=now, from_status=old.value,
                                         to_status=transition.to.value, note=(note or "")[:2000]))
    db.session.flush()
    if action == "confirm":
        register_speakers(proposal, conference, actor)
    # A withdrawn draft concerns nobody.
    if transition.mail and not (action == "withdraw" and old == ProposalStatus.DRAFT):
        notify_speakers(proposal, conference, transition.mail, draft=transition.draft_mail, replaces=replaces)
    if action == "decline":
        notify_organizers(proposal, conference, "proposal_declined_organizer")


def register_speakers(proposal: Proposal, conference: Conference, actor: User) -> None:
    for speaker in proposal.speakers:
        if speaker.user is not None:
            register_speaker(conference, speaker.user, actor, profile=profile_of(conference, speaker.user))


def speaker_locale(speaker: ProposalSpeaker) -> str:
    """The language a speaker reads their e-mails in: their account's, else the invitation's."""
    return speaker.user.locale if speaker.user is not None else speaker.locale


def _proposal_url(conference: Conference, proposal: Proposal) -> str:
    return absolute_url("submissions.my_proposal", slug=conference.slug, proposal_id=proposal.id)


def notify_speakers(proposal: Proposal, conference: Conference, template: str, draft: bool = False,
                    replaces: bool = False) -> list:
    """Queue `templates/mail/<template>` to every speaker, each in their language; drafts wait for release.

    replaces: an earlier letter about this proposal went out, and this one corrects it.
    """
    messages = []
    for speaker in proposal.speakers:
        if speaker.role == CO_SPEAKER and speaker.user_id is None:
            continue  # not on board yet: their invitation is their only mail
        message = queue_mail(
            speaker.email, template, speaker_locale(speaker), conference=conference, proposal_id=proposal.id,
            proposal=proposal,
            speaker=speaker, name=speaker_name(conference, speaker), replaces=replaces,
            proposal_url=_proposal_url(conference, proposal),
            me_url=absolute_url("registration.me", slug=conference.slug),
        )
        if draft:
            message.state = MailState.DRAFT
        messages.append(message)
    return messages


def notify_organizers(proposal: Proposal, conference: Conference, template: str) -> None:
    """Queue `templates/mail/<template>` to each organizer of the conference, in their language."""
    organizers = db.session.scalars(select(User).join(Membership).where(
        Membership.conference_id == conference.id, Membership.role == Role.ORGANIZER).order_by(User.id)).all()
    for organizer in organizers:
        queue_mail(organizer.email, template, organizer.locale, conference=conference, proposal_id=proposal.id,
                   proposal=proposal, name=organizer.display_name or organizer.email,
                   manage_url=absolute_url("submissions.proposal", slug=conference.slug, proposal_id=proposal.id))


def speaker_name(conference: Conference, speaker: ProposalSpeaker) -> str:
    """How an e-mail greets a speaker: their profile's name, their account's, else their address."""
    if speaker.user is None:
        return speaker.email
    profile = profile_of(conference, speaker.user)
    return (profile.name if profile else "") or speaker.user.display_name or speaker.email


def submit_proposal(proposal: Proposal, actor: User, now: datetime | None = None) -> None:
    """draft → submitted, by its author while the call is open."""
    change_status(proposal, "submit", actor, now=now)


def withdraw_proposal(proposal: Proposal, actor: User, now: datetime | None = None) -> None:
    """draft or submitted → withdrawn, by its author while the call is open."""
    change_status(proposal, "withdraw", actor, now=now)


def accept_proposal(proposal: Proposal, actor: User, note: str = "") -> None:
    """submitted → accepted, by an organizer; the letter waits in the outbox as a draft."""
    change_status(proposal, "accept", actor, note)


def reject_proposal(proposal: Proposal, actor: User, note: str = "") -> None:
    """submitted → rejected, by an organizer; the letter waits in the outbox as a draft."""
    change_status(proposal, "reject", actor, note)


def revoke_acceptance(proposal: Proposal, actor: User, note: str = "") -> None:
    """accepted → rejected before any speaker confirmed, by an organizer; the letter draft is replaced."""
    change_status(proposal, "revoke_acceptance", actor, note)


def reverse_rejection(proposal: Proposal, actor: User, note: str = "") -> None:
    """rejected → accepted, by an organizer; the letter draft is replaced."""
    change_status(proposal, "reverse_rejection", actor, note)


def confirm_proposal(proposal: Proposal, actor: User) -> None:
    """accepted → confirmed, by a speaker: every speaker becomes an approved delegate with category speaker."""
    change_status(proposal, "confirm", actor)


def decline_proposal(proposal: Proposal, actor: User) -> None:
    """accepted → withdrawn, by a speaker who cannot come."""
    change_status(proposal, "decline", actor)


def decision_preview(proposals: list[Proposal], action: str) -> tuple[list[Proposal], list[Proposal]]:
    """Which proposals a decision would change and which it would skip (their state does not allow it)."""
    if action not in ORGANIZER_ACTIONS:
        raise SubmissionError(_l("Unknown action."))
    allowed = TRANSITIONS[action].allowed_from
    return [p for p in proposals if p.status in allowed], [p for p in proposals if p.status not in allowed]


def decide_proposals(proposals: list[Proposal], action: str, actor: User, note: str = "") -> tuple[int, int]:
    """Decide (or reverse a decision on) many proposals; those whose state does not allow it are skipped.

    Returns (done, skipped).
    """
    if action not in ORGANIZER_ACTIONS:
        raise SubmissionError(_l("Unknown action."))
    done = 0
    for proposal in proposals:
        try:
            change_status(proposal, action, actor, note)
        except SubmissionError:
            continue
        done += 1
    return done, len(proposals) - done
