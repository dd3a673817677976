"""The door page in a real Chromium: a handheld scanner, the search, a camera reading printed badges."""
from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest

from tests.browser import CHROMIUM, CHROMIUM_ARGS, require_browser
from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[2]

require_browser()
from playwright.sync_api import sync_playwright  # noqa: E402


def open_door_page(browser, base: str, email: str, gate: str = "Main entrance"):
    """Log in as door staff in a browser context of its own, open the scanner and choose the gate."""
    page = browser.new_context(locale="en-GB").new_page()
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


def badge_image(token: str, pixels_per_mm: float):
    """The project's own A6 badge for `token`, rendered at `pixels_per_mm`."""
    import pypdfium2

    from badges import BadgeRecord, render_badges

    record = BadgeRecord(
        name="Hamad bin Saif Al-Housni", name_other="حمد بن سيف الحوسني", name_latin="Hamad bin Saif Al-Housni",
        organization="Child Helpline Oman", country_en="Oman", country_ar="عُمان", category_en="Delegate",
        category_ar="مندوب", category_color="#0b6e6e", code="OM-0001", token=token,
        conference_en="Test Conference", conference_ar="مؤتمر تجريبي", dates="23–24 May 2027",
    )
    pdf = io.BytesIO()
    render_badges([record], "a6", pdf)
    # A PDF point is 25.4/72 mm.
    return pypdfium2.PdfDocument(pdf.getvalue())[0].render(scale=pixels_per_mm * 25.4 / 72).to_pil().convert("RGB")


def camera_file(frames, folder: Path) -> Path:
    """An MJPEG file that Chromium's fake camera plays in a loop."""
    path = folder / "camera.mjpeg"
    with path.open("wb") as video:
        for frame in frames:
            buffer = io.BytesIO()
            frame.save(buffer, "JPEG", quality=85)
            video.write(buffer.getvalue())
    return path


def badge_video(token: str, folder: Path) -> Path:
    """A one-second MJPEG of a badge from the project's badge renderer, held up to a 640×480 camera."""
    from PIL import Image

    badge = badge_image(token, 2 * 72 / 25.4)
    # The lower half of the badge, as a camera held close sees it, off-centre on a grey background.
    close_up = badge.crop((0, badge.height * 35 // 100, badge.width, badge.height * 85 // 100))
    close_up.thumbnail((440, 440))
    frames = []
    for frame_number in range(25):
        frame = Image.new("RGB", (640, 480), (118, 122, 128))
        frame.paste(close_up, (40 + frame_number % 3, 480 - close_up.height - 10))
        frames.append(frame)
    return camera_file(frames, folder)


def webcam_video(token: str, folder: Path, pixels_per_mm: float, blur: float) -> Path:
    """1280×720 frames of a whole badge at `pixels_per_mm`, contrast reduced, blurred as a webcam's lens blurs."""
    from PIL import Image, ImageEnhance, ImageFilter

    badge = ImageEnhance.Contrast(badge_image(token, pixels_per_mm)).enhance(0.7)
    if blur:
        badge = badge.filter(ImageFilter.GaussianBlur(blur))
    frames = []
    for frame_number in range(10):
        frame = Image.new("RGB", (1280, 720), (96, 100, 108))
        # Held a little off-centre and cut by the frame's edge when large, as people hold badges.
        left = 1280 // 2 - badge.width // 3 + frame_number % 2
        top = max(720 // 2 - badge.height // 2, 720 - badge.height - 10)
        frame.paste(badge, (left, top))
        frames.append(frame)
    return camera_file(frames, folder)


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


@pytest.mark.parametrize("pixels_per_mm, blur", [(2, 0.6), (4, 2)], ids=["small-badge-2px-per-mm",
                                                                         "blurred-badge-4px-per-mm"])
def test_camera_reads_what_a_webcam_sees(live_server, today_conference, make_delegate, door_staff, tmp_path,
                                         pixels_per_mm, blur):
    delegate = make_delegate(today_conference, name="Hamad bin Saif Al-Housni")
    video = webcam_video(delegate.badge_token, tmp_path, pixels_per_mm, blur)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS + [
            "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
            f"--use-file-for-fake-video-capture={video.resolve()}"])
        page = open_door_page(browser, live_server, door_staff.email)
        page.wait_for_selector("#verdict.verdict-ok", timeout=30_000)
        assert page.evaluate("document.getElementById('camera-video').videoWidth") == 1280
        assert "Hamad bin Saif Al-Housni" in page.inner_text("#verdict")
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


# ---- offline: the door list on the device, local verdicts, the queue, the service worker ----

def until(page, expression: str, seconds: float = 15) -> None:
    """Wait until `expression` is true in the page (evaluated over CDP: the page's CSP forbids eval)."""
    for _ in range(int(seconds * 10)):
        if page.evaluate(expression):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"still false after {seconds} s: {expression}")


def door_list_loaded(page) -> None:
    """Wait until the page holds today's door list (its last sync is shown)."""
    until(page, "document.getElementById('sync-last').textContent.indexOf('Last sync') === 0")


def all_sent(page) -> None:
    until(page, "document.getElementById('sync-waiting').dataset.count === '0'")


def scan_by_hand(page, code: str, verdict: str) -> None:
    """Type a code as a handheld scanner does and wait for the verdict, then dismiss it."""
    page.keyboard.type(code)
    page.keyboard.press("Enter")
    page.wait_for_selector(f"#verdict.verdict-{verdict}")


def dismiss(page) -> None:
    page.keyboard.press("Escape")
    page.wait_for_selector("#verdict", state="hidden")


def stored(model) -> list:
    from sqlalchemy import select

    from conference.extensions import db

    db.session.expire_all()
    return list(db.session.scalars(select(model)))


def test_offline_scans_are_judged_on_the_device_and_synced(live_server, today_conference, make_delegate, door_staff):
    from conference.checkin.models import CheckIn, ScanLog

    hamad = make_delegate(today_conference, name="Hamad Al-Housni")
    mariam = make_delegate(today_conference, name="Mariam Al-Kuwari", country="QA")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = open_door_page(browser, live_server, door_staff.email)
        door_list_loaded(page)
        page.context.set_offline(True)
        scan_by_hand(page, hamad.badge_token, "ok")
        assert page.is_visible("#verdict-offline") and "Hamad Al-Housni" in page.inner_text("#verdict")
        dismiss(page)
        scan_by_hand(page, hamad.badge_token, "warn")
        assert page.is_visible("#verdict-offline")
        dismiss(page)
        scan_by_hand(page, mariam.code, "ok")
        dismiss(page)
        assert page.get_attribute("#sync-waiting", "data-count") == "3" and stored(CheckIn) == []
        page.context.set_offline(False)
        all_sent(page)
        browser.close()
    assert sorted(admission.delegate_id for admission in stored(CheckIn)) == sorted([hamad.id, mariam.id])
    lines = stored(ScanLog)
    assert len(lines) == 3 and all(line.scanned_at is not None for line in lines)
    assert sorted(line.offline_verdict for line in lines) == ["already_checked_in", "ok", "ok"]


def test_two_offline_doors_admit_once_and_list_the_duplicate(live_server, today_conference, make_delegate,
                                                              door_staff):
    from conference.checkin.attendance import offline_duplicates
    from conference.checkin.models import CheckIn

    delegate = make_delegate(today_conference, name="Youssef Benali", country="MA")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        doors = [open_door_page(browser, live_server, door_staff.email, gate) for gate in ("North", "South")]
        for page in doors:
            door_list_loaded(page)
            page.context.set_offline(True)
        for page in doors:
            scan_by_hand(page, delegate.badge_token, "ok")
            assert page.is_visible("#verdict-offline")
        for page in doors:
            page.context.set_offline(False)
            all_sent(page)
        browser.close()
    [admission] = stored(CheckIn)
    [duplicate] = offline_duplicates(today_conference, admission.day)
    assert {admission.gate, duplicate.scan.gate} == {"North", "South"}


# The service worker has kept the page, its scripts by the hashed URLs the page uses, and the decoder, in this
# release's cache (the only one).
ALL_KEPT = """caches.keys().then(names => names.filter(name => name.startsWith('door-page-')))
    .then(names => names.length === 1 ? caches.open(names[0]).then(c => c.keys()) : [])
    .then(keys => keys.map(k => new URL(k.url)).map(u => u.pathname + u.search))
    .then(kept => kept.some(p => p.startsWith(location.pathname))
        && [...document.scripts].filter(s => s.src).every(s => kept.includes(s.getAttribute('src')))
        && kept.some(p => /zxing_reader[.]wasm[?]v=/.test(p)))"""


def installed_door_page(browser, live_server, email: str):
    """The door page once its list is loaded and its service worker controls it, with every file kept."""
    page = open_door_page(browser, live_server, email)
    door_list_loaded(page)
    until(page, "navigator.serviceWorker.controller !== null")
    until(page, ALL_KEPT)
    return page


def test_the_scanner_reopens_with_no_network(live_server, today_conference, make_delegate, door_staff):
    delegate = make_delegate(today_conference, name="Fatima Zahra", country="MA")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = installed_door_page(browser, live_server, door_staff.email)
        page.context.set_offline(True)
        page.reload()
        page.wait_for_selector("#scan-input:focus")
        scan_by_hand(page, delegate.code, "ok")
        assert page.is_visible("#verdict-offline") and "Fatima Zahra" in page.inner_text("#verdict")
        browser.close()


def test_after_a_release_the_scanner_reopened_offline_runs_the_new_scripts(app, live_server, today_conference,
                                                                          make_delegate, door_staff, tmp_path):
    """A release changes a script: the page registers the new worker, whose cache replaces the old one."""
    delegate = make_delegate(today_conference, name="Fatima Zahra", country="MA")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = installed_door_page(browser, live_server, door_staff.email)
        last_release = page.evaluate("navigator.serviceWorker.controller.scriptURL")

        static = tmp_path / "static"
        shutil.copytree(ROOT / "static", static)
        rules = static / "js" / "door-rules.js"
        rules.write_text(rules.read_text(encoding="utf-8") + '\nself.doorRelease = "next";\n', encoding="utf-8")
        app.static_folder = str(static)
        page.reload()
        page.wait_for_selector("#scan-input:focus")
        until(page, f"(navigator.serviceWorker.controller || {{}}).scriptURL !== {json.dumps(last_release)}")
        until(page, ALL_KEPT)

        page.context.set_offline(True)
        page.reload()
        page.wait_for_selector("#scan-input:focus")
        assert page.evaluate("window.doorRelease") == "next"
        scan_by_hand(page, delegate.code, "ok")
        assert page.is_visible("#verdict-offline")
        browser.close()


def test_a_tampered_door_list_is_judged_again_on_sync(live_server, today_conference, make_delegate, door_staff):
    from conference.checkin.models import CheckIn, ScanLog

    cancelled = make_delegate(today_conference, name="Omar Cancelled", status="cancelled")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = open_door_page(browser, live_server, door_staff.email)
        door_list_loaded(page)
        # Someone edits the device's copy: the cancelled registration now looks approved.
        page.evaluate(f"""new Promise(done => {{
            const opening = indexedDB.open('door:door', 1);
            opening.onsuccess = () => {{
                const badges = opening.result.transaction('badges', 'readwrite').objectStore('badges');
                const lookup = badges.index('code').get('{cancelled.code}');
                lookup.onsuccess = () => {{
                    const entry = lookup.result; entry.status = 'approved';
                    badges.put(entry).onsuccess = () => done(true);
                }};
            }};
        }})""")
        page.context.set_offline(True)
        scan_by_hand(page, cancelled.badge_token, "ok")  # the local verdict is only advisory
        dismiss(page)
        page.context.set_offline(False)
        all_sent(page)
        browser.close()
    assert stored(CheckIn) == []
    [line] = stored(ScanLog)
    assert (line.reason.value, line.offline_verdict) == ("cancelled", "ok")
