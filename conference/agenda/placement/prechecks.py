"""Before the solver: where each session may start, and cheap checks that explain what cannot work, in an
organizer's terms (see the `Reason` codes)."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from .problem import DAY_SLOTS, STEP, Problem, Reason, Room, Session, first_slot, reason, slots, spans, window

Candidates = dict[str, dict[int, list[int]]]  # session key → room id → the global start slots it may use there


@dataclass
class Busy:
    """Global slot ranges taken by fixed sessions, per room and per person (the person's with the buffer after);
    `everywhere`: those of fixed sessions for everyone, which hold every room."""

    rooms: dict[int, list[tuple[int, int]]] = field(default_factory=lambda: defaultdict(list))
    people: dict[str, list[tuple[int, int]]] = field(default_factory=lambda: defaultdict(list))
    everywhere: list[tuple[int, int]] = field(default_factory=list)

    def in_any_room(self) -> list[tuple[int, int]]:
        """Every range a fixed session takes, whatever its room (what a session for everyone must keep clear of)."""
        return [span for spans_ in self.rooms.values() for span in spans_]


def busy(problem: Problem) -> Busy:
    """What the fixed sessions take."""
    taken = Busy()
    buffer = slots(problem.buffer)
    for session in problem.fixed():
        start = first_slot(session.current)
        end = start + slots(session.duration)
        taken.rooms[session.current.room].append((start, end))
        if session.everyone:
            taken.everywhere.append((start, end))
        for person in session.people:
            taken.people[person].append((start, end + buffer))
    return taken


def allowed_starts(problem: Problem, session: Session, room: Room, taken: Busy) -> list[int]:
    """Global start slots of `session` in `room`: inside hours, availability, and clear of fixed sessions."""
    length = slots(session.duration)
    windows = problem.availability
    allowed: set[int] = set()
    for day in problem.days:
        opens, closes = window(day, room)
        base = day.index * DAY_SLOTS
        allowed.update(range(base + -(-opens // STEP), base + closes // STEP - length + 1))
    for person in session.speakers:
        if person in windows:
            fits = set()
            for day_index, begin, end in windows[person]:
                base = day_index * DAY_SLOTS
                fits.update(range(base + -(-begin // STEP), base + end // STEP - length + 1))
            allowed &= fits
    buffer = slots(problem.buffer)
    blocked = list(taken.rooms.get(room.id, [])) + taken.everywhere
    if session.everyone:
        blocked.extend(taken.in_any_room())
    for person in session.people:
        # The person's own buffer is already on the fixed range; this session's end needs it too.
        blocked.extend((start - buffer, end) for start, end in taken.people.get(person, []))
    for start, end in spans(blocked):
        allowed.difference_update(range(start - length + 1, end))
    return sorted(allowed)


def pre_check(problem: Problem) -> tuple[Candidates, list[Reason], list[Reason]]:
    """Where each session may start per room, the sessions that cannot be placed at all, and general notes."""
    left_out: list[Reason] = []
    notes: list[Reason] = []
    movable = problem.movable()
    if not problem.rooms:
        return {}, [reason("no_rooms", s.key) for s in movable], [reason("no_rooms")]
    if not problem.days:
        return {}, [reason("no_days", s.key) for s in movable], [reason("no_days")]
    taken = busy(problem)
    capacities = [room.capacity for room in problem.rooms]
    largest = None if any(c is None for c in capacities) else max(capacities)
    longest = max(window(day, room)[1] - window(day, room)[0] for day in problem.days for room in problem.rooms)
    candidates: Candidates = {}
    for session in movable:
        if session.duration % STEP:
            left_out.append(reason("off_grid", session.key, duration=session.duration, step=STEP))
            continue
        if largest is not None and (session.audience or 0) > largest:
            left_out.append(reason("audience", session.key, audience=session.audience, largest=largest))
            continue
        if session.duration > longest:
            left_out.append(reason("too_long", session.key, duration=session.duration, longest=max(longest, 0)))
            continue
        options = {}
        for room in problem.rooms:
            if room.capacity is not None and (session.audience or 0) > room.capacity:
                continue
            starts = allowed_starts(problem, session, room, taken)
            if starts:
                options[room.id] = starts
        if options:
            candidates[session.key] = options
        elif _fits_availability(problem, session):
            left_out.append(reason("no_free_slot", session.key))
        else:
            left_out.append(reason("no_window", session.key))
    notes.extend(_availability_notes(problem, movable))
    notes.extend(_time_notes(problem, movable, taken))
    return candidates, left_out, notes


def _fits_availability(problem: Problem, session: Session) -> bool:
    """True when the session's speakers share a window long enough for it (ignoring rooms and other sessions)."""
    alone = Problem(sessions=[], rooms=[], days=problem.days, availability=problem.availability)
    return bool(allowed_starts(alone, session, Room(id=-1), Busy()))


def _available_minutes(problem: Problem, person: str) -> int:
    """The minutes a person gave inside the conference's days."""
    days = {day.index: day for day in problem.days}
    given = defaultdict(list)
    for day_index, start, end in problem.availability.get(person, []):
        if day_index in days:
            low, high = max(start, 0), min(end, 24 * 60)
            if high > low:
                given[day_index].append((low, high))
    return sum(end - start for parts in given.values() for start, end in spans(parts))


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
            notes.append(reason("availability", None, person=person, available=_available_minutes(problem, person),
                                needed=need[person]))
    return notes


def _time_notes(problem: Problem, movable: list[Session], taken: Busy) -> list[Reason]:
    """More session-minutes than the rooms hold, and tracks longer than the days (they must run in parallel)."""
    notes = []
    free = 0
    for room in problem.rooms:
        for day in problem.days:
            opens, closes = window(day, room)
            low, high = day.index * DAY_SLOTS + slots(opens), day.index * DAY_SLOTS + slots(closes)
            used = sum(min(e, high) - max(s, low) for s, e in taken.rooms.get(room.id, []) if e > low and s < high)
            free += max(0, closes - opens - used * STEP)
    needed = sum(s.duration for s in movable)
    if needed > free:
        notes.append(reason("room_time", None, needed=needed, free=free))
    day_minutes = sum(max(window(day, room)[1] - window(day, room)[0] for room in problem.rooms)
                      for day in problem.days)
    per_track: dict[int, int] = defaultdict(int)
    for session in problem.sessions:
        if session.track is not None and (not session.fixed or session.current is not None):
            per_track[session.track] += session.duration
    for track, minutes in sorted(per_track.items()):
        if minutes > day_minutes and any(s.track == track for s in movable):
            notes.append(reason("track_time", None, track=track, needed=minutes, available=day_minutes))
    return notes
