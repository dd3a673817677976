"""A room's door in a real Chromium: badges scanned at the Main Hall online and offline, synced when the network
returns, and the venue screen's occupancy line counting them."""
from __future__ import annotations

from datetime import datetime, time, timedelta, timezone

from tests.browser import CHROMIUM, CHROMIUM_ARGS, require_browser
from tests.checkin.test_checkin_browser import all_sent, dismiss, door_list_loaded, scan_by_hand, stored, until
from tests.conftest import PASSWORD

require_browser()
from playwright.sync_api import sync_playwright  # noqa: E402


def test_room_scans_online_and_offline_fill_the_venue_screen(live_server, today_conference, make_delegate,
                                                             door_staff):
    from conference.agenda.models import AgendaSession
    from conference.agenda.versions import publish_agenda
    from conference.checkin.models import CheckIn, SessionAttendance
    from conference.events.models import Room
    from conference.extensions import db

    now = datetime.now(timezone.utc)
    hall = Room(conference_id=today_conference.id, name_en="Main Hall", name_ar="القاعة الرئيسية", capacity=400)
    db.session.add(hall)
    db.session.flush()
    session = AgendaSession(conference_id=today_conference.id, title_en="Opening plenary",
                            title_ar="الجلسة الافتتاحية", room_id=hall.id,
                            starts_at=max(now - timedelta(minutes=10), datetime.combine(  # one of today's sessions
                                today_conference.local_date(now), time(), tzinfo=today_conference.tz)),
                            ends_at=now + timedelta(hours=1))
    db.session.add(session)
    today_conference.agenda_published = True
    publish_agenda(today_conference, None, warnings_seen=True)
    people = [make_delegate(today_conference, name=name) for name in ("Hamad Al-Housni", "Mariam Al-Kuwari")]
    for delegate in people:
        db.session.add(CheckIn(conference_id=today_conference.id, delegate_id=delegate.id,
                               day=today_conference.local_date(now), at=now - timedelta(minutes=30), gate="Main"))
    db.session.commit()
    hall_id = hall.id

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        screen = browser.new_context(locale="en-GB").new_page()
        screen.goto(f"{live_server}/door/screen?refresh=1")
        line = f".room-occupancy[data-room='{hall_id}'] .en"
        screen.wait_for_selector(line)
        assert screen.inner_text(line) == "0 / 400 seats"

        page = browser.new_context(locale="en-GB").new_page()
        page.set_default_timeout(15_000)
        page.goto(f"{live_server}/login")
        page.fill("input[name=email]", door_staff.email)
        page.fill("input[name=password]", PASSWORD)
        page.click("form button[type=submit]")
        page.wait_for_load_state()
        page.goto(f"{live_server}/door/checkin")
        page.fill("#gate-input", "Main Hall door")
        page.select_option("#room-input", str(hall_id))
        page.press("#gate-input", "Enter")
        page.wait_for_selector("#scan-input:focus")
        assert "Main Hall" in page.inner_text("#room-name")
        door_list_loaded(page)

        scan_by_hand(page, people[0].badge_token, "ok")
        assert "Opening plenary" in page.inner_text("#verdict")
        dismiss(page)
        until(screen, f"document.querySelector(\"{line}\").textContent === '1 / 400 seats'")

        page.context.set_offline(True)
        scan_by_hand(page, people[1].code, "ok")
        assert page.is_visible("#verdict-offline")
        dismiss(page)
        assert page.get_attribute("#sync-waiting", "data-count") == "1"
        page.context.set_offline(False)
        all_sent(page)
        until(screen, f"document.querySelector(\"{line}\").textContent === '2 / 400 seats'")
        browser.close()
    recorded = stored(SessionAttendance)
    assert sorted(row.delegate_id for row in recorded) == sorted(d.id for d in people)
    assert all(row.room_id == hall_id and row.session_id == session.id for row in recorded)
