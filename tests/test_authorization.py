"""The authorization matrix: every route, every kind of visitor, the expected answer.

Each area adds its routes to ROUTES; a route missing from the table fails the test.
"""
from __future__ import annotations

import pytest

from conference.extensions import db
from conference.mail.services import queue_mail
from tests.conftest import login

VISITORS = ("anonymous", "delegate", "reviewer", "staff", "other_organizer", "organizer", "admin")


def expect(anonymous, delegate, reviewer, staff, other_organizer, organizer, admin) -> dict[str, int]:
    return dict(zip(VISITORS, (anonymous, delegate, reviewer, staff, other_organizer, organizer, admin)))


PUBLIC = expect(200, 200, 200, 200, 200, 200, 200)
LOGGED_IN = expect(302, 200, 200, 200, 200, 200, 200)
ORGANIZER = expect(302, 403, 403, 403, 403, 200, 200)
STAFF = expect(302, 403, 403, 200, 403, 200, 200)
ADMIN = expect(302, 403, 403, 403, 403, 403, 200)
POST_ONLY = expect(405, 405, 405, 405, 405, 405, 405)

# endpoint -> (path to GET, expected status per visitor)
ROUTES: dict[str, tuple[str, dict[str, int]]] = {
    "core.healthz": ("/healthz", PUBLIC),
    "accounts.login": ("/login", PUBLIC),
    "accounts.signup": ("/signup", PUBLIC),
    "accounts.logout": ("/logout", PUBLIC),
    "accounts.password": ("/account/password", LOGGED_IN),
    "events.index": ("/", PUBLIC),
    "events.home": ("/doha/", PUBLIC),
    "events.create": ("/admin/conferences/new", ADMIN),
    "events.settings": ("/doha/manage/settings", ORGANIZER),
    "mail.outbox": ("/doha/manage/outbox", ORGANIZER),
    "mail.message": ("/doha/manage/outbox/{message_id}", ORGANIZER),
    "mail.retry_message": ("/doha/manage/outbox/{message_id}/retry", POST_ONLY),
    "mail.admin_outbox": ("/admin/outbox", ADMIN),
}


@pytest.fixture
def samples(app, people, doha) -> dict[str, object]:
    """Values for the URL parameters in ROUTES."""
    message = queue_mail("someone@example.org", "welcome", "en", conference=doha,
                         user=people["delegate"], login_url="http://x/login")
    db.session.commit()
    values = {"message_id": message.id}
    for extend in SAMPLE_EXTENSIONS:
        values.update(extend(people, doha))
    return values


# Areas whose routes need sample rows (a delegate, a device, ...) add a factory here.
SAMPLE_EXTENSIONS: list = []


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
