"""The agenda's history: one row per change of the working copy and per publication, and the page that reads it.

The agenda services record their own changes (through record_change), so a hand edit, a proposal scheduled and
an item of the placement assistant accepted are audited alike; a refused change is rolled back with its row.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from ..accounts.models import User
from ..events.models import Conference
from ..extensions import db
from .models import AgendaChange, AgendaSession, ChangeAction

NOT_PLACED = "—"  # the summary's mark for "not on the grid"
RECENT = 5  # changes shown on the editor page


def where(conference: Conference, session: AgendaSession) -> str:
    """Where a session is, as the history keeps it: "2026-12-01 09:00–10:00, Main Hall", or a dash when unplaced.

    Plain text in no page's language (the history outlives the page that made it): ISO day, 24-hour local times
    and the room's name.
    """
    if session.starts_at is None or session.ends_at is None:
        return NOT_PLACED
    start, end = session.starts_at.astimezone(conference.tz), session.ends_at.astimezone(conference.tz)
    room = session.room
    name = (room.name_en or room.name_ar) if room is not None else ""
    return f"{start:%Y-%m-%d %H:%M}–{end:%H:%M}" + (f", {name}" if name else "")


def from_to(before: str, after: str) -> str:
    """The summary of a change of place: "before → after", or where it is when that did not change."""
    return after if before == after else f"{before} → {after}"


def record_change(conference: Conference, action: ChangeAction, session: AgendaSession | None, actor,
                  summary: str) -> AgendaChange:
    """Add one row to the history (committed or rolled back with the change itself)."""
    actor_id = getattr(actor, "id", None) if actor is not None and getattr(actor, "is_authenticated", True) else None
    row = AgendaChange(
        conference_id=conference.id, action=action, actor_id=actor_id, summary=summary[:500],
        session_id=session.id if session is not None and action != ChangeAction.DELETED else None,
        session_uid=session.uid if session is not None else None,
        session_title=((session.title_en or session.title_ar) if session is not None else "")[:250],
    )
    db.session.add(row)
    return row


@dataclass(frozen=True)
class Entry:
    """A history row as the page shows it: the row, who made it, and whether its session still exists."""

    change: AgendaChange
    actor: str
    session_exists: bool


def history_query(conference: Conference):
    """The conference's history, newest first (for db.paginate)."""
    return (AgendaChange.of(conference)
            .order_by(AgendaChange.at.desc(), AgendaChange.id.desc()))


def entries(conference: Conference, changes: list[AgendaChange]) -> list[Entry]:
    """The rows with their actors' names and which sessions still exist (two queries, whatever the number)."""
    actor_ids = {c.actor_id for c in changes if c.actor_id is not None}
    names = {user.id: user.display_name or user.email
             for user in db.session.scalars(select(User).where(User.id.in_(actor_ids)))} if actor_ids else {}
    session_ids = {c.session_id for c in changes if c.session_id is not None}
    alive = set(db.session.scalars(select(AgendaSession.id).where(
        AgendaSession.conference_id == conference.id, AgendaSession.id.in_(session_ids)))) if session_ids else set()
    return [Entry(c, names.get(c.actor_id, ""), c.session_id in alive) for c in changes]


def recent_changes(conference: Conference, limit: int = RECENT) -> list[Entry]:
    """The last few changes, for the editor page."""
    return entries(conference, list(db.session.scalars(history_query(conference).limit(limit))))
