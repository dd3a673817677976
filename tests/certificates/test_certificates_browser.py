"""In Chromium: a delegate downloads their certificate from their page; its QR code opens the verification page,
which says "valid", and "revoked" once the organizers revoked and reissued it."""
from __future__ import annotations

import pypdfium2
import zxingcpp
from sqlalchemy import select

from conference.certificates.models import Certificate
from conference.certificates.services import reissue_certificate
from conference.extensions import db
from tests.browser import CHROMIUM, CHROMIUM_ARGS, require_browser
from tests.conftest import PASSWORD

require_browser()
from playwright.sync_api import sync_playwright  # noqa: E402


def decoded(pdf: bytes) -> list[str]:
    image = pypdfium2.PdfDocument(pdf)[0].render(scale=200 / 72).to_pil()
    return [r.text for r in zxingcpp.read_barcodes(image) if r.format == zxingcpp.BarcodeFormat.QRCode]


def test_a_delegate_downloads_the_certificate_and_its_qr_code_verifies(app, live_server, past, configured,
                                                                        attendees, tmp_path):
    app.config["PUBLIC_URL"] = live_server  # the QR code's absolute address is this server's
    hamad = attendees["hamad"]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.set_default_timeout(15_000)
        page.goto(f"{live_server}/login?lang=en")
        page.fill("#email", hamad.email)
        page.fill("#password", PASSWORD)
        page.click("main form button[type=submit]")
        page.wait_for_load_state()
        page.goto(f"{live_server}/doha/me")
        with page.expect_download() as download:
            page.click("#certificates a.button")
        path = tmp_path / "certificate.pdf"
        download.value.save_as(path)
        urls = decoded(path.read_bytes())
        certificate = db.session.scalar(select(Certificate).where(Certificate.delegate_id == hamad.id))
        assert urls == [f"{live_server}/verify/{certificate.code}"]
        page.goto(urls[0])
        assert page.inner_text("[data-verdict]") == "Valid"
        assert "حمد بن سيف الحوسني" in page.inner_text("main")
        reissue_certificate(past, certificate, None)
        db.session.commit()
        page.reload()
        assert page.inner_text("[data-verdict]") == "Revoked"
        assert "حمد" not in page.inner_text("main")
        browser.close()
