"""Delegate registration: the form, the status workflow, the delegate's own page."""
from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("registration", __name__)


def init_app(app: Flask) -> None:
    """Set the area up in `app`: its pages and their blueprint, and its receivers of other areas' signals."""
    from . import tasks, views  # noqa: F401  (each module adds its routes to bp; tasks its periodic work)
    from .workflow import connect_receivers

    app.register_blueprint(bp)
    connect_receivers()
