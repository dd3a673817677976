"""The demo's first day: admissions, room attendance and ratings that keep the product's own rules."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from conference.checkin.models import CheckIn, SessionAttendance
from conference.extensions import db
from conference.feedback.models import SessionFeedback
from conference.seed import seed_demo


def test_the_demo_shows_attendance_and_feedback_within_the_rules(app):
    conference = seed_demo(date(2026, 12, 1))
    counts = [db.session.scalar(select(func.count()).select_from(t)) for t in (CheckIn, SessionAttendance,
                                                                               SessionFeedback)]
    assert all(counts), counts
    for row in db.session.scalars(select(SessionAttendance)):
        assert row.session.starts_at - row.at <= timedelta(minutes=15)
        assert db.session.scalar(select(func.count()).where(
            CheckIn.delegate_id == row.delegate_id, CheckIn.day == conference.local_date(row.at)))
        assert row.room.capacity is None or row.room.capacity >= db.session.scalar(
            select(func.count()).where(SessionAttendance.session_id == row.session_id))
    for feedback in db.session.scalars(select(SessionFeedback)):
        assert feedback.created_at >= feedback.session.starts_at
    seed_demo(date(2026, 12, 1))  # idempotent
    assert db.session.scalar(select(func.count()).select_from(SessionAttendance)) == counts[1]
