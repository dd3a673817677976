"""Rows of the authorization matrix (tests/test_authorization.py) for the organizers' delegates and delegations."""
from __future__ import annotations

from tests.access import ORGANIZER, ORGANIZER_POST, POST_ONLY, Route

ROUTES: dict[str, Route] = {
    "manage.dashboard": Route("/doha/manage/", ORGANIZER),
    "manage.delegates": Route("/doha/manage/delegates", ORGANIZER),
    # the confirmed second step of a bulk action (the first shows the chosen delegates)
    "manage.bulk": Route("/doha/manage/delegates/bulk", POST_ONLY, ORGANIZER_POST,
                         form={"ids": ["{pending_delegate_id}"], "action": "approve", "confirmed": "yes"}),
    "manage.delegate": Route("/doha/manage/delegates/{delegate_id}", ORGANIZER),
    "manage.change_status": Route("/doha/manage/delegates/{pending_delegate_id}/status/approve", POST_ONLY,
                                  ORGANIZER_POST, form={"note": "Confirmed by phone"}),
    "manage.edit_delegate": Route("/doha/manage/delegates/{delegate_id}/edit", ORGANIZER, ORGANIZER_POST, form={
        "name": "حمد بن سيف الحوسني", "name_latin": "Hamad Al-Housni", "country": "OM", "category": "speaker",
        "delegation_id": "{delegation_id}", "organization": "Oman Child Helpline"}),
    "manage.issue_letter": Route("/doha/manage/delegates/{visa_delegate_id}/visa-letter", POST_ONLY, ORGANIZER_POST),
    "manage.letter_pdf": Route("/doha/manage/delegates/{delegate_id}/visa-letter.pdf", ORGANIZER),
    "manage.export_csv": Route("/doha/manage/delegates.csv", ORGANIZER),
    "manage.export_xlsx": Route("/doha/manage/delegates.xlsx", ORGANIZER),
    "manage.delegations": Route("/doha/manage/delegations", ORGANIZER, ORGANIZER_POST,
                                form={"country": "KW", "name": "Delegation of Kuwait", "name_ar": "وفد الكويت"}),
    "manage.delegation": Route("/doha/manage/delegations/{delegation_id}", ORGANIZER),
    "manage.delegation_member": Route("/doha/manage/delegations/{delegation_id}/member", POST_ONLY, ORGANIZER_POST,
                                      form={"delegate_id": "{pending_delegate_id}"}),
}


def samples(people, conference) -> dict:
    """A pending registration from Oman (to approve, or add to the Oman delegation) and an approved one whose visa
    letter is still to be issued."""
    from datetime import date

    from conference.extensions import db
    from conference.registration.models import Delegate, DelegateStatus
    from conference.registration.services import new_badge_token
    from tests.conftest import quick_user

    def registration(email: str, name: str, code: str, status: DelegateStatus, **fields) -> Delegate:
        user = quick_user(email, name)
        delegate = Delegate(conference_id=conference.id, user_id=user.id, email=user.email, name=name, country="OM",
                            status=status, code=code, badge_token=new_badge_token(), consent_privacy=True, **fields)
        db.session.add(delegate)
        return delegate

    pending = registration("manage-pending@example.org", "Said Al-Rawahi", "OM-0101", DelegateStatus.PENDING)
    visa = registration("manage-visa@example.org", "Laila Al-Balushi", "OM-0102", DelegateStatus.APPROVED,
                        visa_requested=True, passport_name="LAILA AL BALUSHI", nationality="OM",
                        passport_number="B7654321", passport_expiry=date(2036, 6, 30))
    db.session.commit()
    return {"pending_delegate_id": pending.id, "visa_delegate_id": visa.id}
