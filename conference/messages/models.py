"""Messages organizers write to a group of people, sent one outbox message per recipient."""
from __future__ import annotations

import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..core.scoping import ConferenceOwned
from ..extensions import db
from ..types import UTCDateTime, string_enum, utcnow


class MessageState(str, enum.Enum):
    """Where a message is: waiting (now or at its time), being queued by a worker, queued whole, or cancelled."""

    WAITING = "waiting"
    QUEUING = "queuing"
    QUEUED = "queued"
    CANCELLED = "cancelled"

    @property
    def title(self) -> str:
        return str(MESSAGE_STATE_TITLES[self])


MESSAGE_STATE_TITLES = {MessageState.WAITING: _l("Waiting"), MessageState.QUEUING: _l("Being queued"),
                        MessageState.QUEUED: _l("Queued for delivery"), MessageState.CANCELLED: _l("Cancelled")}


class Message(ConferenceOwned, db.Model):
    """What an organizer wrote, to whom (the audience as data), and how far its sending got."""

    __tablename__ = "messages"
    # One message per compose form: a second submit of the same form (a double click) finds the first.
    __table_args__ = (UniqueConstraint("conference_id", "form_token"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("conferences.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    form_token: Mapped[str] = mapped_column(String(64))
    subject_en: Mapped[str] = mapped_column(String(200), default="")
    body_en: Mapped[str] = mapped_column(Text, default="")
    subject_ar: Mapped[str] = mapped_column(String(200), default="")
    body_ar: Mapped[str] = mapped_column(Text, default="")
    audience: Mapped[str] = mapped_column(Text, default="{}")  # JSON of messages.audiences.Audience.as_data()
    audience_label: Mapped[str] = mapped_column(String(500), default="")
    state: Mapped[MessageState] = mapped_column(string_enum(MessageState, "message_state", length=10),
                                                default=MessageState.WAITING, index=True)
    send_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # None: at once
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # a worker is queuing it since then
    queued_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # every recipient's mail is in the outbox
    recipients: Mapped[int] = mapped_column(Integer, default=0)  # counted when queuing finished

    author: Mapped[User | None] = relationship()
