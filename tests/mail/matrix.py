"""Rows of the authorization matrix (tests/test_authorization.py) for the outbox."""
from __future__ import annotations

from tests.access import ADMIN, ORGANIZER, ORGANIZER_POST, POST_ONLY, Route

ROUTES: dict[str, Route] = {
    "mail.outbox": Route("/doha/manage/outbox", ORGANIZER),
    "mail.message": Route("/doha/manage/outbox/{message_id}", ORGANIZER),
    "mail.retry_message": Route("/doha/manage/outbox/{failed_message_id}/retry", POST_ONLY, ORGANIZER_POST),
    "mail.admin_outbox": Route("/admin/outbox", ADMIN),
    # drafts (decision letters) wait for an organizer to release them
    "mail.release_all": Route("/doha/manage/outbox/release", POST_ONLY, ORGANIZER_POST),
    "mail.release_message": Route("/doha/manage/outbox/{draft_message_id}/release", POST_ONLY, ORGANIZER_POST),
}


def samples(people, conference) -> dict:
    """A queued message, one that failed and a draft, in the doha conference's outbox."""
    from conference.extensions import db
    from conference.mail.models import MailState
    from conference.mail.services import queue_mail

    def message(state: MailState | None = None):
        queued = queue_mail("someone@example.org", "welcome", "en", conference=conference, user=people["delegate"],
                            login_url="http://x/login")
        if state is not None:
            queued.state = state
        return queued

    queued, failed, draft = message(), message(MailState.FAILED), message(MailState.DRAFT)
    db.session.commit()
    return {"message_id": queued.id, "failed_message_id": failed.id, "draft_message_id": draft.id}
