"""The placement assistant through HTTP and the command line: preview, accept all, some or none, page quality."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from conference.agenda.assistant import propose_placement
from conference.agenda.models import AgendaSession, AgendaVersion
from conference.agenda.services import proposals_to_schedule
from conference.agenda.versions import publish_agenda
from conference.extensions import db
from tests.agenda.placement_cases import confirmed_proposal, warnings_now
from tests.conftest import login, post_form
from tests.pagecheck import LANGUAGES

PREVIEW, ACCEPT = "/doha/manage/agenda/placement", "/doha/manage/agenda/placement/accept"


@pytest.fixture
def to_place(venue, speakers, add_session, people):
    """A published agenda with one session, and two confirmed proposals still to be scheduled."""
    conference = venue["conference"]
    add_session("Opening", speaker_ids=[speakers[0].id], kind="ceremony")
    publish_agenda(conference, None)
    db.session.commit()
    first = confirmed_proposal(conference, "Helplines in crises", [speakers[0]], 60, venue["tracks"][0])
    second = confirmed_proposal(conference, "خطوط المساندة في الأزمات", [speakers[1]], 90, venue["tracks"][1], "both")
    return conference, [first, second]


def _offered(client) -> list[str]:
    html = client.get(PREVIEW).get_data(as_text=True)
    return [value.replace("&#34;", '"') for value in _values(html, 'name="offered" value="')]


def _values(html: str, marker: str) -> list[str]:
    return [part.split('"', 1)[0] for part in html.split(marker)[1:]]


def _version_content(conference) -> str:
    return db.session.scalar(select(AgendaVersion.content).where(AgendaVersion.conference_id == conference.id))


def test_the_preview_shows_what_is_new_and_changes_nothing(client, to_place, people):
    conference, _ = to_place
    login(client, people["organizer"])
    response = client.get(PREVIEW + "?lang=ar")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Helplines in crises" in html and "خطوط المساندة في الأزمات" in html
    assert html.count('name="item"') == 2 and 'name="csrf_token"' in html
    assert len(proposals_to_schedule(conference)) == 2
    assert "Propose a placement" in client.get("/doha/manage/agenda?lang=en").get_data(as_text=True)


def test_accept_all_changes_the_working_copy_only(client, to_place, people):
    conference, proposals = to_place
    login(client, people["organizer"])
    published_before = _version_content(conference)
    response = post_form(client, ACCEPT, {"action": "all", "offered": _offered(client)})
    assert response.status_code == 302
    assert proposals_to_schedule(conference) == []
    sessions = db.session.scalars(select(AgendaSession).where(AgendaSession.proposal_id.is_not(None))).all()
    assert len(sessions) == 2 and all(s.placed for s in sessions)
    assert warnings_now(conference) == []
    assert db.session.scalar(select(func.count(AgendaVersion.id))) == 1
    assert _version_content(conference) == published_before
    public = json.loads(client.get("/doha/schedule.json").get_data(as_text=True))
    assert "Helplines in crises" not in json.dumps(public)


def test_accept_selected_places_only_the_chosen_items(client, to_place, people):
    conference, proposals = to_place
    login(client, people["organizer"])
    offered = _offered(client)
    chosen = [token for token in offered if token.startswith(f"p{proposals[0].id}|")]
    post_form(client, ACCEPT, {"action": "selected", "item": chosen, "offered": offered})
    assert proposals_to_schedule(conference) == [proposals[1]]


def test_discard_and_an_empty_choice_change_nothing(client, to_place, people):
    conference, _ = to_place
    login(client, people["organizer"])
    offered = _offered(client)
    post_form(client, ACCEPT, {"action": "discard", "offered": offered})
    post_form(client, ACCEPT, {"action": "selected", "offered": offered})
    response = post_form(client, ACCEPT, {"action": "selected", "item": ["garbage", "s|x"]}, follow_redirects=True)
    assert response.status_code == 200 and "No item was chosen" in response.get_data(as_text=True)
    assert len(proposals_to_schedule(conference)) == 2


def test_a_stale_proposal_says_so(client, to_place, people):
    conference, _ = to_place
    login(client, people["organizer"])
    offered = _offered(client)
    post_form(client, ACCEPT, {"action": "all", "offered": offered})
    response = post_form(client, ACCEPT, {"action": "all", "offered": offered}, follow_redirects=True)
    assert "already on the agenda" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(AgendaSession.id))) == 3


def test_accepting_needs_the_csrf_token_and_the_organizer(client, to_place, people):
    login(client, people["organizer"])
    offered = _offered(client)
    assert client.post(ACCEPT, data={"action": "all", "offered": offered}).status_code == 400
    login(client, people["staff"])
    assert post_form(client, ACCEPT, {"action": "all", "offered": offered}).status_code == 403
    assert len(proposals_to_schedule(to_place[0])) == 2


def test_the_command_prints_and_applies_a_proposal(app, runner, to_place):
    conference, _ = to_place
    result = runner.invoke(args=["place-sessions", "doha", "--time-limit", "5"])
    assert result.exit_code == 0, result.output
    assert "new   Helplines in crises" in result.output and "preferences kept" in result.output
    assert len(proposals_to_schedule(conference)) == 2
    result = runner.invoke(args=["place-sessions", "doha", "--apply"])
    assert "2 applied" in result.output
    assert proposals_to_schedule(conference) == [] and warnings_now(conference) == []
    assert runner.invoke(args=["place-sessions", "nowhere"]).exit_code != 0


@pytest.fixture
def preview_pages(to_place, venue, add_session, people):
    """The preview with new items, a moving session, notes and a session left out."""
    conference = venue["conference"]
    add_session("Clashing talk", start="09:00", end="10:00", room=0)
    db.session.add(AgendaSession(conference_id=conference.id, title_en="Too many people", duration_minutes=60,
                                 expected_audience=5000))
    db.session.commit()
    assert propose_placement(conference, True, 5).left_out
    return [(PREVIEW + "?move=1", "organizer")], {"organizer": people["organizer"]}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_preview_has_no_serious_accessibility_violations(axe, preview_pages, language):
    paths, who = preview_pages
    assert axe(paths, who, language) == {}


def test_the_preview_is_valid_html(vnu, preview_pages):
    paths, who = preview_pages
    assert vnu(paths, who) == []


@pytest.mark.parametrize("item", ["s²|1|2026-05-23|09:00|-", "s99999999999999999999|1|2026-05-23|09:00|-",
                                  "s1|99999999999999999999|2026-05-23|09:00|-"])
def test_a_forged_item_is_ignored_not_a_server_error(client, to_place, people, item):
    login(client, people["organizer"])
    response = post_form(client, "/doha/manage/agenda/placement/accept", {"action": "selected", "item": item})
    assert response.status_code in (302, 303)
