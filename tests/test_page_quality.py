"""The main pages in English and Arabic: no serious accessibility fault (axe-core), valid HTML (Nu checker).

The checkers come from npm (package.json; `make test` installs them into node_modules/).
"""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from conference.accounts.models import Role
from conference.extensions import db
from conference.registration.models import Delegate, DelegateStatus
from conference.registration.services import new_badge_token
from tests.browser import CHROMIUM, CHROMIUM_ARGS, require_browser
from tests.conftest import IN_CI, ROOT, login

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
LANGUAGES = ("en", "ar")
# (path, who looks at it): the pages people spend their time on, one per kind of visitor and area.
PAGES = (
    ("/", None),
    ("/doha/", None),
    ("/doha/register", None),
    ("/login", None),
    ("/doha/participants", None),
    ("/doha/me", "delegate"),
    ("/doha/checkin", "staff"),
    ("/doha/manage/", "organizer"),
    ("/doha/manage/delegates", "organizer"),
    ("/doha/manage/badges", "organizer"),
    ("/doha/manage/attendance", "organizer"),
)
SERIOUS = {"serious", "critical"}


def _need(path: Path, what: str) -> None:
    if not path.exists():
        if IN_CI:
            pytest.fail(f"{path} is missing: `make test` installs it ({what})")
        pytest.skip(f"{what} needs {path} (run `npm ci` or `make test`)")


@pytest.fixture
def visitors(doha, make_user) -> dict[str, object]:
    """A delegate with an approved registration, a door staff member and an organizer, with sample delegates."""
    delegate = make_user("delegate@example.org", name="Hamad bin Saif Al-Housni")
    for n, (name, status) in enumerate([("حمد بن سيف الحوسني", "approved"), ("Fatima Zahra", "pending"),
                                        ("Layla Haddad", "waitlisted")]):
        user = delegate if n == 0 else make_user(f"sample{n}@example.org", name=name)
        db.session.add(Delegate(conference_id=doha.id, user_id=user.id, email=user.email, name=name,
                                country="OM" if n == 0 else "MA", status=DelegateStatus(status),
                                code=f"XX-{n + 1:04d}", badge_token=new_badge_token(), consent_privacy=True,
                                consent_public_list=True))
    db.session.commit()
    return {
        "delegate": delegate,
        "staff": make_user("staff@example.org", Role.STAFF, doha),
        "organizer": make_user("organizer@example.org", Role.ORGANIZER, doha),
    }


def _session_cookie(app, user) -> str:
    """A signed session cookie logging `user` in, as the log-in form would set it."""
    serializer = app.session_interface.get_signing_serializer(app)
    return serializer.dumps({"_user_id": user.get_id(), "_fresh": True})


@pytest.mark.parametrize("language", LANGUAGES)
def test_pages_have_no_serious_accessibility_violations(app, live_server, visitors, language):
    require_browser()
    _need(AXE, "the accessibility check")
    from playwright.sync_api import sync_playwright

    axe_source = AXE.read_text(encoding="utf-8")
    found = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for path, visitor in PAGES:
            context = browser.new_context(locale=language, bypass_csp=True)  # axe is injected as a script
            if visitor:
                context.add_cookies([{"name": app.config["SESSION_COOKIE_NAME"], "url": live_server,
                                      "value": _session_cookie(app, visitors[visitor])}])
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
    assert found == {}


def test_pages_are_valid_html(app, visitors, tmp_path):
    _need(VNU, "the HTML check")
    java = shutil.which("java")
    if java is None:
        if IN_CI:
            pytest.fail("the HTML check needs Java (apt-get install default-jre-headless)")
        pytest.skip("the HTML check needs Java")
    files = []
    for language in LANGUAGES:
        for path, visitor in PAGES:
            client = app.test_client()
            if visitor:
                login(client, visitors[visitor])
            response = client.get(f"{path}?lang={language}")
            assert response.status_code == 200, path
            name = tmp_path / f"{language}{path.replace('/', '_') or '_'}.html"
            name.write_bytes(response.data)
            files.append(str(name))
    completed = subprocess.run([java, "-jar", str(VNU), "--format", "json", "--errors-only", *files],
                               capture_output=True, text=True, timeout=300)
    messages = json.loads(completed.stderr)["messages"]  # the checker reports on stderr, as JSON
    errors = [f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m.get('message')}" for m in messages
              if m.get("type") == "error"]
    assert errors == []
