"""Certificates: how a conference's certificates read and when they are released, and each certificate issued."""
from __future__ import annotations

import enum
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, LargeBinary, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.scoping import ConferenceOwned
from ..extensions import db
from ..registration.models import Delegate
from ..types import UTCDateTime, string_enum, utcnow


class CertificateKind(str, enum.Enum):
    """What a certificate attests: attendance (admitted on a day) or presentation (a confirmed speaker)."""

    ATTENDANCE = "attendance"
    PRESENTATION = "presentation"

    @property
    def title(self) -> str:
        return str(KIND_TITLES[self])


KIND_TITLES = {
    CertificateKind.ATTENDANCE: _l("Certificate of attendance"),
    CertificateKind.PRESENTATION: _l("Certificate of presentation"),
}


class CertificateSettings(ConferenceOwned, db.Model):
    """How the conference's certificates read, who signs them, and from when delegates may download them."""

    __tablename__ = "certificate_settings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("conferences.id", ondelete="CASCADE"), unique=True)
    title_en: Mapped[str] = mapped_column(String(200), default="")
    title_ar: Mapped[str] = mapped_column(String(200), default="")
    wording_en: Mapped[str] = mapped_column(Text, default="")
    wording_ar: Mapped[str] = mapped_column(Text, default="")
    organizer_en: Mapped[str] = mapped_column(String(200), default="")
    organizer_ar: Mapped[str] = mapped_column(String(200), default="")
    signatory_name: Mapped[str] = mapped_column(String(200), default="")
    signatory_title: Mapped[str] = mapped_column(String(200), default="")
    # The signature as uploaded, re-encoded to a plain JPEG (submissions.profiles.process_photo): no metadata.
    signature: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    list_sessions: Mapped[bool] = mapped_column(Boolean, default=True)
    # Released on this day (the conference's zone); none: the day after the conference's last day.
    release_on: Mapped[date | None] = mapped_column(Date)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class Certificate(ConferenceOwned, db.Model):
    """One certificate issued to a delegate, with the code that verifies it; a revoked one stays, replaced."""

    __tablename__ = "certificates"
    __table_args__ = (
        # One live certificate of each kind per delegate; revoked ones stay on record (their codes say "revoked").
        Index("uq_certificates_live", "delegate_id", "kind", unique=True,
              sqlite_where=text("revoked_at IS NULL"), postgresql_where=text("revoked_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("conferences.id", ondelete="CASCADE"), index=True)
    delegate_id: Mapped[int] = mapped_column(ForeignKey("delegates.id", ondelete="CASCADE"), index=True)
    kind: Mapped[CertificateKind] = mapped_column(string_enum(CertificateKind, "certificate_kind"))
    # The code itself, not a hash: the delegate downloads the same certificate again, and the code grants nothing
    # (it only confirms what the certificate already says). 128 random bits (secrets.token_urlsafe(16)) or more.
    code: Mapped[str] = mapped_column(String(64), unique=True)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # use_alter: a restore writes the revoked certificate and its replacement, then links them.
    replaced_by_id: Mapped[int | None] = mapped_column(ForeignKey(
        "certificates.id", ondelete="SET NULL", use_alter=True, name="fk_certificates_replaced_by_id_certificates"))

    delegate: Mapped[Delegate] = relationship()

    @property
    def live(self) -> bool:
        return self.revoked_at is None
