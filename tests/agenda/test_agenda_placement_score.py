"""The preferences are defined once: the solver's objective is the cost the report's counts give, case by case."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conference.agenda import placement
from conference.agenda.placement import PREFERENCES, Day, Problem, Room, Session, Slot
from conference.agenda.placement.score import tally

WEIGHTS = {preference.name: preference.weight for preference in PREFERENCES}
REPORTED = {preference.name for preference in PREFERENCES if preference.reported}
MORNING = Day(0, 9 * 60, 13 * 60)


def _agree(problem: Problem) -> placement.Result:
    """Solve, and check that the objective is what the report's counts cost."""
    result = placement.solve(problem)
    assert result.status == "optimal"
    placed = {a.key: a.slot for a in result.assignments}
    counts = tally(problem, placed)
    assert result.objective == placement.cost(problem, placed) == sum(
        WEIGHTS[name] * count.units for name, count in counts.items())
    assert result.preferences == {name: (c.kept, c.counted) for name, c in counts.items()
                                  if c.counted and name in REPORTED}
    return result


def test_two_sessions_of_a_track_that_must_run_side_by_side():
    problem = Problem([Session("a", 60, track=1), Session("b", 60, track=1)], [Room(1, 100), Room(2, 100)],
                      [Day(0, 9 * 60, 10 * 60)], time_limit=5, workers=1)
    result = _agree(problem)
    assert result.preferences["track_parallel"] == (0, 1) and result.preferences["track_room"] == (0, 1)
    assert result.objective == 60 + 30


def test_a_plenary_beside_two_fixed_sessions_counts_each():
    fixed = [Session(f"f{n}", 60, current=Slot(0, 9 * 60, n), fixed=True) for n in (2, 3)]
    problem = Problem([Session("plenary", 60, kind="plenary"), *fixed], [Room(1, 300), Room(2, 50), Room(3, 50)],
                      [Day(0, 9 * 60, 10 * 60)], time_limit=5, workers=1)
    result = _agree(problem)
    assert result.preferences["plenary_alone"] == (0, 1) and result.objective == 2 * 90


def test_unbalanced_days_cost_only_beyond_the_longest_session_placed():
    # Day 1 holds four fixed hours; the one session to place can only even that out by its own 30 minutes.
    fixed = [Session(f"f{n}", 60, current=Slot(0, (9 + n) * 60, 1), fixed=True) for n in range(4)]
    problem = Problem([Session("talk", 30), *fixed], [Room(1, 100)], [MORNING, Day(1, 9 * 60, 13 * 60)],
                      time_limit=5, workers=1)
    result = _agree(problem)
    assert result.preferences["balance"] == (0, 1)
    assert result.objective == (240 - 30 - 30) // 5  # the spread, less the longest session, in 5-minute steps


def test_a_start_off_the_quarter_hour_that_cannot_be_helped_still_counts():
    problem = Problem([Session("talk", 60)], [Room(1, 100, opens=9 * 60 + 5, closes=10 * 60 + 5)], [MORNING],
                      time_limit=5, workers=1)
    result = _agree(problem)
    assert result.preferences["quarter_hour"] == (0, 1) and result.objective == 3


def test_a_placed_session_that_has_to_move_and_an_interpreted_one_without_booths():
    nine = Slot(0, 9 * 60, 1)
    sessions = [Session("moved", 60, current=nine), Session("pinned", 60, current=nine, fixed=True),
                Session("interpreted", 60, interpreted=True)]
    problem = Problem(sessions, [Room(1, 100)], [MORNING], time_limit=5, workers=1)
    result = _agree(problem)
    placed = {a.key: a.slot for a in result.assignments}
    assert tally(problem, placed)["stay"].units == 1 and "stay" not in result.preferences  # the preview lists moves
    assert result.preferences["booths"] == (0, 1) and result.objective == 5 + 150


def test_nothing_broken_costs_nothing():
    problem = Problem([Session("a", 60, track=1, kind="plenary"), Session("b", 60, track=1, interpreted=True)],
                      [Room(1, 300, booths=True), Room(2, 50)], [MORNING], time_limit=5, workers=1)
    result = _agree(problem)
    assert result.objective == 0 and result.preferences_met == 1.0 and set(result.preferences) == {
        "track_parallel", "track_room", "plenary_room", "plenary_alone", "booths", "quarter_hour"}


@st.composite
def problems(draw) -> Problem:
    """Small problems with every kind of preference in play: tracks, plenaries, interpretation, fixed sessions."""
    days = [MORNING, Day(1, 9 * 60, 13 * 60)][:draw(st.integers(1, 2))]
    rooms = [Room(1, 300, booths=True), Room(2, 100), Room(3, 50, booths=draw(st.booleans()))]
    sessions = []
    for n in range(draw(st.integers(1, 6))):
        current = draw(st.none() | st.builds(Slot, st.integers(0, len(days) - 1),
                                             st.sampled_from(range(9 * 60, 12 * 60, 5)), st.integers(1, 3)))
        sessions.append(Session(
            f"s{n}", draw(st.sampled_from((30, 45, 60, 90))), people=tuple(draw(st.sets(st.sampled_from("abc")))),
            track=draw(st.sampled_from((None, 1, 2))), kind=draw(st.sampled_from(("talk", "panel", "plenary"))),
            interpreted=draw(st.booleans()), current=current, fixed=current is not None and draw(st.booleans())))
    return Problem(sessions, rooms, days, buffer=draw(st.sampled_from((0, 10))), time_limit=5, workers=1)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_the_objective_is_what_the_report_counts_on_any_small_problem(problem):
    result = placement.solve(problem)
    if result.status == "optimal":
        placed = {a.key: a.slot for a in result.assignments}
        assert result.objective == placement.cost(problem, placed)
