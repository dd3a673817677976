"""The call for proposals: its settings, proposals with their speakers, reviews, the state log, speaker profiles."""
from __future__ import annotations

import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..core.scoping import ConferenceOwned
from ..events.models import Track
from ..extensions import db
from ..types import UTCDateTime, string_enum, utcnow


class ProposalStatus(str, enum.Enum):
    """Where a proposal stands."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    CONFIRMED = "confirmed"

    @property
    def title(self) -> str:
        return str(PROPOSAL_STATUS_TITLES[self])


PROPOSAL_STATUS_TITLES = {
    ProposalStatus.DRAFT: _l("Draft"),
    ProposalStatus.SUBMITTED: _l("Submitted"),
    ProposalStatus.ACCEPTED: _l("Accepted"),
    ProposalStatus.REJECTED: _l("Not accepted"),
    ProposalStatus.WITHDRAWN: _l("Withdrawn"),
    ProposalStatus.CONFIRMED: _l("Confirmed"),
}

# Session languages: "both" means in Arabic and English with simultaneous interpretation.
# A proposal still in play: neither rejected nor withdrawn.
LIVE_STATUSES = (ProposalStatus.DRAFT, ProposalStatus.SUBMITTED, ProposalStatus.ACCEPTED, ProposalStatus.CONFIRMED)
LANGUAGES = ("ar", "en", "both")
LANGUAGE_TITLES = {"ar": _l("Arabic"), "en": _l("English"), "both": _l("Arabic and English (interpreted)")}

SUBMITTER = "submitter"
CO_SPEAKER = "co_speaker"


class CallForProposals(ConferenceOwned, db.Model):
    """The call's settings for one conference (its open and close dates live on the conference)."""

    __tablename__ = "calls_for_proposals"
    __table_args__ = (
        CheckConstraint("abstract_word_limit BETWEEN 50 AND 2000", name="word_limit_range"),
        CheckConstraint("reviewers_per_proposal BETWEEN 1 AND 10", name="reviewers_range"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("conferences.id", ondelete="CASCADE"), unique=True)
    text_en: Mapped[str] = mapped_column(Text, default="")
    text_ar: Mapped[str] = mapped_column(Text, default="")
    abstract_word_limit: Mapped[int] = mapped_column(Integer, default=300)
    anonymized_review: Mapped[bool] = mapped_column(Boolean, default=True)
    reviewers_per_proposal: Mapped[int] = mapped_column(Integer, default=2)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class ProposalType(ConferenceOwned, db.Model):
    """A kind of session that can be proposed (talk, panel, workshop) with its default length."""

    __tablename__ = "proposal_types"
    __table_args__ = (
        UniqueConstraint("conference_id", "name_en"),
        CheckConstraint("duration_minutes BETWEEN 5 AND 480", name="duration_range"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("conferences.id", ondelete="CASCADE"), index=True)
    name_en: Mapped[str] = mapped_column(String(120))
    name_ar: Mapped[str] = mapped_column(String(120), default="")
    duration_minutes: Mapped[int] = mapped_column(Integer, default=20)
    position: Mapped[int] = mapped_column(Integer, default=0)


class Proposal(ConferenceOwned, db.Model):
    """A talk, panel or workshop proposed to the call, with its speakers."""

    __tablename__ = "proposals"
    __table_args__ = (
        CheckConstraint("language IN ('ar', 'en', 'both')", name="language_known"),
        CheckConstraint("duration_minutes BETWEEN 5 AND 480", name="duration_range"),
        Index("ix_proposals_conference_status", "conference_id", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("conferences.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(250))
    abstract: Mapped[str] = mapped_column(Text, default="")
    proposal_type_id: Mapped[int] = mapped_column(ForeignKey("proposal_types.id", ondelete="RESTRICT"), index=True)
    track_id: Mapped[int | None] = mapped_column(ForeignKey("tracks.id"), index=True)  # in use: not deletable
    language: Mapped[str] = mapped_column(String(4), default="en")
    duration_minutes: Mapped[int] = mapped_column(Integer, default=20)
    notes: Mapped[str] = mapped_column(Text, default="")  # for the committee only
    status: Mapped[ProposalStatus] = mapped_column(string_enum(ProposalStatus, "proposal_status"),
                                                   default=ProposalStatus.DRAFT)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    proposal_type: Mapped[ProposalType] = relationship()
    track: Mapped[Track | None] = relationship()
    submitted_by: Mapped[User | None] = relationship()
    speakers: Mapped[list[ProposalSpeaker]] = relationship(
        back_populates="proposal", order_by="ProposalSpeaker.position", cascade="all, delete-orphan")
    reviews: Mapped[list[ReviewAssignment]] = relationship(
        back_populates="proposal", order_by="ReviewAssignment.id", cascade="all, delete-orphan")
    log: Mapped[list[ProposalLogEntry]] = relationship(
        back_populates="proposal", order_by="ProposalLogEntry.id", cascade="all, delete-orphan")

    @property
    def language_title(self) -> str:
        return str(LANGUAGE_TITLES.get(self.language, self.language))


class ProposalSpeaker(ConferenceOwned, db.Model):
    """A speaker of a proposal: the submitter, or a co-speaker invited by e-mail (user set once they accept)."""

    __owner__ = "proposal"

    __tablename__ = "proposal_speakers"
    __table_args__ = (
        UniqueConstraint("proposal_id", "email"),
        CheckConstraint("role IN ('submitter', 'co_speaker')", name="role_known"),
        CheckConstraint("email = lower(email)", name="email_lowercase"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    role: Mapped[str] = mapped_column(String(12), default=CO_SPEAKER)
    position: Mapped[int] = mapped_column(Integer, default=0)
    locale: Mapped[str] = mapped_column(String(5), default="en")  # the invitation's language
    invited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    proposal: Mapped[Proposal] = relationship(back_populates="speakers")
    user: Mapped[User | None] = relationship()


class SpeakerProfile(ConferenceOwned, db.Model):
    """What the programme shows about a speaker in one conference, in both languages."""

    __tablename__ = "speaker_profiles"
    __table_args__ = (UniqueConstraint("conference_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("conferences.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    name_latin: Mapped[str] = mapped_column(String(200), default="")
    name_ar: Mapped[str] = mapped_column(String(200), default="")
    bio_en: Mapped[str] = mapped_column(Text, default="")
    bio_ar: Mapped[str] = mapped_column(Text, default="")
    organization: Mapped[str] = mapped_column(String(200), default="")
    country: Mapped[str] = mapped_column(String(2), default="")
    photo: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)  # re-encoded JPEG
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    user: Mapped[User] = relationship()


class SpeakerAvailability(ConferenceOwned, db.Model):
    """A time range when a speaker can speak; none at all means any time of the conference."""

    __tablename__ = "speaker_availability"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="range_ordered"),
        Index("ix_speaker_availability_conference_user", "conference_id", "user_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("conferences.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ReviewAssignment(ConferenceOwned, db.Model):
    """A reviewer assigned to a proposal, and their review once given (score 1-5 and a comment)."""

    __owner__ = "proposal"

    __tablename__ = "review_assignments"
    __table_args__ = (
        UniqueConstraint("proposal_id", "reviewer_id"),
        CheckConstraint("score IS NULL OR score BETWEEN 1 AND 5", name="score_range"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), index=True)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    score: Mapped[int | None] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    proposal: Mapped[Proposal] = relationship(back_populates="reviews")
    reviewer: Mapped[User] = relationship(foreign_keys=[reviewer_id])


class ProposalLogEntry(ConferenceOwned, db.Model):
    """One change of a proposal's state: who, when, from which state to which."""

    __owner__ = "proposal"

    __tablename__ = "proposal_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")

    proposal: Mapped[Proposal] = relationship(back_populates="log")
    actor: Mapped[User | None] = relationship()
