"""In a real Chromium: an organizer builds a choice question with a condition, a visitor registers in Arabic
answering it (the conditional question appears only when its condition is met), and the answer is in the Excel
export."""
from __future__ import annotations

import io

from openpyxl import load_workbook
from sqlalchemy import select

from conference.accounts.models import Role
from conference.extensions import db
from conference.questions.models import Question
from tests.browser import CHROMIUM, CHROMIUM_ARGS, require_browser
from tests.conftest import PASSWORD

require_browser()
from playwright.sync_api import sync_playwright  # noqa: E402


def log_in(page, live_server: str, email: str) -> None:
    page.goto(f"{live_server}/login?lang=en")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("main form button[type=submit]")


def test_build_a_question_register_in_arabic_and_find_the_answer_in_excel(live_server, doha, make_user):
    make_user("organizer@example.org", Role.ORGANIZER, doha)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        organizer = browser.new_page()
        organizer.set_default_timeout(15_000)
        log_in(organizer, live_server, "organizer@example.org")
        organizer.goto(f"{live_server}/doha/manage/questions/new/registration?lang=en")
        organizer.select_option("#kind", "choice")
        organizer.fill("#label_en", "How are you arriving?")
        organizer.fill("#label_ar", "كيف ستصل؟")
        organizer.fill("#choices_text", "By air | جوًا\nBy land | برًا")
        organizer.check("#required")
        organizer.click("main form.panel button[type=submit]")
        organizer.wait_for_selector("text=The question has been added.")
        how = db.session.scalar(select(Question))
        organizer.goto(f"{live_server}/doha/manage/questions/new/registration")
        organizer.select_option("#kind", "choice")
        organizer.fill("#label_en", "Which hotel?")
        organizer.fill("#label_ar", "أي فندق؟")
        organizer.fill("#choices_text", "Sheraton Grand Doha | فندق شيراتون جراند الدوحة\nOther | فندق آخر")
        organizer.select_option("#condition_question_id", str(how.id))
        organizer.select_option("#condition_values", str(how.choices[0].id))
        organizer.click("main form.panel button[type=submit]")
        organizer.wait_for_selector("text=The question has been added.")

        visitor = browser.new_page(locale="ar")
        visitor.set_default_timeout(15_000)
        visitor.goto(f"{live_server}/doha/register?lang=ar")
        assert visitor.get_attribute("html", "dir") == "rtl"
        visitor.fill("#name", "مريم الكواري")
        visitor.fill("#email", "mariam@example.org")
        visitor.fill("#password", "a-long-password")
        visitor.fill("#confirm", "a-long-password")
        visitor.fill("#country-search", "قطر")
        visitor.wait_for_selector("#country-options [role=option]")
        visitor.press("#country-search", "ArrowDown")
        visitor.press("#country-search", "Enter")
        hotel = db.session.scalar(select(Question).where(Question.id != how.id))
        assert not visitor.is_visible(f"#question-{hotel.id}-field")  # asked only of those who fly in
        visitor.check("text=جوًا")
        visitor.wait_for_selector(f"#question-{hotel.id}-field", state="visible")
        visitor.check("text=فندق شيراتون جراند الدوحة")
        visitor.check("#consent_privacy")
        visitor.click("main form button[type=submit]")
        visitor.wait_for_selector("text=تحقق من بريدك الإلكتروني")

        organizer.goto(f"{live_server}/doha/manage/delegates?lang=en")
        link = organizer.get_attribute("text=Export Excel", "href")
        # The organizer's own session downloads the workbook the link names.
        workbook = load_workbook(io.BytesIO(organizer.context.request.get(f"{live_server}{link}").body()))
        browser.close()
    rows = list(workbook.active.values)
    assert rows[0][-2:] == ("How are you arriving?", "Which hotel?")
    assert rows[1][-2:] == ("By air", "Sheraton Grand Doha")


def test_the_proposal_form_shows_a_types_questions_once_that_type_is_chosen(live_server, make_conference, make_user,
                                                                          make_question):
    from datetime import datetime, timedelta, timezone

    from conference.submissions.call import call_of, proposal_types

    now = datetime.now(timezone.utc)
    conference = make_conference("doha", cfp_opens_at=now - timedelta(days=1), cfp_closes_at=now + timedelta(days=9))
    call_of(conference)
    db.session.commit()
    talk, workshop = (str(kind.id) for kind in proposal_types(conference)[:2])
    equipment = make_question(conference, target="proposal", label_en="Equipment needed", proposal_type_ids=[workshop])
    everyone = make_question(conference, target="proposal", label_en="Target audience")
    make_user("speaker@example.org")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.set_default_timeout(15_000)
        log_in(page, live_server, "speaker@example.org")
        page.goto(f"{live_server}/doha/cfp/new?lang=en")
        assert page.is_visible(f"#question-{everyone.id}-field")
        assert not page.is_visible(f"#question-{equipment.id}-field")  # asked of workshops only
        page.select_option("#proposal_type_id", talk)
        page.wait_for_selector(f"#question-{equipment.id}-field", state="hidden")
        assert page.is_visible(f"#question-{everyone.id}-field")
        page.select_option("#proposal_type_id", workshop)
        page.wait_for_selector(f"#question-{equipment.id}-field", state="visible")
        browser.close()
