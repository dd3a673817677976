"""Conferences, their days and rooms."""
from flask import Blueprint

bp = Blueprint("events", __name__)
