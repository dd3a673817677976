"""Users and their roles per conference."""
from __future__ import annotations

import enum
import hashlib
from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, Integer, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.params import parse_id
from ..core.scoping import ConferenceOwned
from ..extensions import db
from ..types import UTCDateTime, string_enum, utcnow


class Role(str, enum.Enum):
    """What a user may do for one conference."""

    ORGANIZER = "organizer"
    REVIEWER = "reviewer"
    STAFF = "staff"

    @property
    def title(self) -> str:
        return str(ROLE_TITLES[self])


ROLE_TITLES = {Role.ORGANIZER: _l("Organizer"), Role.REVIEWER: _l("Reviewer"), Role.STAFF: _l("Door staff")}


class User(UserMixin, db.Model):
    """A person who can log in: delegate, speaker, organizer, reviewer or staff."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    display_name: Mapped[str] = mapped_column(String(200), default="")
    locale: Mapped[str] = mapped_column(String(5), default="en")
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Raised by logging out: every session and remember-me cookie issued before carries the old number.
    session_generation: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # When the owner proved they read mail at this address (a confirmation, reset or invitation link); None: not yet.
    email_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    memberships: Mapped[list[Membership]] = relationship(back_populates="user", cascade="all, delete-orphan")

    def get_id(self) -> str:
        """Session id: the user id, the session generation and a fingerprint of the password hash.

        The session and the remember-me cookie store this id, and a request is logged in only while it still
        matches (User.from_session_id): logging out raises the generation and changing the password
        changes the fingerprint, so every copy of an older cookie stops working on the server.
        """
        return self.session_id_of(self.id, self.session_generation, self.password_hash)

    @staticmethod
    def session_id_of(user_id: int, session_generation: int | None, password_hash: str) -> str:
        """get_id() of the user with these columns (for a query that reads them without loading the user)."""
        fingerprint = hashlib.sha256(password_hash.encode()).hexdigest()[:16]
        return f"{user_id}:{session_generation or 0}:{fingerprint}"

    @classmethod
    def from_session_id(cls, session_id: str) -> User | None:
        """The user a session id was made for, while it is still valid (same generation and password)."""
        number = parse_id(session_id.partition(":")[0])
        user = db.session.get(cls, number) if number else None
        return user if user is not None and user.get_id() == session_id else None

    @property
    def address_confirmed(self) -> bool:
        """True once the owner has proven that the e-mail address is theirs."""
        return self.email_verified_at is not None

    def roles_for(self, conference_id: int) -> set[Role]:
        """The roles this user holds for one conference."""
        return {m.role for m in self.memberships if m.conference_id == conference_id}


class Membership(ConferenceOwned, db.Model):
    """A role held by a user for one conference."""

    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("user_id", "conference_id", "role"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("conferences.id", ondelete="CASCADE"), index=True)
    role: Mapped[Role] = mapped_column(
        string_enum(Role, "role")
    )

    user: Mapped[User] = relationship(back_populates="memberships")


class TeamInvitation(ConferenceOwned, db.Model):
    """A role offered to an e-mail address; it takes effect when the address's owner accepts it."""

    __tablename__ = "team_invitations"
    __table_args__ = (
        CheckConstraint("email = lower(email)", name="invitation_email_lowercase"),
        # One open invitation per address and role: inviting again renews it instead of adding another.
        Index("uq_team_invitations_open", "conference_id", "email", "role", unique=True,
              sqlite_where=text("accepted_at IS NULL AND cancelled_at IS NULL"),
              postgresql_where=text("accepted_at IS NULL AND cancelled_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("conferences.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    role: Mapped[Role] = mapped_column(string_enum(Role, "invitation_role"))
    locale: Mapped[str] = mapped_column(String(5), default="en")
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    accepted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    invited_by: Mapped[User | None] = relationship(foreign_keys=[invited_by_id])

    @property
    def is_open(self) -> bool:
        """Neither accepted, cancelled nor expired: it can still be accepted."""
        return self.accepted_at is None and self.cancelled_at is None and self.expires_at > utcnow()
