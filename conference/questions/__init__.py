"""Organizers' own questions: asked at registration and in the call for proposals, answered, erased on time."""
from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("questions", __name__)


def init_app(app: Flask) -> None:
    """Set the area up in `app`: its template helpers (the pages that ask live with their forms: registration, the
    call for proposals; the builder with the organizers' pages in manage)."""
    from .views import add_template_globals

    add_template_globals(app)
    app.register_blueprint(bp)
