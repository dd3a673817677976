"""A conference (one edition of an event), its rooms and its tracks."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Integer, String, Text, Time, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.scoping import ConferenceOwned
from ..extensions import db
from ..types import UTCDateTime, utcnow


class ConferenceCalendar:
    """The venue's calendar of whatever has a `timezone`, a `start_date` and an `end_date` (a conference, its head)."""

    timezone: str
    start_date: date
    end_date: date

    @property
    def tz(self) -> ZoneInfo:
        """The conference's time zone."""
        return ZoneInfo(self.timezone)

    @property
    def days(self) -> list[date]:
        """Every calendar day of the conference, first to last."""
        count = (self.end_date - self.start_date).days + 1
        return [self.start_date + timedelta(days=n) for n in range(count)]

    def local_date(self, moment: datetime) -> date:
        """The calendar date of `moment` at the venue."""
        return moment.astimezone(self.tz).date()


class Conference(ConferenceCalendar, db.Model):
    """One edition of a conference, reached under /<slug>/."""

    __tablename__ = "conferences"
    __table_args__ = (
        CheckConstraint("end_date >= start_date", name="dates_ordered"),
        CheckConstraint("capacity IS NULL OR capacity >= 0", name="capacity_positive"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name_en: Mapped[str] = mapped_column(String(200))
    name_ar: Mapped[str] = mapped_column(String(200), default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    description_ar: Mapped[str] = mapped_column(Text, default="")
    venue_en: Mapped[str] = mapped_column(String(200), default="")
    venue_ar: Mapped[str] = mapped_column(String(200), default="")
    city_en: Mapped[str] = mapped_column(String(100), default="")
    city_ar: Mapped[str] = mapped_column(String(100), default="")
    country: Mapped[str] = mapped_column(String(2), default="")
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    # The organizers' address: the Reply-To of the messages they write to groups (empty: none).
    contact_email: Mapped[str] = mapped_column(String(254), default="", server_default="")
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    registration_opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    registration_closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    capacity: Mapped[int | None] = mapped_column(Integer)
    auto_approve: Mapped[bool] = mapped_column(Boolean, default=False)
    cfp_opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cfp_closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    agenda_published: Mapped[bool] = mapped_column(Boolean, default=False)
    admit_only_on_conference_days: Mapped[bool] = mapped_column(Boolean, default=True)
    # A room's door records a delegate not admitted at the entrance that day (rooms reached without the entrance).
    allow_room_only_scanning: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # agenda: minutes a person needs between two of their sessions (moving between rooms)
    changeover_minutes: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Days after the last day that the visa request's passport fields are kept; None: until an organizer erases them.
    passport_retention_days: Mapped[int | None] = mapped_column(Integer, default=30, server_default="30")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # What a public page of the agenda is named by, read from this one row (agenda.versions.read_head): the latest
    # published version (kept by agenda.versions.publish_agenda; versions are never changed, and deleted only with
    # their conference) and the moment the row last changed, so that an edit of the conference shows at once.
    agenda_version_id: Mapped[int | None] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    rooms: Mapped[list[Room]] = relationship(back_populates="conference", order_by="Room.position",
                                             cascade="all, delete-orphan")
    tracks: Mapped[list[Track]] = relationship(back_populates="conference", order_by="Track.position",
                                               cascade="all, delete-orphan")

    def is_over(self, now: datetime | None = None) -> bool:
        """True once the last day has ended at the venue."""
        return self.local_date(now or utcnow()) > self.end_date

    def registration_open(self, now: datetime | None = None) -> bool:
        """True inside the registration window (an unset bound is open)."""
        now = now or utcnow()
        if self.registration_opens_at and now < self.registration_opens_at:
            return False
        return not (self.registration_closes_at and now >= self.registration_closes_at)

    def cfp_open(self, now: datetime | None = None) -> bool:
        """True while the call for proposals accepts submissions (both bounds set)."""
        now = now or utcnow()
        if not (self.cfp_opens_at and self.cfp_closes_at):
            return False
        return self.cfp_opens_at <= now < self.cfp_closes_at


class Room(ConferenceOwned, db.Model):
    """A room of the venue, named in both languages."""

    __tablename__ = "rooms"
    __table_args__ = (
        UniqueConstraint("conference_id", "name_en"),
        CheckConstraint("opens_at IS NULL OR closes_at IS NULL OR closes_at > opens_at", name="room_hours_ordered"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("conferences.id", ondelete="CASCADE"), index=True)
    name_en: Mapped[str] = mapped_column(String(120))
    name_ar: Mapped[str] = mapped_column(String(120), default="")
    capacity: Mapped[int | None] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer, default=0)
    # The placement assistant puts interpreted sessions where the interpreters have booths.
    interpretation_booths: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Local opening hours on every conference day; None: from the start or to the end of the day.
    opens_at: Mapped[time | None] = mapped_column(Time)
    closes_at: Mapped[time | None] = mapped_column(Time)

    conference: Mapped[Conference] = relationship(back_populates="rooms")


class Track(ConferenceOwned, db.Model):
    """A thread of the programme (e.g. "Helplines in emergencies"), shared by the call for proposals and the agenda."""

    __tablename__ = "tracks"
    __table_args__ = (UniqueConstraint("conference_id", "name_en"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("conferences.id", ondelete="CASCADE"), index=True)
    name_en: Mapped[str] = mapped_column(String(120))
    name_ar: Mapped[str] = mapped_column(String(120), default="")
    colour: Mapped[str] = mapped_column(String(7), default="#0b6e6e")  # "#rrggbb", shown beside the name
    position: Mapped[int] = mapped_column(Integer, default=0)

    conference: Mapped[Conference] = relationship(back_populates="tracks")
