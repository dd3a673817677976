"""Scanning at a room's door: attendance per session, room-only scanning, occupancy, the CSV, the delegate page,
the venue screen and the backup."""
from __future__ import annotations

import csv
import io
import json
from datetime import datetime, time, timedelta, timezone

import pytest
from sqlalchemy import event, func, insert, select

from conference import create_app
from conference.accounts.models import User
from conference.agenda.models import AgendaSession, SessionKind
from conference.agenda.versions import publish_agenda
from conference.backup import export_conference, import_conference
from conference.checkin.devices import issue_device_token
from conference.checkin.models import CheckIn, ScanLog, SessionAttendance
from conference.checkin.occupancy import room_occupancy, sessions_of_day
from conference.checkin.rooms import running_session, scan_in_room
from conference.checkin.services import ScanRefused
from conference.events.models import Room
from conference.extensions import db
from conference.registration.models import Delegate
from tests.conftest import app_config, login, new_database, password_hash

NOW = datetime.now(timezone.utc).replace(microsecond=0)


@pytest.fixture(autouse=True)
def _now():
    """NOW is each test's own moment, not the file's import: a run that crosses midnight at the venue stays right."""
    global NOW
    NOW = datetime.now(timezone.utc).replace(microsecond=0)


@pytest.fixture
def hall(today_conference):
    """Main Hall (40 seats) with a session running now, and a second room with nothing now."""
    hall = Room(conference_id=today_conference.id, name_en="Main Hall", name_ar="القاعة الرئيسية", capacity=40)
    side = Room(conference_id=today_conference.id, name_en="Side Room", name_ar="القاعة الجانبية", capacity=2,
                position=1)
    db.session.add_all([hall, side])
    db.session.flush()
    # Begun half an hour ago, but never before midnight at the venue: it is one of today's sessions.
    midnight = datetime.combine(today_conference.local_date(NOW), time(), tzinfo=today_conference.tz)
    session = AgendaSession(conference_id=today_conference.id, title_en="Opening plenary", title_ar="الجلسة الافتتاحية",
                            room_id=hall.id, starts_at=max(NOW - timedelta(minutes=30), midnight),
                            ends_at=NOW + timedelta(minutes=30))
    db.session.add(session)
    db.session.commit()
    return {"conference": today_conference, "hall": hall, "side": side, "session": session}


def admitted(conference, delegate, at=None):
    # Admitted for today at the venue, even "an hour ago" when that was just before midnight there.
    db.session.add(CheckIn(conference_id=conference.id, delegate_id=delegate.id,
                           day=conference.local_date(NOW), at=at or NOW, gate="Main"))
    db.session.commit()


def test_a_scan_at_the_room_records_the_running_session(hall, make_delegate):
    conference = hall["conference"]
    delegate = make_delegate(conference)
    admitted(conference, delegate)
    result = scan_in_room(conference, hall["hall"].id, delegate.badge_token, nonce="r1")
    assert result.status == "ok" and result.answer["session"]["id"] == hall["session"].id
    [row] = db.session.scalars(select(SessionAttendance)).all()
    assert (row.delegate_id, row.session_id, row.room_id) == (delegate.id, hall["session"].id, hall["hall"].id)
    log = db.session.scalar(select(ScanLog).where(ScanLog.nonce == "r1"))
    assert (log.room_id, log.session_id, log.checkin_id) == (hall["hall"].id, hall["session"].id, None)
    again = scan_in_room(conference, hall["hall"].id, delegate.code, nonce="r2")
    assert again.reason == "already_checked_in"
    assert db.session.scalar(select(func.count()).select_from(SessionAttendance)) == 1
    # The same request retried gets the first answer, and writes nothing more.
    assert scan_in_room(conference, hall["hall"].id, delegate.badge_token, nonce="r1").replayed


def test_refused_when_not_admitted_unless_room_only_scanning(hall, make_delegate):
    conference = hall["conference"]
    delegate = make_delegate(conference)
    assert scan_in_room(conference, hall["hall"].id, delegate.badge_token).reason == "not_admitted"
    assert db.session.scalar(select(func.count()).select_from(SessionAttendance)) == 0
    conference.allow_room_only_scanning = True
    db.session.commit()
    assert scan_in_room(conference, hall["hall"].id, delegate.badge_token).status == "ok"


def test_nothing_running_in_the_room(hall, make_delegate):
    conference = hall["conference"]
    delegate = make_delegate(conference)
    admitted(conference, delegate)
    assert scan_in_room(conference, hall["side"].id, delegate.badge_token).reason == "no_session"
    assert db.session.scalar(select(func.count()).select_from(SessionAttendance)) == 0


def test_a_session_starting_within_15_minutes_or_for_everyone(hall):
    conference, side = hall["conference"], hall["side"]
    soon = AgendaSession(conference_id=conference.id, title_en="Workshop", room_id=side.id,
                         starts_at=NOW + timedelta(minutes=14), ends_at=NOW + timedelta(minutes=60))
    later = AgendaSession(conference_id=conference.id, title_en="Later", room_id=side.id,
                          starts_at=NOW + timedelta(minutes=16), ends_at=NOW + timedelta(minutes=60))
    db.session.add_all([soon, later])
    db.session.commit()
    assert running_session(conference.id, side.id, NOW) == soon
    db.session.delete(soon)
    coffee = AgendaSession(conference_id=conference.id, title_en="Coffee", kind=SessionKind.BREAK,
                           room_id=hall["hall"].id, starts_at=NOW - timedelta(minutes=5), ends_at=NOW + timedelta(5))
    db.session.add(coffee)
    db.session.commit()
    assert running_session(conference.id, side.id, NOW) == coffee  # a break holds every room
    assert running_session(conference.id, hall["hall"].id, NOW) == hall["session"]  # the room's own comes first


def test_a_room_of_another_conference_is_refused_and_nothing_written(hall, make_conference, make_delegate):
    conference = hall["conference"]
    other = make_conference("elsewhere")
    theirs = Room(conference_id=other.id, name_en="Their Hall")
    db.session.add(theirs)
    db.session.commit()
    delegate = make_delegate(conference)
    admitted(conference, delegate)
    for room in (theirs.id, 2**40, "1", None, True):
        with pytest.raises(ScanRefused):
            scan_in_room(conference, room, delegate.badge_token)
    assert db.session.scalar(select(func.count()).select_from(ScanLog)) == 0


def test_an_offline_room_scan_synced_late_keeps_the_earlier_time(hall, make_delegate):
    conference = hall["conference"]
    delegate = make_delegate(conference)
    admitted(conference, delegate, NOW - timedelta(hours=1))
    live = scan_in_room(conference, hall["hall"].id, delegate.badge_token, nonce="live")
    assert live.status == "ok"
    earlier = NOW - timedelta(minutes=10)
    synced = scan_in_room(conference, hall["hall"].id, delegate.badge_token, nonce="queued", scanned_at=earlier,
                          offline_verdict="ok")
    assert synced.reason == "already_checked_in"
    assert db.session.scalar(select(SessionAttendance.at)) == earlier


# ---- through HTTP: the scanner page's door token, a device bound to a room ----

def test_room_scans_through_the_api(app, hall, make_delegate, scanner):
    conference = hall["conference"]
    delegate = make_delegate(conference)
    admitted(conference, delegate)
    response = scanner(delegate.badge_token, room=hall["hall"].id)
    assert response.status_code == 200 and response.get_json()["status"] == "ok"
    assert scanner(delegate.badge_token, room=hall["hall"].id).get_json()["reason"] == "already_checked_in"
    # Offline, queued: its own time, then synced.
    other = make_delegate(conference, name="Aisha")
    admitted(conference, other)
    queued = scanner(other.badge_token, room=hall["hall"].id, scanned_at=(NOW - timedelta(minutes=2)).isoformat(),
                     offline_verdict="ok")
    assert queued.get_json()["status"] == "ok"
    assert db.session.scalar(select(func.count()).select_from(SessionAttendance)) == 2


@pytest.mark.parametrize("room", ["1", 1.5, True, [1], {"id": 1}])
def test_a_room_that_is_not_an_id_is_a_bad_request(hall, make_delegate, scanner, room):
    delegate = make_delegate(hall["conference"])
    assert scanner(delegate.badge_token, room=room).status_code == 400
    assert db.session.scalar(select(func.count()).select_from(ScanLog)) == 0


def test_a_room_of_another_conference_through_the_api(hall, make_conference, make_delegate, scanner):
    other = make_conference("elsewhere")
    theirs = Room(conference_id=other.id, name_en="Their Hall")
    db.session.add(theirs)
    db.session.commit()
    delegate = make_delegate(hall["conference"])
    admitted(hall["conference"], delegate)
    response = scanner(delegate.badge_token, room=theirs.id)
    assert response.status_code == 400 and response.get_json()["reason"] == "room"
    assert db.session.scalar(select(func.count()).select_from(ScanLog)) == 0


def test_a_device_bound_to_a_room_scans_there(app, hall, make_delegate):
    conference = hall["conference"]
    _, token = issue_device_token(conference, "Hall door", None, hall["hall"].id)
    db.session.commit()
    delegate = make_delegate(conference)
    admitted(conference, delegate)
    response = app.test_client().post(f"/api/v1/{conference.slug}/checkin", json={"code": delegate.code},
                                      headers={"Authorization": f"Bearer {token}"})
    assert response.get_json()["session"]["id"] == hall["session"].id
    assert db.session.scalar(select(SessionAttendance.room_id)) == hall["hall"].id


def test_the_devices_page_binds_a_token_to_a_room(client, hall, make_user):
    from conference.accounts.models import Role
    from conference.checkin.models import Device
    from tests.conftest import post_form

    login(client, make_user("org@example.org", Role.ORGANIZER, hall["conference"]))
    response = post_form(client, "/door/manage/devices", {"name": "Hall door", "room_id": str(hall["hall"].id)})
    assert response.status_code == 200
    assert db.session.scalar(select(Device.room_id)) == hall["hall"].id


# ---- occupancy, the attendance page, the CSV, the delegate page ----

def fill(conference, session, room, n: int) -> None:
    """`n` approved delegates (with their accounts) recorded in `session` at `room`."""
    emails = [f"p{k}-{n}@example.org" for k in range(n)]
    db.session.execute(insert(User), [{"email": email, "password_hash": password_hash(), "display_name": email,
                                       "created_at": NOW} for email in emails])
    users = dict(db.session.execute(select(User.email, User.id).where(User.email.in_(emails))).all())
    db.session.execute(insert(Delegate), [
        {"conference_id": conference.id, "user_id": users[email], "email": email,
         "name": f"Person {k}", "country": "QA", "status": "approved", "code": f"QA-{k + 5000:05d}",
         "badge_token": f"{k + 10**6 + 1000 * n:039d}", "consent_privacy": True, "created_at": NOW,
         "updated_at": NOW} for k, email in enumerate(emails)])
    ids = db.session.scalars(select(Delegate.id).where(Delegate.conference_id == conference.id)).all()
    db.session.execute(insert(SessionAttendance), [
        {"conference_id": conference.id, "delegate_id": d, "session_id": session.id, "room_id": room.id, "at": NOW,
         "recorded_at": NOW} for d in ids])
    db.session.commit()


@pytest.fixture
def organizer_client(app, hall, make_user):
    from conference.accounts.models import Role

    client = app.test_client()
    login(client, make_user("org@example.org", Role.ORGANIZER, hall["conference"]))
    return client


def test_occupancy_counts_the_running_session(hall):
    conference = hall["conference"]
    fill(conference, hall["session"], hall["hall"], 3)
    shown = {o.room.name_en: o for o in room_occupancy(conference)}
    assert (shown["Main Hall"].present, shown["Main Hall"].capacity, shown["Main Hall"].full) == (3, 40, False)
    assert shown["Side Room"].session is None
    [today] = [s for s in sessions_of_day(conference, conference.local_date(NOW))]
    assert today.present == 3


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


def test_the_attendance_page_reads_as_many_queries_at_200_delegates_as_at_5(app, hall, make_user):
    """The occupancy by room, session and hour: a number of queries independent of the number of delegates."""
    from conference.accounts.models import Role

    conference = hall["conference"]
    user = make_user("org@example.org", Role.ORGANIZER, conference)
    counts = []
    for n in (5, 200):
        db.session.execute(SessionAttendance.__table__.delete())
        db.session.execute(Delegate.__table__.delete())
        db.session.commit()
        fill(conference, hall["session"], hall["hall"], n)
        client = app.test_client()
        login(client, user)
        client.get("/door/manage/attendance")
        page = client.get("/door/manage/attendance").get_data(as_text=True)
        assert f'data-room="{hall["hall"].id}">{n}' in page
        counts.append(count_queries(client, "/door/manage/attendance"))
    assert counts[0] == counts[1]


def test_the_csv_of_attendance_per_session_is_formula_safe(hall, make_delegate, organizer_client):
    conference = hall["conference"]
    delegate = make_delegate(conference, name="=HYPERLINK(\"http://evil\")")
    admitted(conference, delegate)
    scan_in_room(conference, hall["hall"].id, delegate.badge_token)
    response = organizer_client.get("/door/manage/attendance/sessions.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[1][0] == "Opening plenary" and rows[1][3] == "Main Hall"
    assert rows[1][6].startswith("'=")


def test_the_delegate_page_shows_days_and_sessions(hall, make_delegate, organizer_client):
    conference = hall["conference"]
    delegate = make_delegate(conference)
    admitted(conference, delegate)
    scan_in_room(conference, hall["hall"].id, delegate.badge_token)
    page = organizer_client.get(f"/door/manage/delegates/{delegate.id}").get_data(as_text=True)
    assert 'id="attendance"' in page and "Opening plenary" in page and "Main Hall" in page


def test_the_venue_screen_shows_seats_and_full(client, hall, make_delegate):
    conference = hall["conference"]
    conference.agenda_published = True
    publish_agenda(conference, None, warnings_seen=True)
    db.session.commit()
    board = client.get("/door/screen/board").get_data(as_text=True)
    assert "0 / 40 seats" in board
    hall["hall"].capacity = 2
    db.session.commit()
    for name in ("A", "B"):
        delegate = make_delegate(conference, name=name)
        admitted(conference, delegate)
        scan_in_room(conference, hall["hall"].id, delegate.badge_token)
    board = client.get(f"/door/screen/board?room={hall['hall'].id}").get_data(as_text=True)
    assert "2 / 2 seats" in board and "room-full" in board, board


def test_the_backup_carries_attendance_and_feedback(app, hall, make_delegate):
    from conference.feedback.models import SessionFeedback

    conference = hall["conference"]
    delegate = make_delegate(conference)
    admitted(conference, delegate)
    scan_in_room(conference, hall["hall"].id, delegate.badge_token)
    db.session.add(SessionFeedback(conference_id=conference.id, delegate_id=delegate.id,
                                   session_id=hall["session"].id, rating=5, comment="Great"))
    db.session.commit()
    out = io.StringIO()
    export_conference(conference.slug, out)
    document = json.loads(out.getvalue())
    assert len(document["tables"]["checkin_session_attendance"]) == 1
    assert len(document["tables"]["session_feedback"]) == 1
    with new_database("sqlite://", "rooms") as url:
        other = create_app(app_config(url))
        with other.app_context():
            db.create_all()
            restored = import_conference(io.StringIO(out.getvalue()))
            session_id = db.session.scalar(select(SessionAttendance.session_id))
            db.session.remove()
            db.drop_all()
            db.engine.dispose()
    assert restored.rows["checkin_session_attendance"] == 1 and restored.rows["session_feedback"] == 1
    assert session_id == hall["session"].id


def test_organizers_allow_room_only_scanning_in_the_settings(client, hall, make_user):
    from conference.accounts.models import Role
    from tests.conftest import post_form
    from tests.events.test_events import conference_form

    conference = hall["conference"]
    login(client, make_user("org@example.org", Role.ORGANIZER, conference))
    assert "allow_room_only_scanning" in client.get("/door/manage/settings").get_data(as_text=True)
    form = conference_form(slug="door", start_date=conference.start_date.isoformat(),
                           end_date=conference.end_date.isoformat(), allow_room_only_scanning="y")
    assert post_form(client, "/door/manage/settings", form).status_code == 302
    db.session.refresh(conference)
    assert conference.allow_room_only_scanning


def test_the_scanner_page_offers_the_rooms(scanner, hall):
    page = scanner.client.get("/door/checkin").get_data(as_text=True)
    assert f'<option value="{hall["hall"].id}">Room: Main Hall</option>' in page
