"""Demo proposals for the Doha conference (being built)."""
from __future__ import annotations


def seed_proposals(conference) -> None:
    """Proposals, reviews and decisions for the demo; added with the call for proposals."""
