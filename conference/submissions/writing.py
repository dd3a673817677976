"""Writing a proposal: its fields, its co-speakers and their signed invitations."""
from __future__ import annotations

import hashlib
import hmac
import re
from datetime import datetime

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadData, URLSafeTimedSerializer
from sqlalchemy import select

from ..accounts.invitations import mask_email
from ..accounts.models import User
from ..accounts.services import normalize_email
from ..core.text import isolate
from ..db_locks import lock_conference
from ..events.models import Conference, Track
from ..extensions import db
from ..mail.services import absolute_url, queue_mail
from ..questions.answers import asked_questions, save_answers
from ..questions.models import QuestionTarget
from ..types import utcnow
from .call import call_of, count_words
from .errors import SubmissionError
from .models import (
    CO_SPEAKER,
    LANGUAGES,
    LIVE_STATUSES,
    SUBMITTER,
    CallForProposals,
    Proposal,
    ProposalLogEntry,
    ProposalSpeaker,
    ProposalStatus,
    ProposalType,
)
from .profiles import profile_of
from .workflow import is_speaker, is_submitter, register_speakers

MAX_CO_SPEAKERS = 5
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

def _clean_co_speakers(emails: list[str], submitter: User) -> list[str]:
    cleaned: list[str] = []
    for raw in emails:
        email = normalize_email(raw)
        if not email:
            continue
        if not EMAIL_PATTERN.match(email) or len(email) > 254:
            raise SubmissionError(_l("“%(email)s” is not a valid e-mail address.", email=isolate(raw.strip())))
        if email == submitter.email:
            raise SubmissionError(_l("You are the proposal's first speaker already: list only your co-speakers."))
        if email in cleaned:
            raise SubmissionError(_l("“%(email)s” is listed twice.", email=isolate(email)))
        cleaned.append(email)
    if len(cleaned) > MAX_CO_SPEAKERS:
        raise SubmissionError(_l("At most %(n)d co-speakers.", n=MAX_CO_SPEAKERS))
    return cleaned


def _apply_fields(proposal: Proposal, conference: Conference, data: dict, call: CallForProposals) -> None:
    proposal_type = ProposalType.get_for(conference, data.get("proposal_type_id"))
    if proposal_type is None:
        raise SubmissionError(_l("Please choose a type from the list."))
    track_id = data.get("track_id")
    if track_id is not None:
        if Track.get_for(conference, track_id) is None:
            raise SubmissionError(_l("Please choose a track from the list."))
    if data.get("language") not in LANGUAGES:
        raise SubmissionError(_l("Please choose a language from the list."))
    if count_words(data.get("abstract", "")) > call.abstract_word_limit:
        raise SubmissionError(_l("The abstract is longer than %(n)d words.", n=call.abstract_word_limit))
    if proposal.proposal_type_id != proposal_type.id:
        proposal.duration_minutes = proposal_type.duration_minutes
    proposal.proposal_type_id = proposal_type.id
    proposal.track_id = track_id
    proposal.title = data.get("title") or ""
    proposal.abstract = data.get("abstract") or ""
    proposal.language = data["language"]
    proposal.notes = data.get("notes") or ""


class DuplicateProposal(SubmissionError):
    """The author has this very proposal already (a double click, a form sent again): `proposal` is that one."""

    category = "info"  # nothing went wrong: the author is shown the proposal they sent

    def __init__(self, message: object, proposal: Proposal) -> None:
        super().__init__(message)
        self.proposal = proposal


def _same_proposal(conference: Conference, author: User, data: dict) -> Proposal | None:
    """The author's live proposal with the same title and abstract, if any."""
    return db.session.scalar(select(Proposal).where(
        Proposal.conference_id == conference.id, Proposal.submitted_by_id == author.id,
        Proposal.title == (data.get("title") or ""), Proposal.abstract == (data.get("abstract") or ""),
        Proposal.status.in_(LIVE_STATUSES)).order_by(Proposal.id).limit(1))


def create_proposal(conference: Conference, author: User, data: dict, locale: str = "en",
                    now: datetime | None = None) -> Proposal:
    """A new draft by `author` (its first speaker); co-speakers listed by e-mail are invited at once."""
    if not conference.cfp_open(now):
        raise SubmissionError(_l("The call for proposals is closed."))
    if not data.get("title"):
        raise SubmissionError(_l("Please give your proposal a title."))
    lock_conference(conference.id)  # a second click waits for the first, then finds its proposal
    existing = _same_proposal(conference, author, data)
    if existing is not None:
        raise DuplicateProposal(_l("You have sent this proposal already: here it is."), existing)
    call = call_of(conference)
    co_speakers = _clean_co_speakers(data.get("co_speakers", []), author)
    proposal = Proposal(conference_id=conference.id, submitted_by_id=author.id, status=ProposalStatus.DRAFT)
    _apply_fields(proposal, conference, data, call)
    proposal.speakers.append(ProposalSpeaker(user_id=author.id, email=author.email, role=SUBMITTER, position=0,
                                             locale=author.locale, accepted_at=now or utcnow()))
    proposal.log.append(ProposalLogEntry(actor_id=author.id, from_status=None, to_status=ProposalStatus.DRAFT.value))
    db.session.add(proposal)
    db.session.flush()
    _save_answers(conference, proposal, data)
    _sync_co_speakers(proposal, conference, co_speakers, author, locale)
    return proposal


def update_proposal(proposal: Proposal, actor: User, data: dict, locale: str = "en",
                    now: datetime | None = None) -> None:
    """Change a draft or submitted proposal, by its author while the call is open."""
    conference = db.session.get(Conference, proposal.conference_id)
    if not is_submitter(proposal, actor):
        raise SubmissionError(_l("You may not make this change to this proposal."))
    if proposal.status not in (ProposalStatus.DRAFT, ProposalStatus.SUBMITTED):
        raise SubmissionError(_l("This proposal cannot be changed from “%(status)s”.", status=proposal.status.title))
    if not conference.cfp_open(now):
        raise SubmissionError(_l("The call for proposals is closed: proposals can no longer be changed."))
    if not data.get("title"):
        raise SubmissionError(_l("Please give your proposal a title."))
    co_speakers = _clean_co_speakers(data.get("co_speakers", []), actor)
    _apply_fields(proposal, conference, data, call_of(conference))
    db.session.flush()
    _save_answers(conference, proposal, data)
    _sync_co_speakers(proposal, conference, co_speakers, actor, locale)


def proposal_questions(conference: Conference, proposal_type_id: int | None) -> list:
    """The questions the call asks of a proposal of this type (every type's when none is chosen yet), in order."""
    return asked_questions(conference, QuestionTarget.PROPOSAL, proposal_type_id=proposal_type_id)


def _save_answers(conference: Conference, proposal: Proposal, data: dict) -> None:
    """Store the checked answers in data["answers"] (from questions.answers.read_answers), if the form asked any."""
    if "answers" not in data:
        return
    save_answers(proposal_questions(conference, proposal.proposal_type_id), data["answers"], proposal_id=proposal.id)


def _sync_co_speakers(proposal: Proposal, conference: Conference, emails: list[str], author: User,
                      locale: str) -> None:
    """Keep the co-speakers listed (in that order), drop the others, invite the new ones."""
    existing = {s.email: s for s in proposal.speakers if s.role == CO_SPEAKER}
    for email, speaker in existing.items():
        if email not in emails:
            proposal.speakers.remove(speaker)
    db.session.flush()  # removed rows go before a re-added address meets the unique constraint
    for position, email in enumerate(emails, start=1):
        speaker = existing.get(email)
        if speaker is None:
            invitee = db.session.scalar(select(User).where(User.email == email))
            speaker = ProposalSpeaker(email=email, role=CO_SPEAKER, position=position,
                                      locale=invitee.locale if invitee else locale, invited_at=utcnow())
            proposal.speakers.append(speaker)
            db.session.flush()
            invite_co_speaker(speaker, conference, author)
        speaker.position = position


INVITATION_SALT = "proposal-invitation"
INVITATION_MAX_AGE = 30 * 24 * 60 * 60  # seconds an invitation link stays valid


def _address_digest(email: str) -> str:
    """The invited address as a digest: it binds the link to the address, which a signed token would show in clear."""
    key = current_app.config["SECRET_KEY"]  # keyed: a plain hash would yield to a list of guessed addresses
    return hmac.new(key.encode() if isinstance(key, str) else key, email.encode(), hashlib.sha256).hexdigest()[:32]


def invitation_token(speaker: ProposalSpeaker) -> str:
    """A signed link token naming the invitation and (by its digest) the address it was sent to."""
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=INVITATION_SALT).dumps(
        [speaker.id, _address_digest(speaker.email)])


def invitation_for_token(conference: Conference, token: str) -> ProposalSpeaker | None:
    """The conference's invitation a valid token was made for, while it is still open for that address."""
    try:
        payload = URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=INVITATION_SALT).loads(
            token, max_age=INVITATION_MAX_AGE)
    except BadData:
        return None
    if not (isinstance(payload, list) and len(payload) == 2 and isinstance(payload[0], int)):
        return None
    speaker = ProposalSpeaker.get_for(conference, payload[0])
    if speaker is None or speaker.role != CO_SPEAKER:
        return None
    # Links mailed before the digest carry the address itself; they stop working INVITATION_MAX_AGE after that.
    if payload[1] not in (_address_digest(speaker.email), speaker.email):
        return None
    return speaker


def is_invited(speaker: ProposalSpeaker, user: User) -> bool:
    """Whether the user's account has the address the invitation was sent to (both compared in lower case)."""
    return normalize_email(user.email) == speaker.email


def invite_co_speaker(speaker: ProposalSpeaker, conference: Conference, author: User) -> None:
    """E-mail a co-speaker their invitation link, in their language."""
    profile = profile_of(conference, author)
    queue_mail(
        speaker.email, "proposal_invitation", speaker.locale, conference=conference, proposal=speaker.proposal,
        inviter=(profile.name if profile else "") or author.display_name or author.email,
        accept_url=absolute_url("submissions.invitation", slug=conference.slug, token=invitation_token(speaker)),
    )
    speaker.invited_at = utcnow()


def accept_invitation(speaker: ProposalSpeaker, user: User) -> None:
    """The co-speaker, logged in with the invited address, joins the proposal (and is registered if it is confirmed)."""
    proposal = speaker.proposal
    conference = db.session.get(Conference, proposal.conference_id)
    lock_conference(conference.id)
    db.session.refresh(speaker)
    if not is_invited(speaker, user):  # a forwarded or leaked link is no way into a proposal, nor onto the badges
        raise SubmissionError(_l("This invitation was sent to %(email)s; log in with that address to accept it.",
                                 email=isolate(mask_email(speaker.email))))
    if speaker.user_id == user.id:
        return
    if speaker.user_id is not None:
        raise SubmissionError(_l("This invitation has been accepted already."))
    if proposal.status in (ProposalStatus.WITHDRAWN, ProposalStatus.REJECTED):
        raise SubmissionError(_l("This proposal is no longer under consideration."))
    if is_speaker(proposal, user):
        raise SubmissionError(_l("You are a speaker of this proposal already."))
    speaker.user_id, speaker.accepted_at = user.id, utcnow()
    db.session.flush()
    db.session.refresh(speaker)
    if proposal.status == ProposalStatus.CONFIRMED:
        register_speakers(proposal, conference, user)
