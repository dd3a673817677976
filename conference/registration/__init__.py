"""Delegate registration: the form, the status workflow, the delegate's own page."""
from flask import Blueprint

bp = Blueprint("registration", __name__)
