"""The door pages: scanner, live attendance with undo, the CSV export, gate devices."""
from __future__ import annotations

import csv
import io
import json
import re
from datetime import datetime, time, timedelta

from sqlalchemy import func, select

from conference.accounts.models import Role
from conference.checkin.attendance import per_quarter_hour, summary
from conference.checkin.devices import hash_device_token
from conference.checkin.models import CheckIn, Device, ScanLog, ScanStatus
from conference.checkin.services import check_in
from conference.extensions import db
from conference.registration.models import AuditEntry
from tests.conftest import login, post_form


def organizer_client(app, make_user, conference):
    client = app.test_client()
    login(client, make_user("chief@example.org", Role.ORGANIZER, conference))
    return client


def test_scanner_page_carries_translated_texts_and_no_inline_script(scanner):
    html = scanner.client.get("/door/checkin?lang=ar").get_data(as_text=True)
    assert 'dir="rtl"' in html and 'id="scan-input"' in html and "vendor/zxing-wasm/zxing-reader.js" in html
    texts = json.loads(re.search(r'<script type="application/json" id="checkin-texts">(.*?)</script>', html,
                                 re.S).group(1))
    assert {"ok", "already_checked_in", "refused", "advice", "problem"} <= texts.keys()
    assert set(texts["advice"]) >= {"invalid", "revoked", "not_confirmed", "cancelled", "other_conference",
                                    "not_today"}
    inline = [s for s in re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
              if s[1].strip() and "application/json" not in s[0]]
    assert inline == [] and " style=" not in html


def test_only_the_door_may_compile_webassembly(scanner):
    door = scanner.client.get("/door/checkin").headers["Content-Security-Policy"]
    worker = scanner.client.get("/checkin/decoder-worker.js")
    elsewhere = scanner.client.get("/").headers["Content-Security-Policy"]
    assert "'wasm-unsafe-eval'" in door and "blob:" not in door.split("worker-src")[1].split(";")[0]
    assert worker.status_code == 200 and worker.headers["Content-Security-Policy"] == door
    assert "readBarcodes" in worker.get_data(as_text=True)
    assert "'wasm-unsafe-eval'" not in elsewhere


def test_the_decoder_is_served_from_our_origin(client):
    wasm = client.get("/static/vendor/zxing-wasm/zxing_reader.wasm")
    assert wasm.status_code == 200 and wasm.mimetype == "application/wasm"
    assert wasm.get_data()[:4] == b"\0asm"


def test_the_installable_door_app(client, today_conference):
    manifest = client.get("/door/checkin/manifest.webmanifest")
    body = manifest.get_json(force=True)
    assert manifest.mimetype == "application/manifest+json"
    assert (body["start_url"], body["scope"], body["display"]) == ("/door/checkin", "/door/checkin", "standalone")
    assert all(client.get(icon["src"]).status_code == 200 for icon in body["icons"])
    worker = client.get("/door/checkin/service-worker.js")
    assert worker.status_code == 200 and worker.headers["Service-Worker-Allowed"] == "/door/checkin"
    assert client.get("/nowhere/checkin/service-worker.js").status_code == 404


def test_logging_out_clears_what_the_door_stored(scanner):
    response = scanner.client.post("/logout", data={"csrf_token": scanner.csrf})
    assert response.status_code == 302
    assert response.headers["Clear-Site-Data"] == '"cache", "storage"'


def test_attendance_numbers(app, today_conference, make_delegate, make_user):
    people = [make_delegate(today_conference, country=c, category=k)
              for c, k in [("QA", "delegate"), ("QA", "speaker"), ("OM", "delegate"), ("MA", "press")]]
    make_delegate(today_conference, status="pending", country="QA")
    now = datetime.combine(today_conference.start_date, time(12, 5), tzinfo=today_conference.tz)
    check_in(today_conference, people[0].badge_token, "North", now=now - timedelta(minutes=40))
    check_in(today_conference, people[1].badge_token, "North", now=now)
    check_in(today_conference, people[2].badge_token, "South", now=now)
    check_in(today_conference, people[2].badge_token, "South", now=now)  # a repeat is not counted twice
    day = today_conference.local_date(now)
    numbers = summary(today_conference, day)
    assert (numbers["checked_in"], numbers["approved"], numbers["percent"]) == (3, 4, 75)
    assert [(r.key, r.checked_in, r.approved) for r in numbers["countries"]] == [
        ("QA", 2, 2), ("OM", 1, 1), ("MA", 0, 1)]
    assert {r.key: (r.checked_in, r.approved) for r in numbers["categories"]} == {
        "delegate": (2, 2), "speaker": (1, 1), "press": (0, 1)}
    assert [(r.label, r.checked_in) for r in numbers["gates"]] == [("North", 2), ("South", 1)]
    bins = per_quarter_hour(today_conference, day)
    assert bins[0] == ("11:15", 1) and bins[3] == ("12:00", 2) and sum(n for _, n in bins) == 3 and len(bins) == 8

    client = organizer_client(app, make_user, today_conference)
    html = client.get(f"/door/manage/attendance?day={day.isoformat()}&lang=ar").get_data(as_text=True)
    assert "<svg" in html and 'class="bar"' in html and "قطر" in html and "North" in html
    assert html.count('class="undo-form"') == 3


def test_undo_from_the_attendance_page(app, today_conference, make_delegate, make_user):
    delegate = make_delegate(today_conference)
    check_in(today_conference, delegate.badge_token, "North")
    checkin = db.session.scalar(select(CheckIn))
    client = organizer_client(app, make_user, today_conference)
    url = f"/door/manage/attendance/{checkin.id}/undo"
    assert client.post(url, data={"note": "wrong badge"}).status_code == 400  # no CSRF token
    response = post_form(client, url, {"note": "wrong badge"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.scalar(select(func.count(CheckIn.id))) == 0
    assert db.session.scalar(select(AuditEntry.note).where(AuditEntry.event == "checkin_undone")).endswith(
        "wrong badge"
    )
    assert db.session.scalar(select(func.count(ScanLog.id)).where(ScanLog.status == ScanStatus.UNDONE)) == 1
    assert post_form(client, url).status_code == 404


def test_staff_cannot_undo(app, scanner, today_conference, make_delegate):
    delegate = make_delegate(today_conference)
    scanner(delegate.badge_token)
    checkin = db.session.scalar(select(CheckIn))
    response = scanner.client.post(f"/door/manage/attendance/{checkin.id}/undo", data={"csrf_token": scanner.csrf})
    assert response.status_code == 403
    assert db.session.scalar(select(func.count(CheckIn.id))) == 1


def test_csv_export_is_utf8_with_bom_and_formula_safe(app, today_conference, make_delegate, make_user):
    delegate = make_delegate(today_conference, name="=HYPERLINK(\"http://evil\")", name_ar="مريم",
                             organization="@SUM(A1)", country="QA")
    check_in(today_conference, delegate.badge_token, "+Gate")
    client = organizer_client(app, make_user, today_conference)
    response = client.get("/door/manage/attendance.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    raw = response.get_data()
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=False))
    assert row["Name"] == "'=HYPERLINK(\"http://evil\")" and row["Organization"] == "'@SUM(A1)"
    assert row["Gate"] == "'+Gate" and row["Name in Arabic"] == "مريم" and row["Country"] == "Qatar"


def test_devices_issue_once_and_revoke(app, today_conference, make_user):
    client = organizer_client(app, make_user, today_conference)
    page = post_form(client, "/door/manage/devices", {"name": "Turnstile 1"})
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    token = re.search(r'class="token-once" dir="ltr">([^<]+)<', page.get_data(as_text=True)).group(1)
    device = db.session.scalar(select(Device))
    assert device.token_hash == hash_device_token(token) and token not in device.token_hash
    assert token not in client.get("/door/manage/devices").get_data(as_text=True)
    api = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    assert api.post("/api/v1/door/checkin", json={"code": "x"}, headers=headers).status_code == 200
    assert post_form(client, f"/door/manage/devices/{device.id}/revoke").status_code == 302
    assert api.post("/api/v1/door/checkin", json={"code": "x"}, headers=headers).status_code == 403
