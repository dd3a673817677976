"""The placement assistant's solver: plain data in, a proposed day, start and room per session out (OR-Tools CP-SAT).

No Flask and no database here: conference/agenda/assistant.py turns the working copy into a `Problem` and a
`Result` back into edits. Times are minutes after local midnight of a conference day; the model counts in
5-minute slots, so every start and end is on the editor's grid.

Hard constraints: inside the days and each room's hours; one session at a time per room; one session at a time
per person (speaker, moderator, chair), with the change-over buffer after each; speakers inside the times they
gave; the room at least as large as the expected audience; fixed sessions (pinned, breaks and ceremonies already
on the grid, and, unless asked, every placed session) stay where they are.

Objective, lexicographic by weight: first place as many sessions as possible (PLACE outweighs every preference
together), then keep the preferences, each violation costing its weight:

    TRACK_PARALLEL   60  two sessions of one track at the same time
    TRACK_ROOMS      30  each extra room a track uses in one half-day (morning before 12:30, afternoon after)
    PLENARY_ROOM    120  a plenary outside the largest room
    PLENARY_ALONE    90  a session in parallel with a plenary
    BOOTHS          150  an interpreted session in a room without interpretation booths
    BALANCE           1  per 5 minutes between the fullest and the emptiest day
    QUARTER           3  a start off the quarter hour (every start is on the 5-minute grid: that one is hard)
    MOVE              5  a placed session moved (only when the organizer lets placed sessions move)

Before the solver, cheap checks explain what cannot work in an organizer's terms (see `Reason` codes).
"""
from __future__ import annotations

import time as clock
from collections import defaultdict
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

STEP = 5  # minutes: the editor's grid
DAY_SLOTS = 24 * 60 // STEP
MIDDAY = 12 * 60 + 30  # the half-day boundary for "a track in one room per half-day"
FIXED_KINDS = ("break", "ceremony")

TRACK_PARALLEL, TRACK_ROOMS, PLENARY_ROOM, PLENARY_ALONE, BOOTHS, BALANCE, QUARTER, MOVE = 60, 30, 120, 90, 150, 1, 3, 5
QUARTER_SLOTS = 15 // STEP


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
    """A conference day and the hours sessions may use, in minutes after local midnight."""

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


def _reason(code: str, session: str | None = None, **values) -> Reason:
    return Reason(code, session, tuple(sorted(values.items())))


def _slots(minutes: int) -> int:
    return minutes // STEP


def _window(day: Day, room: Room) -> tuple[int, int]:
    """The minutes of `day` that `room` can be used."""
    opens = day.start if room.opens is None else room.opens
    closes = day.end if room.closes is None else room.closes
    return opens, closes


def _spans(intervals: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Merged, sorted half-open intervals."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


class _Model:
    """The CP-SAT model of one problem, with the variables needed to read the answer back."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        self.model = cp_model.CpModel()
        self.rooms = {room.id: room for room in problem.rooms}
        self.fixed = [s for s in problem.sessions if s.fixed and s.current is not None]
        self.movable = [s for s in problem.sessions if not s.fixed]
        self.largest = self._largest_rooms()
        self.starts: dict[str, cp_model.IntVar] = {}
        self.present: dict[str, cp_model.IntVar] = {}
        self.in_room: dict[tuple[str, int], cp_model.IntVar] = {}
        self.values: dict[str, set[int]] = {}  # each start variable's domain (reading it back from the proto is unsafe)
        self.penalties: list[tuple[int, object, int]] = []  # (weight, variable, its largest value)

    def _largest_rooms(self) -> set[int]:
        rooms = self.problem.rooms
        if any(room.capacity is None for room in rooms):
            return {room.id for room in rooms if room.capacity is None}
        top = max((room.capacity for room in rooms), default=0)
        return {room.id for room in rooms if room.capacity == top}

    # -- where each session may start ---------------------------------------------------------------------------
    def busy(self) -> tuple[dict[int, list[tuple[int, int]]], dict[str, list[tuple[int, int]]]]:
        """Global slot ranges taken by fixed sessions, per room and per person (with the buffer both sides)."""
        rooms: dict[int, list[tuple[int, int]]] = defaultdict(list)
        people: dict[str, list[tuple[int, int]]] = defaultdict(list)
        buffer = _slots(self.problem.buffer)
        for session in self.fixed:
            start = session.current.day * DAY_SLOTS + _slots(session.current.start)
            end = start + _slots(session.duration)
            rooms[session.current.room].append((start, end))
            for person in session.people:
                people[person].append((start, end + buffer))
        return rooms, people

    def allowed_starts(self, session: Session, room: Room, room_busy, person_busy) -> list[int]:
        """Global start slots of `session` in `room`: inside hours, availability, and clear of fixed sessions."""
        length = _slots(session.duration)
        windows = self.problem.availability
        starts: list[int] = []
        for day in self.problem.days:
            opens, closes = _window(day, room)
            base = day.index * DAY_SLOTS
            first, last = base + -(-opens // STEP), base + closes // STEP - length
            for start in range(first, last + 1):
                starts.append(start)
        allowed = set(starts)
        for person in session.speakers:
            if person in windows:
                fits = set()
                for day_index, begin, end in windows[person]:
                    base = day_index * DAY_SLOTS
                    fits.update(range(base + -(-begin // STEP), base + end // STEP - length + 1))
                allowed &= fits
        buffer = _slots(self.problem.buffer)
        blocked = list(room_busy.get(room.id, []))
        for person in session.people:
            # The person's own buffer is already on the fixed range; this session's end needs it too.
            blocked.extend((start - buffer, end) for start, end in person_busy.get(person, []))
        for start, end in _spans(blocked):
            allowed.difference_update(range(start - length + 1, end))
        return sorted(allowed)

    # -- variables and constraints ------------------------------------------------------------------------------
    def build(self, candidates: dict[str, dict[int, list[int]]]) -> None:
        """Variables per session (start, presence, room), the no-overlap constraints and the preferences."""
        model, problem = self.model, self.problem
        room_intervals: dict[int, list] = defaultdict(list)
        person_intervals: dict[str, list] = defaultdict(list)
        buffer = _slots(problem.buffer)
        for session in self.movable:
            options = candidates.get(session.key)
            if not options:
                continue
            length = _slots(session.duration)
            every = sorted({s for starts in options.values() for s in starts})
            start = model.NewIntVarFromDomain(cp_model.Domain.FromValues(every), f"start_{session.key}")
            present = model.NewBoolVar(f"placed_{session.key}")
            self.starts[session.key], self.present[session.key] = start, present
            self.values[session.key] = set(every)
            choices = []
            for room_id, starts in options.items():
                chosen = model.NewBoolVar(f"room_{session.key}_{room_id}")
                self.in_room[session.key, room_id] = chosen
                model.AddLinearExpressionInDomain(start, cp_model.Domain.FromValues(starts)).OnlyEnforceIf(chosen)
                room_intervals[room_id].append(
                    model.NewOptionalFixedSizeIntervalVar(start, length, chosen, f"in_{session.key}_{room_id}"))
                choices.append(chosen)
            model.Add(sum(choices) == present)
            for person in session.people:
                person_intervals[person].append(
                    model.NewOptionalFixedSizeIntervalVar(start, length + buffer, present, f"p_{session.key}"))
        for intervals in list(room_intervals.values()) + list(person_intervals.values()):
            if len(intervals) > 1:
                model.AddNoOverlap(intervals)
        self._preferences()
        # Placing one more session outweighs every preference together: the most sessions first.
        self.place = 1 + sum(weight * top for weight, _, top in self.penalties)
        objective = sum(weight * var for weight, var, _ in self.penalties) - self.place * sum(self.present.values())
        model.Minimize(objective)

    def hint(self, start_from: dict[str, tuple[int, int]]) -> None:
        """Start the search from a clash-free placement (a first solution at once, fewer moves)."""
        for session in self.movable:
            key = session.key
            if key not in self.starts:
                continue
            if key not in start_from:
                self.model.AddHint(self.present[key], 0)
                continue
            room_id, at = start_from[key]
            self.model.AddHint(self.present[key], 1)
            self.model.AddHint(self.starts[key], at)
            for (other, option), chosen in self.in_room.items():
                if other == key:
                    self.model.AddHint(chosen, int(option == room_id))

    def _overlap(self, a: Session, b: Session) -> cp_model.IntVar:
        """A variable that is 1 when both movable sessions are placed and overlap (minimized, so only ≥)."""
        model = self.model
        first, second = self.starts[a.key], self.starts[b.key]
        a_before = model.NewBoolVar("")
        b_before = model.NewBoolVar("")
        model.Add(second >= first + _slots(a.duration)).OnlyEnforceIf(a_before)
        model.Add(first >= second + _slots(b.duration)).OnlyEnforceIf(b_before)
        overlap = model.NewBoolVar(f"overlap_{a.key}_{b.key}")
        model.Add(overlap >= self.present[a.key] + self.present[b.key] - 1 - a_before - b_before)
        return overlap

    def _meets_fixed(self, session: Session, others: list[Session]) -> cp_model.IntVar | None:
        """A variable that is 1 when `session` is placed overlapping any of the fixed `others`."""
        length = _slots(session.duration)
        bad: set[int] = set()
        for other in others:
            start = other.current.day * DAY_SLOTS + _slots(other.current.start)
            bad.update(range(start - length + 1, start + _slots(other.duration)))
        starts = self.starts[session.key]
        possible = self.values[session.key]
        bad &= possible
        if not bad:
            return None
        hit = self.model.NewBoolVar(f"meets_{session.key}")
        good = sorted(possible - bad)
        self.model.AddLinearExpressionInDomain(starts, cp_model.Domain.FromValues(sorted(bad))).OnlyEnforceIf(hit)
        if good:
            self.model.AddLinearExpressionInDomain(starts, cp_model.Domain.FromValues(good)).OnlyEnforceIf(hit.Not())
        else:
            self.model.Add(hit == self.present[session.key])
        return hit

    def _preferences(self) -> None:
        model = self.model
        placed = [s for s in self.movable if s.key in self.starts]
        by_track: dict[int, list[Session]] = defaultdict(list)
        fixed_by_track: dict[int, list[Session]] = defaultdict(list)
        for session in placed:
            if session.track is not None:
                by_track[session.track].append(session)
        for session in self.fixed:
            if session.track is not None:
                fixed_by_track[session.track].append(session)
        for track, sessions in by_track.items():
            for index, first in enumerate(sessions):
                for second in sessions[index + 1:]:
                    self.penalties.append((TRACK_PARALLEL, self._overlap(first, second), 1))
                hit = self._meets_fixed(first, fixed_by_track.get(track, []))
                if hit is not None:
                    self.penalties.append((TRACK_PARALLEL, hit, 1))
        for session in placed:
            if session.kind == "plenary":
                for room_id in self.rooms:
                    if room_id not in self.largest and (session.key, room_id) in self.in_room:
                        self.penalties.append((PLENARY_ROOM, self.in_room[session.key, room_id], 1))
                for other in placed:
                    if other is not session and not (other.kind == "plenary" and other.key < session.key):
                        self.penalties.append((PLENARY_ALONE, self._overlap(session, other), 1))
                hit = self._meets_fixed(session, self.fixed)
                if hit is not None:
                    self.penalties.append((PLENARY_ALONE, hit, 1))
            if session.interpreted:
                for room_id, room in self.rooms.items():
                    if not room.booths and (session.key, room_id) in self.in_room:
                        self.penalties.append((BOOTHS, self.in_room[session.key, room_id], 1))
            quarter = sorted(v for v in self.values[session.key] if v % QUARTER_SLOTS == 0)
            if quarter and len(quarter) < len(self.values[session.key]):
                off = model.NewBoolVar(f"off_quarter_{session.key}")
                model.AddLinearExpressionInDomain(self.starts[session.key],
                                                  cp_model.Domain.FromValues(quarter)).OnlyEnforceIf(off.Not())
                self.penalties.append((QUARTER, off, 1))
            if session.current is not None:
                stays = model.NewBoolVar(f"stays_{session.key}")
                here = self.in_room.get((session.key, session.current.room))
                at = session.current.day * DAY_SLOTS + _slots(session.current.start)
                if here is None or at not in self.values[session.key]:
                    model.Add(stays == 0)
                else:
                    model.AddImplication(stays, here)
                    model.Add(self.starts[session.key] == at).OnlyEnforceIf(stays)
                moved = model.NewBoolVar(f"moved_{session.key}")
                model.Add(moved + stays == 1)
                self.penalties.append((MOVE, moved, 1))
        self._halves(placed, by_track, fixed_by_track)

    def _halves(self, placed, by_track, fixed_by_track) -> None:
        """Half-day and day of each session: a track in one room per half-day, and balanced days."""
        model, days = self.model, self.problem.days
        half: dict[tuple[str, int, int], cp_model.IntVar] = {}
        for session in placed:
            starts = self.values[session.key]
            parts = []
            for day in days:
                base = day.index * DAY_SLOTS
                for part, (low, high) in enumerate(((base, base + _slots(MIDDAY)),
                                                    (base + _slots(MIDDAY), base + DAY_SLOTS))):
                    inside = sorted(s for s in starts if low <= s < high)
                    if not inside:
                        continue
                    flag = model.NewBoolVar(f"half_{session.key}_{day.index}_{part}")
                    model.AddLinearExpressionInDomain(self.starts[session.key],
                                                      cp_model.Domain.FromValues(inside)).OnlyEnforceIf(flag)
                    half[session.key, day.index, part] = flag
                    parts.append(flag)
            model.Add(sum(parts) == self.present[session.key])
        self.half = half
        for track, sessions in by_track.items():
            for day in days:
                for part in (0, 1):
                    fixed_rooms = {other.current.room for other in fixed_by_track.get(track, [])
                                   if other.current.day == day.index and (other.current.start >= MIDDAY) == bool(part)}
                    used: dict[int, cp_model.IntVar] = {}
                    for session in sessions:
                        flag = half.get((session.key, day.index, part))
                        if flag is None:
                            continue
                        for room_id in self.rooms:
                            chosen = self.in_room.get((session.key, room_id))
                            if chosen is None or room_id in fixed_rooms:
                                continue
                            if room_id not in used:
                                used[room_id] = model.NewBoolVar(f"uses_{track}_{day.index}_{part}_{room_id}")
                            model.Add(used[room_id] >= chosen + flag - 1)
                    if not used:
                        continue
                    variables = list(used.values())
                    # Extra rooms: the rooms used in the half-day, less one when any is used.
                    extra = model.NewIntVar(0, len(used) + len(fixed_rooms), f"extra_{track}_{day.index}_{part}")
                    if fixed_rooms:
                        model.Add(extra == sum(variables) + len(fixed_rooms) - 1)
                    else:
                        any_used = model.NewBoolVar("")
                        for variable in variables:
                            model.Add(any_used >= variable)
                        model.Add(any_used <= sum(variables))
                        model.Add(extra >= sum(variables) - any_used)
                    self.penalties.append((TRACK_ROOMS, extra, len(used) + len(fixed_rooms)))
        if len(days) > 1:
            loads = []
            for day in days:
                fixed = sum(_slots(s.duration) for s in self.fixed if s.current.day == day.index)
                terms = [_slots(s.duration) * half[s.key, day.index, part] for s in placed for part in (0, 1)
                         if (s.key, day.index, part) in half]
                loads.append(fixed + sum(terms))
            top = DAY_SLOTS * max(1, len(self.problem.rooms))
            highest, lowest = model.NewIntVar(0, top, "highest"), model.NewIntVar(0, top, "lowest")
            for load in loads:
                model.Add(highest >= load)
                model.Add(lowest <= load)
            spread = model.NewIntVar(0, top, "spread")
            model.Add(spread == highest - lowest)
            self.penalties.append((BALANCE, spread, top))



def pre_check(problem: Problem) -> tuple[dict[str, dict[int, list[int]]], list[Reason], list[Reason]]:
    """Where each session may start per room, the sessions that cannot be placed at all, and general notes."""
    left_out: list[Reason] = []
    notes: list[Reason] = []
    movable = [s for s in problem.sessions if not s.fixed]
    if not problem.rooms:
        return {}, [_reason("no_rooms", s.key) for s in movable], [_reason("no_rooms")]
    if not problem.days:
        return {}, [_reason("no_days", s.key) for s in movable], [_reason("no_days")]
    shape = _Model(problem)
    room_busy, person_busy = shape.busy()
    capacities = [room.capacity for room in problem.rooms]
    largest = None if any(c is None for c in capacities) else max(capacities)
    longest = max(_window(day, room)[1] - _window(day, room)[0] for day in problem.days for room in problem.rooms)
    candidates: dict[str, dict[int, list[int]]] = {}
    for session in movable:
        if session.duration % STEP:
            left_out.append(_reason("off_grid", session.key, duration=session.duration, step=STEP))
            continue
        if largest is not None and (session.audience or 0) > largest:
            left_out.append(_reason("audience", session.key, audience=session.audience, largest=largest))
            continue
        if session.duration > longest:
            left_out.append(_reason("too_long", session.key, duration=session.duration, longest=max(longest, 0)))
            continue
        options = {}
        for room in problem.rooms:
            if room.capacity is not None and (session.audience or 0) > room.capacity:
                continue
            starts = shape.allowed_starts(session, room, room_busy, person_busy)
            if starts:
                options[room.id] = starts
        if options:
            candidates[session.key] = options
        elif _fits_availability(problem, session):
            left_out.append(_reason("no_free_slot", session.key))
        else:
            left_out.append(_reason("no_window", session.key))
    notes.extend(_availability_notes(problem, movable))
    notes.extend(_time_notes(problem, movable, room_busy))
    return candidates, left_out, notes


def _fits_availability(problem: Problem, session: Session) -> bool:
    """True when the session's speakers share a window long enough for it (ignoring rooms and other sessions)."""
    room = Room(id=-1)
    shape = _Model(Problem(sessions=[], rooms=[room], days=problem.days, availability=problem.availability))
    return bool(shape.allowed_starts(session, room, {}, {}))


def _available_minutes(problem: Problem, person: str) -> int:
    """The minutes a person gave inside the conference's days."""
    days = {day.index: day for day in problem.days}
    spans = defaultdict(list)
    for day_index, start, end in problem.availability.get(person, []):
        if day_index in days:
            low, high = max(start, 0), min(end, 24 * 60)
            if high > low:
                spans[day_index].append((low, high))
    return sum(end - start for parts in spans.values() for start, end in _spans(parts))


def _availability_notes(problem: Problem, movable: list[Session]) -> list[Reason]:
    """Speakers available for less time than their sessions need."""
    need: dict[str, int] = defaultdict(int)
    for session in problem.sessions:
        for person in session.speakers:
            if person in problem.availability:
                need[person] += session.duration
    notes = []
    short = {person for person, minutes in need.items() if _available_minutes(problem, person) < minutes}
    for person in sorted(short):
        if any(person in s.speakers for s in movable):
            notes.append(_reason("availability", None, person=person, available=_available_minutes(problem, person),
                                 needed=need[person]))
    return notes


def _time_notes(problem: Problem, movable: list[Session], room_busy) -> list[Reason]:
    """More session-minutes than the rooms hold, and tracks longer than the days (they must run in parallel)."""
    notes = []
    free = 0
    for room in problem.rooms:
        for day in problem.days:
            opens, closes = _window(day, room)
            taken = sum(min(e, day.index * DAY_SLOTS + _slots(closes)) - max(s, day.index * DAY_SLOTS + _slots(opens))
                        for s, e in room_busy.get(room.id, [])
                        if e > day.index * DAY_SLOTS + _slots(opens) and s < day.index * DAY_SLOTS + _slots(closes))
            free += max(0, closes - opens - taken * STEP)
    needed = sum(s.duration for s in movable)
    if needed > free:
        notes.append(_reason("room_time", None, needed=needed, free=free))
    day_minutes = sum(max(_window(day, room)[1] - _window(day, room)[0] for room in problem.rooms)
                      for day in problem.days)
    per_track: dict[int, int] = defaultdict(int)
    for session in problem.sessions:
        if session.track is not None and (not session.fixed or session.current is not None):
            per_track[session.track] += session.duration
    for track, minutes in sorted(per_track.items()):
        if minutes > day_minutes and any(s.track == track for s in movable):
            notes.append(_reason("track_time", None, track=track, needed=minutes, available=day_minutes))
    return notes


def first_fit(problem: Problem, candidates: dict[str, dict[int, list[int]]]) -> dict[str, tuple[int, int]]:
    """A clash-free placement made session by session (the solver's starting point, and its fallback).

    Placed sessions try their own slot first; the hardest to place go first; plenaries try the largest rooms,
    interpreted sessions the rooms with booths, others the smallest room that holds them.
    """
    sessions = {s.key: s for s in problem.sessions}
    rooms = {room.id: room for room in problem.rooms}
    buffer = _slots(problem.buffer)
    taken: dict[object, list[tuple[int, int]]] = defaultdict(list)

    def free(owner, start: int, end: int) -> bool:
        return all(end <= low or high <= start for low, high in taken[owner])

    def room_order(session: Session, room_id: int) -> tuple:
        size = rooms[room_id].capacity if rooms[room_id].capacity is not None else 10**9
        if session.kind == "plenary":
            return (-size,)
        return (session.interpreted and not rooms[room_id].booths, size)

    def options(key: str):
        session = sessions[key]
        if session.current is not None:
            at = session.current.day * DAY_SLOTS + _slots(session.current.start)
            if at in set(candidates[key].get(session.current.room, ())):
                yield session.current.room, at
        for room_id in sorted(candidates[key], key=lambda r: room_order(session, r)):
            for start in candidates[key][room_id]:
                yield room_id, start

    chosen: dict[str, tuple[int, int]] = {}
    order = sorted(candidates, key=lambda k: (sessions[k].current is None,
                                             sum(len(v) for v in candidates[k].values()), -sessions[k].duration, k))
    for key in order:
        session = sessions[key]
        length = _slots(session.duration)
        for room_id, start in options(key):
            if free(("room", room_id), start, start + length) and all(
                    free(("person", p), start, start + length + buffer) for p in session.people):
                chosen[key] = (room_id, start)
                taken["room", room_id].append((start, start + length))
                for person in session.people:
                    taken["person", person].append((start, start + length + buffer))
                break
    return chosen


def solve(problem: Problem) -> Result:
    """Propose a slot for every movable session; when not all fit, the most that do, with reasons for the rest."""
    began = clock.monotonic()
    candidates, left_out, notes = pre_check(problem)
    result = Result(left_out=left_out, notes=notes)
    if not candidates:
        result.preferences = preferences_kept(problem, {})
        result.seconds = clock.monotonic() - began
        return result
    start_from = first_fit(problem, candidates)
    shape = _Model(problem)
    shape.build(candidates)
    shape.hint(start_from)
    solver = cp_model.CpSolver()
    # The limit covers the whole proposal: what the checks and the model took is taken off the search.
    solver.parameters.max_time_in_seconds = max(0.01, float(problem.time_limit) - (clock.monotonic() - began))
    solver.parameters.num_workers = max(1, int(problem.workers))
    # Probing in presolve took most of the time on 150 sessions without finding more; the search does better.
    solver.parameters.cp_model_probing_level = 0
    status = solver.Solve(shape.model)
    result.status = {cp_model.OPTIMAL: "optimal", cp_model.FEASIBLE: "feasible"}.get(status, "first_fit")
    short = {r.value("person") for r in notes if r.code == "availability"}
    sessions = {s.key: s for s in problem.sessions}
    placed_count = sum(solver.Value(v) for v in shape.present.values()) if result.status != "first_fit" else 0
    if placed_count < len(start_from):
        # The time ran out before the solver did as well: the session-by-session placement stands in.
        result.status, chosen = "first_fit", start_from
    else:
        result.objective = round(solver.ObjectiveValue()) + shape.place * placed_count  # the preferences' cost
        chosen = {key: (next(r for (k, r), var in shape.in_room.items() if k == key and solver.Value(var)),
                        solver.Value(start))
                  for key, start in shape.starts.items() if solver.Value(shape.present[key])}
    placed: dict[str, Slot] = {}
    for key in candidates:
        if key not in chosen:
            person = next((p for p in sessions[key].speakers if p in short), None)
            if person:
                result.left_out.append(_reason("availability", key, person=person))
            else:
                result.left_out.append(_reason("time_limit" if result.status == "first_fit" else "crowded", key))
            continue
        room_id, at = chosen[key]
        placed[key] = Slot(at // DAY_SLOTS, (at % DAY_SLOTS) * STEP, room_id)
        result.assignments.append(Assignment(key, placed[key], sessions[key].current))
    result.preferences = preferences_kept(problem, placed)
    result.seconds = clock.monotonic() - began
    return result


def preferences_kept(problem: Problem, placed: dict[str, Slot]) -> dict[str, tuple[int, int]]:
    """How many of each preference the proposal keeps, counted on the sessions it places (and the fixed ones)."""
    rooms = {room.id: room for room in problem.rooms}
    where = {s.key: s.current for s in problem.sessions if s.fixed and s.current is not None}
    where.update(placed)
    sessions = [s for s in problem.sessions if s.key in where]

    def span(s: Session) -> tuple[int, int]:
        slot = where[s.key]
        return slot.day * 24 * 60 + slot.start, slot.day * 24 * 60 + slot.start + s.duration

    def parallel(a: Session, b: Session) -> bool:
        (a0, a1), (b0, b1) = span(a), span(b)
        return a0 < b1 and b0 < a1

    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    largest = _Model(problem).largest if problem.rooms else set()
    new = [s for s in sessions if s.key in placed]
    for index, a in enumerate(sessions):
        for b in sessions[index + 1:]:
            if a.track is not None and a.track == b.track and (a.key in placed or b.key in placed):
                counts["track_parallel"][1] += 1
                counts["track_parallel"][0] += not parallel(a, b)
    halves: dict[tuple[int, int, bool], set[int]] = defaultdict(set)
    touched: set[tuple[int, int, bool]] = set()
    for s in sessions:
        if s.track is not None:
            slot = where[s.key]
            halves[s.track, slot.day, slot.start >= MIDDAY].add(slot.room)
            if s.key in placed:
                touched.add((s.track, slot.day, slot.start >= MIDDAY))
    for key in touched:
        counts["track_room"][1] += 1
        counts["track_room"][0] += len(halves[key]) == 1
    for s in new:
        if s.kind == "plenary":
            counts["plenary_room"][1] += 1
            counts["plenary_room"][0] += where[s.key].room in largest
            counts["plenary_alone"][1] += 1
            counts["plenary_alone"][0] += not any(parallel(s, o) for o in sessions if o is not s)
        counts["quarter_hour"][1] += 1
        counts["quarter_hour"][0] += where[s.key].start % 15 == 0
        if s.interpreted:
            counts["booths"][1] += 1
            counts["booths"][0] += rooms[where[s.key].room].booths
    if len(problem.days) > 1 and new:
        loads = defaultdict(int)
        for s in sessions:
            loads[where[s.key].day] += s.duration
        spread = max(loads.get(d.index, 0) for d in problem.days) - min(loads.get(d.index, 0) for d in problem.days)
        counts["balance"][1] += 1
        counts["balance"][0] += spread <= max(s.duration for s in new)
    return {name: (kept, counted) for name, (kept, counted) in counts.items()}
