"""The demo asks the Doha questions, its delegates and proposals answer them, and everything shows and travels."""
from __future__ import annotations

import io
import json
from datetime import date

from sqlalchemy import func, select

from conference.accounts.models import Role
from conference.backup import export_conference
from conference.extensions import db
from conference.questions.models import Answer, Question, QuestionKind, QuestionTarget
from conference.registration.models import Delegate
from conference.seed import seed_demo
from tests.conftest import login


def test_the_demo_asks_the_doha_questions_and_delegates_answer(app, client, make_user):
    conference = seed_demo(date(2026, 12, 1))
    hotel = db.session.scalar(select(Question).where(Question.label_en.contains("hotel")))
    assert hotel.kind == QuestionKind.CHOICE and len(hotel.choices) == 4
    pickup = db.session.scalar(select(Question).where(Question.label_en.contains("pick-up")))
    assert pickup.condition_question.choices[0].label_en == "By air"
    assert db.session.scalar(select(func.count(Answer.id)).where(Answer.question_id == hotel.id)) > 10
    assert db.session.scalar(select(func.count(Answer.id)).where(Answer.proposal_id.is_not(None))) > 0
    # Nobody who is not flying in was asked about the pick-up.
    by_air = pickup.condition_question.choices[0].id
    flying = select(Answer.delegate_id).where(Answer.choice_id == by_air)
    assert db.session.scalar(select(func.count(Answer.id)).where(
        Answer.question_id == pickup.id, Answer.delegate_id.not_in(flying))) == 0
    seed_demo(date(2026, 12, 1))  # again: nothing doubles
    assert db.session.scalar(select(func.count(Question.id)).where(
        Question.target == QuestionTarget.PROPOSAL)) == 2
    login(client, make_user("boss@example.org", Role.ORGANIZER, conference))
    slug = conference.slug
    dashboard = client.get(f"/{slug}/manage/").get_data(as_text=True)
    assert "Which hotel are you staying in?" in dashboard and "Sheraton Grand Doha" in dashboard
    answered = db.session.scalar(select(Answer.delegate_id).where(Answer.question_id == hotel.id))
    assert "Which hotel are you staying in?" in client.get(f"/{slug}/manage/delegates/{answered}").get_data(
        as_text=True)
    assert "Target audience" in client.get(f"/{slug}/manage/proposals").get_data(as_text=True)
    assert client.get(f"/{slug}/manage/questions?lang=ar").status_code == 200
    out = io.StringIO()
    export_conference(slug, out)
    tables = json.loads(out.getvalue())["tables"]
    assert {"questions", "question_choices", "question_answers"} <= set(tables)
    assert len(tables["question_answers"]) == db.session.scalar(select(func.count(Answer.id)))
    assert db.session.scalar(select(func.count(Delegate.id))) > 0
