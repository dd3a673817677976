"""Badge pages: the organizer's batch print, one badge, reissue, and the delegate's own e-badge."""
from __future__ import annotations

import tempfile

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from badges import LAYOUTS, qr_svg

from ..accounts.access import conference_view, login_required_view
from ..accounts.forms import ConfirmForm
from ..accounts.models import Role
from ..core.actions import perform
from ..events.models import Conference
from ..registration.models import Category, Delegate, DelegateStatus
from ..registration.queries import DelegateFilters, countries_present
from ..registration.services import delegation_choices, registration_of
from . import bp
from .forms import LayoutForm
from .services import badge_query, count_badges, mark_printed, reissue_badge, render_batch, render_one


def _layout() -> str:
    layout = request.args.get("layout", "a6")
    if layout not in LAYOUTS:
        abort(400)
    return layout


def _send_pdf(render, filename: str):
    """Render into a temporary file (not memory) and send it."""
    spool = tempfile.TemporaryFile()
    result = render(spool)
    spool.seek(0)
    response = send_file(spool, mimetype="application/pdf", as_attachment=True, download_name=filename)
    response.headers["X-Badge-Count"] = str(result.count)
    response.headers["X-Badge-Warnings"] = str(len(result.warnings))
    return response


@bp.get("/<slug>/manage/badges")
@conference_view(Role.ORGANIZER)
def badges(conference: Conference):
    """Choose delegates and a layout, see how many badges that makes, download or mark as printed."""
    filters = DelegateFilters.from_args(request.args)
    count = count_badges(badge_query(conference, filters))
    return render_template("badging/badges.html", conference=conference, filters=filters, count=count,
                           layout_form=LayoutForm(request.args), countries=countries_present(conference),
                           delegations=delegation_choices(conference), categories=list(Category), form=ConfirmForm())


@bp.get("/<slug>/manage/badges.pdf")
@conference_view(Role.ORGANIZER)
def batch_pdf(conference: Conference):
    """The PDF of every badge matching the filters."""
    layout = _layout()
    filters = DelegateFilters.from_args(request.args)
    query = badge_query(conference, filters)
    if count_badges(query) == 0:
        flash(_("No approved delegate matches these filters, so there is no badge to print."), "error")
        return redirect(url_for("badging.badges", slug=conference.slug, **filters.as_args()))
    return _send_pdf(lambda stream: render_batch(conference, query, layout, stream),
                     f"{conference.slug}-badges-{layout}.pdf")


@bp.post("/<slug>/manage/badges/printed")
@conference_view(Role.ORGANIZER)
def mark_batch_printed(conference: Conference):
    """Record that the badges matching the filters have been printed."""
    filters = DelegateFilters.from_args(request.args)
    if ConfirmForm().validate_on_submit():
        perform(lambda: mark_printed(badge_query(conference, filters)),
                lambda marked: _("%(n)s badges marked as printed.", n=marked))
    return redirect(url_for("badging.badges", slug=conference.slug, **filters.as_args()))


@bp.get("/<slug>/manage/delegates/<int:delegate_id>/badge.pdf")
@conference_view(Role.ORGANIZER)
def delegate_badge(conference: Conference, delegate_id: int):
    """Print one delegate's badge (for the help desk)."""
    delegate = Delegate.get_or_404(conference, delegate_id)
    layout = _layout()
    if delegate.status != DelegateStatus.APPROVED:
        flash(_("Badges are printed for approved delegates only."), "error")
        return redirect(url_for("manage.delegate", slug=conference.slug, delegate_id=delegate.id))
    return _send_pdf(lambda stream: render_one(delegate, conference, layout, stream), f"badge-{delegate.code}.pdf")


@bp.post("/<slug>/manage/delegates/<int:delegate_id>/badge/reissue")
@conference_view(Role.ORGANIZER)
def reissue(conference: Conference, delegate_id: int):
    """Make a new badge (new QR code); the old badge stops admitting anyone."""
    delegate = Delegate.get_or_404(conference, delegate_id)
    if ConfirmForm().validate_on_submit():
        perform(lambda: reissue_badge(delegate, current_user),
                lambda _result: _("A new badge (number %(n)s) has been issued; the old one no longer admits.",
                                  n=delegate.badge_issue))
    return redirect(url_for("manage.delegate", slug=conference.slug, delegate_id=delegate.id))


@bp.get("/<slug>/me/badge.pdf")
@conference_view()
@login_required_view
def my_badge(conference: Conference):
    """The delegate's own badge as a PDF, once approved."""
    delegate = registration_of(current_user, conference)
    if delegate is None or delegate.status != DelegateStatus.APPROVED:
        abort(404)
    return _send_pdf(lambda stream: render_one(delegate, conference, "a6", stream), f"badge-{delegate.code}.pdf")


@bp.app_template_global()
def ebadge_qr(token: str) -> Markup:
    """The e-badge QR code as inline SVG (large enough to scan from a phone screen)."""
    return Markup(qr_svg(token, 320))
