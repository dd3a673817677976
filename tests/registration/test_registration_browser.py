"""Registering in Arabic in a real Chromium: typing to find the country, the visa fields, the result."""
from __future__ import annotations

from sqlalchemy import select

from conference.extensions import db
from conference.registration.models import Delegate, DelegateStatus
from tests.browser import CHROMIUM, CHROMIUM_ARGS, require_browser

require_browser()
from playwright.sync_api import sync_playwright  # noqa: E402


def test_register_in_arabic_with_the_keyboard(live_server, doha):
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(locale="ar")
        page.set_default_timeout(15_000)
        page.goto(f"{live_server}/doha/register?lang=ar")
        assert page.get_attribute("html", "dir") == "rtl"
        page.fill("#name", "حمد بن سيف الحوسني")
        page.fill("#name_latin", "Hamad bin Saif Al-Housni")
        page.fill("#email", "hamad@example.org")
        page.fill("#password", "a-long-password")
        page.fill("#confirm", "a-long-password")
        # The country list is searched by typing, then chosen with the keyboard.
        page.fill("#country-search", "عمان")
        page.wait_for_selector("#country-options [role=option]")
        page.press("#country-search", "ArrowDown")
        page.press("#country-search", "Enter")
        assert page.input_value("#country") == "OM"
        # The passport fields appear only when a visa letter is asked for.
        assert not page.is_visible("#passport_number")
        page.check("#visa_requested")
        page.wait_for_selector("#passport_number", state="visible")
        page.uncheck("#visa_requested")
        page.check("#consent_privacy")
        page.click("main form button[type=submit]")
        # The same answer whether or not the address had an account; the chosen password logs in.
        page.wait_for_selector("text=تحقق من بريدك الإلكتروني")
        page.click("main a.button.primary")
        page.fill("#email", "hamad@example.org")
        page.fill("#password", "a-long-password")
        page.click("main form button[type=submit]")
        page.wait_for_url(f"{live_server}/doha/me")
        assert "قيد المراجعة" in page.inner_text("main")
        browser.close()
    delegate = db.session.scalar(select(Delegate))
    assert (delegate.country, delegate.status, delegate.locale) == ("OM", DelegateStatus.PENDING, "ar")
