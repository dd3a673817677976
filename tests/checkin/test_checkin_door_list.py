"""The door list for offline scanning: token hashes only, versions (ETag) and deltas, who may read it."""
from __future__ import annotations

import hashlib
from datetime import datetime, timedelta, timezone

import pytest

from conference.accounts.models import Role
from conference.badging.models import RevokedBadge
from conference.checkin.devices import issue_device_token, revoke_device
from conference.checkin.doorlist import door_list
from conference.checkin.services import check_in
from conference.extensions import db
from tests.conftest import login

URL = "/api/v1/door/door-list"


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def test_the_list_holds_hashes_never_tokens(scanner, today_conference, make_delegate):
    delegate = make_delegate(today_conference, name="Hamad Al-Housni", name_ar="حمد الحوسني", status="pending")
    response = scanner.client.get(URL)
    assert response.status_code == 200 and delegate.badge_token not in response.get_data(as_text=True)
    [entry] = response.get_json()["delegates"]
    assert entry["hash"] == sha256(delegate.badge_token)
    assert (entry["code"], entry["name"], entry["name_ar"], entry["status"], entry["admitted_at"]) == (
        delegate.code, "Hamad Al-Housni", "حمد الحوسني", "pending", None)


def test_the_list_shows_todays_admission_and_replaced_badges(scanner, today_conference, make_delegate):
    delegate = make_delegate(today_conference)
    db.session.add(RevokedBadge(token="4" * 39, delegate_id=delegate.id, issue=1))
    db.session.commit()
    scanner(delegate.badge_token, gate="North door")
    body = scanner.client.get(URL).get_json()
    assert body["day"] == today_conference.local_date(datetime.now(timezone.utc)).isoformat()
    [entry] = body["delegates"]
    assert entry["admitted_at"] is not None and entry["gate"] == "North door"
    assert body["revoked"] == [{"hash": sha256("4" * 39), "code": delegate.code}]


def test_an_unchanged_list_is_304(scanner, today_conference, make_delegate):
    make_delegate(today_conference)
    version = scanner.client.get(URL).get_json()["version"]
    again = scanner.client.get(URL, headers={"If-None-Match": f'"{version}"'})
    assert again.status_code == 304 and again.get_data() == b""


@pytest.mark.parametrize("change", ["admission", "new registration", "status", "replaced badge", "undo"])
def test_every_change_makes_a_new_version(scanner, today_conference, make_delegate, change):
    delegate = make_delegate(today_conference)
    if change == "undo":
        scanner(delegate.badge_token)
    version = scanner.client.get(URL).get_json()["version"]
    if change == "admission":
        scanner(delegate.badge_token)
    elif change == "new registration":
        make_delegate(today_conference)
    elif change == "status":
        delegate.status = "cancelled"
        db.session.commit()
    elif change == "replaced badge":
        db.session.add(RevokedBadge(token="5" * 39, delegate_id=delegate.id, issue=1))
        db.session.commit()
    else:
        from conference.checkin.models import CheckIn
        from conference.checkin.services import undo_check_in

        undo_check_in(db.session.query(CheckIn).one(), delegate.user)
        db.session.commit()
    assert scanner.client.get(URL, headers={"If-None-Match": f'"{version}"'}).status_code == 200


def test_a_delta_holds_only_what_changed(app, today_conference, make_delegate):
    quiet, scanned = make_delegate(today_conference), make_delegate(today_conference, country="QA")
    earlier = datetime.now(timezone.utc) + timedelta(minutes=5)  # past the minute of overlap
    check_in(today_conference, scanned.badge_token, now=earlier + timedelta(minutes=1), nonce="x")
    delta = door_list(today_conference, since=earlier, now=earlier + timedelta(minutes=2))
    assert delta["full"] is False
    assert [entry["code"] for entry in delta["delegates"]] == [scanned.code]
    assert door_list(today_conference)["full"] is True and len(door_list(today_conference)["delegates"]) == 2
    assert quiet.code not in {entry["code"] for entry in delta["delegates"]}


def test_a_delta_over_http(scanner, today_conference, make_delegate):
    make_delegate(today_conference)
    since = scanner.client.get(URL).get_json()["generated_at"]
    delta = scanner.client.get(URL, query_string={"since": since}).get_json()
    assert delta["full"] is False
    assert scanner.client.get(URL, query_string={"since": "last tuesday"}).status_code == 400


def test_a_delta_from_another_day_is_the_whole_list(app, today_conference, make_delegate):
    make_delegate(today_conference)
    yesterday = datetime.now(timezone.utc) - timedelta(days=1, hours=1)
    assert door_list(today_conference, since=yesterday)["full"] is True


def test_devices_read_the_list_until_revoked(app, today_conference, make_conference, make_delegate):
    make_delegate(today_conference)
    device, token = issue_device_token(today_conference, "Gate 1", None)
    _, foreign = issue_device_token(make_conference("elsewhere"), "Theirs", None)
    db.session.commit()
    client = app.test_client()

    def get(bearer):
        return client.get(URL, headers={"Authorization": f"Bearer {bearer}"}).status_code

    assert (get(token), get(foreign), get("not-a-token")) == (200, 403, 401)
    revoke_device(device, None)
    db.session.commit()
    assert get(token) == 403


@pytest.mark.parametrize("role, status", [(None, 401), ("delegate", 403), (Role.REVIEWER, 403),
                                          (Role.STAFF, 200), (Role.ORGANIZER, 200)],
                         ids=["anonymous", "delegate", "reviewer", "staff", "organizer"])
def test_who_may_read_the_list(app, today_conference, make_user, role, status):
    client = app.test_client()
    if role is not None:
        login(client, make_user(None, None if role == "delegate" else role, today_conference))
    assert client.get(URL).status_code == status


def test_another_conference_staff_cannot_read_it(app, today_conference, make_conference, make_user):
    client = app.test_client()
    login(client, make_user(None, Role.STAFF, make_conference("elsewhere")))
    assert client.get(URL).status_code == 403


def test_the_list_carries_its_version_as_an_etag(scanner, today_conference, make_delegate):
    """The ETag reaches the device (the answer is still kept out of caches: no-store)."""
    make_delegate(today_conference)
    response = scanner.client.get(URL)
    assert response.headers["ETag"] == f'"{response.get_json()["version"]}"'
    assert response.headers["Cache-Control"] == "no-store"
