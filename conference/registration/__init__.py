"""Delegate registration: the form, the status workflow, the delegate's own page."""
from flask import Blueprint

bp = Blueprint("registration", __name__)

from . import views  # noqa: E402,F401
from .models import Category, DelegateStatus  # noqa: E402


@bp.app_context_processor
def registration_helpers() -> dict:
    """Template helpers: translated titles of stored status and category values."""
    from flask_login import current_user

    from .services import registration_of

    def my_registration(conference):
        return registration_of(current_user, conference) if current_user.is_authenticated else None

    return {"my_registration": my_registration, "status_title": lambda value: DelegateStatus(value).title,
            "category_title": lambda value: Category(value).title if value in Category._value2member_map_ else value}
