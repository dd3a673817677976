"""The placement assistant on the demo and on a synthetic 150-session, 8-room conference.

Run: .venv/bin/python benchmarks/placement.py [--time-limit 10] [--sessions 150] [--rooms 8] [--days 3]
Each case is seeded into a fresh SQLite file; the assistant proposes a placement (CP-SAT, 2 workers, the time
limit), every item is accepted through the hand edit's path, and the agenda's own checks (agenda_warnings) count
the hard conflicts left: rooms or people double-booked, change-over too short, rooms too small, speakers outside
their times. It prints the objective (the preferences' weighted cost), the solver's time, the conflicts and the
share of preferences kept; it asserts nothing.
"""
from __future__ import annotations

import argparse
import logging
import random
import sys
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from conference import create_app  # noqa: E402
from conference.accounts.models import User  # noqa: E402
from conference.agenda.assistant import accept_placement, parse_item, propose_placement  # noqa: E402
from conference.agenda.checks import agenda_warnings  # noqa: E402
from conference.agenda.models import AgendaSession, SessionKind, SessionPerson  # noqa: E402
from conference.agenda.services import SessionData, create_session, working_sessions  # noqa: E402
from conference.events.models import Conference  # noqa: E402
from conference.events.services import add_room, add_track  # noqa: E402
from conference.extensions import db  # noqa: E402
from conference.registration.models import Delegate, DelegateStatus  # noqa: E402
from conference.seed import DEMO_SLUG, seed_demo  # noqa: E402
from conference.submissions.models import SpeakerAvailability  # noqa: E402

SECRET = "benchmark-" + "x" * 32


def fresh_app():
    """The application on an empty SQLite file of its own."""
    folder = tempfile.mkdtemp(prefix="placement-bench-")
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.db", "SECRET_KEY": SECRET})
    with app.app_context():
        db.create_all()
    return app


# Each synthetic day's sessions for everyone, from the morning coffee to the day's closing.
DAY_SHAPE = (("Morning coffee", "08:30", "09:00", "break"), ("Coffee", "10:30", "11:00", "break"),
             ("Lunch", "12:30", "13:30", "break"), ("Coffee", "15:00", "15:30", "break"),
             ("Closing", "17:30", "18:00", "ceremony"))


def synthetic(sessions: int, rooms: int, days: int, seed: int = 7) -> Conference:
    """A conference with `rooms` rooms, `days` days of fixed breaks and closings, and `sessions` sessions to place."""
    rnd = random.Random(seed)
    start = datetime.now(timezone.utc).date() + timedelta(days=60)
    conference = Conference(slug="synthetic", name_en="Synthetic", name_ar="تجريبي", timezone="Asia/Qatar",
                            country="QA", start_date=start, end_date=start + timedelta(days=days - 1),
                            changeover_minutes=10)
    db.session.add(conference)
    db.session.flush()
    capacities = [500] + [200] * 2 + [100] * (rooms - 3)
    room_rows = [add_room(conference, f"Room {n + 1}", f"القاعة {n + 1}", capacities[n % len(capacities)])
                 for n in range(rooms)]
    for room in room_rows[:3]:
        room.interpretation_booths = True
    tracks = [add_track(conference, f"Track {n + 1}", f"المسار {n + 1}") for n in range(6)]
    db.session.flush()
    people = []
    for n in range(int(sessions * 1.5)):
        user = User(email=f"speaker{n}@example.org", password_hash="-", display_name=f"Speaker {n}")
        db.session.add(user)
        db.session.flush()
        people.append(Delegate(conference_id=conference.id, user_id=user.id, email=user.email, name=f"Speaker {n}",
                               country="QA", status=DelegateStatus.APPROVED, code=f"QA-{n:04d}",
                               badge_token=f"{n:039d}", consent_privacy=True))
    db.session.add_all(people)
    db.session.flush()
    for person in rnd.sample(people, len(people) // 10):  # one in ten gives times: one day, from 09:00 or 13:00
        day = conference.days[rnd.randrange(days)]
        hour = rnd.choice((9, 13))
        db.session.add(SpeakerAvailability(
            conference_id=conference.id, user_id=person.user_id,
            starts_at=datetime.combine(day, datetime.min.time(), tzinfo=conference.tz) + timedelta(hours=hour),
            ends_at=datetime.combine(day, datetime.min.time(), tzinfo=conference.tz) + timedelta(hours=hour + 4)))
    for day in conference.days:
        for title, begin, end, kind in DAY_SHAPE:
            create_session(conference, SessionData(title_en=title, kind=kind, day=day, room_id=room_rows[0].id,
                                                   start=datetime.strptime(begin, "%H:%M").time(),
                                                   end=datetime.strptime(end, "%H:%M").time()))
    kinds = [SessionKind.TALK] * 6 + [SessionKind.PANEL] * 3 + [SessionKind.WORKSHOP] * 2 + [SessionKind.PLENARY]
    for n in range(sessions):
        kind = rnd.choice(kinds)
        minutes = {SessionKind.TALK: rnd.choice((30, 45, 60)), SessionKind.PANEL: 60, SessionKind.WORKSHOP: 90,
                   SessionKind.PLENARY: 60}[kind]
        session = AgendaSession(conference_id=conference.id, title_en=f"Session {n + 1}", kind=kind,
                                duration_minutes=minutes, track_id=rnd.choice(tracks).id,
                                language=rnd.choice(("ar", "en", "both")), expected_audience=rnd.choice((40, 80, 150)))
        session.interpretation = "both" if session.language == "both" else ""
        speakers = rnd.sample(people, 3 if kind == SessionKind.PANEL else 1)
        session.people = [SessionPerson(delegate_id=p.id, position=i) for i, p in enumerate(speakers)]
        db.session.add(session)
    db.session.commit()
    return conference


def run(label: str, conference: Conference, time_limit: float, move_placed: bool) -> None:
    """Propose, accept everything through the hand edit's path, and count what the agenda's checks still find."""
    before = {(w.kind, w.session_ids) for w in agenda_warnings(conference, working_sessions(conference))}
    began = time.monotonic()
    proposal = propose_placement(conference, move_placed, time_limit)
    wall = time.monotonic() - began
    result = proposal.result
    movable = sum(1 for s in proposal.problem_sessions if not s.fixed)
    outcome = accept_placement(conference, [parse_item(item.token) for item in proposal.items], "benchmark")
    db.session.commit()
    after = agenda_warnings(conference, working_sessions(conference))
    new = [w for w in after if (w.kind, w.session_ids) not in before]
    print(f"{label}: {movable} sessions to place, {len(conference.rooms)} rooms, {len(conference.days)} days")
    print(f"  solver {result.status} in {result.seconds:.2f} s (request {wall:.2f} s, limit {time_limit:g} s, "
          f"2 workers); objective {result.objective}")
    print(f"  placed or moved {len(proposal.items)}, kept in place {proposal.unchanged}, left out "
          f"{len(proposal.left_out)}; accepted {outcome.applied}, refused {len(outcome.refused)}")
    print(f"  hard conflicts by the agenda's checks: {len(new)} new, {len(after)} in all "
          f"({len(before)} before)")
    details = ", ".join(f"{name} {kept}/{counted}" for name, (kept, counted) in sorted(result.preferences.items()))
    print(f"  preferences kept: {result.preferences_met:.1%} ({details})")
    for reason in proposal.left_out[:5]:
        print(f"  left out: {reason}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=10.0)
    parser.add_argument("--sessions", type=int, default=150)
    parser.add_argument("--rooms", type=int, default=8)
    parser.add_argument("--days", type=int, default=3)
    args = parser.parse_args()
    logging.getLogger("conference.agenda.placement").setLevel(logging.WARNING)  # one line per item is noise here
    app = fresh_app()
    with app.app_context(), app.test_request_context():
        seed_demo(date.today())
        demo = db.session.query(Conference).filter_by(slug=DEMO_SLUG).one()
        run("demo, placed sessions may move", demo, args.time_limit, move_placed=True)
    app = fresh_app()
    with app.app_context(), app.test_request_context():
        conference = synthetic(args.sessions, args.rooms, args.days)
        run("synthetic", conference, args.time_limit, move_placed=False)


if __name__ == "__main__":
    main()
