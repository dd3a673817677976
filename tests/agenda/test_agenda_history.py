"""The agenda's history: every change of the working copy and every publication is one row, and the page shows it."""
from __future__ import annotations

from datetime import time

import pytest
from sqlalchemy import func, select

from conference.agenda.assistant import accept_placement, parse_item, propose_placement
from conference.agenda.history import NOT_PLACED
from conference.agenda.models import AgendaChange, AgendaSession, ChangeAction
from conference.agenda.services import (
    AgendaError,
    SessionData,
    create_session,
    delete_session,
    place_session,
    schedule_proposal,
    unplace_session,
    update_session,
)
from conference.agenda.versions import publish_agenda
from conference.extensions import db
from tests.agenda.placement_cases import confirmed_proposal
from tests.conftest import login, post_form
from tests.pagecheck import LANGUAGES

HISTORY = "/doha/manage/agenda/history"


def changes() -> list[AgendaChange]:
    """Every history row, oldest first."""
    db.session.expire_all()
    return list(db.session.scalars(select(AgendaChange).order_by(AgendaChange.id)))


def count() -> int:
    return db.session.scalar(select(func.count(AgendaChange.id)))


def _data(venue, title="Opening", day=0, start="09:00", end="10:00", room=0) -> SessionData:
    conference = venue["conference"]
    return SessionData(title_en=title, day=conference.days[day], start=time.fromisoformat(start),
                       end=time.fromisoformat(end), room_id=venue["rooms"][room].id)


# ---- through the services -----------------------------------------------------------------------------------------

def test_every_kind_of_change_records_one_row_with_actor_and_summary(venue, people, make_proposal_for_history):
    conference, organizer = venue["conference"], people["organizer"]
    day = conference.days[0].isoformat()
    session = create_session(conference, _data(venue), organizer)
    update_session(conference, session, _data(venue, "Opening of the conference", start="09:30", end="10:30"),
                   organizer)
    place_session(conference, session, venue["rooms"][1].id, conference.days[0], time(11), organizer)
    unplace_session(conference, session, organizer)
    place_session(conference, session, venue["rooms"][0].id, conference.days[0], time(9), organizer)
    scheduled = schedule_proposal(conference, make_proposal_for_history.id, venue["rooms"][2].id, conference.days[0],
                                  time(14), organizer)
    publish_agenda(conference, organizer, "First programme")
    delete_session(conference, scheduled, organizer)
    db.session.commit()
    rows = changes()
    assert [row.action for row in rows] == [
        ChangeAction.CREATED, ChangeAction.EDITED, ChangeAction.MOVED, ChangeAction.UNPLACED, ChangeAction.PLACED,
        ChangeAction.SCHEDULED, ChangeAction.PUBLISHED, ChangeAction.DELETED]
    assert {row.actor_id for row in rows} == {organizer.id}
    assert {row.conference_id for row in rows} == {conference.id}
    created, edited, moved, unplaced, placed, from_proposal, published, deleted = rows
    assert created.summary == f"{day} 09:00–10:00, Main Hall"
    assert edited.summary == f"{day} 09:00–10:00, Main Hall → {day} 09:30–10:30, Main Hall"
    assert edited.session_title == "Opening of the conference" and edited.session_uid == session.uid
    assert moved.summary == f"{day} 09:30–10:30, Main Hall → {day} 11:00–12:00, Al Majlis Room"
    assert unplaced.summary == f"{day} 11:00–12:00, Al Majlis Room → {NOT_PLACED}"
    assert placed.summary == f"{NOT_PLACED} → {day} 09:00–10:00, Main Hall"
    assert from_proposal.summary == f"{day} 14:00–15:00, Workshop Room 1"
    assert from_proposal.session_title == "Helplines in crises"
    assert published.summary == "#1 · First programme" and published.session_id is None
    # The deleted session's rows keep its uid and title; its id is gone with it.
    assert deleted.session_id is None and deleted.session_uid == scheduled.uid
    assert deleted.session_title == "Helplines in crises"
    assert from_proposal.session_id is None
    assert created.session_id == session.id


@pytest.fixture
def make_proposal_for_history(venue, speakers):
    return confirmed_proposal(venue["conference"], "Helplines in crises", [speakers[1]], 60)


def test_a_refused_change_records_nothing(venue, people):
    conference, organizer = venue["conference"], people["organizer"]
    session = create_session(conference, _data(venue), organizer)
    db.session.commit()
    before = count()
    for refused in (
        lambda: update_session(conference, session, _data(venue, title=""), organizer),
        lambda: place_session(conference, session, venue["rooms"][0].id, conference.days[0], time(9, 3), organizer),
        lambda: create_session(conference, _data(venue, start="10:00", end="09:00"), organizer),
    ):
        with pytest.raises(AgendaError):
            refused()
        db.session.rollback()
    assert count() == before


def test_taking_off_the_grid_what_is_not_on_it_records_nothing(venue, people):
    conference = venue["conference"]
    session = create_session(conference, SessionData(title_en="Later", duration_minutes=30), people["organizer"])
    unplace_session(conference, session, people["organizer"])
    db.session.commit()
    assert [row.action for row in changes()] == [ChangeAction.CREATED]
    assert changes()[0].summary == NOT_PLACED


def test_the_assistants_accepted_items_are_recorded_as_its_own(venue, speakers, people, add_session):
    conference = venue["conference"]
    opening = add_session("Opening")
    proposal = confirmed_proposal(conference, "Helplines in crises", [speakers[0]], 60)
    before = count()
    offered = propose_placement(conference, time_limit=5.0)
    outcome = accept_placement(conference, [parse_item(item.token) for item in offered.items], "Organizer",
                               people["organizer"])
    db.session.commit()
    assert outcome.applied == 1
    rows = changes()[before:]
    assert [row.action for row in rows] == [ChangeAction.ASSISTANT]
    session = db.session.scalar(select(AgendaSession).where(AgendaSession.proposal_id == proposal.id))
    assert rows[0].session_id == session.id and rows[0].actor_id == people["organizer"].id
    assert rows[0].summary.startswith(f"{NOT_PLACED} → 20")
    assert opening.id not in {row.session_id for row in rows}


def test_an_assistant_move_records_from_where_to_where(venue, people, add_session):
    conference = venue["conference"]
    session = add_session("Too big for the small room", room=3, expected_audience=100)
    before = count()
    offered = propose_placement(conference, move_placed=True, time_limit=5.0)
    assert [item.key for item in offered.items] == [f"s{session.id}"]
    accept_placement(conference, [parse_item(offered.items[0].token)], "Organizer", people["organizer"])
    db.session.commit()
    rows = changes()[before:]
    assert [row.action for row in rows] == [ChangeAction.ASSISTANT]
    assert rows[0].summary.startswith(f"{conference.days[0].isoformat()} 09:00–10:00, Small Room → ")


# ---- through HTTP -------------------------------------------------------------------------------------------------

@pytest.fixture
def organizer_client(client, people):
    login(client, people["organizer"])
    return client


def _form(venue, **fields) -> dict:
    conference = venue["conference"]
    data = {"title_en": "Opening", "kind": "talk", "language": "en", "interpretation": "",
            "day": conference.days[0].isoformat(), "start": "09:00", "end": "10:00",
            "room_id": str(venue["rooms"][0].id)}
    data.update(fields)
    return data


def test_hand_edits_through_the_pages_are_recorded_with_the_organizer(organizer_client, venue, people):
    conference = venue["conference"]
    assert post_form(organizer_client, "/doha/manage/agenda/new", _form(venue)).status_code == 302
    session = db.session.scalar(select(AgendaSession))
    edit = f"/doha/manage/agenda/{session.id}/edit"
    assert post_form(organizer_client, edit, _form(venue, title_en="Welcome")).status_code == 302
    post_form(organizer_client, f"/doha/manage/agenda/{session.id}/place",
              {"room_id": venue["rooms"][1].id, "day": conference.days[1].isoformat(), "start": "11:00"})
    post_form(organizer_client, f"/doha/manage/agenda/{session.id}/unplace")
    post_form(organizer_client, "/doha/manage/agenda/publish", {"note": ""})  # refused: nothing on the grid
    post_form(organizer_client, f"/doha/manage/agenda/{session.id}/delete")
    rows = changes()
    assert [row.action for row in rows] == [ChangeAction.CREATED, ChangeAction.EDITED, ChangeAction.MOVED,
                                            ChangeAction.UNPLACED, ChangeAction.DELETED]
    assert {row.actor_id for row in rows} == {people["organizer"].id}
    assert rows[2].summary.endswith(f"{conference.days[1].isoformat()} 11:00–12:00, Al Majlis Room")


def test_a_change_refused_through_the_pages_records_nothing(organizer_client, venue):
    response = post_form(organizer_client, "/doha/manage/agenda/new", _form(venue, start="10:00", end="09:00"),
                         follow_redirects=True)
    assert "must end after it starts" in response.get_data(as_text=True)
    assert count() == 0
    response = post_form(organizer_client, "/doha/manage/agenda/publish", {"note": ""}, follow_redirects=True)
    assert "Place at least one session" in response.get_data(as_text=True)
    assert count() == 0


def test_publishing_and_accepting_the_assistant_through_the_pages(organizer_client, venue, speakers, add_session,
                                                                  people):
    conference = venue["conference"]
    add_session("Opening")
    confirmed_proposal(conference, "Helplines in crises", [speakers[0]], 60)
    html = organizer_client.get("/doha/manage/agenda/placement").get_data(as_text=True)
    offered = [part.split('"', 1)[0] for part in html.split('name="offered" value="')[1:]]
    post_form(organizer_client, "/doha/manage/agenda/placement/accept", {"action": "all", "offered": offered})
    response = post_form(organizer_client, "/doha/manage/agenda/publish", {"note": "First", "confirm_warnings": "y"})
    assert response.status_code == 302
    rows = changes()
    assert [row.action for row in rows][-2:] == [ChangeAction.ASSISTANT, ChangeAction.PUBLISHED]
    assert {row.actor_id for row in rows[-2:]} == {people["organizer"].id}
    assert rows[-1].summary == "#1 · First"


# ---- the page -----------------------------------------------------------------------------------------------------

def test_the_history_page_shows_who_when_and_what_newest_first(organizer_client, venue, people, add_session):
    conference = venue["conference"]
    kept = create_session(conference, _data(venue, "Kept session"), people["organizer"])
    gone = create_session(conference, _data(venue, "Gone session", room=1), people["organizer"])
    delete_session(conference, gone, people["organizer"])
    db.session.commit()
    html = organizer_client.get(HISTORY + "?lang=en").get_data(as_text=True)
    assert html.index("Gone session") < html.index("Kept session")  # newest first
    assert "Deleted" in html and "Added" in html and "Test User" in html  # the organizer's display name
    assert f"/doha/manage/agenda/{kept.id}/edit" in html
    assert f"/doha/manage/agenda/{gone.id}/edit" not in html  # no link to what no longer exists
    assert "UTC+3" in html
    arabic = organizer_client.get(HISTORY + "?lang=ar").get_data(as_text=True)
    assert 'dir="rtl"' in arabic and "سجل تغييرات البرنامج" in arabic
    editor = organizer_client.get("/doha/manage/agenda?lang=en").get_data(as_text=True)
    assert HISTORY in editor and "Recent changes" in editor and "Gone session" in editor


def test_the_history_page_is_paginated(organizer_client, venue, people):
    conference = venue["conference"]
    session = create_session(conference, SessionData(title_en="Moving around", duration_minutes=30))
    for hour in range(8, 20):
        for minute in (0, 15, 30, 45):
            place_session(conference, session, venue["rooms"][0].id, conference.days[0], time(hour, minute))
    db.session.commit()
    assert count() == 49
    create_session(conference, SessionData(title_en="Fiftieth", duration_minutes=30))
    create_session(conference, SessionData(title_en="Fifty-first", duration_minutes=30))
    db.session.commit()
    first = organizer_client.get(HISTORY + "?lang=en").get_data(as_text=True)
    assert "Fifty-first" in first and 'rel="next"' in first
    second = organizer_client.get(HISTORY + "?page=2&lang=en").get_data(as_text=True)
    assert "Fifty-first" not in second and "Added" in second
    assert organizer_client.get(HISTORY + "?page=99").status_code == 200
    assert organizer_client.get(HISTORY + "?page=x").status_code == 200


@pytest.mark.parametrize("who, status", [("staff", 403), ("other_organizer", 403), ("delegate", 403)])
def test_only_organizers_see_the_history(client, venue, people, who, status):
    login(client, people[who])
    assert client.get(HISTORY).status_code == status


def test_anonymous_visitors_are_sent_to_log_in(client, venue):
    response = client.get(HISTORY)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.fixture
def history_pages(venue, people, add_session):
    conference = venue["conference"]
    session = add_session("Opening ceremony", title_ar="حفل الافتتاح")
    update_session(conference, session, _data(venue, "Opening ceremony", start="09:30", end="10:30"),
                   people["organizer"])
    publish_agenda(conference, people["organizer"], "First programme · البرنامج الأول")
    delete_session(conference, add_session("Cancelled talk", room=1), people["organizer"])
    db.session.commit()
    return [(HISTORY, "organizer"), ("/doha/manage/agenda", "organizer")], {"organizer": people["organizer"]}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_history_page_has_no_serious_accessibility_violations(axe, history_pages, language):
    paths, who = history_pages
    assert axe(paths, who, language) == {}


def test_the_history_page_is_valid_html(vnu, history_pages):
    paths, who = history_pages
    assert vnu(paths, who) == []
