"""The organizer's pages: dashboard, delegates, delegations, exports."""
from flask import Blueprint

bp = Blueprint("manage", __name__)
