"""The placement assistant's solver: plain data in, a proposed day, start and room per session out (OR-Tools CP-SAT).

No Flask and no database here: conference/agenda/assistant.py turns the working copy into a `Problem` and a
`Result` back into edits. Times are minutes after local midnight of a conference day; the model counts in
5-minute slots, so every start and end is on the editor's grid.

    problem.py    the plain data in and out (Problem, Session, Room, Day, Slot; Result, Assignment, Reason)
    prechecks.py  where each session may start, and what cannot work, in an organizer's terms (`Reason` codes)
    score.py      the preferences, defined once: their weights and how a placement keeps them
    model.py      the CP-SAT model: the hard constraints, and a penalty per unit of a broken preference
    solver.py     a session-by-session placement first, then the solver within the time limit

Hard constraints: inside each day's programme hours and each room's hours; one session at a time per room, and
none beside a session for everyone (breaks, ceremonies, a keynote: `Session.everyone`); one session at a time
per person (speaker, moderator, chair), with the change-over buffer after each; speakers inside the times they
gave; the room at least as large as the expected audience; fixed sessions (pinned, breaks and ceremonies already
on the grid, and, unless asked, every placed session) stay where they are.

Objective, lexicographic by weight: first place as many sessions as possible (placing one more outweighs every
preference together), then keep the preferences of score.py, each unit of breaking one costing its weight:

    track_parallel   60  two sessions of one track at the same time
    track_room       30  each room beyond the first that a track uses in one half-day (before or after 12:30)
    plenary_room    120  a plenary outside the largest room
    plenary_alone    90  a session in parallel with a plenary
    booths          150  an interpreted session in a room without interpretation booths
    balance           1  per 5 minutes by which the fullest day exceeds the emptiest by more than the longest
                         session placed
    quarter_hour      3  a start off the quarter hour (every start is on the 5-minute grid: that one is hard)
    stay              5  a placed session moved (only when the organizer lets placed sessions move; the preview
                         lists the moves, and the share of preferences kept leaves them out)
"""
from __future__ import annotations

from .prechecks import pre_check
from .problem import Assignment, Day, Problem, Reason, Result, Room, Session, Slot
from .score import PREFERENCES, cost, preferences_kept
from .solver import first_fit, solve

__all__ = ["PREFERENCES", "Assignment", "Day", "Problem", "Reason", "Result", "Room", "Session", "Slot", "cost",
           "first_fit", "pre_check", "preferences_kept", "solve"]
