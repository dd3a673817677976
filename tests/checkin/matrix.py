"""Rows of the authorization matrix (tests/test_authorization.py) for the door: its pages and its JSON API."""
from __future__ import annotations

from tests.access import (
    DONE_200,
    DOOR_API_POST,
    ORGANIZER,
    ORGANIZER_POST,
    POST_ONLY,
    PUBLIC,
    STAFF,
    Route,
    expect,
    for_everyone,
)

DOOR_TEAM = expect(401, 403, 403, 200, 403, 200, 200)
HOLDER = expect(200, 200, 200, 200, 200, 200, 200)  # a bearer token answers whoever's cookie comes with it
DEVICE, DOOR_TOKEN = {"Authorization": "Bearer {device_token}"}, {"Authorization": "Bearer {door_token}"}
ORGANIZER_PAGE_POST = {**ORGANIZER_POST, "organizer": DONE_200, "admin": DONE_200}
SCAN = {"code": "{badge_token}", "gate": "Main entrance", "nonce": "matrix-1"}

ROUTES: dict[str, Route] = {
    # A staff member's session scans with its CSRF header, as the door page did before door tokens.
    "checkin.scan_api": Route("/api/v1/doha/checkin", POST_ONLY, DOOR_API_POST, json=SCAN),
    # A bearer token is the credential, whoever's cookie comes with it: a gate device's, or a door token.
    "checkin.scan_api (gate device)": Route("/api/v1/doha/checkin", POST_ONLY, for_everyone(DONE_200), json=SCAN,
                                            headers=DEVICE),
    "checkin.scan_api (door token)": Route("/api/v1/doha/checkin", POST_ONLY, for_everyone(DONE_200), json=SCAN,
                                           headers=DOOR_TOKEN),
    "checkin.door_token_api": Route("/api/v1/doha/door-token", POST_ONLY, DOOR_API_POST, json={}),
    "checkin.search_api": Route("/api/v1/doha/checkin/search?q=Hamad", DOOR_TEAM),
    "checkin.search_api (door token)": Route("/api/v1/doha/checkin/search?q=Hamad", HOLDER, headers=DOOR_TOKEN),
    "checkin.scanner": Route("/doha/checkin", STAFF),
    "checkin.attendance": Route("/doha/manage/attendance", ORGANIZER),
    "checkin.attendance_csv": Route("/doha/manage/attendance.csv", ORGANIZER),
    "checkin.session_attendance_csv": Route("/doha/manage/attendance/sessions.csv", ORGANIZER),
    "checkin.undo_checkin": Route("/doha/manage/attendance/{checkin_id}/undo", POST_ONLY, ORGANIZER_POST,
                                  form={"note": "Scanned the wrong badge"}),
    # A new device's token is shown once, on the page that issued it.
    "checkin.devices": Route("/doha/manage/devices", ORGANIZER, ORGANIZER_PAGE_POST,
                             form={"name": "North gate, scanner 2"}),
    "checkin.revoke_device": Route("/doha/manage/devices/{device_id}/revoke", POST_ONLY, ORGANIZER_POST),
    "checkin.door_list_api": Route("/api/v1/doha/door-list", DOOR_TEAM),
    "checkin.door_list_api (gate device)": Route("/api/v1/doha/door-list", HOLDER, headers=DEVICE),
    "checkin.decoder_worker": Route("/checkin/decoder-worker.js", PUBLIC),
    "checkin.service_worker": Route("/doha/checkin/service-worker.js", PUBLIC),
    "checkin.manifest": Route("/doha/checkin/manifest.webmanifest", PUBLIC),
}


def samples(people, conference) -> dict:
    """An approved delegate admitted on the first conference day, a gate device and the staff member's door token.

    The door admits on any day here, so that a scan today is an admission (not a "not today" verdict).
    """
    from conference.accounts.services import create_user
    from conference.checkin.devices import issue_device_token, issue_door_token
    from conference.checkin.models import CheckIn
    from conference.extensions import db
    from conference.registration.models import Delegate, DelegateStatus
    from conference.registration.services import new_badge_token

    conference.admit_only_on_conference_days = False
    user = create_user("door-sample@example.org", "correct-horse-battery", "Fatima Zahra")
    delegate = Delegate(conference_id=conference.id, user_id=user.id, email=user.email, name="Fatima Zahra",
                        country="MA", status=DelegateStatus.APPROVED, code="MA-0001",
                        badge_token=new_badge_token(), consent_privacy=True)
    db.session.add(delegate)
    db.session.flush()
    checkin = CheckIn(conference_id=conference.id, delegate_id=delegate.id, day=conference.start_date, gate="Main")
    db.session.add(checkin)
    device, device_token = issue_device_token(conference, "Turnstile", people["organizer"])
    door_token, _ = issue_door_token(conference, people["staff"])
    db.session.commit()
    return {"checkin_id": checkin.id, "device_id": device.id, "badge_token": delegate.badge_token,
            "device_token": device_token, "door_token": door_token}
