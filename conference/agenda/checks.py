"""The agenda's checks: those that refuse a save (an AgendaError) and the warnings that never block one."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..core.actions import ServiceError
from ..core.i18n import fmt_date, fmt_time, localized
from ..core.text import forbidden_characters, isolate
from ..events.models import Conference
from ..extensions import db
from ..submissions.models import SpeakerAvailability
from .days import everyone_sessions, programme_windows
from .models import SPEAKER, AgendaSession

STEP_MINUTES = 5  # the editor's grid step; sessions start and end on it


class AgendaError(ServiceError):
    """An agenda change that cannot be made, with a message for the organizer."""


@dataclass(frozen=True)
class AgendaWarning:
    """Something an organizer should look at; it never blocks a save."""

    kind: str  # room, person, capacity, availability, everyone, window
    session_ids: tuple[int, ...]
    message: str


def _on_step(moment: datetime) -> bool:
    return moment.second == 0 and moment.microsecond == 0 and moment.minute % STEP_MINUTES == 0


def check_times(conference: Conference, starts_at: datetime, ends_at: datetime) -> None:
    """Refuse times that cannot be on this conference's agenda."""
    if ends_at <= starts_at:
        raise AgendaError(_l("The session must end after it starts."))
    if ends_at - starts_at < timedelta(minutes=STEP_MINUTES):
        raise AgendaError(_l("A session lasts at least %(n)s minutes.", n=STEP_MINUTES))
    local_start, local_end = starts_at.astimezone(conference.tz), ends_at.astimezone(conference.tz)
    if not (_on_step(local_start) and _on_step(local_end)):
        raise AgendaError(_l("Sessions start and end on %(n)s-minute steps.", n=STEP_MINUTES))
    days = conference.days
    last_moment = datetime.combine(days[-1] + timedelta(days=1), time(0), tzinfo=conference.tz)
    if local_start.date() not in days or ends_at > last_moment:
        raise AgendaError(_l("The session must be on one of the conference's days."))
    if local_start.date() != (local_end - timedelta(microseconds=1)).date():
        raise AgendaError(_l("A session starts and ends on the same day."))


def check_text(*values: str) -> None:
    """Refuse text with invisible control characters (bidi overrides and the like)."""
    for value in values:
        if forbidden_characters(value, multiline=True):
            raise AgendaError(_l("This text contains invisible control characters. Please retype it."))


def _clashes(sessions: list[AgendaSession], gap: timedelta = timedelta(0)):
    """Pairs of sessions that overlap (or come closer than `gap`), from a list sorted by start."""
    for index, first in enumerate(sessions):
        for second in sessions[index + 1:]:
            if second.starts_at >= first.ends_at + gap:
                break
            yield first, second


def _title(session: AgendaSession) -> str:
    return isolate(localized(session, "title"))


def agenda_warnings(conference: Conference, sessions: list[AgendaSession]) -> list[AgendaWarning]:
    """What organizers should look at: clashes of rooms and people, small rooms, speakers outside their times."""
    placed = sorted((s for s in sessions if s.placed), key=lambda s: (s.starts_at, s.id))
    warnings: list[AgendaWarning] = []
    by_room: dict[int, list[AgendaSession]] = defaultdict(list)
    by_person: dict[int, list[AgendaSession]] = defaultdict(list)
    names: dict[int, str] = {}
    for session in placed:
        by_room[session.room_id].append(session)
        for delegate in [p.delegate for p in session.people] + ([session.chair] if session.chair else []):
            by_person[delegate.id].append(session)
            names[delegate.id] = delegate.name
        room = session.room
        if room is not None and room.capacity is not None and (session.expected_audience or 0) > room.capacity:
            warnings.append(AgendaWarning("capacity", (session.id,), str(_l(
                "“%(session)s” expects %(audience)s people; %(room)s holds %(capacity)s.", session=_title(session),
                audience=session.expected_audience, room=isolate(localized(room, "name")), capacity=room.capacity))))
    for room_sessions in by_room.values():
        for first, second in _clashes(room_sessions):
            warnings.append(
                AgendaWarning(
                    "room",
                    (first.id, second.id),
                    str(
                        _l(
                            "%(room)s holds “%(first)s” and “%(second)s” at the same time.",
                            room=isolate(localized(first.room, "name")),
                            first=_title(first),
                            second=_title(second),
                        )
                    ),
                )
            )
    gap = timedelta(minutes=conference.changeover_minutes or 0)
    for delegate_id, person_sessions in by_person.items():
        for first, second in _clashes(person_sessions, gap):
            if second.starts_at < first.ends_at:
                message = _l("%(name)s is in “%(first)s” and “%(second)s” at the same time.",
                             name=isolate(names[delegate_id]), first=_title(first), second=_title(second))
            else:
                message = _l("%(name)s has less than %(n)s minutes between “%(first)s” and “%(second)s”.",
                             name=isolate(names[delegate_id]), n=conference.changeover_minutes, first=_title(first),
                             second=_title(second))
            warnings.append(AgendaWarning("person", (first.id, second.id), str(message)))
    warnings.extend(_availability_warnings(conference, placed))
    warnings.extend(_shape_warnings(conference, placed))
    return warnings


def _shape_warnings(conference: Conference, placed: list[AgendaSession]) -> list[AgendaWarning]:
    """Sessions beside a session for everyone (in another room: one room's clash is said already) or outside the
    day's programme hours."""
    warnings = []
    for everyone in everyone_sessions(placed):
        for other in placed:
            if other is everyone or other.room_id == everyone.room_id:
                continue
            if other.holds_every_room and other.id < everyone.id:
                continue  # two sessions for everyone: the pair once
            if other.starts_at < everyone.ends_at and everyone.starts_at < other.ends_at:
                warnings.append(AgendaWarning("everyone", tuple(sorted((everyone.id, other.id))), str(_l(
                    "“%(session)s” runs during “%(everyone)s”, which is for everyone and holds every room.",
                    session=_title(other), everyone=_title(everyone)))))
    windows = programme_windows(conference, placed)
    for session in placed:
        window = windows.get(conference.local_date(session.starts_at))
        if window is not None and not window.holds(session.starts_at, session.ends_at, conference):
            opens, closes = window.bounds(conference)
            warnings.append(AgendaWarning("window", (session.id,), str(_l(
                "“%(session)s” is outside the programme of %(day)s, %(opens)s–%(closes)s (%(source)s).",
                session=_title(session), day=fmt_date(window.day, "full"), opens=fmt_time(opens, conference.timezone),
                closes=fmt_time(closes, conference.timezone), source=window.source_title))))
    return warnings


def _availability_warnings(conference: Conference, placed: list[AgendaSession]) -> list[AgendaWarning]:
    """Speakers scheduled outside the times they said they can speak (no rows: available at any time)."""
    windows: dict[int, list[tuple[datetime, datetime]]] = defaultdict(list)
    for row in db.session.scalars(select(SpeakerAvailability).where(
            SpeakerAvailability.conference_id == conference.id)):
        windows[row.user_id].append((row.starts_at, row.ends_at))
    warnings = []
    if not windows:
        return warnings
    for session in placed:
        for person in session.people:
            if person.role != SPEAKER:
                continue
            spans = windows.get(person.delegate.user_id)
            if spans and not any(start <= session.starts_at and session.ends_at <= end for start, end in spans):
                warnings.append(AgendaWarning("availability", (session.id,), str(_l(
                    "%(name)s speaks in “%(session)s” outside the times they gave.", name=isolate(person.delegate.name),
                    session=_title(session)))))
    return warnings


def warnings_by_session(warnings: list[AgendaWarning]) -> dict[int, list[AgendaWarning]]:
    """The warnings that concern each session."""
    result: dict[int, list[AgendaWarning]] = defaultdict(list)
    for warning in warnings:
        for session_id in warning.session_ids:
            result[session_id].append(warning)
    return result
