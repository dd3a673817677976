"""Badges: the organizer's print page, single badges, reissue, and the delegate's e-badge."""
from flask import Blueprint

bp = Blueprint("badging", __name__)
