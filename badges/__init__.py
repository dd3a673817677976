"""Printable conference badges: PDF rendering with vector QR codes and Arabic/Latin text.

This package has no web or database dependencies; the Flask app feeds it BadgeRecord values.
"""
from __future__ import annotations

from badges.layouts import LAYOUTS
from badges.model import BadgeRecord, NoBadges, RenderResult, UnknownLayout
from badges.qr import qr_matrix, qr_svg
from badges.render import render_badges

__all__ = [
    "BadgeRecord",
    "LAYOUTS",
    "NoBadges",
    "RenderResult",
    "UnknownLayout",
    "qr_matrix",
    "qr_svg",
    "render_badges",
]
