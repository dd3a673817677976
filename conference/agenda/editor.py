"""The organizers' agenda editor: the day grid, the session form, the to-be-scheduled list, publishing."""
from __future__ import annotations

from datetime import date, time

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from ..accounts.access import conference_view
from ..accounts.forms import ConfirmForm
from ..accounts.models import Role
from ..core.actions import perform
from ..core.i18n import zone_label
from ..core.params import page_number, parse_date, parse_id
from ..events.models import Conference
from ..extensions import db
from . import bp
from .assistant import accept_placement, parse_item, preview_grids, propose_placement
from .checks import agenda_warnings, warnings_by_session
from .days import programme_windows
from .forms import PlaceForm, ProgrammeHoursForm, PublishForm, SessionForm
from .grid import day_grid
from .history import entries, history_query, recent_changes
from .models import AgendaSession
from .services import (
    actor_name,
    create_session,
    delete_session,
    people_choices,
    place_session,
    proposals_to_schedule,
    save_hours,
    schedule_proposal,
    unplace_session,
    update_session,
    working_sessions,
)
from .versions import build_snapshot, compare, latest_version, publish_agenda, read_version, renamed_places


def chosen_day(conference: Conference) -> date:
    """The ?day= of the conference (its first day when absent or not one of its days)."""
    day = parse_date(request.args.get("day"))
    return day if day in conference.days else conference.start_date


@bp.get("/<slug>/manage/agenda")
@conference_view(Role.ORGANIZER)
def editor(conference: Conference):
    """The working copy of one day as a grid, what is still to be scheduled, and the open warnings."""
    day = chosen_day(conference)
    sessions = working_sessions(conference)
    warnings = agenda_warnings(conference, sessions)
    window = programme_windows(conference, sessions)[day]
    grid = day_grid(conference, day, conference.rooms, [s for s in sessions if s.placed],
                    lambda s: (s.starts_at, s.ends_at), lambda s: s.room_id)
    return render_template(
        "agenda/editor.html", conference=conference, day=day, grid=grid, warnings=warnings,
        flagged=warnings_by_session(warnings), unplaced=[s for s in sessions if not s.placed],
        proposals=proposals_to_schedule(conference), place_form=PlaceForm(conference=conference),
        version=latest_version(conference), form=ConfirmForm(), session_count=sum(1 for s in sessions if s.placed),
        recent=recent_changes(conference), window=window, titles={s.id: s for s in sessions},
        hours_form=ProgrammeHoursForm(conference=conference, day=day, starts=window.starts, ends=window.ends),
    )


@bp.post("/<slug>/manage/agenda/hours")
@conference_view(Role.ORGANIZER)
def programme_hours(conference: Conference):
    """Set a day's programme hours, or give the day back to its sessions for everyone."""
    form = ProgrammeHoursForm(conference=conference)
    if not form.validate_on_submit():
        flash(_("Choose a day, and give the hours as hh:mm."), "error")
        return redirect(url_for("agenda.editor", slug=conference.slug))
    clear = request.form.get("action") == "clear"
    starts, ends = (None, None) if clear else (form.starts.data, form.ends.data)
    perform(lambda: save_hours(conference, form.day.data, starts, ends),
            _("The day's programme follows its sessions for everyone again.") if clear
            else _("The day's programme hours are saved."))
    return redirect(url_for("agenda.editor", slug=conference.slug, day=form.day.data.isoformat()))


HISTORY_PAGE_SIZE = 50


@bp.get("/<slug>/manage/agenda/history")
@conference_view(Role.ORGANIZER)
def history(conference: Conference):
    """Every change of the working copy and every publication, newest first: who, when, what, from where to where."""
    page = db.paginate(history_query(conference), page=page_number(request.args), per_page=HISTORY_PAGE_SIZE,
                       error_out=False)
    return render_template("agenda/history.html", conference=conference, page=page,
                           rows=entries(conference, page.items), zone=zone_label(conference))


def _prefill(form: SessionForm, conference: Conference) -> None:
    """A new session from a grid slot: ?room=&day=&start= fill the form."""
    room_id = parse_id(request.args.get("room"))
    if room_id and any(r.id == room_id for r in conference.rooms):
        form.room_id.data = room_id
    day = chosen_day(conference) if request.args.get("day") else None
    try:
        start = time.fromisoformat(request.args.get("start", ""))
    except ValueError:
        start = None
    if day and start:
        form.day.data, form.start.data = day, start
        form.end.data = time(min(start.hour + 1, 23), start.minute if start.hour < 23 else 55)


@bp.route("/<slug>/manage/agenda/new", methods=["GET", "POST"])
@conference_view(Role.ORGANIZER)
def new_session(conference: Conference):
    """Add a session, on the grid or to the list of those to be scheduled."""
    form = SessionForm(conference=conference, people=people_choices(conference))
    if request.method == "GET":
        _prefill(form, conference)
    if form.validate_on_submit():
        saved = perform(lambda: create_session(conference, form.session_data(), current_user),
                        _("The session has been saved."))
        if saved.ok:
            return redirect(_back_to(conference, saved.value))
    return render_template("agenda/session_form.html", conference=conference, form=form, session=None, warnings=[])


def _back_to(conference: Conference, session) -> str:
    day = conference.local_date(session.starts_at).isoformat() if session.starts_at else None
    return url_for("agenda.editor", slug=conference.slug, day=day, _anchor=f"session-{session.id}")


@bp.route("/<slug>/manage/agenda/<int:session_id>/edit", methods=["GET", "POST"])
@conference_view(Role.ORGANIZER)
def edit_session(conference: Conference, session_id: int):
    """Change a session; its warnings are shown above the form."""
    session = AgendaSession.get_or_404(conference, session_id)
    form = SessionForm(obj=session if request.method == "GET" else None, conference=conference,
                       people=people_choices(conference))
    if request.method == "GET":
        if session.starts_at:
            local_start, local_end = (session.starts_at.astimezone(conference.tz),
                                      session.ends_at.astimezone(conference.tz))
            form.day.data, form.start.data, form.end.data = local_start.date(), local_start.time(), local_end.time()
        form.kind.data = session.kind.value
        form.speaker_ids.data = [p.delegate_id for p in session.people if p.role == "speaker"]
        form.moderator_ids.data = [p.delegate_id for p in session.people if p.role == "moderator"]
    if form.validate_on_submit():
        if perform(lambda: update_session(conference, session, form.session_data(), current_user),
                   _("The session has been saved.")).ok:
            return redirect(_back_to(conference, session))
    warnings = warnings_by_session(agenda_warnings(conference, working_sessions(conference))).get(session.id, [])
    return render_template("agenda/session_form.html", conference=conference, form=form, session=session,
                           warnings=warnings, delete_form=ConfirmForm())


@bp.post("/<slug>/manage/agenda/<int:session_id>/place")
@conference_view(Role.ORGANIZER)
def place(conference: Conference, session_id: int):
    """Put a session from the list into the chosen room and time."""
    session = AgendaSession.get_or_404(conference, session_id)
    form = PlaceForm(conference=conference)
    if not form.validate_on_submit():
        flash(_("Choose a room, a day and a start time."), "error")
        return redirect(url_for("agenda.editor", slug=conference.slug))
    if not perform(lambda: place_session(conference, session, form.room_id.data, form.day.data, form.start.data,
                                         current_user), _("The session is on the grid.")).ok:
        return redirect(url_for("agenda.editor", slug=conference.slug, day=form.day.data.isoformat()))
    return redirect(_back_to(conference, session))


@bp.post("/<slug>/manage/agenda/proposals/<int:proposal_id>/schedule")
@conference_view(Role.ORGANIZER)
def schedule(conference: Conference, proposal_id: int):
    """Create the session of a confirmed proposal in the chosen room and time."""
    form = PlaceForm(conference=conference)
    if not form.validate_on_submit():
        flash(_("Choose a room, a day and a start time."), "error")
        return redirect(url_for("agenda.editor", slug=conference.slug))
    scheduled = perform(lambda: schedule_proposal(conference, proposal_id, form.room_id.data, form.day.data,
                                                  form.start.data, current_user), _("The proposal is on the agenda."))
    if not scheduled.ok:
        return redirect(url_for("agenda.editor", slug=conference.slug))
    return redirect(_back_to(conference, scheduled.value))


@bp.post("/<slug>/manage/agenda/<int:session_id>/unplace")
@conference_view(Role.ORGANIZER)
def unplace(conference: Conference, session_id: int):
    """Take a session off the grid (it goes back to the list)."""
    session = AgendaSession.get_or_404(conference, session_id)
    if ConfirmForm().validate_on_submit():
        perform(lambda: unplace_session(conference, session, current_user),
                _("The session is back in the list of sessions to schedule."))
    return redirect(url_for("agenda.editor", slug=conference.slug))


@bp.post("/<slug>/manage/agenda/<int:session_id>/delete")
@conference_view(Role.ORGANIZER)
def delete(conference: Conference, session_id: int):
    """Delete a session of the working copy (a published one shows as cancelled in the next version)."""
    session = AgendaSession.get_or_404(conference, session_id)
    if ConfirmForm().validate_on_submit():
        perform(lambda: delete_session(conference, session, current_user), _("The session has been deleted."))
    return redirect(url_for("agenda.editor", slug=conference.slug))


@bp.route("/<slug>/manage/agenda/publish", methods=["GET", "POST"])
@conference_view(Role.ORGANIZER)
def publish(conference: Conference):
    """Show what will change and the open warnings, then publish the next version."""
    form = PublishForm()
    if form.validate_on_submit():
        if perform(lambda: publish_agenda(conference, current_user, form.note.data or "",
                                          warnings_seen=bool(form.confirm_warnings.data)),
                   lambda version: _("Version %(n)s of the agenda is published.", n=version.number)).ok:
            return redirect(url_for("agenda.editor", slug=conference.slug))
    sessions = working_sessions(conference)
    previous = latest_version(conference)
    before = read_version(previous) if previous else None
    after = build_snapshot(conference, sessions, before)
    return render_template("agenda/publish.html", conference=conference, form=form, previous=previous,
                           changes=compare(before, after), renamed=renamed_places(before, after),
                           warnings=agenda_warnings(conference, sessions),
                           placed=len(after.sessions))


@bp.get("/<slug>/manage/agenda/placement")
@conference_view(Role.ORGANIZER)
def placement(conference: Conference):
    """The placement assistant's proposal as a preview: what is new, what moves, what was left out and why."""
    move_placed = request.args.get("move") == "1"
    proposal = propose_placement(conference, move_placed, current_app.config["PLACEMENT_TIME_LIMIT"])
    return render_template("agenda/placement.html", conference=conference, proposal=proposal,
                           move_placed=move_placed, grids=preview_grids(conference, proposal), form=ConfirmForm())


@bp.post("/<slug>/manage/agenda/placement/accept")
@conference_view(Role.ORGANIZER)
def accept_placement_items(conference: Conference):
    """Apply all or the chosen items of a proposal to the working copy, each re-checked as a hand edit is."""
    editor_page = url_for("agenda.editor", slug=conference.slug)
    if not ConfirmForm().validate_on_submit():
        flash(_("The form has expired. Please ask for a new proposal."), "error")
        return redirect(editor_page)
    action = request.form.get("action")
    if action not in ("all", "selected"):
        flash(_("The proposal was discarded; nothing changed."), "success")
        return redirect(editor_page)
    chosen = [item for item in map(parse_item, request.form.getlist("offered" if action == "all" else "item"))
              if item is not None]
    if not chosen:
        flash(_("No item was chosen; nothing changed."), "error")
        return redirect(editor_page)
    accepted = perform(lambda: accept_placement(conference, chosen, actor_name(current_user), current_user))
    if accepted.ok:
        if accepted.value.applied:
            flash(ngettext("%(num)s session placed on the working copy.",
                           "%(num)s sessions placed on the working copy.", accepted.value.applied), "success")
        for refusal in accepted.value.refused:
            flash(refusal, "error")
    return redirect(editor_page)
