"""The door's JSON API: scans, search, the door list and door tokens, for gate devices and staff.

Every door scans with a bearer token: a gate device's, or the door token its scanner page obtains for the
logged-in staff member (door_token_api). A bearer token is not ambient, so such a scan needs no CSRF check, and
its path is kept short: one rate-limit hit, one query for the conference with the token's holder and the badge,
then the check-in service. The functions a token's scan needs take their inputs as arguments and refuse with
Refused, so that checkin.entrance answers those scans outside Flask's request context. A staff session cookie
with its CSRF header still works, here in Flask, through Flask-Login and Flask-WTF themselves.
"""
from __future__ import annotations

import functools
import json

from flask import Response, abort, current_app, jsonify, request, session
from flask_limiter.util import get_remote_address
from flask_login import current_user
from limits import RateLimitItem
from limits import parse as parse_limit

from ..accounts.access import has_role
from ..core.actions import perform
from ..core.i18n import select_locale
from ..core.text import forbidden_characters
from ..extensions import csrf, limiter
from . import bp
from .devices import DOOR_ROLES, DoorStaff, conference_and_holder, hash_device_token, issue_door_token
from .doorlist import door_list, door_list_version, parse_since
from .rooms import scan_in_room
from .search import search_delegates
from .services import (
    OFFLINE_VERDICTS,
    NonceReused,
    ScanRefused,
    SeenBadge,
    SoughtBadge,
    check_in,
    live_scan_statements_commit_themselves,
    scan_time,
)


class Refused(Exception):
    """A scan or search answered with an HTTP error (400, 401, 403, 404, 429) rather than a verdict."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


def bearer_token(authorization: str | None) -> str | None:
    """The token of an `Authorization: Bearer …` header, else None."""
    scheme, _, token = (authorization or "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else None


def _bearer_token() -> str | None:
    return bearer_token(request.headers.get("Authorization"))


def scan_rate_key(token: str | None, session_id: str | None, address: str | None = None) -> str:
    """Rate-limit key: the bearer token (by its hash, no database needed), else the session's user, else the address."""
    if token:
        return "bearer:" + hash_device_token(token)
    return f"user:{session_id}" if session_id else "ip:" + (address or "")


def scanner_key() -> str:
    """This request's rate-limit key (scan_rate_key)."""
    return scan_rate_key(_bearer_token(), session.get("_user_id"), get_remote_address())


def _scan_rate_limit() -> str:
    return current_app.config["SCAN_RATE_LIMIT"]


@functools.lru_cache(maxsize=8)
def _parsed_limit(text: str) -> RateLimitItem:
    return parse_limit(text)


def check_scan_rate(key: str) -> None:
    """Refused(429) past the scan limit: one hit, in Flask-Limiter's storage (Redis when configured).

    The scan API is exempt from Flask-Limiter's route limits, which would work out the route's limits in a request
    context the entrance does not have: it counts itself, through the same limiter's strategy and storage.
    """
    # The configured key prefix first, as Flask-Limiter's own keys: deployments sharing one Redis keep apart.
    prefix = current_app.config.get("RATELIMIT_KEY_PREFIX", "")
    if not limiter.limiter.hit(_parsed_limit(_scan_rate_limit()), prefix, "scan", key):
        raise Refused(429)


def authenticate_bearer(slug: str, token: str, sought: SoughtBadge | None = None):
    """(conference, staff, device, the sought badge as seen) of a bearer token's scan, or Refused with 404, 401
    or 403: a gate device's token (device) or a scanner page's door token (staff)."""
    conference, holder, seen = conference_and_holder(slug, token, sought)
    if conference is None:
        raise Refused(404)
    if holder is None:
        raise Refused(401)
    if holder.conference_id != conference.id:
        raise Refused(403)
    if isinstance(holder, DoorStaff):
        if not holder.active:  # expired, logged out, password changed or no longer on the door team: ask again
            raise Refused(401)
        return conference, holder, None, seen
    if holder.revoked_at is not None:
        raise Refused(403)
    return conference, None, holder, seen


def _authenticate(slug: str):
    """(conference, staff user, device) of a scan, search or door list, or abort with 400, 401, 403 or 404."""
    token = _bearer_token()
    if token is not None:
        try:
            conference, staff, device, _ = authenticate_bearer(slug, token)
        except Refused as refused:
            abort(refused.code)
        return conference, staff, device
    conference, staff = _door_staff_of_session(slug)
    csrf.protect()  # a session cookie alone could be a cross-site request: its page sends X-CSRFToken
    return conference, staff, None


def _door_staff_of_session(slug: str):
    """(conference, the session's user) when that user may work the conference's door, or abort with 404, 401
    or 403; the caller has the CSRF token checked."""
    conference = conference_and_holder(slug)[0]
    if conference is None:
        abort(404)
    if not current_user.is_authenticated:
        abort(401)
    if not has_role(current_user, conference, *DOOR_ROLES):
        abort(403)
    return conference, current_user._get_current_object()


def parse_json_object(body: bytes) -> dict | None:
    """A request body's JSON object, or None when it is malformed, too deep or not an object."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):  # get_json(silent=True) lets a RecursionError through as a 500
        return None
    return data if isinstance(data, dict) else None


def _scan_request(data: dict | None) -> dict:
    """check_in()'s arguments from the JSON body, or Refused(400)."""
    if data is None:
        raise Refused(400)
    code, gate, nonce = data.get("code"), data.get("gate") or "", data.get("nonce")
    offline_verdict = data.get("offline_verdict")
    if isinstance(code, int) and not isinstance(code, bool):
        # A scanner app that sends the digits as a JSON number: tokens are zero-padded to 39 digits.
        code = f"{code:039d}" if 0 <= code < 10 ** 39 else str(code)
    if isinstance(nonce, int) and not isinstance(nonce, bool):
        nonce = str(nonce)
    if not isinstance(code, str) or not code.strip() or not isinstance(gate, str) \
            or not (nonce is None or isinstance(nonce, str)) \
            or not (offline_verdict is None or offline_verdict in OFFLINE_VERDICTS):
        raise Refused(400)
    if forbidden_characters(gate):  # as in every form: no control or bidi-override characters in a gate name
        raise Refused(400)
    room = data.get("room")
    if room is not None and (isinstance(room, bool) or not isinstance(room, int)):
        raise Refused(400)
    return {"code": code, "gate": gate, "nonce": nonce, "offline_verdict": offline_verdict,
            "scanned_at": data.get("scanned_at"), "room": room}


def answer_scan(conference, staff, device, data: dict | None, language: str,
                seen: SeenBadge | None = None) -> tuple[int, str]:
    """(HTTP status, JSON body) for an authenticated scan: the verdict, or why the scan was not judged."""
    scan = _scan_request(data)
    # A device bound to a room scans there; a scanner page set to a room sends it.
    requested = scan.pop("room")
    room = getattr(device, "room_id", None) or requested
    try:
        scan["scanned_at"] = scan_time(scan["scanned_at"])
        if room is not None:
            result = scan_in_room(conference, room, staff=staff, device=device, language=language, **scan)
        else:
            result = check_in(conference, staff=staff, device=device, language=language, seen=seen, **scan)
    except ScanRefused as refusal:
        return 400, json.dumps({"status": "error", "error": 400, "reason": refusal.reason, "message": str(refusal)},
                               ensure_ascii=False)
    except NonceReused:
        raise Refused(400) from None
    return 200, result.body


def commit_live_scans_themselves(data: dict | None) -> None:
    """Before the first query: a live scan's statements commit themselves (see the service)."""
    if data is not None and data.get("scanned_at") is None:
        live_scan_statements_commit_themselves()


@bp.post("/api/v1/<slug>/checkin")
@csrf.exempt  # a bearer token needs no CSRF check; a session's scan is checked in _authenticate
@limiter.exempt  # counted by check_scan_rate, as in the entrance
def scan_api(slug: str):
    """The check-in contract: one scan in, one verdict out (HTTP 200 for every verdict).

    Bearer tokens' scans are answered by checkin.entrance before Flask sees them; this view answers the same way
    what reaches Flask (a staff session with its CSRF header, no credentials; bearer scans when the entrance is
    not in front).
    """
    try:
        check_scan_rate(scanner_key())
        data = parse_json_object(request.get_data(cache=False))  # read before the first query, refused after login
        commit_live_scans_themselves(data)
        conference, staff, device = _authenticate(slug)
        status, body = answer_scan(conference, staff, device, data, select_locale())
    except Refused as refused:
        abort(refused.code)
    return Response(body, status=status, mimetype="application/json")


@bp.post("/api/v1/<slug>/door-token")
@limiter.limit(_scan_rate_limit, key_func=scanner_key)
def door_token_api(slug: str):
    """A short-lived door token for the logged-in staff member's scanner page (session cookie and CSRF header).

    Flask-WTF checks the CSRF header, as for every POST; the token then authenticates the page's scans, search and
    door list as a bearer token. Logging out and changing the password end it at once.
    """
    conference, staff = _door_staff_of_session(slug)
    outcome = perform(lambda: issue_door_token(conference, staff))
    if not outcome.ok:
        abort(409)
    token, expires_at = outcome.value
    response = jsonify({"token": token, "expires_at": expires_at.isoformat()})
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/api/v1/<slug>/checkin/search")
@limiter.limit(_scan_rate_limit, key_func=scanner_key)
def search_api(slug: str):
    """Registrations matching a name, e-mail or human code, for admitting someone whose badge will not scan."""
    conference, _, _ = _authenticate(slug)
    return jsonify({"results": search_delegates(conference, request.args.get("q", ""))})


@bp.get("/api/v1/<slug>/door-list")
@limiter.limit(_scan_rate_limit, key_func=scanner_key)
def door_list_api(slug: str):
    """Today's door list for judging scans offline: token hashes, never tokens; ETag and `since=` deltas."""
    conference, _, _ = _authenticate(slug)
    try:
        since = parse_since(request.args.get("since"))
    except ValueError:
        abort(400)
    version = door_list_version(conference)
    # The version is in the body too: the page reads it there, whatever a proxy does to the ETag header.
    headers = {"ETag": f'"{version}"', "Cache-Control": "private, no-cache", "Vary": "Cookie, Authorization"}
    if request.if_none_match.contains(version):
        return Response(status=304, headers=headers)
    body = dict(door_list(conference, since), version=version)
    return Response(json.dumps(body, ensure_ascii=False, separators=(",", ":")), mimetype="application/json",
                    headers=headers)
