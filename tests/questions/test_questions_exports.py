"""Answers in the delegates table's filters and in the CSV and Excel exports; queries that do not grow."""
from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import insert, select

from conference.accounts.models import Role
from conference.extensions import db
from conference.questions.models import Answer
from conference.registration.models import Delegate
from tests.conftest import login
from tests.manage.test_manage import bulk_delegates, count_queries
from tests.questions.test_questions_retention import answer


@pytest.fixture
def organizer_client(client, doha, make_user):
    login(client, make_user("boss@example.org", Role.ORGANIZER, doha))
    return client


@pytest.fixture
def answered(doha, make_question, make_delegate):
    """A hotel question (choice), a pick-up (yes/no), a home country, a flight (text); two delegates answered."""
    hotel = make_question(doha, kind="choice", label_en="Which hotel?", label_ar="أي فندق؟",
                          choices=[("Marriott Marquis", "ماريوت ماركيز"), ("Other", "فندق آخر")])
    pickup = make_question(doha, kind="yes_no", label_en="Airport pick-up?", label_ar="استقبال في المطار؟")
    home = make_question(doha, kind="country", label_en="Flying from", label_ar="قادم من")
    flight = make_question(doha, kind="text", label_en="Flight", label_ar="الرحلة")
    first, second = make_delegate(doha, name="Amal Haddad"), make_delegate(doha, name="Omar Benali")
    answer(hotel, first, str(hotel.choices[0].id))
    answer(pickup, first, "yes")
    answer(home, first, "JO")
    answer(flight, first, "=HYPERLINK(\"http://evil\")")
    answer(hotel, second, str(hotel.choices[1].id))
    answer(pickup, second, "no")
    return {"hotel": hotel, "pickup": pickup, "home": home, "flight": flight, "first": first, "second": second}


def names(client, query: str) -> set[str]:
    page = client.get(f"/doha/manage/delegates?{query}").get_data(as_text=True)
    return {name for name in ("Amal Haddad", "Omar Benali") if name in page}


def test_the_delegates_table_filters_by_choice_yes_no_and_country(organizer_client, answered):
    hotel, pickup, home = answered["hotel"], answered["pickup"], answered["home"]
    assert names(organizer_client, f"answer={hotel.id}:{hotel.choices[0].id}") == {"Amal Haddad"}
    assert names(organizer_client, f"answer={pickup.id}:no") == {"Omar Benali"}
    assert names(organizer_client, f"answer={home.id}:jo") == {"Amal Haddad"}
    assert names(organizer_client, f"answer={hotel.id}:{hotel.choices[1].id}&answer={pickup.id}:yes") == set()
    page = organizer_client.get("/doha/manage/delegates").get_data(as_text=True)
    assert f'value="{hotel.id}:{hotel.choices[0].id}"' in page


@pytest.mark.parametrize("bad", ["answer=1", "answer=:yes", "answer=abc:def", "answer=999999:1",
                                 f"answer={2**64}:{2**64}", "answer=1:%00", "answer=1:٣", "answer=" + "9:" * 5000])
def test_a_bad_answer_filter_filters_nothing_or_everything_but_never_fails(organizer_client, answered, bad):
    assert organizer_client.get(f"/doha/manage/delegates?{bad}").status_code in (200, 400)


def test_a_choice_of_another_conference_matches_nobody(organizer_client, answered, make_conference, make_question):
    foreign = make_question(make_conference("else"), kind="choice", choices=[("A", "أ")])
    hotel = answered["hotel"]
    assert names(organizer_client, f"answer={foreign.id}:{foreign.choices[0].id}") == set()
    assert names(organizer_client, f"answer={hotel.id}:{foreign.choices[0].id}") == set()


def test_the_exports_have_a_column_per_question_in_the_exports_language(organizer_client, answered):
    text = organizer_client.get("/doha/manage/delegates.csv?lang=ar").get_data(as_text=True).lstrip("\ufeff")
    rows = {row[2]: row for row in csv.reader(io.StringIO(text))}
    header = next(iter(csv.reader(io.StringIO(text))))
    assert header[-4:] == ["أي فندق؟", "استقبال في المطار؟", "قادم من", "الرحلة"]
    assert rows["Amal Haddad"][-4:] == ["ماريوت ماركيز", "نعم", "الأردن", "'=HYPERLINK(\"http://evil\")"]
    assert rows["Omar Benali"][-4:] == ["فندق آخر", "لا", "", ""]
    workbook = load_workbook(io.BytesIO(organizer_client.get("/doha/manage/delegates.xlsx?lang=en").get_data()))
    sheet = list(workbook.active.values)
    assert sheet[0][-4:] == ("Which hotel?", "Airport pick-up?", "Flying from", "Flight")
    amal = next(row for row in sheet if row[2] == "Amal Haddad")
    assert amal[-4:] == ("Marriott Marquis", "Yes", "Jordan", "'=HYPERLINK(\"http://evil\")")


def twenty_questions_answered(doha, make_question) -> None:
    """20 questions of every kind, answered by every delegate (inserted in bulk)."""
    kinds = ["choice", "choices", "yes_no", "country", "text", "number", "date", "datetime", "long_text"]
    questions = [make_question(doha, kind=kinds[n % len(kinds)], label_en=f"Question {n}",
                               choices=[("A", "أ"), ("B", "ب")] if kinds[n % len(kinds)] in ("choice", "choices")
                               else ()) for n in range(20)]
    values = {"yes_no": "yes", "country": "QA", "text": "x", "number": "3", "date": "2027-05-22",
              "datetime": "2027-05-22T07:30:00+00:00", "long_text": "y"}
    ids = db.session.scalars(select(Delegate.id)).all()
    db.session.execute(insert(Answer), [
        {"question_id": q.id, "delegate_id": delegate_id, "choice_id": q.choices[0].id if q.choices else None,
         "value": values.get(q.kind.value, "")} for q in questions for delegate_id in ids])
    db.session.commit()


@pytest.mark.parametrize("path", ["/doha/manage/delegates", "/doha/manage/delegates.csv",
                                  "/doha/manage/delegates.xlsx"])
def test_with_20_questions_the_queries_do_not_grow_with_delegates(organizer_client, doha, make_question, path):
    bulk_delegates(doha, 50)
    twenty_questions_answered(doha, make_question)
    few = count_queries(organizer_client, path)
    db.session.execute(Answer.__table__.delete())
    bulk_delegates(doha, 450, country="EG")
    db.session.execute(Answer.__table__.delete())
    db.session.commit()
    from conference.questions.models import Question

    db.session.execute(Question.__table__.delete().where(Question.condition_question_id.is_not(None)))
    for question in db.session.scalars(select(Question)).all():
        db.session.delete(question)
    db.session.commit()
    twenty_questions_answered(doha, make_question)
    assert count_queries(organizer_client, path) == few
