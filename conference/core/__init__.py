"""Site-wide pieces: health, language, errors, security headers."""
from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("core", __name__)


def init_app(app: Flask) -> None:
    """Set the area up in `app`: its pages and their blueprint."""
    from . import tasks, views  # noqa: F401  (each module adds its routes to bp)
    from .errors import register_error_handlers

    tasks.init_app(app)  # before the areas, whose tasks it registers on this application's queue
    app.register_blueprint(bp)
    register_error_handlers(app)
