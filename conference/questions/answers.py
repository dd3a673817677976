"""Answers: which questions a form asks, reading and checking what was typed, storing it, showing it."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from flask_babel import format_date, format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select
from sqlalchemy.orm import selectinload

from ..core.countries import country_name, is_country
from ..core.i18n import lang
from ..core.params import parse_date, parse_id, parse_local_moment, parse_moment, parse_number
from ..core.text import forbidden_characters, normalize_text
from ..events.models import Conference
from ..extensions import db
from .models import LONG_TEXT_LENGTH, TEXT_LENGTH, Answer, Question, QuestionKind, QuestionTarget

NEEDED = _l("Please answer this question.")
FROM_LIST = _l("Please choose from the list.")


@dataclass
class Given:
    """One checked answer: the stored values (text kinds, numbers, dates, yes/no, country) or chosen choice ids."""

    question: Question
    values: list[str] = field(default_factory=list)
    choice_ids: list[int] = field(default_factory=list)

    @property
    def tokens(self) -> set[str]:
        """What a condition compares with: choice ids as text, or the stored value."""
        return {str(n) for n in self.choice_ids} | set(self.values)


def asked_questions(conference: Conference, target: QuestionTarget, category: str | None = None,
                    proposal_type_id: int | None = None) -> list[Question]:
    """The questions a form asks this person or proposal, in order (retired ones left out)."""
    rows = db.session.scalars(Question.of(conference).where(Question.target == target,
                                                            Question.retired_at.is_(None))
                              .options(selectinload(Question.choices)).order_by(Question.position, Question.id))
    asked = []
    for question in rows:
        if category is not None and question.category_list and category not in question.category_list:
            continue
        if proposal_type_id is not None and question.type_id_list and proposal_type_id not in question.type_id_list:
            continue
        asked.append(question)
    return asked


def condition_met(question: Question, given: dict[int, Given]) -> bool:
    """True when the question has no condition, or its condition's question was answered with one of its values."""
    if question.condition_question_id is None:
        return True
    answer = given.get(question.condition_question_id)
    return answer is not None and bool(answer.tokens & set(question.condition_list))


def read_answers(questions: list[Question], form, zone: ZoneInfo,
                 require: bool = True) -> tuple[dict[int, Given], dict[int, str]]:
    """The answers in a submitted form (fields q<id>), checked; an answer to a question not asked is dropped.

    Without `require`, a required question may stay empty: organizers correcting a registration made before the
    question existed are not made to answer for the delegate.
    """
    given: dict[int, Given] = {}
    errors: dict[int, str] = {}
    for question in questions:
        if not condition_met(question, given):
            continue
        raw = [value for value in form.getlist(f"q{question.id}") if isinstance(value, str)]
        try:
            answer = _read(question, raw, zone)
        except ValueError as error:
            errors[question.id] = str(error)
            continue
        if answer is None:
            if question.required and require:
                errors[question.id] = str(NEEDED)
            continue
        given[question.id] = answer
    return given, errors


def _read(question: Question, raw: list[str], zone: ZoneInfo) -> Given | None:
    """One question's answer, None when left empty; ValueError with the message to show."""
    kind = question.kind
    if kind == QuestionKind.CHOICES:
        ids = list(dict.fromkeys(parse_id(value) for value in raw if value))
        allowed = {choice.id for choice in question.active_choices}
        if not set(ids) <= allowed:
            raise ValueError(FROM_LIST)
        return Given(question, choice_ids=[n for n in ids if n]) if ids else None
    value = raw[0] if raw else ""
    if kind in (QuestionKind.TEXT, QuestionKind.LONG_TEXT):
        return _read_text(question, value)
    value = value.strip()
    if not value:
        return None
    if kind == QuestionKind.CHOICE:
        choice_id = parse_id(value)
        if choice_id not in {choice.id for choice in question.active_choices}:
            raise ValueError(FROM_LIST)
        return Given(question, choice_ids=[choice_id])
    return Given(question, values=[_read_value(question, value, zone)])


def _read_text(question: Question, value: str) -> Given | None:
    multiline = question.kind == QuestionKind.LONG_TEXT
    limit = LONG_TEXT_LENGTH if multiline else TEXT_LENGTH
    if len(value) > limit * 2:  # far too long to be worth cleaning
        raise ValueError(_l("Please write at most %(n)d characters.", n=limit))
    if forbidden_characters(value, multiline):
        raise ValueError(_l("This field contains invisible control characters. Please retype it."))
    text = normalize_text(value, multiline)
    if len(text) > limit:
        raise ValueError(_l("Please write at most %(n)d characters.", n=limit))
    return Given(question, values=[text]) if text else None


def _read_value(question: Question, value: str, zone: ZoneInfo) -> str:
    """The stored form of a number, date, date and time, yes/no or country answer."""
    kind = question.kind
    if kind == QuestionKind.NUMBER:
        number = parse_number(value)
        if number is None:
            raise ValueError(_l("Please give a number, such as 12 or 3.5."))
        if question.min_value is not None and number < question.min_value:
            raise ValueError(_l("Please give a number of at least %(n)s.", n=_number(question.min_value)))
        if question.max_value is not None and number > question.max_value:
            raise ValueError(_l("Please give a number of at most %(n)s.", n=_number(question.max_value)))
        return _number(number)
    if kind == QuestionKind.DATE:
        day = parse_date(value)
        if day is None:
            raise ValueError(_l("Please give a date such as 2027-05-23."))
        return day.isoformat()
    if kind == QuestionKind.DATETIME:
        moment = parse_local_moment(value, zone)
        if moment is None:
            raise ValueError(_l("Please give a date and a time."))
        return moment.isoformat()
    if kind == QuestionKind.YES_NO:
        if value not in ("yes", "no"):
            raise ValueError(FROM_LIST)
        return value
    if not is_country(value):  # QuestionKind.COUNTRY
        raise ValueError(_l("Please choose a country from the list."))
    return value.upper()


def _number(value) -> str:
    """A number without trailing zeros (3.50 -> 3.5, 12.0 -> 12)."""
    text = f"{value:f}" if not isinstance(value, float) else repr(value)
    return text.rstrip("0").rstrip(".") if "." in text else text


def save_answers(questions: list[Question], given: dict[int, Given], *, delegate_id: int | None = None,
                 proposal_id: int | None = None) -> None:
    """Replace the owner's answers to these questions with `given` (answers to other questions stay; given answers
    to a question not among them are dropped: only what the form asked is kept)."""
    owner = Answer.delegate_id == delegate_id if delegate_id is not None else Answer.proposal_id == proposal_id
    ids = [question.id for question in questions]
    if ids:
        db.session.execute(delete(Answer).where(owner, Answer.question_id.in_(ids)))
    for answer in (given[question_id] for question_id in ids if question_id in given):
        rows = ([{"choice_id": n} for n in answer.choice_ids] or [{"value": v} for v in answer.values])
        for row in rows:
            db.session.add(Answer(question_id=answer.question.id, delegate_id=delegate_id, proposal_id=proposal_id,
                                  value=row.get("value", ""), choice_id=row.get("choice_id")))
    db.session.flush()


def answers_for(*, delegate_ids: Iterable[int] = (), proposal_ids: Iterable[int] = ()) -> dict[int, dict[int, list]]:
    """Owner id -> question id -> its answer rows, for many delegates or proposals in one query."""
    delegate_ids, proposal_ids = list(delegate_ids), list(proposal_ids)
    column = Answer.delegate_id if delegate_ids else Answer.proposal_id
    ids = delegate_ids or proposal_ids
    found: dict[int, dict[int, list]] = defaultdict(lambda: defaultdict(list))
    if not ids:
        return found
    for answer in db.session.scalars(select(Answer).where(column.in_(ids)).order_by(Answer.id)):
        found[getattr(answer, column.key)][answer.question_id].append(answer)
    return found


def answer_values_for(delegate_ids: list[int]) -> dict[int, dict[int, list]]:
    """Delegate id -> question id -> (choice_id, value) rows, as plain rows (no objects kept), for exports."""
    found: dict[int, dict[int, list]] = defaultdict(lambda: defaultdict(list))
    if delegate_ids:
        rows = db.session.execute(select(Answer.delegate_id, Answer.question_id, Answer.choice_id, Answer.value)
                                  .where(Answer.delegate_id.in_(delegate_ids)).order_by(Answer.id))
        for row in rows:
            found[row.delegate_id][row.question_id].append(row)
    return found


def form_values(questions: list[Question], answers: dict[int, list[Answer]], zone: ZoneInfo) -> dict[str, list[str]]:
    """Stored answers as a form's values (q<id> -> values), to fill an edit form."""
    values: dict[str, list[str]] = {}
    for question in questions:
        rows = answers.get(question.id, [])
        if question.kind.has_choices:
            values[f"q{question.id}"] = [str(row.choice_id) for row in rows]
        elif rows and question.kind == QuestionKind.DATETIME:
            values[f"q{question.id}"] = [_moment(rows[0].value).astimezone(zone).strftime("%Y-%m-%dT%H:%M")]
        else:
            values[f"q{question.id}"] = [row.value for row in rows]
    return values


def answer_formatter(question: Question, language: str, zone: ZoneInfo,
                     for_page: bool = True) -> Callable[[list], str]:
    """A function that writes one question's answer rows as people read them, in `language` (choices by their
    label); its labels are looked up once, for exports that write many rows."""
    kind = question.kind
    if kind.has_choices:
        labels = {choice.id: choice.label_in(language) for choice in question.choices}
        return lambda rows: ", ".join(labels.get(row.choice_id, "") for row in rows)
    if kind == QuestionKind.YES_NO:
        words = {"yes": _("Yes"), "no": _("No")}
        return lambda rows: words.get(rows[0].value, "") if rows else ""
    if kind == QuestionKind.COUNTRY:
        return lambda rows: country_name(rows[0].value, language) if rows else ""
    if kind == QuestionKind.DATETIME:
        def moment(rows: list) -> str:
            if not rows:
                return ""
            local = _moment(rows[0].value).astimezone(zone)
            return format_datetime(local, "medium", rebase=False) if for_page else local.strftime("%Y-%m-%d %H:%M")

        return moment
    if kind == QuestionKind.DATE and for_page:
        return lambda rows: format_date(parse_date(rows[0].value), "long") if rows else ""
    return lambda rows: rows[0].value if rows else ""


def answer_text(question: Question, rows: list, language: str, zone: ZoneInfo, for_page: bool = True) -> str:
    """One answer as people read it, in `language`; '' when not answered."""
    return answer_formatter(question, language, zone, for_page)(rows)


def answered(conference: Conference, target: QuestionTarget, *, delegate_id: int | None = None,
             proposal_id: int | None = None, hide_about_speaker: bool = False) -> list[tuple[Question, str]]:
    """One owner's answers as (question, text in the page's language), in the form's order, retired ones too."""
    rows = (answers_for(delegate_ids=[delegate_id]) if delegate_id is not None
            else answers_for(proposal_ids=[proposal_id])).get(delegate_id or proposal_id, {})
    if not rows:
        return []
    questions = db.session.scalars(Question.of(conference).where(Question.target == target,
                                                                 Question.id.in_(list(rows)))
                                   .options(selectinload(Question.choices)).order_by(Question.position, Question.id))
    return [(question, answer_text(question, rows[question.id], lang(), conference.tz)) for question in questions
            if not (hide_about_speaker and question.about_speaker)]


def _moment(stored: str) -> datetime:
    """A stored date and time answer (ISO 8601 in UTC, written by _read_value)."""
    return parse_moment(stored) or datetime.min.replace(tzinfo=timezone.utc)
