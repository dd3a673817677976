"""Public pages are shared: rendered once per version, language, day and filters (core.pagecache), the same for
every reader, 304 without a render on a repeat, stars loaded apart; with Redis, shared by every host."""

from __future__ import annotations

import os
import re
from contextlib import contextmanager
from datetime import timedelta

import pytest
import redis
from flask import template_rendered
from sqlalchemy import event

from conference import create_app
from conference.agenda.personal import set_star
from conference.agenda.versions import publish_agenda, published
from conference.db_locks import lock_conference
from conference.extensions import db
from conference.types import utcnow
from tests.conftest import PASSWORD, app_config, login, post_form


@pytest.fixture
def member(client, people):
    login(client, people["delegate"])
    return people["delegate"]


@pytest.fixture
def sessions(venue, add_session):
    made = [
        add_session("Keynote", start="09:00", end="10:00"),
        add_session("Panel", room=1, start="09:30", end="10:30"),
    ]
    add_session("Day two", day=1)
    publish_agenda(venue["conference"], None)
    db.session.commit()
    return made


@contextmanager
def day_renders(app):
    seen = []

    def record(sender, template, context, **extra):
        if template.name == "agenda/_day.html":
            seen.append(template.name)

    template_rendered.connect(record, app)
    try:
        yield seen
    finally:
        template_rendered.disconnect(record, app)


def test_a_day_is_rendered_once_for_many_readers(app, client, sessions):
    with day_renders(app) as seen:
        first = client.get("/doha/agenda?lang=ar").get_data(as_text=True)
        second = client.get("/doha/agenda?lang=ar").get_data(as_text=True)
    assert len(seen) == 1 and "Keynote" in second
    assert re.sub(r'csrf-token" content="[^"]*"', "", first) == re.sub(r'csrf-token" content="[^"]*"', "", second)


@pytest.mark.parametrize("second", ["/doha/agenda?lang=en", "/doha/agenda?lang=ar&kind=talk",
                                    "/doha/agenda?lang=ar&day={second_day}"], ids=["language", "filter", "day"])
def test_another_language_filter_or_day_is_rendered_apart(app, client, venue, sessions, second):
    days = venue["conference"].days
    with day_renders(app) as seen:
        client.get(f"/doha/agenda?lang=ar&day={days[0].isoformat()}")
        client.get(second.format(second_day=days[1].isoformat()))
    assert len(seen) == 2


def _content(html: str) -> str:
    """The page's main content (what is shared), without the frame's navigation."""
    return html.split('<main id="main"', 1)[1].split("</main>", 1)[0]


def test_a_logged_in_reader_gets_the_shared_page_and_their_stars_apart(app, client, sessions, people, venue):
    anonymous = client.get("/doha/agenda?lang=en").get_data(as_text=True)  # an anonymous reader fills the cache
    set_star(venue["conference"], people["delegate"], published(venue["conference"]), sessions[1].id, True)
    db.session.commit()
    login(client, people["delegate"])
    response = client.get("/doha/agenda?lang=en")
    html = response.get_data(as_text=True)
    assert _content(html) == _content(anonymous)  # nothing of theirs is in the shared part
    assert "aria-pressed" not in _content(html) and html.count('class="star star-link"') == 4
    assert "data-signed-in" in html and "data-signed-in" not in anonymous
    assert response.headers["Cache-Control"] == "no-store"  # the frame names them: never kept by a cache
    stars = client.get("/doha/agenda/stars")
    assert stars.get_json()["starred"] == [sessions[1].id] and stars.get_json()["csrf_token"]
    assert stars.headers["Cache-Control"] == "no-store"


def test_stars_need_a_login(client, sessions):
    assert client.get("/doha/agenda/stars").status_code == 302


def test_without_javascript_a_star_link_opens_the_readers_button(client, member, sessions):
    link = f"/doha/me/agenda/{sessions[0].id}?next=/doha/agenda?day=2027-01-06"
    page = client.get(link).get_data(as_text=True)
    assert 'aria-pressed="false"' in page and 'name="next" value="/doha/agenda?day=2027-01-06"' in page
    response = post_form(client, f"/doha/agenda/{sessions[0].id}/star",
                         {"starred": "1", "next": "/doha/agenda?day=2027-01-06"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/doha/agenda?day=2027-01-06")
    assert 'aria-pressed="true"' in client.get(link).get_data(as_text=True)
    assert client.get("/doha/me/agenda/999999").status_code == 404


def test_a_star_link_never_leads_to_another_site(client, member, sessions):
    page = client.get(f"/doha/me/agenda/{sessions[0].id}?next=//evil.example").get_data(as_text=True)
    assert 'name="next" value="/doha/agenda/' in page and 'value="//evil.example"' not in page


@contextmanager
def page_renders(app):
    seen = []

    def record(sender, template, context, **extra):
        seen.append(template.name)

    template_rendered.connect(record, app)
    try:
        yield seen
    finally:
        template_rendered.disconnect(record, app)


@pytest.mark.parametrize("path", ["/doha/agenda?lang=en", "/doha/agenda/{session}", "/doha/speakers",
                                  "/doha/agenda/changes", "/doha/agenda.ics"])
def test_a_repeat_is_a_304_without_rendering_anything(app, client, sessions, path):
    path = path.format(session=sessions[0].id)
    first = client.get(path)
    assert first.status_code == 200
    with page_renders(app) as seen:
        again = client.get(path, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and seen == []
    assert again.headers["ETag"] == first.headers["ETag"] and "max-age=60" in again.headers["Cache-Control"]


@contextmanager
def statements(app):
    seen = []

    def record(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


@pytest.mark.parametrize("path", ["/doha/agenda?lang=en", "/doha/agenda/{session}", "/doha/agenda.ics",
                                  "/doha/schedule.json"])
def test_a_repeat_and_a_stored_page_cost_one_query(app, sessions, path):
    """The conference's head (a few columns of its row) is all a repeat reads: a 304 or a page stored whole."""
    path = path.format(session=sessions[0].id)
    first = app.test_client().get(path)
    assert first.status_code == 200
    with statements(app) as seen:
        again = app.test_client().get(path, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and len(seen) == 1 and "FROM conferences" in seen[0]
    with statements(app) as seen:
        other_reader = app.test_client().get(path)
    assert other_reader.get_data() == first.get_data() and len(seen) == 1 and "FROM conferences" in seen[0]


def test_an_edit_of_the_conference_shows_at_once(client, venue, sessions):
    first = client.get("/doha/agenda?lang=en")
    venue["conference"].name_en = "Helplines Summit"
    db.session.commit()
    again = client.get("/doha/agenda?lang=en", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 200 and "Helplines Summit" in again.get_data(as_text=True)
    assert again.headers["ETag"] != first.headers["ETag"]


@pytest.mark.parametrize("path", ["/doha/agenda?lang=en", "/doha/agenda/{session}?lang=en", "/doha/speakers?lang=en"])
def test_a_client_that_only_asks_if_modified_since_sees_an_edit_of_the_conference(client, venue, sessions, path):
    path = path.format(session=sessions[0].id)
    first = client.get(path)
    venue["conference"].name_en = "Helplines Summit"
    venue["conference"].updated_at = utcnow() + timedelta(seconds=2)  # HTTP dates count whole seconds
    db.session.commit()
    again = client.get(path, headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert again.status_code == 200 and "Helplines Summit" in again.get_data(as_text=True)


def test_taking_the_conference_lock_is_not_an_edit(client, venue, sessions):
    first = client.get("/doha/agenda?lang=en")
    lock_conference(venue["conference"].id)  # registrations and publishing take it (SQLite: a no-op write)
    db.session.commit()
    again = client.get("/doha/agenda?lang=en", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


def test_junk_in_the_address_reuses_the_days_rendering(app, client, sessions):
    client.get("/doha/agenda?lang=en")
    with day_renders(app) as seen:
        for junk in ("x=1", "x=2", "day=not-a-day", "track=999999", "kind=nothing"):
            assert "Keynote" in client.get(f"/doha/agenda?lang=en&{junk}").get_data(as_text=True)
    assert seen == []


def test_a_remembered_reader_never_fills_the_page_that_anonymous_readers_get(app, client, sessions, people):
    people["delegate"].display_name = "Remembered Reader"
    db.session.commit()
    post_form(client, "/login", {"email": people["delegate"].email, "password": PASSWORD, "remember": "y"})
    remembered = app.test_client()
    remembered.set_cookie("remember_token", client.get_cookie("remember_token").value)
    anonymous = app.test_client()
    for number, order in enumerate([(remembered, anonymous), (anonymous, remembered)]):
        path = f"/doha/agenda?lang=en&visit={number}"  # an address nobody has asked for yet
        pages = {reader: reader.get(path) for reader in order}  # no session: Flask-Login uses the cookie
        assert "Remembered Reader" in pages[remembered].get_data(as_text=True)
        assert pages[remembered].headers["Cache-Control"] == "no-store"
        assert "Remembered Reader" not in pages[anonymous].get_data(as_text=True)


def test_a_pointer_to_no_version_reads_as_not_published(client, venue, sessions):
    venue["conference"].agenda_version_id = 999999  # a hand-made row: never a server error
    db.session.commit()
    for path in ("/doha/agenda", "/doha/agenda.pdf", "/doha/agenda/changes", "/doha/agenda.ics"):
        assert client.get(path).status_code == 200, path
    assert "not been published yet" in client.get("/doha/agenda").get_data(as_text=True)


@pytest.mark.parametrize("path", ["/nowhere/agenda", "/nowhere/agenda/1", "/nowhere/speakers", "/nowhere/agenda.ics",
                                  "/nowhere/schedule.json", "/nowhere/agenda/changes", "/nowhere/screen/board"])
def test_a_public_page_of_no_conference_is_not_found(client, sessions, path):
    assert client.get(path).status_code == 404


def test_a_page_varies_with_accept_language_only_when_the_language_comes_from_it(client, sessions):
    negotiated = client.get("/doha/agenda", headers={"Accept-Language": "ar"})
    assert 'lang="ar"' in negotiated.get_data(as_text=True)
    assert "Accept-Language" in negotiated.headers["Vary"]
    chosen = client.get("/doha/agenda?lang=en", headers={"Accept-Language": "ar"})
    assert "Accept-Language" not in chosen.headers.get("Vary", "")
    # The language chosen once is remembered in the session cookie, which the page varies with (Vary: Cookie).
    remembered = client.get("/doha/agenda", headers={"Accept-Language": "ar"})
    assert 'lang="en"' in remembered.get_data(as_text=True) and "Cookie" in remembered.headers["Vary"]
    assert "Accept-Language" not in remembered.headers["Vary"]
    assert "Set-Cookie" not in client.get("/doha/agenda?lang=en").headers  # a repeat writes no cookie


def test_a_flashed_message_is_shown_and_not_answered_with_a_304(client, sessions, people):
    first = client.get("/doha/agenda?lang=en")
    with client.session_transaction() as stored:
        stored["_flashes"] = [("info", "Something to say")]
    again = client.get("/doha/agenda?lang=en", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 200 and "Something to say" in again.get_data(as_text=True)


def test_the_venue_board_is_rendered_once_a_minute(app, client, sessions):
    with page_renders(app) as seen:
        for _ in range(3):
            assert client.get("/doha/screen/board").status_code == 200
    assert seen.count("agenda/_screen_board.html") == 1


def test_an_unreachable_redis_costs_a_render_not_an_error(database_url, sessions):
    other = create_app(app_config(database_url, PAGE_CACHE_URL="redis://127.0.0.1:1/0"))
    client = other.test_client()
    assert client.get("/doha/agenda?lang=en").status_code == 200
    assert "Keynote" in client.get("/doha/agenda?lang=en").get_data(as_text=True)


@pytest.fixture
def redis_url():
    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    try:
        redis.Redis.from_url(url).ping()
    except redis.ConnectionError:
        if os.environ.get("CI"):
            raise
        pytest.skip("no Redis at " + url)
    return url


def test_with_redis_two_hosts_share_pages_and_a_new_version_shows_at_once(database_url, redis_url, venue, sessions):
    first, second = (create_app(app_config(database_url, PAGE_CACHE_URL=redis_url)) for _ in range(2))
    with page_renders(first) as seen_first, page_renders(second) as seen_second:
        assert "Keynote" in first.test_client().get("/doha/agenda?lang=en").get_data(as_text=True)
        assert "Keynote" in second.test_client().get("/doha/agenda?lang=en").get_data(as_text=True)
    assert "agenda/agenda.html" in seen_first and "agenda/agenda.html" not in seen_second  # rendered by one host
    sessions[0].title_en = "Opening keynote"
    publish_agenda(venue["conference"], None)
    db.session.commit()
    assert "Opening keynote" in second.test_client().get("/doha/agenda?lang=en").get_data(as_text=True)
