"""The agenda's pages, in English and Arabic: no serious accessibility fault (axe-core), valid HTML (Nu)."""
from __future__ import annotations

import pytest

from conference.agenda.models import AgendaSession
from conference.agenda.personal import set_star
from conference.agenda.versions import publish_agenda, published
from conference.extensions import db
from tests.pagecheck import LANGUAGES


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
def test_agenda_pages_have_no_serious_accessibility_violations(axe, pages, language):
    paths, who = pages
    assert axe(paths, who, language) == {}


def test_agenda_pages_are_valid_html(vnu, pages):
    paths, who = pages
    assert vnu(paths, who) == []
