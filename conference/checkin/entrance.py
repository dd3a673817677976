"""The scan API's own WSGI entrance: bearer tokens' scans answered without Flask's request context.

Measured, a scan spent as long in the request machinery every page needs (the request context, the session,
each extension's before- and after-request hooks) as in the scan itself. Every door scans with a bearer token (a
gate device's, or the door token a scanner page holds for its staff member), so this entrance answers
`POST /api/v1/<slug>/checkin` with a bearer token in an application context only, with the view's own functions
(checkin.api): the same rate limit, authentication, body checks, verdicts, JSON errors, headers and log line. It
reads no cookie and checks no CSRF token: whatever carries no bearer token goes to Flask unchanged, where Flask's
own session, Flask-Login and Flask-WTF answer it.
"""
from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask, current_app, g, has_app_context
from flask_babel import force_locale
from werkzeug.exceptions import HTTPException
from werkzeug.http import HTTP_STATUS_CODES
from werkzeug.wrappers import Request

from ..core.errors import error_json
from ..core.i18n import choose_language
from ..core.requestlog import log_request, new_request_id, request_id
from ..core.security import SECURITY_HEADERS, STRICT_TRANSPORT_SECURITY
from .api import (
    Refused,
    answer_scan,
    authenticate_bearer,
    bearer_token,
    check_scan_rate,
    commit_live_scans_themselves,
    parse_json_object,
    scan_rate_key,
)
from .devices import venue_zone
from .services import sought_badge

PREFIX, SUFFIX = "/api/v1/", "/checkin"


class ScanEntrance:
    """WSGI middleware in front of the Flask application: answers bearer tokens' scans, hands everything else on."""

    def __init__(self, app: Flask, wsgi_app) -> None:
        self.app, self.wsgi_app = app, wsgi_app

    def __call__(self, environ, start_response):
        slug = _scan_slug(environ)
        token = bearer_token(environ.get("HTTP_AUTHORIZATION")) if slug is not None else None
        if token is None:
            return self.wsgi_app(environ, start_response)
        request = Request(environ)
        request.max_content_length = self.app.config["MAX_CONTENT_LENGTH"]
        started = time.perf_counter()
        with self._app_context():
            g.request_id = new_request_id(request.headers.get("X-Request-ID"))
            language = choose_language(self.app.config["LANGUAGES"], request.args.get("lang"),
                                       request.headers.get("Accept-Language"))
            with force_locale(language):
                status, body = self._answer(request, slug, token, language)
            headers = [("Content-Type", "application/json"), ("Content-Length", str(len(body))),
                       ("X-Request-ID", request_id()), ("Cache-Control", "no-store"), *SECURITY_HEADERS]
            if self.app.config.get("ENV_NAME") == "production":
                headers.append(("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY))
            log_request(request.method, request.path, status, started)
        start_response(f"{status} {HTTP_STATUS_CODES[status]}", headers)
        return [body]

    def _answer(self, request: Request, slug: str, token: str, language: str):
        """(status, JSON body as bytes) of one scan, errors included."""
        try:
            check_scan_rate(scan_rate_key(token, None))
            data = parse_json_object(request.get_data(cache=False))
            commit_live_scans_themselves(data)
            sought = sought_badge(data, venue_zone(slug))  # read with the door: one round trip fewer
            conference, staff, device, seen = authenticate_bearer(slug, token, sought)
            status, body = answer_scan(conference, staff, device, data, language, seen)
        except Refused as refused:
            status, body = refused.code, error_json(refused.code)
        except HTTPException as error:  # the body over MAX_CONTENT_LENGTH: 413
            status, body = error.code or 400, error_json(error.code or 400)
        except Exception:
            self.app.logger.exception("scan failed")
            status, body = 500, error_json(500)
        return status, body.encode()

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
