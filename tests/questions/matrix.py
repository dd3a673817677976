"""Rows of the authorization matrix (tests/test_authorization.py) for the question builder."""
from __future__ import annotations

from tests.access import LOGGED_IN, ORGANIZER, ORGANIZER_POST, POST_ONLY, Route

ROUTES: dict[str, Route] = {
    "registration.my_data": Route("/doha/me/data", LOGGED_IN),  # each visitor's own data, whoever they are
    "manage.questions": Route("/doha/manage/questions", ORGANIZER),
    "submissions.export_proposals_csv": Route("/doha/manage/proposals.csv", ORGANIZER),
    "submissions.export_proposals_xlsx": Route("/doha/manage/proposals.xlsx", ORGANIZER),
    "manage.new_question": Route("/doha/manage/questions/new/registration", ORGANIZER, ORGANIZER_POST, form={
        "kind": "choice", "label_en": "Which hotel?", "label_ar": "أي فندق؟", "choices_text": "Other | آخر"}),
    "manage.edit_question": Route("/doha/manage/questions/{question_id}", ORGANIZER, ORGANIZER_POST, form={
        "kind": "choice", "label_en": "Which hotel do you stay in?", "label_ar": "في أي فندق تقيم؟"}),
    "manage.question_action": Route("/doha/manage/questions/{question_id}/retire", POST_ONLY, ORGANIZER_POST),
    "manage.new_choice": Route("/doha/manage/questions/{question_id}/choices", POST_ONLY, ORGANIZER_POST,
                               form={"choice-label_en": "Sheraton", "choice-label_ar": "شيراتون"}),
    "manage.choice_action": Route("/doha/manage/questions/{question_id}/choices/{choice_id}/retire", POST_ONLY,
                                  ORGANIZER_POST),
}


def samples(people, conference) -> dict:
    """A choice question of the registration form with two choices."""
    from conference.extensions import db
    from conference.questions.services import save_question
    from tests.questions.conftest import question_data

    question = save_question(conference, None, question_data(kind="choice", label_en="Hotel", label_ar="الفندق"),
                             [("Marriott", "ماريوت"), ("Other", "آخر")])
    db.session.commit()
    return {"question_id": question.id, "choice_id": question.choices[0].id}
