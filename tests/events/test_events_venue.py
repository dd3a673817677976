"""Rooms and tracks: the services that add, change, reorder and delete them, and the organizers' pages."""
from __future__ import annotations

from datetime import time

import pytest
from flask import current_app
from sqlalchemy import select

from conference.accounts.models import Role
from conference.agenda.services import SessionData, create_session
from conference.events.models import Room, Track
from conference.events.services import (
    ConferenceError,
    add_room,
    add_track,
    delete_room,
    delete_track,
    move_room,
    move_track,
    update_room,
    update_track,
)
from conference.extensions import db
from conference.submissions.models import Proposal, ProposalType
from tests.browser import CHROMIUM, CHROMIUM_ARGS
from tests.conftest import login, post_form
from tests.pagecheck import LANGUAGES, session_cookie

ROOMS = "/doha/manage/rooms"
TRACKS = "/doha/manage/tracks"


@pytest.fixture
def rooms(doha):
    """Three rooms of the doha conference, in this order."""
    made = [add_room(doha, "Main Hall", "القاعة الرئيسية", 400), add_room(doha, "Al Majlis", "المجلس", 120),
            add_room(doha, "Workshop Room", "قاعة الورش", 40)]
    db.session.commit()
    return made


@pytest.fixture
def tracks(doha):
    """Two tracks of the doha conference."""
    made = [add_track(doha, "Child protection", "حماية الطفل", "#0b6e6e"),
            add_track(doha, "Emergencies", "الطوارئ", "#b91c1c")]
    db.session.commit()
    return made


@pytest.fixture
def organizer(doha, make_user):
    return make_user("organizer@example.org", Role.ORGANIZER, doha)


def _session(conference, room=None, track=None, placed=True):
    data = SessionData(title_en="Opening", day=conference.days[0] if placed else None,
                       start=time(9) if placed else None, end=time(10) if placed else None,
                       room_id=room.id if room else None, track_id=track.id if track else None)
    session = create_session(conference, data)
    db.session.commit()
    return session


def _proposal(conference, track):
    kind = ProposalType(conference_id=conference.id, name_en="Talk", duration_minutes=20)
    db.session.add(kind)
    db.session.flush()
    db.session.add(Proposal(conference_id=conference.id, title="Hotlines", proposal_type_id=kind.id,
                            track_id=track.id))
    db.session.commit()


def _room_data(**changes) -> dict:
    data = {"name_en": "Main Hall", "name_ar": "القاعة الرئيسية", "capacity": 400, "interpretation_booths": False,
            "opens_at": None, "closes_at": None}
    return {**data, **changes}


def _names(items) -> list[str]:
    return [item.name_en for item in sorted(items, key=lambda item: item.position)]


# services: rooms


def test_rooms_are_added_at_the_end_of_the_list(doha, rooms):
    assert [room.position for room in rooms] == [0, 1, 2]


def test_a_room_keeps_its_booths_and_opening_hours(doha):
    room = add_room(doha, "Plenary", "القاعة العامة", 300, interpretation_booths=True, opens_at=time(8),
                    closes_at=time(18, 30))
    db.session.commit()
    db.session.expire_all()
    stored = db.session.get(Room, room.id)
    assert (stored.interpretation_booths, stored.opens_at, stored.closes_at) == (True, time(8), time(18, 30))


@pytest.mark.parametrize(("name_en", "name_ar", "field"), [
    ("Main Hall", "", "name_en"),
    ("main hall", "", "name_en"),
    ("New Hall", "المجلس", "name_ar"),
], ids=["same-name", "other-letter-case", "same-arabic-name"])
def test_a_room_name_taken_in_the_conference_is_refused(doha, rooms, name_en, name_ar, field):
    with pytest.raises(ConferenceError) as refused:
        add_room(doha, name_en, name_ar)
    assert refused.value.field == field


def test_another_conference_may_use_the_same_room_name(rooms, make_conference):
    other = make_conference("other")
    add_room(other, "Main Hall", "القاعة الرئيسية")
    db.session.commit()
    assert _names(other.rooms) == ["Main Hall"]


def test_a_room_is_changed(rooms):
    update_room(rooms[0], _room_data(name_en="Grand Hall", capacity=450, interpretation_booths=True,
                                     opens_at=time(8), closes_at=time(20)))
    db.session.commit()
    db.session.expire_all()
    stored = db.session.get(Room, rooms[0].id)
    assert (stored.name_en, stored.capacity, stored.interpretation_booths, stored.opens_at) == (
        "Grand Hall", 450, True, time(8))


def test_a_room_keeps_its_own_name(rooms):
    update_room(rooms[0], _room_data(capacity=10))
    db.session.commit()
    assert rooms[0].capacity == 10


def test_a_room_cannot_take_another_rooms_name(rooms):
    with pytest.raises(ConferenceError):
        update_room(rooms[0], _room_data(name_en="Al Majlis", name_ar=""))


def test_a_room_closes_after_it_opens(rooms):
    with pytest.raises(ConferenceError) as refused:
        update_room(rooms[0], _room_data(opens_at=time(18), closes_at=time(9)))
    assert refused.value.field == "closes_at"


@pytest.mark.parametrize(("index", "step", "expected"), [
    (1, -1, ["Al Majlis", "Main Hall", "Workshop Room"]),
    (1, 1, ["Main Hall", "Workshop Room", "Al Majlis"]),
    (0, -1, ["Main Hall", "Al Majlis", "Workshop Room"]),
    (2, 1, ["Main Hall", "Al Majlis", "Workshop Room"]),
], ids=["up", "down", "first-up-stays", "last-down-stays"])
def test_a_room_moves_one_place(doha, rooms, index, step, expected):
    move_room(rooms[index], step)
    db.session.commit()
    assert _names(doha.rooms) == expected
    assert sorted(room.position for room in doha.rooms) == [0, 1, 2]


def test_moving_mends_positions_that_older_data_left_equal(doha, rooms):
    for room in rooms:
        room.position = 0
    db.session.commit()
    move_room(rooms[2], -1)
    db.session.commit()
    assert sorted(room.position for room in doha.rooms) == [0, 1, 2]
    assert _names(doha.rooms).index("Workshop Room") == 1


def test_an_unused_room_is_deleted_and_the_others_close_up(doha, rooms):
    delete_room(rooms[1])
    db.session.commit()
    db.session.expire_all()
    assert _names(doha.rooms) == ["Main Hall", "Workshop Room"]
    assert [room.position for room in doha.rooms] == [0, 1]


def test_a_room_used_by_sessions_is_not_deleted(doha, rooms):
    _session(doha, rooms[0])
    _session(doha, rooms[0], placed=False)  # a session taken off the grid keeps its room, and counts
    with pytest.raises(ConferenceError, match="2 sessions of the agenda"):
        delete_room(rooms[0])
    db.session.rollback()
    assert db.session.get(Room, rooms[0].id) is not None


# services: tracks


def test_a_track_is_added_changed_and_its_colour_written_in_lowercase(doha, tracks):
    update_track(tracks[1], {"name_en": "Crises", "name_ar": "الأزمات", "colour": "#AABBCC"})
    db.session.commit()
    db.session.expire_all()
    stored = db.session.get(Track, tracks[1].id)
    assert (stored.name_en, stored.name_ar, stored.colour, stored.position) == ("Crises", "الأزمات", "#aabbcc", 1)


def test_a_track_name_taken_in_the_conference_is_refused(doha, tracks):
    with pytest.raises(ConferenceError):
        add_track(doha, "EMERGENCIES", "")


def test_a_track_moves_one_place(doha, tracks):
    move_track(tracks[1], -1)
    db.session.commit()
    assert _names(doha.tracks) == ["Emergencies", "Child protection"]


def test_an_unused_track_is_deleted(doha, tracks):
    delete_track(tracks[0])
    db.session.commit()
    db.session.expire_all()
    assert [(t.name_en, t.position) for t in doha.tracks] == [("Emergencies", 0)]


@pytest.mark.parametrize(("sessions", "proposals", "message"), [
    (1, 0, "1 session of the agenda"),
    (0, 1, "1 proposal"),
    (1, 1, "1 proposal and 1 session of the agenda"),  # in the order the areas are set up
], ids=["session", "proposal", "both"])
def test_a_track_in_use_is_not_deleted(doha, rooms, tracks, sessions, proposals, message):
    if sessions:
        _session(doha, rooms[0], tracks[0])
    if proposals:
        _proposal(doha, tracks[0])
    with pytest.raises(ConferenceError) as refused:
        delete_track(tracks[0])
    assert message in str(refused.value)
    db.session.rollback()
    assert db.session.get(Track, tracks[0].id) is not None


# pages


def _room_form(**changes) -> dict:
    data = {"name_en": "Al Dafna Hall", "name_ar": "قاعة الدفنة", "capacity": "250", "opens_at": "08:00",
            "closes_at": "18:00", "interpretation_booths": "y"}
    return {**data, **changes}


def test_an_organizer_adds_a_room(client, doha, organizer):
    login(client, organizer)
    response = post_form(client, f"{ROOMS}/new", _room_form())
    assert response.status_code == 302 and response.headers["Location"].endswith(ROOMS)
    room = db.session.scalar(select(Room).where(Room.name_en == "Al Dafna Hall"))
    assert (room.capacity, room.interpretation_booths, room.opens_at, room.closes_at) == (
        250, True, time(8), time(18))
    page = client.get(ROOMS).get_data(as_text=True)
    assert "Al Dafna Hall" in page and "قاعة الدفنة" in page and "08:00–18:00" in page


def test_an_organizer_edits_a_room(client, rooms, organizer):
    login(client, organizer)
    form = client.get(f"{ROOMS}/{rooms[0].id}/edit").get_data(as_text=True)
    assert 'value="Main Hall"' in form and 'value="400"' in form
    response = post_form(client, f"{ROOMS}/{rooms[0].id}/edit", _room_form(name_en="Main Hall", capacity="",
                                                                           opens_at="", closes_at=""))
    assert response.status_code == 302
    db.session.expire_all()
    assert (rooms[0].name_ar, rooms[0].capacity, rooms[0].opens_at) == ("قاعة الدفنة", None, None)


@pytest.mark.parametrize("visitor", ["anonymous", "delegate", "reviewer", "staff", "other_organizer"])
def test_only_organizers_change_rooms(client, people, rooms, visitor):
    if people[visitor]:
        login(client, people[visitor])
    paths = [f"{ROOMS}/new", f"{ROOMS}/{rooms[0].id}/edit", f"{ROOMS}/{rooms[0].id}/move/down",
             f"{ROOMS}/{rooms[0].id}/delete", f"{TRACKS}/new"]
    for path in paths:
        response = post_form(client, path, _room_form())
        assert response.status_code == (302 if visitor == "anonymous" else 403), path
        if visitor == "anonymous":
            assert "/login" in response.headers["Location"]
    db.session.expire_all()
    assert _names(db.session.scalars(select(Room)).all()) == ["Main Hall", "Al Majlis", "Workshop Room"]


def test_an_admin_changes_rooms(client, rooms, make_user):
    login(client, make_user("admin@example.org", admin=True))
    assert post_form(client, f"{ROOMS}/{rooms[2].id}/move/up").status_code == 302
    db.session.expire_all()
    assert _names(rooms[0].conference.rooms) == ["Main Hall", "Workshop Room", "Al Majlis"]


@pytest.mark.parametrize(("field", "value"), [
    ("name_en", "Main Hall"),
    ("name_en", "main hall"),
    ("name_ar", "المجلس"),
], ids=["same-name", "other-letter-case", "same-arabic-name"])
def test_a_duplicate_room_name_is_a_form_error(client, rooms, organizer, field, value):
    login(client, organizer)
    response = post_form(client, f"{ROOMS}/new", _room_form(**{field: value}))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f'id="{field}-error"' in html and "already has a room" in html
    assert db.session.scalar(select(Room).where(Room.name_en == "Al Dafna Hall")) is None


@pytest.mark.parametrize(("changes", "field"), [
    ({"capacity": "-1"}, "capacity"),
    ({"capacity": "0"}, "capacity"),
    ({"capacity": "99999999999999999999999"}, "capacity"),
    ({"capacity": "lots"}, "capacity"),
    ({"capacity": "1e309"}, "capacity"),
    ({"opens_at": "25:00"}, "opens_at"),
    ({"opens_at": "nine"}, "opens_at"),
    ({"opens_at": "18:00", "closes_at": "09:00"}, "closes_at"),
    ({"opens_at": "10:00", "closes_at": "10:00"}, "closes_at"),
    ({"name_en": ""}, "name_en"),
    ({"name_en": "x" * 121}, "name_en"),
    ({"name_en": "Hall \u202eA"}, "name_en"),
    ({"name_ar": "قاعة\u2067"}, "name_ar"),
    ({"name_en": "Hall\x00"}, "name_en"),
], ids=["negative", "zero", "huge", "words", "overflow", "hour-25", "words-hour", "closes-first", "closes-same",
        "no-name", "long-name", "bidi-override", "bidi-isolate-ar", "nul"])
def test_bad_room_input_is_a_form_error_never_a_500(client, doha, organizer, changes, field):
    login(client, organizer)
    response = post_form(client, f"{ROOMS}/new", _room_form(**changes))
    assert response.status_code == 200
    assert f'id="{field}-error"' in response.get_data(as_text=True)
    assert db.session.scalars(select(Room)).all() == []


def test_deleting_a_used_room_says_how_many_sessions_use_it(client, doha, rooms, organizer):
    _session(doha, rooms[1])
    login(client, organizer)
    response = post_form(client, f"{ROOMS}/{rooms[1].id}/delete", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "The room “Al Majlis” is used by 1 session of the agenda" in html
    assert db.session.get(Room, rooms[1].id) is not None


def test_deleting_an_unused_room(client, doha, rooms, organizer):
    login(client, organizer)
    response = post_form(client, f"{ROOMS}/{rooms[1].id}/delete", follow_redirects=True)
    assert "has been deleted" in response.get_data(as_text=True)
    db.session.expire_all()
    assert _names(doha.rooms) == ["Main Hall", "Workshop Room"]


@pytest.mark.parametrize("path", [f"{ROOMS}/{{room}}/move/sideways", f"{ROOMS}/999999/delete",
                                  f"{TRACKS}/999999/edit"], ids=["direction", "no-room", "no-track"])
def test_unknown_rooms_tracks_and_directions_are_not_found(client, rooms, organizer, path):
    login(client, organizer)
    assert post_form(client, path.format(room=rooms[0].id)).status_code == 404


def test_a_room_of_another_conference_is_not_found(client, rooms, make_conference, make_user):
    other = make_conference("other")
    login(client, make_user("their-organizer@example.org", Role.ORGANIZER, other))
    assert client.get(f"/other/manage/rooms/{rooms[0].id}/edit").status_code == 404


def test_moves_and_deletes_need_the_csrf_token(client, rooms, organizer):
    login(client, organizer)
    assert client.post(f"{ROOMS}/{rooms[0].id}/delete").status_code == 400
    assert db.session.get(Room, rooms[0].id) is not None


def test_an_organizer_adds_a_track_with_a_colour(client, doha, organizer):
    login(client, organizer)
    form = client.get(f"{TRACKS}/new").get_data(as_text=True)
    assert 'type="color"' in form
    response = post_form(client, f"{TRACKS}/new", {"name_en": "Digital safety", "name_ar": "السلامة الرقمية",
                                                   "colour": "#1D4ED8"})
    assert response.status_code == 302
    track = db.session.scalar(select(Track))
    assert (track.name_en, track.colour) == ("Digital safety", "#1d4ed8")
    assert 'fill="#1d4ed8"' in client.get(TRACKS).get_data(as_text=True)


@pytest.mark.parametrize("colour", ["red", "#12345", "#gggggg", "", "#1234567", "javascript:x"])
def test_a_track_colour_is_hex(client, doha, organizer, colour):
    login(client, organizer)
    response = post_form(client, f"{TRACKS}/new", {"name_en": "Digital safety", "colour": colour})
    assert response.status_code == 200 and 'id="colour-error"' in response.get_data(as_text=True)


def test_a_duplicate_track_name_is_a_form_error(client, tracks, organizer):
    login(client, organizer)
    response = post_form(client, f"{TRACKS}/{tracks[1].id}/edit", {"name_en": "Child Protection",
                                                                     "colour": "#000000"})
    assert response.status_code == 200 and "already has a track" in response.get_data(as_text=True)


def test_deleting_a_used_track_says_what_uses_it(client, doha, rooms, tracks, organizer):
    _session(doha, rooms[0], tracks[1])
    _proposal(doha, tracks[1])
    login(client, organizer)
    html = post_form(client, f"{TRACKS}/{tracks[1].id}/delete", follow_redirects=True).get_data(as_text=True)
    assert "1 proposal and 1 session of the agenda" in html
    assert db.session.get(Track, tracks[1].id) is not None


def test_a_track_moves_down_from_the_page(client, doha, tracks, organizer):
    login(client, organizer)
    post_form(client, f"{TRACKS}/{tracks[0].id}/move/down")
    db.session.expire_all()
    assert _names(doha.tracks) == ["Emergencies", "Child protection"]


@pytest.mark.parametrize("path", [ROOMS, TRACKS, f"{ROOMS}/new", f"{TRACKS}/new"])
def test_the_arabic_pages_read_right_to_left(client, rooms, tracks, organizer, path):
    login(client, organizer)
    html = client.get(f"{path}?lang=ar").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in html


def test_the_pages_are_linked_from_the_settings_the_editor_and_the_navigation(client, doha, organizer):
    login(client, organizer)
    for page in ("/doha/manage/settings", "/doha/manage/agenda"):
        html = client.get(page).get_data(as_text=True)
        assert f'href="{ROOMS}"' in html and f'href="{TRACKS}"' in html, page


# page quality and a browser


@pytest.fixture
def venue_pages(doha, rooms, tracks, organizer):
    """The four pages, with data, for the organizer."""
    rooms[0].interpretation_booths, rooms[0].opens_at, rooms[0].closes_at = True, time(8), time(18)
    db.session.commit()
    paths = [(ROOMS, "organizer"), (TRACKS, "organizer"), (f"{ROOMS}/{rooms[0].id}/edit", "organizer"),
             (f"{TRACKS}/new", "organizer")]
    return paths, {"organizer": organizer}


@pytest.mark.parametrize("language", LANGUAGES)
def test_venue_pages_have_no_serious_accessibility_violations(axe, venue_pages, language):
    paths, who = venue_pages
    assert axe(paths, who, language) == {}


def test_venue_pages_are_valid_html(vnu, venue_pages):
    paths, who = venue_pages
    assert vnu(paths, who) == []


def test_a_room_added_in_chromium_is_a_column_of_the_agenda_editor(live_server, rooms, organizer):
    from tests.browser import require_browser

    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(locale="en")
        context.add_cookies([{"name": current_app.config["SESSION_COOKIE_NAME"], "url": live_server,
                              "value": session_cookie(current_app, organizer)}])
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(f"{live_server}/doha/manage/agenda?lang=en")
        page.click("a[href='/doha/manage/rooms']")
        page.click("text=Add a room")
        page.fill("#name_en", "Al Dafna Hall")
        page.fill("#name_ar", "قاعة الدفنة")
        page.fill("#capacity", "250")
        page.click("main form button[type=submit].primary")
        page.wait_for_url(f"{live_server}{ROOMS}")
        page.click("button[aria-label='Move “Al Dafna Hall” up']")
        page.wait_for_load_state()
        page.goto(f"{live_server}/doha/manage/agenda?lang=en")
        columns = page.locator(".agenda-grid .grid-room").all_inner_texts()
        browser.close()
    assert [c.split(" (")[0] for c in columns] == ["Main Hall", "Al Majlis", "Al Dafna Hall", "Workshop Room"]
