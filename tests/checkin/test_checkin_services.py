"""The check-in service: reading codes, every verdict, one admission per day, nonces, undo, devices."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from conference.badging.models import RevokedBadge
from conference.checkin.codes import normalize_code, parse_code
from conference.checkin.devices import conference_and_holder, issue_device_token, revoke_device
from conference.checkin.models import CheckIn, ScanLog, ScanStatus
from conference.checkin.search import search_delegates
from conference.checkin.services import NonceReused, check_in, undo_check_in
from conference.extensions import db
from conference.registration.models import AuditEntry

CONTRACT_KEYS = {"status", "reason", "delegate", "checked_in_at", "first_checked_in_at"}
DELEGATE_KEYS = {"name", "name_ar", "country", "country_name", "organization", "category", "code"}


def admissions(delegate) -> int:
    return db.session.scalar(select(func.count(CheckIn.id)).where(CheckIn.delegate_id == delegate.id))


def test_normalize_code_reads_arabic_indic_digits_and_ignores_spaces_and_dashes():
    assert normalize_code("٠١٢٣ ٤٥٦٧-٨٩") == "0123456789"
    assert normalize_code("۰۱۲۳۴۵۶۷۸۹") == "0123456789"
    assert normalize_code(" om–0042\u200e ") == "OM0042"


def test_parse_code_tells_tokens_from_human_codes():
    token = "1" * 39
    assert parse_code(token) == ("token", token)
    assert parse_code("١" * 13 + " " + "1" * 13 + "-" + "۱" * 13) == ("token", token)
    assert parse_code("om-42") == ("code", "OM-0042")
    assert parse_code("OM 0042") == ("code", "OM-0042")
    assert parse_code("1" * 38) is None
    assert parse_code("1" * 40) is None
    assert parse_code("'; DROP TABLE delegates; --") is None
    assert parse_code("9" * 100_000) is None


def test_admits_once_per_day_and_repeats_are_amber(today_conference, make_delegate, door_staff):
    delegate = make_delegate(today_conference, name="Hamad Al-Housni", name_ar="حمد الحوسني",
                             organization="Child Helpline Oman")
    first = check_in(today_conference, delegate.badge_token, "Hall A", "n1", staff=door_staff)
    assert first.status == "ok" and first.reason is None
    assert CONTRACT_KEYS <= first.answer.keys() and DELEGATE_KEYS <= first.delegate.keys()
    assert first.delegate["name_ar"] == "حمد الحوسني" and first.delegate["country_name"] == "Oman"
    assert first.answer["checked_in_at"] and first.answer["first_checked_in_at"] is None

    again = check_in(today_conference, delegate.badge_token, "Hall B", "n2", staff=door_staff)
    assert (again.status, again.reason) == ("error", "already_checked_in")
    assert again.answer["first_checked_in_at"] == first.answer["checked_in_at"]
    assert again.answer["gate"] == "Hall A"
    assert admissions(delegate) == 1


def test_the_next_conference_day_admits_again(today_conference, make_delegate):
    delegate = make_delegate(today_conference)
    now = datetime.now(timezone.utc)
    assert check_in(today_conference, delegate.badge_token, now=now).status == "ok"
    assert check_in(today_conference, delegate.badge_token, now=now + timedelta(days=1)).status == "ok"
    assert admissions(delegate) == 2


def test_human_code_typed_by_staff(today_conference, make_delegate):
    delegate = make_delegate(today_conference, country="OM")
    number = int(delegate.code.split("-")[1])
    result = check_in(today_conference, f"om {number}")
    assert result.status == "ok" and result.delegate["code"] == delegate.code


@pytest.mark.parametrize("code", ["", "hello", "1" * 38, "0" * 39, "<script>", "' OR 1=1 --", "\x00" * 5, "\ud800x"])
def test_unknown_codes_are_invalid_and_logged(today_conference, code):
    result = check_in(today_conference, code, "Gate", None)
    assert (result.status, result.reason, result.delegate) == ("error", "invalid", None)
    log = db.session.scalar(select(ScanLog))
    assert log.status == ScanStatus.ERROR and log.reason.value == "invalid" and "\x00" not in log.raw


@pytest.mark.parametrize("status, reason", [
    ("pending", "not_confirmed"), ("waitlisted", "not_confirmed"), ("rejected", "not_confirmed"),
    ("cancelled", "cancelled"),
])
def test_registrations_that_are_not_approved_are_refused(today_conference, make_delegate, status, reason):
    delegate = make_delegate(today_conference, status=status)
    result = check_in(today_conference, delegate.badge_token)
    assert (result.status, result.reason) == ("error", reason)
    assert result.delegate["name"] == delegate.name
    assert admissions(delegate) == 0


def test_badge_of_another_conference(today_conference, make_conference, make_delegate):
    other = make_conference("elsewhere")
    stranger = make_delegate(other)
    result = check_in(today_conference, stranger.badge_token)
    assert (result.reason, result.delegate) == ("other_conference", None)
    assert admissions(stranger) == 0


def test_replaced_badge_is_revoked_not_unknown(today_conference, make_conference, make_delegate):
    delegate = make_delegate(today_conference)
    old_token = "4" * 39
    db.session.add(RevokedBadge(token=old_token, delegate_id=delegate.id, issue=1))
    other = make_delegate(make_conference("elsewhere"))
    db.session.add(RevokedBadge(token="5" * 39, delegate_id=other.id, issue=1))
    db.session.commit()
    result = check_in(today_conference, old_token)
    assert (result.reason, result.delegate["name"]) == ("revoked", delegate.name)
    assert check_in(today_conference, "5" * 39).reason == "other_conference"
    assert admissions(delegate) == 0


def test_not_today_outside_the_conference_days(make_conference, make_delegate):
    conference = make_conference("later")  # starts in 30 days
    delegate = make_delegate(conference)
    assert check_in(conference, delegate.badge_token).reason == "not_today"
    conference.admit_only_on_conference_days = False
    db.session.commit()
    assert check_in(conference, delegate.badge_token).status == "ok"


def test_scan_day_is_the_date_at_the_venue(make_conference, make_delegate):
    conference = make_conference("tz", start_date=datetime(2027, 5, 23).date(), end_date=datetime(2027, 5, 24).date())
    delegate = make_delegate(conference)
    # 22:30 UTC on 22 May is 01:30 on 23 May in Doha: the first conference day.
    result = check_in(conference, delegate.badge_token, now=datetime(2027, 5, 22, 22, 30, tzinfo=timezone.utc))
    assert result.status == "ok"
    assert db.session.scalar(select(CheckIn.day)).isoformat() == "2027-05-23"
    late = check_in(conference, delegate.badge_token, now=datetime(2027, 5, 24, 21, 30, tzinfo=timezone.utc))
    assert late.reason == "not_today"


def test_a_repeated_nonce_returns_the_first_answer_verbatim(today_conference, make_delegate):
    delegate = make_delegate(today_conference)
    first = check_in(today_conference, delegate.badge_token, "A", "retry-me")
    replay = check_in(today_conference, delegate.badge_token, "A", "retry-me")
    assert replay.replayed and replay.body == first.body and replay.status == "ok"
    assert db.session.scalar(select(func.count(ScanLog.id))) == 1
    long_nonce = "x" * 500
    assert check_in(today_conference, "garbage", "A", long_nonce).body == \
        check_in(today_conference, "garbage", "A", long_nonce).body
    with pytest.raises(NonceReused):  # the same nonce for another code is a client bug, not a retry
        check_in(today_conference, "other garbage", "A", long_nonce)


def test_the_database_refuses_a_second_admission_on_a_day(today_conference, make_delegate):
    delegate = make_delegate(today_conference)
    check_in(today_conference, delegate.badge_token)
    existing = db.session.scalar(select(CheckIn))
    db.session.add(CheckIn(conference_id=today_conference.id, delegate_id=delegate.id, day=existing.day, gate="X"))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_every_scan_is_logged_with_its_answer(today_conference, make_delegate, door_staff):
    delegate = make_delegate(today_conference)
    check_in(today_conference, delegate.badge_token, "Hall A", "a", staff=door_staff)
    check_in(today_conference, delegate.badge_token, "Hall A", "b", staff=door_staff)
    check_in(today_conference, "nonsense", "Hall A", "c", staff=door_staff)
    logs = db.session.scalars(select(ScanLog).order_by(ScanLog.id)).all()
    assert [(log.status.value, log.reason.value if log.reason else None) for log in logs] == [
        ("ok", None), ("error", "already_checked_in"), ("error", "invalid")]
    assert [log.delegate_id for log in logs] == [delegate.id, delegate.id, None]
    assert all(log.staff_id == door_staff.id and log.gate == "Hall A" for log in logs)
    assert json.loads(logs[0].answer)["status"] == "ok" and logs[0].checkin_id is not None


def test_undo_lets_the_delegate_in_again_and_is_audited(today_conference, make_delegate, make_user):
    organizer = make_user("boss@example.org")
    delegate = make_delegate(today_conference)
    check_in(today_conference, delegate.badge_token, "Hall A")
    checkin = db.session.scalar(select(CheckIn))
    undo_check_in(checkin, organizer, "scanned the wrong badge")
    db.session.commit()
    assert admissions(delegate) == 0
    audit = db.session.scalar(select(AuditEntry).where(AuditEntry.event == "checkin_undone"))
    assert audit.actor_id == organizer.id and "wrong badge" in audit.note and "Hall A" in audit.note
    undone = db.session.scalar(select(ScanLog).where(ScanLog.status == ScanStatus.UNDONE))
    assert undone.delegate_id == delegate.id and undone.staff_id == organizer.id
    assert db.session.scalar(select(ScanLog).where(ScanLog.status == ScanStatus.OK)).checkin_id is None
    assert check_in(today_conference, delegate.badge_token).status == "ok"


def test_device_tokens_are_stored_hashed_and_revocable(today_conference, make_delegate):
    device, token = issue_device_token(today_conference, "Turnstile 1", None)
    db.session.commit()
    assert token not in device.token_hash and len(device.token_hash) == 64
    found, found_device, _ = conference_and_holder("door", token)
    assert (found.id, found.timezone, found_device.id, found_device.name) == (
        today_conference.id, "Asia/Qatar", device.id, "Turnstile 1")
    unknown, nobody, _ = conference_and_holder("door", "not-a-token")
    assert nobody is None and unknown.id == today_conference.id
    assert conference_and_holder("nowhere", token) == (None, None, None)
    delegate = make_delegate(today_conference)
    result = check_in(today_conference, delegate.badge_token, "", device=device)
    assert result.answer["gate"] == "Turnstile 1"
    assert db.session.scalar(select(CheckIn.device_id)) == device.id
    revoke_device(device, None)
    db.session.commit()
    assert conference_and_holder("door", token)[1].revoked_at is not None


def test_search_by_name_in_any_script_email_and_code(today_conference, make_delegate):
    hamad = make_delegate(today_conference, name="Hamad Al-Housni", name_ar="حمد الحوسني", email="hamad@example.om")
    make_delegate(today_conference, name="Fatima Zahra", country="MA")
    assert [r["code"] for r in search_delegates(today_conference, "housni")] == [hamad.code]
    assert [r["code"] for r in search_delegates(today_conference, "الحوسني")] == [hamad.code]
    assert [r["code"] for r in search_delegates(today_conference, "hamad@example")] == [hamad.code]
    assert [r["code"] for r in search_delegates(today_conference, hamad.code.lower())] == [hamad.code]
    assert search_delegates(today_conference, "%") == [] and search_delegates(today_conference, "x") == []
    check_in(today_conference, hamad.badge_token)
    assert search_delegates(today_conference, "Hamad")[0]["checked_in_at"] is not None
