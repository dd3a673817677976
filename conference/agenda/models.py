"""The agenda: sessions (the organizers' working copy), the people on them, published versions, stars, feeds."""
from __future__ import annotations

import enum
import uuid
from datetime import date, datetime, time

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Time,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.scoping import ConferenceOwned
from ..events.models import Room, Track
from ..extensions import db
from ..registration.models import Delegate
from ..types import UTCDateTime, string_enum, utcnow


class SessionKind(str, enum.Enum):
    """What kind of programme item a session is."""

    PLENARY = "plenary"
    PANEL = "panel"
    WORKSHOP = "workshop"
    TALK = "talk"
    BREAK = "break"
    CEREMONY = "ceremony"

    @property
    def title(self) -> str:
        return str(KIND_TITLES[self])


KIND_TITLES = {
    SessionKind.PLENARY: _l("Plenary"),
    SessionKind.PANEL: _l("Panel"),
    SessionKind.WORKSHOP: _l("Workshop"),
    SessionKind.TALK: _l("Talk"),
    SessionKind.BREAK: _l("Break"),
    SessionKind.CEREMONY: _l("Ceremony"),
}

# Sessions for everyone by their kind (the DESIGN contract): they hold every room while they run.
EVERYONE_KINDS = (SessionKind.BREAK, SessionKind.CEREMONY)

# The language a session is held in; "both" means Arabic and English (one of them interpreted).
LANGUAGES = ("ar", "en", "both")
LANGUAGE_TITLES = {"ar": _l("Arabic"), "en": _l("English"), "both": _l("Arabic and English")}
# Interpretation offered into which language.
INTERPRETATION = ("", "ar", "en", "both")
INTERPRETATION_TITLES = {"": _l("No interpretation"), "ar": _l("Interpretation into Arabic"),
                         "en": _l("Interpretation into English"), "both": _l("Interpretation into Arabic and English")}

SPEAKER, MODERATOR = "speaker", "moderator"
ROLE_TITLES = {SPEAKER: _l("Speaker"), MODERATOR: _l("Moderator")}


def new_uid() -> str:
    """A session's stable identifier across versions: the iCal UID and the frab guid."""
    return str(uuid.uuid4())


class AgendaSession(ConferenceOwned, db.Model):
    """One programme item in the organizers' working copy; placed when it has a room and a time."""

    __tablename__ = "agenda_sessions"
    __table_args__ = (
        CheckConstraint("(starts_at IS NULL) = (ends_at IS NULL)", name="times_together"),
        CheckConstraint("ends_at IS NULL OR ends_at > starts_at", name="ends_after_start"),
        CheckConstraint("duration_minutes >= 5", name="duration_at_least_five"),
        CheckConstraint("language IN ('ar', 'en', 'both')", name="session_language"),
        CheckConstraint("interpretation IN ('', 'ar', 'en', 'both')", name="session_interpretation"),
        CheckConstraint("expected_audience IS NULL OR expected_audience >= 0", name="audience_positive"),
        Index("ix_agenda_sessions_conference_start", "conference_id", "starts_at"),
        # Ids are never reused (stars and published versions refer to them), also on SQLite.
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("conferences.id", ondelete="CASCADE"))
    uid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uid)
    title_en: Mapped[str] = mapped_column(String(250), default="")
    title_ar: Mapped[str] = mapped_column(String(250), default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    description_ar: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[SessionKind] = mapped_column(string_enum(SessionKind, "session_kind"), default=SessionKind.TALK)
    starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    duration_minutes: Mapped[int] = mapped_column(Integer, default=30)  # kept while unplaced
    # A room or track in use cannot be deleted: events asks first (core.signals), and the database refuses anyway.
    room_id: Mapped[int | None] = mapped_column(ForeignKey("rooms.id"), index=True)
    track_id: Mapped[int | None] = mapped_column(ForeignKey("tracks.id"), index=True)
    chair_id: Mapped[int | None] = mapped_column(ForeignKey("delegates.id", ondelete="SET NULL"), index=True)
    language: Mapped[str] = mapped_column(String(4), default="en")
    interpretation: Mapped[str] = mapped_column(String(4), default="")
    expected_audience: Mapped[int | None] = mapped_column(Integer)
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("proposals.id", ondelete="SET NULL"), unique=True)
    # Set by the organizer: the placement assistant never moves a pinned session.
    pinned: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Set by the organizer: a session for everyone (a keynote plenary) holds every room while it runs, as breaks
    # and ceremonies always do (EVERYONE_KINDS).
    for_everyone: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    room: Mapped[Room | None] = relationship()
    track: Mapped[Track | None] = relationship()
    chair: Mapped[Delegate | None] = relationship()
    people: Mapped[list[SessionPerson]] = relationship(back_populates="session", order_by="SessionPerson.position",
                                                       cascade="all, delete-orphan")

    @property
    def placed(self) -> bool:
        """True when the session has a room and a time."""
        return self.starts_at is not None and self.room_id is not None

    @property
    def kind_title(self) -> str:
        return self.kind.title

    @property
    def holds_every_room(self) -> bool:
        """True for a session everyone attends: no other session may run beside it."""
        return self.for_everyone or self.kind in EVERYONE_KINDS

    def people_in(self, role: str) -> list[Delegate]:
        """The delegates holding `role` on this session, in order."""
        return [person.delegate for person in self.people if person.role == role]


class SessionPerson(ConferenceOwned, db.Model):
    """A delegate speaking on or moderating a session."""

    __owner__ = "session"

    __tablename__ = "agenda_session_people"
    __table_args__ = (
        UniqueConstraint("session_id", "delegate_id"),
        CheckConstraint("role IN ('speaker', 'moderator')", name="session_person_role"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("agenda_sessions.id", ondelete="CASCADE"), index=True)
    delegate_id: Mapped[int] = mapped_column(ForeignKey("delegates.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(10), default=SPEAKER)
    position: Mapped[int] = mapped_column(Integer, default=0)

    session: Mapped[AgendaSession] = relationship(back_populates="people")
    delegate: Mapped[Delegate] = relationship()


class AgendaVersion(ConferenceOwned, db.Model):
    """A published agenda: a numbered, frozen snapshot that public pages and exports serve."""

    __tablename__ = "agenda_versions"
    __table_args__ = (UniqueConstraint("conference_id", "number"),
                      CheckConstraint("number >= 1", name="version_number_positive"),
                      CheckConstraint("content_schema >= 1", name="content_schema_positive"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("conferences.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(String(500), default="")
    content: Mapped[str] = mapped_column(Text)  # JSON: the snapshot (see snapshot.py)
    # The shape `content` was written in (snapshot.SCHEMA then); versions from before the number are schema 1.
    content_schema: Mapped[int] = mapped_column(Integer, server_default=text("1"))


class Star(ConferenceOwned, db.Model):
    """A session a person keeps in their personal agenda (by session id, so it outlives versions)."""

    __tablename__ = "agenda_stars"
    __table_args__ = (UniqueConstraint("user_id", "session_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("conferences.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # No foreign key: a session removed from the working copy stays starred until its cancellation is published.
    session_id: Mapped[int] = mapped_column(Integer, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AgendaFeed(ConferenceOwned, db.Model):
    """The secret address of a person's personal calendar feed (calendar apps cannot log in)."""

    __tablename__ = "agenda_feeds"
    __table_args__ = (UniqueConstraint("conference_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("conferences.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ChangeAction(str, enum.Enum):
    """What an organizer (or the assistant, or publishing) did to the working copy."""

    CREATED = "created"
    EDITED = "edited"
    PLACED = "placed"
    MOVED = "moved"
    UNPLACED = "unplaced"
    DELETED = "deleted"
    SCHEDULED = "scheduled"  # a session made from a confirmed proposal
    ASSISTANT = "assistant"  # placed or moved by accepting the placement assistant's proposal
    PUBLISHED = "published"

    @property
    def title(self) -> str:
        return str(ACTION_TITLES[self])


ACTION_TITLES = {
    ChangeAction.CREATED: _l("Added"),
    ChangeAction.EDITED: _l("Edited"),
    ChangeAction.PLACED: _l("Placed on the grid"),
    ChangeAction.MOVED: _l("Moved"),
    ChangeAction.UNPLACED: _l("Taken off the grid"),
    ChangeAction.DELETED: _l("Deleted"),
    ChangeAction.SCHEDULED: _l("Scheduled from a proposal"),
    ChangeAction.ASSISTANT: _l("Placed by the assistant"),
    ChangeAction.PUBLISHED: _l("Published"),
}


class AgendaChange(ConferenceOwned, db.Model):
    """One change to the agenda's working copy, or a publication: who, when, what, from where to where.

    The session's uid and title are copied, so the entry still says what it was about once the session is gone.
    """

    __tablename__ = "agenda_changes"
    __table_args__ = (Index("ix_agenda_changes_conference_at", "conference_id", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("conferences.id", ondelete="CASCADE"))
    session_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_sessions.id", ondelete="SET NULL"), index=True)
    session_uid: Mapped[str | None] = mapped_column(String(36))
    session_title: Mapped[str] = mapped_column(String(250), default="")
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    action: Mapped[ChangeAction] = mapped_column(string_enum(ChangeAction, "agenda_change_action"))
    summary: Mapped[str] = mapped_column(String(500), default="")


class ProgrammeDay(ConferenceOwned, db.Model):
    """The hours of one conference day's programme, set by organizers (unset: from its sessions for everyone)."""

    __tablename__ = "agenda_programme_days"
    __table_args__ = (
        UniqueConstraint("conference_id", "day"),
        CheckConstraint("ends > starts", name="programme_ends_after_start"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("conferences.id", ondelete="CASCADE"), index=True)
    day: Mapped[date] = mapped_column(Date)
    starts: Mapped[time] = mapped_column(Time)  # local times in the conference's zone
    ends: Mapped[time] = mapped_column(Time)
