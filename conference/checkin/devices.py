"""Bearer tokens at the door (gate devices' and scanner pages' door tokens), and finding who is scanning."""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete

from ..accounts.access import has_role
from ..accounts.models import Role, User
from ..events.models import Conference, Room
from ..extensions import db
from ..types import utcnow
from . import queries
from .models import Device, DoorToken
from .services import MAX_GATE, CheckInError, SeenBadge, SoughtBadge

DOOR_ROLES = (Role.STAFF, Role.ORGANIZER)
"""The roles that may work a conference's door (site administrators may too, as everywhere: has_role)."""


def hash_device_token(token: str) -> str:
    """The SHA-256 under which a bearer token (a device's or a door token) is stored."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def issue_device_token(conference: Conference, name: str, actor: User | None,
                       room_id: int | None = None) -> tuple[Device, str]:
    """A new gate device and its token, which is shown once and never stored in clear; bound to a room of the
    conference (its scans record attendance there) or, without one, at the entrance."""
    name = name.strip()[:MAX_GATE]
    if not name:
        raise CheckInError(_l("Please give the device a name."))
    if room_id is not None and Room.get_for(conference, room_id) is None:
        raise CheckInError(_l("This room is not one of this conference's rooms."))
    token = secrets.token_urlsafe(32)
    device = Device(conference_id=conference.id, name=name, token_hash=hash_device_token(token),
                    created_by_id=actor.id if actor else None, room_id=room_id)
    db.session.add(device)
    db.session.flush()
    return device, token


def revoke_device(device: Device, actor: User | None) -> None:
    """Stop a device's token from scanning (kept for the log)."""
    if device.revoked_at is None:
        device.revoked_at = utcnow()
        device.revoked_by_id = actor.id if actor else None


@dataclass(frozen=True)
class DoorConference:
    """What a scan needs of its conference, read without the ORM (the scan path runs for every badge)."""

    id: int
    slug: str
    timezone: str
    start_date: date
    end_date: date
    admit_only_on_conference_days: bool
    allow_room_only_scanning: bool = False

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def local_date(self, moment: datetime) -> date:
        """The calendar date of `moment` at the venue (as Conference.local_date)."""
        return moment.astimezone(self.tz).date()


@dataclass(frozen=True)
class DoorDevice:
    """The gate device of a scan: enough to authenticate it and to record the scan."""

    id: int
    conference_id: int
    name: str
    revoked_at: datetime | None
    room_id: int | None = None  # a device bound to a room scans at that room's door


# Each conference's venue time zone as this process last read it: a live scan's badge is read with its door for the
# scan's day in that zone. Should the zone have changed meanwhile, check_in() judges another day and reads it again.
_venue_zones: dict[str, ZoneInfo] = {}


def venue_zone(slug: str) -> ZoneInfo:
    """The time zone of a conference's venue as last read here (UTC before the first scan)."""
    return _venue_zones.get(slug) or ZoneInfo("UTC")


def _door_conference(row) -> DoorConference | None:
    if row is None:
        return None
    conference = DoorConference(*(row[column.key] for column in queries.DOOR_CONFERENCE))
    _venue_zones[conference.slug] = conference.tz
    return conference


def _read_door(values: dict, sought: SoughtBadge | None):
    """The door's row, with the sought badge's columns when there is one; and that badge as seen."""
    # On the session's connection: a Core statement needs none of the ORM's result handling.
    if sought is None:
        return db.session.connection().execute(queries.CONFERENCE_AND_BEARER, values).first(), None
    row = db.session.connection().execute(queries.BEARER_AND_BADGE[sought.kind],
                                          dict(values, value=sought.value, day=sought.day)).first()
    return row, SeenBadge(sought, row) if row is not None else None


@dataclass(frozen=True)
class DoorStaff:
    """The staff member whose door token scans: enough to authenticate the token and to record the scan."""

    id: int
    conference_id: int
    active: bool  # unexpired, and their session and the grant it was issued on still hold


def _door_staff(row, now: datetime) -> DoorStaff:
    """The holder of a door token, as read by CONFERENCE_AND_BEARER."""
    session_now = User.session_id_of(row["token_user_id"], row["user_session_generation"], row["user_password_hash"])
    # A membership's grant ends with the membership (the database deletes the token); an administrator's with the flag.
    granted = row["token_membership_id"] is not None or bool(row["user_is_admin"])
    active = row["token_expires_at"] > now and row["token_session_id"] == session_now and granted
    return DoorStaff(row["token_user_id"], row["token_conference_id"], active)


def conference_and_holder(slug: str, bearer: str | None = None, sought: SoughtBadge | None = None):
    """(conference or None, the bearer token's holder or None, the sought badge as seen), in one query.

    The holder is a DoorDevice (a gate device's token) or a DoorStaff (a scanner page's door token).
    """
    token_hash = hash_device_token(bearer) if bearer and len(bearer) <= 200 else ""
    row, seen = _read_door({"slug": slug, "token_hash": token_hash}, sought)
    if row is None:
        return None, None, None
    row = row._mapping
    holder: DoorDevice | DoorStaff | None = None
    if row["device_id"] is not None:
        holder = DoorDevice(*(row[column.key] for column in queries.DOOR_DEVICE))
    elif row["token_user_id"] is not None:
        holder = _door_staff(row, utcnow())
    return _door_conference(row), holder, seen


def issue_door_token(conference: Conference, user: User) -> tuple[str, datetime]:
    """A new door token for a staff member's scanner page, bound to their session, and when it expires.

    Who may work the door is decided once, by has_role (DOOR_ROLES); the token records the grant it was issued on.
    """
    if not has_role(user, conference, *DOOR_ROLES):
        raise CheckInError(_l("You are not on this conference's door team."))
    membership = next((m for m in user.memberships if m.conference_id == conference.id and m.role in DOOR_ROLES),
                      None)
    now = utcnow()
    # Expired tokens are of no use to anyone: each issue clears them (an index on expires_at keeps this cheap).
    db.session.execute(delete(DoorToken).where(DoorToken.expires_at <= now))
    token = secrets.token_urlsafe(32)
    expires_at = now + timedelta(seconds=current_app.config["DOOR_TOKEN_LIFETIME"])
    db.session.add(DoorToken(conference_id=conference.id, user_id=user.id,
                             membership_id=membership.id if membership else None,
                             token_hash=hash_device_token(token), session_id=user.get_id(), expires_at=expires_at))
    db.session.flush()
    return token, expires_at


def list_devices(conference: Conference) -> list[Device]:
    """The conference's devices, active first, newest first."""
    return list(db.session.scalars(
        Device.of(conference)
        .order_by(Device.revoked_at.is_not(None), Device.created_at.desc(), Device.id.desc())
    ))
