"""The outbox: every message the system sends, with its delivery state."""
from __future__ import annotations

import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..core.scoping import ConferenceOwned
from ..extensions import db
from ..types import UTCDateTime, string_enum, utcnow


class MailState(str, enum.Enum):
    """Where a message is on its way out."""

    DRAFT = "draft"  # written, waiting for an organizer to read and release it (decision letters)
    QUEUED = "queued"
    SENT = "sent"
    FAILED = "failed"

    @property
    def title(self) -> str:
        return str(MAIL_STATE_TITLES[self])


MAIL_STATE_TITLES = {MailState.DRAFT: _l("Draft"), MailState.QUEUED: _l("Queued"), MailState.SENT: _l("Sent"),
                     MailState.FAILED: _l("Failed")}


class OutboxMessage(ConferenceOwned, db.Model):
    """One e-mail, rendered and stored before any attempt to send it."""

    __tablename__ = "outbox_messages"
    # A message written to a group reaches each address once (NULLs, mail of other kinds, never collide).
    __table_args__ = (UniqueConstraint("message_id", "recipient"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conference_id: Mapped[int | None] = mapped_column(ForeignKey("conferences.id", ondelete="SET NULL"), index=True)
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    template: Mapped[str] = mapped_column(String(80))
    locale: Mapped[str] = mapped_column(String(5))
    state: Mapped[MailState] = mapped_column(
        string_enum(MailState, "mail_state", length=10),
        default=MailState.QUEUED, index=True,
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # a worker is sending it since then
    # The proposal a letter is about (decision letters: the speakers see a decision once its letter is released).
    # A plain key by table name: the outbox knows no area's models.
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("proposals.id", ondelete="SET NULL"), index=True)
    # The organizers' message (messages area) this mail is one recipient's copy of.
    message_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id", ondelete="CASCADE"), index=True)
