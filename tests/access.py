"""The authorization matrix's vocabulary: the kinds of visitor, a row (Route) and the usual expectations per kind.

Each area keeps its rows in tests/<area>/matrix.py: ROUTES (label -> Route) and samples(people, conference), which
creates the rows the paths and forms name; tests/test_authorization.py finds every such module on disk.
"""
from __future__ import annotations

from dataclasses import dataclass, field

VISITORS = ("anonymous", "delegate", "reviewer", "staff", "other_organizer", "organizer", "admin")


def expect(anonymous, delegate, reviewer, staff, other_organizer, organizer, admin) -> dict:
    """One expectation per kind of visitor, named."""
    return dict(zip(VISITORS, (anonymous, delegate, reviewer, staff, other_organizer, organizer, admin), strict=False))


# ---- GET: the status each visitor gets -------------------------------------------------------------------------

PUBLIC = expect(200, 200, 200, 200, 200, 200, 200)
LOGGED_IN = expect(302, 200, 200, 200, 200, 200, 200)
ORGANIZER = expect(302, 403, 403, 403, 403, 200, 200)
STAFF = expect(302, 403, 403, 200, 403, 200, 200)
ADMIN = expect(302, 403, 403, 403, 403, 403, 200)
POST_ONLY = expect(405, 405, 405, 405, 405, 405, 405)
OWN_REGISTRATION = expect(302, 200, 404, 404, 404, 404, 404)


# ---- POST (with a valid CSRF token): the status each visitor gets and what it changes ---------------------------

@dataclass(frozen=True)
class Answer:
    """What a POST does: its status, what it changes and, for a redirect, where it leads (a prefix of the path).

    effect: "rows" (the database changed), "session" (who is logged in changed; the database did not) or
    "nothing" (a refusal, a form shown again with its errors, a confirmation step).
    """

    status: int
    effect: str = "nothing"
    location: str = ""

    def __str__(self) -> str:
        return f"{self.status} {self.effect}" + (f" -> {self.location}" if self.location else "")


TO_LOGIN = Answer(302, location="/login")  # not logged in: sent to the login page, nothing written
UNAUTHORIZED = Answer(401)  # the API's answer to a visitor without credentials
FORBIDDEN = Answer(403)
NOT_FOUND = Answer(404)  # someone else's row: the app does not say it exists
DONE = Answer(302, "rows")  # the change is made, then a redirect
DONE_200 = Answer(200, "rows")  # the change is made and answered on the page itself (a token shown once, JSON)
SHOWN = Answer(200)  # a page and no change: the form again with its errors, or the confirmation step of an action
TURNED_AWAY = Answer(302)  # a valid request the action refuses (it does not apply here), said in a flash message
LOGGED_IN_AS = Answer(302, "session")  # logged in (or out) and redirected; no row written
BAD_REQUEST = Answer(400)

ORGANIZER_POST = expect(TO_LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, DONE, DONE)
ADMIN_POST = expect(TO_LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, DONE)
LOGGED_IN_POST = expect(TO_LOGIN, DONE, DONE, DONE, DONE, DONE, DONE)
# The sample row belongs to the delegate: every other logged-in visitor does not find it.
OWN_POST = expect(TO_LOGIN, DONE, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND)
# The door's JSON API: no credentials 401, not on the door team 403, the door team gets its JSON answer.
DOOR_API_POST = expect(UNAUTHORIZED, FORBIDDEN, FORBIDDEN, DONE_200, FORBIDDEN, DONE_200, DONE_200)


def for_everyone(answer) -> dict:
    """The same expectation for every kind of visitor."""
    return expect(*[answer] * len(VISITORS))


@dataclass(frozen=True)
class Route:
    """One row of the matrix: what a GET of `path` answers each visitor and, for a route that changes state, what a
    POST with a valid CSRF token (read from a page of the visitor's own session) answers and changes.

    Strings in path, post_path, form, json and headers may name samples: "{delegate_id}". A form is posted as a
    browser posts it; a JSON body goes with the X-CSRFToken header, as the door page sends it. The headers (a bearer
    token) go with the GET and the POST.
    """

    path: str
    get: dict[str, int]
    post: dict[str, Answer] | None = None
    form: dict = field(default_factory=dict)
    json: dict | None = None
    headers: dict = field(default_factory=dict)
    post_path: str | None = None  # when the POST goes elsewhere than the GET (a valid token rather than a bad one)
