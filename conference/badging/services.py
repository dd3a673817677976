"""Badges for delegates: records for the badges library, batches, printing marks, reissue."""
from __future__ import annotations

import dataclasses
from typing import BinaryIO, Callable, Iterator

from babel.dates import format_interval
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from sqlalchemy import Select, func, select, update

from badges import BadgeRecord, RenderResult, render_badges
from badges.text import is_arabic

from ..accounts.models import User
from ..core.actions import ServiceError
from ..core.countries import country_name
from ..db_locks import lock_conference
from ..events.models import Conference
from ..extensions import db
from ..registration.models import CATEGORY_TITLES, Category, Delegate, DelegateStatus
from ..registration.queries import DelegateFilters, delegate_query
from ..registration.services import new_badge_token
from ..registration.workflow import record_event
from ..types import utcnow
from .models import RevokedBadge

BATCH = 200


class BadgeError(ServiceError):
    """A badge that cannot be made, with a message for the organizer."""


def _bilingual(text: LazyString) -> tuple[str, str]:
    """A translatable text in English and in Arabic."""
    # Only a lazy text can still be translated here: a plain str (Category.title) is already in one language.
    if not isinstance(text, LazyString):
        raise TypeError("_bilingual needs a lazy_gettext text, not a translated string")
    with force_locale("en"):
        english = str(text)
    with force_locale("ar"):
        arabic = str(text)
    return english, arabic


@dataclasses.dataclass(frozen=True)
class BadgeContext:
    """What every badge of one conference shares, computed once per batch."""

    conference_en: str
    conference_ar: str
    dates: str
    categories: dict[Category, tuple[str, str]]


def badge_context(conference: Conference) -> BadgeContext:
    """Conference names, dates and category titles in both languages."""
    dates = format_interval(conference.start_date, conference.end_date, skeleton="yMMMd", locale="en")
    return BadgeContext(conference.name_en, conference.name_ar or conference.name_en, dates,
                        {category: _bilingual(CATEGORY_TITLES[category]) for category in Category})


def _name_other(delegate: Delegate) -> str:
    """The name in the other script: Latin letters under an Arabic name, Arabic under a Latin one."""
    written_in_arabic = any(is_arabic(ch) for ch in delegate.name)
    other = delegate.name_latin if written_in_arabic else delegate.name_ar
    return "" if other == delegate.name else other


def badge_record(delegate: Delegate, context: BadgeContext) -> BadgeRecord:
    """The plain data the badges library prints for one delegate."""
    category_en, category_ar = context.categories[delegate.category]
    return BadgeRecord(
        name=delegate.name, name_other=_name_other(delegate), name_latin=delegate.name_latin,
        organization=delegate.organization, country_en=country_name(delegate.country, "en"),
        country_ar=country_name(delegate.country, "ar"), category_en=category_en, category_ar=category_ar,
        category_color=delegate.category.colour, code=delegate.code, token=delegate.badge_token,
        conference_en=context.conference_en, conference_ar=context.conference_ar, dates=context.dates,
        reissue=delegate.badge_issue,
    )


def badge_query(conference: Conference, filters: DelegateFilters) -> Select:
    """Approved delegates matching the filters, in print order (country, then name)."""
    filters = dataclasses.replace(filters, status=DelegateStatus.APPROVED.value, sort="country", descending=False)
    query = delegate_query(conference, filters, load_delegation=False)
    return query.order_by(None).order_by(Delegate.country, Delegate.name, Delegate.id)


def count_badges(query: Select) -> int:
    """How many badges a query would print."""
    return db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))


def _records(query: Select, context: BadgeContext) -> Iterator[BadgeRecord]:
    for delegate in db.session.execute(query.execution_options(yield_per=BATCH)).scalars():
        yield badge_record(delegate, context)
        db.session.expunge(delegate)


def render_batch(conference: Conference, query: Select, layout: str, stream: BinaryIO,
                 on_progress: Callable[[int], None] | None = None) -> RenderResult:
    """Write the badges of every delegate in `query` to `stream`, page by page."""
    return render_badges(_records(query, badge_context(conference)), layout, stream, on_progress)


def render_one(delegate: Delegate, conference: Conference, layout: str, stream: BinaryIO) -> RenderResult:
    """One delegate's badge (an approved delegate only)."""
    if delegate.status != DelegateStatus.APPROVED:
        raise BadgeError(_l("Badges are printed for approved delegates only."))
    return render_badges([badge_record(delegate, badge_context(conference))], layout, stream)


def mark_printed(query: Select) -> int:
    """Record that the badges in `query` were printed now; returns how many."""
    ids = select(query.order_by(None).subquery().c.id)
    result = db.session.execute(update(Delegate).where(Delegate.id.in_(ids)).values(badge_printed_at=utcnow()))
    return result.rowcount


def reissue_badge(delegate: Delegate, actor: User | None) -> str:
    """Give the delegate a new badge token; the old one is kept as revoked. Returns the new token."""
    lock_conference(delegate.conference_id)  # two reissues at once would both revoke the same token
    db.session.refresh(delegate)
    if delegate.status != DelegateStatus.APPROVED:
        raise BadgeError(_l("Badges are printed for approved delegates only."))
    db.session.add(RevokedBadge(token=delegate.badge_token, delegate_id=delegate.id, issue=delegate.badge_issue,
                                revoked_by_id=actor.id if actor else None))
    delegate.badge_token = new_badge_token()
    delegate.badge_issue += 1
    delegate.badge_printed_at = None
    record_event(delegate, "badge_reissued", actor, str(delegate.badge_issue))
    return delegate.badge_token
