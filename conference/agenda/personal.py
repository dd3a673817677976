"""The personal agenda: stars, overlaps among them, and the private calendar feed."""
from __future__ import annotations

import secrets
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from ..accounts.models import User
from ..events.models import Conference
from ..extensions import db
from .checks import AgendaError
from .models import AgendaFeed, Star
from .snapshot import PublishedSession
from .versions import Published


def starred_ids(conference: Conference, user) -> set[int]:
    """The session ids this person starred (empty for a visitor who is not logged in)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(db.session.scalars(select(Star.session_id).where(Star.conference_id == conference.id,
                                                                Star.user_id == user.id)))


def set_star(conference: Conference, user: User, agenda: Published | None, session_id: int, starred: bool) -> bool:
    """Star or unstar a session of the published agenda; returns whether it is starred now."""
    if agenda is None or session_id not in agenda.by_id:
        raise AgendaError(_l("This session is not on the published agenda."))
    existing = db.session.scalar(select(Star).where(Star.user_id == user.id, Star.session_id == session_id))
    if starred and existing is None:
        db.session.add(Star(conference_id=conference.id, user_id=user.id, session_id=session_id))
    elif not starred and existing is not None:
        db.session.delete(existing)
    db.session.flush()
    return starred


@dataclass(frozen=True)
class StarredSession:
    """A session of the personal agenda, with the other starred sessions it overlaps."""

    session: PublishedSession
    overlaps: list[PublishedSession]


def my_sessions(agenda: Published | None, ids: set[int]) -> list[StarredSession]:
    """The starred sessions of the published agenda, in time order, each with the starred ones it overlaps."""
    if agenda is None:
        return []
    chosen = sorted((s for s in agenda.sessions if s.id in ids), key=lambda s: (s.starts_at, s.id))
    rows = []
    for session in chosen:
        overlaps = [other for other in chosen if other is not session
                    and other.starts_at < session.ends_at and session.starts_at < other.ends_at]
        rows.append(StarredSession(session, overlaps))
    return rows


def feed_token(conference: Conference, user: User) -> str:
    """The person's feed token, made on first use."""
    feed = db.session.scalar(AgendaFeed.of(conference).where(
                                                      AgendaFeed.user_id == user.id))
    if feed is None:
        feed = AgendaFeed(conference_id=conference.id, user_id=user.id, token=secrets.token_urlsafe(32))
        db.session.add(feed)
        db.session.flush()
    return feed.token


def reset_feed(conference: Conference, user: User) -> str:
    """Replace the feed token: the old address stops working at once."""
    db.session.execute(delete(AgendaFeed).where(AgendaFeed.conference_id == conference.id,
                                                AgendaFeed.user_id == user.id))
    return feed_token(conference, user)


def feed_owner(conference: Conference, token: str) -> User | None:
    """The person whose feed has this token (None for an unknown or replaced one)."""
    if not token or len(token) > 64:
        return None
    feed = db.session.scalar(AgendaFeed.of(conference).where(
                                                      AgendaFeed.token == token))
    return db.session.get(User, feed.user_id) if feed else None
