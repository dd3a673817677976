"""The Doha demo's door and feedback: the first day as if it had happened, so that the pages show something.

Every row is made through the services with the moment it would have been made at (admissions at the entrance in
the morning, scans at the rooms' doors as sessions start, ratings once they started), so the demo keeps the
product's own rules: nobody is recorded in a room without being admitted that day, no room holds more than its
seats, and no rating comes before its session.
"""
from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy import func, select

from ..accounts.models import User
from ..agenda.models import EVERYONE_KINDS, AgendaSession
from ..checkin.models import SessionAttendance
from ..checkin.rooms import scan_in_room
from ..checkin.services import check_in
from ..events.models import Conference
from ..extensions import db
from ..registration.models import Delegate, DelegateStatus
from .services import save_feedback

ADMITTED, SESSIONS, RATED = 60, 3, 12
COMMENTS = ("Clear and practical, thank you.", "مفيدة جدًا، نرجو إتاحة العروض.", "", "Too short for the questions.",
            "", "أمثلة واقعية من الميدان.")


def seed_attendance(conference: Conference) -> None:
    """Admissions on the first day, attendance of its first sessions and some ratings (once)."""
    if db.session.scalar(select(func.count()).where(SessionAttendance.conference_id == conference.id)):
        return
    first_day = conference.days[0]
    sessions = [s for s in db.session.scalars(
        AgendaSession.of(conference).where(AgendaSession.starts_at.is_not(None), AgendaSession.room_id.is_not(None))
        .order_by(AgendaSession.starts_at, AgendaSession.id))
        if conference.local_date(s.starts_at) == first_day and s.kind not in EVERYONE_KINDS][:SESSIONS]
    delegates = db.session.scalars(Delegate.of(conference).where(Delegate.status == DelegateStatus.APPROVED)
                                   .order_by(Delegate.id).limit(ADMITTED)).all()
    if not sessions or not delegates:
        return
    morning = datetime.combine(first_day, time(8, 0), conference.tz)
    for n, delegate in enumerate(delegates):
        check_in(conference, delegate.badge_token, gate="Main entrance", nonce=f"demo-entrance-{delegate.id}",
                 now=morning + timedelta(seconds=20 * n))
    for index, session in enumerate(sessions):
        seats = session.room.capacity or len(delegates)
        audience = delegates[index::2][:max(1, min(seats - 1, len(delegates) // 2))]
        for n, delegate in enumerate(audience):
            scan_in_room(conference, session.room_id, delegate.code, gate=session.room.name_en,
                         nonce=f"demo-room-{session.id}-{delegate.id}",
                         now=session.starts_at - timedelta(minutes=5) + timedelta(seconds=10 * n))
        for n, delegate in enumerate(audience[:RATED]):
            user = db.session.get(User, delegate.user_id)
            save_feedback(conference, user, session, 5 - (n % 4 == 3) - (n % 5 == 4) * 2,
                          COMMENTS[n % len(COMMENTS)], now=session.ends_at + timedelta(minutes=n))
    db.session.flush()
