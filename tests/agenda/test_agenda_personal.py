"""The personal agenda: stars with and without JavaScript, overlaps, the private feed and its reset."""
from __future__ import annotations

import pytest
from icalendar import Calendar

from conference.agenda.models import Star
from conference.agenda.personal import feed_token, my_sessions, reset_feed, set_star, starred_ids
from conference.agenda.services import AgendaError
from conference.agenda.versions import publish_agenda, published
from conference.extensions import db
from tests.conftest import csrf_token, login, post_form


@pytest.fixture
def sessions(venue, add_session):
    made = [add_session("Keynote", start="09:00", end="10:00"),
            add_session("Panel", room=1, start="09:30", end="10:30"),
            add_session("Workshop", room=2, start="11:00", end="12:00")]
    publish_agenda(venue["conference"], None)
    db.session.commit()
    return made


@pytest.fixture
def member(client, people):
    login(client, people["delegate"])
    return people["delegate"]


def test_star_and_unstar_directly(venue, sessions, people):
    conference, user = venue["conference"], people["delegate"]
    agenda = published(conference)
    assert set_star(conference, user, agenda, sessions[0].id, True) is True
    set_star(conference, user, agenda, sessions[0].id, True)  # twice is harmless
    assert starred_ids(conference, user) == {sessions[0].id}
    set_star(conference, user, agenda, sessions[0].id, False)
    assert starred_ids(conference, user) == set()


def test_a_session_not_on_the_published_agenda_cannot_be_starred(venue, sessions, people, add_session):
    unpublished = add_session("Later", start="15:00", end="16:00")
    with pytest.raises(AgendaError):
        set_star(venue["conference"], people["delegate"], published(venue["conference"]), unpublished.id, True)


def test_overlaps_are_found_among_starred_sessions(venue, sessions):
    rows = my_sessions(published(venue["conference"]), {s.id for s in sessions})
    overlapping = {row.session.title_en: [o.title_en for o in row.overlaps] for row in rows}
    assert overlapping == {"Keynote": ["Panel"], "Panel": ["Keynote"], "Workshop": []}


def test_starring_without_javascript_redirects_back(client, member, sessions):
    response = post_form(client, f"/doha/agenda/{sessions[0].id}/star", {"starred": "1", "next": "/doha/agenda"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/doha/agenda")
    assert db.session.query(Star).count() == 1


def test_starring_never_redirects_to_another_site(client, member, sessions):
    response = post_form(client, f"/doha/agenda/{sessions[0].id}/star", {"starred": "1", "next": "//evil.example"})
    assert "evil" not in response.headers["Location"]


def test_starring_with_javascript_answers_json(client, member, sessions):
    token = csrf_token(client, "/doha/agenda")
    response = client.post(f"/doha/agenda/{sessions[1].id}/star", data={"starred": "1", "csrf_token": token},
                           headers={"Accept": "application/json", "X-CSRFToken": token})
    assert response.get_json() == {"status": "ok", "starred": True}


def test_starring_an_unknown_session_is_404(client, member, sessions):
    assert post_form(client, "/doha/agenda/999999/star", {"starred": "1"}).status_code == 404


def test_starring_needs_a_login(client, sessions):
    token = csrf_token(client, "/login")
    response = client.post(f"/doha/agenda/{sessions[0].id}/star", data={"starred": "1", "csrf_token": token})
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_my_agenda_lists_stars_and_warns_about_overlaps(client, member, sessions):
    for session in sessions[:2]:
        post_form(client, f"/doha/agenda/{session.id}/star", {"starred": "1"})
    html = client.get("/doha/me/agenda?lang=en").get_data(as_text=True)
    assert "Keynote" in html and "Panel" in html and "Workshop" not in html
    assert "Overlaps with" in html


def test_my_agenda_is_empty_with_a_hint(client, member, sessions):
    html = client.get("/doha/me/agenda?lang=en").get_data(as_text=True)
    assert "not chosen any sessions yet" in html


def test_the_feed_serves_only_my_stars_without_login(app, venue, sessions, people):
    conference, user = venue["conference"], people["delegate"]
    set_star(conference, user, published(conference), sessions[2].id, True)
    token = feed_token(conference, user)
    db.session.commit()
    calendar = Calendar.from_ical(app.test_client().get(f"/doha/agenda/feed/{token}.ics").data)
    assert [str(e["summary"]) for e in calendar.walk("VEVENT")] == ["Workshop"]


def test_a_reset_feed_token_stops_the_old_address(app, venue, sessions, people):
    conference, user = venue["conference"], people["delegate"]
    old = feed_token(conference, user)
    new = reset_feed(conference, user)
    db.session.commit()
    assert old != new and len(new) >= 40
    client = app.test_client()
    assert client.get(f"/doha/agenda/feed/{old}.ics").status_code == 404
    assert client.get(f"/doha/agenda/feed/{new}.ics").status_code == 200


def test_resetting_the_feed_through_the_page(client, member, sessions, venue):
    old = feed_token(venue["conference"], member)
    db.session.commit()
    assert post_form(client, "/doha/me/agenda/feed/reset").status_code == 302
    assert feed_token(venue["conference"], member) != old
