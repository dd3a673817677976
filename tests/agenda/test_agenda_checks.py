"""The checks that refuse a save and the warnings that never block one, called directly."""
from __future__ import annotations

from datetime import time, timedelta

import pytest

from conference.agenda.checks import AgendaError, agenda_warnings
from conference.agenda.models import AgendaSession
from conference.agenda.services import SessionData, create_session, place_session, update_session, working_sessions
from conference.events.services import add_room
from conference.extensions import db


def _data(venue, **fields) -> SessionData:
    conference = venue["conference"]
    values = {"title_en": "Opening", "day": conference.days[0], "start": time(9), "end": time(10),
              "room_id": venue["rooms"][0].id}
    values.update(fields)
    return SessionData(**values)


def test_a_valid_session_is_saved_with_utc_instants(venue):
    session = create_session(venue["conference"], _data(venue))
    assert session.starts_at.utcoffset() == timedelta(0)
    assert session.starts_at.hour == 6  # 09:00 in Doha (UTC+3)
    assert session.duration_minutes == 60


@pytest.mark.parametrize("fields, message", [
    ({"start": time(10), "end": time(9)}, "end after it starts"),
    ({"start": time(10), "end": time(10)}, "end after it starts"),
    ({"start": time(10), "end": time(10, 3)}, "at least 5 minutes"),
    ({"start": time(10, 2), "end": time(10, 32)}, "5-minute steps"),
    ({"title_en": "", "title_ar": ""}, "title"),
    ({"title_en": "Evil \u202e title"}, "control characters"),
    ({"kind": "party"}, "kind of session"),
    ({"language": "fr"}, "language"),
    ({"start": time(9), "end": None}, "none of them"),
    ({"room_id": None}, "room"),
], ids=["reversed", "zero-length", "under-five-minutes", "off-step", "no-title", "bidi-override", "bad-kind",
        "bad-language", "half-a-time", "time-without-room"])
def test_bad_sessions_are_refused(venue, fields, message):
    with pytest.raises(AgendaError, match=message):
        create_session(venue["conference"], _data(venue, **fields))
    assert db.session.query(AgendaSession).count() == 0


def test_a_day_outside_the_conference_is_refused(venue):
    conference = venue["conference"]
    with pytest.raises(AgendaError, match="conference's days"):
        create_session(conference, _data(venue, day=conference.end_date + timedelta(days=1)))


def test_a_room_of_another_conference_is_refused(venue, make_conference):
    other = make_conference("elsewhere")
    room = add_room(other, "Elsewhere Hall", "", 100)
    db.session.commit()
    with pytest.raises(AgendaError, match="room does not belong"):
        create_session(venue["conference"], _data(venue, room_id=room.id))


def test_a_speaker_of_another_conference_is_refused(venue, make_conference, make_delegate):
    stranger = make_delegate(make_conference("elsewhere"))
    with pytest.raises(AgendaError, match="delegates of this conference"):
        create_session(venue["conference"], _data(venue, speaker_ids=[stranger.id]))


def test_a_failed_update_changes_nothing(venue, add_session):
    session = add_session("Keynote")
    with pytest.raises(AgendaError):
        update_session(venue["conference"], session, _data(venue, title_en="New", start=time(11), end=time(10)))
    db.session.rollback()
    assert db.session.get(AgendaSession, session.id).title_en == "Keynote"


def _kinds(conference) -> list[str]:
    return sorted(w.kind for w in agenda_warnings(conference, working_sessions(conference)))


def test_two_sessions_in_one_room_warn_but_both_are_saved(venue, add_session):
    add_session("A", start="09:00", end="10:00")
    add_session("B", start="09:30", end="10:30")
    assert _kinds(venue["conference"]) == ["room"]
    assert db.session.query(AgendaSession).count() == 2


def test_back_to_back_sessions_in_one_room_do_not_warn(venue, add_session):
    add_session("A", start="09:00", end="10:00")
    add_session("B", start="10:00", end="11:00")
    assert _kinds(venue["conference"]) == []


@pytest.mark.parametrize("role", ["speaker_ids", "moderator_ids", "chair_id"])
def test_a_person_in_two_rooms_at_once_warns(venue, add_session, speakers, role):
    person = speakers[0].id
    value = person if role == "chair_id" else [person]
    add_session("A", room=0, start="09:00", end="10:00", speaker_ids=[person])
    add_session("B", room=1, start="09:30", end="10:30", **{role: value})
    assert _kinds(venue["conference"]) == ["person"]


def test_the_changeover_buffer_warns_about_a_hop_without_a_break(venue, add_session, speakers):
    venue["conference"].changeover_minutes = 10
    add_session("A", room=0, start="09:00", end="10:00", speaker_ids=[speakers[0].id])
    add_session("B", room=1, start="10:05", end="11:00", speaker_ids=[speakers[0].id])
    warnings = agenda_warnings(venue["conference"], working_sessions(venue["conference"]))
    assert [w.kind for w in warnings] == ["person"] and "less than 10 minutes" in warnings[0].message


def test_a_room_smaller_than_the_audience_warns(venue, add_session):
    add_session("Crowd", room=3, expected_audience=50)
    assert _kinds(venue["conference"]) == ["capacity"]


def test_a_speaker_outside_their_availability_warns(venue, add_session, speakers):
    from conference.submissions.models import SpeakerAvailability

    session = add_session("A", start="09:00", end="10:00", speaker_ids=[speakers[0].id])
    db.session.add(SpeakerAvailability(conference_id=venue["conference"].id, user_id=speakers[0].user_id,
                                       starts_at=session.ends_at, ends_at=session.ends_at + timedelta(hours=3)))
    db.session.commit()
    assert _kinds(venue["conference"]) == ["availability"]


def test_a_speaker_inside_their_availability_does_not_warn(venue, add_session, speakers):
    from conference.submissions.models import SpeakerAvailability

    session = add_session("A", start="09:00", end="10:00", speaker_ids=[speakers[0].id])
    db.session.add(SpeakerAvailability(conference_id=venue["conference"].id, user_id=speakers[0].user_id,
                                       starts_at=session.starts_at, ends_at=session.ends_at))
    db.session.commit()
    assert _kinds(venue["conference"]) == []


def test_placing_keeps_the_duration(venue):
    conference = venue["conference"]
    session = create_session(conference, SessionData(title_en="Workshop", duration_minutes=90))
    assert not session.placed
    place_session(conference, session, venue["rooms"][2].id, conference.days[1], time(14))
    assert session.placed and session.ends_at - session.starts_at == timedelta(minutes=90)


def test_placing_past_midnight_is_refused(venue):
    conference = venue["conference"]
    session = create_session(conference, SessionData(title_en="Late", duration_minutes=90))
    with pytest.raises(AgendaError):
        place_session(conference, session, venue["rooms"][0].id, conference.days[0], time(23, 30))


FSI, PDI = "\u2068", "\u2069"


def test_warnings_isolate_names_and_titles_from_the_sentence(venue, add_session, speakers):
    hamad = speakers[0].id
    add_session("Coordinating policies", room=0, start="09:00", end="10:00", speaker_ids=[hamad])
    add_session("Oman's hotline", room=1, start="09:30", end="10:30", speaker_ids=[hamad])
    [warning] = agenda_warnings(venue["conference"], working_sessions(venue["conference"]))
    assert warning.message == (f"{FSI}حمد بن سيف الحوسني{PDI} is in “{FSI}Coordinating policies{PDI}” and "
                               f"“{FSI}Oman's hotline{PDI}” at the same time.")


def test_room_warnings_isolate_the_room_name(venue, add_session):
    add_session("A", room=0)
    add_session("B", room=0, start="09:30", end="10:30")
    [warning] = agenda_warnings(venue["conference"], working_sessions(venue["conference"]))
    assert warning.message.startswith(f"{FSI}Main Hall{PDI} holds “{FSI}A{PDI}”")


def test_placing_again_in_one_request_moves_the_loaded_room_too(venue, add_session):
    conference = venue["conference"]
    session = add_session("A", room=0)
    assert session.room.name_en == "Main Hall"  # the relationship is loaded
    place_session(conference, session, venue["rooms"][2].id, conference.days[0], time(11))
    assert session.room.id == venue["rooms"][2].id


def test_updating_in_one_request_changes_the_loaded_room_and_track(venue, add_session):
    conference = venue["conference"]
    session = add_session("A", room=0, track_id=venue["tracks"][0].id)
    assert session.room.id == venue["rooms"][0].id and session.track.id == venue["tracks"][0].id
    update_session(conference, session, _data(venue, room_id=venue["rooms"][1].id, track_id=venue["tracks"][1].id))
    assert (session.room.id, session.track.id) == (venue["rooms"][1].id, venue["tracks"][1].id)
