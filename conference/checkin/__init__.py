"""Door check-in: the scan API, the staff scanner page, gate devices and live attendance."""
from flask import Blueprint

bp = Blueprint("checkin", __name__)
