"""The kinds of visitor in the authorization matrix and the usual expectations per kind."""
from __future__ import annotations

VISITORS = ("anonymous", "delegate", "reviewer", "staff", "other_organizer", "organizer", "admin")


def expect(anonymous, delegate, reviewer, staff, other_organizer, organizer, admin) -> dict[str, int]:
    return dict(zip(VISITORS, (anonymous, delegate, reviewer, staff, other_organizer, organizer, admin), strict=False))


PUBLIC = expect(200, 200, 200, 200, 200, 200, 200)
LOGGED_IN = expect(302, 200, 200, 200, 200, 200, 200)
ORGANIZER = expect(302, 403, 403, 403, 403, 200, 200)
STAFF = expect(302, 403, 403, 200, 403, 200, 200)
ADMIN = expect(302, 403, 403, 403, 403, 403, 200)
POST_ONLY = expect(405, 405, 405, 405, 405, 405, 405)
OWN_REGISTRATION = expect(302, 200, 404, 404, 404, 404, 404)
