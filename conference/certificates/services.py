"""Certificates: the settings and release, issuing, revoking and reissuing, verifying, and the records the PDF
draws (who is entitled to what: entitlements.py); every query here is by batch, so that lists and PDFs cost the
same few queries whatever the number of delegates."""
from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, select

from ..accounts.models import User
from ..core.actions import ServiceError
from ..core.i18n import date_range, fmt_date, fmt_number, fmt_time
from ..db_locks import lock_conference
from ..events.models import Conference
from ..extensions import db
from ..mail.models import MailState, OutboxMessage
from ..mail.services import absolute_url, queue_mail
from ..registration.models import Delegate
from ..submissions.profiles import PhotoError, process_photo
from ..types import utcnow
from .document import MAX_ROWS, CertificateRecord, Facing
from .entitlements import Entitlement, SessionLine, eligible_query, entitlements, own_entitlements
from .models import KIND_TITLES, Certificate, CertificateKind, CertificateSettings

BATCH = 200
CODE_BYTES = 16  # 128 random bits: secrets.token_urlsafe(16) is 22 characters
CODE_SHAPE = re.compile(r"[A-Za-z0-9_-]{22,64}")
ANNOUNCEMENT = "certificate_ready"
ANNOUNCEMENT_TITLE = _l("Certificates are ready")
TEXT_LIMITS = {"title_en": 200, "title_ar": 200, "wording_en": 1000, "wording_ar": 1000, "organizer_en": 200,
               "organizer_ar": 200, "signatory_name": 200, "signatory_title": 200}


class CertificateError(ServiceError):
    """A certificate that cannot be made or changed, with a message for the person who asked."""


# ---- settings and release --------------------------------------------------------------------------------------

def settings_of(conference: Conference) -> CertificateSettings | None:
    """The conference's certificate settings, if organizers configured them."""
    return db.session.scalar(CertificateSettings.of(conference))


def save_settings(conference: Conference, data: dict, signature: bytes | None = None,
                  remove_signature: bool = False) -> CertificateSettings:
    """Create or change the settings; a signature is re-encoded like a speaker's photo (refused when not an image)."""
    encoded = None
    if signature is not None:
        try:
            encoded = process_photo(signature)
        except PhotoError as error:
            raise CertificateError(_l("The signature image cannot be used: %(reason)s", reason=str(error))) from None
    release_on = data.get("release_on")
    settings = settings_of(conference) or CertificateSettings(conference_id=conference.id)
    for name, limit in TEXT_LIMITS.items():
        setattr(settings, name, (data.get(name) or "").strip()[:limit])
    settings.list_sessions = bool(data.get("list_sessions"))
    settings.release_on = release_on
    if encoded is not None:
        settings.signature = encoded
    elif remove_signature:
        settings.signature = None
    db.session.add(settings)
    db.session.flush()
    return settings


def release_day(conference: Conference, settings: CertificateSettings | None) -> date:
    """The first day on which delegates may download their certificates (the conference's zone)."""
    if settings is not None and settings.release_on is not None:
        return settings.release_on
    return conference.end_date + timedelta(days=1)


def is_released(conference: Conference, settings: CertificateSettings | None, now: datetime | None = None) -> bool:
    """True once the release day has begun at the venue (and organizers configured the certificates)."""
    if settings is None:
        return False
    return conference.local_date(now or utcnow()) >= release_day(conference, settings)


def check_released(conference: Conference, settings: CertificateSettings | None) -> None:
    """Refuse, with the day they come, certificates asked for before release."""
    if settings is None:
        raise CertificateError(_l("Certificates are not available for this conference yet."))
    if not is_released(conference, settings):
        raise CertificateError(_l("Certificates will be available from %(day)s.",
                                  day=fmt_date(release_day(conference, settings), "long")))


# ---- issuing ---------------------------------------------------------------------------------------------------

def new_code() -> str:
    """A verification code: 128 random bits, URL-safe."""
    return secrets.token_urlsafe(CODE_BYTES)


def live_certificates(conference: Conference,
                      delegate_ids: list[int]) -> dict[tuple[int, CertificateKind], Certificate]:
    """The live (not revoked) certificates of these delegates, by (delegate id, kind), in one query."""
    if not delegate_ids:
        return {}
    rows = db.session.scalars(Certificate.of(conference).where(Certificate.delegate_id.in_(delegate_ids),
                                                               Certificate.revoked_at.is_(None)))
    return {(c.delegate_id, c.kind): c for c in rows}


def _issue(conference: Conference, found: dict[int, list[Entitlement]]) -> int:
    """Issue the certificates these entitlements lack; returns how many were issued."""
    existing = live_certificates(conference, list(found))
    new = [Certificate(conference_id=conference.id, delegate_id=e.delegate_id, kind=e.kind, code=new_code())
           for items in found.values() for e in items if (e.delegate_id, e.kind) not in existing]
    db.session.add_all(new)
    db.session.flush()
    return len(new)


def _batches(query: Select) -> Iterator[list[Delegate]]:
    """The delegates of a query in batches of BATCH, in its order (memory flat)."""
    offset = 0
    while True:
        batch = db.session.scalars(query.limit(BATCH).offset(offset)).all()
        if not batch:
            return
        yield batch
        offset += len(batch)


def issue_certificates(conference: Conference, country: str = "", category: str = "") -> int:
    """Issue every certificate the matching delegates are entitled to and lack; returns how many."""
    lock_conference(conference.id)  # two downloads at once would issue the same certificate twice
    issued = 0
    for batch in _batches(eligible_query(conference, country, category)):
        issued += _issue(conference, entitlements(conference, [d.id for d in batch]))
        for delegate in batch:
            db.session.expunge(delegate)
    return issued


def reissue_certificate(conference: Conference, certificate: Certificate, actor: User | None) -> Certificate:
    """Revoke a certificate and issue its replacement with a new code; the old code then verifies as revoked."""
    lock_conference(conference.id)
    db.session.refresh(certificate)
    if certificate.revoked_at is not None:
        raise CertificateError(_l("This certificate was revoked already; its replacement is in the list."))
    certificate.revoked_at = utcnow()
    certificate.revoked_by_id = actor.id if actor else None
    db.session.flush()  # the old one leaves the live index before its replacement enters it
    replacement = Certificate(conference_id=conference.id, delegate_id=certificate.delegate_id,
                              kind=certificate.kind, code=new_code())
    db.session.add(replacement)
    db.session.flush()
    certificate.replaced_by_id = replacement.id
    return replacement


# ---- the organizers' list --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ListRow:
    """A line of the organizers' list: a delegate, what they are entitled to, and their live certificates."""

    delegate: Delegate
    entitlements: list[Entitlement]
    certificates: dict[CertificateKind, Certificate]


def certificate_rows(conference: Conference, delegates: list[Delegate]) -> list[ListRow]:
    """The list's rows for a page of delegates, in four queries whatever their number."""
    ids = [d.id for d in delegates]
    found = entitlements(conference, ids)
    live = live_certificates(conference, ids)
    return [ListRow(d, found.get(d.id, []), {kind: c for (delegate_id, kind), c in live.items()
                                             if delegate_id == d.id}) for d in delegates]


def revoked_count(conference: Conference) -> int:
    return db.session.scalar(select(func.count(Certificate.id)).where(Certificate.conference_id == conference.id,
                                                                      Certificate.revoked_at.is_not(None)))


# ---- the words on a certificate --------------------------------------------------------------------------------

def _both(render) -> Facing:
    """A text in English and in Arabic, `render` called in each language."""
    with force_locale("en"):
        english = str(render())
    with force_locale("ar"):
        arabic = str(render())
    return Facing(english, arabic)


@dataclass
class Context:
    """What every certificate of one conference shares, computed once per batch."""

    conference: Conference
    settings: CertificateSettings
    names: Facing
    organizer: Facing
    dates: Facing
    intro: Facing
    verify: Facing
    titles: dict[CertificateKind, Facing]
    wordings: dict[CertificateKind, Facing]
    url_prefix: str
    signature: bytes | None = field(default=None, repr=False)


def certificate_context(conference: Conference, settings: CertificateSettings) -> Context:
    """Names, dates and the fixed words of the conference's certificates in both languages."""
    names = Facing(conference.name_en, conference.name_ar or conference.name_en)
    default_title = KIND_TITLES[CertificateKind.ATTENDANCE]
    titles = {
        CertificateKind.ATTENDANCE: Facing(settings.title_en or _both(lambda: default_title).en,
                                           settings.title_ar or _both(lambda: default_title).ar),
        CertificateKind.PRESENTATION: _both(lambda: KIND_TITLES[CertificateKind.PRESENTATION]),
    }
    attended = _both(lambda: _("attended %(conference)s.", conference=conference.name_en))
    attended = Facing(attended.en, _both(lambda: _("attended %(conference)s.", conference=names.ar)).ar)
    presented = _both(lambda: _("presented at %(conference)s.", conference=conference.name_en))
    presented = Facing(presented.en, _both(lambda: _("presented at %(conference)s.", conference=names.ar)).ar)
    wordings = {
        CertificateKind.ATTENDANCE: Facing(settings.wording_en or attended.en, settings.wording_ar or attended.ar),
        CertificateKind.PRESENTATION: presented,
    }
    prefix = absolute_url("certificates.verify_page", code="x")[:-1]
    signature = db.session.scalar(select(CertificateSettings.signature).where(CertificateSettings.id == settings.id))
    return Context(conference, settings, names, Facing(settings.organizer_en, settings.organizer_ar),
                   _both(lambda: date_range(conference.start_date, conference.end_date)),
                   _both(lambda: _("This is to certify that")), _both(lambda: _("Verify this certificate")),
                   titles, wordings, prefix, signature)


def _session_row(line: SessionLine, conference: Conference) -> Facing:
    zone = conference.timezone

    def render(title: str):
        return lambda: (f"{fmt_date(line.starts_at, 'MMMEd', zone)} · {fmt_time(line.starts_at, zone)}–"
                        f"{fmt_time(line.ends_at, zone)} · {title}")
    return Facing(_both(render(line.title_en)).en, _both(render(line.title_ar)).ar)


def certificate_record(context: Context, delegate: Delegate, entitlement: Entitlement,
                       certificate: Certificate) -> CertificateRecord:
    """The words of one certificate, for the PDF."""
    conference, settings = context.conference, context.settings
    summary = None
    if entitlement.kind == CertificateKind.PRESENTATION:
        heading = _both(lambda: _("Sessions presented"))
        rows = tuple(_session_row(line, conference) for line in entitlement.sessions)
    elif settings.list_sessions and entitlement.sessions:
        heading = _both(lambda: _("Sessions attended"))
        rows = tuple(_session_row(line, conference) for line in entitlement.sessions)
        days = entitlement.days
        summary = _both(lambda: _("Days attended: %(days)s · Hours: %(hours)s",
                                  days=", ".join(fmt_date(day, "MMMd") for day in days),
                                  hours=fmt_number(round(entitlement.minutes / 60, 1))))
    else:
        heading = _both(lambda: _("Days attended"))
        rows = tuple(_both(lambda day=day: fmt_date(day, "full")) for day in entitlement.days)
    if len(rows) > MAX_ROWS:
        hidden = len(rows) - MAX_ROWS + 1
        rows = rows[:MAX_ROWS - 1] + (_both(lambda: _("and %(n)s more", n=hidden)),)
    return CertificateRecord(
        title=context.titles[entitlement.kind], conference=context.names, organizer=context.organizer,
        dates=context.dates, intro=context.intro, name=delegate.name, name_latin=delegate.name_latin,
        wording=context.wordings[entitlement.kind], heading=heading, rows=rows, summary=summary,
        signatory_name=settings.signatory_name, signatory_title=settings.signatory_title, code=certificate.code,
        url=context.url_prefix + certificate.code, verify_label=context.verify, signature=context.signature)


def batch_records(conference: Conference, country: str = "", category: str = "") -> Iterator[CertificateRecord]:
    """The records of every issued, live certificate of the matching delegates, batch by batch (memory flat)."""
    settings = settings_of(conference)
    if settings is None:
        return
    context = certificate_context(conference, settings)
    for batch in _batches(eligible_query(conference, country, category)):
        ids = [d.id for d in batch]
        found = entitlements(conference, ids)
        live = live_certificates(conference, ids)
        for delegate in batch:
            for entitlement in found.get(delegate.id, []):
                certificate = live.get((delegate.id, entitlement.kind))
                if certificate is not None:
                    yield certificate_record(context, delegate, entitlement, certificate)
        for row in (*batch, *live.values()):
            db.session.expunge(row)


# ---- the delegate's own --------------------------------------------------------------------------------------

def own_certificate(conference: Conference, delegate: Delegate, kind: CertificateKind) -> CertificateRecord | None:
    """The delegate's certificate of `kind`, issued now if it was not (after release only); None: not entitled."""
    settings = settings_of(conference)
    check_released(conference, settings)
    entitlement = next((e for e in own_entitlements(conference, delegate) if e.kind == kind), None)
    if entitlement is None:
        return None
    lock_conference(conference.id)
    _issue(conference, {delegate.id: [entitlement]})
    certificate = live_certificates(conference, [delegate.id])[(delegate.id, kind)]
    return certificate_record(certificate_context(conference, settings), delegate, entitlement, certificate)


# ---- verification --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Verification:
    """What the public verification page says: valid (with name, conference and days), revoked, or unknown."""

    state: str
    name: str = ""
    name_latin: str = ""
    conference: Conference | None = None
    kind: CertificateKind | None = None
    days: tuple[date, ...] = ()


def verify(code: str) -> Verification:
    """Look a code up; anything that is not the shape of a code is unknown without asking the database."""
    if not isinstance(code, str) or not CODE_SHAPE.fullmatch(code):
        return Verification("unknown")
    certificate = db.session.scalar(select(Certificate).where(Certificate.code == code))
    if certificate is None:
        return Verification("unknown")
    if certificate.revoked_at is not None:
        return Verification("revoked")
    delegate = certificate.delegate
    conference = db.session.get(Conference, certificate.conference_id)
    found = own_entitlements(conference, delegate)
    days = next((e.days for e in found if e.kind == certificate.kind), ())
    return Verification("valid", delegate.name, delegate.name_latin, conference, certificate.kind, days)


# ---- telling the delegates -----------------------------------------------------------------------------------

def announce_certificates(conference: Conference) -> int:
    """Write every eligible delegate not yet told a message with their link, in their language, as drafts in the
    outbox (organizers release them there); returns how many were written."""
    check_released(conference, settings_of(conference))
    told = set(db.session.scalars(select(OutboxMessage.recipient).where(
        OutboxMessage.conference_id == conference.id, OutboxMessage.template == ANNOUNCEMENT)))
    link = absolute_url("registration.me", slug=conference.slug)
    written = 0
    for batch in _batches(eligible_query(conference)):
        for delegate in batch:
            if delegate.email in told:
                continue
            message = queue_mail(delegate.email, ANNOUNCEMENT, delegate.locale if delegate.locale in ("en", "ar")
                                 else "en", conference, delegate=delegate, link=link)
            message.state = MailState.DRAFT
            told.add(delegate.email)
            written += 1
        db.session.flush()
    return written


def signature_of(conference: Conference) -> bytes | None:
    """The stored (re-encoded) signature image, for the organizers' preview."""
    return db.session.scalar(select(CertificateSettings.signature).where(
        CertificateSettings.conference_id == conference.id))
