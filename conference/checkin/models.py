"""Admissions at the door, the log of every scan, and the gate devices that may scan."""
from __future__ import annotations

import enum
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..agenda.models import AgendaSession
from ..core.scoping import ConferenceOwned
from ..events.models import Room
from ..extensions import db
from ..registration.models import Delegate
from ..types import UTCDateTime, string_enum, utcnow


class Verdict(str, enum.Enum):
    """The reason a scan gives (none for an admission), as in the check-in contract."""

    ALREADY_CHECKED_IN = "already_checked_in"
    INVALID = "invalid"
    REVOKED = "revoked"
    NOT_CONFIRMED = "not_confirmed"
    CANCELLED = "cancelled"
    OTHER_CONFERENCE = "other_conference"
    NOT_TODAY = "not_today"
    # At a room's door only: not admitted at the entrance that day (unless room-only scanning is allowed), and no
    # session running in the room or starting within a quarter of an hour.
    NOT_ADMITTED = "not_admitted"
    NO_SESSION = "no_session"

    @property
    def title(self) -> str:
        return str(VERDICT_TITLES[self])


VERDICT_TITLES = {
    Verdict.ALREADY_CHECKED_IN: _l("Already checked in"),
    Verdict.INVALID: _l("Unknown code"),
    Verdict.REVOKED: _l("Replaced badge"),
    Verdict.NOT_CONFIRMED: _l("Registration not confirmed"),
    Verdict.CANCELLED: _l("Registration cancelled"),
    Verdict.OTHER_CONFERENCE: _l("Badge of another conference"),
    Verdict.NOT_TODAY: _l("Not a conference day"),
    Verdict.NOT_ADMITTED: _l("Not admitted at the entrance today"),
    Verdict.NO_SESSION: _l("No session in this room now"),
}


class ScanStatus(str, enum.Enum):
    """What a line of the scan log records: an admission, a refusal, or an admission undone."""

    OK = "ok"
    ERROR = "error"
    UNDONE = "undone"

    @property
    def title(self) -> str:
        return str(SCAN_STATUS_TITLES[self])


SCAN_STATUS_TITLES = {
    ScanStatus.OK: _l("Admitted"),
    ScanStatus.ERROR: _l("Refused"),
    ScanStatus.UNDONE: _l("Admission undone"),
}


class Device(ConferenceOwned, db.Model):
    """A scanner at a gate that authenticates with a bearer token instead of a login."""

    __tablename__ = "checkin_devices"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("conferences.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(60))
    # Only the SHA-256 of the token is kept: a database leak does not hand out working tokens.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # A device bound to a room scans at that room's door (attendance of its sessions); None: the entrance.
    room_id: Mapped[int | None] = mapped_column(ForeignKey("rooms.id", ondelete="SET NULL"), index=True)

    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    room: Mapped[Room | None] = relationship()

    @property
    def active(self) -> bool:
        return self.revoked_at is None


class DoorToken(ConferenceOwned, db.Model):
    """A short-lived bearer token that the scanner page holds for its logged-in staff member.

    It is not ambient (a page must send it), so scans carrying it need no CSRF check, and every door scans the one
    way a device does. It holds only while what it was issued on holds: the staff member's session (its id changes
    when they log out or change their password), and the membership that let them work the door (the database
    deletes the token with it) or, for a site administrator, that flag.
    """

    __tablename__ = "checkin_door_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("conferences.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    membership_id: Mapped[int | None] = mapped_column(ForeignKey("memberships.id", ondelete="CASCADE"), index=True)
    # Only the SHA-256 of the token is kept, as for devices.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    session_id: Mapped[str] = mapped_column(String(100))  # User.get_id() when it was issued
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class CheckIn(ConferenceOwned, db.Model):
    """One admission of a delegate on one conference day; the database allows only one per day."""

    __tablename__ = "checkins"
    __table_args__ = (
        UniqueConstraint("delegate_id", "day"),
        Index("ix_checkins_conference_day", "conference_id", "day"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("conferences.id", ondelete="CASCADE"))
    delegate_id: Mapped[int] = mapped_column(ForeignKey("delegates.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    # When the badge was scanned: for a scan queued offline, the device's time of the scan.
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # When the server recorded it (later than `at` for an offline scan); door-list deltas follow this time.
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    gate: Mapped[str] = mapped_column(String(60), default="")
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    device_id: Mapped[int | None] = mapped_column(ForeignKey("checkin_devices.id", ondelete="SET NULL"))
    nonce: Mapped[str | None] = mapped_column(String(64))

    delegate: Mapped[Delegate] = relationship()
    staff: Mapped[User | None] = relationship()
    device: Mapped[Device | None] = relationship()


class ScanLog(ConferenceOwned, db.Model):
    """Every scan at the door, whatever its verdict, with the answer it got."""

    __tablename__ = "checkin_scans"
    __table_args__ = (
        # A retried request (same nonce) finds the first answer here; NULL nonces never collide.
        UniqueConstraint("conference_id", "nonce"),
        Index("ix_checkin_scans_conference_at", "conference_id", "at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("conferences.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)  # when the server received the scan
    # A scan queued while the network was down: the device's time of the scan, and the verdict it showed then.
    scanned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    offline_verdict: Mapped[str | None] = mapped_column(String(30))
    status: Mapped[ScanStatus] = mapped_column(string_enum(ScanStatus, "scan_status"))
    reason: Mapped[Verdict | None] = mapped_column(string_enum(Verdict, "scan_reason"))
    delegate_id: Mapped[int | None] = mapped_column(ForeignKey("delegates.id", ondelete="SET NULL"), index=True)
    checkin_id: Mapped[int | None] = mapped_column(ForeignKey("checkins.id", ondelete="SET NULL"), index=True)
    gate: Mapped[str] = mapped_column(String(60), default="")
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    device_id: Mapped[int | None] = mapped_column(ForeignKey("checkin_devices.id", ondelete="SET NULL"))
    raw: Mapped[str] = mapped_column(String(200), default="")
    nonce: Mapped[str | None] = mapped_column(String(64))
    answer: Mapped[str] = mapped_column(Text, default="")
    # A scan at a room's door: the room, and the session it recorded (None at the entrance).
    room_id: Mapped[int | None] = mapped_column(ForeignKey("rooms.id", ondelete="SET NULL"))
    session_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_sessions.id", ondelete="SET NULL"))

    delegate: Mapped[Delegate | None] = relationship()
    staff: Mapped[User | None] = relationship()
    device: Mapped[Device | None] = relationship()


class SessionAttendance(ConferenceOwned, db.Model):
    """A delegate recorded at a room's door during a session; the database allows one per delegate and session."""

    __tablename__ = "checkin_session_attendance"
    __table_args__ = (
        UniqueConstraint("delegate_id", "session_id"),
        Index("ix_checkin_session_attendance_conference_session", "conference_id", "session_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("conferences.id", ondelete="CASCADE"))
    delegate_id: Mapped[int] = mapped_column(ForeignKey("delegates.id", ondelete="CASCADE"), index=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("agenda_sessions.id", ondelete="CASCADE"))
    # The room it was recorded in: a session moved later keeps where its audience really sat.
    room_id: Mapped[int | None] = mapped_column(ForeignKey("rooms.id", ondelete="SET NULL"), index=True)
    # When the badge was scanned: for a scan queued offline, the device's time of the scan.
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    device_id: Mapped[int | None] = mapped_column(ForeignKey("checkin_devices.id", ondelete="SET NULL"))
    nonce: Mapped[str | None] = mapped_column(String(64))

    delegate: Mapped[Delegate] = relationship()
    session: Mapped[AgendaSession] = relationship()
    room: Mapped[Room | None] = relationship()
