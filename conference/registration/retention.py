"""Personal data erased on time: answers to questions with a retention period, and the visa request's passport
fields, some days after the conference's last day. The purge records what it erased (counts, never values)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, or_, select, update

from ..events.models import Conference
from ..extensions import db
from ..questions.models import Answer, PurgeRecord, Question
from ..types import utcnow
from .models import Delegate

PASSPORT = "passport"
PASSPORT_CLEARED = {"passport_name": "", "nationality": "", "passport_number": "", "passport_expiry": None}
HOLDS_PASSPORT = or_(Delegate.passport_name != "", Delegate.nationality != "", Delegate.passport_number != "",
                     Delegate.passport_expiry.is_not(None))


@dataclass(frozen=True)
class Erasure:
    """Values of one kind that a conference holds and erases on a day: `what` is 'passport' or 'question:<id>'."""

    conference_id: int
    what: str
    label: str
    due: date | None  # the first day they are gone; None: kept until an organizer deletes them
    count: int


@dataclass
class PurgeReport:
    """What a purge erased (or, in a dry run, would erase)."""

    dry_run: bool
    erased: list[Erasure] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(item.count for item in self.erased)


def _due(conference: Conference, days: int | None) -> date | None:
    return None if days is None else conference.end_date + timedelta(days=days + 1)


def retention_schedule(conference: Conference) -> list[Erasure]:
    """Every kind of personal data the conference keeps for a time, with when it is erased and how many values."""
    passports = db.session.scalar(select(func.count(Delegate.id)).where(
        Delegate.conference_id == conference.id, HOLDS_PASSPORT))
    schedule = [Erasure(conference.id, PASSPORT, str(_l("Passport details of visa requests")),
                        _due(conference, conference.passport_retention_days), passports)]
    counts = dict(db.session.execute(select(Answer.question_id, func.count(Answer.id)).join(Question).where(
        Question.conference_id == conference.id).group_by(Answer.question_id)).all())
    for question in db.session.scalars(Question.of(conference).order_by(Question.target, Question.position)):
        schedule.append(Erasure(conference.id, f"question:{question.id}", question.label,
                                _due(conference, question.retention_days), counts.get(question.id, 0)))
    return schedule


def purge_expired_personal_data(now: datetime | None = None, dry_run: bool = False) -> PurgeReport:
    """Erase every value whose retention has ended (day by day in each conference's zone); the caller commits."""
    now = now or utcnow()
    report = PurgeReport(dry_run)
    for conference in db.session.scalars(select(Conference).order_by(Conference.id)):
        today = conference.local_date(now)
        for item in retention_schedule(conference):
            if item.due is None or item.due > today or not item.count:
                continue
            report.erased.append(item)
            if not dry_run:
                _erase(conference, item, now)
    db.session.flush()
    return report


def _erase(conference: Conference, item: Erasure, now: datetime) -> None:
    if item.what == PASSPORT:
        db.session.execute(update(Delegate).where(Delegate.conference_id == conference.id, HOLDS_PASSPORT)
                           .values(**PASSPORT_CLEARED).execution_options(synchronize_session=False))
    else:
        question_id = int(item.what.removeprefix("question:"))
        db.session.execute(delete(Answer).where(Answer.question_id == question_id)
                           .execution_options(synchronize_session=False))
    db.session.add(PurgeRecord(conference_id=conference.id, at=now, what=item.what, count=item.count))
