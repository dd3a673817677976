"""Gate devices (scanners that authenticate with a token), and finding who is scanning at a conference's door."""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..accounts.models import User
from ..events.models import Conference
from ..extensions import db
from ..types import utcnow
from . import queries
from .models import Device
from .services import MAX_GATE, CheckInError, SeenBadge, SoughtBadge


def hash_device_token(token: str) -> str:
    """The SHA-256 under which a device token is stored."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def issue_device_token(conference: Conference, name: str, actor: User | None) -> tuple[Device, str]:
    """A new gate device and its token, which is shown once and never stored in clear."""
    name = name.strip()[:MAX_GATE]
    if not name:
        raise CheckInError(_l("Please give the device a name."))
    token = secrets.token_urlsafe(32)
    device = Device(conference_id=conference.id, name=name, token_hash=hash_device_token(token),
                    created_by_id=actor.id if actor else None)
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


def _read_door(statements: dict, door_statement, values: dict, sought: SoughtBadge | None):
    """The door's row, with the sought badge's columns when there is one; and that badge as seen."""
    # On the session's connection: a Core statement needs none of the ORM's result handling.
    if sought is None:
        return db.session.connection().execute(door_statement, values).first(), None
    row = db.session.connection().execute(statements[sought.kind],
                                          dict(values, value=sought.value, day=sought.day)).first()
    return row, SeenBadge(sought, row) if row is not None else None


def door(slug: str, device_token: str | None = None, sought: SoughtBadge | None = None):
    """(conference or None, device or None, the sought badge as seen) of a bearer token's scan, in one query."""
    token_hash = hash_device_token(device_token) if device_token and len(device_token) <= 200 else ""
    row, seen = _read_door(queries.DEVICE_AND_BADGE, queries.CONFERENCE_AND_DEVICE,
                           {"slug": slug, "token_hash": token_hash}, sought)
    if row is None:
        return None, None, None
    row = row._mapping
    device = DoorDevice(*(row[column.key] for column in queries.DOOR_DEVICE)) if row["device_id"] else None
    return _door_conference(row), device, seen


@dataclass(frozen=True)
class DoorStaff:
    """The staff member of a scan: enough to check their session and to record the scan."""

    id: int
    session_id: str  # as User.get_id(): it changes when they log out or change their password


def door_for_user(slug: str, user_id: int | None, sought: SoughtBadge | None = None):
    """(conference or None, the session's user or None, whether they may work its door, the sought badge as seen),
    in one query."""
    row, seen = _read_door(queries.STAFF_AND_BADGE, queries.CONFERENCE_AND_STAFF,
                           {"slug": slug, "user_id": user_id}, sought)
    if row is None:
        return None, None, False, None
    row = row._mapping
    staff = None
    if row["user_id"] is not None:
        staff = DoorStaff(row["user_id"], User.session_id_of(row["user_id"], row["session_generation"],
                                                             row["password_hash"]))
    return _door_conference(row), staff, bool(row["may_scan"]), seen


def list_devices(conference: Conference) -> list[Device]:
    """The conference's devices, active first, newest first."""
    return list(db.session.scalars(
        select(Device).where(Device.conference_id == conference.id)
        .order_by(Device.revoked_at.is_not(None), Device.created_at.desc(), Device.id.desc())
    ))
