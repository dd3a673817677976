"""The CP-SAT model of a placement problem: a start, a room and a presence per session, the hard constraints, and
one penalty per unit of a broken preference, counted as score.tally counts it (so the objective is score.cost)."""
from __future__ import annotations

from collections import Counter, defaultdict

from ortools.sat.python import cp_model

from .prechecks import Candidates
from .problem import DAY_SLOTS, STEP, Problem, Session, first_slot, slots
from .score import (
    BALANCE,
    BOOTHS,
    MIDDAY,
    PLENARY_ALONE,
    PLENARY_ROOM,
    QUARTER,
    QUARTER_HOUR,
    STAY,
    TRACK_PARALLEL,
    TRACK_ROOM,
    Preference,
    largest_rooms,
)

Domain = cp_model.Domain


class PlacementModel:
    """The model of one problem, with the variables needed to read the answer back."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        self.model = cp_model.CpModel()
        self.rooms = {room.id: room for room in problem.rooms}
        self.fixed = problem.fixed()
        self.movable = problem.movable()
        self.starts: dict[str, cp_model.IntVar] = {}
        self.present: dict[str, cp_model.IntVar] = {}
        self.in_room: dict[tuple[str, int], cp_model.IntVar] = {}
        self.values: dict[str, set[int]] = {}  # each start variable's domain (reading it back from the proto is unsafe)
        self.half: dict[tuple[str, int, int], cp_model.IntVar] = {}  # (session, day, 0 morning / 1 afternoon)
        self.penalties: list[tuple[int, object, int]] = []  # (weight, variable, its largest value)
        self.place = 1

    # -- variables and hard constraints ---------------------------------------------------------------------------
    def build(self, candidates: Candidates) -> None:
        """Variables per session (start, presence, room), the no-overlap constraints and the preferences."""
        model, problem = self.model, self.problem
        room_intervals: dict[int, list] = defaultdict(list)
        person_intervals: dict[str, list] = defaultdict(list)
        buffer = slots(problem.buffer)
        for session in self.movable:
            options = candidates.get(session.key)
            if not options:
                continue
            length = slots(session.duration)
            every = sorted({s for starts in options.values() for s in starts})
            start = model.NewIntVarFromDomain(Domain.FromValues(every), f"start_{session.key}")
            present = model.NewBoolVar(f"placed_{session.key}")
            self.starts[session.key], self.present[session.key] = start, present
            self.values[session.key] = set(every)
            choices = []
            for room_id, starts in options.items():
                chosen = model.NewBoolVar(f"room_{session.key}_{room_id}")
                self.in_room[session.key, room_id] = chosen
                model.AddLinearExpressionInDomain(start, Domain.FromValues(starts)).OnlyEnforceIf(chosen)
                room_intervals[room_id].append(
                    model.NewOptionalFixedSizeIntervalVar(start, length, chosen, f"in_{session.key}_{room_id}"))
                choices.append(chosen)
            model.Add(sum(choices) == present)
            if session.everyone:
                self._hold_every_room(session, start, length, present, room_intervals)
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

    def _hold_every_room(self, session: Session, start, length: int, present, room_intervals) -> None:
        """A session for everyone also takes every room it is not in while it runs."""
        for room_id in self.rooms:
            chosen = self.in_room.get((session.key, room_id))
            elsewhere = present
            if chosen is not None:
                elsewhere = self.model.NewBoolVar(f"elsewhere_{session.key}_{room_id}")
                self.model.Add(elsewhere == present - chosen)
            room_intervals[room_id].append(self.model.NewOptionalFixedSizeIntervalVar(
                start, length, elsewhere, f"holds_{session.key}_{room_id}"))

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

    def answer(self, solver: cp_model.CpSolver) -> dict[str, tuple[int, int]]:
        """Room and global start slot of every session the solution places."""
        return {key: (next(room for (k, room), var in self.in_room.items() if k == key and solver.Value(var)),
                      solver.Value(start))
                for key, start in self.starts.items() if solver.Value(self.present[key])}

    # -- pieces the preferences are made of ---------------------------------------------------------------------
    def _penalize(self, preference: Preference, variable, top: int = 1, times: int = 1) -> None:
        self.penalties.append((preference.weight * times, variable, top))

    def _overlap(self, a: Session, b: Session) -> cp_model.IntVar:
        """A variable that is 1 when both movable sessions are placed and overlap (minimized, so only ≥)."""
        model = self.model
        first, second = self.starts[a.key], self.starts[b.key]
        a_before = model.NewBoolVar("")
        b_before = model.NewBoolVar("")
        model.Add(second >= first + slots(a.duration)).OnlyEnforceIf(a_before)
        model.Add(first >= second + slots(b.duration)).OnlyEnforceIf(b_before)
        overlap = model.NewBoolVar(f"overlap_{a.key}_{b.key}")
        model.Add(overlap >= self.present[a.key] + self.present[b.key] - 1 - a_before - b_before)
        return overlap

    def _beside_fixed(self, session: Session, others: list[Session]) -> list[tuple[int, cp_model.IntVar]]:
        """(n, flag) pairs: each flag is 1 exactly when `session` is placed at a start overlapping n of `others`.

        One flag per number of fixed sessions overlapped, not per fixed session: a plenary beside a full day of
        fixed sessions needs a handful of variables, not one per session.
        """
        length = slots(session.duration)
        overlapped: Counter[int] = Counter()
        for other in others:
            begin = first_slot(other.current)
            overlapped.update(range(begin - length + 1, begin + slots(other.duration)))
        possible = self.values[session.key]
        groups: dict[int, list[int]] = defaultdict(list)
        for value in sorted(possible):
            if overlapped[value]:
                groups[overlapped[value]].append(value)
        start, present = self.starts[session.key], self.present[session.key]
        flags = []
        for count, values in sorted(groups.items()):
            flag = self.model.NewBoolVar(f"beside_{session.key}_{count}")
            rest = sorted(possible - set(values))
            self.model.AddImplication(flag, present)
            self.model.AddLinearExpressionInDomain(start, Domain.FromValues(values)).OnlyEnforceIf(flag)
            if rest:
                self.model.AddLinearExpressionInDomain(start, Domain.FromValues(rest)).OnlyEnforceIf(
                    [flag.Not(), present])
            else:
                self.model.AddImplication(present, flag)
            flags.append((count, flag))
        return flags

    # -- the preferences (score.py says what each one counts) ---------------------------------------------------
    def _preferences(self) -> None:
        placed = [s for s in self.movable if s.key in self.starts]
        by_track: dict[int, list[Session]] = defaultdict(list)
        fixed_by_track: dict[int, list[Session]] = defaultdict(list)
        for session in placed:
            if session.track is not None:
                by_track[session.track].append(session)
        for session in self.fixed:
            if session.track is not None:
                fixed_by_track[session.track].append(session)
        self._tracks_apart(by_track, fixed_by_track)
        for session in placed:
            if session.kind == "plenary":
                self._plenary(session, placed)
            if session.interpreted:
                for room_id, room in self.rooms.items():
                    if not room.booths and (session.key, room_id) in self.in_room:
                        self._penalize(BOOTHS, self.in_room[session.key, room_id])
            self._quarter_hour(session)
            if session.current is not None:
                self._stay(session)
        self._half_days(placed)
        self._track_rooms(by_track, fixed_by_track)
        if len(self.problem.days) > 1 and placed:
            self._balance(placed)

    def _tracks_apart(self, by_track, fixed_by_track) -> None:
        for track, sessions in by_track.items():
            for index, first in enumerate(sessions):
                for second in sessions[index + 1:]:
                    self._penalize(TRACK_PARALLEL, self._overlap(first, second))
                for count, flag in self._beside_fixed(first, fixed_by_track.get(track, [])):
                    self._penalize(TRACK_PARALLEL, flag, times=count)

    def _plenary(self, session: Session, placed: list[Session]) -> None:
        largest = largest_rooms(self.problem.rooms)
        for room_id in self.rooms:
            if room_id not in largest and (session.key, room_id) in self.in_room:
                self._penalize(PLENARY_ROOM, self.in_room[session.key, room_id])
        for other in placed:
            if other is not session and not (other.kind == "plenary" and other.key < session.key):
                self._penalize(PLENARY_ALONE, self._overlap(session, other))
        for count, flag in self._beside_fixed(session, self.fixed):
            self._penalize(PLENARY_ALONE, flag, times=count)

    def _quarter_hour(self, session: Session) -> None:
        values = self.values[session.key]
        quarter = sorted(v for v in values if v % (QUARTER // STEP) == 0)
        if len(quarter) == len(values):
            return
        if not quarter:
            self._penalize(QUARTER_HOUR, self.present[session.key])  # placed at all, it starts off the quarter
            return
        off = self.model.NewBoolVar(f"off_quarter_{session.key}")
        self.model.AddLinearExpressionInDomain(self.starts[session.key],
                                               Domain.FromValues(quarter)).OnlyEnforceIf(off.Not())
        self._penalize(QUARTER_HOUR, off)

    def _stay(self, session: Session) -> None:
        model = self.model
        stays = model.NewBoolVar(f"stays_{session.key}")
        here = self.in_room.get((session.key, session.current.room))
        at = first_slot(session.current)
        if here is None or at not in self.values[session.key]:
            model.Add(stays == 0)
        else:
            model.AddImplication(stays, here)
            model.Add(self.starts[session.key] == at).OnlyEnforceIf(stays)
        moved = model.NewBoolVar(f"moved_{session.key}")
        model.Add(moved + stays == self.present[session.key])
        self._penalize(STAY, moved)

    def _half_days(self, placed: list[Session]) -> None:
        """A flag per session, day and half-day it may start in; exactly one is set when it is placed."""
        model = self.model
        for session in placed:
            starts = self.values[session.key]
            parts = []
            for day in self.problem.days:
                base = day.index * DAY_SLOTS
                for part, (low, high) in enumerate(((base, base + slots(MIDDAY)),
                                                    (base + slots(MIDDAY), base + DAY_SLOTS))):
                    inside = sorted(s for s in starts if low <= s < high)
                    if not inside:
                        continue
                    flag = model.NewBoolVar(f"half_{session.key}_{day.index}_{part}")
                    model.AddLinearExpressionInDomain(self.starts[session.key],
                                                      Domain.FromValues(inside)).OnlyEnforceIf(flag)
                    self.half[session.key, day.index, part] = flag
                    parts.append(flag)
            model.Add(sum(parts) == self.present[session.key])

    def _track_rooms(self, by_track, fixed_by_track) -> None:
        """Per track and half-day that a placed session of it starts in: the rooms it uses there, less one."""
        model = self.model
        for track, sessions in by_track.items():
            for day in self.problem.days:
                for part in (0, 1):
                    fixed_rooms = {other.current.room for other in fixed_by_track.get(track, [])
                                   if other.current.day == day.index and (other.current.start >= MIDDAY) == bool(part)}
                    used: dict[int, cp_model.IntVar] = {}
                    here = []
                    for session in sessions:
                        flag = self.half.get((session.key, day.index, part))
                        if flag is None:
                            continue
                        here.append(flag)
                        for room_id in self.rooms:
                            chosen = self.in_room.get((session.key, room_id))
                            if chosen is None or room_id in fixed_rooms:
                                continue
                            if room_id not in used:
                                used[room_id] = model.NewBoolVar(f"uses_{track}_{day.index}_{part}_{room_id}")
                            model.Add(used[room_id] >= chosen + flag - 1)
                    if not here:
                        continue
                    touched = model.NewBoolVar(f"touched_{track}_{day.index}_{part}")
                    for flag in here:
                        model.Add(touched >= flag)
                    model.Add(touched <= sum(here))
                    rooms = len(used) + len(fixed_rooms)
                    extra = model.NewIntVar(0, rooms, f"extra_{track}_{day.index}_{part}")
                    model.Add(extra >= sum(used.values()) + (len(fixed_rooms) - 1) * touched)
                    self._penalize(TRACK_ROOM, extra, top=rooms)

    def _balance(self, placed: list[Session]) -> None:
        """The spread between the fullest and the emptiest day beyond the longest session placed (score.py)."""
        model = self.model
        loads = []
        for day in self.problem.days:
            fixed = sum(slots(s.duration) for s in self.fixed if s.current.day == day.index)
            terms = [slots(s.duration) * self.half[s.key, day.index, part] for s in placed for part in (0, 1)
                     if (s.key, day.index, part) in self.half]
            loads.append(fixed + sum(terms))
        top = DAY_SLOTS * max(1, len(self.problem.rooms))
        highest, lowest = model.NewIntVar(0, top, "highest"), model.NewIntVar(0, top, "lowest")
        for load in loads:
            model.Add(highest >= load)
            model.Add(lowest <= load)
        longest = model.NewIntVar(0, max((slots(s.duration) for s in placed), default=0), "longest")
        model.AddMaxEquality(longest, [slots(s.duration) * self.present[s.key] for s in placed])
        excess = model.NewIntVar(0, top, "excess")
        model.Add(excess >= highest - lowest - longest)
        self._penalize(BALANCE, excess, top=top)
