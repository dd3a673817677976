"""The venue screen in Chromium at 1080p: both languages, the venue's clock, updates in place, offline, page quality."""
from __future__ import annotations

from datetime import time

import pytest

from conference.agenda import screen as screen_page
from conference.agenda.services import place_session
from conference.agenda.versions import publish_agenda
from conference.extensions import db
from tests.agenda.test_agenda_screen import at
from tests.browser import CHROMIUM, CHROMIUM_ARGS, require_browser
from tests.pagecheck import LANGUAGES

require_browser()
from playwright.sync_api import sync_playwright  # noqa: E402

FULL_HD = {"width": 1920, "height": 1080}


@pytest.fixture
def programme(venue, add_session, speakers, monkeypatch):
    """A published first day, seen by the screen at 09:30 Doha time."""
    conference = venue["conference"]
    sessions = {
        "opening": add_session("Opening ceremony", title_ar="حفل الافتتاح", start="09:00", end="10:00",
                               speaker_ids=[speakers[0].id], kind="ceremony"),
        "panel": add_session("Helplines in emergencies", title_ar="خطوط المساندة في حالات الطوارئ", room=1,
                             start="10:30", end="12:00", speaker_ids=[speakers[1].id], kind="panel"),
        "workshop": add_session("Listening skills", title_ar="مهارات الإصغاء", start="11:00", end="12:00"),
    }
    publish_agenda(conference, None, warnings_seen=True)
    db.session.commit()
    moment = at(conference, 0, "09:30")
    monkeypatch.setattr(screen_page, "utcnow", lambda: moment)
    return sessions


def _open(playwright, url: str, **options):
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    page = browser.new_page(viewport=FULL_HD, **options)
    page.set_default_timeout(15_000)
    refused = []
    page.on("console", lambda message: refused.append(message.text)
            if "Content Security Policy" in message.text else None)
    page.goto(url)
    return browser, page, refused


def test_the_screen_shows_both_languages_and_the_venues_clock(live_server, programme):
    with sync_playwright() as playwright:
        # The display's own clock and zone are Tokyo's: the screen still shows Doha time, from the server.
        browser, page, refused = _open(playwright, f"{live_server}/doha/screen?lang=en&refresh=1",
                                       locale="en-GB", timezone_id="Asia/Tokyo")
        lobby = page.locator(".rooms")
        assert page.locator(".room-now .title.en", has_text="Opening ceremony").is_visible()
        assert page.locator(".room-now .title.ar", has_text="حفل الافتتاح").is_visible()
        assert page.get_attribute(".room-now .title.ar", "dir") == "rtl"
        text = lobby.inner_text()
        assert "Helplines in emergencies" in text and "خطوط المساندة في حالات الطوارئ" in text
        # Arabic sits to the right of English whatever the page language.
        english, arabic = (page.locator(f".room-now .title.{code}").bounding_box() for code in ("en", "ar"))
        assert arabic["x"] > english["x"] + english["width"] / 2
        page.wait_for_timeout(1500)  # the clock has ticked and the board has been fetched again at least once
        assert page.inner_text("#screen-clock") in ("09:30", "09:31")
        # Now and next fit on the screen: nothing to scroll.
        assert page.evaluate("document.documentElement.scrollHeight <= window.innerHeight")
        assert refused == []
        browser.close()


def test_a_move_published_later_reaches_the_open_screen_without_a_reload(live_server, venue, programme):
    conference = venue["conference"]
    workshop = programme["workshop"]
    with sync_playwright() as playwright:
        browser, page, _ = _open(playwright, f"{live_server}/doha/screen?lang=ar&refresh=1", locale="ar")
        page.evaluate("window.notReloaded = true")
        assert page.locator(f"[data-uid='{workshop.uid}'].changed").count() == 0
        place_session(conference, workshop, venue["rooms"][2].id, conference.days[0], time(11, 30))
        db.session.commit()
        publish_agenda(conference, None, warnings_seen=True)
        db.session.commit()
        moved = page.locator(f".slot.changed-moved[data-uid='{workshop.uid}']")
        moved.wait_for(state="visible")
        assert "11:30–12:30" in moved.inner_text()
        assert "Moved" in moved.inner_text() and "Was 11:00, Main Hall" in moved.inner_text()
        assert page.evaluate("window.notReloaded") is True
        browser.close()


def test_without_network_the_last_board_stays_with_a_stale_mark(live_server, programme):
    with sync_playwright() as playwright:
        browser, page, _ = _open(playwright, f"{live_server}/doha/screen?lang=en&refresh=1")
        assert page.is_hidden("#screen-stale")
        page.route("**/screen/board*", lambda route: route.abort("internetdisconnected"))
        page.locator("#screen-stale").wait_for(state="visible")
        assert page.locator(".room-now .title.en", has_text="Opening ceremony").is_visible()
        assert page.inner_text("#screen-stale .stale-time >> nth=0") in ("09:30", "09:31")
        page.unroute("**/screen/board*")
        page.locator("#screen-stale").wait_for(state="hidden")
        browser.close()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_screen_has_no_serious_accessibility_violations(axe, programme, language):
    assert axe([("/doha/screen", None)], {}, language) == {}


def test_the_screen_is_valid_html(vnu, programme):
    assert vnu([("/doha/screen", None)], {}) == []  # the board fragment is part of it
