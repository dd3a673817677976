"""What the venue screen shows: now, next and the rest of today per room, read from the published agenda only."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select

from ..events.models import Conference
from ..extensions import db
from .models import AgendaVersion
from .snapshot import PublishedRoom, PublishedSession
from .versions import Change, Published, compare

UNPUBLISHED, BEFORE, OPEN, ENDED = "unpublished", "before", "open", "ended"
# What a delegate in the lobby must notice: a session that is new, moved or gone since the first published programme
# (the printed one people carry). A new title alone does not send anyone to another room.
FLAGGED_CHANGES = ("added", "moved", "cancelled")


@dataclass
class RoomNow:
    """One room: what runs in it now and what starts in it next today."""

    room: PublishedRoom
    current: list[PublishedSession]
    following: PublishedSession | None


@dataclass
class Board:
    """Everything one screen shows at one instant."""

    state: str
    now: datetime
    today: date
    version: int | None = None
    rooms: list[RoomNow] = field(default_factory=list)
    remaining: list[PublishedSession] = field(default_factory=list)  # today's sessions not ended yet, in order
    cancelled: list[PublishedSession] = field(default_factory=list)  # today's, cancelled since the first publication
    changes: dict[str, Change] = field(default_factory=dict)  # flagged changes by session uid
    next_day: date | None = None  # when nothing is left today: the next day with sessions

    @property
    def later(self) -> list[PublishedSession]:
        """Today's remaining sessions that the rooms' now and next do not already show."""
        shown = {s.uid for r in self.rooms for s in r.current + ([r.following] if r.following else [])}
        return [s for s in self.remaining if s.uid not in shown]


_CHANGES: dict[tuple, dict[str, Change]] = {}  # per worker: versions never change, so neither does their comparison


def changes_since_first(conference: Conference, agenda: Published) -> dict[str, Change]:
    """Sessions added, moved or cancelled between the first published version and `agenda`, by uid."""
    first = db.session.execute(
        select(AgendaVersion.id, AgendaVersion.number, AgendaVersion.published_at)
        .where(AgendaVersion.conference_id == conference.id).order_by(AgendaVersion.number).limit(1)).first()
    if first is None or first.number == agenda.number:
        return {}
    key = (first.id, first.published_at, agenda.conference_id, agenda.number, agenda.published_at)
    found = _CHANGES.get(key)
    if found is None:
        if len(_CHANGES) >= 16:
            _CHANGES.clear()
        original = Published(AgendaVersion.get_for(conference, first.id))
        found = _CHANGES[key] = {change.session.uid: change
                                 for change in compare(original.snapshot, agenda.snapshot)
                                 if change.kind in FLAGGED_CHANGES}
    return found


def venue_board(conference: Conference, agenda: Published | None, now: datetime,
                room_id: int | None = None) -> Board:
    """The screen at instant `now`, for every room or for the room `room_id`."""
    today = conference.local_date(now)
    if agenda is None:
        return Board(UNPUBLISHED, now, today)
    sessions = [s for s in agenda.sessions if room_id is None or s.room_id == room_id]
    board = Board(OPEN, now, today, version=agenda.number)
    if today < conference.start_date:
        board.state = BEFORE
        return board
    last_end = max((s.ends_at for s in agenda.sessions), default=None)
    if today > conference.end_date or (today >= conference.end_date and (last_end is None or now >= last_end)):
        board.state = ENDED
        return board
    board.changes = changes_since_first(conference, agenda)
    todays = [s for s in sessions if conference.local_date(s.starts_at) == today]
    board.remaining = [s for s in todays if s.ends_at > now]
    for room in agenda.rooms:
        if room_id is not None and room.id != room_id:
            continue
        in_room = [s for s in todays if s.room_id == room.id]
        if not in_room and room_id is None:
            continue  # the lobby lists the rooms in use today; a door screen always shows its own room
        current = [s for s in in_room if s.starts_at <= now < s.ends_at]
        following = next((s for s in in_room if s.starts_at > now), None)
        board.rooms.append(RoomNow(room, current, following))
    board.cancelled = [change.session for change in board.changes.values() if change.kind == "cancelled"
                       and conference.local_date(change.session.starts_at) == today and change.session.ends_at > now
                       and (room_id is None or change.session.room_id == room_id)]
    if not board.remaining:
        board.next_day = min((conference.local_date(s.starts_at) for s in sessions
                              if conference.local_date(s.starts_at) > today), default=None)
    return board
