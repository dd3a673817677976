"""Demo agenda for the Doha conference (being built)."""
from __future__ import annotations


def seed_agenda(conference) -> None:
    """The two Doha days; added with the agenda."""
