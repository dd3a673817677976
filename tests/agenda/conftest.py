"""Fixtures of the agenda area: the doha conference with rooms and tracks, people, a session factory."""
from __future__ import annotations

from datetime import time

import pytest

from conference.agenda.services import SessionData, create_session
from conference.events.services import add_room, add_track
from conference.extensions import db


@pytest.fixture
def venue(doha):
    """Four rooms (the last one small) and two tracks on the doha conference."""
    rooms = [
        add_room(doha, "Main Hall", "القاعة الرئيسية", 400),
        add_room(doha, "Al Majlis Room", "قاعة المجلس", 120),
        add_room(doha, "Workshop Room 1", "قاعة ورش العمل ١", 60),
        add_room(doha, "Small Room", "القاعة الصغيرة", 10),
    ]
    tracks = [add_track(doha, "Child protection", "حماية الطفل", "#0b6e6e"),
              add_track(doha, "Emergencies", "الطوارئ", "#b91c1c")]
    db.session.commit()
    return {"conference": doha, "rooms": rooms, "tracks": tracks}


@pytest.fixture
def speakers(doha, make_delegate):
    """Three approved delegates who speak."""
    return [
        make_delegate(
            doha, name="حمد بن سيف الحوسني", name_latin="Hamad bin Saif Al-Housni", name_ar="حمد بن سيف الحوسني"
        ),
        make_delegate(doha, name="Charlotte Evans", country="GB"),
        make_delegate(doha, name="Youssef Benali", country="MA"),
    ]


@pytest.fixture
def add_session(venue):
    """Factory: a placed session on the first day, by room index and local "HH:MM" times."""
    conference = venue["conference"]

    def make(title: str = "Opening", room: int = 0, start: str = "09:00", end: str = "10:00", day: int = 0,
             **fields):
        data = SessionData(title_en=title, day=conference.days[day], start=time.fromisoformat(start),
                           end=time.fromisoformat(end), room_id=venue["rooms"][room].id, **fields)
        session = create_session(conference, data)
        db.session.commit()
        return session

    return make
