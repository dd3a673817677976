"""The call for proposals' pages, in English and Arabic: no serious accessibility fault (axe-core), valid HTML (Nu)."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from conference.accounts.models import Role
from conference.extensions import db
from conference.submissions.review import assign_reviewer, score_proposal
from conference.submissions.services import change_status
from tests.browser import CHROMIUM, CHROMIUM_ARGS, require_browser
from tests.conftest import IN_CI, login
from tests.test_page_quality import AXE, SERIOUS, VNU, _need, _session_cookie

LANGUAGES = ("en", "ar")


@pytest.fixture
def pages(cfp, organizer, speaker, make_user, make_proposal):
    """(path, who looks at it) for every kind of page of the area, with data on them."""
    reviewer = make_user("reviewer@example.org", Role.REVIEWER, cfp, name="Youssef Benali")
    open_one = make_proposal(speaker, title="حماية الطفل في الأزمات", co_speakers=["amina@example.org"])
    decided = make_proposal(speaker, title="Helplines and the SDGs")
    for proposal in (open_one, decided):
        assign_reviewer(proposal, reviewer, organizer)
    score_proposal(decided, reviewer, 4, "Clear and practical")
    change_status(decided, "accept", organizer)
    db.session.commit()
    who = {"speaker": speaker, "organizer": organizer, "reviewer": reviewer}
    paths = [
        ("/doha/cfp", None), ("/doha/cfp/new", "speaker"), ("/doha/me/proposals", "speaker"),
        (f"/doha/me/proposals/{decided.id}", "speaker"), (f"/doha/me/proposals/{decided.id}/confirm", "speaker"),
        ("/doha/me/speaker-profile", "speaker"), ("/doha/me/availability", "speaker"), ("/doha/me", "speaker"),
        ("/doha/manage/proposals", "organizer"), (f"/doha/manage/proposals/{open_one.id}", "organizer"),
        ("/doha/manage/cfp", "organizer"), ("/doha/manage/outbox", "organizer"),
        ("/doha/manage/review", "reviewer"), (f"/doha/manage/review/{open_one.id}", "reviewer"),
    ]
    return paths, who


@pytest.mark.parametrize("language", LANGUAGES)
def test_submission_pages_have_no_serious_accessibility_violations(app, live_server, pages, language):
    require_browser()
    _need(AXE, "the accessibility check")
    from playwright.sync_api import sync_playwright

    paths, who = pages
    axe_source = AXE.read_text(encoding="utf-8")
    found = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for path, visitor in paths:
            context = browser.new_context(locale=language, bypass_csp=True)  # axe is injected as a script
            if visitor:
                context.add_cookies([{"name": app.config["SESSION_COOKIE_NAME"], "url": live_server,
                                      "value": _session_cookie(app, who[visitor])}])
            page = context.new_page()
            response = page.goto(f"{live_server}{path}?lang={language}")
            assert response.status == 200, path
            page.add_script_tag(content=axe_source)
            result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
            serious = [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
                       for v in result["violations"] if v["impact"] in SERIOUS]
            if serious:
                found[path] = serious
            context.close()
        browser.close()
    assert found == {}


def test_submission_pages_are_valid_html(app, pages, tmp_path):
    _need(VNU, "the HTML check")
    java = shutil.which("java")
    if java is None:
        if IN_CI:
            pytest.fail("the HTML check needs Java (apt-get install default-jre-headless)")
        pytest.skip("the HTML check needs Java")
    paths, who = pages
    files = []
    for language in LANGUAGES:
        for path, visitor in paths:
            client = app.test_client()
            if visitor:
                login(client, who[visitor])
            response = client.get(f"{path}?lang={language}")
            assert response.status_code == 200, path
            name = tmp_path / f"{language}{path.replace('/', '_')}.html"
            name.write_bytes(response.data)
            files.append(str(name))
    completed = subprocess.run([java, "-jar", str(VNU), "--format", "json", "--errors-only", *files],
                               capture_output=True, text=True, timeout=300)
    messages = json.loads(completed.stderr)["messages"]
    errors = [f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m.get('message')}" for m in messages
              if m.get("type") == "error"]
    assert errors == []
