"""The shape of each conference day: its sessions for everyone and the hours of its programme.

A day's programme runs from its first to its last session for everyone (breaks, ceremonies, and sessions an
organizer marks so), unless organizers set its hours (ProgrammeDay). It takes two such sessions to shape a day,
and each bound comes from its own side of noon: a lone lunch, or a lunch that comes first, does not open the day.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask_babel import lazy_gettext as _l

from ..events.models import Conference
from ..extensions import db
from .grid import DAY_END, DAY_START
from .models import AgendaSession, ProgrammeDay

NOON = time(12)


@dataclass(frozen=True)
class Window:
    """A day's programme hours (local times) and where they come from: "set" by organizers or the "sessions"."""

    day: date
    starts: time
    ends: time
    source: str  # set, sessions, grid
    # Which bounds are the programme's own: a bound nothing shaped is only the editor's usual hours, where the
    # assistant stops but which no session placed by hand is warned about (an evening reception on a day of talks).
    bounded: tuple[bool, bool] = (True, True)

    def bounds(self, conference: Conference) -> tuple[datetime, datetime]:
        """The window as instants (an end at 00:00 is the next midnight)."""
        opens = datetime.combine(self.day, self.starts, tzinfo=conference.tz)
        closes = datetime.combine(self.day, self.ends, tzinfo=conference.tz)
        return opens, closes if self.ends > self.starts else closes + timedelta(days=1)

    def holds(self, starts_at: datetime, ends_at: datetime, conference: Conference) -> bool:
        """True when a session at these instants lies inside the window's own bounds."""
        opens, closes = self.bounds(conference)
        return (not self.bounded[0] or opens <= starts_at) and (not self.bounded[1] or ends_at <= closes)

    @property
    def source_title(self) -> str:
        return str(SOURCE_TITLES[self.source])


SOURCE_TITLES = {"set": _l("set by organizers"), "sessions": _l("from the sessions for everyone"),
                 "grid": _l("the editor's usual hours")}


def set_hours(conference: Conference) -> dict[date, ProgrammeDay]:
    """The hours organizers set, by day."""
    rows = db.session.scalars(ProgrammeDay.of(conference)).all()
    return {row.day: row for row in rows}


def programme_windows(conference: Conference, sessions: list[AgendaSession]) -> dict[date, Window]:
    """Each conference day's programme hours, from organizers' settings or its sessions for everyone."""
    chosen = set_hours(conference)
    windows = {}
    for day in conference.days:
        if day in chosen:
            windows[day] = Window(day, chosen[day].starts, chosen[day].ends, "set")
            continue
        starts, ends = DAY_START, DAY_END
        everyone = [s for s in sessions if s.placed and s.holds_every_room
                    and s.starts_at.astimezone(conference.tz).date() == day]
        if len(everyone) >= 2:
            first = min(s.starts_at for s in everyone).astimezone(conference.tz).time()
            last = max(s.ends_at for s in everyone).astimezone(conference.tz).time()
            starts = first if first < NOON else starts
            ends = last if last > NOON or last == time(0) else ends
            bounded = (first < NOON, last > NOON or last == time(0))
        else:
            bounded = (False, False)
        windows[day] = Window(day, starts, ends, "sessions" if any(bounded) else "grid", bounded)
    return windows


def everyone_sessions(sessions: list[AgendaSession]) -> list[AgendaSession]:
    """The placed sessions that hold every room, sorted by start."""
    return sorted((s for s in sessions if s.placed and s.holds_every_room), key=lambda s: (s.starts_at, s.id))
