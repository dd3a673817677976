"""Rows of the authorization matrix (tests/test_authorization.py) for conferences, their rooms and tracks."""
from __future__ import annotations

from tests.access import ADMIN, ADMIN_POST, ORGANIZER, ORGANIZER_POST, POST_ONLY, PUBLIC, Route

ROUTES: dict[str, Route] = {
    "events.index": Route("/", PUBLIC),
    "events.home": Route("/doha/", PUBLIC),
    "events.create": Route("/admin/conferences/new", ADMIN, ADMIN_POST, form={
        "slug": "beirut", "name_en": "Beirut Meeting", "name_ar": "لقاء بيروت", "country": "LB",
        "timezone": "Asia/Beirut", "start_date": "2031-05-04", "end_date": "2031-05-05"}),
    "events.settings": Route("/doha/manage/settings", ORGANIZER, ORGANIZER_POST, form={
        "slug": "doha", "name_en": "Child Helplines Meeting", "name_ar": "ملتقى خطوط نجدة الطفل", "country": "QA",
        "timezone": "Asia/Qatar", "start_date": "{first_day}", "end_date": "{last_day}", "capacity": "100",
        "changeover_minutes": "0", "admit_only_on_conference_days": "y"}),
    "events.rooms": Route("/doha/manage/rooms", ORGANIZER),
    "events.new_room": Route("/doha/manage/rooms/new", ORGANIZER, ORGANIZER_POST,
                             form={"name_en": "Al Dafna Hall", "name_ar": "قاعة الدفنة", "capacity": "60"}),
    "events.edit_room": Route("/doha/manage/rooms/{venue_room_id}/edit", ORGANIZER, ORGANIZER_POST,
                              form={"name_en": "Sample Room, renamed", "capacity": "90",
                                    "interpretation_booths": "y"}),
    "events.move_room": Route("/doha/manage/rooms/{venue_room_id}/move/up", POST_ONLY, ORGANIZER_POST),
    "events.delete_room": Route("/doha/manage/rooms/{venue_room_id}/delete", POST_ONLY, ORGANIZER_POST),
    "events.tracks": Route("/doha/manage/tracks", ORGANIZER),
    "events.new_track": Route("/doha/manage/tracks/new", ORGANIZER, ORGANIZER_POST, form={
        "name_en": "Online safety", "name_ar": "السلامة على الإنترنت", "colour": "#aa3377"}),
    "events.edit_track": Route("/doha/manage/tracks/{venue_track_id}/edit", ORGANIZER, ORGANIZER_POST,
                               form={"name_en": "Sample track, renamed", "colour": "#117733"}),
    "events.move_track": Route("/doha/manage/tracks/{venue_track_id}/move/down", POST_ONLY, ORGANIZER_POST),
    "events.delete_track": Route("/doha/manage/tracks/{venue_track_id}/delete", POST_ONLY, ORGANIZER_POST),
}


def samples(people, conference) -> dict:
    """A room and a track of the doha conference, each with a neighbour to move past, and the conference's days."""
    from conference.events.services import add_room, add_track
    from conference.extensions import db

    add_room(conference, "Venue First Room", "القاعة الأولى", 40)
    room = add_room(conference, "Venue Sample Room", "قاعة العينة", 80)
    track = add_track(conference, "Venue sample track", "مسار العينة", "#336699")
    add_track(conference, "Venue last track", "المسار الأخير", "#993366")
    db.session.commit()
    return {"venue_room_id": room.id, "venue_track_id": track.id, "first_day": conference.start_date.isoformat(),
            "last_day": conference.end_date.isoformat()}
