"""Error pages in both languages, and JSON errors under /api/."""
from __future__ import annotations

import json

from flask import Flask, current_app, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from ..extensions import db

MESSAGES = {
    400: _l("The request could not be understood. Please check what you sent and try again."),
    401: _l("Please log in to continue."),
    403: _l("You do not have permission to open this page."),
    404: _l("We could not find that page."),
    405: _l("This address does not accept that kind of request."),
    413: _l("What you sent is too large."),
    429: _l("Too many attempts. Please wait a minute and try again."),
    500: _l("Something went wrong on our side. The team has been told; please try again."),
}
TITLES = {
    400: _l("Bad request"),
    401: _l("Login required"),
    403: _l("Access denied"),
    404: _l("Page not found"),
    405: _l("Method not allowed"),
    413: _l("Too large"),
    429: _l("Slow down"),
    500: _l("Server error"),
}


def _wants_json() -> bool:
    return request.path.startswith("/api/")


CSRF_MESSAGE = _l("This form has expired or was not sent from this site. Please reload the page and try again.")


def error_json(code: int, message: str | None = None) -> str:
    """An API error's JSON body, in the current language."""
    return json.dumps({"status": "error", "error": code, "message": message or str(MESSAGES.get(code, MESSAGES[500]))},
                      ensure_ascii=False)


def render_error(code: int, message: str | None = None):
    """Answer with a translated error page or a JSON body, by path."""
    text = message or str(MESSAGES.get(code, MESSAGES[500]))
    if _wants_json():
        return current_app.response_class(error_json(code, text), status=code, mimetype="application/json")
    title = TITLES.get(code, TITLES[500])
    try:
        return render_template("core/error.html", code=code, title=title, message=text), code
    except Exception:  # the error page itself failed: answer in plain text rather than not at all
        current_app.logger.exception("error page failed to render")
        return f"{code} {title}\n{text}\n", code, {"Content-Type": "text/plain; charset=utf-8"}


def handle_http_error(error: HTTPException):
    """Any HTTP error raised by a view or by routing."""
    return render_error(error.code or 500)


def handle_csrf_error(error: CSRFError):
    """A form posted without a valid CSRF token (often an expired page)."""
    return render_error(400, str(CSRF_MESSAGE))


def handle_unexpected(error: Exception):
    """Log the fault, undo the half-done transaction and show a calm page."""
    db.session.rollback()
    current_app.logger.exception("unhandled error on %s", request.path)
    return render_error(500)


def register_error_handlers(app: Flask) -> None:
    """Attach the handlers to the application."""
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(InternalServerError, handle_unexpected)
    app.register_error_handler(Exception, handle_unexpected)
