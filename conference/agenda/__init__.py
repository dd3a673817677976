"""The two-day agenda: sessions in rooms, the editor with its checks, published versions, exports."""
from flask import Blueprint

bp = Blueprint("agenda", __name__)
