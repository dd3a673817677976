"""Shared support for browser tests: Debian's Chromium driven by Playwright (the live_server fixture is in conftest)."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import IN_CI

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


def require_browser() -> None:
    """Skip the calling test module without a browser, except in CI, where browser tests must run."""
    if not CHROMIUM.exists() and not IN_CI:
        pytest.skip(f"browser tests need Chromium at {CHROMIUM} (apt-get install chromium)", allow_module_level=True)
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        if IN_CI:
            raise
        pytest.skip("browser tests need the playwright package (pip install -r requirements.txt)",
                    allow_module_level=True)
