"""Rows of the authorization matrix (tests/test_authorization.py) for the messages to groups."""
from __future__ import annotations

from tests.access import ORGANIZER, ORGANIZER_POST, POST_ONLY, Route

SEND = {"kind": "delegates", "status": "approved", "subject_en": "Hello", "body_en": "See you soon.",
        "form_token": "matrix-form", "send": "1"}

ROUTES: dict[str, Route] = {
    "messages.messages": Route("/doha/manage/messages", ORGANIZER),
    "messages.compose": Route("/doha/manage/messages/new?status=approved&country=OM", ORGANIZER, ORGANIZER_POST,
                              form=SEND, post_path="/doha/manage/messages/new"),
    "messages.audience_count": Route("/doha/manage/messages/audience?kind=delegates&status=approved", ORGANIZER),
    "messages.message": Route("/doha/manage/messages/{group_message_id}", ORGANIZER),
    "messages.message_progress": Route("/doha/manage/messages/{group_message_id}/progress", ORGANIZER),
    "messages.resend": Route("/doha/manage/messages/{group_message_id}/resend", POST_ONLY, ORGANIZER_POST),
    "messages.cancel_message": Route("/doha/manage/messages/{scheduled_message_id}/cancel", POST_ONLY,
                                     ORGANIZER_POST),
}


def samples(people, conference) -> dict:
    """An approved delegate, a message sent to the approved delegates (one copy failed) and a scheduled one."""
    from datetime import timedelta

    from conference.extensions import db
    from conference.mail.models import MailState, OutboxMessage
    from conference.messages.audiences import Audience
    from conference.messages.services import Draft, create_message, queue_message
    from conference.registration.models import Delegate, DelegateStatus
    from conference.registration.services import new_badge_token, next_code
    from conference.types import utcnow
    from tests.conftest import quick_user

    user = quick_user("matrix-recipient@example.org", "Matrix Recipient")
    db.session.add(Delegate(conference_id=conference.id, user_id=user.id, email=user.email, name="Matrix Delegate",
                            country="OM", status=DelegateStatus.APPROVED, code=next_code(conference.id, "OM"),
                            badge_token=new_badge_token(), consent_privacy=True))
    draft = Draft(subject_en="Hello {name}", body_en="Welcome.")
    sent = create_message(conference, people["organizer"], draft, Audience(status="approved"), "matrix-sent")
    later = create_message(conference, people["organizer"], draft, Audience(), "matrix-later",
                           send_at=utcnow() + timedelta(days=1))
    db.session.commit()
    queue_message(conference, sent.id)
    for copy in db.session.scalars(OutboxMessage.of(conference).where(OutboxMessage.message_id == sent.id)):
        copy.state = MailState.FAILED
    db.session.commit()
    return {"group_message_id": sent.id, "scheduled_message_id": later.id}
