"""One log line per request, each with a request id that the response carries too (X-Request-ID)."""
from __future__ import annotations

import logging
import re
import secrets
import time

from flask import Flask, Response, g, has_app_context, request
from flask.logging import default_handler

logger = logging.getLogger("conference.requests")
# An id from the proxy in front is kept when it looks like one, so one id follows a request through both logs.
INCOMING_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")


def request_id() -> str:
    """This request's id ('-' outside a request; the scan API's own entrance keeps it in its application context)."""
    return g.get("request_id", "-") if has_app_context() else "-"


def new_request_id(incoming: str | None) -> str:
    """The id from the proxy in front when it looks like one, else a new one."""
    return incoming if incoming and INCOMING_ID.fullmatch(incoming) else secrets.token_hex(8)


def log_request(method: str, path: str, status: int, started: float | None) -> None:
    """Write a request's line."""
    elapsed_ms = (time.perf_counter() - started) * 1000 if started else 0.0
    logger.info("%s %s %s %d %.1fms", request_id(), method, path, status, elapsed_ms)


class RequestIdFilter(logging.Filter):
    """Puts the request id on every record, so error tracebacks name the request they belong to."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id()
        return True


def _start_request() -> None:
    """Name the request and start its clock."""
    g.request_id = new_request_id(request.headers.get("X-Request-ID"))
    g.request_started = time.perf_counter()


def _log_request(response: Response) -> Response:
    """Write the request's line and return its id in the response."""
    response.headers["X-Request-ID"] = request_id()
    log_request(request.method, request.path, response.status_code, g.get("request_started"))
    return response


FORMAT = "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"
ID_FILTER = RequestIdFilter()


def init_app(app: Flask) -> None:
    """Time and log every request; tag every log record of the app with the request id."""
    app.before_request(_start_request)
    app.after_request(_log_request)
    app.logger.addFilter(ID_FILTER)
    logger.addFilter(ID_FILTER)
    default_handler.setFormatter(logging.Formatter(FORMAT))  # Flask's own handler: errors show the request id
    if not logger.handlers and not logging.getLogger().handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter(FORMAT))
        logger.addHandler(handler)
        logger.propagate = False  # the app's logger ("conference") has Flask's handler: each line would print twice
    logger.setLevel(logging.INFO)
