"""The authorization matrix: every route, every kind of visitor, the expected answer.

Each area adds its routes to ROUTES (newer areas in tests/<area>/matrix.py); a route missing from the table fails.
"""
from __future__ import annotations

import pytest

from conference.extensions import db
from conference.mail.services import queue_mail
from tests.access import ADMIN, LOGGED_IN, ORGANIZER, OWN_REGISTRATION, POST_ONLY, PUBLIC, STAFF, VISITORS, expect
from tests.agenda import matrix as agenda_matrix
from tests.conftest import login
from tests.events import matrix as events_matrix
from tests.submissions import matrix as submissions_matrix

# Areas that keep their rows beside their own tests: each module has ROUTES and samples(people, conference).
AREA_MATRICES = (submissions_matrix, agenda_matrix, events_matrix)

# endpoint -> (path to GET, expected status per visitor)
ROUTES: dict[str, tuple[str, dict[str, int]]] = {
    "core.healthz": ("/healthz", PUBLIC),
    "accounts.login": ("/login", PUBLIC),
    "accounts.signup": ("/signup", PUBLIC),
    "accounts.logout": ("/logout", PUBLIC),
    "accounts.password": ("/account/password", LOGGED_IN),
    "accounts.forgot_password": ("/password/forgot", PUBLIC),
    "accounts.reset_password": ("/password/reset/not-a-valid-token", PUBLIC),
    "accounts.team": ("/doha/manage/team", ORGANIZER),
    "accounts.remove_member": ("/doha/manage/team/1/remove", POST_ONLY),
    "accounts.confirm_address": ("/account/confirm/not-a-valid-token", PUBLIC),
    "accounts.send_confirmation": ("/account/confirm", POST_ONLY),
    "accounts.cancel_team_invitation": ("/doha/manage/team/invitations/1/cancel", POST_ONLY),
    "accounts.invitation": ("/invitations/not-a-valid-token", PUBLIC),
    "events.index": ("/", PUBLIC),
    "events.home": ("/doha/", PUBLIC),
    "events.create": ("/admin/conferences/new", ADMIN),
    "events.settings": ("/doha/manage/settings", ORGANIZER),
    "mail.outbox": ("/doha/manage/outbox", ORGANIZER),
    "mail.message": ("/doha/manage/outbox/{message_id}", ORGANIZER),
    "mail.retry_message": ("/doha/manage/outbox/{message_id}/retry", POST_ONLY),
    "mail.admin_outbox": ("/admin/outbox", ADMIN),
    # check-in: the sample admission and gate device belong to the doha conference
    "checkin.scan_api": ("/api/v1/doha/checkin", POST_ONLY),
    "checkin.door_token_api": ("/api/v1/doha/door-token", POST_ONLY),
    "checkin.search_api": ("/api/v1/doha/checkin/search?q=Hamad", expect(401, 403, 403, 200, 403, 200, 200)),
    "checkin.scanner": ("/doha/checkin", STAFF),
    "checkin.attendance": ("/doha/manage/attendance", ORGANIZER),
    "checkin.attendance_csv": ("/doha/manage/attendance.csv", ORGANIZER),
    "checkin.undo_checkin": ("/doha/manage/attendance/{checkin_id}/undo", POST_ONLY),
    "checkin.devices": ("/doha/manage/devices", ORGANIZER),
    "checkin.revoke_device": ("/doha/manage/devices/{device_id}/revoke", POST_ONLY),
    "checkin.door_list_api": ("/api/v1/doha/door-list", expect(401, 403, 403, 200, 403, 200, 200)),
    "checkin.decoder_worker": ("/checkin/decoder-worker.js", PUBLIC),
    "checkin.service_worker": ("/doha/checkin/service-worker.js", PUBLIC),
    "checkin.manifest": ("/doha/checkin/manifest.webmanifest", PUBLIC),
    # registration: the sample delegate is approved, with a visa letter issued
    "registration.register": ("/doha/register", expect(200, 302, 200, 200, 200, 200, 200)),
    "registration.me": ("/doha/me", LOGGED_IN),
    "registration.edit": ("/doha/me/edit", expect(302, 302, 404, 404, 404, 404, 404)),
    "registration.cancel": ("/doha/me/cancel", OWN_REGISTRATION),
    "registration.visa_letter": ("/doha/me/visa-letter.pdf", OWN_REGISTRATION),
    "registration.participants": ("/doha/participants", PUBLIC),
    "manage.dashboard": ("/doha/manage/", ORGANIZER),
    "manage.delegates": ("/doha/manage/delegates", ORGANIZER),
    "manage.bulk": ("/doha/manage/delegates/bulk", POST_ONLY),
    "manage.delegate": ("/doha/manage/delegates/{delegate_id}", ORGANIZER),
    "manage.change_status": ("/doha/manage/delegates/{delegate_id}/status/approve", POST_ONLY),
    "manage.edit_delegate": ("/doha/manage/delegates/{delegate_id}/edit", ORGANIZER),
    "manage.issue_letter": ("/doha/manage/delegates/{delegate_id}/visa-letter", POST_ONLY),
    "manage.letter_pdf": ("/doha/manage/delegates/{delegate_id}/visa-letter.pdf", ORGANIZER),
    "manage.export_csv": ("/doha/manage/delegates.csv", ORGANIZER),
    "manage.export_xlsx": ("/doha/manage/delegates.xlsx", ORGANIZER),
    "manage.delegations": ("/doha/manage/delegations", ORGANIZER),
    "manage.delegation": ("/doha/manage/delegations/{delegation_id}", ORGANIZER),
    "manage.delegation_member": ("/doha/manage/delegations/{delegation_id}/member", POST_ONLY),
    "badging.badges": ("/doha/manage/badges", ORGANIZER),
    "badging.batch_pdf": ("/doha/manage/badges.pdf?layout=a6", ORGANIZER),
    "badging.mark_batch_printed": ("/doha/manage/badges/printed", POST_ONLY),
    "badging.delegate_badge": ("/doha/manage/delegates/{delegate_id}/badge.pdf", ORGANIZER),
    "badging.reissue": ("/doha/manage/delegates/{delegate_id}/badge/reissue", POST_ONLY),
    "badging.my_badge": ("/doha/me/badge.pdf", OWN_REGISTRATION),
}
for area in AREA_MATRICES:
    ROUTES.update(area.ROUTES)


@pytest.fixture
def samples(app, people, doha) -> dict[str, object]:
    """Values for the URL parameters in ROUTES."""
    message = queue_mail("someone@example.org", "welcome", "en", conference=doha,
                         user=people["delegate"], login_url="http://x/login")
    db.session.commit()
    values = {"message_id": message.id, **_registration_samples(people["delegate"], doha)}
    for extend in SAMPLE_EXTENSIONS:
        values.update(extend(people, doha))
    for area in AREA_MATRICES:
        values.update(area.samples(people, doha))
    return values


def _registration_samples(user, conference) -> dict[str, int]:
    """An approved registration with a visa letter for the 'delegate' visitor, in a delegation."""
    from datetime import date

    from conference.registration.models import Delegate, DelegateStatus, Delegation
    from conference.registration.services import new_badge_token

    delegation = Delegation(conference_id=conference.id, country="OM", name="Oman")
    delegate = Delegate(
        conference_id=conference.id, user_id=user.id, email=user.email, name="حمد بن سيف الحوسني",
        name_latin="Hamad bin Saif Al-Housni", country="OM", status=DelegateStatus.APPROVED, code="OM-0001",
        badge_token=new_badge_token(), consent_privacy=True, visa_requested=True, passport_name="HAMAD AL HOUSNI",
        nationality="OM", passport_number="A1234567", passport_expiry=date(2035, 1, 1), visa_letter_ref="DOHA-V1",
        delegation=delegation,
    )
    db.session.add_all([delegation, delegate])
    db.session.commit()
    return {"delegate_id": delegate.id, "delegation_id": delegation.id}


# Areas whose routes need sample rows (a delegate, a device, ...) add a factory here.
SAMPLE_EXTENSIONS: list = []


def _checkin_samples(people, conference) -> dict[str, int]:
    """An admission on the first conference day and a gate device."""
    from conference.accounts.services import create_user
    from conference.checkin.devices import issue_device_token
    from conference.checkin.models import CheckIn
    from conference.registration.models import Delegate, DelegateStatus
    from conference.registration.services import new_badge_token

    user = create_user("door-sample@example.org", "correct-horse-battery", "Fatima Zahra")
    delegate = Delegate(conference_id=conference.id, user_id=user.id, email=user.email, name="Fatima Zahra",
                        country="MA", status=DelegateStatus.APPROVED, code="MA-0001",
                        badge_token=new_badge_token(), consent_privacy=True)
    db.session.add(delegate)
    db.session.flush()
    checkin = CheckIn(conference_id=conference.id, delegate_id=delegate.id, day=conference.start_date, gate="Main")
    db.session.add(checkin)
    device, _ = issue_device_token(conference, "Turnstile", people["organizer"])
    db.session.commit()
    return {"checkin_id": checkin.id, "device_id": device.id}


SAMPLE_EXTENSIONS.append(_checkin_samples)


def test_every_route_is_in_the_matrix(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint != "static"}
    missing = sorted(endpoints - ROUTES.keys())
    assert missing == [], f"add these routes to ROUTES in tests/test_authorization.py: {missing}"
    assert sorted(ROUTES.keys() - endpoints) == []


@pytest.mark.parametrize("visitor", VISITORS)
def test_matrix(app, people, samples, visitor):
    client = app.test_client()
    if people[visitor] is not None:
        login(client, people[visitor])
    answers = {}
    for endpoint, (path, expected) in ROUTES.items():
        status = client.get(path.format(**samples)).status_code
        answers[endpoint] = (status, expected[visitor])
    wrong = {endpoint: got for endpoint, got in answers.items() if got[0] != got[1]}
    assert wrong == {}, f"(got, expected) for {visitor}: {wrong}"


def test_every_state_changing_route_needs_csrf(app, people, samples):
    client = app.test_client()
    login(client, people["admin"])
    posted = 0
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or not rule.methods & {"POST", "PUT", "PATCH", "DELETE"}:
            continue
        path = ROUTES[rule.endpoint][0].format(**samples)
        for method in sorted(rule.methods & {"POST", "PUT", "PATCH", "DELETE"}):
            response = client.open(path, method=method, data={"anything": "x"})
            assert response.status_code == 400, f"{method} {path} answered {response.status_code} without CSRF"
            posted += 1
    assert posted >= 5
