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
from .services import MAX_GATE, CheckInError


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


def _door_conference(row) -> DoorConference | None:
    return DoorConference(*(row[column.key] for column in queries.DOOR_CONFERENCE)) if row else None


def door(slug: str, device_token: str | None = None) -> tuple[DoorConference | None, DoorDevice | None]:
    """The conference of a scan and, for a bearer token, the device that owns it, in one query."""
    token_hash = hash_device_token(device_token) if device_token and len(device_token) <= 200 else ""
    # On the session's connection: a Core statement needs none of the ORM's result handling.
    row = db.session.connection().execute(queries.CONFERENCE_AND_DEVICE,
                                          {"slug": slug, "token_hash": token_hash}).mappings().first()
    if row is None:
        return None, None
    device = DoorDevice(*(row[column.key] for column in queries.DOOR_DEVICE)) if row["device_id"] else None
    return _door_conference(row), device


@dataclass(frozen=True)
class DoorStaff:
    """The staff member of a scan: enough to check their session and to record the scan."""

    id: int
    session_id: str  # as User.get_id(): it changes when they log out or change their password


def door_for_user(slug: str, user_id: int) -> tuple[DoorConference | None, DoorStaff | None, bool]:
    """The conference of a scan, the session's user and whether they may work its door, in one query."""
    row = db.session.connection().execute(queries.CONFERENCE_AND_STAFF,
                                          {"slug": slug, "user_id": user_id}).mappings().first()
    if row is None:
        return None, None, False
    staff = None
    if row["user_id"] is not None:
        staff = DoorStaff(row["user_id"], User.session_id_of(row["user_id"], row["session_generation"],
                                                             row["password_hash"]))
    return _door_conference(row), staff, bool(row["may_scan"])


def list_devices(conference: Conference) -> list[Device]:
    """The conference's devices, active first, newest first."""
    return list(db.session.scalars(
        select(Device).where(Device.conference_id == conference.id)
        .order_by(Device.revoked_at.is_not(None), Device.created_at.desc(), Device.id.desc())
    ))
