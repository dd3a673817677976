"""Page checkers shared by the page-quality tests: axe-core in Chromium and the Nu Html Checker.

Both come from npm (package.json; `make test` installs them into node_modules/). Pages are (path, visitor) pairs;
`who` maps a visitor's name to the user whose session looks at the page (None: not logged in). Tests call them
through the `axe` and `vnu` fixtures (tests/conftest.py), which mark them `browser`.
"""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.browser import CHROMIUM, CHROMIUM_ARGS, require_browser
from tests.conftest import IN_CI, ROOT, login

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
LANGUAGES = ("en", "ar")
SERIOUS = {"serious", "critical"}


def need(path: Path, what: str) -> None:
    """Fail in CI, skip elsewhere, when a checker is not installed."""
    if not path.exists():
        if IN_CI:
            pytest.fail(f"{path} is missing: `make test` installs it ({what})")
        pytest.skip(f"{what} needs {path} (run `npm ci` or `make test`)")


def session_cookie(app, user) -> str:
    """A signed session cookie logging `user` in, as the log-in form would set it."""
    return app.session_interface.get_signing_serializer(app).dumps({"_user_id": user.get_id(), "_fresh": True})


def axe_violations(app, live_server: str, pages, who: dict, language: str) -> dict[str, list[str]]:
    """Serious and critical axe-core violations per page, each page opened in Chromium in `language`."""
    require_browser()
    need(AXE, "the accessibility check")
    from playwright.sync_api import sync_playwright

    axe_source = AXE.read_text(encoding="utf-8")
    found = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for path, visitor in pages:
            context = browser.new_context(locale=language, bypass_csp=True)  # axe is injected as a script
            if visitor:
                context.add_cookies([{"name": app.config["SESSION_COOKIE_NAME"], "url": live_server,
                                      "value": session_cookie(app, who[visitor])}])
            page = context.new_page()
            response = page.goto(f"{live_server}{path}?lang={language}")
            assert response.status == 200, path
            assert page.get_attribute("html", "lang") == language
            page.add_script_tag(content=axe_source)
            result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
            assert result["testEngine"]["name"] == "axe-core"
            serious = [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
                       for v in result["violations"] if v["impact"] in SERIOUS]
            if serious:
                found[path] = serious
            context.close()
        browser.close()
    return found


def vnu_errors(app, pages, who: dict, folder: Path) -> list[str]:
    """The Nu Html Checker's errors on every page, served in both languages."""
    need(VNU, "the HTML check")
    java = shutil.which("java")
    if java is None:
        if IN_CI:
            pytest.fail("the HTML check needs Java (apt-get install default-jre-headless)")
        pytest.skip("the HTML check needs Java")
    files = []
    for language in LANGUAGES:
        for path, visitor in pages:
            client = app.test_client()
            if visitor:
                login(client, who[visitor])
            response = client.get(f"{path}?lang={language}")
            assert response.status_code == 200, path
            # a file per visitor: one page seen by several visitors is checked as each of them sees it
            name = folder / f"{language}{path.replace('/', '_') or '_'}-{visitor or 'anonymous'}.html"
            name.write_bytes(response.data)
            files.append(str(name))
    completed = subprocess.run([java, "-jar", str(VNU), "--format", "json", "--errors-only", *files],
                               capture_output=True, text=True, timeout=300)
    messages = json.loads(completed.stderr)["messages"]  # the checker reports on stderr, as JSON
    return [f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m.get('message')}" for m in messages
            if m.get("type") == "error"]
