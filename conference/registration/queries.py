"""Named queries over registrations that several areas share: the organizer's filtered delegate list.

Besides its columns, the list filters by answers to the organizers' questions: each `answer=<question id>:<value>`
in the query string (repeatable, all must hold) keeps the delegates whose answer to that question is the value: a
choice's id (one choice or several choices), `yes` or `no`, or a country code (e.g. `answer=12:34&answer=15:QA`).
A question or choice of another conference, or a value of the wrong shape, matches nobody.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import selectinload

from ..core.params import parse_id
from ..events.models import Conference
from ..extensions import db
from ..questions.models import Answer, Question
from .models import Category, Delegate, DelegateStatus

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
    answers: tuple[tuple[int, str], ...] = ()  # (question id, choice id / yes / no / country code)

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
            answers=answer_filters(args.getlist("answer") if hasattr(args, "getlist") else [args.get("answer")]),
        )

    def as_args(self) -> dict[str, str]:
        """The filters as query-string values (for links that keep them)."""
        args = {"q": self.q, "country": self.country, "status": self.status, "category": self.category,
                "delegation": str(self.delegation or ""), "not_printed": "1" if self.not_printed else "",
                "sort": self.sort, "dir": "desc" if self.descending else "asc"}
        args = {key: value for key, value in args.items() if value}
        if self.answers:
            args["answer"] = [f"{question}:{value}" for question, value in self.answers]  # url_for repeats it
        return args

    def answer_value(self, question_id: int) -> str:
        """The value this question's answer is filtered by ('' when it is not)."""
        return next((value for question, value in self.answers if question == question_id), "")


MAX_ANSWER_FILTERS = 20


def answer_filters(values: list) -> tuple[tuple[int, str], ...]:
    """The valid `answer=<question id>:<value>` filters, each question once, ignoring the rest."""
    found: dict[int, str] = {}
    for raw in values[:MAX_ANSWER_FILTERS * 2]:
        question, _colon, value = (raw or "").partition(":")
        question_id = parse_id(question)
        value = value.strip()
        if value not in ("yes", "no") and len(value) == 2 and value.isascii() and value.isalpha():
            value = value.upper()  # a country code
        elif value not in ("yes", "no") and not parse_id(value):
            continue
        if question_id:
            found.setdefault(question_id, value)
    return tuple(found.items())[:MAX_ANSWER_FILTERS]


def delegate_query(conference: Conference, filters: DelegateFilters, load_delegation: bool = True) -> Select:
    """Delegates of the conference matching the filters, sorted (with their delegation, for pages)."""
    query = Delegate.of(conference)
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
    for question_id, value in filters.answers:
        query = query.where(Delegate.id.in_(_answered(conference, question_id, value)))
    order = SORTS[filters.sort]
    return query.order_by(order.desc() if filters.descending else order.asc(), Delegate.id)


def _answered(conference: Conference, question_id: int, value: str) -> Select:
    """Ids of the conference's delegates who answered the question with the value (a choice id, yes/no, a country)."""
    query = (select(Answer.delegate_id).join(Question, Question.id == Answer.question_id)
             .where(Question.conference_id == conference.id, Answer.question_id == question_id,
                    Answer.delegate_id.is_not(None)))
    choice_id = parse_id(value)
    return query.where(Answer.choice_id == choice_id) if choice_id else query.where(Answer.value == value)


def countries_present(conference: Conference) -> list[str]:
    """ISO codes of the countries that have registrations, for the filter list."""
    return db.session.scalars(
        select(Delegate.country).where(Delegate.conference_id == conference.id).distinct()
    ).all()
