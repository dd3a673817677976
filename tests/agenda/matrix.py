"""Rows of the authorization matrix (tests/test_authorization.py) for the agenda."""
from __future__ import annotations

from tests.access import PUBLIC, expect  # noqa: F401

# endpoint -> (path to GET, expected status per visitor); "{name}" parts come from samples().
ROUTES: dict[str, tuple[str, dict[str, int]]] = {}


def samples(people, conference) -> dict[str, int]:
    """Rows the paths above need (their ids fill the "{name}" parts), created for the doha conference."""
    return {}
