"""The scan API's own WSGI entrance: every scan of every door, answered without Flask's request context.

Measured, a scan spent as long in the request machinery every page needs (the request context, the session,
each extension's before- and after-request hooks) as in the scan itself. This entrance answers
`POST /api/v1/<slug>/checkin` in an application context only, with the view's own functions (checkin.api): the
same rate limit, authentication (a device's bearer token; or the session cookie, read as Flask reads it, with
its CSRF header checked as Flask-WTF checks it), body checks, verdicts, JSON errors, headers and log line.
Whatever it does not answer fully goes to Flask unchanged: other paths and methods, and a request with neither
a bearer token nor a session user (no credentials, or a remember-me cookie alone), which the view answers.
"""
from __future__ import annotations

import hmac
import time
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask, current_app, g, has_app_context
from flask_babel import force_locale
from flask_wtf.csrf import same_origin
from itsdangerous import BadData, URLSafeTimedSerializer
from werkzeug.exceptions import HTTPException
from werkzeug.http import HTTP_STATUS_CODES
from werkzeug.wrappers import Request

from ..core.errors import CSRF_MESSAGE, error_json
from ..core.i18n import choose_language
from ..core.requestlog import log_request, new_request_id, request_id
from ..core.security import SECURITY_HEADERS, STRICT_TRANSPORT_SECURITY
from .api import (
    Refused,
    answer_scan,
    bearer_token,
    check_scan_rate,
    commit_live_scans_themselves,
    device_door,
    parse_json_object,
    scan_rate_key,
    session_user_number,
    staff_door,
)
from .devices import venue_zone
from .services import sought_badge

PREFIX, SUFFIX = "/api/v1/", "/checkin"
# A door's browser sends the same session cookie and CSRF token with every scan: what was verified is remembered
# this long, so a scan does not check two signatures again. Nothing is trusted longer than that: logging out and
# changing the password end a session on the server at once (the user's session id is compared on every scan).
VERIFIED_FOR = 60.0  # seconds
VERIFIED_MAX = 4096  # entries kept (the oldest are forgotten)


class Verified:
    """Values verified recently, each for VERIFIED_FOR seconds, in this process."""

    def __init__(self) -> None:
        self.entries: dict = {}

    def get(self, key):
        """The value stored under `key` while it is fresh, else None."""
        entry = self.entries.get(key)
        return entry[1] if entry and entry[0] > time.monotonic() else None

    def put(self, key, value) -> None:
        if len(self.entries) >= VERIFIED_MAX:
            self.entries.clear()  # simpler than an LRU, and rare: a venue has tens of door browsers
        self.entries[key] = (time.monotonic() + VERIFIED_FOR, value)


class CsrfRefused(Refused):
    """A session's scan without a valid CSRF token (400, with the form's message)."""

    def __init__(self) -> None:
        super().__init__(400)


class ScanEntrance:
    """WSGI middleware in front of the Flask application: answers scans, hands everything else on."""

    def __init__(self, app: Flask, wsgi_app) -> None:
        self.app, self.wsgi_app = app, wsgi_app
        self.sessions, self.csrf_tokens = Verified(), Verified()

    def __call__(self, environ, start_response):
        slug = _scan_slug(environ)
        if slug is None:
            return self.wsgi_app(environ, start_response)
        request = Request(environ)
        token = bearer_token(request.headers.get("Authorization"))
        session = {} if token is not None else self._session(request)
        if token is None and session_user_number(session.get("_user_id")) is None:
            return self.wsgi_app(environ, start_response)
        request.max_content_length = self.app.config["MAX_CONTENT_LENGTH"]
        started = time.perf_counter()
        with self._app_context():
            g.request_id = new_request_id(request.headers.get("X-Request-ID"))
            languages = self.app.config["LANGUAGES"]
            language = choose_language(languages, request.args.get("lang") or session.get("lang"),
                                       request.accept_languages)
            with force_locale(language):
                status, body = self._answer(request, slug, token, session, language)
            headers = [("Content-Type", "application/json"), ("Content-Length", str(len(body))),
                       ("X-Request-ID", request_id()), ("Cache-Control", "no-store"), *SECURITY_HEADERS]
            if self.app.config.get("ENV_NAME") == "production":
                headers.append(("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY))
            log_request(request.method, request.path, status, started)
        start_response(f"{status} {HTTP_STATUS_CODES[status]}", headers)
        return [body]

    def _answer(self, request: Request, slug: str, token: str | None, session: dict, language: str):
        """(status, JSON body as bytes) of one scan, errors included."""
        try:
            check_scan_rate(scan_rate_key(token, session.get("_user_id")))
            data = parse_json_object(request.get_data(cache=False))
            commit_live_scans_themselves(data)
            sought = sought_badge(data, venue_zone(slug))  # read with the door: one round trip fewer
            if token is not None:
                conference, device, seen = device_door(slug, token, sought)
                staff = None
            else:
                conference, staff, seen = staff_door(slug, session["_user_id"], sought)
                device = None
                self._check_csrf(request, session)
            status, body = answer_scan(conference, staff, device, data, language, seen)
        except CsrfRefused:
            status, body = 400, error_json(400, str(CSRF_MESSAGE))
        except Refused as refused:
            status, body = refused.code, error_json(refused.code)
        except HTTPException as error:  # the body over MAX_CONTENT_LENGTH: 413
            status, body = error.code or 400, error_json(error.code or 400)
        except Exception:
            self.app.logger.exception("scan failed")
            status, body = 500, error_json(500)
        return status, body.encode()

    def _session(self, request: Request) -> dict:
        """The session cookie's content, read and verified as Flask's session interface does ({} when none).

        The entrance only reads it (never changes or sends it back), so a verified cookie's content is shared.
        """
        interface = self.app.session_interface
        value = request.cookies.get(interface.get_cookie_name(self.app))
        if not value:
            return {}
        known = self.sessions.get(value)
        if known is not None:
            return known
        serializer = interface.get_signing_serializer(self.app)
        if serializer is None:
            return {}
        try:
            data = serializer.loads(value, max_age=int(self.app.permanent_session_lifetime.total_seconds()))
        except BadData:
            return {}
        if not isinstance(data, dict):
            return {}
        self.sessions.put(value, data)
        return data

    def _check_csrf(self, request: Request, session: dict) -> None:
        """The CSRF header checked against the session (CsrfRefused); a pair checked lately is not checked again."""
        config = current_app.config
        token = next((request.headers[name] for name in config["WTF_CSRF_HEADERS"] if request.headers.get(name)),
                     None)
        field = config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
        if not token or field not in session:
            raise CsrfRefused()
        if self.csrf_tokens.get((token, session[field])) is None:
            _check_csrf_token(token, str(session[field]))
            self.csrf_tokens.put((token, session[field]), True)
        if request.is_secure and config["WTF_CSRF_SSL_STRICT"]:
            if not request.referrer or not same_origin(request.referrer, f"https://{request.host}/"):
                raise CsrfRefused()

    @contextmanager
    def _app_context(self) -> Iterator[None]:
        """This application's context: the one already active (as Flask reuses it, in tests), else a new one."""
        if has_app_context() and current_app._get_current_object() is self.app:
            yield
        else:
            with self.app.app_context():
                yield


def _scan_slug(environ) -> str | None:
    """The conference slug of a scan (`POST /api/v1/<slug>/checkin`), else None."""
    path = environ.get("PATH_INFO", "")
    if environ.get("REQUEST_METHOD") != "POST" or not path.startswith(PREFIX) or not path.endswith(SUFFIX):
        return None
    slug = path[len(PREFIX):-len(SUFFIX)]
    # A slug with a NUL goes on to Flask, which refuses it (core.params.refuse_nul_in_address) before any query.
    return slug if slug and "/" not in slug and "\x00" not in slug else None


def _check_csrf_token(token: str, expected: str) -> None:
    """Flask-WTF's check of a signed CSRF token against the session's value (CsrfRefused when it fails)."""
    config = current_app.config
    serializer = URLSafeTimedSerializer(config.get("WTF_CSRF_SECRET_KEY") or current_app.secret_key,
                                        salt="wtf-csrf-token")
    try:
        signed = serializer.loads(token, max_age=config.get("WTF_CSRF_TIME_LIMIT", 3600))
    except BadData:
        raise CsrfRefused() from None
    if not isinstance(signed, str) or not hmac.compare_digest(expected, signed):
        raise CsrfRefused()
