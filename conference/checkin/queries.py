"""The door's statements, built once on the tables and bound to values when they run.

The scan path runs for every badge at every door: these statements skip the ORM's per-request statement building
and object loading. Each has a name that says what it reads or writes; SQLAlchemy caches their compiled form.
"""
from __future__ import annotations

from sqlalchemy import Select, and_, bindparam, select

from ..accounts.models import User
from ..badging.models import RevokedBadge
from ..events.models import Conference
from ..registration.models import Delegate
from .models import CheckIn, Device, DoorToken, ScanLog, ScanStatus

delegates, checkins, scans, revoked = Delegate.__table__, CheckIn.__table__, ScanLog.__table__, RevokedBadge.__table__

SHOWN = [delegates.c[name] for name in ("id", "conference_id", "status", "name", "name_ar", "name_latin",
                                        "country", "organization", "category", "code")]

_ADMITTED_ON_DAY = and_(checkins.c.delegate_id == delegates.c.id, checkins.c.day == bindparam("day"))
_TOKEN_IS_VALUE = delegates.c.badge_token == bindparam("value")
_CODE_IS_VALUE = delegates.c.code == bindparam("value")

DELEGATES_AND_ADMISSIONS = delegates.outerjoin(checkins, _ADMITTED_ON_DAY)
"""Delegates joined to their admission on `day` (if any)."""

DELEGATE_WITH_ADMISSION = select(*SHOWN, checkins.c.at, checkins.c.gate).select_from(DELEGATES_AND_ADMISSIONS)
"""A delegate's shown columns with their admission on `day` (at and gate are NULL when not admitted)."""

BADGE_BY_TOKEN = DELEGATE_WITH_ADMISSION.where(_TOKEN_IS_VALUE)
"""The delegate whose current badge token is `value`, with the admission on `day`."""

BADGE_BY_CODE = DELEGATE_WITH_ADMISSION.where(delegates.c.conference_id == bindparam("conference_id"), _CODE_IS_VALUE)
"""The delegate of `conference_id` whose human code is `value`, with the admission on `day`."""

BADGE_BY_REVOKED_TOKEN = (select(*SHOWN).select_from(revoked.join(delegates, revoked.c.delegate_id == delegates.c.id))
                          .where(revoked.c.token == bindparam("value")))
"""The delegate whose replaced badge had token `value`."""

ADMISSION = select(checkins.c.id, checkins.c.at, checkins.c.gate).where(
    checkins.c.delegate_id == bindparam("delegate_id"), checkins.c.day == bindparam("day"))
"""A delegate's admission on `day`: id, scan time and gate."""

STORED_ANSWER = select(scans.c.answer, scans.c.raw).where(scans.c.conference_id == bindparam("conference_id"),
                                                          scans.c.nonce == bindparam("nonce"))
"""The first answer given to a nonce in a conference, and the code it answered."""

ADMIT = checkins.insert()
"""Store an admission."""

LOG_SCAN = scans.insert()
"""Store a line of the scan log."""

WHO = ("gate", "staff_id", "device_id")
LOGGED = ("conference_id", "at", "scanned_at", "offline_verdict", "status", "reason", "delegate_id", "raw", "nonce",
          "answer", *WHO)
# In the CTE the admission's time is the scan's own time ("admitted_at"); it was recorded at the log line's "at".
_ADMITTED = (
    checkins.insert()
    .values(
        {
            **{
                name: bindparam(name, type_=checkins.c[name].type)
                for name in ("conference_id", "delegate_id", "day", "nonce", *WHO)
            },
            "at": bindparam("admitted_at", type_=checkins.c.at.type),
            "recorded_at": bindparam("at", type_=checkins.c.recorded_at.type),
        }
    )
    .returning(checkins.c.id)
    .cte("admitted")
)
ADMIT_AND_LOG = scans.insert().from_select(
    [*LOGGED, "checkin_id"],
    select(*[bindparam(name, type_=scans.c[name].type) for name in LOGGED], _ADMITTED.c.id))
"""PostgreSQL: the admission and its log line in one round trip (the line takes the admission's id from a CTE).

If either insert breaks a unique constraint the statement fails as a whole, as the two inserts would."""

TAKE_OVER_ADMISSION = checkins.update().where(
    checkins.c.delegate_id == bindparam("admitted_delegate_id"), checkins.c.day == bindparam("admission_day"),
    checkins.c.at > bindparam("earlier_at")).values(
    at=bindparam("earlier_at"), recorded_at=bindparam("now"), nonce=bindparam("scan_nonce"),
    gate=bindparam("scan_gate"), staff_id=bindparam("scan_staff_id"), device_id=bindparam("scan_device_id"),
).returning(checkins.c.id)
"""Move an admission to an earlier scan of the same day (an offline scan synced late); no row when not earlier."""

DISPLACED_SCANS = scans.update().where(scans.c.checkin_id == bindparam("displaced_checkin_id")).values(
    checkin_id=None, status=ScanStatus.ERROR, reason=bindparam("repeat_reason"))
"""The log lines that held an admission now held by an earlier scan: recorded as the repeat they turned out to be."""

conferences, devices, door_tokens = Conference.__table__, Device.__table__, DoorToken.__table__
# Labelled: a door statement may also carry the scanned badge's delegate columns (SHOWN), whose names they share.
DOOR_CONFERENCE = [conferences.c[name].label(f"door_{name}") for name in (
    "id", "slug", "timezone", "start_date", "end_date", "admit_only_on_conference_days", "allow_room_only_scanning")]
DOOR_DEVICE = [devices.c[name].label(f"device_{name}") for name in (
    "id", "conference_id", "name", "revoked_at", "room_id")]
DOOR_TOKEN = [door_tokens.c[name].label(f"token_{name}") for name in (
    "conference_id", "user_id", "membership_id", "session_id", "expires_at")]
TOKEN_USER = [User.session_generation.label("user_session_generation"),
              User.password_hash.label("user_password_hash"), User.is_admin.label("user_is_admin")]

CONFERENCE_AND_BEARER = (
    select(*DOOR_CONFERENCE, *DOOR_DEVICE, *DOOR_TOKEN, *TOKEN_USER)
    .select_from(conferences
                 .outerjoin(devices, devices.c.token_hash == bindparam("token_hash"))
                 .outerjoin(door_tokens, door_tokens.c.token_hash == bindparam("token_hash"))
                 .outerjoin(User.__table__, User.id == door_tokens.c.user_id))
    .where(conferences.c.slug == bindparam("slug")))
"""The conference of a scan (the columns the door needs) and the holder of the bearer token whose hash is
`token_hash`: a gate device, or a door token with the columns of its staff member that make their session id."""

_SCANNED = {
    "token": _TOKEN_IS_VALUE,
    "code": and_(delegates.c.conference_id == conferences.c.id, _CODE_IS_VALUE),
}


def _with_badge(door: Select, kind: str) -> Select:
    """A door statement that also reads the scanned badge (as BADGE_BY_TOKEN or BADGE_BY_CODE): one round trip."""
    return (door.add_columns(*SHOWN, checkins.c.at, checkins.c.gate)
            .outerjoin(delegates, _SCANNED[kind])
            .outerjoin(checkins, _ADMITTED_ON_DAY))


BEARER_AND_BADGE = {kind: _with_badge(CONFERENCE_AND_BEARER, kind) for kind in _SCANNED}
"""CONFERENCE_AND_BEARER with the badge scanned (by "token" or by "code", `value`) and its admission on `day`;
the delegate's columns are NULL when there is no such badge."""
