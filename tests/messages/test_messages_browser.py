"""Writing to "approved delegates from Oman" in a real Chromium: the live count, a preview, send, progress."""
from __future__ import annotations

from sqlalchemy import select

from conference.core.tasks import run_pending
from conference.extensions import db
from conference.mail.models import MailState, OutboxMessage
from tests.browser import CHROMIUM, CHROMIUM_ARGS, require_browser
from tests.conftest import PASSWORD

require_browser()
from playwright.sync_api import sync_playwright  # noqa: E402


def test_an_organizer_writes_to_approved_delegates_from_oman_and_watches_it_go(live_server, doha, organizer,
                                                                               make_delegate):
    make_delegate(doha, "Hamad Al-Housni", email="hamad@example.org")
    make_delegate(doha, "ليلى الهاشمي", email="layla@example.org", locale="ar")
    make_delegate(doha, "Pending Omani", email="pending@example.org", status="pending")
    make_delegate(doha, "From Qatar", email="qatar@example.org", country="QA")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.set_default_timeout(15_000)
        page.goto(f"{live_server}/login")
        page.fill("#email", organizer.email)
        page.fill("#password", PASSWORD)
        page.click("main form button[type=submit]")
        page.wait_for_load_state()
        page.goto(f"{live_server}/doha/manage/messages/new")
        page.select_option("#status", "approved")
        page.wait_for_selector("#recipient-count:has-text('3 recipients.')")
        page.select_option("#country", "OM")  # the count follows the filters without a reload
        page.wait_for_selector("#recipient-count:has-text('2 recipients.')")
        page.fill("#subject_en", "Welcome to {conference}")
        page.fill("#body_en", "Dear {first_name},\n\nyour code is {code}.")
        page.fill("#subject_ar", "مرحباً بكم في {conference}")
        page.fill("#body_ar", "عزيزنا {first_name}،\n\nرمزك {code}.")
        page.select_option("#preview_for", "layla@example.org")
        page.click("button[name=preview]")
        page.wait_for_selector(".mail-preview")
        assert "مرحباً بكم في مؤتمر تجريبي" in page.inner_text(".mail-preview")
        page.click("button[name=send]")
        page.wait_for_url("**/doha/manage/messages/*")
        run_pending()  # the worker: queues the message's mail, then delivers it
        page.wait_for_selector("[data-done=true]")
        assert page.inner_text("[data-count=sent]") == "2"
        assert page.inner_text("[data-count=queued]") == "0"
        browser.close()
    sent = db.session.scalars(select(OutboxMessage.recipient).where(OutboxMessage.state == MailState.SENT)).all()
    assert sorted(sent) == ["hamad@example.org", "layla@example.org"]
