"""The placement problem and its answer as plain data, and the arithmetic of the 5-minute grid they share."""
from __future__ import annotations

from dataclasses import dataclass, field

STEP = 5  # minutes: the editor's grid
DAY_SLOTS = 24 * 60 // STEP


@dataclass(frozen=True)
class Slot:
    """Where a session is: day index, start in minutes after local midnight, room id."""

    day: int
    start: int
    room: int


@dataclass(frozen=True)
class Room:
    """A room: capacity (None: unknown, any audience fits), booths, opening hours in minutes (None: the day's)."""

    id: int
    capacity: int | None = None
    booths: bool = False
    opens: int | None = None
    closes: int | None = None


@dataclass(frozen=True)
class Day:
    """A conference day and the hours of its programme (sessions go nowhere else), in minutes after local midnight."""

    index: int
    start: int = 8 * 60
    end: int = 18 * 60


@dataclass(frozen=True)
class Session:
    """A session to place, or a fixed one that others must work around (`fixed` with a `current` slot)."""

    key: str  # "s<id>" for a session of the working copy, "p<id>" for a confirmed proposal
    duration: int  # minutes
    people: tuple[str, ...] = ()  # everyone who cannot be in two places at once
    speakers: tuple[str, ...] = ()  # those whose availability counts
    audience: int | None = None
    track: int | None = None
    kind: str = "talk"
    interpreted: bool = False
    current: Slot | None = None
    fixed: bool = False
    everyone: bool = False  # for everyone (a break, a ceremony, a keynote): no other session runs beside it


@dataclass
class Problem:
    """Everything the solver needs; availability: person → (day, start, end) windows (absent: any time)."""

    sessions: list[Session]
    rooms: list[Room]
    days: list[Day]
    availability: dict[str, list[tuple[int, int, int]]] = field(default_factory=dict)
    buffer: int = 0
    time_limit: float = 10.0
    workers: int = 2

    def fixed(self) -> list[Session]:
        """The sessions that stay where they are and that the others work around."""
        return [s for s in self.sessions if s.fixed and s.current is not None]

    def movable(self) -> list[Session]:
        """The sessions to place."""
        return [s for s in self.sessions if not s.fixed]


@dataclass(frozen=True)
class Reason:
    """Why something cannot be placed (or a preference cannot be kept), as a code and its values.

    Codes: no_rooms, no_days, off_grid, audience (values: audience, largest), too_long (duration, longest),
    no_window (the speakers' times hold no window long enough), no_free_slot (rooms and people are taken by fixed
    sessions), availability (person, available, needed), room_time (needed, free), track_time (track, needed,
    available), crowded (no clash-free place remained), time_limit (the time ran out before a place was found).
    """

    code: str
    session: str | None = None
    values: tuple[tuple[str, object], ...] = ()

    def value(self, name: str):
        return dict(self.values).get(name)


def reason(code: str, session: str | None = None, **values) -> Reason:
    return Reason(code, session, tuple(sorted(values.items())))


@dataclass(frozen=True)
class Assignment:
    """A proposed slot for a session, with the one it has now (None: not on the grid)."""

    key: str
    slot: Slot
    previous: Slot | None = None

    @property
    def moves(self) -> bool:
        return self.previous is not None and self.previous != self.slot


@dataclass
class Result:
    """The proposal: what goes where, what was left out and why, the objective and the preferences kept."""

    assignments: list[Assignment] = field(default_factory=list)
    left_out: list[Reason] = field(default_factory=list)
    notes: list[Reason] = field(default_factory=list)  # what the pre-checks found, not tied to one session
    status: str = "not_run"  # optimal, feasible, first_fit (the time ran out: session by session), not_run
    objective: int | None = None
    preferences: dict[str, tuple[int, int]] = field(default_factory=dict)  # name → (kept, counted)
    seconds: float = 0.0

    @property
    def preferences_met(self) -> float:
        """The share of preferences kept (1.0 when none applied)."""
        kept = sum(k for k, _ in self.preferences.values())
        counted = sum(n for _, n in self.preferences.values())
        return kept / counted if counted else 1.0


def slots(minutes: int) -> int:
    """Whole grid steps in `minutes`."""
    return minutes // STEP


def first_slot(slot: Slot) -> int:
    """The global grid step (from the first day's midnight) a session in `slot` starts at."""
    return slot.day * DAY_SLOTS + slots(slot.start)


def window(day: Day, room: Room) -> tuple[int, int]:
    """The minutes of `day` that `room` can be used: the day's programme and the room's hours, both."""
    opens = day.start if room.opens is None else max(day.start, room.opens)
    closes = day.end if room.closes is None else min(day.end, room.closes)
    return opens, closes


def spans(intervals: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Merged, sorted half-open intervals."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged
