"""Door pages: the scanner (with its decoder worker, service worker and manifest), attendance, gate devices."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from flask import (
    Response,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts.access import conference_view
from ..accounts.forms import ConfirmForm
from ..accounts.models import Role
from ..core.actions import perform
from ..core.assets import file_version
from ..core.charts import column_chart
from ..core.i18n import lang, localized, text_direction
from ..core.security import content_security_policy
from ..core.spreadsheet import csv_response
from ..events.models import Conference
from ..events.services import get_conference_or_404
from ..types import utcnow
from . import attendance as stats
from . import bp, occupancy
from .devices import issue_device_token, list_devices, revoke_device
from .forms import DeviceForm, UndoForm
from .models import CheckIn, Device
from .services import undo_check_in


def scanner_texts() -> dict:
    """The scanner page's texts for its script, translated here because the script has no catalog."""
    help_desk = _("Send them to the help desk.")
    return {
        "ok": _("Admitted"),
        "already_checked_in": _("Already checked in"),
        "first_admission": _("First admitted today at %(time)s"),
        "first_gate": _("at %(gate)s"),
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
            "not_admitted": _("They were not admitted at the entrance today.") + " " + help_desk,
            "no_session": _("No session is running in this room or starting within 15 minutes."),
            "room": _("This room is not one of this conference's rooms."),
        },
        "recorded": _("Recorded in the session"),
        "already_in_session": _("Already recorded in this session"),
        "problem": {
            "network": _("No connection to the server. Please scan again."),
            "session": _("You are no longer logged in. Reload the page and log in again."),
            "rate": _("Too many scans at once. Wait a few seconds and scan again."),
            "server": _("The server could not answer. Please scan again."),
        },
        "country": _("Country"),
        "organization": _("Organization"),
        "category": _("Category"),
        "code": _("Code"),
        "sound_on": _("Sound on"),
        "sound_off": _("Sound off"),
        "camera_on": _("Camera on"),
        "camera_off": _("Camera off"),
        "camera_unavailable": _("No camera available: use the handheld scanner or the search."),
        "camera_starting": _("Starting the camera…"),
        "camera_running": _("Hold the badge’s QR code in front of the camera."),
        "admit": _("Admit"),
        "no_match": _("Nobody found."),
        "searching": _("Searching…"),
        "admitted_today": _("Admitted today at %(time)s"),
        "waiting": _("Scans waiting to be sent: %(n)s"),
        "last_sync": _("Last sync with the server: %(time)s"),
        "never_synced": _("Not synced with the server yet"),
        "online_now": _("Online"),
        "offline_now": _("Offline"),
    }


# The door page decodes QR codes with ZXing compiled to WebAssembly, in a worker loaded from a file.
DOOR_CONTENT_SECURITY_POLICY = content_security_policy(script_src="'wasm-unsafe-eval'")


@bp.get("/<slug>/checkin")
@conference_view(Role.STAFF, Role.ORGANIZER)
def scanner(conference: Conference):
    """The door page: camera, handheld scanner and search, with a verdict readable at arm's length."""
    response = make_response(render_template(
        "checkin/scanner.html", conference=conference, texts=scanner_texts(), rooms=conference.rooms,
        decoder_url=decoder_worker_url(),
        service_worker_url=service_worker_url(conference)))
    response.headers["Content-Security-Policy"] = DOOR_CONTENT_SECURITY_POLICY
    return response


# The door page's files that its service worker keeps, so that the page opens and scans with no network: the page
# loads each of them (tests/checkin/test_door_assets.py checks that these are the URLs the page uses).
DOOR_STATIC_FILES = (
    "css/app.css", "css/checkin.css", "js/app.js", "js/door-auth.js", "js/door-rules.js", "js/checkin-offline.js",
    "js/checkin-camera.js", "js/checkin.js", "icons/door-192.png", "icons/door-512.png",
    "vendor/zxing-wasm/zxing-reader.js", "vendor/zxing-wasm/zxing_reader.wasm",
)


def _js_file(name: str) -> Path:
    return Path(current_app.static_folder) / "js" / name


def decoder_worker_url() -> str:
    """The QR decoder worker's URL, with its file's version (as static URLs have theirs)."""
    return url_for("checkin.decoder_worker", v=file_version(_js_file("checkin-decoder.js")))


def door_precache() -> list[str]:
    """The URLs the door's service worker keeps: each with its content's version, as the page asks for them."""
    return [*(url_for("static", filename=name) for name in DOOR_STATIC_FILES), decoder_worker_url()]


def door_release(precache: list[str]) -> str:
    """A name for the door's files as they are now: it changes when the service worker or any file it keeps does."""
    fingerprint = "\n".join([*precache, file_version(_js_file("checkin-sw.js")) or ""])
    return hashlib.sha256(fingerprint.encode()).hexdigest()[:16]


def service_worker_url(conference: Conference) -> str:
    """The door's service worker, at a URL that changes with the release, so that browsers install the new one."""
    return url_for("checkin.service_worker", slug=conference.slug, v=door_release(door_precache()))


@bp.get("/checkin/decoder-worker.js")
def decoder_worker():
    """The QR decoder's worker script (static/js/checkin-decoder.js), with the policy that lets it run WebAssembly."""
    response = send_from_directory(
        Path(current_app.static_folder) / "js", "checkin-decoder.js", mimetype="text/javascript", max_age=300
    )
    response.headers["Content-Security-Policy"] = DOOR_CONTENT_SECURITY_POLICY
    return response


@bp.get("/<slug>/checkin/service-worker.js")
def service_worker(slug: str):
    """The door page's service worker (static/js/checkin-sw.js), allowed to control the page one level up.

    It is preceded by its cache's name and the URLs to keep (self.DOOR_CACHE), which change with every release.
    """
    conference = get_conference_or_404(slug)
    precache = door_precache()
    settings = {"name": f"door-page-{door_release(precache)}", "precache": precache}
    body = f"self.DOOR_CACHE = {json.dumps(settings)};\n{_js_file('checkin-sw.js').read_text(encoding='utf-8')}"
    response = Response(body, mimetype="text/javascript")
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
        form=UndoForm(), rooms_now=occupancy.room_occupancy(conference),
        sessions=occupancy.sessions_of_day(conference, day), by_hour=occupancy.per_hour_and_room(conference, day),
    )


@bp.get("/<slug>/manage/attendance.csv")
@conference_view(Role.ORGANIZER)
def attendance_csv(conference: Conference):
    """Every admission as a spreadsheet-safe CSV file."""
    filename = f"{conference.slug}-checkins-{utcnow():%Y%m%d-%H%M}.csv"
    return csv_response(filename, stats.checkins_header(), stats.checkin_rows(conference))


@bp.get("/<slug>/manage/attendance/sessions.csv")
@conference_view(Role.ORGANIZER)
def session_attendance_csv(conference: Conference):
    """Attendance per session (who was recorded at a room's door in which session) as a spreadsheet-safe CSV."""
    filename = f"{conference.slug}-session-attendance-{utcnow():%Y%m%d-%H%M}.csv"
    return csv_response(filename, occupancy.session_attendance_header(),
                        occupancy.session_attendance_rows(conference))


@bp.post("/<slug>/manage/attendance/<int:checkin_id>/undo")
@conference_view(Role.ORGANIZER)
def undo_checkin(conference: Conference, checkin_id: int):
    """Take back a wrong admission."""
    checkin = CheckIn.get_or_404(conference, checkin_id)
    form = UndoForm()
    day = checkin.day
    if form.validate_on_submit():
        name = checkin.delegate.name
        perform(lambda: undo_check_in(checkin, current_user, form.note.data or ""),
                _("The admission of %(name)s has been undone.", name=name))
    else:
        flash(" ".join(str(error) for error in form.note.errors) or _("Nothing was changed."), "error")
    return redirect(url_for("checkin.attendance", slug=conference.slug, day=day.isoformat()))


@bp.route("/<slug>/manage/devices", methods=["GET", "POST"])
@conference_view(Role.ORGANIZER)
def devices(conference: Conference):
    """Gate devices: list, issue a token (shown once), revoke."""
    form = DeviceForm(rooms=conference.rooms)
    new_token = new_device = None
    if form.validate_on_submit():
        issued = perform(lambda: issue_device_token(conference, form.name.data, current_user, form.room_id.data))
        if issued.ok:
            new_device, new_token = issued.value
            form = DeviceForm(formdata=None, rooms=conference.rooms)
    response = render_template("checkin/devices.html", conference=conference, form=form,
                               devices=list_devices(conference), new_device=new_device, new_token=new_token,
                               revoke_form=ConfirmForm())
    # The page that shows a token once must not be kept by the browser or a proxy.
    return response, 200, {"Cache-Control": "no-store"}


@bp.post("/<slug>/manage/devices/<int:device_id>/revoke", endpoint="revoke_device")
@conference_view(Role.ORGANIZER)
def revoke_device_view(conference: Conference, device_id: int):
    """Stop a device's token from scanning."""
    device = Device.get_or_404(conference, device_id)
    if ConfirmForm().validate_on_submit():
        perform(lambda: revoke_device(device, current_user),
                _("The device “%(name)s” can no longer scan.", name=device.name))
    return redirect(url_for("checkin.devices", slug=conference.slug))


@bp.after_app_request
def forget_the_door_at_logout(response: Response) -> Response:
    """Logging out deletes what door pages stored on this device: the door list (personal data), its caches."""
    if request.endpoint == "accounts.logout" and request.method == "POST" and response.status_code in (302, 303):
        response.headers["Clear-Site-Data"] = '"cache", "storage"'
    return response
