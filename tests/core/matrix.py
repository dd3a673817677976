"""Rows of the authorization matrix (tests/test_authorization.py) for the application's own pages."""
from __future__ import annotations

from tests.access import PUBLIC, Route

ROUTES: dict[str, Route] = {
    "core.healthz": Route("/healthz", PUBLIC),
}
