"""Rows of the authorization matrix (tests/test_authorization.py) for registering and one's own registration."""
from __future__ import annotations

from tests.access import (
    DONE,
    DONE_200,
    LOGGED_IN,
    NOT_FOUND,
    OWN_POST,
    OWN_REGISTRATION,
    PUBLIC,
    TO_LOGIN,
    TURNED_AWAY,
    Route,
    expect,
)
from tests.conftest import PASSWORD

DETAILS = {"name": "Salma Ben Youssef", "name_latin": "Salma Ben Youssef", "country": "TN",
           "organization": "Allo Enfance", "job_title": "Counsellor"}

ROUTES: dict[str, Route] = {
    # Logged out, the form makes the account too and answers on its own page ("check your mail"); the delegate is
    # registered already and is sent to their registration.
    "registration.register": Route(
        "/doha/register", expect(200, 302, 200, 200, 200, 200, 200),
        expect(DONE_200, TURNED_AWAY, DONE, DONE, DONE, DONE, DONE),
        form={**DETAILS, "consent_privacy": "y", "email": "matrix-register@example.org", "password": PASSWORD,
              "confirm": PASSWORD}),
    "registration.me": Route("/doha/me", LOGGED_IN),
    # The delegate's registration is approved: it can no longer be edited by them (they are sent back to it).
    "registration.edit": Route("/doha/me/edit", expect(302, 302, 404, 404, 404, 404, 404),
                               expect(TO_LOGIN, TURNED_AWAY, *[NOT_FOUND] * 5), form=DETAILS),
    "registration.cancel": Route("/doha/me/cancel", OWN_REGISTRATION, OWN_POST),
    "registration.visa_letter": Route("/doha/me/visa-letter.pdf", OWN_REGISTRATION),
    "registration.participants": Route("/doha/participants", PUBLIC),
}


def samples(people, conference) -> dict:
    """An approved registration with a visa letter for the 'delegate' visitor, in a delegation."""
    from datetime import date

    from conference.extensions import db
    from conference.registration.models import Delegate, DelegateStatus, Delegation
    from conference.registration.services import new_badge_token

    user = people["delegate"]
    delegation = Delegation(conference_id=conference.id, country="OM", name="Oman")
    delegate = Delegate(
        conference_id=conference.id, user_id=user.id, email=user.email, name="حمد بن سيف الحوسني",
        name_latin="Hamad bin Saif Al-Housni", country="OM", status=DelegateStatus.APPROVED, code="OM-0001",
        badge_token=new_badge_token(), consent_privacy=True, visa_requested=True, passport_name="HAMAD AL HOUSNI",
        nationality="OM", passport_number="A1234567", passport_expiry=date(2035, 1, 1), visa_letter_ref="DOHA-V1",
        delegation=delegation,
    )
    db.session.add_all([delegation, delegate])
    db.session.flush()
    delegation.head = delegate  # a link back from the delegation: the matrix's restore sets such cycles last
    db.session.commit()
    return {"delegate_id": delegate.id, "delegation_id": delegation.id}
