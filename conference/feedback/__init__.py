"""Feedback on sessions: delegates rate what they attended; speakers and organizers read it; nothing is public."""
from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("feedback", __name__)


def init_app(app: Flask) -> None:
    """Set the area up in `app`: its pages and their blueprint."""
    from . import views  # noqa: F401  (adds its routes to bp)
    from .services import connect_receivers

    connect_receivers()

    app.register_blueprint(bp)
