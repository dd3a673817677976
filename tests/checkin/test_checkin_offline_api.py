"""Scans queued offline (`scanned_at`), offline duplicates, and the scan API's refusals of bad input."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import event, func, select

from conference.checkin.attendance import offline_duplicates
from conference.checkin.devices import issue_device_token
from conference.checkin.models import CheckIn, ScanLog, ScanStatus, Verdict
from conference.checkin.services import ScanRefused, check_in, scan_time
from conference.extensions import db

VENUE = timezone(timedelta(hours=3))


def admissions() -> list[CheckIn]:
    db.session.expire_all()
    return list(db.session.scalars(select(CheckIn)))


def log_lines() -> int:
    return db.session.scalar(select(func.count(ScanLog.id)))


def minutes_ago(minutes: float) -> datetime:
    """`minutes` (at most an hour) before now, or, in the first hour after midnight at the venue, before an hour ago:
    the scans of one test then fall on one venue day, whenever the suite runs."""
    now = datetime.now(timezone.utc)
    if now.astimezone(VENUE).hour == 0:
        now -= timedelta(hours=1)
    return now - timedelta(minutes=minutes)


def test_an_offline_scan_is_admitted_at_its_own_time(scanner, today_conference, make_delegate):
    delegate = make_delegate(today_conference)
    scanned = minutes_ago(20).replace(microsecond=0)
    answer = scanner(delegate.badge_token, scanned_at=scanned.isoformat(), offline_verdict="ok").get_json()
    assert (answer["status"], answer["checked_in_at"]) == ("ok", scanned.isoformat())
    [admission] = admissions()
    assert admission.at == scanned and admission.recorded_at > scanned
    line = db.session.scalar(select(ScanLog))
    assert (line.scanned_at, line.offline_verdict) == (scanned, "ok") and line.at > scanned


def test_the_scan_time_decides_the_admission_day(app, make_conference, make_delegate):
    today = datetime.now(VENUE).date()
    conference = make_conference("door", start_date=today - timedelta(days=1), end_date=today - timedelta(days=1))
    delegate = make_delegate(conference)
    morning = datetime.combine(today, datetime.min.time(), VENUE) + timedelta(hours=9)
    last_evening = morning - timedelta(hours=10)  # 23:00 on the conference's last day, synced this morning
    assert check_in(conference, delegate.badge_token, now=morning).reason == "not_today"
    queued = check_in(conference, delegate.badge_token, now=morning, scanned_at=last_evening, nonce="q1")
    assert queued.status == "ok"
    assert admissions()[0].day == today - timedelta(days=1)


def from_now(delta: timedelta):
    """A scan time computed when the test runs (not when it is collected: the suite takes minutes)."""
    return lambda: (datetime.now(timezone.utc) + delta).isoformat()


@pytest.mark.parametrize("value", [
    pytest.param(from_now(timedelta(minutes=10)), id="future"),
    pytest.param(from_now(-timedelta(hours=25)), id="older-than-a-day"),
    pytest.param("yesterday at ten", id="not-a-time"),
    pytest.param("2026-12-01T10:00:00", id="no-time-zone"),
    pytest.param("2026-13-45T10:00:00+03:00", id="impossible-date"),
    pytest.param(1733050000, id="a-number"),
    pytest.param(["2026-12-01T10:00:00Z"], id="a-list"),
    pytest.param("9" * 5000, id="very-long"),
])
def test_unusable_scan_times_are_400_and_nothing_is_stored(scanner, today_conference, make_delegate, value):
    delegate = make_delegate(today_conference)
    response = scanner(delegate.badge_token, scanned_at=value() if callable(value) else value)
    assert response.status_code == 400
    assert response.get_json()["status"] == "error" and response.get_json()["message"]
    assert admissions() == [] and log_lines() == 0


def test_scan_time_accepts_a_little_clock_drift():
    now = datetime.now(timezone.utc)
    assert scan_time((now + timedelta(seconds=30)).isoformat(), now) == now + timedelta(seconds=30)
    assert scan_time((now - timedelta(hours=23)).isoformat().replace("+00:00", "Z"), now) == now - timedelta(hours=23)
    with pytest.raises(ScanRefused):
        scan_time((now + timedelta(minutes=5)).isoformat(), now)


def test_a_queue_replayed_twice_admits_once(scanner, today_conference, make_delegate):
    first, second = make_delegate(today_conference), make_delegate(today_conference, country="QA")
    queue = [(first.badge_token, "q-1", minutes_ago(9)), (first.badge_token, "q-2", minutes_ago(8)),
             (second.badge_token, "q-3", minutes_ago(7))]
    answers = [[scanner(code, nonce=nonce, scanned_at=at.isoformat()).get_data() for code, nonce, at in queue]
               for _ in range(2)]
    assert answers[0] == answers[1]
    assert [json.loads(body)["reason"] for body in answers[0]] == [
        None, "already_checked_in", None]
    assert len(admissions()) == 2 and log_lines() == 3


def test_two_offline_doors_keep_the_earlier_scan(app, today_conference, make_delegate, door_staff):
    delegate = make_delegate(today_conference)
    north, _ = issue_device_token(today_conference, "North door", None)
    south, _ = issue_device_token(today_conference, "South door", None)
    db.session.commit()
    # The south door scanned later but came back online first.
    later = check_in(today_conference, delegate.badge_token, nonce="s1", device=south,
                     scanned_at=minutes_ago(5), offline_verdict="ok")
    earlier = check_in(today_conference, delegate.badge_token, nonce="n1", device=north,
                       scanned_at=minutes_ago(10), offline_verdict="ok")
    assert (later.status, earlier.status) == ("ok", "ok")
    [admission] = admissions()
    assert (admission.gate, admission.device_id) == ("North door", north.id)
    lines = {line.nonce: line for line in db.session.scalars(select(ScanLog))}
    assert (lines["n1"].status, lines["n1"].checkin_id) == (ScanStatus.OK, admission.id)
    assert (lines["s1"].status, lines["s1"].reason, lines["s1"].checkin_id) == (
        ScanStatus.ERROR, Verdict.ALREADY_CHECKED_IN, None)
    [duplicate] = offline_duplicates(today_conference, admission.day)
    assert duplicate.scan.nonce == "s1" and duplicate.first.id == admission.id


def test_a_later_offline_admission_is_answered_already_and_listed(
        app, today_conference, make_delegate, organizer_client):
    delegate = make_delegate(today_conference, name="Layla Haddad")
    north, _ = issue_device_token(today_conference, "North door", None)
    db.session.commit()
    check_in(today_conference, delegate.badge_token, nonce="online", gate="Main entrance", now=minutes_ago(30))
    late = check_in(today_conference, delegate.badge_token, nonce="offline", device=north,
                    scanned_at=minutes_ago(10), offline_verdict="ok")
    assert (late.status, late.reason) == ("error", "already_checked_in")
    [admission] = admissions()
    page = organizer_client.get(f"/door/manage/attendance?day={admission.day.isoformat()}").get_data(as_text=True)
    section = page.split('id="offline-duplicates"')[1].split("</section>")[0]
    assert "Layla Haddad" in section and "North door" in section and "Main entrance" in section


def test_an_offline_amber_is_not_a_duplicate(app, today_conference, make_delegate):
    delegate = make_delegate(today_conference)
    check_in(today_conference, delegate.badge_token, nonce="a", scanned_at=minutes_ago(10), offline_verdict="ok")
    check_in(today_conference, delegate.badge_token, nonce="b", scanned_at=minutes_ago(9),
             offline_verdict="already_checked_in")
    assert offline_duplicates(today_conference, admissions()[0].day) == []


def test_a_tampered_offline_verdict_is_judged_again(scanner, today_conference, make_delegate):
    cancelled = make_delegate(today_conference, status="cancelled")
    answer = scanner(cancelled.badge_token, scanned_at=minutes_ago(3).isoformat(), offline_verdict="ok").get_json()
    assert (answer["status"], answer["reason"]) == ("error", "cancelled")
    assert admissions() == []


@pytest.mark.parametrize("body", [
    pytest.param(b'{"code": ' + b"[" * 990 + b"]" * 990 + b"}", id="990-nested-lists"),
    pytest.param(b"[" * 100_000 + b"]" * 100_000, id="100000-nested-lists"),
    pytest.param(b'{"code": "1", "offline_verdict": "green"}', id="unknown-offline-verdict"),
])
def test_malformed_bodies_are_400(scanner, body):
    response = scanner.client.post("/api/v1/door/checkin", data=body, content_type="application/json",
                                   headers={"X-CSRFToken": scanner.csrf})
    assert response.status_code == 400
    assert log_lines() == 0


@pytest.mark.parametrize("gate", ["Main\u202eecnartne", "\u2066Gate 2\u2069", "Hall\u202aA", "Gate\x07"],
                         ids=["right-to-left-override", "isolate", "embedding", "control"])
def test_gates_with_bidi_or_control_characters_are_400(scanner, today_conference, make_delegate, gate):
    delegate = make_delegate(today_conference)
    assert scanner(delegate.badge_token, gate=gate).status_code == 400
    assert admissions() == [] and log_lines() == 0


@pytest.mark.parametrize("kind, statements", [("staff", 3), ("device", 3)])
def test_a_scan_costs_few_statements(app, scanner, today_conference, make_delegate, kind, statements):
    delegate, earlier = make_delegate(today_conference), make_delegate(today_conference)
    _, token = issue_device_token(today_conference, "Gate", None)
    db.session.commit()
    code = delegate.badge_token
    scanner(earlier.badge_token)  # the process now knows the venue's time zone (see checkin.devices.venue_zone)
    seen: list[str] = []

    def count(conn, cursor, statement, *args):
        if not statement.lstrip().upper().startswith(("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE")):
            seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        if kind == "staff":
            response = scanner(code)
        else:
            response = app.test_client().post("/api/v1/door/checkin", json={"code": code},
                                              headers={"Authorization": f"Bearer {token}"})
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert response.get_json()["status"] == "ok"
    # Conference with the user's door role (or the device) and the badge; the admission and its log line
    # (one statement on PostgreSQL).
    expected = statements - 1 if db.engine.dialect.name == "postgresql" else statements
    assert len(seen) == expected, seen
