"""The new pages of room scanning and feedback, in English and Arabic: no serious accessibility fault (axe-core),
valid HTML (Nu checker), with data on them."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from conference.accounts.models import Role
from conference.agenda.models import AgendaSession, SessionPerson
from conference.agenda.versions import publish_agenda
from conference.checkin.models import CheckIn, SessionAttendance
from conference.events.models import Room, Track
from conference.extensions import db
from conference.feedback.services import save_feedback
from tests.pagecheck import LANGUAGES


@pytest.fixture
def pages(make_conference, make_delegate, make_user):
    now = datetime.now(timezone.utc).replace(microsecond=0)
    today = now.astimezone(timezone(timedelta(hours=3))).date()
    conference = make_conference("doha", start_date=today, end_date=today + timedelta(days=1), agenda_published=True)
    room = Room(conference_id=conference.id, name_en="Main Hall", name_ar="القاعة الرئيسية", capacity=2)
    track = Track(conference_id=conference.id, name_en="Helplines", name_ar="خطوط المساندة")
    db.session.add_all([room, track])
    db.session.flush()
    session = AgendaSession(conference_id=conference.id, title_en="Opening", title_ar="الافتتاح", room_id=room.id,
                            track_id=track.id, starts_at=now - timedelta(minutes=20), ends_at=now + timedelta(hours=1))
    db.session.add(session)
    attendee, speaker = make_delegate(conference, name="Hamad"), make_delegate(conference, name="منى")
    db.session.add(SessionPerson(session=session, delegate_id=speaker.id))
    for delegate in (attendee, speaker):
        db.session.add(CheckIn(conference_id=conference.id, delegate_id=delegate.id, day=conference.local_date(now),
                               at=now - timedelta(hours=1), gate="Main"))
        db.session.add(SessionAttendance(conference_id=conference.id, delegate_id=delegate.id, session=session,
                                         room_id=room.id, at=now - timedelta(minutes=10)))
    db.session.flush()
    publish_agenda(conference, None, warnings_seen=True)
    db.session.commit()
    save_feedback(conference, db.session.get(type(make_user("x@example.org")), attendee.user_id), session, 4,
                  "Clear, thank you")
    db.session.commit()
    users = {"organizer": make_user("organizer@example.org", Role.ORGANIZER, conference),
             "staff": make_user("staff@example.org", Role.STAFF, conference),
             "attendee": db.session.get(type(make_user("y@example.org")), attendee.user_id),
             "speaker": db.session.get(type(make_user("z@example.org")), speaker.user_id)}
    paths = [
        ("/doha/manage/attendance", "organizer"), ("/doha/manage/devices", "organizer"),
        (f"/doha/manage/delegates/{attendee.id}", "organizer"), ("/doha/manage/feedback", "organizer"),
        (f"/doha/manage/feedback/{session.id}", "organizer"), (f"/doha/agenda/{session.id}/feedback", "attendee"),
        ("/doha/me/feedback", "speaker"), ("/doha/checkin", "staff"), ("/doha/screen", None),
    ]
    return paths, users


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_pages_have_no_serious_accessibility_violations(axe, pages, language):
    paths, who = pages
    assert axe(paths, who, language) == {}


def test_the_pages_are_valid_html(vnu, pages):
    paths, who = pages
    assert vnu(paths, who) == []
