"""Attendance per session and room occupancy: live for organizers and on the venue screen, per hour, as CSV.

Occupancy is what the room doors recorded for the session running in a room now (or about to start): leaving is
not scanned, so a room holds everyone recorded in its session. Each function reads a fixed number of queries,
whatever the number of delegates.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Iterator

from flask import render_template
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from ..agenda.models import AgendaSession
from ..core import signals
from ..core.countries import country_name
from ..core.spreadsheet import local_stamp
from ..events.models import Conference, Room
from ..extensions import db
from ..registration.models import Delegate
from ..types import utcnow
from .models import CheckIn, SessionAttendance
from .rooms import EARLY

BATCH = 500


@dataclass(frozen=True)
class RoomOccupancy:
    """A room now: the session it holds (None: nothing running), the people recorded in it, its seats."""

    room: Room
    session: AgendaSession | None
    present: int

    @property
    def capacity(self) -> int | None:
        return self.room.capacity

    @property
    def full(self) -> bool:
        return self.capacity is not None and self.present >= self.capacity


def room_occupancy(conference: Conference, now: datetime | None = None) -> list[RoomOccupancy]:
    """Every room of the conference with the session it holds now and how many were recorded in it (3 queries)."""
    now = now or utcnow()
    rooms = list(db.session.scalars(Room.of(conference).order_by(Room.position, Room.id)))
    sessions = db.session.scalars(
        AgendaSession.of(conference).where(AgendaSession.starts_at <= now + EARLY, AgendaSession.ends_at > now)
        .order_by(AgendaSession.starts_at, AgendaSession.id)).all()
    counts = dict(((session_id, room_id), n) for session_id, room_id, n in db.session.execute(
        select(SessionAttendance.session_id, SessionAttendance.room_id, func.count())
        .where(SessionAttendance.conference_id == conference.id,
               SessionAttendance.session_id.in_([s.id for s in sessions]))
        .group_by(SessionAttendance.session_id, SessionAttendance.room_id))) if sessions else {}
    shown = []
    for room in rooms:
        here = [s for s in sessions if s.room_id == room.id] or [s for s in sessions if s.holds_every_room]
        # The one running before the one about to start.
        session = min(here, key=lambda s: (s.starts_at > now, s.starts_at, s.id)) if here else None
        shown.append(RoomOccupancy(room, session, counts.get((session.id, room.id), 0) if session else 0))
    return shown


def screen_occupancy(conference: Conference, now: datetime | None = None,
                     **_ignored) -> dict[int, tuple[int, int | None]]:
    """The venue screen's line per room in use now: {room id: (present, capacity)} (core.signals.room_occupancy)."""
    return {o.room.id: (o.present, o.capacity) for o in room_occupancy(conference, now) if o.session is not None}


@dataclass(frozen=True)
class SessionCount:
    """One session of a day with the number recorded in it, in total and per room."""

    session: AgendaSession
    present: int
    rooms: dict[int, int]

    @property
    def capacity(self) -> int | None:
        return self.session.room.capacity if self.session.room else None


def sessions_of_day(conference: Conference, day: date) -> list[SessionCount]:
    """The day's placed sessions (venue time) with their attendance, in time order (2 queries)."""
    start = datetime.combine(day, time(0), conference.tz)
    sessions = db.session.scalars(
        AgendaSession.of(conference).where(AgendaSession.starts_at >= start,
                                           AgendaSession.starts_at < start + timedelta(days=1))
        .options(joinedload(AgendaSession.room)).order_by(AgendaSession.starts_at, AgendaSession.id)).all()
    per_room: dict[int, dict[int, int]] = {}
    if sessions:
        for session_id, room_id, n in db.session.execute(
                select(SessionAttendance.session_id, SessionAttendance.room_id, func.count())
                .where(SessionAttendance.conference_id == conference.id,
                       SessionAttendance.session_id.in_([s.id for s in sessions]))
                .group_by(SessionAttendance.session_id, SessionAttendance.room_id)):
            per_room.setdefault(session_id, {})[room_id] = n
    return [SessionCount(s, sum(per_room.get(s.id, {}).values()), per_room.get(s.id, {})) for s in sessions]


def per_hour_and_room(conference: Conference, day: date) -> tuple[list[str], list[tuple[Room, list[int]]]]:
    """Recordings at room doors per hour of `day` (venue time) and room: (hours, [(room, counts per hour)])."""
    start = datetime.combine(day, time(0), conference.tz)
    rows = db.session.execute(
        select(SessionAttendance.room_id, SessionAttendance.at)
        .where(SessionAttendance.conference_id == conference.id, SessionAttendance.at >= start,
               SessionAttendance.at < start + timedelta(days=1))).all()
    if not rows:
        return [], []
    counts = Counter((room_id, at.astimezone(conference.tz).hour) for room_id, at in rows)
    hours = sorted({hour for _, hour in counts})
    span = list(range(hours[0], hours[-1] + 1))
    rooms = [room for room in db.session.scalars(Room.of(conference).order_by(Room.position, Room.id))
             if any(room_id == room.id for room_id, _ in counts)]
    return [f"{hour:02d}:00" for hour in span], [(room, [counts.get((room.id, hour), 0) for hour in span])
                                                 for room in rooms]


@dataclass(frozen=True)
class DelegateAttendance:
    """What the doors recorded of one delegate: the days admitted, the sessions attended."""

    days: list[CheckIn]
    sessions: list[SessionAttendance]


def delegate_attendance(conference: Conference, delegate_id: int) -> DelegateAttendance:
    """A delegate's admissions per day and attendance per session, in time order."""
    days = db.session.scalars(CheckIn.of(conference).where(CheckIn.delegate_id == delegate_id)
                              .order_by(CheckIn.day)).all()
    sessions = db.session.scalars(
        SessionAttendance.of(conference).where(SessionAttendance.delegate_id == delegate_id)
        .options(joinedload(SessionAttendance.session), joinedload(SessionAttendance.room))
        .order_by(SessionAttendance.at)).all()
    return DelegateAttendance(list(days), list(sessions))


def session_attendance_header() -> list[str]:
    """Column titles of the attendance-per-session export, in the page language."""
    return [_("Session"), _("Starts"), _("Ends"), _("Room"), _("Recorded at"), _("Code"), _("Name"),
            _("Name in Latin letters"), _("Country"), _("Organization"), _("Category")]


def session_attendance_rows(conference: Conference) -> Iterator[list]:
    """One row per delegate recorded in a session, by session and time, read in batches."""
    tz = conference.tz
    result = db.session.execute(
        select(SessionAttendance, AgendaSession, Delegate, Room)
        .join(AgendaSession, AgendaSession.id == SessionAttendance.session_id)
        .join(Delegate, Delegate.id == SessionAttendance.delegate_id)
        .outerjoin(Room, Room.id == SessionAttendance.room_id)
        .where(SessionAttendance.conference_id == conference.id)
        .order_by(AgendaSession.starts_at, AgendaSession.id, SessionAttendance.at, SessionAttendance.id)
        .execution_options(yield_per=BATCH))
    for attendance, session, person, room in result:
        yield [session.title_en or session.title_ar, local_stamp(session.starts_at, tz),
               local_stamp(session.ends_at, tz), room.name_en if room else "",
               local_stamp(attendance.at, tz, seconds=True), person.code, person.name, person.name_latin,
               country_name(person.country), person.organization, person.category.title]


def _delegate_section(conference: Conference, delegate, **_extra) -> Markup:
    """The delegate page's section of the door (core.signals.delegate_shown): admissions per day, sessions."""
    return Markup(render_template("checkin/_delegate_attendance.html", conference=conference,
                                  attendance=delegate_attendance(conference, delegate.id)))


def _attendance_of_person(conference: Conference, user, delegate=None, **_extra) -> dict | None:
    """Registration asks for a person's data download: their admissions per day and attendance per session."""
    if delegate is None:
        return None
    found = delegate_attendance(conference, delegate.id)
    return {"attendance": {
        "days": [{"day": c.day.isoformat(), "at": c.at.isoformat(), "gate": c.gate} for c in found.days],
        "sessions": [{"session_id": a.session_id, "title_en": a.session.title_en, "title_ar": a.session.title_ar,
                      "room": a.room.name_en if a.room else "", "at": a.at.isoformat()} for a in found.sessions],
    }}


def connect_receivers() -> None:
    """Answer the venue screen, the delegate page and a person's data download (core.signals)."""
    signals.room_occupancy.connect(screen_occupancy)
    signals.delegate_shown.connect(_delegate_section)
    signals.personal_data_requested.connect(_attendance_of_person)
