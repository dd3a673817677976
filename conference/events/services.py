"""Conferences: find, list, create and update."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from babel.lists import format_list
from flask import abort
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..core.actions import ServiceError
from ..core.signals import conference_saved, room_in_use, track_in_use
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
    if "allow_room_only_scanning" in data:  # rooms' doors record those not admitted at the entrance (form only)
        conference.allow_room_only_scanning = bool(data["allow_room_only_scanning"])
    if "changeover_minutes" in data:  # the agenda's change-over buffer (settings form only)
        conference.changeover_minutes = data["changeover_minutes"] or 0
    if "passport_retention_days" in data:  # days after the last day; None keeps them (registration.retention)
        conference.passport_retention_days = data["passport_retention_days"]
    if "contact_email" in data:  # the organizers' address, the Reply-To of their messages (settings form)
        conference.contact_email = data["contact_email"] or ""
    db.session.add(conference)
    db.session.flush()
    conference_saved.send(conference)  # e.g. a larger capacity lets the waiting list in
    return conference



ROOM_FIELDS = ("name_en", "name_ar", "capacity", "interpretation_booths", "opens_at", "closes_at")
TRACK_FIELDS = ("name_en", "name_ar", "colour")


def _refuse_taken_names(siblings: list, item, data: dict, message_en, message_ar) -> None:
    """Refuse a name (either language, any letter case) that another room or track of the conference has."""
    others = [other for other in siblings if other is not item]
    if any(other.name_en.casefold() == data["name_en"].casefold() for other in others):
        raise ConferenceError(message_en, "name_en")
    if data.get("name_ar") and any(other.name_ar == data["name_ar"] for other in others):
        raise ConferenceError(message_ar, "name_ar")


def _check_room(conference: Conference, room: Room | None, data: dict) -> None:
    _refuse_taken_names(conference.rooms, room, data, _l("This conference already has a room with this name."),
                        _l("This conference already has a room with this Arabic name."))
    if data.get("opens_at") and data.get("closes_at") and data["closes_at"] <= data["opens_at"]:
        raise ConferenceError(_l("The room must close after it opens."), "closes_at")


def add_room(conference: Conference, name_en: str, name_ar: str, capacity: int | None = None,
             **details) -> Room:
    """Add a room at the end of the conference's room list (details: booths and opening hours)."""
    _check_room(conference, None, {"name_en": name_en, "name_ar": name_ar, **details})
    room = Room(conference=conference, name_en=name_en, name_ar=name_ar, capacity=capacity,
                position=max((r.position for r in conference.rooms), default=-1) + 1, **details)
    db.session.add(room)
    return room


def update_room(room: Room, data: dict) -> Room:
    """Change a room's names, capacity, interpretation booths and opening hours."""
    _check_room(room.conference, room, data)
    for field in ROOM_FIELDS:
        setattr(room, field, data[field])
    db.session.flush()
    return room


def _in_order(items: list) -> list:
    return sorted(items, key=lambda other: (other.position, other.id or 0))


def _number(ordered: list) -> None:
    """Positions 0, 1, 2… in this order (this also mends duplicate positions left by older data)."""
    for position, other in enumerate(ordered):
        other.position = position


def _move(items: list, item, step: int) -> None:
    """Swap `item` with its neighbour `step` places away (-1 up, +1 down) and number the list again."""
    ordered = _in_order(items)
    index = ordered.index(item)
    target = index + step
    if 0 <= target < len(ordered):
        ordered[index], ordered[target] = ordered[target], ordered[index]
    _number(ordered)


def _remove(items: list, item) -> None:
    """Take `item` out of a conference's rooms or tracks (delete-orphan: its row goes at the flush), closing the gap."""
    items.remove(item)
    _number(_in_order(items))


def move_room(room: Room, step: int) -> None:
    """Move a room one place up (-1) or down (+1) in the display order; at either end nothing moves."""
    _move(room.conference.rooms, room, step)
    db.session.flush()


def _uses(signal, item) -> list[str]:
    """The sentences of the areas that still use `item` (their answers to `signal`)."""
    return [str(answer) for _receiver, answer in signal.send(item) if answer]


def delete_room(room: Room) -> None:
    """Delete a room that no session of the agenda's working copy uses."""
    uses = _uses(room_in_use, room)
    if uses:
        raise ConferenceError(_l("The room “%(name)s” is used by %(uses)s. Move them to another room first.",
                                 name=room.name_en, uses=format_list(uses, locale=get_locale())))
    _remove(room.conference.rooms, room)
    db.session.flush()


def _check_track(conference: Conference, track: Track | None, data: dict) -> None:
    _refuse_taken_names(conference.tracks, track, data, _l("This conference already has a track with this name."),
                        _l("This conference already has a track with this Arabic name."))


def add_track(conference: Conference, name_en: str, name_ar: str, colour: str = "#0b6e6e") -> Track:
    """Add a track at the end of the conference's track list."""
    _check_track(conference, None, {"name_en": name_en, "name_ar": name_ar})
    track = Track(conference=conference, name_en=name_en, name_ar=name_ar, colour=colour.lower(),
                  position=max((t.position for t in conference.tracks), default=-1) + 1)
    db.session.add(track)
    return track


def update_track(track: Track, data: dict) -> Track:
    """Change a track's names and colour."""
    _check_track(track.conference, track, data)
    for field in TRACK_FIELDS:
        setattr(track, field, data[field])
    track.colour = track.colour.lower()
    db.session.flush()
    return track


def move_track(track: Track, step: int) -> None:
    """Move a track one place up (-1) or down (+1) in the display order; at either end nothing moves."""
    _move(track.conference.tracks, track, step)
    db.session.flush()


def delete_track(track: Track) -> None:
    """Delete a track that no session of the agenda's working copy and no proposal uses."""
    uses = _uses(track_in_use, track)
    if uses:
        raise ConferenceError(_l("The track “%(name)s” is used by %(uses)s. Choose another track for them first.",
                                 name=track.name_en, uses=format_list(uses, locale=get_locale())))
    _remove(track.conference.tracks, track)
    db.session.flush()
