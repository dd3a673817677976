"""Feedback on sessions: who may rate what and when, saving a rating, and reading it back as numbers.

A delegate rates a session from its start until FEEDBACK_DAYS after the conference's last day, once (a second
rating replaces the first), if they were there: recorded at the room's door when that session's room was scanned,
otherwise admitted at the entrance on the session's day. Speakers read the feedback on their own sessions without
names; organizers read all of it. Nothing of it is public. Every summary reads a fixed number of queries.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Iterator

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from ..accounts.models import User
from ..agenda.models import AgendaSession, SessionPerson
from ..checkin.models import CheckIn, SessionAttendance
from ..core.actions import ServiceError
from ..core.countries import country_name
from ..core.signals import personal_data_requested
from ..core.spreadsheet import local_stamp
from ..core.text import forbidden_characters
from ..events.models import Conference, Track
from ..extensions import db
from ..registration.models import Delegate, DelegateStatus
from ..registration.services import registration_of
from ..types import utcnow
from .models import MAX_COMMENT, MAX_RATING, MIN_RATING, SessionFeedback

FEEDBACK_DAYS = 14
"""Days after the conference's last day that feedback stays open."""


class FeedbackError(ServiceError):
    """Feedback that cannot be given, with the reason for the delegate."""


class NotAllowed(FeedbackError):
    """Feedback this person may not give on this session (never registered, not there): answered 403."""


def closes_at(conference: Conference) -> datetime:
    """The end of the FEEDBACK_DAYS-th day after the last conference day, at the venue."""
    return datetime.combine(conference.end_date + timedelta(days=FEEDBACK_DAYS + 1), time(0), conference.tz)


def rateable_session(conference: Conference, session_id: int) -> AgendaSession | None:
    """A placed session of the conference (the working copy), or None."""
    session = AgendaSession.get_for(conference, session_id)
    return session if session is not None and session.starts_at is not None else None


def _was_there(conference: Conference, delegate: Delegate, session: AgendaSession) -> bool:
    """Recorded at the room's door when the session's room was scanned, else admitted on the session's day."""
    scanned = db.session.scalar(select(SessionAttendance.delegate_id).where(
        SessionAttendance.conference_id == conference.id, SessionAttendance.session_id == session.id).limit(1))
    if scanned is not None:
        return db.session.scalar(select(func.count()).where(
            SessionAttendance.session_id == session.id, SessionAttendance.delegate_id == delegate.id)) > 0
    day = conference.local_date(session.starts_at)
    return db.session.scalar(select(func.count()).where(
        CheckIn.delegate_id == delegate.id, CheckIn.day == day)) > 0


def check_may_rate(conference: Conference, user: User, session: AgendaSession,
                   now: datetime | None = None) -> Delegate:
    """The user's registration when they may rate `session` now; FeedbackError (or NotAllowed) saying why not."""
    now = now or utcnow()
    delegate = registration_of(user, conference)
    if delegate is None or delegate.status != DelegateStatus.APPROVED:
        raise NotAllowed(_l("Only registered delegates of this conference can rate its sessions."))
    if now < session.starts_at:
        raise FeedbackError(_l("Feedback opens when the session starts."))
    if now >= closes_at(conference):
        raise FeedbackError(_l("Feedback closed %(days)s days after the conference.", days=FEEDBACK_DAYS))
    if not _was_there(conference, delegate, session):
        raise NotAllowed(_l("Only delegates who attended this session can rate it."))
    return delegate


def my_feedback(conference: Conference, user: User, session: AgendaSession) -> SessionFeedback | None:
    """The user's feedback on `session`, if they gave any."""
    delegate = registration_of(user, conference)
    if delegate is None:
        return None
    return db.session.scalar(SessionFeedback.of(conference).where(
        SessionFeedback.session_id == session.id, SessionFeedback.delegate_id == delegate.id))


def save_feedback(conference: Conference, user: User, session: AgendaSession, rating, comment: str = "",
                  now: datetime | None = None) -> SessionFeedback:
    """Record (or replace) the user's rating of `session`; FeedbackError and nothing written when not allowed."""
    if isinstance(rating, bool) or not isinstance(rating, int) or not MIN_RATING <= rating <= MAX_RATING:
        raise FeedbackError(_l("Choose a rating from %(low)s to %(high)s.", low=MIN_RATING, high=MAX_RATING))
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT or forbidden_characters(comment, multiline=True):
        raise FeedbackError(_l("The comment is too long or holds characters that cannot be kept."))
    now = now or utcnow()
    delegate = check_may_rate(conference, user, session, now)
    feedback = db.session.scalar(SessionFeedback.of(conference).where(
        SessionFeedback.session_id == session.id, SessionFeedback.delegate_id == delegate.id))
    if feedback is None:
        feedback = SessionFeedback(conference_id=conference.id, delegate_id=delegate.id, session_id=session.id,
                                   created_at=now)
        db.session.add(feedback)
    feedback.rating, feedback.comment = rating, comment
    feedback.updated_at = now
    db.session.flush()
    return feedback


# ---- reading it back ----

@dataclass
class Summary:
    """Ratings of a session or a track: how many, their mean, and how many of each from 1 to 5."""

    count: int = 0
    total: int = 0
    distribution: dict[int, int] = field(default_factory=lambda: dict.fromkeys(range(MIN_RATING, MAX_RATING + 1), 0))

    def add(self, rating: int, n: int) -> None:
        self.count += n
        self.total += rating * n
        self.distribution[rating] = self.distribution.get(rating, 0) + n

    @property
    def mean(self) -> float | None:
        return self.total / self.count if self.count else None

    def share(self, rating: int) -> int:
        """Percent of the ratings that are `rating` (for the bar drawn beside it)."""
        return round(100 * self.distribution[rating] / self.count) if self.count else 0


@dataclass
class SessionSummary:
    session: AgendaSession
    summary: Summary


SORTS = {
    "time": lambda row: (row.session.starts_at, row.session.id),
    "title": lambda row: ((row.session.title_en or row.session.title_ar).casefold(), row.session.id),
    "count": lambda row: (-row.summary.count, row.session.starts_at),
    "mean": lambda row: (-(row.summary.mean or 0), -row.summary.count, row.session.starts_at),
}


def _counts(conference: Conference, session_ids: list[int] | None = None) -> dict[int, Summary]:
    statement = (select(SessionFeedback.session_id, SessionFeedback.rating, func.count())
                 .where(SessionFeedback.conference_id == conference.id)
                 .group_by(SessionFeedback.session_id, SessionFeedback.rating))
    if session_ids is not None:
        statement = statement.where(SessionFeedback.session_id.in_(session_ids))
    found: dict[int, Summary] = {}
    for session_id, rating, n in db.session.execute(statement):
        found.setdefault(session_id, Summary()).add(rating, n)
    return found


def session_summaries(conference: Conference, sort: str = "time",
                      session_ids: list[int] | None = None) -> list[SessionSummary]:
    """Every placed session (or those of `session_ids`) with its ratings, sorted by `sort` (SORTS): 2 queries."""
    statement = (AgendaSession.of(conference).where(AgendaSession.starts_at.is_not(None))
                 .options(joinedload(AgendaSession.track), joinedload(AgendaSession.room)))
    if session_ids is not None:
        statement = statement.where(AgendaSession.id.in_(session_ids))
    sessions = db.session.scalars(statement).unique().all()
    counts = _counts(conference, session_ids)
    rows = [SessionSummary(s, counts.get(s.id, Summary())) for s in sessions]
    return sorted(rows, key=SORTS.get(sort, SORTS["time"]))


def track_summaries(rows: list[SessionSummary]) -> list[tuple[Track | None, Summary]]:
    """The sessions' ratings added up per track (sessions without a track last)."""
    tracks: dict[int | None, tuple[Track | None, Summary]] = {}
    for row in rows:
        key = row.session.track_id
        track, summary = tracks.setdefault(key, (row.session.track, Summary()))
        for rating, n in row.summary.distribution.items():
            if n:
                summary.add(rating, n)
    return sorted(tracks.values(), key=lambda item: (item[0] is None, item[0].position if item[0] else 0))


def feedback_on(conference: Conference, session: AgendaSession) -> list[SessionFeedback]:
    """Every rating of a session, newest first, with the delegate (for organizers only)."""
    return list(db.session.scalars(SessionFeedback.of(conference).where(SessionFeedback.session_id == session.id)
                                   .options(joinedload(SessionFeedback.delegate))
                                   .order_by(SessionFeedback.updated_at.desc(), SessionFeedback.id.desc())))


def speaker_session_ids(conference: Conference, user: User) -> list[int]:
    """The sessions the user speaks on or moderates (through their registration)."""
    return list(db.session.scalars(
        select(SessionPerson.session_id).join(Delegate, Delegate.id == SessionPerson.delegate_id)
        .where(Delegate.conference_id == conference.id, Delegate.user_id == user.id)))


@dataclass(frozen=True)
class Comment:
    """A comment as a speaker reads it: the rating and the words, never who wrote them."""

    rating: int
    comment: str


def anonymous_comments(conference: Conference, session_ids: list[int]) -> dict[int, list[Comment]]:
    """The comments on these sessions without names, by session, in a fixed order that reveals nothing."""
    found: dict[int, list[Comment]] = {}
    if not session_ids:
        return found
    for session_id, rating, comment in db.session.execute(
            select(SessionFeedback.session_id, SessionFeedback.rating, SessionFeedback.comment)
            .where(SessionFeedback.conference_id == conference.id, SessionFeedback.session_id.in_(session_ids),
                   SessionFeedback.comment != "")
            .order_by(SessionFeedback.session_id, SessionFeedback.rating.desc(), SessionFeedback.comment)):
        found.setdefault(session_id, []).append(Comment(rating, comment))
    return found


def feedback_header() -> list[str]:
    """Column titles of the feedback export, in the page language."""
    return [_("Session"), _("Track"), _("Starts"), _("Rating"), _("Comment"), _("Code"), _("Name"), _("Country"),
            _("Updated")]


def feedback_rows(conference: Conference) -> Iterator[list]:
    """One row per rating, by session, read in batches."""
    tz = conference.tz
    result = db.session.execute(
        select(SessionFeedback, AgendaSession, Delegate, Track)
        .join(AgendaSession, AgendaSession.id == SessionFeedback.session_id)
        .join(Delegate, Delegate.id == SessionFeedback.delegate_id)
        .outerjoin(Track, Track.id == AgendaSession.track_id)
        .where(SessionFeedback.conference_id == conference.id)
        .order_by(AgendaSession.starts_at, AgendaSession.id, SessionFeedback.id).execution_options(yield_per=500))
    for feedback, session, person, track in result:
        yield [session.title_en or session.title_ar, (track.name_en if track else ""),
               local_stamp(session.starts_at, tz), feedback.rating,
               feedback.comment, person.code, person.name, country_name(person.country),
               local_stamp(feedback.updated_at, tz)]


def _feedback_of_person(conference: Conference, user: User, delegate=None, **_extra) -> dict | None:
    """Registration asks for a person's data download: the ratings they gave."""
    if delegate is None:
        return None
    given = db.session.scalars(SessionFeedback.of(conference).where(SessionFeedback.delegate_id == delegate.id)
                               .options(joinedload(SessionFeedback.session)).order_by(SessionFeedback.id))
    return {"feedback": [{"session_id": f.session_id, "title_en": f.session.title_en, "rating": f.rating,
                          "comment": f.comment, "updated_at": f.updated_at.isoformat()} for f in given]}


def connect_receivers() -> None:
    """Answer registration's call for a person's data (core.signals)."""
    personal_data_requested.connect(_feedback_of_person)
