"""Delegate exports: the same columns for CSV and XLSX, read from the database in batches."""
from __future__ import annotations

from typing import Iterator

from flask_babel import gettext as _
from sqlalchemy import Select

from ..core.countries import country_name
from ..extensions import db
from ..registration.models import Category, Delegate, DelegateStatus

BATCH = 500


def delegate_header() -> list[str]:
    """Column titles in the page language."""
    return [_("Code"), _("Status"), _("Name"), _("Name in Latin letters"), _("Name in Arabic"), _("E-mail"),
            _("Country code"), _("Country"), _("Organization"), _("Job title"), _("Category"),
            _("Official delegation"), _("Dietary needs"), _("Accessibility needs"), _("Visa letter requested"),
            _("Registered at (UTC)")]


def delegate_rows(query: Select, delegations: dict[int, str], language: str) -> Iterator[list]:
    """One row per delegate; rows are fetched in batches and let go, so memory stays flat."""
    # Translated labels are looked up once per export, not once per row.
    labels = {**{s: s.title for s in DelegateStatus}, **{c: c.title for c in Category},
              True: _("Yes"), False: _("No")}
    result = db.session.execute(query.execution_options(yield_per=BATCH))
    for delegate in result.scalars():
        yield _row(delegate, delegations, labels, language)
        db.session.expunge(delegate)


def _row(delegate: Delegate, delegations: dict[int, str], labels: dict, language: str) -> list:
    return [
        delegate.code, labels[delegate.status], delegate.name, delegate.name_latin, delegate.name_ar, delegate.email,
        delegate.country, country_name(delegate.country, language), delegate.organization, delegate.job_title,
        labels[delegate.category], delegations.get(delegate.delegation_id, ""), delegate.diet,
        delegate.accessibility, labels[bool(delegate.visa_requested)], delegate.created_at.strftime("%Y-%m-%d %H:%M"),
    ]
