"""The call for proposals: submissions with co-speakers, review, decisions, speaker confirmation."""
from flask import Blueprint

bp = Blueprint("submissions", __name__)
