"""Proposals: the call's settings, finding proposals, the state workflow with its log and e-mails, decisions."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..accounts.access import has_role
from ..accounts.models import Membership, Role, User
from ..core.signals import track_in_use
from ..db_locks import lock_conference
from ..events.models import Conference, Track
from ..extensions import db
from ..mail.models import MailState
from ..mail.services import absolute_url, queue_mail
from ..registration.services import register_speaker
from ..types import utcnow
from .errors import SubmissionError  # noqa: F401 (raised here, imported from here by the views)
from .letters import (  # noqa: F401 (the views and the demo import them from here)
    DECISION_LETTERS,
    decision_released,
    discard_decision_letters,
    speaker_log,
    speaker_status,
    speaker_statuses,
)
from .models import (
    CO_SPEAKER,
    SUBMITTER,
    CallForProposals,
    Proposal,
    ProposalLogEntry,
    ProposalSpeaker,
    ProposalStatus,
    ProposalType,
)
from .profiles import profile_of

S = ProposalStatus
DEFAULT_TYPES = (("Talk", "محاضرة", 20), ("Panel", "جلسة حوارية", 60), ("Workshop", "ورشة عمل", 90))
# A word is a run of characters that are not spaces, punctuation or symbols: letters, digits AND combining marks,
# so Arabic harakat/tanween and Indic vowel signs stay inside their word; ' ’ - join two runs. Ideographs and kana
# count one each, since those scripts use no spaces. static/js/submissions.js counts the same way.
_IDEOGRAPH = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_JOINERS = "'’-"
_SHAPED_WORD = re.compile(r"i|a+(?:-a+)*")


def _shape(character: str) -> str:
    if character in _JOINERS:
        return "-"
    if _IDEOGRAPH.match(character):
        return "i"
    if character.isspace() or unicodedata.category(character)[0] in "PS":
        return " "
    return "a"


def count_words(text: str) -> int:
    """Words in `text`, in any script (Arabic with or without harakat, Latin, ...; each ideograph counts as one)."""
    return len(_SHAPED_WORD.findall("".join(map(_shape, text or ""))))


# ---- the call's settings -------------------------------------------------------------------------------------

def call_of(conference: Conference) -> CallForProposals:
    """The call's settings, created with defaults (and the three usual proposal types) on first use."""
    call = db.session.scalar(select(CallForProposals).where(CallForProposals.conference_id == conference.id))
    if call is None:
        call = CallForProposals(conference_id=conference.id, text_en="", text_ar="", abstract_word_limit=300,
                                anonymized_review=True, reviewers_per_proposal=2)
        db.session.add(call)
        if not proposal_types(conference):
            for position, (name_en, name_ar, minutes) in enumerate(DEFAULT_TYPES):
                db.session.add(ProposalType(conference_id=conference.id, name_en=name_en, name_ar=name_ar,
                                            duration_minutes=minutes, position=position))
        db.session.flush()
    return call


def update_call(conference: Conference, data: dict) -> CallForProposals:
    """Save the call's texts and review settings (organizers)."""
    call = call_of(conference)
    if not 50 <= int(data.get("abstract_word_limit", call.abstract_word_limit)) <= 2000:
        raise SubmissionError(_l("The word limit must be between 50 and 2000."))
    if not 1 <= int(data.get("reviewers_per_proposal", call.reviewers_per_proposal)) <= 10:
        raise SubmissionError(_l("Between 1 and 10 reviewers per proposal."))
    for field in ("text_en", "text_ar", "abstract_word_limit", "anonymized_review", "reviewers_per_proposal"):
        if field in data:
            setattr(call, field, data[field])
    return call


def proposal_types(conference: Conference) -> list[ProposalType]:
    """The conference's proposal types in their order."""
    return db.session.scalars(select(ProposalType).where(ProposalType.conference_id == conference.id)
                              .order_by(ProposalType.position, ProposalType.id)).all()


def save_proposal_type(conference: Conference, proposal_type: ProposalType | None, name_en: str, name_ar: str,
                       duration_minutes: int) -> ProposalType:
    """Add a proposal type or change one; its duration is the default for new proposals of that type."""
    if not name_en:
        raise SubmissionError(_l("Please give the type a name in English."))
    if not 5 <= duration_minutes <= 480:
        raise SubmissionError(_l("A duration is between 5 and 480 minutes."))
    same_name = db.session.scalar(select(ProposalType).where(
        ProposalType.conference_id == conference.id, ProposalType.name_en == name_en))
    if same_name is not None and same_name is not proposal_type:
        raise SubmissionError(_l("A proposal type with this name already exists."))
    if proposal_type is None:
        proposal_type = ProposalType(conference_id=conference.id, position=len(proposal_types(conference)))
        db.session.add(proposal_type)
    proposal_type.name_en, proposal_type.name_ar, proposal_type.duration_minutes = name_en, name_ar, duration_minutes
    db.session.flush()
    return proposal_type


def get_proposal_type(conference: Conference, type_id: int | None) -> ProposalType | None:
    """A proposal type of this conference by id (None for another conference's)."""
    return ProposalType.get_for(conference, type_id) if type_id else None


# ---- finding proposals ---------------------------------------------------------------------------------------

def get_proposal(conference: Conference, proposal_id: int) -> Proposal | None:
    """A proposal of this conference by id (None for another conference's)."""
    return Proposal.get_for(conference, proposal_id)


def is_speaker(proposal: Proposal, user: User) -> bool:
    """True when `user` is a speaker of the proposal (the submitter or a co-speaker who accepted)."""
    return any(speaker.user_id == user.id for speaker in proposal.speakers)


def is_submitter(proposal: Proposal, user: User) -> bool:
    """True when `user` wrote the proposal (only they edit, submit and withdraw it)."""
    return any(s.user_id == user.id and s.role == SUBMITTER for s in proposal.speakers)


def proposals_of(conference: Conference, user: User) -> list[Proposal]:
    """The proposals `user` speaks in, newest first, with what the list shows."""
    return db.session.scalars(
        select(Proposal).join(ProposalSpeaker)
        .where(Proposal.conference_id == conference.id, ProposalSpeaker.user_id == user.id)
        .options(selectinload(Proposal.speakers), selectinload(Proposal.proposal_type), selectinload(Proposal.track))
        .order_by(Proposal.created_at.desc(), Proposal.id.desc())
    ).unique().all()


def awaiting_confirmation(conference: Conference, user: User) -> list[Proposal]:
    """Accepted (or confirmed) proposals the user speaks in, as far as their decision letters have told them."""
    proposals = proposals_of(conference, user)
    shown = speaker_statuses(proposals)
    return [p for p in proposals if shown[p.id] in (S.ACCEPTED, S.CONFIRMED)]


def invitations_for(conference: Conference, user: User) -> list[ProposalSpeaker]:
    """Open co-speaker invitations sent to the user's e-mail address."""
    return db.session.scalars(
        select(ProposalSpeaker).join(Proposal)
        .where(Proposal.conference_id == conference.id, ProposalSpeaker.email == user.email,
               ProposalSpeaker.user_id.is_(None), Proposal.status.in_((S.DRAFT, S.SUBMITTED, S.ACCEPTED, S.CONFIRMED)))
    ).all()


# ---- the workflow --------------------------------------------------------------------------------------------

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
    "submit": Transition(frozenset({S.DRAFT}), S.SUBMITTED, "submitter", "proposal_submitted", until_deadline=True),
    "withdraw": Transition(frozenset({S.DRAFT, S.SUBMITTED}), S.WITHDRAWN, "submitter", "proposal_withdrawn",
                           until_deadline=True),
    "accept": Transition(frozenset({S.SUBMITTED}), S.ACCEPTED, "organizer", "proposal_accepted", draft_mail=True),
    "reject": Transition(frozenset({S.SUBMITTED}), S.REJECTED, "organizer", "proposal_rejected", draft_mail=True),
    "confirm": Transition(frozenset({S.ACCEPTED}), S.CONFIRMED, "speaker", "proposal_confirmed"),
    "decline": Transition(frozenset({S.ACCEPTED}), S.WITHDRAWN, "speaker", "proposal_declined"),
    # A committee changes its mind before the speakers confirm (a slot lost, a conflict found, a decline freeing
    # room): the earlier letter's unreleased draft is discarded and the new letter waits as a draft in its place.
    "revoke_acceptance": Transition(frozenset({S.ACCEPTED}), S.REJECTED, "organizer", "proposal_rejected",
                                    draft_mail=True),
    "reverse_rejection": Transition(frozenset({S.REJECTED}), S.ACCEPTED, "organizer", "proposal_accepted",
                                    draft_mail=True),
}
DECISIONS = ("accept", "reject")
REVERSALS = ("revoke_acceptance", "reverse_rejection")
ORGANIZER_ACTIONS = DECISIONS + REVERSALS  # what the organizers' decision form may ask for


def allowed_actions(proposal: Proposal) -> list[str]:
    """The transitions that apply to the proposal's state now, in the table's order."""
    return [action for action, transition in TRANSITIONS.items() if proposal.status in transition.allowed_from]


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
    if transition.mail and not (action == "withdraw" and old == S.DRAFT):  # a withdrawn draft concerns nobody
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


def proposals_by_ids(conference: Conference, ids: list[int]) -> list[Proposal]:
    """The conference's proposals among `ids` (others' ids are ignored)."""
    if not ids:
        return []
    return db.session.scalars(select(Proposal).where(Proposal.conference_id == conference.id, Proposal.id.in_(ids))
                              .options(selectinload(Proposal.speakers)).order_by(Proposal.id)).all()


def set_duration(proposal: Proposal, minutes: int, actor: User) -> None:
    """Organizers change how long a proposal's session lasts (the agenda uses it)."""
    conference = db.session.get(Conference, proposal.conference_id)
    if not has_role(actor, conference, Role.ORGANIZER):
        raise SubmissionError(_l("You may not make this change to this proposal."))
    if not 5 <= minutes <= 480:
        raise SubmissionError(_l("A duration is between 5 and 480 minutes."))
    proposal.duration_minutes = minutes


def _proposals_in_track(track: Track, **_extra) -> str | None:
    """Events asks before deleting a track: how many proposals (in any state) are filed under it."""
    count = db.session.scalar(select(func.count()).select_from(Proposal).where(Proposal.track_id == track.id))
    return ngettext("%(num)s proposal", "%(num)s proposals", count) if count else None


def connect_receivers() -> None:
    """Answer events' question before a track is deleted (core.signals)."""
    track_in_use.connect(_proposals_in_track)
