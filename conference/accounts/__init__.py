"""Users, roles per conference, login."""
from flask import Blueprint

bp = Blueprint("accounts", __name__)
