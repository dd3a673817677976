"""Rows of the authorization matrix (tests/test_authorization.py) for badges."""
from __future__ import annotations

from tests.access import ORGANIZER, ORGANIZER_POST, OWN_REGISTRATION, POST_ONLY, Route

ROUTES: dict[str, Route] = {
    "badging.badges": Route("/doha/manage/badges", ORGANIZER),
    "badging.batch_pdf": Route("/doha/manage/badges.pdf?layout=a6", ORGANIZER),
    # the approved delegates' badges (none printed yet) are marked printed
    "badging.mark_batch_printed": Route("/doha/manage/badges/printed", POST_ONLY, ORGANIZER_POST),
    "badging.delegate_badge": Route("/doha/manage/delegates/{delegate_id}/badge.pdf", ORGANIZER),
    "badging.reissue": Route("/doha/manage/delegates/{delegate_id}/badge/reissue", POST_ONLY, ORGANIZER_POST),
    "badging.my_badge": Route("/doha/me/badge.pdf", OWN_REGISTRATION),
}
