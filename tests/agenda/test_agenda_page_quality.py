"""The agenda's pages, in English and Arabic: no serious accessibility fault (axe-core), valid HTML (Nu)."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from conference.agenda.models import AgendaSession
from conference.agenda.personal import set_star
from conference.agenda.versions import publish_agenda, published
from conference.extensions import db
from tests.browser import CHROMIUM, CHROMIUM_ARGS, require_browser
from tests.conftest import IN_CI, login
from tests.test_page_quality import AXE, SERIOUS, VNU, _need, _session_cookie

LANGUAGES = ("en", "ar")


@pytest.fixture
def pages(venue, add_session, speakers, people):
    """(path, who looks at it) for every kind of page of the area, with data, a clash and a change on them."""
    conference = venue["conference"]
    opening = add_session("Opening ceremony", title_ar="حفل الافتتاح", speaker_ids=[speakers[0].id], kind="ceremony",
                          language="ar", interpretation="en", track_id=venue["tracks"][0].id)
    add_session("Helplines in emergencies", room=1, start="09:30", end="11:00", speaker_ids=[speakers[0].id],
                moderator_ids=[speakers[1].id], kind="panel")
    publish_agenda(conference, None, warnings_seen=True)
    db.session.commit()
    set_star(conference, people["delegate"], published(conference), opening.id, True)
    db.session.add(AgendaSession(conference_id=conference.id, title_en="Not placed yet", duration_minutes=45))
    opening.title_en = "Opening ceremony and welcome"
    db.session.commit()
    publish_agenda(conference, None, warnings_seen=True)
    db.session.commit()
    paths = [
        ("/doha/agenda", None), (f"/doha/agenda/{opening.id}", "delegate"), ("/doha/agenda/changes", None),
        ("/doha/speakers", None), (f"/doha/speakers/{speakers[0].id}", None), ("/doha/me/agenda", "delegate"),
        ("/doha/manage/agenda", "organizer"), ("/doha/manage/agenda/new", "organizer"),
        (f"/doha/manage/agenda/{opening.id}/edit", "organizer"), ("/doha/manage/agenda/publish", "organizer"),
    ]
    return paths, {"delegate": people["delegate"], "organizer": people["organizer"]}


@pytest.mark.parametrize("language", LANGUAGES)
def test_agenda_pages_have_no_serious_accessibility_violations(app, live_server, pages, language):
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


def test_agenda_pages_are_valid_html(app, pages, tmp_path):
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
    assert errors == [], "\n".join(errors)
