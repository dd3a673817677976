"""Conferences: find, list, create and update."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from blinker import Namespace
from flask import abort
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..core.actions import ServiceError
from ..extensions import db
from ..types import utcnow
from .models import Conference, Room, Track

CONFERENCE_FIELDS = (
    "slug", "name_en", "name_ar", "description_en", "description_ar", "venue_en", "venue_ar",
    "city_en", "city_ar", "country", "timezone", "start_date", "end_date", "capacity",
    "auto_approve", "agenda_published", "admit_only_on_conference_days",
)
# First path segments taken by site-wide pages; a conference cannot use them as its slug.
RESERVED_SLUGS = {"admin", "api", "login", "logout", "signup", "account", "healthz", "static", "manage"}
LOCAL_TIME_FIELDS = ("registration_opens_at", "registration_closes_at", "cfp_opens_at", "cfp_closes_at")


signals = Namespace()
# Sent with the conference as sender after it is created or changed: registration fills places that a larger
# capacity freed (registration builds on events, so events announces rather than calls).
conference_saved = signals.signal("conference-saved")


class ConferenceError(ServiceError):
    """A conference change that cannot be made, with a message for the user (the field it is about)."""

    def __init__(self, message, field: str = "") -> None:
        super().__init__(message)
        self.field = field


def get_conference(slug: str) -> Conference | None:
    """The conference with this slug, if any."""
    return db.session.scalar(select(Conference).where(Conference.slug == slug))


def get_conference_or_404(slug: str) -> Conference:
    """The conference with this slug, or a 404 page."""
    return get_conference(slug) or abort(404)


def list_conferences(now: datetime | None = None) -> list[Conference]:
    """Upcoming and current conferences first (soonest first), then past ones (latest first)."""
    now = now or utcnow()
    rows = db.session.scalars(select(Conference).order_by(Conference.start_date)).all()
    upcoming = [c for c in rows if not c.is_over(now)]
    finished = sorted((c for c in rows if c.is_over(now)), key=lambda c: c.start_date, reverse=True)
    return upcoming + finished


def to_utc(local: datetime | None, timezone: str) -> datetime | None:
    """A wall-clock time at the venue (as typed in a form) as an aware UTC moment."""
    if local is None:
        return None
    if local.tzinfo is not None:  # already a moment, not a wall-clock time
        return local
    return local.replace(tzinfo=ZoneInfo(timezone))


def to_local(moment: datetime | None, timezone: str) -> datetime | None:
    """An aware moment as a naive wall-clock time at the venue (to fill a form)."""
    if moment is None:
        return None
    return moment.astimezone(ZoneInfo(timezone)).replace(tzinfo=None)


def save_conference(conference: Conference | None, data: dict) -> Conference:
    """Create a conference (when `conference` is None) or update it from form data."""
    slug = data["slug"]
    if slug in RESERVED_SLUGS:
        raise ConferenceError(_l("This address is reserved by the site. Please choose another."), "slug")
    other = get_conference(slug)
    if other is not None and other is not conference:
        raise ConferenceError(_l("Another conference already uses this address."), "slug")
    conference = conference or Conference()
    for field in CONFERENCE_FIELDS:
        setattr(conference, field, data[field])
    for field in LOCAL_TIME_FIELDS:
        setattr(conference, field, to_utc(data.get(field), data["timezone"]))
    if "changeover_minutes" in data:  # the agenda's change-over buffer (settings form only)
        conference.changeover_minutes = data["changeover_minutes"] or 0
    db.session.add(conference)
    db.session.flush()
    conference_saved.send(conference)  # e.g. a larger capacity lets the waiting list in
    return conference


def add_room(conference: Conference, name_en: str, name_ar: str, capacity: int | None = None) -> Room:
    """Add a room at the end of the conference's room list."""
    room = Room(conference=conference, name_en=name_en, name_ar=name_ar, capacity=capacity,
                position=len(conference.rooms))
    db.session.add(room)
    return room


def add_track(conference: Conference, name_en: str, name_ar: str, colour: str = "#0b6e6e") -> Track:
    """Add a track at the end of the conference's track list."""
    track = Track(conference=conference, name_en=name_en, name_ar=name_ar, colour=colour,
                  position=len(conference.tracks))
    db.session.add(track)
    return track
