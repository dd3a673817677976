"""Badges: the organizer's print page, single badges, reissue, and the delegate's e-badge."""
from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("badging", __name__)


def init_app(app: Flask) -> None:
    """Set the area up in `app`: its pages and their blueprint."""
    from . import views  # noqa: F401  (each module adds its routes to bp)

    app.register_blueprint(bp)
