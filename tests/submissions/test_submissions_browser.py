"""Submitting a proposal in Arabic with a co-speaker, in a real Chromium."""
from __future__ import annotations

from sqlalchemy import select

from conference.extensions import db
from conference.mail.models import OutboxMessage
from conference.submissions.models import Proposal, ProposalStatus
from tests.browser import CHROMIUM, CHROMIUM_ARGS, require_browser
from tests.conftest import PASSWORD

require_browser()
from playwright.sync_api import sync_playwright  # noqa: E402

ABSTRACT = "نعرض تجربة سلطنة عمان في تشغيل خط حماية الطفل: استقبال البلاغات والتنسيق مع الجهات المعنية."


def test_submit_a_proposal_in_arabic_with_a_co_speaker(live_server, cfp, speaker):
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(locale="ar")
        page.set_default_timeout(15_000)
        page.goto(f"{live_server}/doha/cfp?lang=ar")
        assert page.get_attribute("html", "dir") == "rtl"
        page.click("main .actions a.button.primary")  # log in to submit
        page.fill("#email", speaker.email)
        page.fill("#password", PASSWORD)
        page.click("main form button[type=submit]")
        page.wait_for_url(f"{live_server}/doha/cfp/new")
        page.fill("#title", "تجربة سلطنة عمان في خط حماية الطفل")
        page.fill("#abstract", ABSTRACT)
        counter = page.locator(".word-count")
        assert counter.is_visible() and "300" in counter.inner_text().translate(
            str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")
        )
        page.select_option("#proposal_type_id", index=2)
        page.select_option("#track_id", index=1)
        page.select_option("#language", "both")
        page.fill("#co_speakers", "amina.alharthy@example.org")
        page.click("button[name=submit_now]")
        page.wait_for_url(f"{live_server}/doha/me/proposals/*")
        assert page.get_attribute("html", "dir") == "rtl"
        assert "amina.alharthy@example.org" in page.inner_text("main")
        assert page.locator(".status-panel .pill-submitted").is_visible()
        browser.close()
    proposal = db.session.scalar(select(Proposal))
    assert proposal.status == ProposalStatus.SUBMITTED and proposal.abstract == ABSTRACT
    assert proposal.language == "both" and proposal.duration_minutes == 60 and proposal.track_id == cfp.tracks[0].id
    assert [s.email for s in proposal.speakers] == [speaker.email, "amina.alharthy@example.org"]
    invitation = db.session.scalar(select(OutboxMessage).where(OutboxMessage.template == "proposal_invitation"))
    assert invitation.recipient == "amina.alharthy@example.org" and invitation.locale == "ar"
