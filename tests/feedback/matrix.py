"""Rows of the authorization matrix (tests/test_authorization.py) for the feedback on sessions."""
from __future__ import annotations

from tests.access import FORBIDDEN, LOGGED_IN, ORGANIZER, TO_LOGIN, Route, expect

# Nobody of the matrix attended the sample session (no admission that day): every rating is refused, nothing
# written; tests/feedback/test_feedback.py rates as one who did.
NOT_THERE = expect(TO_LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN)

ROUTES: dict[str, Route] = {
    "feedback.rate": Route("/doha/agenda/{feedback_session_id}/feedback", LOGGED_IN, NOT_THERE,
                           form={"rating": "4", "comment": "Useful."}),
    "feedback.speaker_feedback": Route("/doha/me/feedback", LOGGED_IN),
    "feedback.overview": Route("/doha/manage/feedback?sort=mean", ORGANIZER),
    "feedback.session_detail": Route("/doha/manage/feedback/{feedback_session_id}", ORGANIZER),
    "feedback.feedback_csv": Route("/doha/manage/feedback.csv", ORGANIZER),
}


def samples(people, conference) -> dict:
    """A session in a room of its own that started an hour ago."""
    from datetime import datetime, timedelta, timezone

    from conference.agenda.models import AgendaSession
    from conference.events.models import Room
    from conference.extensions import db

    room = Room(conference_id=conference.id, name_en="Feedback Room", name_ar="قاعة الآراء", capacity=50)
    db.session.add(room)
    db.session.flush()
    start = datetime.now(timezone.utc) - timedelta(hours=1)
    session = AgendaSession(conference_id=conference.id, title_en="Rated session", title_ar="جلسة مقيّمة",
                            room_id=room.id, starts_at=start, ends_at=start + timedelta(hours=2),
                            duration_minutes=120)
    db.session.add(session)
    db.session.commit()
    return {"feedback_session_id": session.id}
