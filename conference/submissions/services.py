"""Proposals: finding them, their session's duration, and the tracks they are filed under."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..accounts.access import has_role
from ..accounts.models import Role, User
from ..core.signals import personal_data_requested, track_in_use
from ..events.models import Conference, Track
from ..extensions import db
from ..questions.models import QuestionTarget
from ..registration.personal_data import answers_data
from .errors import SubmissionError
from .letters import (  # noqa: F401 (the views import them from here)
    decision_released,
    speaker_log,
    speaker_status,
    speaker_statuses,
)
from .models import LIVE_STATUSES, Proposal, ProposalSpeaker, ProposalStatus

# ---- finding proposals ---------------------------------------------------------------------------------------



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
    return [p for p in proposals if shown[p.id] in (ProposalStatus.ACCEPTED, ProposalStatus.CONFIRMED)]


def invitations_for(conference: Conference, user: User) -> list[ProposalSpeaker]:
    """Open co-speaker invitations sent to the user's e-mail address."""
    return db.session.scalars(
        select(ProposalSpeaker).join(Proposal)
        .where(Proposal.conference_id == conference.id, ProposalSpeaker.email == user.email,
               ProposalSpeaker.user_id.is_(None), Proposal.status.in_(LIVE_STATUSES))
    ).all()


def proposals_by_ids(conference: Conference, ids: list[int]) -> list[Proposal]:
    """The conference's proposals among `ids` (others' ids are ignored)."""
    if not ids:
        return []
    return db.session.scalars(Proposal.of(conference).where(Proposal.id.in_(ids))
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


def _proposals_of_person(conference: Conference, user: User, **_extra) -> dict:
    """Registration asks for a person's data download: the proposals they speak in, with the call's answers."""
    proposals = db.session.scalars(Proposal.of(conference).where(Proposal.speakers.any(
        ProposalSpeaker.user_id == user.id)).order_by(Proposal.id))
    return {"proposals": [{"id": p.id, "title": p.title, "abstract": p.abstract, "status": p.status.value,
                           "language": p.language, "created_at": p.created_at.isoformat(),
                           "answers": answers_data(conference, QuestionTarget.PROPOSAL, proposal_id=p.id)}
                          for p in proposals]}


def connect_receivers() -> None:
    """Answer events' question before a track is deleted, and registration's call for a person's data
    (core.signals)."""
    track_in_use.connect(_proposals_in_track)
    personal_data_requested.connect(_proposals_of_person)
