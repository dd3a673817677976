"""Questions of the Doha test conference, made through the service as an organizer's page would."""
from __future__ import annotations

import pytest

from conference.extensions import db
from conference.questions.services import save_question


def question_data(**fields) -> dict:
    """A question's form values, with fields overriding the defaults (an optional short text)."""
    data = {"target": "registration", "kind": "text", "label_en": "Flight number", "label_ar": "رقم الرحلة",
            "help_en": "", "help_ar": "", "required": False, "categories": [], "proposal_type_ids": [],
            "about_speaker": False, "condition_question_id": None, "condition_values": [], "min_value": None,
            "max_value": None, "retention_days": None}
    data.update(fields)
    return data


@pytest.fixture
def make_question(app):
    """Factory: a question of a conference (choices as (English, Arabic) pairs), committed."""

    def make(conference, choices=(), **fields):
        question = save_question(conference, None, question_data(**fields), choices)
        db.session.commit()
        return question

    return make


@pytest.fixture
def arrival(doha, make_question):
    """How one arrives (a choice), and the airport pick-up asked only of those who fly in (yes/no)."""
    how = make_question(doha, kind="choice", label_en="How do you arrive?", label_ar="كيف تصل؟", required=True,
                        choices=[("By air", "جوًا"), ("By land", "برًا"), ("Already in Qatar", "في قطر")])
    pickup = make_question(doha, kind="yes_no", label_en="Airport pick-up?", label_ar="استقبال في المطار؟",
                           required=True, condition_question_id=how.id,
                           condition_values=[str(how.choices[0].id)])
    return how, pickup
