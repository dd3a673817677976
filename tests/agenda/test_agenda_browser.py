"""Reading the agenda in Arabic on a phone-sized screen in Chromium, and starring a session without a reload."""
from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from conference.agenda.models import AgendaSession, Star
from conference.agenda.versions import publish_agenda
from conference.extensions import db
from tests.browser import CHROMIUM, CHROMIUM_ARGS, require_browser
from tests.conftest import PASSWORD
from tests.pagecheck import session_cookie

require_browser()
from playwright.sync_api import sync_playwright  # noqa: E402


def test_a_delegate_reads_the_agenda_in_arabic_on_a_phone_and_stars_a_session(live_server, venue, add_session,
                                                                            speakers, make_user):
    add_session("Opening ceremony", title_ar="حفل الافتتاح", speaker_ids=[speakers[0].id], kind="ceremony",
                language="ar", interpretation="en")
    panel = add_session("Helplines in emergencies", title_ar="خطوط المساندة في حالات الطوارئ", room=1,
                        start="10:30", end="12:00", speaker_ids=[speakers[1].id], kind="panel")
    publish_agenda(venue["conference"], None)
    db.session.commit()
    reader = make_user("reader@example.org")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(locale="ar", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
        page.set_default_timeout(15_000)
        page.goto(f"{live_server}/login?lang=ar")
        page.fill("#email", reader.email)
        page.fill("#password", PASSWORD)
        page.click("main form button[type=submit]")
        page.wait_for_load_state()
        page.goto(f"{live_server}/doha/agenda?lang=ar")
        assert page.get_attribute("html", "dir") == "rtl"
        # On a phone the list is shown and the grid is not.
        assert page.is_visible(".agenda-list") and not page.is_visible(".agenda-grid")
        item = page.locator(f".agenda-list li#s-{panel.id}")
        assert "خطوط المساندة في حالات الطوارئ" in item.inner_text()
        assert "UTC+3" in page.inner_text(".zone-note")
        # The page reads right to left: the star sits at the left end of its row.
        row, star = item.bounding_box(), item.locator("button.star").bounding_box()
        assert star["x"] < row["x"] + row["width"] / 2
        page.evaluate("window.notReloaded = true")
        item.locator("button.star").click()
        page.wait_for_selector(f".agenda-list li#s-{panel.id} button.star[aria-pressed=true]")
        assert page.evaluate("window.notReloaded") is True
        page.goto(f"{live_server}/doha/me/agenda?lang=ar")
        assert "خطوط المساندة في حالات الطوارئ" in page.inner_text("main")
        browser.close()
    db.session.expire_all()
    assert db.session.scalars(select(Star.session_id)).all() == [panel.id]


def test_times_can_be_shown_in_the_readers_own_zone(live_server, venue, add_session):
    opening = add_session("Opening ceremony", start="09:00", end="10:00")
    publish_agenda(venue["conference"], None)
    db.session.commit()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(locale="en-GB", timezone_id="Asia/Tokyo", viewport={"width": 1280, "height": 900})
        page.set_default_timeout(15_000)
        page.goto(f"{live_server}/doha/agenda/{opening.id}?lang=en")
        first = page.locator(".session-time time").first
        assert first.inner_text().replace("\u202f", " ") == "9:00 AM"  # Doha time by default
        page.click("button.local-times")
        # 09:00 in Doha (UTC+3) is 15:00 in Tokyo (UTC+9), written the page language's way
        assert first.inner_text().replace("\u202f", " ") in ("15:00", "03:00 PM", "3:00 PM")
        assert "Asia/Tokyo" in page.inner_text(".zone-note")
        page.click("button.local-times")
        assert first.inner_text().replace("\u202f", " ") == "9:00 AM"
        browser.close()


def test_an_organizer_adds_a_session_with_the_keyboard(live_server, venue, speakers, people):
    conference = venue["conference"]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(locale="en")
        context.add_cookies([{"name": current_app.config["SESSION_COOKIE_NAME"], "url": live_server,
                              "value": session_cookie(current_app, people["organizer"])}])
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(f"{live_server}/doha/manage/agenda/new?lang=en&room={venue['rooms'][1].id}"
                  f"&day={conference.days[1].isoformat()}&start=10:30")
        assert page.input_value("#start") == "10:30" and page.input_value("#end") == "11:30"
        page.fill("#title_en", "Oman's child protection hotline")
        page.locator("input.list-filter").first.fill("Hamad")
        visible = page.evaluate("Array.from(document.querySelector('#speaker_ids').options)"
                                ".filter(o => !o.hidden).map(o => o.value)")
        assert visible == [str(speakers[0].id)]
        page.focus("#speaker_ids")
        page.keyboard.press("ArrowDown")  # the keyboard picks the one name left
        page.click("main form button[type=submit].primary")
        page.wait_for_url(f"{live_server}/doha/manage/agenda*")
        assert "Oman" in page.inner_text(".agenda-grid")
        browser.close()
    db.session.expire_all()
    session = db.session.scalar(select(AgendaSession))
    assert [p.delegate_id for p in session.people] == [speakers[0].id]
    assert session.room_id == venue["rooms"][1].id


def test_an_arabic_time_range_reads_right_to_left_in_chromium(live_server, venue, add_session):
    """The start (first in reading order) sits right of the end; in each time, ص sits left of the digits."""
    add_session("Opening ceremony", title_ar="حفل الافتتاح", start="09:00", end="10:00")
    publish_agenda(venue["conference"], None)
    db.session.commit()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(f"{live_server}/doha/agenda?lang=ar")
        found = page.evaluate("""() => {
          const range = document.querySelector('.grid-session .session-time');
          const [start, end] = range.querySelectorAll('time');
          const text = start.firstChild, box = (from, to) => {
            const r = document.createRange(); r.setStart(text, from); r.setEnd(text, to);
            return r.getBoundingClientRect().left; };
          const sad = text.textContent.indexOf('ص');
          return {start: start.getBoundingClientRect().left, end: end.getBoundingClientRect().left,
                  sad: box(sad, sad + 1), digit: box(0, 1), text: range.textContent};
        }""")
        browser.close()
    assert found["text"].startswith("9:00") and found["start"] > found["end"], found
    assert found["sad"] < found["digit"], found


def test_an_arabic_time_range_in_the_editor_grid_reads_right_to_left(live_server, venue, add_session, people):
    add_session("Opening ceremony", title_ar="حفل الافتتاح", start="09:00", end="10:00")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.set_default_timeout(15_000)
        page.goto(f"{live_server}/login?lang=ar")
        page.fill("#email", people["organizer"].email)
        page.fill("#password", PASSWORD)
        page.click("main form button[type=submit]")
        page.wait_for_load_state()
        page.goto(f"{live_server}/doha/manage/agenda?lang=ar")
        found = page.evaluate("""() => {
          const meta = document.querySelector('.editor-session .grid-meta');
          const at = (node, i) => { const r = document.createRange(); r.setStart(node, i); r.setEnd(node, i + 1);
                                    return r.getBoundingClientRect().left; };
          const full = meta.textContent, dash = full.indexOf('–');
          // the first "9" (start) and the first digit after the dash (end), wherever the text nodes are
          const walker = document.createTreeWalker(meta, NodeFilter.SHOW_TEXT); let seen = 0, start, end, node;
          while ((node = walker.nextNode())) {
            for (let i = 0; i < node.textContent.length; i++) {
              if (seen === 0 && start === undefined) start = at(node, i);
              if (seen === dash + 1) end = at(node, i);
              seen++;
            }
          }
          return {start, end, text: full};
        }""")
        browser.close()
    assert found["text"].startswith("9:00") and found["start"] > found["end"], found


def test_the_editor_uses_a_desks_width_and_shows_short_sessions_whole_on_hover(live_server, venue, add_session,
                                                                             people):
    short = add_session("Helplines and the sustainable development goals: a short talk", start="10:00",
                        end="10:20", room=1)
    for room in (0, 2, 3):
        add_session(f"Session in room {room}", start="11:00", end="12:00", room=room)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(locale="en", viewport={"width": 1920, "height": 1080})
        context.add_cookies([{"name": current_app.config["SESSION_COOKIE_NAME"], "url": live_server,
                              "value": session_cookie(current_app, people["organizer"])}])
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(f"{live_server}/doha/manage/agenda?lang=en")
        grid = page.locator(".agenda-grid").bounding_box()
        assert grid["width"] >= 0.8 * 1920  # a day of four rooms fills the screen
        cell = page.locator(f"#session-{short.id}")
        title = cell.locator("strong")
        clipped = "(e) => { const box = e.getBoundingClientRect(), cell = e.closest('.grid-session')" \
                  ".getBoundingClientRect(); return box.bottom > cell.bottom + 1 || box.right > cell.right + 1; }"
        assert cell.get_attribute("title") == short.title_en  # the whole title on hover, as a tooltip too
        cell.focus()  # and in the cell itself, on focus and on hover
        assert title.evaluate(clipped) is False
        assert title.evaluate("(e) => e.scrollWidth <= e.clientWidth + 1")
        nav = page.locator(".conference-links").bounding_box()
        assert nav["height"] < 60  # the organizers' navigation on one line
        browser.close()


def test_on_a_phone_the_organizers_tabs_scroll_and_show_that_they_do(live_server, venue, people):
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(locale="ar", viewport={"width": 390, "height": 844}, is_mobile=True,
                                      has_touch=True)
        context.add_cookies([{"name": current_app.config["SESSION_COOKIE_NAME"], "url": live_server,
                              "value": session_cookie(current_app, people["organizer"])}])
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(f"{live_server}/doha/manage/agenda?lang=ar")
        tabs = page.locator(".conference-links")
        assert tabs.evaluate("(e) => e.scrollWidth > e.clientWidth")  # more tabs than the screen holds
        assert "gradient" in tabs.evaluate("(e) => getComputedStyle(e).backgroundImage")  # the shaded edges
        section = page.locator(".conference-links [aria-current]")
        assert section.inner_text() == "البرنامج"  # the editor's section, lit
        for current in (section, page.locator(".conference-sublinks [aria-current=page]")):
            box = current.bounding_box()
            assert 0 <= box["x"] and box["x"] + box["width"] <= 390  # the current section and page are in view
        browser.close()
