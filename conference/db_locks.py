"""Serialising writers on one conference, the same way on SQLite and PostgreSQL."""
from __future__ import annotations

from sqlalchemy import select, update

from .events.models import Conference
from .extensions import db


def lock_conference(conference_id: int) -> None:
    """Hold the conference's write lock until the transaction ends.

    PostgreSQL: a row lock. SQLite: a no-op write, which takes the database's write lock;
    it must come before any other write of the transaction so its snapshot is current.
    """
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(select(Conference.id).where(Conference.id == conference_id).with_for_update())
    else:
        # Written back unchanged, updated_at too: taking the lock is not an edit (public pages are named by it).
        db.session.execute(update(Conference).where(Conference.id == conference_id)
                           .values(id=Conference.id, updated_at=Conference.updated_at))
