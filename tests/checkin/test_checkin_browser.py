"""The door page in a real Chromium: a handheld scanner, the search, and a camera reading a printed badge."""
from __future__ import annotations

import io
from pathlib import Path

from tests.browser import CHROMIUM, CHROMIUM_ARGS, require_browser
from tests.conftest import PASSWORD

require_browser()
from playwright.sync_api import sync_playwright  # noqa: E402


def open_door_page(browser, base: str, email: str, gate: str = "Main entrance"):
    """Log in as door staff, open the scanner and choose the gate, as a person would."""
    page = browser.new_page(locale="en-GB")
    page.set_default_timeout(15_000)
    page.goto(f"{base}/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_load_state()
    page.goto(f"{base}/door/checkin")
    page.fill("#gate-input", gate)
    page.press("#gate-input", "Enter")
    page.wait_for_selector("#scan-input:focus")
    return page


def badge_video(token: str, folder: Path) -> Path:
    """A one-second MJPEG of a badge from the project's badge renderer, held up to a 640×480 camera."""
    import pypdfium2
    from PIL import Image

    from badges import BadgeRecord, render_badges

    record = BadgeRecord(
        name="Hamad bin Saif Al-Housni", name_other="حمد بن سيف الحوسني", name_latin="Hamad bin Saif Al-Housni",
        organization="Child Helpline Oman", country_en="Oman", country_ar="عُمان", category_en="Delegate",
        category_ar="مندوب", category_color="#0b6e6e", code="OM-0001", token=token,
        conference_en="Test Conference", conference_ar="مؤتمر تجريبي", dates="23–24 May 2027",
    )
    pdf = io.BytesIO()
    render_badges([record], "a6", pdf)
    badge = pypdfium2.PdfDocument(pdf.getvalue())[0].render(scale=2).to_pil().convert("RGB")
    # The lower half of the badge, as a camera held close sees it, off-centre on a grey background.
    close_up = badge.crop((0, badge.height * 35 // 100, badge.width, badge.height * 85 // 100))
    close_up.thumbnail((440, 440))
    path = folder / "badge.mjpeg"
    with path.open("wb") as video:
        for frame_number in range(25):
            frame = Image.new("RGB", (640, 480), (118, 122, 128))
            frame.paste(close_up, (40 + frame_number % 3, 480 - close_up.height - 10))
            buffer = io.BytesIO()
            frame.save(buffer, "JPEG", quality=90)
            video.write(buffer.getvalue())
    return path


def test_handheld_scanner_and_search(live_server, today_conference, make_delegate, door_staff):
    hamad = make_delegate(today_conference, name="Hamad Al-Housni", name_ar="حمد الحوسني")
    fatima = make_delegate(today_conference, name="Fatima Zahra", country="MA")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = open_door_page(browser, live_server, door_staff.email)
        # A handheld scanner types into whatever has the focus, then Enter.
        page.keyboard.type(hamad.badge_token)
        page.keyboard.press("Enter")
        page.wait_for_selector("#verdict.verdict-ok")
        assert "Hamad Al-Housni" in page.inner_text("#verdict") and "حمد الحوسني" in page.inner_text("#verdict")
        page.keyboard.press("Escape")
        page.wait_for_selector("#verdict", state="hidden")
        page.keyboard.type(hamad.badge_token)
        page.keyboard.press("Enter")
        page.wait_for_selector("#verdict.verdict-warn")
        assert "Main entrance" in page.inner_text("#verdict-advice")
        page.keyboard.press("Escape")
        page.fill("#search-input", "zahra")
        page.click("#search-results button[data-code]")
        page.wait_for_selector("#verdict.verdict-ok")
        assert fatima.code in page.inner_text("#verdict")
        browser.close()


def test_camera_reads_a_printed_badge(live_server, today_conference, make_delegate, door_staff, tmp_path):
    delegate = make_delegate(today_conference, name="Hamad bin Saif Al-Housni")
    video = badge_video(delegate.badge_token, tmp_path)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS + [
            "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
            f"--use-file-for-fake-video-capture={video.resolve()}"])
        page = open_door_page(browser, live_server, door_staff.email)
        page.wait_for_selector("#verdict.verdict-ok", timeout=30_000)
        assert "Hamad bin Saif Al-Housni" in page.inner_text("#verdict")
        browser.close()
