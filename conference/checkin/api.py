"""The door's JSON API: scans, search and the door list, for staff sessions and gate devices.

Every scan of every door comes through scan_api, so its path is kept short: one rate-limit hit, one query for
the conference with the session's user and door role (or the device), then the check-in service.
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
from ..extensions import csrf, limiter, login_manager
from . import bp
from .devices import door, door_for_user, hash_device_token
from .doorlist import door_list, door_list_version, parse_since
from .services import (
    OFFLINE_VERDICTS,
    NonceReused,
    ScanRefused,
    check_in,
    live_scan_statements_commit_themselves,
    scan_time,
    search_delegates,
)


def _bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else None


def scanner_key() -> str:
    """Rate-limit key: the device (by its token's hash, no database needed), else the user, else the address."""
    token = _bearer_token()
    if token:
        return "device:" + hash_device_token(token)
    user_id = session.get("_user_id")
    return f"user:{user_id}" if user_id else "ip:" + (get_remote_address() or "")


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


def _check_scan_rate() -> None:
    """429 past the scan limit, counted once per scan.

    Flask-Limiter's middleware and decorator would each work out the route's limits, twice per scan; the scan API
    counts itself instead (see _scan_api_counts_itself), in the limiter's storage or, for memory://, in a
    ScanCounter of the application.
    """
    limit, key = _parsed_limit(_scan_rate_limit()), scanner_key()
    if current_app.config["RATELIMIT_STORAGE_URI"].startswith("memory://"):
        allowed = current_app.extensions.setdefault("door_scan_counter", ScanCounter()).hit(limit, key)
    else:
        allowed = limiter.limiter.hit(limit, "scan", key)
    if not allowed:
        abort(429)


@limiter.request_filter
def _scan_api_counts_itself() -> bool:
    """Flask-Limiter skips the scan API, which checks its own limit (_check_scan_rate)."""
    return request.endpoint == "checkin.scan_api"


def _authenticate(slug: str):
    """(conference, staff user, device) of a scan or search, or abort with 400, 401, 403 or 404.

    One query loads the conference with the device or the session's user and their door role; the user is then
    handed to Flask-Login, so nothing loads it again in this request.
    """
    token = _bearer_token()
    if token is not None:
        conference, device = door(slug, token)
        if conference is None:
            abort(404)
        if device is None:
            abort(401)
        if device.revoked_at is not None or device.conference_id != conference.id:
            abort(403)
        return conference, None, device
    session_id = session.get("_user_id")
    user_number = parse_id(session_id.partition(":")[0]) if isinstance(session_id, str) else None
    if user_number is None:
        # No session user (perhaps a remember-me cookie): Flask-Login's own path.
        conference = door(slug)[0]
        if conference is None:
            abort(404)
        if not current_user.is_authenticated:
            abort(401)
        if not has_role(current_user, conference, Role.STAFF, Role.ORGANIZER):
            abort(403)
        user = current_user._get_current_object()
    else:
        conference, user, may_scan = door_for_user(slug, user_number)
        if conference is None:
            abort(404)
        # The same test as the session loader (accounts.access.load_user): the stored id must still match.
        if user is None or user.get_id() != session_id:
            abort(401)
        login_manager._update_request_context_with_user(user)
        if not may_scan:
            abort(403)
    csrf.protect()  # a session cookie alone could be a cross-site request; the page sends X-CSRFToken
    return conference, user, None


def _json_body() -> dict | None:
    """The request's JSON object, or None when it is malformed, too deep or not an object."""
    try:
        data = json.loads(request.get_data(cache=False))
    except (ValueError, RecursionError):  # get_json(silent=True) lets a RecursionError through as a 500
        return None
    return data if isinstance(data, dict) else None


def _scan_request(data: dict | None) -> dict:
    """check_in()'s arguments from the JSON body, or abort with 400."""
    if data is None:
        abort(400)
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
        abort(400)
    if forbidden_characters(gate):  # as in every form: no control or bidi-override characters in a gate name
        abort(400)
    return {"code": code, "gate": gate, "nonce": nonce, "offline_verdict": offline_verdict,
            "scanned_at": data.get("scanned_at")}


@bp.post("/api/v1/<slug>/checkin")
@csrf.exempt
def scan_api(slug: str):
    """The check-in contract: one scan in, one verdict out (HTTP 200 for every verdict)."""
    _check_scan_rate()
    data = _json_body()  # read before the first query, refused after authentication
    if data is not None and data.get("scanned_at") is None:
        live_scan_statements_commit_themselves()
    conference, staff, device = _authenticate(slug)
    scan = _scan_request(data)
    try:
        scan["scanned_at"] = scan_time(scan["scanned_at"])
        result = check_in(conference, staff=staff, device=device, language=select_locale(), **scan)
    except ScanRefused as refusal:
        return jsonify({"status": "error", "error": 400, "reason": "scanned_at", "message": str(refusal)}), 400
    except NonceReused:
        abort(400)
    return Response(result.body, mimetype="application/json")


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
