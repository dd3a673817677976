"""Delegates' ratings of the sessions they attended: one per delegate and session, editable."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, SmallInteger, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..agenda.models import AgendaSession
from ..core.scoping import ConferenceOwned
from ..extensions import db
from ..registration.models import Delegate
from ..types import UTCDateTime, utcnow

MIN_RATING, MAX_RATING = 1, 5
MAX_COMMENT = 2000


class SessionFeedback(ConferenceOwned, db.Model):
    """A delegate's rating (1–5) of a session, with an optional comment; never public."""

    __tablename__ = "session_feedback"
    __table_args__ = (
        UniqueConstraint("delegate_id", "session_id"),
        CheckConstraint(f"rating BETWEEN {MIN_RATING} AND {MAX_RATING}", name="rating_one_to_five"),
        Index("ix_session_feedback_conference_session", "conference_id", "session_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("conferences.id", ondelete="CASCADE"))
    delegate_id: Mapped[int] = mapped_column(ForeignKey("delegates.id", ondelete="CASCADE"), index=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("agenda_sessions.id", ondelete="CASCADE"))
    rating: Mapped[int] = mapped_column(SmallInteger)
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    delegate: Mapped[Delegate] = relationship()
    session: Mapped[AgendaSession] = relationship()
