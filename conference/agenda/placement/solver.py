"""Solving: a session-by-session placement first (the solver's start and its fallback), then CP-SAT."""
from __future__ import annotations

import time as clock
from collections import defaultdict

from ortools.sat.python import cp_model

from .model import PlacementModel
from .prechecks import Candidates, pre_check
from .problem import DAY_SLOTS, STEP, Assignment, Problem, Result, Session, Slot, first_slot, reason, slots
from .score import preferences_kept

# Deterministic time units per second of the time limit (measured on 2 busy cores: 0.3 to 0.4).
DETERMINISTIC_PER_SECOND = 0.3
CLOCK_GUARD = 10.0  # the wall-clock limit, as a multiple of the time limit: only for a machine far slower than this one


def first_fit(problem: Problem, candidates: Candidates) -> dict[str, tuple[int, int]]:
    """A clash-free placement made session by session (the solver's starting point, and its fallback).

    Placed sessions try their own slot first; the hardest to place go first; plenaries try the largest rooms,
    interpreted sessions the rooms with booths, others the smallest room that holds them.
    """
    sessions = {s.key: s for s in problem.sessions}
    rooms = {room.id: room for room in problem.rooms}
    buffer = slots(problem.buffer)
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
            at = first_slot(session.current)
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
        length = slots(session.duration)
        for room_id, start in options(key):
            held = list(rooms) if session.everyone else [room_id]  # a session for everyone takes every room
            if all(free(("room", r), start, start + length) for r in held) and all(
                    free(("person", p), start, start + length + buffer) for p in session.people):
                chosen[key] = (room_id, start)
                for held_room in held:
                    taken["room", held_room].append((start, start + length))
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
    shape = PlacementModel(problem)
    shape.build(candidates)
    shape.hint(start_from)
    solver = cp_model.CpSolver()
    # The same working copy gives the same proposal: the search is bounded by deterministic time (work counted by
    # the solver, not the clock) with its strategies interleaved in a fixed order and a fixed seed. The clock
    # limit stays as a guard for a machine far slower than expected; only then can two answers differ.
    solver.parameters.max_deterministic_time = float(problem.time_limit) * DETERMINISTIC_PER_SECOND
    solver.parameters.max_time_in_seconds = float(problem.time_limit) * CLOCK_GUARD
    solver.parameters.num_workers = max(1, int(problem.workers))
    solver.parameters.interleave_search = True
    # Small batches: the deterministic limit is checked between them (the default batch overran it threefold).
    solver.parameters.interleave_batch_size = solver.parameters.num_workers
    solver.parameters.random_seed = 1
    # Probing in presolve took most of the time on 150 sessions without finding more; the search does better.
    solver.parameters.cp_model_probing_level = 0
    status = solver.Solve(shape.model)
    result.status = {cp_model.OPTIMAL: "optimal", cp_model.FEASIBLE: "feasible"}.get(status, "first_fit")
    placed_count = sum(solver.Value(v) for v in shape.present.values()) if result.status != "first_fit" else 0
    if placed_count < len(start_from):
        # The time ran out before the solver did as well: the session-by-session placement stands in.
        result.status, chosen = "first_fit", start_from
    else:
        result.objective = round(solver.ObjectiveValue()) + shape.place * placed_count  # the preferences' cost
        chosen = shape.answer(solver)
    placed = _assign(problem, candidates, chosen, result)
    result.preferences = preferences_kept(problem, placed)
    result.seconds = clock.monotonic() - began
    return result


def _assign(problem: Problem, candidates: Candidates, chosen: dict[str, tuple[int, int]],
            result: Result) -> dict[str, Slot]:
    """Each chosen (room, start) as an assignment of `result`, and why each other candidate was left out."""
    short = {r.value("person") for r in result.notes if r.code == "availability"}
    sessions = {s.key: s for s in problem.sessions}
    placed: dict[str, Slot] = {}
    for key in candidates:
        if key not in chosen:
            person = next((p for p in sessions[key].speakers if p in short), None)
            if person:
                result.left_out.append(reason("availability", key, person=person))
            else:
                result.left_out.append(reason("time_limit" if result.status == "first_fit" else "crowded", key))
            continue
        room_id, at = chosen[key]
        placed[key] = Slot(at // DAY_SLOTS, (at % DAY_SLOTS) * STEP, room_id)
        result.assignments.append(Assignment(key, placed[key], sessions[key].current))
    return placed
