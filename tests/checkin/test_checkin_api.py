"""The scan API over HTTP: the contract, authentication by session or device, bad input, rate limits."""
from __future__ import annotations

import html
import re
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event, func, select

from conference.accounts.models import Role
from conference.badging.models import RevokedBadge
from conference.checkin import devices
from conference.checkin.devices import issue_device_token, revoke_device
from conference.checkin.models import CheckIn, ScanLog
from conference.extensions import db
from tests.conftest import csrf_token, login

CONTRACT_KEYS = {"status", "reason", "delegate", "checked_in_at", "first_checked_in_at"}


def admitted() -> int:
    return db.session.scalar(select(func.count(CheckIn.id)))


def test_green_then_amber(scanner, today_conference, make_delegate):
    delegate = make_delegate(today_conference, name="Mariam Al-Kuwari", name_ar="مريم الكواري", country="QA")
    first = scanner(delegate.badge_token)
    assert first.status_code == 200 and first.mimetype == "application/json"
    body = first.get_json()
    assert CONTRACT_KEYS <= body.keys()
    assert (body["status"], body["reason"]) == ("ok", None)
    assert {k: body["delegate"][k] for k in ("name", "name_ar", "country", "country_name", "code")} == {
        "name": "Mariam Al-Kuwari", "name_ar": "مريم الكواري", "country": "QA", "country_name": "Qatar",
        "code": delegate.code}
    second = scanner(delegate.badge_token, gate="Side door").get_json()
    assert (second["status"], second["reason"], second["gate"]) == ("error", "already_checked_in", "Main entrance")
    assert second["first_checked_in_at"] == body["checked_in_at"]


def test_country_name_follows_the_page_language(scanner, today_conference, make_delegate):
    """The page scans at the URL it was given, which carries the page's language."""
    delegate = make_delegate(today_conference, country="OM")
    page = scanner.client.get("/door/checkin?lang=ar").get_data(as_text=True)
    scan_url = html.unescape(re.search(r'data-scan-url="([^"]+)"', page).group(1))
    assert scan_url.endswith("?lang=ar")
    answer = scanner.client.post(scan_url, json={"code": delegate.badge_token},
                                 headers={"Authorization": f"Bearer {scanner.token}"})
    assert answer.get_json()["delegate"]["country_name"] == "عُمان"


def test_a_session_scan_follows_the_language_the_session_remembers(session_scanner, today_conference,
                                                                   make_delegate):
    delegate = make_delegate(today_conference, country="OM")
    session_scanner.client.get("/door/checkin?lang=ar")
    assert session_scanner(delegate.badge_token).get_json()["delegate"]["country_name"] == "عُمان"


@pytest.mark.parametrize("status, reason", [("pending", "not_confirmed"), ("waitlisted", "not_confirmed"),
                                            ("rejected", "not_confirmed"), ("cancelled", "cancelled")])
def test_refusals_are_http_200(scanner, today_conference, make_delegate, status, reason):
    delegate = make_delegate(today_conference, status=status)
    response = scanner(delegate.badge_token)
    assert response.status_code == 200
    assert (response.get_json()["status"], response.get_json()["reason"]) == ("error", reason)
    assert admitted() == 0


def test_other_conference_replaced_and_unknown(scanner, today_conference, make_conference, make_delegate):
    stranger = make_delegate(make_conference("elsewhere"))
    assert scanner(stranger.badge_token).get_json()["reason"] == "other_conference"
    ours = make_delegate(today_conference)
    db.session.add(RevokedBadge(token="3" * 39, delegate_id=ours.id, issue=1))
    db.session.commit()
    assert scanner("3" * 39).get_json()["reason"] == "revoked"
    assert scanner("0" * 39).get_json()["reason"] == "invalid"
    assert admitted() == 0


def test_arabic_digits_and_human_codes(scanner, today_conference, make_delegate):
    first, second = make_delegate(today_conference), make_delegate(today_conference, country="MA")
    arabic = first.badge_token.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    spaced = " ".join(arabic[i:i + 3] for i in range(0, 39, 3))
    assert scanner(spaced).get_json()["status"] == "ok"
    assert scanner(second.code.lower().replace("-", " ")).get_json()["status"] == "ok"
    assert admitted() == 2


def test_nonce_replay_returns_the_first_answer(scanner, today_conference, make_delegate):
    delegate = make_delegate(today_conference)
    first = scanner(delegate.badge_token, nonce="same-scan")
    again = scanner(delegate.badge_token, nonce="same-scan")
    assert again.get_data() == first.get_data()
    assert again.get_json()["status"] == "ok"
    assert db.session.scalar(select(func.count(ScanLog.id))) == 1


@pytest.mark.parametrize("body", [
    b"{not json", b"[1, 2, 3]", b'"just a string"', b"null", b"{}", b'{"code": ""}', b'{"code": "   "}',
    b'{"code": ["1"]}', b'{"code": {"a": 1}}', b'{"code": true}', b'{"code": "1", "gate": 5}',
    b'{"code": "1", "nonce": []}', b"x" * 100_000, b"\xff\xfe\x00garbage",
])
def test_malformed_requests_are_400(scanner, body):
    response = scanner.client.post("/api/v1/door/checkin", data=body, content_type="application/json",
                                   headers={"X-CSRFToken": scanner.csrf})
    assert response.status_code == 400
    assert response.get_json()["status"] == "error"
    assert admitted() == 0


def test_a_large_code_is_just_invalid(scanner):
    response = scanner("7" * 100_000)
    assert response.status_code == 200 and response.get_json()["reason"] == "invalid"
    assert len(db.session.scalar(select(ScanLog.raw))) <= 200


def test_sql_looking_input_is_harmless(scanner, today_conference, make_delegate):
    delegate = make_delegate(today_conference)
    for code in ("' OR '1'='1", "1; DROP TABLE checkins; --", f"{delegate.badge_token}' --", "%", "_" * 39):
        assert scanner(code, gate="'; DELETE FROM delegates; --").get_json()["reason"] == "invalid"
    assert scanner(delegate.badge_token).get_json()["status"] == "ok"


def test_json_number_code_is_accepted(scanner, today_conference, make_delegate):
    delegate = make_delegate(today_conference)
    delegate.badge_token = "0" * 5 + "7" * 34
    db.session.commit()
    response = scanner.client.post("/api/v1/door/checkin", data=f'{{"code": {int(delegate.badge_token)}}}',
                                   content_type="application/json", headers={"X-CSRFToken": scanner.csrf})
    assert response.get_json()["status"] == "ok"  # the leading zeros a number loses are put back


def test_logged_out_is_401(app, today_conference, make_delegate):
    delegate = make_delegate(today_conference)
    client = app.test_client()
    assert client.get("/api/v1/door/checkin/search?q=Hamad").status_code == 401
    assert client.post("/api/v1/door/checkin", json={"code": delegate.badge_token}).status_code == 401
    assert client.post("/api/v1/door/checkin", data=b"x" * 100_000).status_code == 401
    assert admitted() == 0


def test_session_without_csrf_header_is_400(app, today_conference, make_delegate, door_staff):
    delegate = make_delegate(today_conference)
    client = app.test_client()
    login(client, door_staff)
    assert client.post("/api/v1/door/checkin", json={"code": delegate.badge_token}).status_code == 400
    assert client.post("/api/v1/door/checkin", json={"code": delegate.badge_token},
                       headers={"X-CSRFToken": "forged"}).status_code == 400
    assert client.get("/api/v1/door/checkin").status_code == 405
    assert admitted() == 0


@pytest.mark.parametrize("role", [None, Role.REVIEWER])
def test_logged_in_without_a_door_role_is_403(app, today_conference, make_delegate, make_user, role):
    delegate = make_delegate(today_conference)
    user = make_user("someone@example.org", role, today_conference if role else None)
    client = app.test_client()
    login(client, user)
    response = client.post("/api/v1/door/checkin", json={"code": delegate.badge_token},
                           headers={"X-CSRFToken": csrf_token(client, "/")})
    assert response.status_code == 403
    assert admitted() == 0


def test_organizer_of_another_conference_is_403(app, today_conference, make_conference, make_delegate, make_user):
    delegate = make_delegate(today_conference)
    other = make_conference("elsewhere")
    client = app.test_client()
    login(client, make_user("them@example.org", Role.ORGANIZER, other))
    response = client.post("/api/v1/door/checkin", json={"code": delegate.badge_token},
                           headers={"X-CSRFToken": csrf_token(client, "/")})
    assert response.status_code == 403


def test_device_token_authenticates_without_session_or_csrf(app, today_conference, make_conference, make_delegate):
    delegate = make_delegate(today_conference)
    device, token = issue_device_token(today_conference, "Turnstile 3", None)
    foreign, foreign_token = issue_device_token(make_conference("elsewhere"), "Theirs", None)
    db.session.commit()
    client = app.test_client()
    url = "/api/v1/door/checkin"
    assert client.post(url, json={"code": delegate.badge_token},
                       headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert client.post(url, json={"code": delegate.badge_token},
                       headers={"Authorization": f"Bearer {foreign_token}"}).status_code == 403
    answer = client.post(url, json={"code": delegate.badge_token}, headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200 and answer.get_json()["gate"] == "Turnstile 3"
    revoke_device(device, None)
    db.session.commit()
    assert client.post(url, json={"code": delegate.badge_token},
                       headers={"Authorization": f"Bearer {token}"}).status_code == 403
    assert admitted() == 1


def test_scans_are_rate_limited_per_device(app, today_conference):
    app.config["SCAN_RATE_LIMIT"] = "3 per minute"
    _, first = issue_device_token(today_conference, "One", None)
    _, second = issue_device_token(today_conference, "Two", None)
    db.session.commit()
    client = app.test_client()

    def scan(token):
        return client.post("/api/v1/door/checkin", json={"code": "x"},
                           headers={"Authorization": f"Bearer {token}"}).status_code

    assert [scan(first) for _ in range(4)] == [200, 200, 200, 429]
    assert scan(second) == 200


def test_search_api_finds_and_admits(scanner, today_conference, make_delegate):
    delegate = make_delegate(today_conference, name="Youssef Benali", name_ar="يوسف بنعلي", country="MA")
    found = scanner.client.get("/api/v1/door/checkin/search?q=بنعلي").get_json()["results"]
    assert [(r["code"], r["status"]) for r in found] == [(delegate.code, "approved")]
    # "Admit" on a search result sends the human code through the same scan API.
    assert scanner(found[0]["code"]).get_json()["status"] == "ok"


def _statements_of(scan_request) -> list[tuple[str, bool | None]]:
    """(SQL, whether the connection was in autocommit) of each statement a request ran, from a fresh session."""
    db.session.commit()
    db.session.remove()  # as in production, where each request starts without a connection
    ran = []

    def record(connection, _cursor, statement, *_):
        ran.append((statement.split()[0].upper(), getattr(connection.connection.dbapi_connection, "autocommit", None)))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        response = scan_request()
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert response.status_code == 200
    return ran


def test_live_scans_commit_each_statement_offline_scans_keep_a_transaction(scanner, today_conference, make_delegate):
    first, live, queued = (make_delegate(today_conference).badge_token for _ in range(3))
    scanned_at = (datetime.now(timezone.utc) - timedelta(minutes=5)).isoformat()
    scanner(first)  # the process now knows the venue's time zone, which the door's query needs to read the badge
    live_statements = _statements_of(lambda: scanner(live, nonce="live-1"))
    if db.engine.dialect.name == "postgresql":
        # The door with the badge, then the admission with its log line as one statement, each committing itself:
        # no BEGIN and no COMMIT round trips.
        assert [autocommit for _, autocommit in live_statements] == [True, True]
    else:
        assert [kind for kind, _ in live_statements] == ["SELECT", "INSERT", "INSERT"]
    replayed = _statements_of(lambda: scanner(live, nonce="live-1"))
    offline = _statements_of(lambda: scanner(queued, nonce="queued-1", scanned_at=scanned_at))
    assert not any(autocommit for _, autocommit in offline)  # a take-over writes three statements: one transaction
    db.session.remove()
    assert admitted() == 3
    assert db.session.scalar(select(func.count(ScanLog.id))) == 3  # a replayed nonce is answered, not logged again
    assert len(replayed) > len(live_statements) - 1  # the replay collided on the nonce and read the first answer


@pytest.mark.parametrize("by", ["staff", "device"])
@pytest.mark.parametrize("code_of", [lambda d: d.badge_token, lambda d: d.code], ids=["token", "human-code"])
def test_the_badge_is_read_again_when_the_venue_zone_was_guessed_wrong(app, scanner, today_conference, make_delegate,
                                                                       monkeypatch, code_of, by):
    """The door's query reads the badge's admission for the day in the zone last seen; that day is not judged."""
    _, token = issue_device_token(today_conference, "Gate", None)
    db.session.commit()

    def scan(code):
        if by == "staff":
            return scanner(code).get_json()
        return app.test_client().post("/api/v1/door/checkin", json={"code": code},
                                      headers={"Authorization": f"Bearer {token}"}).get_json()

    assert scan(make_delegate(today_conference).badge_token)["status"] == "ok"
    assert devices.venue_zone("door") == ZoneInfo("Asia/Qatar")  # learnt from the door's query
    venue_day = today_conference.local_date(datetime.now(timezone.utc))
    # UTC+14 and UTC-11 are a day apart or more: in one of them it is another day than at the venue.
    elsewhere = next(ZoneInfo(zone) for zone in ("Pacific/Kiritimati", "Pacific/Pago_Pago")
                     if datetime.now(ZoneInfo(zone)).date() != venue_day)
    delegate = make_delegate(today_conference)
    db.session.add(CheckIn(conference_id=today_conference.id, delegate_id=delegate.id,
                           day=datetime.now(elsewhere).date(), gate="Main entrance"))
    db.session.commit()
    monkeypatch.setitem(devices._venue_zones, "door", elsewhere)
    answer = scan(code_of(delegate))
    assert (answer["status"], answer["reason"]) == ("ok", None)  # admitted on that other day, not on this one
    assert db.session.scalar(select(func.count(CheckIn.id)).where(CheckIn.delegate_id == delegate.id)) == 2
