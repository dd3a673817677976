"""Door pages and the scan API: parse, authenticate, call the check-in service, answer."""
from __future__ import annotations

from flask import Response, abort, current_app, flash, jsonify, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_limiter.util import get_remote_address

from ..accounts.access import conference_view, has_role
from ..accounts.forms import ConfirmForm
from ..accounts.models import Role
from ..core.i18n import text_direction
from ..core.spreadsheet import csv_response
from ..events.models import Conference
from ..extensions import csrf, db, limiter
from ..manage.charts import column_chart
from ..types import utcnow
from . import attendance as stats
from . import bp
from .forms import DeviceForm, UndoForm
from .models import CheckIn, Device
from .services import (CheckInError, NonceReused, check_in, door, hash_device_token, issue_device_token, list_devices, revoke_device,
                       search_delegates, undo_check_in)


def scanner_texts() -> dict:
    """The scanner page's texts for its script, translated here because the script has no catalog."""
    help_desk = _("Send them to the help desk.")
    return {
        "ok": _("Admitted"), "already_checked_in": _("Already checked in"),
        "first_admission": _("First admitted today at %(time)s"), "first_gate": _("at %(gate)s"),
        "refused": _("Not admitted"),
        "advice": {
            "ok": _("Welcome! They may go in."),
            "already_checked_in": _("This badge was already used today. Check the photo ID if in doubt."),
            "invalid": _("This is not a badge of this conference.") + " " + help_desk,
            "revoked": _("This badge was replaced by a newer one.") + " " + help_desk,
            "not_confirmed": _("This registration has not been approved.") + " " + help_desk,
            "cancelled": _("This registration was cancelled.") + " " + help_desk,
            "other_conference": _("This badge is for another conference.") + " " + help_desk,
            "not_today": _("Admission is only on the conference days.") + " " + help_desk,
        },
        "problem": {
            "network": _("No connection to the server. Please scan again."),
            "session": _("You are no longer logged in. Reload the page and log in again."),
            "rate": _("Too many scans at once. Wait a few seconds and scan again."),
            "server": _("The server could not answer. Please scan again."),
        },
        "country": _("Country"), "organization": _("Organization"), "category": _("Category"),
        "code": _("Code"), "sound_on": _("Sound on"), "sound_off": _("Sound off"),
        "camera_on": _("Camera on"), "camera_off": _("Camera off"),
        "camera_unavailable": _("No camera available: use the handheld scanner or the search."),
        "camera_starting": _("Starting the camera…"), "camera_running": _("Hold the badge’s QR code in front of the camera."),
        "admit": _("Admit"), "no_match": _("Nobody found."), "searching": _("Searching…"),
        "admitted_today": _("Admitted today at %(time)s"),
    }


def _bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else None


def scanner_key() -> str:
    """Rate-limit key: the device (by its token's hash, no database needed), else the user, else the address."""
    token = _bearer_token()
    if token:
        return "device:" + hash_device_token(token)
    user_id = session.get("_user_id")
    return f"user:{user_id}" if user_id else "ip:" + (get_remote_address() or "")


def _scan_rate_limit() -> str:
    return current_app.config["SCAN_RATE_LIMIT"]


def _authenticate(slug: str):
    """(conference, staff user, device) of a scan or search, or abort with 400, 401, 403 or 404."""
    token = _bearer_token()
    conference, device = door(slug, token)
    if conference is None:
        abort(404)
    if token is not None:
        if device is None:
            abort(401)
        if device.revoked_at is not None or device.conference_id != conference.id:
            abort(403)
        return conference, None, device
    if not current_user.is_authenticated:
        abort(401)
    if not has_role(current_user, conference, Role.STAFF, Role.ORGANIZER):
        abort(403)
    csrf.protect()  # a session cookie alone could be a cross-site request; the page sends X-CSRFToken
    return conference, current_user._get_current_object(), None


def _scan_request() -> tuple[str, str, str | None]:
    """(code, gate, nonce) from the JSON body, or abort with 400."""
    data = request.get_json(force=True, silent=True)
    if not isinstance(data, dict):
        abort(400)
    code, gate, nonce = data.get("code"), data.get("gate") or "", data.get("nonce")
    if isinstance(code, int) and not isinstance(code, bool):
        # A scanner app that sends the digits as a JSON number: tokens are zero-padded to 39 digits.
        code = f"{code:039d}" if 0 <= code < 10 ** 39 else str(code)
    if isinstance(nonce, int) and not isinstance(nonce, bool):
        nonce = str(nonce)
    if not isinstance(code, str) or not code.strip() or not isinstance(gate, str) \
            or not (nonce is None or isinstance(nonce, str)):
        abort(400)
    return code, gate, nonce


@bp.post("/api/v1/<slug>/checkin")
@csrf.exempt
@limiter.limit(_scan_rate_limit, key_func=scanner_key)
def scan_api(slug: str):
    """The check-in contract: one scan in, one verdict out (HTTP 200 for every verdict)."""
    conference, staff, device = _authenticate(slug)
    code, gate, nonce = _scan_request()
    try:
        result = check_in(conference, code, gate, nonce, staff=staff, device=device)
    except NonceReused:
        abort(400)
    return Response(result.body, mimetype="application/json")


@bp.get("/api/v1/<slug>/checkin/search")
@limiter.limit(_scan_rate_limit, key_func=scanner_key)
def search_api(slug: str):
    """Registrations matching a name, e-mail or human code, for admitting someone whose badge will not scan."""
    conference, _, _ = _authenticate(slug)
    return jsonify({"results": search_delegates(conference, request.args.get("q", ""))})


@bp.get("/<slug>/checkin")
@conference_view(Role.STAFF, Role.ORGANIZER)
def scanner(conference: Conference):
    """The door page: camera, handheld scanner and search, with a verdict readable at arm's length."""
    return render_template("checkin/scanner.html", conference=conference, texts=scanner_texts())


@bp.get("/<slug>/manage/attendance")
@conference_view(Role.ORGANIZER)
def attendance(conference: Conference):
    """Live attendance of one day: numbers, breakdowns, a chart per quarter hour and the latest scans."""
    day = stats.attendance_day(conference, request.args.get("day"))
    return render_template(
        "checkin/attendance.html", conference=conference, day=day,
        days=stats.day_choices(conference, day), summary=stats.summary(conference, day),
        chart=column_chart(stats.per_quarter_hour(conference, day), text_direction() == "rtl"),
        scans=stats.latest_scans(conference),
        form=UndoForm(),
    )


@bp.get("/<slug>/manage/attendance.csv")
@conference_view(Role.ORGANIZER)
def attendance_csv(conference: Conference):
    """Every admission as a spreadsheet-safe CSV file."""
    filename = f"{conference.slug}-checkins-{utcnow():%Y%m%d-%H%M}.csv"
    return csv_response(filename, stats.checkins_header(), stats.checkin_rows(conference))


@bp.post("/<slug>/manage/attendance/<int:checkin_id>/undo")
@conference_view(Role.ORGANIZER)
def undo_checkin(conference: Conference, checkin_id: int):
    """Take back a wrong admission."""
    checkin = db.session.get(CheckIn, checkin_id)
    if checkin is None or checkin.conference_id != conference.id:
        abort(404)
    form = UndoForm()
    day = checkin.day
    if form.validate_on_submit():
        name = checkin.delegate.name
        try:
            undo_check_in(checkin, current_user, form.note.data or "")
        except CheckInError:
            db.session.rollback()
            flash(_("This admission had already been undone."), "info")
        else:
            db.session.commit()
            flash(_("The admission of %(name)s has been undone.", name=name), "success")
    else:
        flash(" ".join(str(error) for error in form.note.errors) or _("Nothing was changed."), "error")
    return redirect(url_for("checkin.attendance", slug=conference.slug, day=day.isoformat()))


@bp.route("/<slug>/manage/devices", methods=["GET", "POST"])
@conference_view(Role.ORGANIZER)
def devices(conference: Conference):
    """Gate devices: list, issue a token (shown once), revoke."""
    form = DeviceForm()
    new_token = new_device = None
    if form.validate_on_submit():
        new_device, new_token = issue_device_token(conference, form.name.data, current_user)
        db.session.commit()
        form = DeviceForm(formdata=None)
    response = render_template("checkin/devices.html", conference=conference, form=form,
                               devices=list_devices(conference), new_device=new_device, new_token=new_token,
                               revoke_form=ConfirmForm())
    # The page that shows a token once must not be kept by the browser or a proxy.
    return response, 200, {"Cache-Control": "no-store"}


@bp.post("/<slug>/manage/devices/<int:device_id>/revoke", endpoint="revoke_device")
@conference_view(Role.ORGANIZER)
def revoke_device_view(conference: Conference, device_id: int):
    """Stop a device's token from scanning."""
    device = db.session.get(Device, device_id)
    if device is None or device.conference_id != conference.id:
        abort(404)
    if ConfirmForm().validate_on_submit():
        revoke_device(device, current_user)
        db.session.commit()
        flash(_("The device “%(name)s” can no longer scan.", name=device.name), "success")
    return redirect(url_for("checkin.devices", slug=conference.slug))
