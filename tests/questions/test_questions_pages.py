"""Questions through HTTP: the builder, asking at registration, on /me edit and in the call for proposals."""
from __future__ import annotations

import io
from datetime import datetime, timedelta, timezone

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from conference.accounts.models import Role
from conference.extensions import db
from conference.questions.models import Answer, Question, QuestionChoice
from conference.registration.models import Delegate
from tests.conftest import login, post_form

DETAILS = {"name": "Salma Ben Youssef", "country": "TN", "consent_privacy": "y"}


@pytest.fixture
def organizer_client(client, doha, make_user):
    login(client, make_user("boss@example.org", Role.ORGANIZER, doha))
    return client


def test_an_organizer_builds_a_choice_question_with_a_condition(organizer_client, doha):
    response = post_form(organizer_client, "/doha/manage/questions/new/registration", {
        "kind": "choice", "label_en": "How do you arrive?", "label_ar": "كيف تصل؟", "required": "y",
        "choices_text": "By air | جوًا\nBy land | برًا"})
    assert response.status_code == 302
    how = db.session.scalar(select(Question))
    assert [c.label_ar for c in how.choices] == ["جوًا", "برًا"]
    response = post_form(organizer_client, "/doha/manage/questions/new/registration", {
        "kind": "yes_no", "label_en": "Airport pick-up?", "label_ar": "استقبال في المطار؟",
        "condition_question_id": str(how.id), "condition_values": str(how.choices[0].id), "retention_days": "30"})
    assert response.status_code == 302
    pickup = db.session.scalar(select(Question).where(Question.id != how.id))
    assert pickup.condition_question_id == how.id and pickup.retention_days == 30
    page = organizer_client.get("/doha/manage/questions?lang=ar").get_data(as_text=True)
    assert "استقبال في المطار؟" in page and 'dir="rtl"' in page
    post_form(organizer_client, f"/doha/manage/questions/{how.id}/choices",
              {"choice-label_en": "Already in Qatar", "choice-label_ar": "في قطر"})
    assert db.session.scalar(select(func.count(QuestionChoice.id))) == 3


@pytest.mark.parametrize("bad", [
    {"kind": "choice", "label_en": "Hotel"},  # no choices
    {"kind": "text", "label_en": "x" * 201},
    {"kind": "text", "label_en": "evil\u202e"},
    {"kind": "number", "label_en": "Nights", "min_value": "5", "max_value": "1"},
    {"kind": "number", "label_en": "Nights", "min_value": "1e999"},
    {"kind": "text", "label_en": "x", "retention_days": "99999999999999999999"},
    {"kind": "nonsense", "label_en": "x"},
    {"kind": "text", "label_en": "x", "condition_question_id": str(2**64)},
    {"kind": "text", "label_en": "x", "categories": "nobody"},
    {"kind": "text", "label_en": "y" * 100_000},
])
def test_a_bad_question_is_refused_on_the_page(organizer_client, doha, bad):
    response = post_form(organizer_client, "/doha/manage/questions/new/registration", bad)
    assert response.status_code == 200
    assert db.session.scalar(select(func.count(Question.id))) == 0


def test_ids_of_another_conference_find_nothing(organizer_client, doha, make_conference, make_question):
    foreign = make_question(make_conference("else"), kind="choice", choices=[("A", "أ")])
    assert organizer_client.get(f"/doha/manage/questions/{foreign.id}").status_code == 404
    assert post_form(organizer_client, f"/doha/manage/questions/{foreign.id}/delete").status_code == 404
    assert post_form(organizer_client, f"/doha/manage/questions/{foreign.id}/choices/{foreign.choices[0].id}/delete"
                     ).status_code == 404
    assert organizer_client.get("/doha/manage/questions/new/elsewhere").status_code == 404


def test_registration_asks_in_arabic_and_checks_the_condition_on_the_server(client, doha, arrival):
    how, pickup = arrival
    page = client.get("/doha/register?lang=ar").get_data(as_text=True)
    assert "كيف تصل؟" in page and f'data-condition-question="{how.id}"' in page
    by_air, by_land = how.choices[0].id, how.choices[1].id
    account = {"email": "salma@example.org", "password": "a-long-password", "confirm": "a-long-password"}
    response = post_form(client, "/doha/register", {**DETAILS, **account, f"q{how.id}": str(by_air)})
    assert response.status_code == 200 and "يرجى الإجابة عن هذا السؤال" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Delegate.id))) == 0
    response = post_form(client, "/doha/register", {**DETAILS, **account, f"q{how.id}": str(by_land),
                                                    f"q{pickup.id}": "yes"})
    assert response.status_code == 200
    delegate = db.session.scalar(select(Delegate))
    answers = db.session.scalars(select(Answer).where(Answer.delegate_id == delegate.id)).all()
    assert [(a.question_id, a.choice_id) for a in answers] == [(how.id, by_land)]  # the pick-up was not asked


def test_me_edit_shows_and_changes_the_answers(client, doha, arrival, make_delegate):
    how, pickup = arrival
    delegate = make_delegate(doha, status="pending")
    login(client, delegate.user)
    by_air = how.choices[0].id
    response = post_form(client, "/doha/me/edit", {"name": delegate.name, "country": "OM", f"q{how.id}": str(by_air),
                                                   f"q{pickup.id}": "no"})
    assert response.status_code == 302
    page = client.get("/doha/me/edit").get_data(as_text=True)
    assert f'value="{by_air}" data-question="{how.id}" checked' in page
    me = client.get("/doha/me").get_data(as_text=True)
    assert "By air" in me and "Airport pick-up?" in me


def test_the_proposal_form_asks_the_calls_questions(client, make_conference, make_user, make_question):
    now = datetime.now(timezone.utc)
    conference = make_conference("doha", cfp_opens_at=now - timedelta(days=1), cfp_closes_at=now + timedelta(days=9))
    from conference.submissions.call import call_of, proposal_types

    call_of(conference)
    db.session.commit()
    audience = make_question(conference, target="proposal", kind="choice", label_en="Target audience",
                             required=True, choices=[("Counsellors", "المستشارون"), ("Managers", "المديرون")])
    login(client, make_user("speaker@example.org"))
    assert "Target audience" in client.get("/doha/cfp/new").get_data(as_text=True)
    proposal = {"title": "Night shifts", "abstract": "How helplines staff the night.", "language": "en",
                "proposal_type_id": str(proposal_types(conference)[0].id)}
    assert post_form(client, "/doha/cfp/new", proposal).status_code == 200  # required and not answered
    response = post_form(client, "/doha/cfp/new", {**proposal, f"q{audience.id}": str(audience.choices[1].id),
                                                   "submit_now": "1"})
    assert response.status_code == 302
    assert db.session.scalar(select(Answer.choice_id).where(Answer.proposal_id.is_not(None))) == \
        audience.choices[1].id
    login(client, make_user("boss@example.org", Role.ORGANIZER, conference))
    assert "المديرون" in client.get("/doha/manage/proposals?lang=ar").get_data(as_text=True)
    text = client.get("/doha/manage/proposals.csv?lang=en").get_data(as_text=True)
    assert text.splitlines()[0].endswith("Target audience") and text.splitlines()[1].endswith("Managers")
    workbook = load_workbook(io.BytesIO(client.get("/doha/manage/proposals.xlsx?lang=ar").get_data()))
    assert list(workbook.active.values)[1][-1] == "المديرون"


def test_after_registration_closes_the_answers_stay_as_they_were(client, doha, arrival, make_delegate):
    how, _pickup = arrival
    delegate = make_delegate(doha, status="pending")
    login(client, delegate.user)
    post_form(client, "/doha/me/edit", {"name": delegate.name, "country": "OM", f"q{how.id}": str(how.choices[1].id)})
    doha.registration_closes_at = datetime.now(timezone.utc) - timedelta(minutes=1)
    db.session.commit()
    assert "How do you arrive?" not in client.get("/doha/me/edit").get_data(as_text=True)
    response = post_form(client, "/doha/me/edit", {"name": delegate.name, "country": "OM",
                                                   f"q{how.id}": str(how.choices[0].id)})
    assert response.status_code == 302
    assert db.session.scalar(select(Answer.choice_id).where(Answer.delegate_id == delegate.id)) == how.choices[1].id


def test_an_organizer_corrects_a_delegates_answers_after_registration_closes(organizer_client, doha, arrival,
                                                                           make_delegate):
    how, pickup = arrival
    delegate = make_delegate(doha, status="approved")
    doha.registration_closes_at = datetime.now(timezone.utc) - timedelta(minutes=1)
    db.session.commit()
    url = f"/doha/manage/delegates/{delegate.id}/edit"
    assert "How do you arrive?" in organizer_client.get(url).get_data(as_text=True)
    details = {"name": delegate.name, "country": "OM", "category": "delegate"}
    # A required question may stay empty for organizers: the delegate registered before it was asked.
    assert post_form(organizer_client, url, details).status_code == 302
    assert db.session.scalar(select(func.count(Answer.id))) == 0
    by_air = str(how.choices[0].id)
    assert post_form(organizer_client, url, {**details, f"q{how.id}": "999999"}).status_code == 200  # not a choice
    assert db.session.scalar(select(func.count(Answer.id))) == 0
    assert post_form(organizer_client, url, {**details, f"q{how.id}": by_air, f"q{pickup.id}": "yes"}).status_code \
        == 302
    assert set(db.session.scalars(select(Answer.question_id).where(Answer.delegate_id == delegate.id))) == \
        {how.id, pickup.id}
    assert f'value="{by_air}" data-question="{how.id}" checked' in organizer_client.get(url).get_data(as_text=True)
    page = organizer_client.get(f"/doha/manage/delegates/{delegate.id}").get_data(as_text=True)
    assert "By air" in page


def test_a_proposal_type_of_another_conference_is_refused(organizer_client, doha, make_conference):
    from conference.submissions.call import call_of, proposal_types

    call_of(doha)
    foreign = make_conference("else")
    call_of(foreign)
    db.session.commit()
    form = {"kind": "text", "label_en": "Equipment needed"}
    mine, theirs = proposal_types(doha)[0].id, proposal_types(foreign)[0].id
    assert post_form(organizer_client, "/doha/manage/questions/new/proposal",
                     {**form, "proposal_type_ids": str(theirs)}).status_code == 200
    assert db.session.scalar(select(func.count(Question.id))) == 0
    assert post_form(organizer_client, "/doha/manage/questions/new/proposal",
                     {**form, "proposal_type_ids": str(mine)}).status_code == 302
    assert db.session.scalar(select(Question.proposal_type_ids)) == str(mine)
