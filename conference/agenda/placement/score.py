"""The preferences, defined once: what each one asks, what breaking it once costs, and how a placement keeps them.

The solver's model (model.py) penalizes exactly what `tally` counts here, so its objective is `cost()` of the
placement it finds, and the proposal reports `preferences_kept()` from the same counts.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from .problem import Problem, Room, Session, Slot, slots

MIDDAY = 12 * 60 + 30  # the half-day boundary for "a track in one room per half-day"
QUARTER = 15  # minutes: starts on the quarter hour are preferred (every start is on the 5-minute grid: that is hard)


@dataclass(frozen=True)
class Preference:
    """A soft rule: its name in the proposal's report, and what one unit of breaking it costs the objective."""

    name: str
    weight: int
    unit: str  # what one unit is
    reported: bool = True  # counted in the share of preferences kept that the proposal shows


TRACK_PARALLEL = Preference("track_parallel", 60, "two sessions of one track at the same time")
TRACK_ROOM = Preference("track_room", 30, "each room beyond the first that a track uses in one half-day "
                                          "(morning before 12:30, afternoon after)")
PLENARY_ROOM = Preference("plenary_room", 120, "a plenary outside the largest room")
PLENARY_ALONE = Preference("plenary_alone", 90, "a session in parallel with a plenary (two plenaries count once)")
BOOTHS = Preference("booths", 150, "an interpreted session in a room without interpretation booths")
BALANCE = Preference("balance", 1, "each 5 minutes by which the fullest day exceeds the emptiest by more than the "
                                   "longest session placed")
QUARTER_HOUR = Preference("quarter_hour", 3, "a start off the quarter hour")
# Moves are what the organizer asked for when letting placed sessions move, and the preview lists each one: the
# solver keeps them few, and they are not held against the share of preferences kept.
STAY = Preference("stay", 5, "a placed session moved (only when the organizer lets placed sessions move)",
                  reported=False)
PREFERENCES = (TRACK_PARALLEL, TRACK_ROOM, PLENARY_ROOM, PLENARY_ALONE, BOOTHS, BALANCE, QUARTER_HOUR, STAY)


@dataclass
class Tally:
    """One preference on one placement: the cases it applied to, those kept, and the units it was broken by."""

    counted: int = 0
    kept: int = 0
    units: int = 0

    def add(self, units: int, kept: bool | None = None) -> None:
        """One more case, broken by `units`; kept when no unit breaks it, unless said otherwise."""
        self.counted += 1
        self.kept += (units == 0) if kept is None else kept
        self.units += units


def largest_rooms(rooms: list[Room]) -> set[int]:
    """The rooms a plenary belongs in: the largest, or every room of unknown size (any audience fits)."""
    if any(room.capacity is None for room in rooms):
        return {room.id for room in rooms if room.capacity is None}
    top = max((room.capacity for room in rooms), default=0)
    return {room.id for room in rooms if room.capacity == top}


def afternoon(start: int) -> bool:
    """Whether a start (minutes after midnight) is in the afternoon half-day."""
    return start >= MIDDAY


def balance_excess(loads: list[int], longest: int) -> int:
    """Grid steps by which the fullest day's load exceeds the emptiest's by more than the longest session placed.

    A spread up to one session is what moving that session would fix and no more: it is not counted against.
    """
    return max(0, max(loads) - min(loads) - longest)


@dataclass
class _Layout:
    """A proposal's sessions where they are: the fixed ones and those it places (`new`)."""

    where: dict[str, Slot]
    sessions: list[Session]
    new: list[Session]

    def parallel(self, a: Session, b: Session) -> bool:
        a0 = self.where[a.key].day * 24 * 60 + self.where[a.key].start
        b0 = self.where[b.key].day * 24 * 60 + self.where[b.key].start
        return a0 < b0 + b.duration and b0 < a0 + a.duration

    def half_day(self, session: Session) -> tuple[int, int, bool]:
        """(track, day, afternoon) of a session of a track."""
        slot = self.where[session.key]
        return session.track, slot.day, afternoon(slot.start)


def tally(problem: Problem, placed: dict[str, Slot]) -> dict[str, Tally]:
    """Every preference counted on the sessions a proposal places (`placed`) beside the fixed ones."""
    where = {s.key: s.current for s in problem.fixed()} | placed
    sessions = [s for s in problem.sessions if s.key in where]
    layout = _Layout(where, sessions, [s for s in sessions if s.key in placed])
    counts = {preference.name: Tally() for preference in PREFERENCES}
    _count_tracks(layout, counts)
    _count_each_new(problem, layout, counts)
    if len(problem.days) > 1 and layout.new:
        loads = {day.index: 0 for day in problem.days}
        for session in sessions:
            if where[session.key].day in loads:
                loads[where[session.key].day] += slots(session.duration)
        counts[BALANCE.name].add(balance_excess(list(loads.values()), max(slots(s.duration) for s in layout.new)))
    return counts


def _count_tracks(layout: _Layout, counts: dict[str, Tally]) -> None:
    """Pairs of a track's sessions side by side, and the rooms a track uses in each half-day it gets a session."""
    tracked = [s for s in layout.sessions if s.track is not None]
    new = {s.key for s in layout.new}
    for index, a in enumerate(tracked):
        for b in tracked[index + 1:]:
            if a.track == b.track and (a.key in new or b.key in new):
                counts[TRACK_PARALLEL.name].add(int(layout.parallel(a, b)))
    rooms: dict[tuple[int, int, bool], set[int]] = defaultdict(set)
    for session in tracked:
        rooms[layout.half_day(session)].add(layout.where[session.key].room)
    for half in {layout.half_day(s) for s in tracked if s.key in new}:
        counts[TRACK_ROOM.name].add(len(rooms[half]) - 1)


def _count_each_new(problem: Problem, layout: _Layout, counts: dict[str, Tally]) -> None:
    """The preferences about one placed session: plenaries, booths, the quarter hour, staying put."""
    rooms = {room.id: room for room in problem.rooms}
    largest = largest_rooms(problem.rooms)
    new = {s.key for s in layout.new}
    for session in layout.new:
        slot = layout.where[session.key]
        if session.kind == "plenary":
            counts[PLENARY_ROOM.name].add(int(slot.room not in largest))
            beside = [o for o in layout.sessions if o is not session and layout.parallel(session, o)]
            # Two new plenaries side by side cost once (on the first by key); neither of them is alone.
            pairs = [o for o in beside if not (o.key in new and o.kind == "plenary" and o.key < session.key)]
            counts[PLENARY_ALONE.name].add(len(pairs), kept=not beside)
        if session.interpreted:
            counts[BOOTHS.name].add(int(not rooms[slot.room].booths))
        counts[QUARTER_HOUR.name].add(int(slot.start % QUARTER != 0))
        if session.current is not None:
            counts[STAY.name].add(int(slot != session.current))


def preferences_kept(problem: Problem, placed: dict[str, Slot]) -> dict[str, tuple[int, int]]:
    """How many of each preference the proposal keeps, counted on the sessions it places (and the fixed ones)."""
    reported = {preference.name for preference in PREFERENCES if preference.reported}
    return {name: (count.kept, count.counted) for name, count in tally(problem, placed).items()
            if count.counted and name in reported}


def cost(problem: Problem, placed: dict[str, Slot]) -> int:
    """What the preferences broken by a placement cost: the solver's objective once the most sessions are placed."""
    weights = {preference.name: preference.weight for preference in PREFERENCES}
    return sum(weights[name] * count.units for name, count in tally(problem, placed).items())
