"""Messages organizers write to a group of participants, queued and delivered by the workers."""
from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("messages", __name__)


def init_app(app: Flask) -> None:
    """Set the area up in `app`: its pages, their blueprint and its tasks."""
    from . import tasks, views  # noqa: F401  (each module adds its routes to bp, or its tasks to the queue)

    app.register_blueprint(bp)
