"""Health check for load balancers and monitoring."""
from __future__ import annotations

from flask import jsonify
from sqlalchemy import text

from ..extensions import db, limiter
from . import bp


@bp.get("/healthz")
@limiter.exempt
def healthz():
    """200 with a small JSON body when the database answers, 503 when it does not."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # any driver error means "not healthy"; the body says which part
        db.session.rollback()
        return jsonify({"status": "unavailable", "database": "unreachable"}), 503
    return jsonify({"status": "ok", "database": "ok"})
