"""Outgoing mail: rendered in the recipient's language, kept in an outbox."""
from flask import Blueprint

bp = Blueprint("mail", __name__)
