"""The call for proposals: submissions with co-speakers, review, decisions, speaker confirmation."""
from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("submissions", __name__)


def init_app(app: Flask) -> None:
    """Set the area up in `app`: its pages and their blueprint, and its receivers of other areas' signals."""
    from ..mail.services import DRAFT_KINDS
    from . import bidi, manage, views  # noqa: F401  (each module adds its routes to bp)
    from .letters import LETTER_TITLES
    from .services import connect_receivers

    app.register_blueprint(bp)
    connect_receivers()
    DRAFT_KINDS.update(LETTER_TITLES)  # the outbox names the decision letters waiting as drafts
