"""The door's JSON API: scans, search and the door list, for staff sessions and gate devices.

Every scan of every door comes through here, so its path is kept short: one rate-limit hit, one query for the
conference with the session's user and door role (or the device), then the check-in service. The functions a
scan needs take their inputs as arguments and refuse with Refused, so that checkin.entrance answers scans with
them outside Flask's request context, and scan_api (the rest) within it.
"""
from __future__ import annotations

import functools
import json
import threading
import time

from flask import Response, abort, current_app, jsonify, request, session
from flask_limiter.util import get_remote_address
from flask_login import current_user
from limits import RateLimitItem
from limits import parse as parse_limit

from ..accounts.access import has_role
from ..accounts.models import Role
from ..core.i18n import select_locale
from ..core.params import parse_id
from ..core.text import forbidden_characters
from ..extensions import csrf, limiter
from . import bp
from .devices import door, door_for_user, hash_device_token
from .doorlist import door_list, door_list_version, parse_since
from .services import (
    OFFLINE_VERDICTS,
    NonceReused,
    ScanRefused,
    SeenBadge,
    SoughtBadge,
    check_in,
    live_scan_statements_commit_themselves,
    scan_time,
    search_delegates,
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
    """Rate-limit key: the device (by its token's hash, no database needed), else the user, else the address."""
    if token:
        return "device:" + hash_device_token(token)
    return f"user:{session_id}" if session_id else "ip:" + (address or "")


def scanner_key() -> str:
    """This request's rate-limit key (scan_rate_key)."""
    return scan_rate_key(_bearer_token(), session.get("_user_id"), get_remote_address())


def _scan_rate_limit() -> str:
    return current_app.config["SCAN_RATE_LIMIT"]


@functools.lru_cache(maxsize=8)
def _parsed_limit(text: str) -> RateLimitItem:
    return parse_limit(text)


class ScanCounter:
    """Scans per key in fixed windows, in this process: the scan limit's counter when limits are kept in memory.

    limits' memory storage starts a timer thread on most hits (to expire its counters), and starting a thread
    waits for the scheduler: under load that cost about 3 ms per scan, more than the scan itself. Counts in
    memory are this process's own either way; with a shared storage (Redis) the limiter's storage counts.
    """

    def __init__(self) -> None:
        self.counts: dict[str, tuple[int, int]] = {}
        self.lock = threading.Lock()

    def hit(self, limit: RateLimitItem, key: str) -> bool:
        """Count one scan for `key`; False when it is over the limit."""
        window = int(time.time() // limit.get_expiry())
        with self.lock:
            if len(self.counts) > 10_000:  # forget keys of past windows now and then
                self.counts = {k: v for k, v in self.counts.items() if v[0] == window}
            start, count = self.counts.get(key, (window, 0))
            count = count + 1 if start == window else 1
            self.counts[key] = (window, count)
        return count <= limit.amount


def check_scan_rate(key: str) -> None:
    """Refused(429) past the scan limit, counted once per scan.

    Flask-Limiter's middleware and decorator would each work out the route's limits, twice per scan; the scan API
    counts itself instead (see _scan_api_counts_itself), in the limiter's storage or, for memory://, in a
    ScanCounter of the application.
    """
    limit = _parsed_limit(_scan_rate_limit())
    if current_app.config["RATELIMIT_STORAGE_URI"].startswith("memory://"):
        allowed = current_app.extensions.setdefault("door_scan_counter", ScanCounter()).hit(limit, key)
    else:
        allowed = limiter.limiter.hit(limit, "scan", key)
    if not allowed:
        raise Refused(429)


@limiter.request_filter
def _scan_api_counts_itself() -> bool:
    """Flask-Limiter skips the scan API, which checks its own limit (_check_scan_rate)."""
    return request.endpoint == "checkin.scan_api"


def device_door(slug: str, token: str, sought: SoughtBadge | None = None):
    """(conference, device, the sought badge as seen) of a bearer token's scan, or Refused with 404, 401 or 403."""
    conference, device, seen = door(slug, token, sought)
    if conference is None:
        raise Refused(404)
    if device is None:
        raise Refused(401)
    if device.revoked_at is not None or device.conference_id != conference.id:
        raise Refused(403)
    return conference, device, seen


def session_user_number(session_id) -> int | None:
    """The user number in a session's id ("number:generation:fingerprint"), else None."""
    return parse_id(session_id.partition(":")[0]) if isinstance(session_id, str) else None


def staff_door(slug: str, session_id: str, sought: SoughtBadge | None = None):
    """(conference, user, the sought badge as seen) of a session's scan, or Refused with 404, 401 or 403; the
    caller checks CSRF.

    One query loads the conference with the session's user and their door role (and the badge sought).
    """
    conference, staff, may_scan, seen = door_for_user(slug, session_user_number(session_id), sought)
    if conference is None:
        raise Refused(404)
    # The same test as the session loader (accounts.access.load_user): the stored id must still match.
    if staff is None or staff.session_id != session_id:
        raise Refused(401)
    if not may_scan:
        raise Refused(403)
    return conference, staff, seen


def _authenticate(slug: str):
    """(conference, staff user, device) of a scan or search, or abort with 400, 401, 403 or 404."""
    token = _bearer_token()
    session_id = session.get("_user_id")
    try:
        if token is not None:
            conference, device, _ = device_door(slug, token)
            return conference, None, device
        if session_user_number(session_id) is not None:
            conference, user, _ = staff_door(slug, session_id)
            csrf.protect()  # a session cookie alone could be a cross-site request; the page sends X-CSRFToken
            return conference, user, None
    except Refused as refused:
        abort(refused.code)
    # No session user (perhaps a remember-me cookie): Flask-Login's own path.
    conference = door(slug)[0]
    if conference is None:
        abort(404)
    if not current_user.is_authenticated:
        abort(401)
    if not has_role(current_user, conference, Role.STAFF, Role.ORGANIZER):
        abort(403)
    csrf.protect()
    return conference, current_user._get_current_object(), None


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
    return {"code": code, "gate": gate, "nonce": nonce, "offline_verdict": offline_verdict,
            "scanned_at": data.get("scanned_at")}


def answer_scan(conference, staff, device, data: dict | None, language: str,
                seen: SeenBadge | None = None) -> tuple[int, str]:
    """(HTTP status, JSON body) for an authenticated scan: the verdict, or why the scan was not judged."""
    scan = _scan_request(data)
    try:
        scan["scanned_at"] = scan_time(scan["scanned_at"])
        result = check_in(conference, staff=staff, device=device, language=language, seen=seen, **scan)
    except ScanRefused as refusal:
        return 400, json.dumps({"status": "error", "error": 400, "reason": "scanned_at", "message": str(refusal)},
                               ensure_ascii=False)
    except NonceReused:
        raise Refused(400) from None
    return 200, result.body


def commit_live_scans_themselves(data: dict | None) -> None:
    """Before the first query: a live scan's statements commit themselves (see the service)."""
    if data is not None and data.get("scanned_at") is None:
        live_scan_statements_commit_themselves()


@bp.post("/api/v1/<slug>/checkin")
@csrf.exempt
def scan_api(slug: str):
    """The check-in contract: one scan in, one verdict out (HTTP 200 for every verdict).

    Scans by a device's token or a session's user are answered by checkin.entrance before Flask sees them; this
    view answers the rest (a remember-me cookie without a session, no credentials) the same way.
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
