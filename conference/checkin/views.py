"""Door pages and the scan API: parse, authenticate, call the check-in service, answer."""
from __future__ import annotations

import functools
import json

from pathlib import Path

from flask import (Response, abort, current_app, flash, jsonify, make_response, redirect, render_template, request,
                   send_from_directory, session, url_for)
from flask_babel import gettext as _
from flask_login import current_user
from flask_limiter.util import get_remote_address
from limits import RateLimitItem, parse as parse_limit

from ..accounts.access import conference_view, has_role
from ..accounts.forms import ConfirmForm
from ..accounts.models import Role
from ..core.i18n import lang, localized, text_direction
from ..core.security import CONTENT_SECURITY_POLICY
from ..core.params import parse_id
from ..core.text import forbidden_characters
from ..core.spreadsheet import csv_response
from ..events.models import Conference
from ..events.services import get_conference_or_404
from ..extensions import csrf, db, limiter, login_manager
from ..manage.charts import column_chart
from ..types import utcnow
from . import attendance as stats
from . import bp
from .forms import DeviceForm, UndoForm
from .models import CheckIn, Device
from .doorlist import door_list, door_list_version, parse_since
from .services import (OFFLINE_VERDICTS, CheckInError, NonceReused, ScanRefused, check_in, door, door_for_user,
                       hash_device_token, issue_device_token, list_devices, revoke_device, scan_time, search_delegates,
                       undo_check_in)


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
        "waiting": _("Scans waiting to be sent: %(n)s"), "last_sync": _("Last sync with the server: %(time)s"),
        "never_synced": _("Not synced with the server yet"), "online_now": _("Online"), "offline_now": _("Offline"),
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


@functools.lru_cache(maxsize=8)
def _parsed_limit(text: str) -> RateLimitItem:
    return parse_limit(text)


def _check_scan_rate() -> None:
    """429 past the scan limit: one hit in the limiter's storage.

    Flask-Limiter's middleware and decorator would each work out the route's limits, twice per scan; the scan API
    counts itself instead (see _scan_api_counts_itself), in the same storage.
    """
    if not limiter.limiter.hit(_parsed_limit(_scan_rate_limit()), "scan", scanner_key()):
        abort(429)


@limiter.request_filter
def _scan_api_counts_itself() -> bool:
    """Flask-Limiter skips the scan API, which checks its own limit (_check_scan_rate)."""
    return request.endpoint == "checkin.scan_api"


def _authenticate(slug: str):
    """(conference, staff user, device) of a scan or search, or abort with 400, 401, 403 or 404.

    One query loads the conference with the device or the session's user and their door role; the user is then
    handed to Flask-Login, so nothing loads it again in this request.
    """
    token = _bearer_token()
    if token is not None:
        conference, device = door(slug, token)
        if conference is None:
            abort(404)
        if device is None:
            abort(401)
        if device.revoked_at is not None or device.conference_id != conference.id:
            abort(403)
        return conference, None, device
    session_id = session.get("_user_id")
    user_number = parse_id(session_id.partition(":")[0]) if isinstance(session_id, str) else None
    if user_number is None:
        # No session user (perhaps a remember-me cookie): Flask-Login's own path.
        conference = door(slug)[0]
        if conference is None:
            abort(404)
        if not current_user.is_authenticated:
            abort(401)
        if not has_role(current_user, conference, Role.STAFF, Role.ORGANIZER):
            abort(403)
        user = current_user._get_current_object()
    else:
        conference, user, may_scan = door_for_user(slug, user_number)
        if conference is None:
            abort(404)
        # The same test as the session loader (accounts.access.load_user): the stored id must still match.
        if user is None or user.get_id() != session_id:
            abort(401)
        login_manager._update_request_context_with_user(user)
        if not may_scan:
            abort(403)
    csrf.protect()  # a session cookie alone could be a cross-site request; the page sends X-CSRFToken
    return conference, user, None


def _json_body() -> dict:
    """The request's JSON object, or abort with 400 (malformed, too deep, not an object)."""
    try:
        data = json.loads(request.get_data(cache=False))
    except (ValueError, RecursionError):  # get_json(silent=True) lets a RecursionError through as a 500
        abort(400)
    if not isinstance(data, dict):
        abort(400)
    return data


def _scan_request() -> dict:
    """check_in()'s arguments from the JSON body, or abort with 400."""
    data = _json_body()
    code, gate, nonce = data.get("code"), data.get("gate") or "", data.get("nonce")
    offline_verdict = data.get("offline_verdict")
    if isinstance(code, int) and not isinstance(code, bool):
        # A scanner app that sends the digits as a JSON number: tokens are zero-padded to 39 digits.
        code = f"{code:039d}" if 0 <= code < 10 ** 39 else str(code)
    if isinstance(nonce, int) and not isinstance(nonce, bool):
        nonce = str(nonce)
    if not isinstance(code, str) or not code.strip() or not isinstance(gate, str) \
            or not (nonce is None or isinstance(nonce, str)) \
            or not (offline_verdict is None or offline_verdict in OFFLINE_VERDICTS):
        abort(400)
    if forbidden_characters(gate):  # as in every form: no control or bidi-override characters in a gate name
        abort(400)
    return {"code": code, "gate": gate, "nonce": nonce, "offline_verdict": offline_verdict,
            "scanned_at": data.get("scanned_at")}


@bp.post("/api/v1/<slug>/checkin")
@csrf.exempt
def scan_api(slug: str):
    """The check-in contract: one scan in, one verdict out (HTTP 200 for every verdict)."""
    _check_scan_rate()
    conference, staff, device = _authenticate(slug)
    scan = _scan_request()
    try:
        scan["scanned_at"] = scan_time(scan["scanned_at"])
        result = check_in(conference, staff=staff, device=device, **scan)
    except ScanRefused as refusal:
        return jsonify({"status": "error", "error": 400, "reason": "scanned_at", "message": str(refusal)}), 400
    except NonceReused:
        abort(400)
    return Response(result.body, mimetype="application/json")


@bp.get("/api/v1/<slug>/checkin/search")
@limiter.limit(_scan_rate_limit, key_func=scanner_key)
def search_api(slug: str):
    """Registrations matching a name, e-mail or human code, for admitting someone whose badge will not scan."""
    conference, _, _ = _authenticate(slug)
    return jsonify({"results": search_delegates(conference, request.args.get("q", ""))})


@bp.get("/api/v1/<slug>/door-list")
@limiter.limit(_scan_rate_limit, key_func=scanner_key)
def door_list_api(slug: str):
    """Today's door list for judging scans offline: token hashes, never tokens; ETag and `since=` deltas."""
    conference, _, _ = _authenticate(slug)
    try:
        since = parse_since(request.args.get("since"))
    except ValueError:
        abort(400)
    version = door_list_version(conference)
    # The version is in the body too: the page reads it there, whatever a proxy does to the ETag header.
    headers = {"ETag": f'"{version}"', "Cache-Control": "private, no-cache", "Vary": "Cookie, Authorization"}
    if request.if_none_match.contains(version):
        return Response(status=304, headers=headers)
    body = dict(door_list(conference, since), version=version)
    return Response(json.dumps(body, ensure_ascii=False, separators=(",", ":")), mimetype="application/json",
                    headers=headers)


# The door page decodes QR codes with ZXing compiled to WebAssembly, in a worker loaded from a file: its scripts
# may compile WebAssembly (nothing else on the site may), and no worker comes from a blob: URL.
DOOR_CONTENT_SECURITY_POLICY = (CONTENT_SECURITY_POLICY
                                .replace("script-src 'self'", "script-src 'self' 'wasm-unsafe-eval'")
                                .replace("worker-src 'self' blob:", "worker-src 'self'"))


@bp.get("/<slug>/checkin")
@conference_view(Role.STAFF, Role.ORGANIZER)
def scanner(conference: Conference):
    """The door page: camera, handheld scanner and search, with a verdict readable at arm's length."""
    response = make_response(render_template("checkin/scanner.html", conference=conference, texts=scanner_texts()))
    response.headers["Content-Security-Policy"] = DOOR_CONTENT_SECURITY_POLICY
    return response


@bp.get("/checkin/decoder-worker.js")
def decoder_worker():
    """The QR decoder's worker script (static/js/checkin-decoder.js), with the policy that lets it run WebAssembly."""
    response = send_from_directory(Path(current_app.static_folder) / "js", "checkin-decoder.js", mimetype="text/javascript", max_age=300)
    response.headers["Content-Security-Policy"] = DOOR_CONTENT_SECURITY_POLICY
    return response


@bp.get("/<slug>/checkin/service-worker.js")
def service_worker(slug: str):
    """The door page's service worker (static/js/checkin-sw.js), allowed to control the page one level up."""
    conference = get_conference_or_404(slug)
    response = send_from_directory(Path(current_app.static_folder) / "js", "checkin-sw.js", mimetype="text/javascript", max_age=0)
    response.headers["Service-Worker-Allowed"] = url_for("checkin.scanner", slug=conference.slug)
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/<slug>/checkin/manifest.webmanifest")
def manifest(slug: str):
    """The installable door app's manifest: it opens this conference's scanner (no personal data)."""
    conference = get_conference_or_404(slug)
    start = url_for("checkin.scanner", slug=conference.slug)
    icons = [{"src": url_for("static", filename=f"icons/door-{size}.png"), "sizes": f"{size}x{size}",
              "type": "image/png", "purpose": "any maskable"} for size in (192, 512)]
    body = {"name": f"{_('Door check-in')} · {localized(conference, 'name')}", "short_name": _("Door check-in"),
            "start_url": start, "scope": start, "display": "standalone", "background_color": "#ffffff",
            "theme_color": "#0b6e6e", "lang": lang(), "dir": text_direction(), "icons": icons}
    return Response(json.dumps(body, ensure_ascii=False), mimetype="application/manifest+json")


@bp.get("/<slug>/manage/attendance")
@conference_view(Role.ORGANIZER)
def attendance(conference: Conference):
    """Live attendance of one day: numbers, breakdowns, a chart per quarter hour and the latest scans."""
    day = stats.attendance_day(conference, request.args.get("day"))
    return render_template(
        "checkin/attendance.html", conference=conference, day=day,
        days=stats.day_choices(conference, day), summary=stats.summary(conference, day),
        chart=column_chart(stats.per_quarter_hour(conference, day), text_direction() == "rtl"),
        scans=stats.latest_scans(conference), duplicates=stats.offline_duplicates(conference, day),
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


@bp.after_app_request
def forget_the_door_at_logout(response: Response) -> Response:
    """Logging out deletes what door pages stored on this device: the door list (personal data), its caches."""
    if request.endpoint == "accounts.logout" and request.method == "POST" and response.status_code in (302, 303):
        response.headers["Clear-Site-Data"] = '"cache", "storage"'
    return response
