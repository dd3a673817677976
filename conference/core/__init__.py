"""Site-wide pieces: health, language, errors, security headers."""
from flask import Blueprint

bp = Blueprint("core", __name__)
