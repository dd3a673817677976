"""Certificates of attendance and of presentation, their release, download, and public verification."""
from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("certificates", __name__)


def init_app(app: Flask) -> None:
    """Set the area up in `app`: its pages and their blueprint, and the name of its drafts in the outbox."""
    from ..mail.services import DRAFT_KINDS
    from . import views  # noqa: F401  (each module adds its routes to bp)
    from .services import ANNOUNCEMENT, ANNOUNCEMENT_TITLE

    app.register_blueprint(bp)
    DRAFT_KINDS[ANNOUNCEMENT] = ANNOUNCEMENT_TITLE
