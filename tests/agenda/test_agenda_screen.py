"""The venue screen: now, next and the rest of today per room at given instants, from the published agenda only."""
from __future__ import annotations

from datetime import datetime, time, timedelta, timezone

import pytest

from conference.agenda import screen as screen_page
from conference.agenda.board import BEFORE, ENDED, OPEN, UNPUBLISHED, venue_board
from conference.agenda.services import delete_session, place_session
from conference.agenda.versions import publish_agenda, published
from conference.extensions import db


def at(conference, day: int, clock: str) -> datetime:
    """An instant given as the conference's day index (may lie outside the days) and its local clock time."""
    local = datetime.combine(conference.start_date + timedelta(days=day), time.fromisoformat(clock),
                             tzinfo=conference.tz)
    return local.astimezone(timezone.utc)


def publish(conference) -> None:
    publish_agenda(conference, None, warnings_seen=True)
    db.session.commit()


@pytest.fixture
def day_one(venue, add_session, speakers):
    """Two rooms in use on the first day, one session on the second, published as version 1."""
    sessions = {
        "opening": add_session("Opening ceremony", title_ar="حفل الافتتاح", start="09:00", end="10:00",
                               speaker_ids=[speakers[0].id]),
        "workshop": add_session("Listening skills", title_ar="مهارات الإصغاء", start="11:00", end="12:00"),
        "panel": add_session("Helplines in emergencies", room=1, start="10:30", end="12:00",
                             speaker_ids=[speakers[1].id]),
        "closing": add_session("Closing", start="09:00", end="10:00", day=1),
    }
    publish(venue["conference"])
    return sessions


def board_at(venue, day: int, clock: str, room: int | None = None):
    conference = venue["conference"]
    room_id = venue["rooms"][room].id if room is not None else None
    return venue_board(conference, published(conference), at(conference, day, clock), room_id)


def titles(sessions) -> list[str]:
    return [s.title_en for s in sessions]


def rooms_now_next(board) -> dict[str, tuple[list[str], str | None]]:
    return {r.room.name_en: (titles(r.current), r.following.title_en if r.following else None)
            for r in board.rooms}


def test_without_a_published_agenda_the_board_says_so(venue, add_session):
    add_session("Opening ceremony")
    board = venue_board(venue["conference"], published(venue["conference"]), at(venue["conference"], 0, "09:30"))
    assert board.state == UNPUBLISHED and board.rooms == []


@pytest.mark.parametrize("day, clock, state", [
    (-1, "09:30", BEFORE), (-30, "12:00", BEFORE), (0, "07:00", OPEN), (1, "09:30", OPEN), (1, "10:00", ENDED),
    (2, "09:00", ENDED),
], ids=["the-day-before", "a-month-before", "early-on-day-one", "during-the-last-session",
        "after-the-last-session", "the-day-after"])
def test_the_board_knows_whether_the_programme_has_started_or_ended(venue, day_one, day, clock, state):
    assert board_at(venue, day, clock).state == state


def test_during_a_session_each_room_shows_what_runs_now_and_what_comes_next(venue, day_one):
    board = board_at(venue, 0, "09:30")
    assert rooms_now_next(board) == {
        "Main Hall": (["Opening ceremony"], "Listening skills"),
        "Al Majlis Room": ([], "Helplines in emergencies"),
    }
    assert titles(board.remaining) == ["Opening ceremony", "Helplines in emergencies", "Listening skills"]


def test_between_sessions_nothing_runs_and_the_next_one_is_shown(venue, day_one):
    board = board_at(venue, 0, "10:15")
    assert rooms_now_next(board) == {"Main Hall": ([], "Listening skills"),
                                     "Al Majlis Room": ([], "Helplines in emergencies")}
    assert titles(board.remaining) == ["Helplines in emergencies", "Listening skills"]
    assert board.later == []


def test_before_the_first_session_of_the_day_everything_is_still_to_come(venue, day_one):
    board = board_at(venue, 0, "07:00")
    assert rooms_now_next(board)["Main Hall"] == ([], "Opening ceremony")
    assert titles(board.later) == ["Listening skills"]  # the rooms' next ones are not listed twice


def test_after_the_days_sessions_the_board_points_to_the_next_day(venue, day_one):
    board = board_at(venue, 0, "18:00")
    assert board.state == OPEN and board.remaining == []
    assert board.next_day == venue["conference"].days[1]


def test_a_door_screen_shows_its_own_room_only(venue, day_one):
    board = board_at(venue, 0, "10:45", room=1)
    assert rooms_now_next(board) == {"Al Majlis Room": (["Helplines in emergencies"], None)}
    assert titles(board.remaining) == ["Helplines in emergencies"]


def test_a_door_screen_of_a_room_unused_today_still_shows_the_room(venue, day_one):
    board = board_at(venue, 0, "09:30", room=2)
    assert rooms_now_next(board) == {"Workshop Room 1": ([], None)}


def test_changes_in_the_working_copy_are_not_shown_until_published(venue, day_one, add_session):
    conference = venue["conference"]
    place_session(conference, day_one["opening"], venue["rooms"][2].id, conference.days[0], time(9, 30))
    add_session("Not yet public", room=3, start="09:00", end="10:00")
    board = board_at(venue, 0, "09:15")
    assert rooms_now_next(board)["Main Hall"] == (["Opening ceremony"], "Listening skills")
    assert "Not yet public" not in titles(board.remaining) and board.changes == {}


def test_sessions_moved_added_or_cancelled_since_the_first_publication_are_flagged(venue, day_one, add_session):
    conference = venue["conference"]
    place_session(conference, day_one["workshop"], venue["rooms"][2].id, conference.days[0], time(11, 30))
    added = add_session("Late addition", room=3, start="11:00", end="11:30")
    delete_session(conference, day_one["panel"])
    day_one["opening"].title_en = "Opening ceremony and welcome"  # renamed only: nobody has to go elsewhere
    db.session.commit()
    publish(conference)
    board = board_at(venue, 0, "09:30")
    assert {uid: change.kind for uid, change in board.changes.items()} == {
        day_one["workshop"].uid: "moved", added.uid: "added", day_one["panel"].uid: "cancelled"}
    assert board.changes[day_one["workshop"].uid].before.room.name_en == "Main Hall"
    assert titles(board.cancelled) == ["Helplines in emergencies"]
    assert "Helplines in emergencies" not in titles(board.remaining)


def test_changes_stay_flagged_across_later_versions(venue, day_one):
    conference = venue["conference"]
    place_session(conference, day_one["workshop"], venue["rooms"][0].id, conference.days[0], time(11, 15))
    db.session.commit()
    publish(conference)
    day_one["opening"].title_ar = "حفل الافتتاح الرسمي"
    db.session.commit()
    publish(conference)  # version 3 changes a title only; the move of version 2 still counts against version 1
    assert set(board_at(venue, 0, "09:30").changes) == {day_one["workshop"].uid}


# ---- over HTTP ----

@pytest.fixture
def frozen(monkeypatch, venue):
    """Set the instant the screen takes as now (the one clock of the page module)."""
    def freeze(day: int, clock: str) -> None:
        moment = at(venue["conference"], day, clock)
        monkeypatch.setattr(screen_page, "utcnow", lambda: moment)

    return freeze


def test_the_screen_needs_no_login_and_shows_both_languages(client, venue, day_one, frozen):
    frozen(0, "09:30")
    response = client.get("/doha/screen?lang=en")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Opening ceremony" in html and "حفل الافتتاح" in html
    assert 'lang="ar" dir="rtl"' in html and 'lang="en" dir="ltr"' in html
    assert ">Now<" in html and ">الآن<" in html
    assert "<bdi>حمد بن سيف الحوسني</bdi>" in html and "<bdi>Hamad bin Saif Al-Housni</bdi>" in html
    assert '<time class="clock" id="screen-clock">09:30</time>' in html  # the venue's clock, not UTC


def test_the_arabic_screen_runs_right_to_left_with_the_same_content(client, venue, day_one, frozen):
    frozen(0, "09:30")
    html = client.get("/doha/screen?lang=ar").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in html
    assert "Opening ceremony" in html and "حفل الافتتاح" in html


def test_the_screen_has_no_inline_script_or_style(client, venue, day_one, frozen):
    frozen(0, "09:30")
    html = client.get("/doha/screen").get_data(as_text=True)
    assert "<script>" not in html and "style=" not in html and "<style" not in html


@pytest.mark.parametrize("path", ["/nowhere/screen", "/doha/screen?room=999999", "/doha/screen?room=abc",
                                  "/doha/screen/board?room=999999", "/nowhere/screen/board"])
def test_unknown_conferences_and_rooms_are_not_found(client, venue, day_one, path):
    assert client.get(path).status_code == 404


def test_another_conferences_room_is_not_found(client, venue, day_one, make_conference):
    from conference.events.services import add_room

    other = make_conference("other")
    room = add_room(other, "Elsewhere", "مكان آخر", 50)
    db.session.commit()
    assert client.get(f"/doha/screen?room={room.id}").status_code == 404


def test_a_conference_without_a_published_agenda_gets_a_message_in_both_languages(client, venue, frozen):
    frozen(0, "09:30")
    response = client.get("/doha/screen")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "The agenda has not been published yet." in html and "لم يُنشر" in html


def test_before_the_conference_the_screen_says_when_it_starts(client, venue, day_one, frozen):
    frozen(-3, "12:00")
    html = client.get("/doha/screen").get_data(as_text=True)
    assert "The programme starts on" in html and "Opening ceremony" not in html


def test_after_the_conference_the_screen_says_it_has_ended(client, venue, day_one, frozen):
    frozen(5, "12:00")
    html = client.get("/doha/screen").get_data(as_text=True)
    assert "The conference has ended." in html


def test_a_door_screen_shows_its_room_only(client, venue, day_one, frozen):
    frozen(0, "10:45")
    html = client.get(f"/doha/screen?room={venue['rooms'][1].id}").get_data(as_text=True)
    assert "Helplines in emergencies" in html and "Listening skills" not in html
    assert "قاعة المجلس" in html


def test_the_board_fragment_is_fresh_and_carries_the_servers_time(client, venue, day_one, frozen):
    frozen(0, "09:30")
    response = client.get(f"/doha/screen/board?room={venue['rooms'][0].id}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert response.headers["Cache-Control"] == "no-store"
    assert datetime.fromisoformat(response.headers["X-Screen-Now"]) == at(venue["conference"], 0, "09:30")
    assert html.lstrip().startswith('<div class="board') and "<html" not in html
    assert "Opening ceremony" in html and "Listening skills" in html


def test_a_moved_session_is_highlighted_with_where_it_was(client, venue, day_one, frozen):
    conference = venue["conference"]
    place_session(conference, day_one["workshop"], venue["rooms"][2].id, conference.days[0], time(11, 30))
    db.session.commit()
    publish(conference)
    frozen(0, "09:30")
    html = client.get("/doha/screen/board").get_data(as_text=True)
    assert f'class="slot changed changed-moved" data-uid="{day_one["workshop"].uid}"' in html
    assert "Was 11:00, Main Hall" in html


@pytest.mark.parametrize("refresh, expected", [("5", 5), ("", 30), ("0", 30), ("x", 30), ("99999", 3600)])
def test_the_refresh_interval_is_bounded(client, venue, day_one, frozen, refresh, expected):
    frozen(0, "09:30")
    html = client.get(f"/doha/screen?refresh={refresh}").get_data(as_text=True)
    assert f'data-refresh="{expected}"' in html


def test_the_public_agenda_links_to_the_venue_screen(client, venue, day_one):
    html = client.get("/doha/agenda").get_data(as_text=True)
    assert 'href="/doha/screen"' in html


def test_the_publish_page_links_a_screen_for_the_lobby_and_each_room(client, venue, day_one, people):
    from tests.conftest import login

    login(client, people["organizer"])
    html = client.get("/doha/manage/agenda/publish").get_data(as_text=True)
    assert 'href="/doha/screen"' in html
    for room in venue["rooms"]:
        assert f'href="/doha/screen?room={room.id}"' in html


def test_a_door_screen_before_publication_names_its_room_and_says_so(client, venue, frozen):
    frozen(0, "09:30")
    html = client.get(f"/doha/screen?room={venue['rooms'][1].id}").get_data(as_text=True)
    assert "Al Majlis Room" in html and "The agenda has not been published yet." in html


def test_in_the_evening_the_screen_points_to_the_next_day(client, venue, day_one, frozen):
    frozen(0, "20:00")
    html = client.get("/doha/screen").get_data(as_text=True)
    assert "Nothing more today." in html and "The programme continues on" in html
    assert "يستأنف البرنامج يوم" in html


@pytest.mark.parametrize(("query", "status"), [  # a NUL in any address is a 400 (core.params.refuse_nul_in_address)
    ("room=-1", 404), ("room=%C2%B2", 404), ("room=99999999999999999999", 404),
    ("refresh=-5", 200), ("refresh=%00", 400), ("refresh=1e309", 200), ("room=", 200), ("lang=xx", 200),
])
def test_odd_query_strings_never_break_the_screen(client, venue, day_one, frozen, query, status):
    frozen(0, "09:30")
    assert client.get(f"/doha/screen?{query}").status_code == status
    assert client.get(f"/doha/screen/board?{query}").status_code == status


def test_organizers_preview_the_screen_at_any_moment_and_nobody_else_can(client, venue, day_one, people):
    from tests.conftest import login

    day = venue["conference"].start_date.isoformat()
    path = f"/doha/screen?at={day}T11:15"
    anonymous = client.get(path).get_data(as_text=True)
    assert "Preview for organizers" not in anonymous  # the present, whatever ?at= says
    login(client, people["organizer"])
    page = client.get(path).get_data(as_text=True)
    assert "Preview for organizers" in page and "Listening skills" in page and "Helplines in emergencies" in page
    assert f"at={day}T11:15" in page  # the board the script fetches is the same moment
    board = client.get(f"/doha/screen/board?at={day}T11:15")
    assert "Listening skills" in board.get_data(as_text=True)
    assert board.headers["X-Screen-Now"].startswith(f"{day}T08:15")  # 11:15 in Doha, in UTC
    for bad in ("yesterday", f"{day}T25:00", f"{day}", "2027-02-30T10:00", "x" * 100):
        assert client.get(f"/doha/screen?at={bad}").status_code == 200
    assert "/doha/screen" in client.get("/doha/manage/agenda/publish").get_data(as_text=True)
