"""The two-day agenda: sessions in rooms, the editor with its checks, published versions, exports."""
from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("agenda", __name__)


def init_app(app: Flask) -> None:
    """Set the area up in `app`: its pages and their blueprint, and its receivers of other areas' signals."""
    from . import editor, screen, speakers, views  # noqa: F401  (each module adds its routes to bp)
    from .services import connect_receivers

    app.register_blueprint(bp)
    connect_receivers()
