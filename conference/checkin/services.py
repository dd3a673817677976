"""Check-in at the door: read a scanned code, judge it, admit once per day, log every scan."""
from __future__ import annotations

import functools
import hashlib
import json
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError

from ..accounts.models import User
from ..core.actions import ServiceError
from ..core.countries import country_name
from ..core.i18n import lang
from ..core.params import parse_moment
from ..events.models import Conference
from ..extensions import db
from ..registration.models import Category, DelegateStatus
from ..registration.workflow import record_event
from ..types import utcnow
from . import queries
from .codes import parse_code
from .models import CheckIn, ScanLog, ScanStatus, Verdict

MAX_RAW = 200  # characters of the scanned input kept in the log
MAX_GATE = 60
MAX_NONCE = 64
REFUSALS_WITH_DELEGATE = {Verdict.REVOKED, Verdict.NOT_CONFIRMED, Verdict.CANCELLED, Verdict.NOT_TODAY,
                          Verdict.ALREADY_CHECKED_IN, Verdict.NOT_ADMITTED, Verdict.NO_SESSION}

# A device's clock may run a little fast; a queued scan "from the future" beyond this is refused.
CLOCK_TOLERANCE = timedelta(minutes=2)
# A queue older than this is not replayed: the door list it was judged against is long gone.
OFFLINE_SCAN_MAX_AGE = timedelta(hours=24)
OFFLINE_VERDICTS = {"ok", *(verdict.value for verdict in Verdict)}


def execute(statement, **values):
    """Execute a prebuilt statement in the session's transaction."""
    return db.session.connection().execute(statement, values)


def live_scan_statements_commit_themselves() -> None:
    """PostgreSQL: run this request's statements in autocommit, before the first one; elsewhere nothing.

    A live scan writes once: the admission with its log line, or a log line, each a single statement
    (queries.ADMIT_AND_LOG), which commits when it runs, so the answer still follows a durable commit. Without the
    transaction's BEGIN and COMMIT a scan makes two round trips to the server fewer. Offline scans (an admission
    taken over by an earlier scan writes three statements) keep their transaction. A session already in a
    transaction (a test's, sharing its session with the request) keeps it.
    """
    if db.session.get_bind().dialect.name == "postgresql" and not db.session().in_transaction():
        db.session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})


class NonceReused(ValueError):
    """A client sent a nonce it already used for a different scan (a client bug, not a door event)."""


class CheckInError(ServiceError):
    """A check-in change that cannot be made, with a message for the organizer."""


class AlreadyUndone(CheckInError):
    """An admission undone twice (two organizers at once): what was asked is done already."""

    category = "info"


class _AdmissionKept(Exception):
    """An earlier admission than this offline scan was recorded meanwhile: the scan is a repeat."""


class ScanRefused(ValueError):
    """A scan the server will not judge (a queued scan's time is unusable), with a message for the door."""

    def __init__(self, message, reason: str = "scanned_at") -> None:
        super().__init__(message)
        self.reason = reason


class Scanner(Protocol):
    """Who scanned: a staff member or a device (the door's light DoorStaff/DoorDevice, or the ORM rows)."""

    id: int


class ConferenceDays(Protocol):
    """What judging a scan needs of a conference: a Conference, or the scan path's lighter DoorConference."""

    id: int
    start_date: date
    end_date: date
    admit_only_on_conference_days: bool

    def local_date(self, moment: datetime) -> date: ...


@dataclass(frozen=True)
class ScanResult:
    """The answer to one scan: the contract's JSON object and its text exactly as stored with the nonce."""

    answer: dict
    body: str
    replayed: bool = False

    @property
    def status(self) -> str:
        return self.answer["status"]

    @property
    def reason(self) -> str | None:
        return self.answer["reason"]

    @property
    def delegate(self) -> dict | None:
        return self.answer["delegate"]

    @classmethod
    def replay(cls, body: str) -> ScanResult:
        return cls(json.loads(body), body, replayed=True)


def storable(text: str, limit: int) -> str:
    """`text` cut to `limit`, without control characters or lone surrogates, which no database takes."""
    text = text[:limit].encode("utf-8", "replace").decode("utf-8")
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cc")


def _clean_nonce(nonce: str | None) -> str | None:
    """Short nonces as sent; a long one is hashed so two long nonces never collide by truncation."""
    if not nonce:
        return None
    nonce = storable(nonce, 4096)
    if not nonce:  # only control characters: no usable nonce, so no replay protection either
        return None
    if len(nonce) > MAX_NONCE:
        return hashlib.sha256(nonce.encode()).hexdigest()
    return nonce


@functools.lru_cache(maxsize=8)
def category_titles(language: str) -> dict[Category, str]:
    """Every category's title in `language`, translated once per process: translating on each scan took longer
    than the scan's queries."""
    with force_locale(language):
        return {category: category.title for category in Category}


def delegate_json(row, language: str | None = None) -> dict:
    language = language or lang()
    return {
        "name": row.name, "name_ar": row.name_ar, "name_latin": row.name_latin,
        "country": row.country, "country_name": country_name(row.country, language),
        "organization": row.organization, "category": row.category.value,
        "category_title": category_titles(language)[row.category], "category_colour": row.category.colour,
        "code": row.code,
    }


def _answer(reason: Verdict | None, row, at: datetime | None = None, first: datetime | None = None,
            gate: str | None = None, language: str | None = None) -> dict:
    """The contract's answer (plus the admission's gate and the category's title and colour)."""
    shown = row is not None and (reason is None or reason in REFUSALS_WITH_DELEGATE)
    return {
        "status": "ok" if reason is None else "error",
        "reason": reason.value if reason else None,
        "delegate": delegate_json(row, language) if shown else None,
        "checked_in_at": at.isoformat(timespec="seconds") if at else None,
        "first_checked_in_at": first.isoformat(timespec="seconds") if first else None,
        "gate": gate,
    }


def _stored_answer(conference_id: int, nonce: str | None, raw: str) -> str | None:
    """The first answer given to this nonce; a nonce reused for another code is refused, not replayed."""
    if not nonce:
        return None
    stored = execute(queries.STORED_ANSWER, conference_id=conference_id, nonce=nonce).first()
    if stored is None:
        return None
    if stored.raw != raw:
        raise NonceReused(nonce)
    return stored.answer


@dataclass(frozen=True)
class SoughtBadge:
    """A live scan's badge, to be read in the same query as the door (checkin.devices): one round trip fewer."""

    kind: str  # "token" or "code", as parse_code() gives them
    value: str
    day: date  # the day whose admission is read: the scan's day at the venue, as far as it is known then


@dataclass(frozen=True)
class SeenBadge:
    """A sought badge as the door's query read it: the delegate's columns (id None: no such badge) and the
    admission on `sought.day`, as BADGE_BY_TOKEN or BADGE_BY_CODE read them."""

    sought: SoughtBadge
    row: object


def sought_badge(data: dict | None, venue_tz: ZoneInfo, now: datetime | None = None) -> SoughtBadge | None:
    """The badge of a live scan's request body, to be read with the door; None when it has none to read."""
    code = data.get("code") if isinstance(data, dict) and data.get("scanned_at") is None else None
    parsed = parse_code(code) if isinstance(code, str) else None
    if parsed is None:
        return None
    return SoughtBadge(*parsed, day=(now or utcnow()).astimezone(venue_tz).date())


def _find_badge(conference_id: int, parsed: tuple[str, str], day: date, seen: SeenBadge | None = None):
    """(delegate row with the day's admission time and gate, or None; verdict when the badge is not valid).

    A badge already `seen` with the door is not read again, if it was read for this code and day.
    """
    kind, value = parsed
    if seen is not None and seen.sought == SoughtBadge(kind, value, day):
        row = seen.row if seen.row.id is not None else None
    elif kind == "token":
        row = execute(queries.BADGE_BY_TOKEN, day=day, value=value).first()
    else:
        # Human codes are numbered per conference, so a typed code can only name one of ours.
        row = execute(queries.BADGE_BY_CODE, day=day, conference_id=conference_id, value=value).first()
    if kind == "token":
        if row is None:
            row = execute(queries.BADGE_BY_REVOKED_TOKEN, value=value).first()
            if row is None:
                return None, Verdict.INVALID
            return row, Verdict.OTHER_CONFERENCE if row.conference_id != conference_id else Verdict.REVOKED
    elif row is None:
        return None, Verdict.INVALID
    if row.conference_id != conference_id:
        return row, Verdict.OTHER_CONFERENCE
    return row, None


def judge_scan(conference: ConferenceDays, status: DelegateStatus, admitted: bool, day: date) -> Verdict | None:
    """The verdict for a badge of this conference scanned on `day` (None: admit); reads and writes nothing."""
    if status == DelegateStatus.CANCELLED:
        return Verdict.CANCELLED
    if status != DelegateStatus.APPROVED:  # pending, waitlisted, rejected, and any status added later
        return Verdict.NOT_CONFIRMED
    if conference.admit_only_on_conference_days and not conference.start_date <= day <= conference.end_date:
        return Verdict.NOT_TODAY
    if admitted:
        return Verdict.ALREADY_CHECKED_IN
    return None


def scan_time(value: str | None, now: datetime | None = None) -> datetime | None:
    """The time of a scan queued offline, from ISO 8601 with a zone; None for a live scan; ScanRefused if unusable."""
    if value is None:
        return None
    now = now or utcnow()
    moment = parse_moment(value)
    if moment is None:
        raise ScanRefused(_l("The scan's time is not a date and time with a time zone."))
    if moment > now + CLOCK_TOLERANCE:
        raise ScanRefused(_l("The scan's time is in the future: check the scanner's clock."))
    if moment < now - OFFLINE_SCAN_MAX_AGE:
        raise ScanRefused(_l("The scan is more than 24 hours old and is no longer accepted."))
    return moment


def _log(conference_id: int, answer: dict, body: str, delegate_id: int | None, scan: dict,
         checkin_id: int | None = None) -> None:
    execute(queries.LOG_SCAN, conference_id=conference_id, status=ScanStatus(answer["status"]),
         reason=Verdict(answer["reason"]) if answer["reason"] else None, delegate_id=delegate_id,
         checkin_id=checkin_id, answer=body, **scan)


def _dump(answer: dict) -> str:
    return json.dumps(answer, ensure_ascii=False, separators=(",", ":"))


def _admit(conference_id: int, answer: dict, body: str, delegate_id: int, scan: dict, admitted_at: datetime,
           day: date) -> None:
    """Store the admission and its log line; IntegrityError when either collides."""
    if db.session.get_bind().dialect.name == "postgresql":
        execute(queries.ADMIT_AND_LOG, conference_id=conference_id, delegate_id=delegate_id, day=day,
             admitted_at=admitted_at, status=ScanStatus.OK, reason=None, answer=body, **scan)
        return
    # Elsewhere (SQLite is local, so a round trip is cheap) the log line is a second insert.
    checkin_id = execute(queries.ADMIT, conference_id=conference_id, delegate_id=delegate_id, day=day, at=admitted_at,
                      recorded_at=scan["at"], nonce=scan["nonce"],
                      **{name: scan[name] for name in queries.WHO}).inserted_primary_key[0]
    _log(conference_id, answer, body, delegate_id, scan, checkin_id)


def _take_over(conference_id: int, answer: dict, body: str, delegate_id: int, scan: dict, admitted_at: datetime,
               day: date) -> bool:
    """An offline scan earlier than the day's stored admission takes it over; False when it is not earlier."""
    checkin_id = execute(queries.TAKE_OVER_ADMISSION, admitted_delegate_id=delegate_id, admission_day=day,
                      earlier_at=admitted_at, now=scan["at"], scan_nonce=scan["nonce"], scan_gate=scan["gate"],
                      scan_staff_id=scan["staff_id"], scan_device_id=scan["device_id"]).scalar()
    if checkin_id is None:
        return False
    # The scan that held the admission was in fact the second one of the day.
    execute(queries.DISPLACED_SCANS, displaced_checkin_id=checkin_id, repeat_reason=Verdict.ALREADY_CHECKED_IN)
    _log(conference_id, answer, body, delegate_id, scan, checkin_id)
    return True


def check_in(conference: ConferenceDays, code: str, gate: str = "", nonce: str | None = None,
             staff: Scanner | None = None, device: Scanner | None = None, now: datetime | None = None,
             scanned_at: datetime | None = None, offline_verdict: str | None = None,
             language: str | None = None, seen: SeenBadge | None = None) -> ScanResult:
    """Judge one scan, admit when it is valid, log it, and commit; a repeated nonce gets the first answer.

    A scan queued offline carries its own time (`scanned_at`, checked by scan_time()): it decides the admission
    day, and of two admissions of one badge on one day the earlier scan keeps it. The answer's names are in
    `language` (default: the page's). A badge `seen` with the door is not read again.
    """
    now = now or utcnow()
    conference_id = conference.id
    raw = storable(code, MAX_RAW)
    nonce = _clean_nonce(nonce)
    gate = storable((gate or "").strip(), MAX_GATE) or (device.name if device else "")
    admitted_at = scanned_at or now
    scan = {"at": now, "scanned_at": scanned_at, "raw": raw, "nonce": nonce, "gate": gate,
            "offline_verdict": offline_verdict if offline_verdict in OFFLINE_VERDICTS else None,
            "staff_id": staff.id if staff else None, "device_id": device.id if device else None}
    # A retried nonce is not looked up first: its log line collides on the unique (conference, nonce),
    # and the first answer is read then. Every first scan saves a query.
    day = conference.local_date(admitted_at)
    parsed = parse_code(code)
    row, verdict = _find_badge(conference_id, parsed, day, seen) if parsed else (None, Verdict.INVALID)
    if verdict is None:
        verdict = judge_scan(conference, row.status, row.at is not None, day)
    first, first_gate = (row.at, row.gate) if verdict == Verdict.ALREADY_CHECKED_IN else (None, None)
    if verdict == Verdict.ALREADY_CHECKED_IN and scanned_at is not None and scanned_at < row.at:
        verdict = None  # an offline scan earlier than the stored admission: it takes the admission over below
    if verdict is None:
        answer = _answer(None, row, at=admitted_at, gate=gate, language=language)
        body = _dump(answer)
        try:
            if row.at is None:
                _admit(conference_id, answer, body, row.id, scan, admitted_at, day)
            elif not _take_over(conference_id, answer, body, row.id, scan, admitted_at, day):
                raise _AdmissionKept()
            db.session.commit()
            return ScanResult(answer, body)
        except (IntegrityError, _AdmissionKept):
            # Another scanner admitted them a moment ago, or this very request was retried. SQLite's
            # savepoints are unreliable under pysqlite, so the whole transaction goes and the scan is
            # logged in a new one.
            db.session.rollback()
            stored = _stored_answer(conference_id, nonce, raw)
            if stored is not None:
                return ScanResult.replay(stored)
            verdict = Verdict.ALREADY_CHECKED_IN
            _, first, first_gate = execute(queries.ADMISSION, delegate_id=row.id, day=day).first() or (None, None, None)

    answer = _answer(verdict, row, first=first, gate=first_gate, language=language)
    body = _dump(answer)
    try:
        # Someone of another conference is not recorded against this one (its organizers must not see them).
        ours = row is not None and row.conference_id == conference_id
        _log(conference_id, answer, body, row.id if ours else None, scan)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        stored = _stored_answer(conference_id, nonce, raw)
        if stored is None:
            raise
        return ScanResult.replay(stored)
    return ScanResult(answer, body)


def undo_check_in(checkin: CheckIn, actor: User, note: str = "") -> None:
    """Take back a wrong admission: audited on the delegate and in the scan log; they may be admitted again."""
    conference = db.session.get(Conference, checkin.conference_id)
    local = checkin.at.astimezone(conference.tz)
    admitted = f"{checkin.day.isoformat()} {local:%H:%M}" + (f" · {checkin.gate}" if checkin.gate else "")
    delegate, delegate_id, gate = checkin.delegate, checkin.delegate_id, checkin.gate
    # Delete first: of two organizers undoing the same admission at once, only one deletes a row and audits it.
    if db.session.execute(delete(CheckIn).where(CheckIn.id == checkin.id)).rowcount != 1:
        raise AlreadyUndone(_l("This admission had already been undone."))
    db.session.expunge(checkin)
    record_event(delegate, "checkin_undone", actor, f"{admitted}. {note}".strip(" ."))
    db.session.add(ScanLog(conference_id=conference.id, status=ScanStatus.UNDONE, reason=None,
                           delegate_id=delegate_id, gate=gate, staff_id=actor.id))
    db.session.flush()
