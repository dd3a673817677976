"""Personal data erased on time, the command, and a delegate's own data as JSON."""
from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from conference.extensions import db
from conference.questions.answers import read_answers, save_answers
from conference.questions.models import Answer, PurgeRecord
from conference.registration.models import Delegate
from conference.registration.retention import purge_expired_personal_data, retention_schedule
from tests.conftest import login


def answer(question, delegate, value: str) -> None:
    given, _errors = read_answers([question], MultiDict({f"q{question.id}": value}), delegate_zone())
    save_answers([question], given, delegate_id=delegate.id)
    db.session.commit()


def delegate_zone():
    from zoneinfo import ZoneInfo

    return ZoneInfo("Asia/Qatar")


def after(conference, days: int) -> datetime:
    """Noon in Doha, `days` days after the conference's last day."""
    day = conference.end_date + timedelta(days=days)
    return datetime(day.year, day.month, day.day, 9, tzinfo=timezone.utc)


def test_answers_and_passports_are_erased_after_their_retention_and_counted(doha, make_question, make_delegate):
    flight = make_question(doha, kind="text", retention_days=10)
    hotel = make_question(doha, kind="text", label_en="Hotel")  # kept indefinitely
    delegate = make_delegate(doha, visa_requested=True, passport_name="HAMAD", nationality="OM",
                             passport_number="A1234567", passport_expiry=date(2035, 1, 1))
    answer(flight, delegate, "QR 1234")
    answer(hotel, delegate, "Marriott")
    schedule = {item.what: item for item in retention_schedule(doha)}
    assert schedule["passport"].due == doha.end_date + timedelta(days=31) and schedule["passport"].count == 1
    assert schedule[f"question:{flight.id}"].due == doha.end_date + timedelta(days=11)
    assert schedule[f"question:{hotel.id}"].due is None

    assert purge_expired_personal_data(now=after(doha, 10)).total == 0  # the last day kept
    dry = purge_expired_personal_data(now=after(doha, 11), dry_run=True)
    assert [item.what for item in dry.erased] == [f"question:{flight.id}"]
    assert db.session.scalar(select(func.count(Answer.id))) == 2
    done = purge_expired_personal_data(now=after(doha, 11))
    db.session.commit()
    assert done.total == 1
    assert db.session.scalars(select(Answer.value)).all() == ["Marriott"]
    assert db.session.scalar(select(PurgeRecord.count)) == 1
    purge_expired_personal_data(now=after(doha, 40))
    db.session.commit()
    db.session.refresh(delegate)
    assert (delegate.passport_number, delegate.passport_name, delegate.passport_expiry) == ("", "", None)
    assert delegate.visa_requested  # the request itself stays
    records = db.session.execute(select(PurgeRecord.what, PurgeRecord.count).order_by(PurgeRecord.id)).all()
    assert records == [(f"question:{flight.id}", 1), ("passport", 1)]
    assert "A1234567" not in repr(records)


def test_the_command_runs_dry_and_for_real(runner, doha, make_question, make_delegate):
    doha.end_date = date.today() - timedelta(days=40)
    doha.start_date = doha.end_date - timedelta(days=1)
    db.session.commit()
    flight = make_question(doha, kind="text", retention_days=0)
    answer(flight, make_delegate(doha), "QR 1234")
    result = runner.invoke(args=["purge-personal-data", "--dry-run"])
    assert result.exit_code == 0 and "would erase 1" in result.output
    assert db.session.scalar(select(func.count(Answer.id))) == 1
    result = runner.invoke(args=["purge-personal-data"])
    assert result.exit_code == 0 and "erased 1" in result.output and "QR 1234" not in result.output
    assert db.session.scalar(select(func.count(Answer.id))) == 0


def test_a_delegate_downloads_their_own_data(client, doha, make_question, make_delegate, make_user):
    hotel = make_question(doha, kind="choice", label_en="Which hotel?", label_ar="أي فندق؟",
                          choices=[("Marriott", "ماريوت")])
    delegate = make_delegate(doha, organization="Oman Child Helpline")
    answer(hotel, delegate, str(hotel.choices[0].id))
    other = make_delegate(doha, name="Someone Else")
    login(client, delegate.user)
    response = client.get("/doha/me/data")
    assert response.status_code == 200 and response.mimetype == "application/json"
    data = json.loads(response.get_data(as_text=True))
    assert data["registration"]["organization"] == "Oman Child Helpline"
    assert data["registration"]["answers"] == [{"question_en": "Which hotel?", "question_ar": "أي فندق؟",
                                                "answer": "Marriott"}]
    assert "badge_token" not in data["registration"] and data["proposals"] == []
    assert other.name not in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Delegate.id))) == 2
    login(client, make_user("nobody@example.org"))
    assert "registration" not in client.get("/doha/me/data").get_json()


def test_the_daily_task_on_the_queue_erases_what_has_expired(doha, make_question, make_delegate):
    from conference.core.tasks import queue

    doha.start_date, doha.end_date = date.today() - timedelta(days=40), date.today() - timedelta(days=39)
    flight = make_question(doha, kind="text", retention_days=10)
    answer(flight, make_delegate(doha), "QR 1234")
    huey = queue()
    [name] = [name for name in huey._registry._registry if name.endswith(".purge_personal_data.periodic")]
    huey.execute(huey._registry._registry[name]())  # as the consumer does at 03:00 UTC each day
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Answer.id))) == 0
    assert db.session.scalar(select(PurgeRecord.count)) == 1
