"""Rows of the authorization matrix (tests/test_authorization.py) for the rooms and tracks pages."""
from __future__ import annotations

from tests.access import ORGANIZER, POST_ONLY

# endpoint -> (path to GET, expected status per visitor); "{name}" parts come from samples().
ROUTES: dict[str, tuple[str, dict[str, int]]] = {
    "events.rooms": ("/doha/manage/rooms", ORGANIZER),
    "events.new_room": ("/doha/manage/rooms/new", ORGANIZER),
    "events.edit_room": ("/doha/manage/rooms/{venue_room_id}/edit", ORGANIZER),
    "events.move_room": ("/doha/manage/rooms/{venue_room_id}/move/up", POST_ONLY),
    "events.delete_room": ("/doha/manage/rooms/{venue_room_id}/delete", POST_ONLY),
    "events.tracks": ("/doha/manage/tracks", ORGANIZER),
    "events.new_track": ("/doha/manage/tracks/new", ORGANIZER),
    "events.edit_track": ("/doha/manage/tracks/{venue_track_id}/edit", ORGANIZER),
    "events.move_track": ("/doha/manage/tracks/{venue_track_id}/move/down", POST_ONLY),
    "events.delete_track": ("/doha/manage/tracks/{venue_track_id}/delete", POST_ONLY),
}


def samples(people, conference) -> dict[str, int]:
    """A room and a track of the doha conference."""
    from conference.events.services import add_room, add_track
    from conference.extensions import db

    room = add_room(conference, "Venue Sample Room", "قاعة العينة", 80)
    track = add_track(conference, "Venue sample track", "مسار العينة", "#336699")
    db.session.commit()
    return {"venue_room_id": room.id, "venue_track_id": track.id}
