"""Queries behind the organizer's pages: the dashboard's numbers and delegation lists."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..core.countries import country_name
from ..events.models import Conference
from ..extensions import db
from ..registration.models import Category, Delegate, DelegateStatus, Delegation


def delegation_names(conference: Conference, language: str) -> dict[int, str]:
    """Delegation id → name in `language`, for exports that must not load delegations row by row."""
    rows = db.session.execute(
        select(Delegation.id, Delegation.name, Delegation.name_ar).where(Delegation.conference_id == conference.id)
    ).all()
    return {id_: (name_ar if language == "ar" and name_ar else name) for id_, name, name_ar in rows}


def delegations_of(conference: Conference) -> list[Delegation]:
    """The conference's delegations, by country and name, with head and members loaded."""
    return db.session.scalars(
        Delegation.of(conference)
        .options(selectinload(Delegation.members), selectinload(Delegation.head))
        .order_by(Delegation.country, Delegation.name)
    ).all()


def _counts(conference: Conference, column) -> list[tuple]:
    return db.session.execute(
        select(column, func.count(Delegate.id)).where(Delegate.conference_id == conference.id).group_by(column)
    ).all()


@dataclass(frozen=True)
class Dashboard:
    """Numbers for the organizer's first page."""

    total: int
    by_status: dict[str, int]
    by_country: list[tuple[str, str, int]]  # code, localized name, count (largest first)
    by_category: list[tuple[Category, int]]
    per_day: list[tuple[date, int]]
    capacity: int | None


def dashboard(conference: Conference, language: str) -> Dashboard:
    """Registrations by status, country, category and day, in a fixed number of queries."""
    by_status = {status.value: 0 for status in DelegateStatus}
    by_status.update({status.value: n for status, n in _counts(conference, Delegate.status)})
    countries = [(code, country_name(code, language), n) for code, n in _counts(conference, Delegate.country)]
    countries.sort(key=lambda row: (-row[2], row[1]))
    categories = sorted(_counts(conference, Delegate.category), key=lambda row: -row[1])
    return Dashboard(
        total=sum(by_status.values()), by_status=by_status, by_country=countries,
        by_category=categories, per_day=registrations_per_day(conference), capacity=conference.capacity,
    )


def registrations_per_day(conference: Conference) -> list[tuple[date, int]]:
    """Registrations per calendar day at the venue, every day from the first to the last, gaps as 0."""
    # Days are counted in Python: "the date at the venue" differs in SQL between SQLite and PostgreSQL.
    stamps = db.session.scalars(
        select(Delegate.created_at).where(Delegate.conference_id == conference.id)
    )
    counts: dict[date, int] = {}
    for stamp in stamps:
        day = conference.local_date(stamp)
        counts[day] = counts.get(day, 0) + 1
    if not counts:
        return []
    first, last = min(counts), max(counts)
    return [(first + timedelta(days=n), counts.get(first + timedelta(days=n), 0))
            for n in range((last - first).days + 1)]
