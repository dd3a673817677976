"""Security headers sent with every response; no caching of anything personal; HSTS in production."""
from __future__ import annotations

from flask import Flask, Response, current_app, g, request, session

# Scripts, styles and workers only from our own origin. A page that needs more sends its own policy, built by
# content_security_policy() (add_security_headers keeps a policy the view set): the door page's QR decoder
# compiles WebAssembly, which no other page may do.
POLICY_SOURCES = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data: blob:",
    "media-src": "'self' blob: mediastream:",
    "worker-src": "'self'",
    "connect-src": "'self'",
    "font-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def content_security_policy(**extra_sources: str) -> str:
    """The site's policy, with sources added to some directives, e.g. script_src="'wasm-unsafe-eval'"."""
    return "; ".join(" ".join(filter(None, (name, sources, extra_sources.get(name.replace("-", "_")))))
                     for name, sources in POLICY_SOURCES.items())


CONTENT_SECURITY_POLICY = content_security_policy()


SECURITY_HEADERS = (
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "same-origin"),
    ("X-Frame-Options", "DENY"),
    ("Permissions-Policy", "camera=(self), microphone=(), geolocation=()"),
)


def add_security_headers(response: Response) -> Response:
    """Attach the headers that every page and API answer should carry."""
    for name, value in SECURITY_HEADERS:
        response.headers.setdefault(name, value)
    return response


# A year; browsers then refuse plain http for this host (sent only in production, which is served over https).
STRICT_TRANSPORT_SECURITY = "max-age=31536000"


def is_personal_request() -> bool:
    """True when the answer may carry someone's data: a logged-in user, or an API client with a token.

    Every page and export with personal data (the organizer's delegate pages, /me, CSV, XLSX, visa letters,
    badges, attendance, the outbox) needs a login, so one rule covers them all, and new ones too.
    """
    if request.endpoint == "static":
        return False
    if request.headers.get("Authorization"):
        return True
    user = g.get("_login_user")  # Flask-Login's user, when the request looked at it
    if user is not None:
        return bool(user.is_authenticated)
    return "_user_id" in session


def add_privacy_headers(response: Response) -> Response:
    """Keep personal answers out of every cache (browser history, shared computers, proxies); HSTS in production."""
    if is_personal_request():
        response.headers["Cache-Control"] = "no-store"
        response.headers.pop("Expires", None)
    if current_app.config.get("ENV_NAME") == "production":
        response.headers.setdefault("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY)
    return response


def init_app(app: Flask) -> None:
    """Register the header hooks."""
    app.after_request(add_privacy_headers)
    app.after_request(add_security_headers)
