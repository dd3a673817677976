"""Confirmed proposals in the editor's "to be scheduled" list, placed into a slot as linked sessions."""
from __future__ import annotations

from datetime import time, timedelta

import pytest

from conference.agenda.models import AgendaSession
from conference.agenda.services import AgendaError, proposals_to_schedule, schedule_proposal
from conference.extensions import db
from conference.submissions.models import Proposal, ProposalSpeaker, ProposalStatus, ProposalType
from tests.conftest import login, post_form


@pytest.fixture
def make_proposal(venue, speakers):
    conference = venue["conference"]
    kind = ProposalType(conference_id=conference.id, name_en="Workshop", name_ar="ورشة عمل", duration_minutes=90)
    db.session.add(kind)
    db.session.flush()

    def make(title="Helplines in crises", status=ProposalStatus.CONFIRMED, people=(0, 1), conference_id=None):
        proposal = Proposal(conference_id=conference_id or conference.id, title=title, abstract="Why and how.",
                            proposal_type_id=kind.id, track_id=venue["tracks"][1].id, language="both",
                            duration_minutes=90, status=status)
        proposal.speakers = [ProposalSpeaker(user_id=speakers[n].user_id, email=speakers[n].email, position=i,
                                             role="submitter" if i == 0 else "co_speaker")
                             for i, n in enumerate(people)]
        db.session.add(proposal)
        db.session.commit()
        return proposal

    return make


def test_confirmed_proposals_without_a_session_are_listed(venue, make_proposal):
    confirmed = make_proposal()
    make_proposal("Only accepted", status=ProposalStatus.ACCEPTED)
    assert proposals_to_schedule(venue["conference"]) == [confirmed]


def test_placing_a_proposal_creates_a_linked_session_with_its_speakers(venue, make_proposal, speakers):
    conference = venue["conference"]
    proposal = make_proposal()
    session = schedule_proposal(conference, proposal.id, venue["rooms"][2].id, conference.days[0],
                                time(14))
    assert session.proposal_id == proposal.id and session.title_en == "Helplines in crises"
    assert session.ends_at - session.starts_at == timedelta(minutes=90)
    assert [p.delegate_id for p in session.people] == [speakers[0].id, speakers[1].id]
    assert (session.kind.value, session.language, session.interpretation) == ("workshop", "both", "both")
    assert proposals_to_schedule(conference) == []


def test_an_arabic_title_becomes_the_arabic_title(venue, make_proposal):
    proposal = make_proposal("تجربة خط مساندة الطفل")
    session = schedule_proposal(venue["conference"], proposal.id, None, None, None)
    assert (session.title_ar, session.title_en, session.placed) == ("تجربة خط مساندة الطفل", "", False)


@pytest.mark.parametrize("status", [ProposalStatus.SUBMITTED, ProposalStatus.ACCEPTED, ProposalStatus.REJECTED])
def test_only_confirmed_proposals_can_be_placed(venue, make_proposal, status):
    proposal = make_proposal(status=status)
    with pytest.raises(AgendaError, match="confirmed"):
        schedule_proposal(venue["conference"], proposal.id, None, None, None)


def test_a_proposal_is_placed_once(venue, make_proposal):
    proposal = make_proposal()
    schedule_proposal(venue["conference"], proposal.id, None, None, None)
    with pytest.raises(AgendaError, match="already"):
        schedule_proposal(venue["conference"], proposal.id, None, None, None)


def test_another_conferences_proposal_is_refused(venue, make_proposal, make_conference):
    other = make_conference("elsewhere")
    proposal = make_proposal(conference_id=other.id)
    with pytest.raises(AgendaError):
        schedule_proposal(venue["conference"], proposal.id, None, None, None)


def test_placing_through_the_editor(client, people, venue, make_proposal):
    proposal = make_proposal()
    login(client, people["organizer"])
    assert "Helplines in crises" in client.get("/doha/manage/agenda").get_data(as_text=True)
    response = post_form(client, f"/doha/manage/agenda/proposals/{proposal.id}/schedule", {
        "room_id": venue["rooms"][0].id, "day": venue["conference"].days[1].isoformat(), "start": "10:00"})
    assert response.status_code == 302
    assert db.session.query(AgendaSession).one().proposal_id == proposal.id


def test_a_bad_slot_places_nothing(client, people, venue, make_proposal):
    proposal = make_proposal()
    login(client, people["organizer"])
    post_form(client, f"/doha/manage/agenda/proposals/{proposal.id}/schedule", {
        "room_id": venue["rooms"][0].id, "day": venue["conference"].days[1].isoformat(), "start": "23:00"})
    assert db.session.query(AgendaSession).count() == 0
