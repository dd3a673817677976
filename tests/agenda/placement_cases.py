"""Helpers shared by the placement assistant's tests: confirmed proposals, availability, conflict checks."""
from __future__ import annotations

from datetime import datetime, time

from sqlalchemy import select

from conference.agenda.assistant import accept_placement, parse_item
from conference.agenda.checks import agenda_warnings
from conference.agenda.services import working_sessions
from conference.extensions import db
from conference.submissions.models import Proposal, ProposalSpeaker, ProposalStatus, ProposalType, SpeakerAvailability


def confirmed_proposal(conference, title: str, speakers: list, minutes: int = 60, track=None,
                       language: str = "en") -> Proposal:
    """A confirmed proposal of `conference` by these delegates (each with an account)."""
    kind = db.session.scalar(select(ProposalType).where(ProposalType.conference_id == conference.id,
                                                        ProposalType.name_en == "Talk"))
    if kind is None:
        kind = ProposalType(conference_id=conference.id, name_en="Talk", name_ar="محاضرة", duration_minutes=60)
        db.session.add(kind)
        db.session.flush()
    proposal = Proposal(conference_id=conference.id, title=title, abstract="Why and how.", proposal_type_id=kind.id,
                        track_id=track.id if track else None, language=language, duration_minutes=minutes,
                        status=ProposalStatus.CONFIRMED)
    proposal.speakers = [ProposalSpeaker(user_id=d.user_id, email=d.email, position=i,
                                         role="submitter" if i == 0 else "co_speaker") for i, d in enumerate(speakers)]
    db.session.add(proposal)
    db.session.commit()
    return proposal


def available(conference, delegate, day_index: int, start: str, end: str) -> None:
    """The speaker can speak on that conference day between these local times."""
    day = conference.days[day_index]
    db.session.add(SpeakerAvailability(
        conference_id=conference.id, user_id=delegate.user_id,
        starts_at=datetime.combine(day, time.fromisoformat(start), tzinfo=conference.tz),
        ends_at=datetime.combine(day, time.fromisoformat(end), tzinfo=conference.tz)))
    db.session.commit()


def accept_all(conference, proposal):
    """Accept every item of a proposal, as the "Accept all" button does."""
    outcome = accept_placement(conference, [parse_item(item.token) for item in proposal.items], "Organizer")
    db.session.commit()
    return outcome


def warnings_now(conference) -> list:
    """The agenda's own conflict checks on the working copy (not the solver's)."""
    return agenda_warnings(conference, working_sessions(conference))
