"""Who a message goes to: an audience is a kind of people and criteria that all must hold (AND), kept as data.

Delegates start from the delegates table's own filters (registration.queries.delegate_query); the criteria only
this area knows are entries of DELEGATE_CRITERIA, each a function that narrows the delegates' SELECT: a new
criterion (an answer to an organizer's question) is one more entry there and one more field on the form.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, exists, func, select

from ..accounts.models import Membership, Role, User
from ..agenda.models import AgendaSession, Star
from ..checkin.models import CheckIn
from ..core.actions import ServiceError
from ..core.countries import country_name
from ..core.params import parse_date
from ..events.models import Conference
from ..extensions import db
from ..questions.models import Question, QuestionKind, QuestionTarget
from ..registration.models import Category, Delegate, DelegateStatus, Delegation
from ..registration.queries import DelegateFilters, answer_filters, delegate_query
from ..submissions.models import Proposal, ProposalSpeaker, ProposalStatus, ReviewAssignment

KINDS = {
    "delegates": _l("Delegates"),
    "speakers": _l("Speakers"),
    "reviewers": _l("Reviewers with unfinished reviews"),
    "starrers": _l("People who starred a session"),
    "team": _l("The team (organizers, reviewers, staff)"),
}
SPEAKER_STATES = {
    "accepted": (ProposalStatus.ACCEPTED, _l("accepted, not yet confirmed")),
    "confirmed": (ProposalStatus.CONFIRMED, _l("confirmed")),
    "rejected": (ProposalStatus.REJECTED, _l("not accepted")),
}
COMMON_PLACEHOLDERS = ("name", "first_name", "conference", "agenda_link", "my_link")
PLACEHOLDERS = {  # what each kind of recipient can fill in
    "delegates": COMMON_PLACEHOLDERS + ("code", "badge_link"),
    "speakers": COMMON_PLACEHOLDERS + ("proposal_title",),
    "reviewers": COMMON_PLACEHOLDERS,
    "starrers": COMMON_PLACEHOLDERS + ("session_title", "session_time"),
    "team": COMMON_PLACEHOLDERS,
}
ALL_PLACEHOLDERS = sorted({name for names in PLACEHOLDERS.values() for name in names})
PREVIEW_SIZE = 10


@dataclass(frozen=True)
class Audience:
    """A kind of recipients and its criteria; empty values filter nothing."""

    kind: str = "delegates"
    status: str = ""
    country: str = ""
    category: str = ""
    delegation: int | None = None
    head: bool = False  # heads of delegation only
    checked_in_on: date | None = None
    not_checked_in: bool = False
    proposal_state: str = ""
    session: int | None = None
    answers: tuple[tuple[int, str], ...] = ()  # the delegates table's answer filters: (question id, value)

    def as_data(self) -> dict:
        """JSON for the message row (only what is set)."""
        data = {name: value for name, value in self.__dict__.items() if value not in ("", None, False, ())}
        if self.checked_in_on:
            data["checked_in_on"] = self.checked_in_on.isoformat()
        if self.answers:
            data["answers"] = [f"{question}:{value}" for question, value in self.answers]
        return data

    @classmethod
    def from_data(cls, data: dict) -> Audience:
        """The audience stored by as_data()."""
        values = dict(data)
        if values.get("checked_in_on"):
            values["checked_in_on"] = parse_date(values["checked_in_on"])
        values["answers"] = answer_filters(values.get("answers") or [])
        return cls(**{key: value for key, value in values.items() if key in cls.__dataclass_fields__})


@dataclass
class Recipient:
    """One person a message goes to, with what the placeholders need."""

    email: str
    name: str
    locale: str
    code: str = ""
    proposal_title: str = ""
    session_title_en: str = ""
    session_title_ar: str = ""
    session_starts_at: datetime | None = None
    extra: dict = field(default_factory=dict)


def _head_of_delegation(query: Select, conference: Conference, value) -> Select:
    if not value:
        return query
    heads = select(Delegation.head_id).where(Delegation.conference_id == conference.id,
                                             Delegation.head_id.is_not(None))
    return query.where(Delegate.id.in_(heads))


def _checked_in_on(query: Select, conference: Conference, value) -> Select:
    if not value:
        return query
    return query.where(exists().where(CheckIn.delegate_id == Delegate.id, CheckIn.day == value))


def _not_checked_in(query: Select, conference: Conference, value) -> Select:
    if not value:
        return query
    return query.where(~exists().where(CheckIn.delegate_id == Delegate.id))


# Audience field -> narrowing of the delegates' SELECT (after delegate_query's own filters).
DELEGATE_CRITERIA: dict[str, Callable[[Select, Conference, object], Select]] = {
    "head": _head_of_delegation,
    "checked_in_on": _checked_in_on,
    "not_checked_in": _not_checked_in,
}


def check_audience(conference: Conference, audience: Audience) -> None:
    """Refuse criteria that are not this conference's or make no sense (ServiceError, nothing written)."""
    if audience.kind not in KINDS:
        raise ServiceError(_("Choose who the message is for."))
    if audience.status and audience.status not in {s.value for s in DelegateStatus}:
        raise ServiceError(_("Unknown registration status."))
    if audience.category and audience.category not in {c.value for c in Category}:
        raise ServiceError(_("Unknown category."))
    if audience.delegation and Delegation.get_for(conference, audience.delegation) is None:
        raise ServiceError(_("This delegation is not part of this conference."))
    if audience.session and AgendaSession.get_for(conference, audience.session) is None:
        raise ServiceError(_("This session is not part of this conference."))
    if audience.kind == "speakers" and audience.proposal_state not in SPEAKER_STATES:
        raise ServiceError(_("Choose the speakers' proposal state."))
    if audience.kind == "starrers" and not audience.session:
        raise ServiceError(_("Choose the session."))
    if audience.checked_in_on and not conference.start_date <= audience.checked_in_on <= conference.end_date:
        raise ServiceError(_("Choose a day of the conference."))
    for question_id, value in audience.answers:
        if _answer_label(conference, question_id, value) is None:
            raise ServiceError(_("This answer is not one of this conference's registration questions."))


ANSWERED_KINDS = (QuestionKind.CHOICE, QuestionKind.CHOICES, QuestionKind.YES_NO)


def answer_options(conference: Conference) -> list[tuple[str, str]]:
    """("<question id>:<value>", "question — answer") for every choice and yes/no of the registration questions."""
    options = []
    questions = db.session.scalars(Question.of(conference).where(
        Question.target == QuestionTarget.REGISTRATION, Question.kind.in_(ANSWERED_KINDS),
        Question.retired_at.is_(None)).order_by(Question.position, Question.id))
    for question in questions:
        for value, label in _values(question):
            options.append((f"{question.id}:{value}", f"{question.label} — {label}"))
    return options


def _values(question: Question) -> list[tuple[str, str]]:
    if question.kind == QuestionKind.YES_NO:
        return [("yes", _("Yes")), ("no", _("No"))]
    return [(str(choice.id), choice.label) for choice in question.active_choices]


def _answer_label(conference: Conference, question_id: int, value: str) -> str | None:
    """"question — answer" for a registration question of this conference and one of its values; else None."""
    question = Question.get_for(conference, question_id)
    if question is None or question.target != QuestionTarget.REGISTRATION or question.kind not in ANSWERED_KINDS:
        return None
    label = dict((key, text) for key, text in _values(question)).get(value)
    return f"{question.label} — {label}" if label else None


def _delegates(conference: Conference, audience: Audience) -> Select:
    filters = DelegateFilters(status=audience.status, country=audience.country, category=audience.category,
                              delegation=audience.delegation, answers=audience.answers)
    query = delegate_query(conference, filters, load_delegation=False)
    for name, narrow in DELEGATE_CRITERIA.items():
        query = narrow(query, conference, getattr(audience, name, None))
    return query.order_by(None).with_only_columns(
        Delegate.email, Delegate.name, Delegate.locale, Delegate.code).order_by(Delegate.id)


def _speakers(conference: Conference, audience: Audience) -> Select:
    state = SPEAKER_STATES[audience.proposal_state][0]
    return (select(ProposalSpeaker.email, func.coalesce(User.display_name, ProposalSpeaker.email),
                   func.coalesce(User.locale, ProposalSpeaker.locale), Proposal.title)
            .join(Proposal, Proposal.id == ProposalSpeaker.proposal_id)
            .outerjoin(User, User.id == ProposalSpeaker.user_id)
            .where(Proposal.conference_id == conference.id, Proposal.status == state)
            .order_by(Proposal.id, ProposalSpeaker.position, ProposalSpeaker.id))


def _reviewers(conference: Conference, audience: Audience) -> Select:
    unfinished = (select(ReviewAssignment.reviewer_id).join(Proposal, Proposal.id == ReviewAssignment.proposal_id)
                  .where(Proposal.conference_id == conference.id, ReviewAssignment.reviewed_at.is_(None),
                         Proposal.status == ProposalStatus.SUBMITTED))
    return (select(User.email, User.display_name, User.locale)
            .where(User.id.in_(unfinished), User.id.in_(
                select(Membership.user_id).where(Membership.conference_id == conference.id,
                                                 Membership.role == Role.REVIEWER)))
            .order_by(User.id))


def _starrers(conference: Conference, audience: Audience) -> Select:
    return (select(User.email, User.display_name, User.locale, AgendaSession.title_en, AgendaSession.title_ar,
                   AgendaSession.starts_at)
            .join(Star, Star.user_id == User.id)
            .join(AgendaSession, AgendaSession.id == Star.session_id)
            .where(Star.conference_id == conference.id, AgendaSession.conference_id == conference.id,
                   Star.session_id == audience.session)
            .order_by(User.id))


def _team(conference: Conference, audience: Audience) -> Select:
    return (select(User.email, User.display_name, User.locale)
            .where(User.id.in_(select(Membership.user_id).where(Membership.conference_id == conference.id)))
            .order_by(User.id))


def _recipient(kind: str, row) -> Recipient:
    email, name, locale, *rest = row
    person = Recipient(email=email, name=name or email, locale=locale if locale in ("en", "ar") else "en")
    if kind == "delegates":
        person.code = rest[0]
    elif kind == "speakers":
        person.proposal_title = rest[0]
    elif kind == "starrers":
        person.session_title_en, person.session_title_ar, person.session_starts_at = rest
    return person


QUERIES = {"delegates": _delegates, "speakers": _speakers, "reviewers": _reviewers, "starrers": _starrers,
           "team": _team}


def recipients(conference: Conference, audience: Audience) -> Iterator[Recipient]:
    """Every recipient of the audience once (the first row of an address wins), in a stable order."""
    seen: set[str] = set()
    kind = audience.kind
    for row in db.session.execute(QUERIES[kind](conference, audience)).yield_per(1000):
        key = row[0].strip().lower()
        if key and key not in seen:
            seen.add(key)
            yield _recipient(kind, row)


def count_recipients(conference: Conference, audience: Audience) -> int:
    """How many different addresses the audience reaches."""
    addresses = QUERIES[audience.kind](conference, audience).order_by(None).subquery()
    column = list(addresses.c)[0]
    return db.session.scalar(select(func.count(func.distinct(func.lower(column)))))


def first_recipients(conference: Conference, audience: Audience, limit: int = PREVIEW_SIZE) -> list[Recipient]:
    """The first recipients, for the compose page."""
    found = []
    for person in recipients(conference, audience):
        found.append(person)
        if len(found) == limit:
            break
    return found


def describe(conference: Conference, audience: Audience) -> str:
    """The audience in words, for the history."""
    parts = [str(KINDS[audience.kind])]
    if audience.kind == "speakers":
        parts.append(str(SPEAKER_STATES[audience.proposal_state][1]))
    if audience.kind == "starrers" and audience.session:
        session = AgendaSession.get_for(conference, audience.session)
        parts.append(session.title_en or session.title_ar if session else "")
    if audience.kind == "delegates":
        if audience.status:
            parts.append(DelegateStatus(audience.status).title)
        if audience.country:
            parts.append(country_name(audience.country) or audience.country)
        if audience.category:
            parts.append(Category(audience.category).title)
        if audience.delegation:
            delegation = Delegation.get_for(conference, audience.delegation)
            parts.append(delegation.name if delegation else "")
        if audience.head:
            parts.append(_("heads of delegation"))
        parts.extend(_answer_label(conference, question, value) or "" for question, value in audience.answers)
        if audience.checked_in_on:
            parts.append(_("checked in on %(day)s", day=audience.checked_in_on.isoformat()))
        if audience.not_checked_in:
            parts.append(_("not checked in"))
    return ", ".join(part for part in parts if part)[:500]
