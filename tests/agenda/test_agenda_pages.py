"""The public agenda, the session page, the changelog, the editor and publishing, through HTTP."""
from __future__ import annotations

import pytest

from conference.agenda.models import AgendaSession, AgendaVersion
from conference.agenda.versions import publish_agenda
from conference.extensions import db
from tests.conftest import login, post_form
from tests.events.test_events import conference_form


@pytest.fixture
def organizer_client(client, people):
    login(client, people["organizer"])
    return client


def _published(venue, add_session, speakers):
    opening = add_session("Opening ceremony", start="09:00", end="10:00", speaker_ids=[speakers[0].id],
                          title_ar="حفل الافتتاح", kind="ceremony", language="both", interpretation="both")
    add_session("Helplines in emergencies", room=1, start="10:30", end="12:00", speaker_ids=[speakers[1].id],
                track_id=venue["tracks"][1].id, language="en", interpretation="ar", kind="panel")
    add_session("Day two workshop", room=2, day=1, start="09:00", end="10:30", kind="workshop", language="ar")
    publish_agenda(venue["conference"], None)
    db.session.commit()
    return opening


def test_before_publication_the_agenda_says_not_published_yet(client, venue):
    response = client.get("/doha/agenda")
    assert response.status_code == 200
    assert "not been published yet" in response.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/doha/speakers", "/doha/agenda.pdf", "/doha/agenda/changes"])
def test_other_public_pages_before_publication_answer_200(client, venue, path):
    assert client.get(path).status_code == 200


def test_the_agenda_shows_the_first_day_with_zone_and_languages(client, venue, add_session, speakers):
    _published(venue, add_session, speakers)
    html = client.get("/doha/agenda?lang=en").get_data(as_text=True)
    assert "Opening ceremony" in html and "Helplines in emergencies" in html
    assert "Day two workshop" not in html
    assert "UTC+3" in html
    assert "Interpretation into Arabic" in html


def test_the_second_day_tab(client, venue, add_session, speakers):
    _published(venue, add_session, speakers)
    day = venue["conference"].days[1].isoformat()
    html = client.get(f"/doha/agenda?day={day}").get_data(as_text=True)
    assert "Day two workshop" in html and "Opening ceremony" not in html


@pytest.mark.parametrize("query, shown, hidden", [
    ("kind=panel", "Helplines in emergencies", "Opening ceremony"),
    ("language=ar", "Opening ceremony", "Nothing hidden"),
    ("kind=nonsense&track=99999&language=xx", "Opening ceremony", "Nothing hidden"),
], ids=["kind", "language-with-interpretation", "unknown-filters-ignored"])
def test_filters(client, venue, add_session, speakers, query, shown, hidden):
    _published(venue, add_session, speakers)
    html = client.get(f"/doha/agenda?{query}").get_data(as_text=True)
    assert shown in html and hidden not in html


def test_the_agenda_in_arabic_is_right_to_left(client, venue, add_session, speakers):
    _published(venue, add_session, speakers)
    html = client.get("/doha/agenda?lang=ar").get_data(as_text=True)
    assert 'dir="rtl"' in html and "حفل الافتتاح" in html


def test_a_session_page(client, venue, add_session, speakers):
    opening = _published(venue, add_session, speakers)
    html = client.get(f"/doha/agenda/{opening.id}?lang=en").get_data(as_text=True)
    assert "Opening ceremony" in html and "Hamad bin Saif Al-Housni" in html and "Main Hall" in html
    assert "@example.org" not in html


def test_an_unknown_session_is_404(client, venue, add_session, speakers):
    _published(venue, add_session, speakers)
    assert client.get("/doha/agenda/99999").status_code == 404


def test_html_in_titles_is_escaped(client, venue, add_session, speakers):
    add_session("<script>alert(1)</script>")
    publish_agenda(venue["conference"], None)
    db.session.commit()
    html = client.get("/doha/agenda").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html


def test_the_editor_shows_grid_list_and_warnings(organizer_client, venue, add_session):
    add_session("A", start="09:00", end="10:00")
    add_session("B", start="09:30", end="10:30")
    html = organizer_client.get("/doha/manage/agenda").get_data(as_text=True)
    assert "A" in html and "holds" in html and "To be scheduled" in html


def test_creating_a_session_through_the_form(organizer_client, venue, speakers):
    conference = venue["conference"]
    response = post_form(organizer_client, "/doha/manage/agenda/new", {
        "title_en": "Oman's child protection hotline", "title_ar": "تجربة سلطنة عمان", "kind": "talk",
        "day": conference.days[0].isoformat(), "start": "11:00", "end": "11:30", "room_id": venue["rooms"][1].id,
        "speaker_ids": [speakers[0].id], "language": "ar", "interpretation": "en", "duration_minutes": "30",
    })
    assert response.status_code == 302
    session = db.session.query(AgendaSession).one()
    assert session.title_ar == "تجربة سلطنة عمان" and session.people[0].delegate_id == speakers[0].id


@pytest.mark.parametrize("fields, message", [
    ({"start": "12:00", "end": "11:00"}, "must end after it starts"),
    ({"day": "2001-01-01"}, "conference&#39;s days"),
    ({"day": "not-a-date"}, "Please correct"),
    ({"room_id": "abc"}, "Please correct"),
    ({"speaker_ids": ["999999"]}, "delegates of this conference"),
], ids=["reversed", "day-outside", "bad-day", "tampered-room", "unknown-speaker"])
def test_bad_form_input_is_a_message_and_saves_nothing(organizer_client, venue, fields, message):
    data = {"title_en": "X", "kind": "talk", "day": venue["conference"].days[0].isoformat(), "start": "11:00",
            "end": "11:30", "room_id": venue["rooms"][0].id, "language": "en", "interpretation": "",
            "duration_minutes": "30"}
    data.update(fields)
    response = post_form(organizer_client, "/doha/manage/agenda/new", data)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert db.session.query(AgendaSession).count() == 0


def test_editing_another_conferences_session_is_404(organizer_client, venue, make_conference):
    other = make_conference("elsewhere")
    session = AgendaSession(conference_id=other.id, title_en="Theirs")
    db.session.add(session)
    db.session.commit()
    assert organizer_client.get(f"/doha/manage/agenda/{session.id}/edit").status_code == 404
    assert post_form(organizer_client, f"/doha/manage/agenda/{session.id}/delete").status_code == 404


def test_publishing_through_the_page_asks_to_confirm_warnings(organizer_client, venue, add_session):
    add_session("A", start="09:00", end="10:00")
    add_session("B", start="09:30", end="10:30")
    page = organizer_client.get("/doha/manage/agenda/publish").get_data(as_text=True)
    assert "Open warnings" in page
    refused = post_form(organizer_client, "/doha/manage/agenda/publish", {"note": "first"})
    assert refused.status_code == 200 and db.session.query(AgendaVersion).count() == 0
    done = post_form(organizer_client, "/doha/manage/agenda/publish", {"note": "first", "confirm_warnings": "y"})
    assert done.status_code == 302 and db.session.query(AgendaVersion).one().number == 1


def test_placing_an_unplaced_session(organizer_client, venue):
    session = AgendaSession(conference_id=venue["conference"].id, title_en="Floating", duration_minutes=45)
    db.session.add(session)
    db.session.commit()
    response = post_form(organizer_client, f"/doha/manage/agenda/{session.id}/place", {
        "room_id": venue["rooms"][0].id, "day": venue["conference"].days[1].isoformat(), "start": "13:00"})
    assert response.status_code == 302
    db.session.refresh(session)
    assert session.placed and (session.ends_at - session.starts_at).seconds == 45 * 60


def test_the_changes_page_lists_a_move(client, venue, add_session, speakers):
    from datetime import time

    from conference.agenda.services import SessionData, update_session

    opening = _published(venue, add_session, speakers)
    conference = venue["conference"]
    update_session(conference, opening, SessionData(title_en="Opening ceremony", day=conference.days[0],
                                                    start=time(8), end=time(9), room_id=venue["rooms"][0].id))
    publish_agenda(conference, None)
    db.session.commit()
    html = client.get("/doha/agenda/changes?lang=en").get_data(as_text=True)
    assert "Version 2" in html and "Moved" in html and "Opening ceremony" in html


@pytest.mark.parametrize("sent, stored", [("15", 15), ("", 0)], ids=["minutes", "empty-means-none"])
def test_the_change_over_buffer_is_a_conference_setting(organizer_client, venue, sent, stored):
    response = post_form(organizer_client, "/doha/manage/settings",
                         conference_form(slug="doha", changeover_minutes=sent))
    assert response.status_code == 302
    db.session.refresh(venue["conference"])
    assert venue["conference"].changeover_minutes == stored


def test_a_negative_change_over_buffer_is_refused(organizer_client, venue):
    response = post_form(
        organizer_client, "/doha/manage/settings", conference_form(slug="doha", changeover_minutes="-5")
    )
    assert response.status_code == 200
    db.session.refresh(venue["conference"])
    assert venue["conference"].changeover_minutes == 0


def test_the_publish_page_lists_renamed_rooms_and_tracks(organizer_client, venue, add_session, speakers):
    _published(venue, add_session, speakers)
    venue["rooms"][1].name_en = "Majlis Hall"
    venue["tracks"][0].name_ar = "حماية الأطفال"
    db.session.commit()
    page = organizer_client.get("/doha/manage/agenda/publish?lang=en").get_data(as_text=True)
    assert "Nothing changed on the grid" not in page
    assert "Room renamed" in page and "<bdi>Al Majlis Room</bdi> is now <bdi>Majlis Hall</bdi>" in page
    assert "Track renamed" in page  # its English name is unchanged, so both sides read the same in English
    arabic = organizer_client.get("/doha/manage/agenda/publish?lang=ar").get_data(as_text=True)
    assert "مسار أُعيدت تسميته" in arabic  # "Track renamed"
    assert "<bdi>حماية الطفل</bdi>" in arabic and "<bdi>حماية الأطفال</bdi>" in arabic


def test_the_publish_page_says_when_nothing_changed(organizer_client, venue, add_session, speakers):
    _published(venue, add_session, speakers)
    page = organizer_client.get("/doha/manage/agenda/publish?lang=en").get_data(as_text=True)
    assert "Nothing changed on the grid" in page and "renamed" not in page
