"""At a room's door: a scan records attendance of the session running in the room (or starting within 15 minutes).

The same badges, verdicts, nonces, offline times and log as the entrance (services.check_in), with two more
verdicts: a delegate not admitted at the entrance that day is refused (unless the conference allows room-only
scanning), and a scan when nothing runs in the room records nothing. Leaving is not scanned.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from ..agenda.models import EVERYONE_KINDS, AgendaSession
from ..events.models import Room
from ..extensions import db
from ..types import utcnow
from .codes import parse_code
from .models import ScanLog, ScanStatus, SessionAttendance, Verdict
from .services import (
    MAX_GATE,
    MAX_RAW,
    OFFLINE_VERDICTS,
    ConferenceDays,
    Scanner,
    ScanRefused,
    ScanResult,
    _answer,
    _clean_nonce,
    _dump,
    _find_badge,
    _stored_answer,
    judge_scan,
    storable,
)

EARLY = timedelta(minutes=15)
"""A scan this long before a session starts records it (the audience comes in before the start)."""


def room_of(conference_id: int, room_id) -> Room:
    """The room `room_id` of the conference; ScanRefused for any other value (another conference's room too)."""
    room = None
    if isinstance(room_id, int) and not isinstance(room_id, bool) and 0 < room_id < 2**31:
        room = db.session.scalar(select(Room).where(Room.id == room_id, Room.conference_id == conference_id))
    if room is None:
        raise ScanRefused(_l("This room is not one of this conference's rooms."), "room")
    return room


def _running_filter(conference_id: int, at: datetime):
    return (AgendaSession.conference_id == conference_id, AgendaSession.starts_at <= at + EARLY,
            AgendaSession.ends_at > at)


def running_session(conference_id: int, room_id: int, at: datetime) -> AgendaSession | None:
    """The session running in the room at `at` or starting within EARLY, in the agenda's working copy.

    A session held in this room comes before one for everyone (which holds every room); of two, the one running
    comes before the one about to start.
    """
    sessions = db.session.scalars(
        select(AgendaSession).where(*_running_filter(conference_id, at), or_(
            AgendaSession.room_id == room_id, AgendaSession.for_everyone.is_(True),
            AgendaSession.kind.in_(EVERYONE_KINDS)))
    ).all()
    if not sessions:
        return None
    return min(sessions, key=lambda s: (s.room_id != room_id, s.starts_at > at, s.starts_at, s.id))


def _session_json(session: AgendaSession | None) -> dict | None:
    if session is None:
        return None
    return {"id": session.id, "title_en": session.title_en, "title_ar": session.title_ar}


def scan_in_room(conference: ConferenceDays, room_id, code: str, gate: str = "", nonce: str | None = None,
                 staff: Scanner | None = None, device: Scanner | None = None, now: datetime | None = None,
                 scanned_at: datetime | None = None, offline_verdict: str | None = None,
                 language: str | None = None) -> ScanResult:
    """Judge one scan at a room's door, record the attendance when it is valid, log it and commit.

    ScanRefused (nothing written) when `room_id` is not a room of this conference. A repeated nonce gets the first
    answer; an offline scan earlier than the recorded attendance moves it to the earlier time.
    """
    now = now or utcnow()
    room = room_of(conference.id, room_id)
    raw = storable(code, MAX_RAW)
    nonce = _clean_nonce(nonce)
    gate = storable((gate or "").strip(), MAX_GATE) or room.name_en[:MAX_GATE]
    at = scanned_at or now
    day = conference.local_date(at)
    parsed = parse_code(code)
    row, verdict = _find_badge(conference.id, parsed, day) if parsed else (None, Verdict.INVALID)
    if verdict is None:
        verdict = judge_scan(conference, row.status, False, day)
    if verdict is None and row.at is None and not conference.allow_room_only_scanning:
        verdict = Verdict.NOT_ADMITTED
    session = running_session(conference.id, room.id, at) if verdict is None else None
    if verdict is None and session is None:
        verdict = Verdict.NO_SESSION
    first = None
    if verdict is None:
        earlier = db.session.scalar(select(SessionAttendance).where(
            SessionAttendance.delegate_id == row.id, SessionAttendance.session_id == session.id))
        if earlier is not None:
            verdict, first = Verdict.ALREADY_CHECKED_IN, earlier.at
            if scanned_at is not None and scanned_at < earlier.at:  # an offline scan synced late: the earlier time
                earlier.at, earlier.recorded_at, first = scanned_at, now, scanned_at
    answer = _answer(verdict, row, at=at if verdict is None else None, first=first,
                     gate=gate if verdict is None else None, language=language)
    answer["room"] = room.id
    answer["session"] = _session_json(session)
    body = _dump(answer)
    ours = row is not None and row.conference_id == conference.id
    log = ScanLog(conference_id=conference.id, at=now, scanned_at=scanned_at, raw=raw, nonce=nonce, gate=gate,
                  offline_verdict=offline_verdict if offline_verdict in OFFLINE_VERDICTS else None,
                  status=ScanStatus.OK if verdict is None else ScanStatus.ERROR, reason=verdict,
                  delegate_id=row.id if ours else None, staff_id=staff.id if staff else None,
                  device_id=device.id if device else None, room_id=room.id,
                  session_id=session.id if session else None, answer=body)
    try:
        # The attendance first, then its log line: a live scan's statements may commit themselves one by one
        # (services.live_scan_statements_commit_themselves), and a second recording must fail before any log line.
        if verdict is None:
            db.session.add(SessionAttendance(conference_id=conference.id, delegate_id=row.id, session_id=session.id,
                                             room_id=room.id, at=at, recorded_at=now, nonce=nonce,
                                             staff_id=log.staff_id, device_id=log.device_id))
            db.session.flush()
        db.session.add(log)
        db.session.commit()
    except IntegrityError:
        # The same request retried (its nonce), or another door recorded them a moment ago.
        db.session.rollback()
        stored = _stored_answer(conference.id, nonce, raw)
        if stored is not None:
            return ScanResult.replay(stored)
        if verdict is not None:
            raise
        return scan_in_room(conference, room_id, code, gate, None, staff, device, now, scanned_at,
                            offline_verdict, language)
    return ScanResult(answer, body)
