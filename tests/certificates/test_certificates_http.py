"""Certificate pages over HTTP: settings, the list (queries independent of its length), batch and own PDFs read
back (Arabic extractable, fonts embedded, QR decoded), verification, messages and the command."""
from __future__ import annotations

import io
import unicodedata
from datetime import timedelta

import pikepdf
import pypdfium2
import zxingcpp
from sqlalchemy import event, func, select

from conference.accounts.models import User
from conference.certificates.models import Certificate, CertificateSettings
from conference.extensions import db
from conference.mail.models import MailState, OutboxMessage
from conference.types import utcnow
from tests.certificates.conftest import admit, png
from tests.conftest import login, post_form
from tests.pdfcheck import assert_clean_pdf


def pdf_pages(data: bytes) -> list[str]:
    assert_clean_pdf(data)
    document = pypdfium2.PdfDocument(data)
    pages = [document[i].get_textpage().get_text_range() for i in range(len(document))]
    document.close()
    return pages


def qr_texts(data: bytes) -> list[str]:
    document = pypdfium2.PdfDocument(data)
    found = []
    for page in document:
        image = page.render(scale=200 / 72).to_pil()
        found += [r.text for r in zxingcpp.read_barcodes(image) if r.format == zxingcpp.BarcodeFormat.QRCode]
    return found


def fonts_embedded(data: bytes) -> bool:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        fonts = {font.objgen: font for page in pdf.pages for font in page.Resources.Font.values()}
        return bool(fonts) and all("/FontFile2" in font.FontDescriptor for font in fonts.values())


def as_delegate(client, delegate) -> None:
    login(client, db.session.get(User, delegate.user_id))


def test_settings_saved_and_a_bad_signature_refused_with_nothing_written(organizer, past):
    page = organizer.get("/doha/manage/certificates?lang=en").get_data(as_text=True)
    assert "not configured yet" in page
    response = post_form(organizer, "/doha/manage/certificates", {
        "title_en": "Certificate of Attendance", "title_ar": "شهادة حضور", "signatory_name": "Dr. Amal",
        "list_sessions": "y", "signature": (io.BytesIO(b"GIF89a not really"), "signature.png")},
        content_type="multipart/form-data")
    assert response.status_code == 200
    assert "The signature image cannot be used" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(CertificateSettings.id))) == 0
    response = post_form(organizer, "/doha/manage/certificates", {
        "title_en": "Certificate of Attendance", "signatory_name": "Dr. Amal", "release_on": "2099-13-45",
        "signature": (io.BytesIO(png()), "signature.png")}, content_type="multipart/form-data")
    assert response.status_code == 200 and db.session.scalar(select(func.count(CertificateSettings.id))) == 0
    response = post_form(organizer, "/doha/manage/certificates", {
        "title_en": "Certificate of Attendance", "signatory_name": "Dr. Amal",
        "signature": (io.BytesIO(png()), "signature.png")}, content_type="multipart/form-data")
    assert response.status_code == 302
    assert organizer.get("/doha/manage/certificates/signature.jpg").mimetype == "image/jpeg"


def test_list_uses_the_same_queries_for_few_or_many_delegates(organizer, past, configured, make_delegate):
    def count() -> int:
        statements = []

        def record(conn, cursor, statement, parameters, context, executemany):
            statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", record)
        try:
            assert organizer.get("/doha/manage/certificates").status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", record)
        return len(statements)

    for n in range(3):
        admit(make_delegate(past, name=f"Early {n}"), past.days[0])
    few = count()
    for n in range(30):
        admit(make_delegate(past, name=f"Later {n}", country="QA"), *past.days)
    assert count() == few


def test_batch_pdf_streams_every_certificate_with_filters(organizer, past, configured, attendees):
    response = organizer.get("/doha/manage/certificates.pdf")
    assert response.status_code == 200 and response.is_streamed and response.mimetype == "application/pdf"
    data = response.get_data()
    pages = pdf_pages(data)
    assert len(pages) == 3 and fonts_embedded(data)
    codes = db.session.scalars(select(Certificate.code)).all()
    assert sorted(qr_texts(data)) == sorted(f"http://127.0.0.1:5000/verify/{code}" for code in codes)
    text = "\n".join(pages)
    assert "Certificate of presentation" in text and "Helplines online" in text
    only_gb = pdf_pages(organizer.get("/doha/manage/certificates.pdf?country=GB").get_data())
    assert len(only_gb) == 1 and "Charlotte Evans" in only_gb[0]
    empty = organizer.get("/doha/manage/certificates.pdf?country=FR")
    assert empty.status_code == 302


def test_a_delegate_downloads_theirs_in_both_languages_with_a_working_qr(client, past, configured, attendees):
    hamad = attendees["hamad"]
    as_delegate(client, hamad)
    page = client.get("/doha/me?lang=en").get_data(as_text=True)
    assert "My certificates" in page and "/doha/me/certificates/attendance.pdf" in page
    response = client.get("/doha/me/certificates/attendance.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    data = response.data
    assert fonts_embedded(data)
    text = pdf_pages(data)[0]
    lines = [line.strip() for line in text.splitlines()]
    assert "حمد بن سيف الحوسني" in lines and "Hamad bin Saif Al-Housni" in lines  # as written and in Latin
    assert "شهادة حضور" in lines and "Certificate of Attendance" in lines
    assert "Opening plenary" in text and "الجلسة الافتتاحية" in text  # the session attended
    assert not any(0xFE70 <= ord(ch) <= 0xFEFF and len(unicodedata.normalize("NFKC", ch)) == 1 for ch in text)
    certificate = db.session.scalar(select(Certificate).where(Certificate.delegate_id == hamad.id))
    assert qr_texts(data) == [f"http://127.0.0.1:5000/verify/{certificate.code}"]
    assert certificate.code in text
    again = client.get("/doha/me/certificates/attendance.pdf")
    assert qr_texts(again.data) == qr_texts(data)  # the same certificate, not a new one
    assert client.get("/doha/me/certificates/presentation.pdf").status_code == 404  # not a speaker
    assert client.get("/doha/me/certificates/nonsense.pdf").status_code == 404


def test_before_release_a_message_and_403_and_nothing_written(client, past, configured, attendees):
    configured.release_on = utcnow().date() + timedelta(days=2)
    db.session.commit()
    as_delegate(client, attendees["hamad"])
    response = client.get("/doha/me/certificates/attendance.pdf?lang=en")
    assert response.status_code == 403 and "Certificates will be available from" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Certificate.id))) == 0
    assert "Your certificates will be available from" in client.get("/doha/me?lang=en").get_data(as_text=True)


def test_verification_page_valid_revoked_unknown(client, organizer, past, configured, attendees):
    organizer.get("/doha/manage/certificates.pdf").get_data()
    certificate = db.session.scalar(select(Certificate).where(Certificate.delegate_id == attendees["hamad"].id))
    page = client.get(f"/verify/{certificate.code}?lang=en")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and 'data-verdict="valid"' in text
    assert "حمد بن سيف الحوسني" in text and "International Conference of Child Helplines" in text
    assert attendees["hamad"].email not in text and attendees["hamad"].code not in text  # nothing more
    post_form(organizer, f"/doha/manage/certificates/{certificate.id}/reissue", {})
    revoked = client.get(f"/verify/{certificate.code}?lang=en").get_data(as_text=True)
    assert 'data-verdict="revoked"' in revoked and "حمد" not in revoked
    for code in ("nope", "A" * 22, "x" * 3000, "a/b/c", "%E2%80%AE" * 5, "é" * 40, "..%2F..%2F"):
        response = client.get(f"/verify/{code}")
        assert response.status_code == 404 and 'data-verdict="unknown"' in response.get_data(as_text=True)


def test_verification_is_rate_limited(app, client, past, configured):
    app.config["VERIFY_RATE_LIMIT"] = "3 per minute"
    answers = [client.get(f"/verify/{'B' * 22}").status_code for _ in range(5)]
    assert answers[:3] == [404] * 3 and answers[3:] == [429, 429]


def test_announce_through_the_outbox(organizer, past, configured, attendees):
    response = post_form(organizer, "/doha/manage/certificates/announce", {})
    assert response.status_code == 302 and "/manage/outbox" in response.headers["Location"]
    drafts = db.session.scalars(select(OutboxMessage).where(OutboxMessage.template == "certificate_ready")).all()
    assert len(drafts) == 3 and {m.state for m in drafts} == {MailState.DRAFT}


def test_command_writes_one_pdf(app, runner, past, configured, attendees, tmp_path):
    out = tmp_path / "certificates.pdf"
    result = runner.invoke(args=["certificates", "doha", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "3 certificates written" in result.output
    assert len(pdf_pages(out.read_bytes())) == 3
    result = runner.invoke(args=["certificates", "doha", "--out", str(out), "--category", "press"])
    assert len(pdf_pages(out.read_bytes())) == 1
    result = runner.invoke(args=["certificates", "doha", "--out", str(tmp_path / "x.pdf"), "--country", "FR"])
    assert result.exit_code != 0 and not (tmp_path / "x.pdf").exists()
    assert runner.invoke(args=["certificates", "nowhere", "--out", str(out)]).exit_code != 0
