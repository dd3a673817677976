"""Rows of the authorization matrix (tests/test_authorization.py) for the agenda."""
from __future__ import annotations

from tests.access import LOGGED_IN, ORGANIZER, POST_ONLY, PUBLIC, expect  # noqa: F401

# endpoint -> (path to GET, expected status per visitor); "{name}" parts come from samples().
ROUTES: dict[str, tuple[str, dict[str, int]]] = {
    "agenda.agenda": ("/doha/agenda", PUBLIC),
    "agenda.session": ("/doha/agenda/{agenda_session_id}", PUBLIC),
    "agenda.changes": ("/doha/agenda/changes", PUBLIC),
    "agenda.star": ("/doha/agenda/{agenda_session_id}/star", POST_ONLY),
    "agenda.ics": ("/doha/agenda.ics", PUBLIC),
    "agenda.programme_pdf": ("/doha/agenda.pdf?lang=ar", PUBLIC),
    "agenda.schedule_xml_export": ("/doha/schedule.xml", PUBLIC),
    "agenda.schedule_json_export": ("/doha/schedule.json", PUBLIC),
    "agenda.feed": ("/doha/agenda/feed/{agenda_feed_token}.ics", PUBLIC),
    "agenda.my_agenda": ("/doha/me/agenda", LOGGED_IN),
    "agenda.reset_feed_token": ("/doha/me/agenda/feed/reset", POST_ONLY),
    "agenda.speakers": ("/doha/speakers", PUBLIC),
    "agenda.speaker": ("/doha/speakers/{agenda_speaker_id}", PUBLIC),
    "agenda.speaker_photo": ("/doha/speakers/{agenda_speaker_id}/photo.jpg", PUBLIC),
    "agenda.editor": ("/doha/manage/agenda", ORGANIZER),
    "agenda.new_session": ("/doha/manage/agenda/new", ORGANIZER),
    "agenda.edit_session": ("/doha/manage/agenda/{agenda_session_id}/edit", ORGANIZER),
    "agenda.place": ("/doha/manage/agenda/{agenda_session_id}/place", POST_ONLY),
    "agenda.unplace": ("/doha/manage/agenda/{agenda_session_id}/unplace", POST_ONLY),
    "agenda.delete": ("/doha/manage/agenda/{agenda_session_id}/delete", POST_ONLY),
    "agenda.schedule": ("/doha/manage/agenda/proposals/1/schedule", POST_ONLY),
    "agenda.publish": ("/doha/manage/agenda/publish", ORGANIZER),
    "agenda.placement": ("/doha/manage/agenda/placement", ORGANIZER),
    "agenda.accept_placement_items": ("/doha/manage/agenda/placement/accept", POST_ONLY),
    "agenda.history": ("/doha/manage/agenda/history", ORGANIZER),
    "agenda.screen": ("/doha/screen", PUBLIC),
    "agenda.screen_board": ("/doha/screen/board", PUBLIC),
}


def samples(people, conference) -> dict[str, int]:
    """A published session with a speaker who has a photo, and the organizer's calendar feed."""
    from datetime import time

    from conference.agenda.personal import feed_token
    from conference.agenda.services import SessionData, create_session
    from conference.agenda.versions import publish_agenda
    from conference.events.services import add_room
    from conference.extensions import db
    from conference.registration.models import Delegate, DelegateStatus
    from conference.registration.services import new_badge_token
    from conference.submissions.models import SpeakerProfile
    from tests.conftest import quick_user

    organizer = people["organizer"]
    user = quick_user("agenda-speaker@example.org", "Mariam Al-Kuwari")
    speaker = Delegate(conference_id=conference.id, user_id=user.id, email=user.email, name="Mariam Al-Kuwari",
                       country="QA", status=DelegateStatus.APPROVED, code="QA-0900", badge_token=new_badge_token(),
                       consent_privacy=True)
    room = add_room(conference, "Matrix Hall", "قاعة", 100)
    db.session.add(speaker)
    db.session.add(SpeakerProfile(conference_id=conference.id, user_id=user.id, name="Mariam Al-Kuwari",
                                  photo=b"\xff\xd8\xff\xe0 not really a jpeg"))
    db.session.flush()
    session = create_session(conference, SessionData(title_en="Opening", day=conference.days[0], start=time(9),
                                                     end=time(10), room_id=room.id, speaker_ids=[speaker.id]))
    publish_agenda(conference, organizer)
    token = feed_token(conference, user)
    db.session.commit()
    return {"agenda_session_id": session.id, "agenda_speaker_id": speaker.id, "agenda_feed_token": token}
