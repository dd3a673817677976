"""The public agenda, the editor, the exports and the programme use as many queries at 150 sessions as at 15."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import event, insert, select

from conference.accounts.models import User
from conference.agenda.models import AgendaSession, SessionPerson
from conference.agenda.versions import publish_agenda
from conference.extensions import db
from conference.registration.models import Delegate
from tests.conftest import login, password_hash

PAGES = ["/doha/agenda", "/doha/agenda.ics", "/doha/schedule.xml", "/doha/schedule.json", "/doha/agenda.pdf?lang=ar",
         "/doha/speakers", "/doha/manage/agenda", "/doha/me/agenda", "/doha/manage/agenda/publish"]


def fill(conference, rooms, sessions: int, speakers: int) -> None:
    """`sessions` sessions of 15 minutes over both days and every room, two of `speakers` people on each."""
    now = datetime.now(timezone.utc)
    db.session.execute(insert(User), [{"email": f"spk{n}@example.org", "password_hash": password_hash(),
                                       "display_name": f"Speaker {n}", "created_at": now} for n in range(speakers)])
    user_ids = db.session.scalars(select(User.id).where(User.email.like("spk%@example.org")).order_by(User.id)).all()
    db.session.execute(insert(Delegate), [
        {"conference_id": conference.id, "user_id": uid, "email": f"spk{n}@example.org", "name": f"Speaker {n}",
         "name_ar": f"متحدث {n}", "country": "QA", "status": "approved", "code": f"QA-{n:05d}",
         "badge_token": f"{n:039d}", "consent_privacy": True, "created_at": now, "updated_at": now}
        for n, uid in enumerate(user_ids)])
    delegate_ids = db.session.scalars(select(Delegate.id).where(Delegate.conference_id == conference.id)
                                      .order_by(Delegate.id)).all()
    slots_per_room = -(-sessions // (len(conference.days) * len(rooms)))
    for n in range(sessions):
        day = conference.days[n % len(conference.days)]
        room = rooms[(n // len(conference.days)) % len(rooms)]
        slot = n // (len(conference.days) * len(rooms))
        start = datetime.combine(day, datetime.min.time(), tzinfo=conference.tz) + timedelta(hours=8, minutes=15 * slot)
        session = AgendaSession(conference_id=conference.id, title_en=f"Session {n}", title_ar=f"جلسة {n}",
                                starts_at=start, ends_at=start + timedelta(minutes=15), room_id=room.id,
                                duration_minutes=15, chair_id=delegate_ids[(2 * n + 2) % len(delegate_ids)])
        session.people = [SessionPerson(delegate_id=delegate_ids[(2 * n + k) % len(delegate_ids)], position=k)
                          for k in range(2)]
        db.session.add(session)
    assert slots_per_room * 15 < 10 * 60
    db.session.flush()
    publish_agenda(conference, None, warnings_seen=True)
    db.session.commit()


def count_queries(client, path: str) -> int:
    statements = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        response = client.get(path)
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert response.status_code == 200, path
    return len(statements)


@pytest.fixture
def measure(app, people, venue):
    """Queries per page for an agenda of a given size (a fresh database each time)."""

    def run(sessions: int) -> dict[str, int]:
        fill(venue["conference"], venue["rooms"], sessions, 300)
        client = app.test_client()
        login(client, people["organizer"])
        for path in PAGES:  # warm up: the first request loads what every request shares
            client.get(path)
        return {path: count_queries(client, path) for path in PAGES}

    return run


def test_query_counts_do_not_depend_on_the_number_of_sessions(measure, venue):
    small = measure(15)
    db.session.execute(AgendaSession.__table__.delete())
    from conference.agenda.models import AgendaVersion

    db.session.execute(AgendaVersion.__table__.delete())
    db.session.execute(Delegate.__table__.delete())
    db.session.execute(User.__table__.delete().where(User.email.like("spk%@example.org")))
    db.session.commit()
    large = measure(150)
    assert large == small
