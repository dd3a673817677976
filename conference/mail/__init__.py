"""Outgoing mail: rendered in the recipient's language, kept in an outbox."""
from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("mail", __name__)


def init_app(app: Flask) -> None:
    """Set the area up in `app`: its pages and their blueprint."""
    from . import tasks, views  # noqa: F401  (each module adds its routes to bp, or its tasks to the queue)

    app.register_blueprint(bp)
