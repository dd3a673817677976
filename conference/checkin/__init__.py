"""Door check-in: the scan API, the staff scanner page, gate devices and live attendance."""
from flask import Blueprint

bp = Blueprint("checkin", __name__)

from . import api, views  # noqa: E402,F401
