"""Certificate pages: the organizers' settings, list and downloads; the delegate's own; the public verification."""
from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

from flask import (
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts.access import conference_view, login_required_view
from ..accounts.forms import ConfirmForm
from ..accounts.models import Role
from ..core.actions import perform
from ..core.params import page_number
from ..events.models import Conference
from ..extensions import db, limiter
from ..registration.models import Category, Delegate
from ..registration.queries import countries_present
from ..registration.services import registration_of
from . import bp
from .document import certificate_chunks, write_certificates
from .entitlements import Entitlement, count_eligible, eligible_query, own_entitlements
from .forms import SIGNATURE_LIMIT, SettingsForm
from .models import Certificate, CertificateKind
from .services import (
    announce_certificates,
    batch_records,
    certificate_rows,
    is_released,
    issue_certificates,
    own_certificate,
    reissue_certificate,
    release_day,
    revoked_count,
    save_settings,
    settings_of,
    signature_of,
    verify,
)

PAGE_SIZE = 50


def _filters() -> dict[str, str]:
    """The list's and the PDF's filters (country, category), ignoring values that are not valid."""
    country = request.args.get("country", "").upper()[:2]
    category = request.args.get("category", "")
    return {"country": country if country.isalpha() and len(country) == 2 else "",
            "category": category if category in {c.value for c in Category} else ""}


@bp.route("/<slug>/manage/certificates", methods=["GET", "POST"])
@conference_view(Role.ORGANIZER)
def manage(conference: Conference):
    """The certificates' settings, the delegates entitled to one (with their codes), downloads and messages."""
    request.max_content_length = SIGNATURE_LIMIT + 64 * 1024  # the image and the form's text fields
    settings = settings_of(conference)
    form = SettingsForm(obj=settings)
    if form.validate_on_submit():
        def save() -> None:
            upload = request.files.get(form.signature.name)
            image = upload.read(SIGNATURE_LIMIT + 1) if upload and upload.filename else None
            save_settings(conference, form.data_for_service(), image, form.remove_signature.data)

        if perform(save, _("The certificate settings have been saved."), field=form.signature).ok:
            return redirect(url_for("certificates.manage", slug=conference.slug))
    filters = _filters()
    page = db.paginate(eligible_query(conference, **filters), page=page_number(request.args), per_page=PAGE_SIZE,
                       error_out=False, count=True)
    return render_template(
        "certificates/manage.html", conference=conference, form=form, settings=settings, page=page,
        rows=certificate_rows(conference, page.items), filters=filters, countries=countries_present(conference),
        categories=list(Category), released=is_released(conference, settings),
        release=release_day(conference, settings), revoked=revoked_count(conference), confirm=ConfirmForm(),
        has_signature=settings is not None and signature_of(conference) is not None)


@bp.get("/<slug>/manage/certificates/signature.jpg")
@conference_view(Role.ORGANIZER)
def signature(conference: Conference):
    """The stored signature image (re-encoded), for the organizers' preview."""
    image = signature_of(conference)
    if not image:
        abort(404)
    response = Response(image, mimetype="image/jpeg")
    response.headers["Cache-Control"] = "private, no-cache"
    return response


@bp.get("/<slug>/manage/certificates.pdf")
@conference_view(Role.ORGANIZER)
def batch_pdf(conference: Conference):
    """Every certificate of the delegates matching the filters, as one PDF sent while it is drawn."""
    filters = _filters()
    back = redirect(url_for("certificates.manage", slug=conference.slug, **filters))
    if settings_of(conference) is None:
        flash(_("Please save the certificate settings first."), "error")
        return back
    if count_eligible(eligible_query(conference, **filters)) == 0:
        flash(_("Nobody matching these filters is entitled to a certificate yet."), "error")
        return back
    if not perform(lambda: issue_certificates(conference, **filters)).ok:
        return back
    response = Response(stream_with_context(certificate_chunks(batch_records(conference, **filters))),
                        mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{conference.slug}-certificates.pdf"'
    return response


@bp.post("/<slug>/manage/certificates/<int:certificate_id>/reissue")
@conference_view(Role.ORGANIZER)
def reissue(conference: Conference, certificate_id: int):
    """Revoke one certificate and issue its replacement (the old code then verifies as revoked)."""
    certificate = Certificate.get_or_404(conference, certificate_id)
    if ConfirmForm().validate_on_submit():
        perform(lambda: reissue_certificate(conference, certificate, current_user),
                _("The certificate was revoked and a new one issued with a new code."))
    return redirect(url_for("certificates.manage", slug=conference.slug))


@bp.post("/<slug>/manage/certificates/announce")
@conference_view(Role.ORGANIZER)
def announce(conference: Conference):
    """Write every eligible delegate a message with their link, as drafts in the outbox."""
    if ConfirmForm().validate_on_submit():
        outcome = perform(lambda: announce_certificates(conference),
                          lambda n: _("%(n)s messages are waiting in the outbox: release them there.", n=n))
        if outcome.ok:
            return redirect(url_for("mail.outbox", slug=conference.slug))
    return redirect(url_for("certificates.manage", slug=conference.slug))


@bp.get("/<slug>/me/certificates/<kind>.pdf")
@conference_view()
@login_required_view
def my_certificate(conference: Conference, kind: str):
    """The delegate's own certificate, once released (before: a message and 403, nothing written)."""
    delegate = registration_of(current_user, conference)
    if delegate is None or kind not in {k.value for k in CertificateKind}:
        abort(404)
    settings = settings_of(conference)
    if not is_released(conference, settings):
        return render_template("certificates/not_released.html", conference=conference,
                               release=release_day(conference, settings) if settings else None), 403
    outcome = perform(lambda: own_certificate(conference, delegate, CertificateKind(kind)))
    if not outcome.ok:
        return redirect(url_for("registration.me", slug=conference.slug))
    if outcome.value is None:
        abort(404)
    out = io.BytesIO()
    write_certificates([outcome.value], out)
    out.seek(0)
    return send_file(out, mimetype="application/pdf", as_attachment=True,
                     download_name=f"certificate-{kind}-{delegate.code}.pdf")


def _verify_limit() -> str:
    return current_app.config["VERIFY_RATE_LIMIT"]


@bp.get("/verify/<path:code>")
@limiter.limit(_verify_limit)
def verify_page(code: str):
    """Public: whether a certificate's code is valid (name, conference, days), revoked, or unknown (404)."""
    result = verify(code)
    return render_template("certificates/verify.html", result=result), 404 if result.state == "unknown" else 200


@dataclass(frozen=True)
class OwnCertificates:
    """What the delegate's page shows: the certificates they are entitled to and whether they are out yet."""

    entitlements: list[Entitlement]
    released: bool
    release: date | None


@bp.app_template_global()
def my_certificates(conference: Conference, delegate: Delegate) -> OwnCertificates:
    """The delegate's certificates for their page (none when organizers have not configured any)."""
    settings = settings_of(conference)
    if settings is None:
        return OwnCertificates([], False, None)
    return OwnCertificates(own_entitlements(conference, delegate), is_released(conference, settings),
                           release_day(conference, settings))
