"""Delegate registration: the form, the status workflow, the delegate's own page."""
from flask import Blueprint

bp = Blueprint("registration", __name__)

from . import views  # noqa: E402,F401
from .models import DelegateStatus  # noqa: E402


@bp.app_context_processor
def registration_helpers() -> dict:
    """Template helpers: a status value's translated title."""
    return {"status_title": lambda value: DelegateStatus(value).title}
