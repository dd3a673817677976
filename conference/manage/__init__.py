"""The organizer's pages: dashboard, delegates, delegations, exports."""
from flask import Blueprint

bp = Blueprint("manage", __name__)

from . import views  # noqa: E402,F401
