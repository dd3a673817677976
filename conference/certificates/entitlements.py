"""Who is entitled to which certificate: admitted on a day (attendance, with the sessions recorded at room doors) or
a confirmed speaker (presentation); by batch, in three queries whatever the number of delegates."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Select, func, or_, select

from ..agenda.models import SPEAKER, AgendaSession, SessionPerson
from ..checkin.models import CheckIn, SessionAttendance
from ..events.models import Conference
from ..extensions import db
from ..registration.models import Category, Delegate
from ..submissions.models import Proposal, ProposalStatus
from .models import CertificateKind


@dataclass(frozen=True)
class SessionLine:
    """A session on a certificate: titles and times."""

    title_en: str
    title_ar: str
    starts_at: datetime
    ends_at: datetime

    @property
    def minutes(self) -> int:
        return max(0, int((self.ends_at - self.starts_at).total_seconds() // 60))


@dataclass(frozen=True)
class Entitlement:
    """A certificate someone is entitled to: its kind, the days, and the sessions attended or presented."""

    delegate_id: int
    kind: CertificateKind
    days: tuple[date, ...]
    sessions: tuple[SessionLine, ...] = ()

    @property
    def minutes(self) -> int:
        return sum(line.minutes for line in self.sessions)


def _speaking(conference: Conference) -> Select:
    """(delegate id, session) of every confirmed speaker's placed session: a speaker on a session of a confirmed
    proposal, or one the organizers put on a session of their own (no proposal)."""
    return (select(SessionPerson.delegate_id, AgendaSession)
            .join(AgendaSession, AgendaSession.id == SessionPerson.session_id)
            .outerjoin(Proposal, Proposal.id == AgendaSession.proposal_id)
            .where(AgendaSession.conference_id == conference.id, SessionPerson.role == SPEAKER,
                   AgendaSession.starts_at.is_not(None), AgendaSession.ends_at.is_not(None),
                   or_(AgendaSession.proposal_id.is_(None), Proposal.status == ProposalStatus.CONFIRMED)))


def eligible_query(conference: Conference, country: str = "", category: str = "") -> Select:
    """Delegates entitled to a certificate (admitted on a day, or a confirmed speaker), by country and name."""
    attended = select(CheckIn.delegate_id).where(CheckIn.conference_id == conference.id)
    speaking = _speaking(conference).with_only_columns(SessionPerson.delegate_id)
    query = Delegate.of(conference).where(or_(Delegate.id.in_(attended), Delegate.id.in_(speaking)))
    if country:
        query = query.where(Delegate.country == country.upper()[:2])
    if category in {c.value for c in Category}:
        query = query.where(Delegate.category == Category(category))
    return query.order_by(Delegate.country, Delegate.name, Delegate.id)


def count_eligible(query: Select) -> int:
    """How many delegates a query of eligible delegates holds."""
    return db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))


def _line(session: AgendaSession) -> SessionLine:
    return SessionLine(session.title_en, session.title_ar or session.title_en, session.starts_at, session.ends_at)


def entitlements(conference: Conference, delegate_ids: list[int]) -> dict[int, list[Entitlement]]:
    """What each of these delegates is entitled to, in three queries whatever their number."""
    if not delegate_ids:
        return {}
    days: dict[int, list[date]] = defaultdict(list)
    for delegate_id, day in db.session.execute(
            select(CheckIn.delegate_id, CheckIn.day).where(CheckIn.conference_id == conference.id,
                                                           CheckIn.delegate_id.in_(delegate_ids))
            .order_by(CheckIn.day)):
        days[delegate_id].append(day)
    attended: dict[int, list[SessionLine]] = defaultdict(list)
    for delegate_id, session in db.session.execute(
            select(SessionAttendance.delegate_id, AgendaSession)
            .join(AgendaSession, AgendaSession.id == SessionAttendance.session_id)
            .where(SessionAttendance.conference_id == conference.id, SessionAttendance.delegate_id.in_(delegate_ids),
                   AgendaSession.starts_at.is_not(None), AgendaSession.ends_at.is_not(None))
            .order_by(AgendaSession.starts_at, AgendaSession.id)):
        attended[delegate_id].append(_line(session))
    spoken: dict[int, list[SessionLine]] = defaultdict(list)
    for delegate_id, session in db.session.execute(
            _speaking(conference).where(SessionPerson.delegate_id.in_(delegate_ids))
            .order_by(AgendaSession.starts_at, AgendaSession.id)):
        spoken[delegate_id].append(_line(session))
    result: dict[int, list[Entitlement]] = {}
    for delegate_id in delegate_ids:
        found = []
        if days.get(delegate_id):
            found.append(Entitlement(delegate_id, CertificateKind.ATTENDANCE, tuple(days[delegate_id]),
                                     tuple(attended.get(delegate_id, ()))))
        if spoken.get(delegate_id):
            lines = tuple(spoken[delegate_id])
            session_days = tuple(sorted({conference.local_date(line.starts_at) for line in lines}))
            found.append(Entitlement(delegate_id, CertificateKind.PRESENTATION, session_days, lines))
        if found:
            result[delegate_id] = found
    return result


def own_entitlements(conference: Conference, delegate: Delegate) -> list[Entitlement]:
    """What the delegate is entitled to (none: no certificate)."""
    return entitlements(conference, [delegate.id]).get(delegate.id, [])
