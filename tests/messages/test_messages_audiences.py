"""Every audience: who is in it, once, and only of this conference."""
from __future__ import annotations

from datetime import timedelta

from conference.accounts.models import Role
from conference.agenda.models import AgendaSession, Star
from conference.checkin.models import CheckIn
from conference.extensions import db
from conference.messages.audiences import Audience, count_recipients, recipients
from conference.registration.models import Delegation
from conference.submissions.call import call_of, proposal_types
from conference.submissions.models import Proposal, ProposalSpeaker, ProposalStatus, ReviewAssignment


def proposal(conference, author, status: str, title: str = "A talk") -> Proposal:
    """A proposal by `author` in `status`, written directly (the call's workflow is tested elsewhere)."""
    call_of(conference)
    item = Proposal(conference_id=conference.id, title=title, proposal_type_id=proposal_types(conference)[0].id,
                    status=ProposalStatus(status), submitted_by_id=author.id)
    item.speakers.append(ProposalSpeaker(user_id=author.id, email=author.email, role="submitter"))
    db.session.add(item)
    db.session.commit()
    return item


def emails(conference, audience: Audience) -> list[str]:
    found = [person.email for person in recipients(conference, audience)]
    assert count_recipients(conference, audience) == len(found)
    return sorted(found)


def test_delegates_by_the_delegates_table_filters_and_this_areas_criteria(app, doha, make_delegate,
                                                                           make_conference):
    head = make_delegate(doha, "Head", email="head@example.org")
    member = make_delegate(doha, "Member", email="member@example.org", category="press")
    make_delegate(doha, "Qatari", email="qa@example.org", country="QA")
    make_delegate(doha, "Pending", email="pending@example.org", status="pending")
    other = make_conference("other")
    make_delegate(other, "Elsewhere", email="elsewhere@example.org")
    delegation = Delegation(conference_id=doha.id, country="OM", name="Oman", head_id=head.id)
    db.session.add(delegation)
    db.session.flush()
    member.delegation_id = head.delegation_id = delegation.id
    db.session.add(CheckIn(conference_id=doha.id, delegate_id=member.id, day=doha.start_date))
    db.session.commit()

    assert emails(doha, Audience()) == ["head@example.org", "member@example.org", "pending@example.org",
                                        "qa@example.org"]
    assert emails(doha, Audience(status="approved", country="OM")) == ["head@example.org", "member@example.org"]
    assert emails(doha, Audience(category="press")) == ["member@example.org"]
    assert emails(doha, Audience(delegation=delegation.id)) == ["head@example.org", "member@example.org"]
    assert emails(doha, Audience(head=True)) == ["head@example.org"]
    assert emails(doha, Audience(checked_in_on=doha.start_date)) == ["member@example.org"]
    assert emails(doha, Audience(checked_in_on=doha.start_date + timedelta(days=1))) == []
    assert emails(doha, Audience(not_checked_in=True, status="approved", country="OM")) == ["head@example.org"]


def test_speakers_by_proposal_state(app, doha, make_user):
    accepted, confirmed, rejected = (make_user(f"{s}@example.org") for s in ("accepted", "confirmed", "rejected"))
    proposal(doha, accepted, "accepted")
    proposal(doha, confirmed, "confirmed")
    proposal(doha, rejected, "rejected")
    proposal(doha, make_user("draft@example.org"), "draft")
    assert emails(doha, Audience(kind="speakers", proposal_state="accepted")) == ["accepted@example.org"]
    assert emails(doha, Audience(kind="speakers", proposal_state="confirmed")) == ["confirmed@example.org"]
    assert emails(doha, Audience(kind="speakers", proposal_state="rejected")) == ["rejected@example.org"]
    [person] = recipients(doha, Audience(kind="speakers", proposal_state="accepted"))
    assert person.proposal_title == "A talk"


def test_reviewers_with_unfinished_reviews(app, doha, make_user):
    busy = make_user("busy@example.org", Role.REVIEWER, doha)
    done = make_user("done@example.org", Role.REVIEWER, doha)
    item = proposal(doha, make_user("author@example.org"), "submitted")
    db.session.add_all([ReviewAssignment(proposal_id=item.id, reviewer_id=busy.id),
                        ReviewAssignment(proposal_id=item.id, reviewer_id=done.id, score=3,
                                         reviewed_at=item.created_at)])
    db.session.commit()
    assert emails(doha, Audience(kind="reviewers")) == ["busy@example.org"]


def test_people_who_starred_a_session_and_the_team(app, doha, make_user, make_conference):
    session = AgendaSession(conference_id=doha.id, title_en="Opening", title_ar="الافتتاح",
                            starts_at=None, duration_minutes=30)
    db.session.add(session)
    db.session.commit()
    fan = make_user("fan@example.org")
    db.session.add(Star(conference_id=doha.id, user_id=fan.id, session_id=session.id))
    db.session.commit()
    assert emails(doha, Audience(kind="starrers", session=session.id)) == ["fan@example.org"]
    make_user("org@example.org", Role.ORGANIZER, doha)
    make_user("door@example.org", Role.STAFF, doha)
    make_user("far@example.org", Role.ORGANIZER, make_conference("other"))
    assert emails(doha, Audience(kind="team")) == ["door@example.org", "org@example.org"]


def test_the_audience_round_trips_as_data(app):
    audience = Audience(status="approved", country="OM", head=True, checked_in_on=None, delegation=3)
    assert Audience.from_data(audience.as_data()) == audience


def test_delegates_who_answered_a_question_with_a_choice(app, client, doha, make_delegate, make_conference, people):
    """The audience the issue asked to design for: "answered question Q with choice C", also from the delegates
    table's answer filters; a question of another conference is refused with a reason."""
    import pytest
    from werkzeug.datastructures import MultiDict

    from conference.core.actions import ServiceError
    from conference.messages.audiences import answer_options, check_audience, describe
    from conference.questions.answers import read_answers, save_answers
    from conference.questions.services import save_question
    from tests.conftest import login
    from tests.questions.conftest import question_data

    hotel = save_question(doha, None, question_data(kind="choice", label_en="Which hotel?", label_ar="أي فندق؟"),
                          [("Sheraton", "شيراتون"), ("Marriott", "ماريوت")])
    db.session.commit()
    sheraton, marriott = hotel.choices
    for name, choice in (("Amal", sheraton), ("Badr", marriott), ("Chadi", sheraton)):
        delegate = make_delegate(doha, name, email=f"{name.lower()}@example.org")
        given, _ = read_answers([hotel], MultiDict({f"q{hotel.id}": str(choice.id)}), doha.tz)
        save_answers([hotel], given, delegate_id=delegate.id)
    db.session.commit()
    audience = Audience(answers=((hotel.id, str(sheraton.id)),))
    assert emails(doha, audience) == ["amal@example.org", "chadi@example.org"]
    assert Audience.from_data(audience.as_data()) == audience
    assert "Which hotel? — Sheraton" in describe(doha, audience)
    assert (f"{hotel.id}:{marriott.id}", "Which hotel? — Marriott") in answer_options(doha)
    other = make_conference("elsewhere")  # the people fixture made "other" already
    elsewhere = save_question(other, None, question_data(kind="yes_no", label_en="Elsewhere?"))
    db.session.commit()
    with pytest.raises(ServiceError):
        check_audience(doha, Audience(answers=((elsewhere.id, "yes"),)))
    with pytest.raises(ServiceError):
        check_audience(doha, Audience(answers=((hotel.id, "99999"),)))
    login(client, people["organizer"])  # the delegates table's filter is the compose page's starting audience
    page = client.get(f"/doha/manage/messages/new?answer={hotel.id}:{sheraton.id}").get_data(as_text=True)
    assert f'<option selected value="{hotel.id}:{sheraton.id}">' in page
    count = client.get(f"/doha/manage/messages/audience?kind=delegates&answer={hotel.id}:{sheraton.id}").get_json()
    assert count["count"] == 2
