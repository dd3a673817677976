"""Feedback pages (filled below)."""
