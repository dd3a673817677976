"""The organizer's pages: dashboard, delegates, delegations, exports."""
from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("manage", __name__)


def init_app(app: Flask) -> None:
    """Set the area up in `app`: its pages and their blueprint."""
    from . import delegations, questions, views  # noqa: F401  (each module adds its routes to bp)

    app.register_blueprint(bp)
