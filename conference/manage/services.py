"""Queries behind the organizer's pages: filtered delegate lists and the dashboard's numbers."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import selectinload

from ..core.countries import country_name
from ..core.params import parse_id
from ..events.models import Conference
from ..extensions import db
from ..registration.models import Category, Delegate, DelegateStatus, Delegation

SORTS = {
    "created": Delegate.created_at,
    "name": Delegate.name,
    "country": Delegate.country,
    "status": Delegate.status,
    "code": Delegate.code,
    "organization": Delegate.organization,
}


@dataclass(frozen=True)
class DelegateFilters:
    """What the organizer searches and filters by; empty values filter nothing."""

    q: str = ""
    country: str = ""
    status: str = ""
    category: str = ""
    delegation: int | None = None
    not_printed: bool = False
    sort: str = "created"
    descending: bool = True

    @classmethod
    def from_args(cls, args) -> DelegateFilters:
        """Read filters from a query string, ignoring values that are not valid."""
        delegation = args.get("delegation")
        sort = args.get("sort", "created")
        status = args.get("status", "")
        category = args.get("category", "")
        return cls(
            q=args.get("q", "").strip()[:200],
            country=args.get("country", "").upper()[:2],
            status=status if status in {s.value for s in DelegateStatus} else "",
            category=category if category in {c.value for c in Category} else "",
            delegation=parse_id(delegation),
            not_printed=args.get("not_printed") in {"1", "y", "on"},
            sort=sort if sort in SORTS else "created",
            descending=args.get("dir", "desc" if sort == "created" else "asc") == "desc",
        )

    def as_args(self) -> dict[str, str]:
        """The filters as query-string values (for links that keep them)."""
        args = {"q": self.q, "country": self.country, "status": self.status, "category": self.category,
                "delegation": str(self.delegation or ""), "not_printed": "1" if self.not_printed else "",
                "sort": self.sort, "dir": "desc" if self.descending else "asc"}
        return {key: value for key, value in args.items() if value}


def delegate_query(conference: Conference, filters: DelegateFilters, load_delegation: bool = True) -> Select:
    """Delegates of the conference matching the filters, sorted (with their delegation, for pages)."""
    query = select(Delegate).where(Delegate.conference_id == conference.id)
    if load_delegation:
        query = query.options(selectinload(Delegate.delegation), selectinload(Delegate.user))  # "address not confirmed"
    if filters.q:
        columns = (Delegate.name, Delegate.name_latin, Delegate.name_ar, Delegate.email, Delegate.organization,
                   Delegate.code)
        query = query.where(or_(*(column.icontains(filters.q, autoescape=True) for column in columns)))
    if filters.country:
        query = query.where(Delegate.country == filters.country)
    if filters.status:
        query = query.where(Delegate.status == DelegateStatus(filters.status))
    if filters.category:
        query = query.where(Delegate.category == Category(filters.category))
    if filters.delegation:
        query = query.where(Delegate.delegation_id == filters.delegation)
    if filters.not_printed:
        query = query.where(Delegate.badge_printed_at.is_(None))
    order = SORTS[filters.sort]
    return query.order_by(order.desc() if filters.descending else order.asc(), Delegate.id)


def delegation_names(conference: Conference, language: str) -> dict[int, str]:
    """Delegation id → name in `language`, for exports that must not load delegations row by row."""
    rows = db.session.execute(
        select(Delegation.id, Delegation.name, Delegation.name_ar).where(Delegation.conference_id == conference.id)
    ).all()
    return {id_: (name_ar if language == "ar" and name_ar else name) for id_, name, name_ar in rows}


def delegations_of(conference: Conference) -> list[Delegation]:
    """The conference's delegations, by country and name, with head and members loaded."""
    return db.session.scalars(
        select(Delegation).where(Delegation.conference_id == conference.id)
        .options(selectinload(Delegation.members), selectinload(Delegation.head))
        .order_by(Delegation.country, Delegation.name)
    ).all()


def countries_present(conference: Conference) -> list[str]:
    """ISO codes of the countries that have registrations, for the filter list."""
    return db.session.scalars(
        select(Delegate.country).where(Delegate.conference_id == conference.id).distinct()
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
