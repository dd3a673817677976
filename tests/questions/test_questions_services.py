"""The question builder and answers through the services: kinds, conditions, retirement, refusals."""
from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from conference.extensions import db
from conference.questions.answers import answer_text, answers_for, asked_questions, read_answers, save_answers
from conference.questions.errors import QuestionError
from conference.questions.models import Answer, Question, QuestionTarget
from conference.questions.services import (
    delete_choice,
    delete_question,
    move_question,
    retire_choice,
    retire_question,
    save_question,
)
from tests.questions.conftest import question_data

QATAR = ZoneInfo("Asia/Qatar")


def read(questions, **values):
    form = MultiDict([(key, v) for key, value in values.items()
                      for v in (value if isinstance(value, list) else [value])])
    return read_answers(questions, form, QATAR)


@pytest.mark.parametrize("kind, typed, stored", [
    ("text", "  QR 1234 ", "QR 1234"),
    ("long_text", "line one\r\nline two", "line one\nline two"),
    ("number", "3.50", "3.5"),
    ("date", "2027-05-22", "2027-05-22"),
    ("datetime", "2027-05-22T10:30", "2027-05-22T07:30:00+00:00"),
    ("yes_no", "no", "no"),
    ("country", "qa", "QA"),
])
def test_every_kind_is_read_and_stored(doha, make_question, make_delegate, kind, typed, stored):
    question = make_question(doha, kind=kind)
    given, errors = read([question], **{f"q{question.id}": typed})
    assert errors == {}
    delegate = make_delegate(doha)
    save_answers([question], given, delegate_id=delegate.id)
    db.session.commit()
    assert db.session.scalar(select(Answer.value).where(Answer.delegate_id == delegate.id)) == stored


@pytest.mark.parametrize("kind, typed", [
    ("number", "twelve"), ("number", "1e400"), ("number", "٣"), ("date", "2027-02-30"), ("date", "9999-12-31"),
    ("datetime", "2027-05-22"), ("yes_no", "maybe"), ("country", "XX"), ("text", "x" * 100_000),
    ("text", "evil\u202etxt"), ("text", "bell\x07"), ("long_text", "y" * 5001),
])
def test_an_answer_of_the_wrong_kind_is_refused_with_a_message(doha, make_question, kind, typed):
    question = make_question(doha, kind=kind)
    given, errors = read([question], **{f"q{question.id}": typed})
    assert given == {} and errors[question.id]


def test_numbers_keep_to_their_bounds(doha, make_question):
    question = make_question(doha, kind="number", min_value=1, max_value=10)
    assert read([question], **{f"q{question.id}": "11"})[1]
    assert read([question], **{f"q{question.id}": "0"})[1]
    assert read([question], **{f"q{question.id}": "10"})[1] == {}


def test_choices_come_from_the_question_itself(doha, make_conference, make_question, arrival):
    how, _pickup = arrival
    other = make_question(make_conference("else"), kind="choice", choices=[("A", "أ")])
    for foreign in (str(other.choices[0].id), "0", "abc", str(2**64)):
        given, errors = read([how], **{f"q{how.id}": foreign})
        assert how.id in errors and not given
    several = make_question(doha, kind="choices", choices=[("A", "أ"), ("B", "ب")])
    given, errors = read([several], **{f"q{several.id}": [str(c.id) for c in several.choices]})
    assert errors == {} and given[several.id].choice_ids == [c.id for c in several.choices]


def test_a_condition_asks_only_when_met_and_drops_the_answer_otherwise(doha, arrival):
    how, pickup = arrival
    by_air, by_land = how.choices[0].id, how.choices[1].id
    asked = asked_questions(doha, QuestionTarget.REGISTRATION)
    given, errors = read(asked, **{f"q{how.id}": str(by_land), f"q{pickup.id}": "yes"})
    assert errors == {} and set(given) == {how.id}  # not asked: dropped
    given, errors = read(asked, **{f"q{how.id}": str(by_air)})
    assert errors == {pickup.id: "Please answer this question."}  # asked and required
    given, errors = read(asked, **{f"q{how.id}": str(by_air), f"q{pickup.id}": "yes"})
    assert errors == {} and set(given) == {how.id, pickup.id}


def test_a_required_question_blocks_only_when_asked(doha, make_question):
    press = make_question(doha, kind="text", required=True, categories=["press"])
    assert asked_questions(doha, QuestionTarget.REGISTRATION, category="delegate") == []
    assert asked_questions(doha, QuestionTarget.REGISTRATION, category="press") == [press]


@pytest.mark.parametrize("fields, choices", [
    ({"label_en": "", "label_ar": ""}, ()),
    ({"label_en": "x" * 201}, ()),
    ({"kind": "choice"}, ()),
    ({"kind": "number", "min_value": 5, "max_value": 1}, ()),
    ({"retention_days": 5000}, ()),
    ({"kind": "choice"}, [("y" * 300, "")]),
])
def test_a_bad_question_is_refused_and_nothing_is_written(doha, fields, choices):
    with pytest.raises(QuestionError):
        save_question(doha, None, question_data(**fields), choices)
    db.session.rollback()
    assert db.session.scalar(select(func.count(Question.id))) == 0


def test_a_condition_must_point_to_an_earlier_choice_question(doha, make_question, make_conference, arrival):
    how, pickup = arrival
    with pytest.raises(QuestionError):  # to itself
        save_question(doha, pickup, question_data(kind="yes_no", condition_question_id=pickup.id,
                                                  condition_values=["yes"]))
    with pytest.raises(QuestionError):  # to a later question
        save_question(doha, how, question_data(kind="choice", condition_question_id=pickup.id,
                                               condition_values=["yes"]))
    text = make_question(doha, kind="text")
    with pytest.raises(QuestionError):  # to a question whose answers are not a list
        save_question(doha, None, question_data(condition_question_id=text.id, condition_values=["x"]))
    with pytest.raises(QuestionError):  # to a choice of another question
        save_question(doha, None, question_data(condition_question_id=how.id, condition_values=["999"]))
    foreign = make_question(make_conference("else"), kind="yes_no")
    with pytest.raises(QuestionError):  # to a question of another conference
        save_question(doha, None, question_data(condition_question_id=foreign.id, condition_values=["yes"]))
    with pytest.raises(QuestionError):  # moving it before its condition
        move_question(pickup, -1)


def test_with_answers_a_question_is_retired_not_deleted_and_keeps_its_kind(doha, make_delegate, arrival):
    how, _pickup = arrival
    delegate = make_delegate(doha)
    given, _errors = read([how], **{f"q{how.id}": str(how.choices[2].id)})
    save_answers([how], given, delegate_id=delegate.id)
    db.session.commit()
    with pytest.raises(QuestionError, match="answers"):
        delete_question(how)
    with pytest.raises(QuestionError, match="answers"):
        delete_choice(how.choices[2])
    with pytest.raises(QuestionError, match="kind"):
        save_question(doha, how, question_data(kind="text"))
    db.session.rollback()
    retire_choice(how.choices[2])
    retire_question(how)
    db.session.commit()
    assert how not in asked_questions(doha, QuestionTarget.REGISTRATION)
    rows = answers_for(delegate_ids=[delegate.id])[delegate.id][how.id]
    assert answer_text(how, rows, "ar", QATAR) == "في قطر"
    assert answer_text(how, rows, "en", QATAR) == "Already in Qatar"
