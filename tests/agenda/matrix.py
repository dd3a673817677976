"""Rows of the authorization matrix (tests/test_authorization.py) for the agenda."""
from __future__ import annotations

from tests.access import LOGGED_IN, LOGGED_IN_POST, ORGANIZER, ORGANIZER_POST, POST_ONLY, PUBLIC, Route

PLACE = {"room_id": "{agenda_room_id}", "day": "{agenda_day}", "start": "14:00"}

ROUTES: dict[str, Route] = {
    "agenda.agenda": Route("/doha/agenda", PUBLIC),
    "agenda.session": Route("/doha/agenda/{agenda_session_id}", PUBLIC),
    "agenda.changes": Route("/doha/agenda/changes", PUBLIC),
    "agenda.star": Route("/doha/agenda/{agenda_session_id}/star", POST_ONLY, LOGGED_IN_POST, form={"starred": "1"}),
    "agenda.stars": Route("/doha/agenda/stars", LOGGED_IN),
    "agenda.star_page": Route("/doha/me/agenda/{agenda_session_id}", LOGGED_IN),
    "agenda.ics": Route("/doha/agenda.ics", PUBLIC),
    "agenda.programme_pdf": Route("/doha/agenda.pdf?lang=ar", PUBLIC),
    "agenda.schedule_xml_export": Route("/doha/schedule.xml", PUBLIC),
    "agenda.schedule_json_export": Route("/doha/schedule.json", PUBLIC),
    "agenda.feed": Route("/doha/agenda/feed/{agenda_feed_token}.ics", PUBLIC),
    "agenda.my_agenda": Route("/doha/me/agenda", LOGGED_IN),
    "agenda.reset_feed_token": Route("/doha/me/agenda/feed/reset", POST_ONLY, LOGGED_IN_POST),
    "agenda.speakers": Route("/doha/speakers", PUBLIC),
    "agenda.speaker": Route("/doha/speakers/{agenda_speaker_id}", PUBLIC),
    "agenda.speaker_photo": Route("/doha/speakers/{agenda_speaker_id}/photo.jpg", PUBLIC),
    "agenda.editor": Route("/doha/manage/agenda", ORGANIZER),
    "agenda.new_session": Route("/doha/manage/agenda/new", ORGANIZER, ORGANIZER_POST, form={
        "title_en": "Closing remarks", "title_ar": "كلمة الختام", "kind": "talk", "language": "both",
        "duration_minutes": "30"}),
    "agenda.edit_session": Route("/doha/manage/agenda/{agenda_session_id}/edit", ORGANIZER, ORGANIZER_POST, form={
        "title_en": "Opening plenary", "kind": "talk", "language": "en", "day": "{agenda_day}", "start": "09:00",
        "end": "10:30", "room_id": "{agenda_room_id}", "speaker_ids": ["{agenda_speaker_id}"]}),
    "agenda.place": Route("/doha/manage/agenda/{agenda_waiting_session_id}/place", POST_ONLY, ORGANIZER_POST,
                          form=PLACE),
    "agenda.unplace": Route("/doha/manage/agenda/{agenda_session_id}/unplace", POST_ONLY, ORGANIZER_POST),
    "agenda.delete": Route("/doha/manage/agenda/{agenda_session_id}/delete", POST_ONLY, ORGANIZER_POST),
    "agenda.schedule": Route("/doha/manage/agenda/proposals/{agenda_proposal_id}/schedule", POST_ONLY, ORGANIZER_POST,
                             form=PLACE),
    # the working copy has a session more than the published version
    "agenda.publish": Route("/doha/manage/agenda/publish", ORGANIZER, ORGANIZER_POST,
                            form={"note": "Closing session added", "confirm_warnings": "y"}),
    "agenda.placement": Route("/doha/manage/agenda/placement", ORGANIZER),
    # one item of a proposal, as the placement page posts it back: the waiting session, into a room at a time
    "agenda.accept_placement_items": Route(
        "/doha/manage/agenda/placement/accept", POST_ONLY, ORGANIZER_POST,
        form={"action": "selected", "item": "s{agenda_waiting_session_id}|{agenda_room_id}|{agenda_day}|16:00|-"}),
    "agenda.programme_hours": Route("/doha/manage/agenda/hours", POST_ONLY, ORGANIZER_POST,
                                    form={"day": "{agenda_day}", "starts": "08:30", "ends": "17:00",
                                          "action": "save"}),
    "agenda.history": Route("/doha/manage/agenda/history", ORGANIZER),
    "agenda.screen": Route("/doha/screen", PUBLIC),
    "agenda.screen_board": Route("/doha/screen/board", PUBLIC),
}


def samples(people, conference) -> dict:
    """A published session with a speaker who has a photo, and the organizer's calendar feed; then, unpublished: a
    second placed session, a session waiting for a place and a confirmed proposal waiting for its session."""
    from datetime import time

    from conference.agenda.personal import feed_token
    from conference.agenda.services import SessionData, create_session
    from conference.agenda.versions import publish_agenda
    from conference.events.services import add_room
    from conference.extensions import db
    from conference.registration.models import Delegate, DelegateStatus
    from conference.registration.services import new_badge_token
    from conference.submissions.call import call_of, proposal_types
    from conference.submissions.models import SUBMITTER, Proposal, ProposalSpeaker, ProposalStatus, SpeakerProfile
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
    day = conference.days[0]
    session = create_session(conference, SessionData(title_en="Opening", day=day, start=time(9), end=time(10),
                                                     room_id=room.id, speaker_ids=[speaker.id]))
    publish_agenda(conference, organizer)
    create_session(conference, SessionData(title_en="Closing", day=day, start=time(11), end=time(12), room_id=room.id))
    waiting = create_session(conference, SessionData(title_en="Panel on peer support", duration_minutes=45))
    call_of(conference)
    proposal = Proposal(conference_id=conference.id, title="Helplines in schools", abstract="What works.",
                        proposal_type_id=proposal_types(conference)[0].id, status=ProposalStatus.CONFIRMED,
                        submitted_by_id=user.id, duration_minutes=30)
    proposal.speakers.append(ProposalSpeaker(user_id=user.id, email=user.email, role=SUBMITTER))
    db.session.add(proposal)
    token = feed_token(conference, user)
    db.session.commit()
    return {"agenda_session_id": session.id, "agenda_speaker_id": speaker.id, "agenda_feed_token": token,
            "agenda_waiting_session_id": waiting.id, "agenda_proposal_id": proposal.id, "agenda_room_id": room.id,
            "agenda_day": day.isoformat()}
