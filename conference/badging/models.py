"""Badge tokens that were replaced by a reissue: kept so a scan says 'replaced', not 'unknown'."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.scoping import ConferenceOwned
from ..extensions import db
from ..registration.models import Delegate
from ..types import UTCDateTime, utcnow


class RevokedBadge(ConferenceOwned, db.Model):
    """A badge token that no longer admits anyone."""

    __owner__ = "delegate"

    __tablename__ = "revoked_badges"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token: Mapped[str] = mapped_column(String(39), unique=True)
    delegate_id: Mapped[int] = mapped_column(ForeignKey("delegates.id", ondelete="CASCADE"), index=True)
    issue: Mapped[int] = mapped_column(Integer)
    revoked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    delegate: Mapped[Delegate] = relationship()
