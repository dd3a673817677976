"""Joining a team in a real Chromium, in Arabic: the invitation link, sign-up, the confirmation link, accepting."""
from __future__ import annotations

import re

from sqlalchemy import select

from conference.accounts.invitations import invite_team_member
from conference.accounts.models import Role, User
from conference.extensions import db
from conference.mail.models import OutboxMessage
from tests.browser import CHROMIUM, CHROMIUM_ARGS, require_browser

require_browser()
from playwright.sync_api import sync_playwright  # noqa: E402

PASSWORD = "a-long-password"


def link_in(template: str, pattern: str) -> str:
    db.session.expire_all()
    mail = db.session.scalars(select(OutboxMessage).where(OutboxMessage.template == template)
                              .order_by(OutboxMessage.id.desc())).first()
    return re.search(pattern, mail.body_text).group(0)


def test_a_newcomer_joins_the_door_staff_from_the_invitation(live_server, doha, make_user):
    boss = make_user("boss@example.org", Role.ORGANIZER, doha)
    invite_team_member(doha, "future-staff@example.org", Role.STAFF, boss, locale="ar")
    db.session.commit()
    invitation = link_in("team_invitation", r"/invitations/\S+")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(locale="ar")
        page.set_default_timeout(15_000)
        page.goto(f"{live_server}{invitation}?lang=ar")
        assert page.get_attribute("html", "dir") == "rtl"
        assert "موظفو الدخول" in page.inner_text("main")
        page.click("main a:has-text('إنشاء حساب')")
        assert page.input_value("#email") == ""  # the link names the address masked only: one types it
        page.fill("#email", "future-staff@example.org")
        page.fill("#display_name", "فاطمة الزهراء")
        page.fill("#password", PASSWORD)
        page.fill("#confirm", PASSWORD)
        page.click("main form button[type=submit]")
        page.wait_for_selector("text=تحقق من بريدك الإلكتروني")
        page.goto(live_server + link_in("welcome", r"/account/confirm/\S+"))
        page.fill("#password", PASSWORD)
        page.click("main form button[type=submit]")
        page.wait_for_selector("text=قبول الدعوة")  # back on the invitation, logged in and confirmed
        page.click("text=قبول الدعوة")
        page.wait_for_url(f"{live_server}/doha/")
        page.goto(f"{live_server}/doha/checkin")
        assert page.url.endswith("/doha/checkin")
        browser.close()
    user = db.session.scalar(select(User).where(User.email == "future-staff@example.org"))
    assert user.roles_for(doha.id) == {Role.STAFF} and user.address_confirmed


def test_the_banner_sends_the_link_again(live_server, doha, make_user):
    make_user("layla@example.org", verified=False)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(locale="en")
        page.set_default_timeout(15_000)
        page.goto(f"{live_server}/login?lang=en")
        page.fill("#email", "layla@example.org")
        page.fill("#password", "correct-horse-battery")
        page.click("main form button[type=submit]")
        page.goto(f"{live_server}/doha/")
        page.click(".address-banner button")
        page.wait_for_selector("text=We have sent the link again")
        assert page.url.endswith("/doha/")
        browser.close()
    assert link_in("confirm_address", r"/account/confirm/\S+")
