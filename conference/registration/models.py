"""Delegates (registrations for one conference), delegations and the audit trail."""
from __future__ import annotations

import enum
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..core.i18n import lang
from ..core.scoping import ConferenceOwned
from ..extensions import db
from ..types import UTCDateTime, string_enum, utcnow


class DelegateStatus(str, enum.Enum):
    """Where a registration stands."""

    PENDING = "pending"
    APPROVED = "approved"
    WAITLISTED = "waitlisted"
    REJECTED = "rejected"
    CANCELLED = "cancelled"

    @property
    def title(self) -> str:
        return str(STATUS_TITLES[self])


STATUS_TITLES = {
    DelegateStatus.PENDING: _l("Pending"),
    DelegateStatus.APPROVED: _l("Approved"),
    DelegateStatus.WAITLISTED: _l("Waiting list"),
    DelegateStatus.REJECTED: _l("Rejected"),
    DelegateStatus.CANCELLED: _l("Cancelled"),
}
# Registrations that hold a place within the conference's capacity.
HOLDS_PLACE = (DelegateStatus.PENDING, DelegateStatus.APPROVED)
# Registrations the delegate may still edit themselves (organizers may edit any).
EDITABLE_BY_DELEGATE = frozenset({DelegateStatus.PENDING, DelegateStatus.WAITLISTED})


class Category(str, enum.Enum):
    """The kind of participant, printed on the badge with its colour."""

    DELEGATE = "delegate"
    SPEAKER = "speaker"
    ORGANIZER = "organizer"
    PRESS = "press"
    STAFF = "staff"
    VIP = "vip"

    @property
    def title(self) -> str:
        return str(CATEGORY_TITLES[self])

    @property
    def colour(self) -> str:
        return CATEGORY_COLOURS[self]


CATEGORY_TITLES = {
    Category.DELEGATE: _l("Delegate"),
    Category.SPEAKER: _l("Speaker"),
    Category.ORGANIZER: _l("Organizer"),
    Category.PRESS: _l("Press"),
    Category.STAFF: _l("Staff"),
    Category.VIP: _l("VIP"),
}
# Colours chosen to stay distinct for common colour-vision deficiencies; the name is always printed too.
CATEGORY_COLOURS = {
    Category.DELEGATE: "#0b6e6e",
    Category.SPEAKER: "#7b2cbf",
    Category.ORGANIZER: "#c2410c",
    Category.PRESS: "#1d4ed8",
    Category.STAFF: "#4b5563",
    Category.VIP: "#a16207",
}


class Delegation(ConferenceOwned, db.Model):
    """A country's official delegation to a conference."""

    __tablename__ = "delegations"
    __table_args__ = (UniqueConstraint("conference_id", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("conferences.id", ondelete="CASCADE"), index=True)
    country: Mapped[str] = mapped_column(String(2))
    name: Mapped[str] = mapped_column(String(200))
    name_ar: Mapped[str] = mapped_column(String(200), default="")
    head_id: Mapped[int | None] = mapped_column(
        ForeignKey("delegates.id", ondelete="SET NULL", use_alter=True, name="fk_delegations_head_id_delegates")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    head: Mapped[Delegate | None] = relationship(foreign_keys=[head_id], post_update=True)
    members: Mapped[list[Delegate]] = relationship(back_populates="delegation", foreign_keys="Delegate.delegation_id")

    @property
    def title(self) -> str:
        """The name in the page's language (Arabic when given, else the name as entered)."""
        return self.name_ar if lang() == "ar" and self.name_ar else self.name


class Delegate(ConferenceOwned, db.Model):
    """One person's registration for one conference."""

    __tablename__ = "delegates"
    __table_args__ = (
        UniqueConstraint("conference_id", "email"),
        UniqueConstraint("conference_id", "code"),
        CheckConstraint("consent_privacy", name="privacy_consent_given"),
        CheckConstraint("email = lower(email)", name="email_lowercase"),
        CheckConstraint("badge_issue >= 1", name="badge_issue_positive"),
        Index("ix_delegates_conference_status", "conference_id", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("conferences.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    name_latin: Mapped[str] = mapped_column(String(200), default="")
    name_ar: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(254))
    country: Mapped[str] = mapped_column(String(2), index=True)
    organization: Mapped[str] = mapped_column(String(200), default="")
    job_title: Mapped[str] = mapped_column(String(200), default="")
    category: Mapped[Category] = mapped_column(string_enum(Category, "category"), default=Category.DELEGATE)
    delegation_id: Mapped[int | None] = mapped_column(ForeignKey("delegations.id", ondelete="SET NULL"), index=True)
    status: Mapped[DelegateStatus] = mapped_column(string_enum(DelegateStatus, "delegate_status"),
                                                  default=DelegateStatus.PENDING)
    diet: Mapped[str] = mapped_column(String(500), default="")
    accessibility: Mapped[str] = mapped_column(String(500), default="")
    visa_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    passport_name: Mapped[str] = mapped_column(String(200), default="")
    nationality: Mapped[str] = mapped_column(String(2), default="")
    passport_number: Mapped[str] = mapped_column(String(40), default="")
    passport_expiry: Mapped[date | None] = mapped_column(Date)
    visa_letter_ref: Mapped[str | None] = mapped_column(String(40), unique=True)
    visa_letter_issued_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    consent_privacy: Mapped[bool] = mapped_column(Boolean, default=False)
    consent_public_list: Mapped[bool] = mapped_column(Boolean, default=False)
    locale: Mapped[str] = mapped_column(String(5), default="en")
    code: Mapped[str] = mapped_column(String(12))
    badge_token: Mapped[str] = mapped_column(String(39), unique=True)
    badge_issue: Mapped[int] = mapped_column(Integer, default=1)
    badge_printed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    waitlisted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    @property
    def editable_by_delegate(self) -> bool:
        """True while the delegate may still change their own details."""
        return self.status in EDITABLE_BY_DELEGATE

    user: Mapped[User] = relationship()
    delegation: Mapped[Delegation | None] = relationship(back_populates="members", foreign_keys=[delegation_id])
    audit: Mapped[list[AuditEntry]] = relationship(back_populates="delegate", order_by="AuditEntry.id",
                                                   cascade="all, delete-orphan")


AUDIT_EVENTS = {
    "registered": _l("Registered"),
    "status": _l("Status changed"),
    "edited": _l("Details edited"),
    "category": _l("Category changed"),
    "visa_letter": _l("Visa letter issued"),
    "badge_reissued": _l("Badge reissued"),
    "badge_printed": _l("Badge printed"),
    "checkin_undone": _l("Admission undone"),
}


class AuditEntry(ConferenceOwned, db.Model):
    """One change to a registration: what, who, when, from which status to which, why."""

    __owner__ = "delegate"

    __tablename__ = "delegate_audit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    delegate_id: Mapped[int] = mapped_column(ForeignKey("delegates.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    event: Mapped[str] = mapped_column(String(30), default="status")
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")

    delegate: Mapped[Delegate] = relationship(back_populates="audit")
    actor: Mapped[User | None] = relationship()

    @property
    def title(self) -> str:
        return str(AUDIT_EVENTS.get(self.event, self.event))
