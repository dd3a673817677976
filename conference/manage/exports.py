"""Delegate exports: the same columns for CSV and XLSX, read from the database in batches, with one column per
question of the registration form (headed by its label, retired questions included)."""
from __future__ import annotations

from typing import Iterator, Sequence
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy import Select

from ..core.countries import country_name
from ..extensions import db
from ..questions.answers import answer_formatter, answer_values_for
from ..questions.models import Question
from ..registration.models import Category, Delegate, DelegateStatus

BATCH = 500


def delegate_header(questions: Sequence[Question] = (), language: str = "en") -> list[str]:
    """Column titles in the page language, then each question's label."""
    return [*_fixed_header(), *(question.label_in(language) for question in questions)]


def _fixed_header() -> list[str]:
    return [_("Code"), _("Status"), _("Name"), _("Name in Latin letters"), _("Name in Arabic"), _("E-mail"),
            _("Country code"), _("Country"), _("Organization"), _("Job title"), _("Category"),
            _("Official delegation"), _("Dietary needs"), _("Accessibility needs"), _("Visa letter requested"),
            _("Registered at (UTC)")]


def delegate_rows(query: Select, delegations: dict[int, str], language: str, questions: Sequence[Question] = (),
                  zone: ZoneInfo | None = None) -> Iterator[list]:
    """One row per delegate; rows are fetched in batches and let go, so memory stays flat. The answers of a batch
    are read in one query, so the number of queries grows with the batches, not the delegates."""
    # Translated labels are looked up once per export, not once per row.
    labels = {**{s: s.title for s in DelegateStatus}, **{c: c.title for c in Category},
              True: _("Yes"), False: _("No")}
    columns = [(question.id, answer_formatter(question, language, zone, for_page=False)) for question in questions]
    result = db.session.execute(query.execution_options(yield_per=BATCH))
    for batch in result.scalars().partitions():
        answers = answer_values_for([delegate.id for delegate in batch]) if questions else {}
        for delegate in batch:
            given = answers.get(delegate.id, {})
            yield [*_row(delegate, delegations, labels, language),
                   *(write(given.get(question_id, ())) for question_id, write in columns)]
            db.session.expunge(delegate)


def _row(delegate: Delegate, delegations: dict[int, str], labels: dict, language: str) -> list:
    return [
        delegate.code, labels[delegate.status], delegate.name, delegate.name_latin, delegate.name_ar, delegate.email,
        delegate.country, country_name(delegate.country, language), delegate.organization, delegate.job_title,
        labels[delegate.category], delegations.get(delegate.delegation_id, ""), delegate.diet,
        delegate.accessibility, labels[bool(delegate.visa_requested)], delegate.created_at.strftime("%Y-%m-%d %H:%M"),
    ]
