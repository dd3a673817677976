"""The placement assistant on the working copy: the solver's problem from the database, its proposal, accepting it.

placement/ solves; this module reads the working copy into its plain data, explains the result in the
organizer's words, and applies the items an organizer accepts through the hand edit's own functions and checks.
"""
from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..accounts.models import User
from ..core.i18n import localized
from ..core.params import parse_date, parse_id
from ..core.requestlog import ID_FILTER
from ..core.text import isolate
from ..events.models import Conference, Room
from ..extensions import db
from ..registration.models import Delegate
from ..submissions.models import Proposal, SpeakerAvailability
from . import placement
from .checks import AgendaError, agenda_warnings
from .days import programme_windows
from .grid import day_grid
from .history import NOT_PLACED, from_to, record_change, where
from .models import EVERYONE_KINDS, SPEAKER, AgendaSession, ChangeAction, SessionKind
from .services import (
    kind_of,
    local_moment,
    place_session,
    proposals_to_schedule,
    schedule_proposal,
    unplace_session,
    working_sessions,
)

# Every accepted item is written to the log with the request id, beside the request's own line (as hand edits).
audit = logging.getLogger("conference.agenda.placement")
audit.addFilter(ID_FILTER)
audit.setLevel(logging.INFO)

def _minutes(clock: time) -> int:
    return clock.hour * 60 + clock.minute


def _person(delegate: Delegate) -> str:
    """A person's key: the account when there is one (availability is given per account), else the registration."""
    return f"u{delegate.user_id}" if delegate.user_id else f"d{delegate.id}"


def _slot(conference: Conference, session: AgendaSession) -> placement.Slot | None:
    """Where a placed session is, as the solver counts (None when off the grid or outside the conference's days)."""
    if not session.placed:
        return None
    local = session.starts_at.astimezone(conference.tz)
    if local.date() not in conference.days:
        return None
    return placement.Slot(conference.days.index(local.date()), _minutes(local.time()), session.room_id)


@dataclass
class Subjects:
    """What the solver's keys stand for: sessions of the working copy, confirmed proposals, people's names."""

    sessions: dict[str, AgendaSession] = field(default_factory=dict)
    proposals: dict[str, Proposal] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)

    def title(self, key: str) -> str:
        if key in self.sessions:
            return localized(self.sessions[key], "title")
        return self.proposals[key].title if key in self.proposals else key


def placement_problem(conference: Conference, move_placed: bool = False,
                      time_limit: float = 10.0) -> tuple[placement.Problem, Subjects]:
    """The working copy as the solver's problem: what to place, what stays, rooms, days and availability."""
    subjects = Subjects()
    items: list[placement.Session] = []
    sessions = working_sessions(conference)
    for session in sessions:
        key = f"s{session.id}"
        subjects.sessions[key] = session
        people = [p.delegate for p in session.people] + ([session.chair] if session.chair else [])
        for delegate in people:
            subjects.names[_person(delegate)] = delegate.name
        current = _slot(conference, session)
        if session.placed and current is None:
            continue  # outside the conference's days: neither placed by nor blocking the assistant
        fixed = current is not None and (session.pinned or session.kind in EVERYONE_KINDS or not move_placed)
        duration = (int((session.ends_at - session.starts_at).total_seconds() // 60) if session.placed
                    else session.duration_minutes)
        items.append(placement.Session(
            key=key, duration=duration, people=tuple(dict.fromkeys(_person(d) for d in people)),
            speakers=tuple(dict.fromkeys(_person(p.delegate) for p in session.people if p.role == SPEAKER)),
            audience=session.expected_audience, track=session.track_id, kind=session.kind.value,
            interpreted=bool(session.interpretation), current=current, fixed=fixed,
            everyone=session.holds_every_room))
    for proposal in proposals_to_schedule(conference):
        key = f"p{proposal.id}"
        subjects.proposals[key] = proposal
        speakers = []
        for speaker in proposal.speakers:
            if speaker.user is not None:
                speakers.append(f"u{speaker.user_id}")
                subjects.names[f"u{speaker.user_id}"] = speaker.user.display_name or speaker.email
        speakers = list(dict.fromkeys(speakers))
        items.append(placement.Session(
            key=key, duration=max(proposal.duration_minutes or 30, 5), people=tuple(speakers),
            speakers=tuple(speakers), track=proposal.track_id, kind=kind_of(proposal).value,
            interpreted=proposal.language == "both"))
    rooms = [placement.Room(id=room.id, capacity=room.capacity, booths=room.interpretation_booths,
                            opens=_minutes(room.opens_at) if room.opens_at else None,
                            closes=_minutes(room.closes_at) if room.closes_at else None)
             for room in conference.rooms]
    windows = programme_windows(conference, sessions)
    days = [placement.Day(index, _minutes(windows[day].starts),
                          _minutes(windows[day].ends) if windows[day].ends > windows[day].starts else 24 * 60)
            for index, day in enumerate(conference.days)]
    people = {person for item in items for person in item.speakers}
    problem = placement.Problem(
        sessions=items, rooms=rooms, days=days, availability=_availability(conference, people),
        buffer=conference.changeover_minutes or 0, time_limit=time_limit)
    return problem, subjects


def _availability(conference: Conference, people: set[str]) -> dict[str, list[tuple[int, int, int]]]:
    """Each speaker's windows cut into conference days, in local minutes (no rows: not in the result)."""
    users = {int(person[1:]): person for person in people if person.startswith("u")}
    windows: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
    if not users:
        return windows
    rows = db.session.scalars(select(SpeakerAvailability).where(
        SpeakerAvailability.conference_id == conference.id, SpeakerAvailability.user_id.in_(users)))
    for row in rows:
        person = users[row.user_id]
        windows.setdefault(person, [])  # a person who gave times is bound by them, even when none is on a day
        for index, day in enumerate(conference.days):
            midnight = datetime.combine(day, time(0), tzinfo=conference.tz)
            start = max(row.starts_at.astimezone(conference.tz), midnight)
            end = min(row.ends_at.astimezone(conference.tz), midnight + timedelta(days=1))
            if end > start:
                windows[person].append((index, int((start - midnight).total_seconds() // 60),
                                        int((end - midnight).total_seconds() // 60)))
    return dict(windows)


def explain(reason: placement.Reason, subjects: Subjects, conference: Conference) -> str:
    """A reason from the solver in the organizer's words."""
    code, values = reason.code, dict(reason.values)
    title = isolate(subjects.title(reason.session)) if reason.session else ""
    name = isolate(subjects.names.get(values.get("person") or "", values.get("person") or ""))
    if code == "no_rooms":
        return str(_l("The conference has no rooms yet: add rooms before placing sessions."))
    if code == "no_days":
        return str(_l("The conference has no days to place sessions on."))
    if code == "off_grid":
        return str(_l("“%(session)s” lasts %(duration)s minutes, which is not a multiple of %(step)s; change its "
                      "duration.", session=title, duration=values["duration"], step=values["step"]))
    if code == "audience":
        return str(_l("“%(session)s” expects %(audience)s people; the largest room holds %(largest)s.",
                      session=title, audience=values["audience"], largest=values["largest"]))
    if code == "too_long":
        return str(_l("“%(session)s” lasts %(duration)s minutes; no room is open that long on any day (at most "
                      "%(longest)s minutes).", session=title, duration=values["duration"], longest=values["longest"]))
    if code == "no_window":
        return str(_l("The speakers of “%(session)s” have no common available time long enough for it.",
                      session=title))
    if code == "no_free_slot":
        return str(_l("Every room and time that fits “%(session)s” is taken by sessions that stay where they are.",
                      session=title))
    if code == "availability" and reason.session:
        return str(_l("“%(session)s” was left out: %(name)s is available for less time than their sessions need.",
                      session=title, name=name))
    if code == "availability":
        return str(_l("%(name)s is available for %(available)s minutes, but their sessions need %(needed)s minutes.",
                      name=name, available=values["available"], needed=values["needed"]))
    if code == "room_time":
        return str(_l("The sessions need %(needed)s minutes of room time; the rooms have %(free)s minutes free.",
                      needed=values["needed"], free=values["free"]))
    if code == "track_time":
        track = next((t for t in conference.tracks if t.id == values["track"]), None)
        return str(_l("The track %(track)s has %(needed)s minutes of sessions, but the days hold %(available)s: "
                      "some of them will run in parallel.", track=isolate(localized(track, "name") if track else "?"),
                      needed=values["needed"], available=values["available"]))
    if code == "time_limit":
        return str(_l("The time ran out before a place was found for “%(session)s”; try again, or run the "
                      "place-sessions command.", session=title))
    return str(_l("No room and time without a clash was left for “%(session)s”.", session=title))


@dataclass(frozen=True)
class Item:
    """One proposed placement as the preview shows it and the accept form sends it back."""

    key: str
    title: str
    kind: str
    room: Room
    day: date
    start: time
    end: time
    previous_room: Room | None = None
    previous_day: date | None = None
    previous_start: time | None = None
    # The same places as instants, for the page's clock format (the page language's digits, as the editor grid).
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    previous_starts_at: datetime | None = None

    @property
    def is_new(self) -> bool:
        return self.previous_room is None

    @property
    def token(self) -> str:
        """The item as the form posts it: key, room, day, start, and where it was (so a stale item is seen)."""
        before = (f"{self.previous_room.id}|{self.previous_day.isoformat()}|{self.previous_start:%H:%M}"
                  if self.previous_room else "-")
        return f"{self.key}|{self.room.id}|{self.day.isoformat()}|{self.start:%H:%M}|{before}"


@dataclass
class PlacementProposal:
    """The assistant's proposal for the preview: items (new and moving), what was left out, notes, measures."""

    items: list[Item]
    left_out: list[str]
    notes: list[str]
    result: placement.Result
    problem_sessions: list[placement.Session] = field(default_factory=list)
    unchanged: int = 0  # placed sessions the solver could move but left where they are


def propose_placement(conference: Conference, move_placed: bool = False, time_limit: float = 10.0) -> PlacementProposal:
    """Run the solver on the working copy and describe its answer (nothing is changed)."""
    problem, subjects = placement_problem(conference, move_placed, time_limit)
    result = placement.solve(problem)
    rooms = {room.id: room for room in conference.rooms}
    kinds = {s.key: s.kind for s in problem.sessions}
    durations = {s.key: s.duration for s in problem.sessions}
    items, unchanged = [], 0
    for assignment in result.assignments:
        if assignment.previous == assignment.slot:
            unchanged += 1
            continue
        day = conference.days[assignment.slot.day]
        start = time(assignment.slot.start // 60, assignment.slot.start % 60)
        end_minute = assignment.slot.start + durations[assignment.key]
        end = time(end_minute // 60, end_minute % 60) if end_minute < 24 * 60 else time(0)
        before = assignment.previous
        starts_at = local_moment(conference, day, start)
        previous_day = conference.days[before.day] if before else None
        previous_start = time(before.start // 60, before.start % 60) if before else None
        items.append(Item(
            key=assignment.key, title=subjects.title(assignment.key),
            kind=str(SessionKind(kinds[assignment.key]).title),
            room=rooms[assignment.slot.room], day=day, start=start, end=end,
            previous_room=rooms.get(before.room) if before else None,
            previous_day=previous_day, previous_start=previous_start, starts_at=starts_at,
            ends_at=starts_at + timedelta(minutes=durations[assignment.key]),
            previous_starts_at=local_moment(conference, previous_day, previous_start) if before else None))
    items.sort(key=lambda i: (i.day, i.start, i.room.position, i.key))
    return PlacementProposal(items=items, left_out=[explain(r, subjects, conference) for r in result.left_out],
                    notes=[explain(r, subjects, conference) for r in result.notes], result=result,
                    problem_sessions=problem.sessions, unchanged=unchanged)


@dataclass(frozen=True)
class Chosen:
    """An item as posted back: what to place where, and where it was when it was proposed."""

    key: str
    room_id: int
    day: date
    start: time
    previous: tuple[int, date, time] | None


def parse_item(value: str) -> Chosen | None:
    """An item token from the form (None when it cannot be read: ids are checked as every id from a form is)."""
    parts = (value or "").split("|")
    try:
        key, room, day, start = parts[0], parse_id(parts[1]), parse_date(parts[2]), time.fromisoformat(parts[3])
        if len(key) < 2 or key[0] not in "sp" or parse_id(key[1:]) is None or room is None or day is None:
            return None
        if parts[4:] == ["-"]:
            previous = None
        elif len(parts) == 7 and parse_id(parts[4]) is not None and parse_date(parts[5]) is not None:
            previous = (parse_id(parts[4]), parse_date(parts[5]), time.fromisoformat(parts[6]))
        else:
            return None
    except (IndexError, ValueError):
        return None
    return Chosen(key, room, day, start, previous)


@dataclass
class Outcome:
    """What accepting did: the items applied and, for each one refused, why."""

    applied: int = 0
    refused: list[str] = field(default_factory=list)


def _where(conference: Conference, session: AgendaSession) -> tuple[int, date, time] | None:
    if not session.placed:
        return None
    local = session.starts_at.astimezone(conference.tz)
    return session.room_id, local.date(), local.time().replace(second=0, microsecond=0)


def _clashes(conference: Conference) -> set[tuple[str, tuple[int, ...]]]:
    return {(w.kind, w.session_ids) for w in agenda_warnings(conference, working_sessions(conference))}


def accept_placement(conference: Conference, chosen: list[Chosen], actor_name: str = "",
                     actor: User | None = None) -> Outcome:
    """Apply the accepted items to the working copy through the hand edit's functions; refuse stale or clashing ones.

    Sessions that move are first taken off the grid, so that two of them may swap places. When a move is refused,
    another accepted item may have taken the place it was to return to: then nothing is changed at all (the
    organizer is told why, and proposes again). Each item applied is one row of the agenda's history, as the
    assistant's.
    """
    outcome = Outcome()
    everything = db.session.begin_nested()
    before = _clashes(conference)
    moving: list[tuple[Chosen, AgendaSession]] = []
    ready: list[tuple[Chosen, AgendaSession | None]] = []
    for item in dict((c.key, c) for c in chosen).values():
        if item.key.startswith("s"):
            session = AgendaSession.get_for(conference, int(item.key[1:]))
            if session is None:
                outcome.refused.append(str(_l("A session of the proposal no longer exists.")))
                continue
            if _where(conference, session) != item.previous or (session.pinned and session.placed):
                outcome.refused.append(str(_l("“%(session)s” has changed since the proposal was made; it was left "
                                              "as it is.", session=isolate(localized(session, "title")))))
                continue
            if session.placed:
                moving.append((item, session))
            ready.append((item, session))
        else:
            ready.append((item, None))
    was = {id(session): where(conference, session) for _, session in moving}
    for _, session in moving:
        unplace_session(conference, session, record=False)
    applied, moves_refused = [], False
    for item, session in ready:
        refusal = _apply(conference, item, session, before, was.get(id(session), NOT_PLACED), actor)
        if refusal is None:
            applied.append(item)
        else:
            outcome.refused.append(refusal)
            moves_refused = moves_refused or (session is not None and item.previous is not None)
    if moves_refused:
        everything.rollback()
        outcome.refused.insert(0, str(_l("A session that was to move could not move, so nothing was changed: "
                                         "propose a placement again.")))
        return outcome
    everything.commit()
    outcome.applied = len(applied)
    for item in applied:
        audit.info("placement accepted by %s in %s: %s to room %s, %s %s", actor_name or "-", conference.slug,
                   item.key, item.room_id, item.day.isoformat(), item.start.strftime("%H:%M"))
    return outcome


def _apply(conference: Conference, item: Chosen, session: AgendaSession | None,
           before: set[tuple[str, tuple[int, ...]]], was: str, actor: User | None) -> str | None:
    """Apply one item inside a savepoint and record it; the refusal's message when it fails a check or adds a clash."""
    savepoint = db.session.begin_nested()
    try:
        if session is None:
            session = schedule_proposal(conference, int(item.key[1:]), item.room_id, item.day, item.start,
                                        record=False)
        else:
            place_session(conference, session, item.room_id, item.day, item.start, record=False)
    except AgendaError as error:
        savepoint.rollback()
        return str(error)
    title = localized(session, "title")
    added = [w for w in agenda_warnings(conference, working_sessions(conference))
             if session.id in w.session_ids and (w.kind, w.session_ids) not in before]
    if added:
        savepoint.rollback()
        return str(_l("“%(session)s” was not placed: %(warning)s", session=isolate(title), warning=added[0].message))
    savepoint.commit()
    record_change(conference, ChangeAction.ASSISTANT, session, actor, from_to(was, where(conference, session)))
    return None


@dataclass(frozen=True)
class PreviewCell:
    """A session on the preview grid: where it would be, and whether it is new there, moves there or stays."""

    title: str
    kind: str
    state: str  # new, moved, stays
    starts_at: datetime
    ends_at: datetime
    room_id: int
    token: str = ""


def preview_grids(conference: Conference, proposal: PlacementProposal) -> list:
    """One editor grid per day of the working copy as it would be with every item of the proposal accepted."""
    moved = {item.key for item in proposal.items}
    cells = [PreviewCell(localized(s, "title"), s.kind.value, "stays", s.starts_at, s.ends_at, s.room_id)
             for s in working_sessions(conference) if s.placed and f"s{s.id}" not in moved]
    for item in proposal.items:
        starts_at = local_moment(conference, item.day, item.start)
        duration = next(s.duration for s in proposal.problem_sessions if s.key == item.key)
        cells.append(PreviewCell(item.title, "", "new" if item.is_new else "moved", starts_at,
                                 starts_at + timedelta(minutes=duration), item.room.id, item.token))
    return [day_grid(conference, day, conference.rooms, cells, lambda c: (c.starts_at, c.ends_at),
                     lambda c: c.room_id) for day in conference.days]
