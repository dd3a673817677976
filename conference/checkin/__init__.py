"""Door check-in: the scan API, the staff scanner page, gate devices and live attendance."""
from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("checkin", __name__)


def init_app(app: Flask) -> None:
    """Set the area up in `app`: its pages and their blueprint."""
    from . import api, views  # noqa: F401  (each module adds its routes to bp)
    from .occupancy import connect_receivers

    connect_receivers()

    app.register_blueprint(bp)
