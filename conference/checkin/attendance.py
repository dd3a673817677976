"""Live attendance: who came in on a day, by country, category and gate, per quarter hour; the CSV export."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Iterator

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from ..core.countries import country_name
from ..core.params import parse_date
from ..events.models import Conference
from ..extensions import db
from ..registration.models import Category, Delegate, DelegateStatus
from ..types import utcnow
from .models import CheckIn, ScanLog, Verdict

BIN_MINUTES = 15
BATCH = 500


@dataclass(frozen=True)
class Row:
    """One line of a breakdown: a label, admissions on the day, approved registrations."""

    key: str
    label: str
    checked_in: int
    approved: int | None = None


def attendance_day(conference: Conference, requested: str | None, now: datetime | None = None) -> date:
    """The day to show: the requested ISO date when it is valid, else today at the venue."""
    return parse_date(requested) or conference.local_date(now or utcnow())


def day_choices(conference: Conference, day: date, now: datetime | None = None) -> list[date]:
    """The conference days plus today and the shown day, in order."""
    return sorted(set(conference.days) | {conference.local_date(now or utcnow()), day})


def _count(query) -> int:
    return db.session.scalar(query) or 0


def _grouped(column, conference_id: int, day: date) -> dict[str, int]:
    rows = db.session.execute(
        select(column, func.count(CheckIn.id)).join(Delegate, Delegate.id == CheckIn.delegate_id)
        .where(CheckIn.conference_id == conference_id, CheckIn.day == day).group_by(column)
    ).all()
    return {_key(key): n for key, n in rows}


def _approved_by(column, conference_id: int) -> dict[str, int]:
    rows = db.session.execute(
        select(column, func.count(Delegate.id))
        .where(Delegate.conference_id == conference_id, Delegate.status == DelegateStatus.APPROVED).group_by(column)
    ).all()
    return {_key(key): n for key, n in rows}


def _key(value) -> str:
    return value.value if isinstance(value, Category) else str(value or "")


def summary(conference: Conference, day: date) -> dict:
    """Admissions on `day` against approved registrations, in total and by country, category and gate."""
    checked_in = _count(select(func.count(CheckIn.id)).where(CheckIn.conference_id == conference.id,
                                                             CheckIn.day == day))
    approved = _count(select(func.count(Delegate.id)).where(Delegate.conference_id == conference.id,
                                                            Delegate.status == DelegateStatus.APPROVED))
    in_by_country = _grouped(Delegate.country, conference.id, day)
    approved_by_country = _approved_by(Delegate.country, conference.id)
    countries = sorted(
        (Row(code, country_name(code), in_by_country.get(code, 0), approved_by_country.get(code, 0))
         for code in set(in_by_country) | set(approved_by_country)),
        key=lambda row: (-row.checked_in, -(row.approved or 0), row.label),
    )
    in_by_category = _grouped(Delegate.category, conference.id, day)
    approved_by_category = _approved_by(Delegate.category, conference.id)
    categories = [Row(c.value, c.title, in_by_category.get(c.value, 0), approved_by_category.get(c.value, 0))
                  for c in Category if c.value in in_by_category or c.value in approved_by_category]
    gates = db.session.execute(
        select(CheckIn.gate, func.count(CheckIn.id)).where(CheckIn.conference_id == conference.id, CheckIn.day == day)
        .group_by(CheckIn.gate).order_by(func.count(CheckIn.id).desc(), CheckIn.gate)
    ).all()
    return {
        "checked_in": checked_in, "approved": approved,
        "percent": round(100 * checked_in / approved) if approved else 0,
        "countries": countries, "categories": categories,
        "gates": [Row(gate, gate, n) for gate, n in gates],
    }


def per_quarter_hour(conference: Conference, day: date) -> list[tuple[str, int]]:
    """Admissions per 15 minutes of local time, from the first quarter hour with one to the last."""
    times = db.session.scalars(select(CheckIn.at).where(CheckIn.conference_id == conference.id,
                                                        CheckIn.day == day)).all()
    if not times:
        return []
    local = sorted(moment.astimezone(conference.tz) for moment in times)
    first = local[0].replace(minute=local[0].minute - local[0].minute % BIN_MINUTES, second=0, microsecond=0)
    counts: dict[int, int] = {}
    for moment in local:
        index = int((moment - first).total_seconds() // (BIN_MINUTES * 60))
        counts[index] = counts.get(index, 0) + 1
    # At least two hours wide, so a handful of early scans do not make one fat column.
    slots = max(max(counts) + 1, 8)
    return [(f"{first + timedelta(minutes=BIN_MINUTES * index):%H:%M}", counts.get(index, 0))
            for index in range(slots)]


def latest_scans(conference: Conference, limit: int = 30) -> list[ScanLog]:
    """The most recent scans of the conference, whatever their verdict."""
    return list(db.session.scalars(
        ScanLog.of(conference)
        .options(joinedload(ScanLog.delegate), joinedload(ScanLog.staff), joinedload(ScanLog.device))
        .order_by(ScanLog.at.desc(), ScanLog.id.desc()).limit(limit)
    ).unique())


@dataclass(frozen=True)
class OfflineDuplicate:
    """A badge a door admitted while offline although it had already been admitted that day (found on sync)."""

    scan: ScanLog
    first: CheckIn | None


def offline_duplicates(conference: Conference, day: date) -> list[OfflineDuplicate]:
    """Offline admissions of `day` that the server, on sync, found to be second ones, newest first."""
    start = datetime.combine(day, time(0), conference.tz)
    scans = db.session.scalars(
        ScanLog.of(conference).where(ScanLog.offline_verdict == "ok",
                              ScanLog.reason == Verdict.ALREADY_CHECKED_IN,
                              ScanLog.scanned_at >= start, ScanLog.scanned_at < start + timedelta(days=1))
        .options(joinedload(ScanLog.delegate), joinedload(ScanLog.staff), joinedload(ScanLog.device))
        .order_by(ScanLog.scanned_at.desc(), ScanLog.id.desc())
    ).unique().all()
    delegate_ids = {scan.delegate_id for scan in scans}
    first = {checkin.delegate_id: checkin for checkin in db.session.scalars(
        select(CheckIn).where(CheckIn.day == day, CheckIn.delegate_id.in_(delegate_ids))
        .options(joinedload(CheckIn.staff), joinedload(CheckIn.device)))} if delegate_ids else {}
    return [OfflineDuplicate(scan, first.get(scan.delegate_id)) for scan in scans]


def checkins_header() -> list[str]:
    """Column titles of the check-in export, in the page language."""
    return [_("Day"), _("Time"), _("Gate"), _("Code"), _("Name"), _("Name in Latin letters"), _("Name in Arabic"),
            _("Country code"), _("Country"), _("Organization"), _("Category"), _("Status"), _("Admitted by")]


def checkin_rows(conference: Conference) -> Iterator[list]:
    """One row per admission of the conference, in time order, read in batches."""
    result = db.session.execute(
        CheckIn.of(conference)
        .options(joinedload(CheckIn.delegate), joinedload(CheckIn.staff), joinedload(CheckIn.device))
        .order_by(CheckIn.day, CheckIn.at, CheckIn.id).execution_options(yield_per=BATCH)
    )
    tz = conference.tz
    for checkin in result.scalars():
        person = checkin.delegate
        by = checkin.device.name if checkin.device else (checkin.staff.email if checkin.staff else "")
        yield [checkin.day.isoformat(), f"{checkin.at.astimezone(tz):%H:%M:%S}", checkin.gate, person.code,
               person.name, person.name_latin, person.name_ar, person.country, country_name(person.country),
               person.organization, person.category.title, person.status.title, by]
