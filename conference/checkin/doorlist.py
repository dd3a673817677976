"""The door list: what a scanner needs to judge badges while the network is down, for one conference and day.

It holds a SHA-256 of each badge token (never the token), the person shown with a verdict, their status and
today's admission, and the hashes of replaced badges. Its version (the ETag) changes with every change that
matters; `since=` returns only what changed after an earlier list was built.
"""
from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta

from sqlalchemy import func, or_, select

from ..core.countries import country_name
from ..core.i18n import lang
from ..core.params import parse_moment
from ..events.models import Conference
from ..extensions import db
from ..types import utcnow
from . import queries
from .devices import DoorConference
from .models import ScanStatus

# A change committed by a transaction that began before the previous list was built carries an earlier time
# than that list; repeating a minute of changes in every delta makes sure none is missed.
DELTA_OVERLAP = timedelta(minutes=1)


def token_hash(token: str) -> str:
    """The SHA-256 of a badge token as the door list and the scanner page write it (hex)."""
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def parse_since(value: str | None) -> datetime | None:
    """The `since=` of a delta request (the `generated_at` of an earlier list), in UTC; ValueError when it is not
    a date and time with its zone in the years the system knows (parse_moment)."""
    if not value:
        return None
    moment = parse_moment(value)
    if moment is None:
        raise ValueError(value)
    return moment


def _day_counts(conference: Conference | DoorConference, day: date):
    """One row of numbers that together change whenever the day's door list does."""
    table, checkins, scans, revoked = queries.delegates, queries.checkins, queries.scans, queries.revoked
    ours = table.c.conference_id == conference.id
    todays = (checkins.c.conference_id == conference.id, checkins.c.day == day)
    replaced = revoked.c.delegate_id.in_(select(table.c.id).where(ours))
    return select(*(query.scalar_subquery() for query in (
        select(func.count()).where(ours), select(func.max(table.c.updated_at)).where(ours),
        select(func.count()).where(*todays), select(func.max(checkins.c.recorded_at)).where(*todays),
        select(func.max(scans.c.id)).where(scans.c.conference_id == conference.id,
                                           scans.c.status == ScanStatus.UNDONE),
        select(func.count()).where(replaced), select(func.max(revoked.c.revoked_at)).where(replaced),
    )))


def door_list_version(conference: Conference | DoorConference, now: datetime | None = None) -> str:
    """The list's ETag: changes when a registration, an admission of today, an undo or a replaced badge changes."""
    day = conference.local_date(now or utcnow())
    values = db.session.execute(_day_counts(conference, day)).one()
    # The list is written in the page's language (country and category names), so the language is part of it.
    fingerprint = "|".join(str(value) for value in (conference.id, day, lang(), *values))
    return hashlib.sha256(fingerprint.encode()).hexdigest()[:32]


def _entry(row) -> dict:
    return {
        "hash": token_hash(row.badge_token), "code": row.code, "name": row.name, "name_ar": row.name_ar,
        "name_latin": row.name_latin, "country": row.country, "country_name": country_name(row.country),
        "organization": row.organization, "category": row.category.value, "category_title": row.category.title,
        "category_colour": row.category.colour, "status": row.status.value,
        "admitted_at": row.at.isoformat(timespec="seconds") if row.at else None, "gate": row.gate,
    }


def door_list(
    conference: Conference | DoorConference, since: datetime | None = None, now: datetime | None = None
) -> dict:
    """Today's door list, whole, or only the entries that changed after `since` (on the same day)."""
    now = now or utcnow()
    day = conference.local_date(now)
    table, checkins, scans, revoked = queries.delegates, queries.checkins, queries.scans, queries.revoked
    full = since is None or conference.local_date(since) != day or since > now
    statement = (select(*queries.SHOWN, table.c.badge_token, checkins.c.at, checkins.c.gate)
                 .select_from(queries.DELEGATES_AND_ADMISSIONS)
                 .where(table.c.conference_id == conference.id).order_by(table.c.id))
    replaced = (select(revoked.c.token, table.c.code).join(table, table.c.id == revoked.c.delegate_id)
                .where(table.c.conference_id == conference.id).order_by(revoked.c.id))
    if not full:
        after = since - DELTA_OVERLAP
        statement = statement.where(or_(
            table.c.updated_at > after,
            table.c.id.in_(select(checkins.c.delegate_id).where(checkins.c.conference_id == conference.id,
                                                                checkins.c.day == day, checkins.c.recorded_at > after)),
            table.c.id.in_(select(scans.c.delegate_id).where(scans.c.conference_id == conference.id,
                                                             scans.c.status == ScanStatus.UNDONE, scans.c.at > after)),
            table.c.id.in_(select(revoked.c.delegate_id).where(revoked.c.revoked_at > after)),
        ))
        replaced = replaced.where(revoked.c.revoked_at > after)
    return {
        "conference": conference.slug, "day": day.isoformat(), "generated_at": now.isoformat(), "full": full,
        "admit_only_on_conference_days": conference.admit_only_on_conference_days,
        "allow_room_only_scanning": conference.allow_room_only_scanning,
        "first_day": conference.start_date.isoformat(), "last_day": conference.end_date.isoformat(),
        "delegates": [_entry(row) for row in db.session.execute(statement, {"day": day})],
        "revoked": [{"hash": token_hash(token), "code": code} for token, code in db.session.execute(replaced)],
    }
