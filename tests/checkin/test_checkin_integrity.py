"""Door data stays where it belongs: no other conference's people in our log, nonces not confused, one undo."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from conference.checkin.models import CheckIn, ScanLog, ScanStatus
from conference.checkin.services import check_in, undo_check_in
from conference.extensions import db
from conference.registration.models import AuditEntry


def test_a_badge_of_another_conference_is_not_logged_against_its_delegate(app, scanner, make_conference,
                                                                          make_delegate, make_user):
    stranger = make_delegate(make_conference("elsewhere"), name="Someone Else")
    answer = scanner(stranger.badge_token).json
    assert (answer["reason"], answer["delegate"]) == ("other_conference", None)
    logged = db.session.scalar(select(ScanLog).order_by(ScanLog.id.desc()))
    assert logged.reason.value == "other_conference" and logged.delegate_id is None


def test_a_nonce_reused_for_another_code_is_refused(app, scanner, today_conference, make_delegate):
    first, second = make_delegate(today_conference), make_delegate(today_conference, name="Second Person")
    assert scanner(first.badge_token, nonce="same").json["status"] == "ok"
    assert scanner(first.badge_token, nonce="same").json["delegate"]["code"] == first.code  # a true retry
    refused = scanner(second.badge_token, nonce="same")
    assert refused.status_code == 400
    assert db.session.scalar(select(func.count(CheckIn.id))) == 1


def test_undoing_twice_records_one_undo(app, today_conference, make_delegate, make_user):
    from conference.checkin.services import CheckInError

    delegate = make_delegate(today_conference)
    check_in(today_conference, delegate.badge_token, "North")
    organizer = make_user("boss@example.org")
    checkin = db.session.scalar(select(CheckIn))
    stale = CheckIn(id=checkin.id, conference_id=checkin.conference_id, delegate_id=checkin.delegate_id,
                    day=checkin.day, at=checkin.at, gate=checkin.gate)  # what a second organizer's page held
    undo_check_in(checkin, organizer, "wrong badge")
    db.session.commit()
    with pytest.raises(CheckInError):
        undo_check_in(stale, organizer, "again")
    db.session.rollback()
    assert db.session.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.event == "checkin_undone")) == 1
    assert db.session.scalar(select(func.count(ScanLog.id)).where(ScanLog.status == ScanStatus.UNDONE)) == 1
