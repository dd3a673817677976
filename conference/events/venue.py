"""Organizer pages for the venue's rooms and the programme's tracks: list, add, edit, reorder, delete."""
from __future__ import annotations

from types import SimpleNamespace

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..accounts.access import conference_view
from ..accounts.forms import ConfirmForm
from ..accounts.models import Role
from ..core.actions import perform
from . import bp
from .forms import RoomForm, TrackForm
from .models import Conference, Room, Track
from .services import (
    add_room,
    add_track,
    delete_room,
    delete_track,
    move_room,
    move_track,
    update_room,
    update_track,
)

STEPS = {"up": -1, "down": 1}


def _step(direction: str) -> int:
    return STEPS.get(direction) or abort(404)


def _saved(form: RoomForm | TrackForm, action, success: str) -> bool:
    """Commit the change through perform(); a refusal is written under the field it is about (a taken name...)."""
    refusal = SimpleNamespace(errors=[])
    outcome = perform(action, success, field=refusal)
    if refusal.errors:
        field = form._fields.get(getattr(outcome.error, "field", ""), form.name_en)
        field.errors = [*field.errors, *refusal.errors]
    return outcome.ok


@bp.get("/<slug>/manage/rooms")
@conference_view(Role.ORGANIZER)
def rooms(conference: Conference):
    """The conference's rooms in display order, with buttons to reorder and delete them."""
    return render_template("events/rooms.html", conference=conference, form=ConfirmForm())


@bp.route("/<slug>/manage/rooms/new", methods=["GET", "POST"])
@conference_view(Role.ORGANIZER)
def new_room(conference: Conference):
    """Add a room at the end of the list."""
    form = RoomForm()
    if form.validate_on_submit():
        data = form.room_data()
        if _saved(form, lambda: add_room(conference, **data), _("The room has been added.")):
            return redirect(url_for("events.rooms", slug=conference.slug))
    return render_template("events/room_form.html", conference=conference, form=form, room=None)


@bp.route("/<slug>/manage/rooms/<int:room_id>/edit", methods=["GET", "POST"])
@conference_view(Role.ORGANIZER)
def edit_room(conference: Conference, room_id: int):
    """Change a room's names, capacity, booths or opening hours."""
    room = Room.get_or_404(conference, room_id)
    form = RoomForm(obj=room if request.method == "GET" else None)
    if form.validate_on_submit():
        if _saved(form, lambda: update_room(room, form.room_data()), _("The room has been saved.")):
            return redirect(url_for("events.rooms", slug=conference.slug))
    return render_template("events/room_form.html", conference=conference, form=form, room=room)


@bp.post("/<slug>/manage/rooms/<int:room_id>/move/<direction>", endpoint="move_room")
@conference_view(Role.ORGANIZER)
def move_room_view(conference: Conference, room_id: int, direction: str):
    """Move a room one place up or down."""
    room, step = Room.get_or_404(conference, room_id), _step(direction)
    if ConfirmForm().validate_on_submit():
        perform(lambda: move_room(room, step))
    return redirect(url_for("events.rooms", slug=conference.slug, _anchor=f"room-{room_id}"))


@bp.post("/<slug>/manage/rooms/<int:room_id>/delete", endpoint="delete_room")
@conference_view(Role.ORGANIZER)
def delete_room_view(conference: Conference, room_id: int):
    """Delete a room that no session uses (otherwise say how many do)."""
    room = Room.get_or_404(conference, room_id)
    if ConfirmForm().validate_on_submit():
        name = room.name_en
        perform(lambda: delete_room(room), _("The room “%(name)s” has been deleted.", name=name))
    return redirect(url_for("events.rooms", slug=conference.slug))


@bp.get("/<slug>/manage/tracks")
@conference_view(Role.ORGANIZER)
def tracks(conference: Conference):
    """The conference's tracks in display order, with buttons to reorder and delete them."""
    return render_template("events/tracks.html", conference=conference, form=ConfirmForm())


@bp.route("/<slug>/manage/tracks/new", methods=["GET", "POST"])
@conference_view(Role.ORGANIZER)
def new_track(conference: Conference):
    """Add a track at the end of the list."""
    form = TrackForm()
    if form.validate_on_submit():
        data = form.track_data()
        if _saved(form, lambda: add_track(conference, **data), _("The track has been added.")):
            return redirect(url_for("events.tracks", slug=conference.slug))
    return render_template("events/track_form.html", conference=conference, form=form, track=None)


@bp.route("/<slug>/manage/tracks/<int:track_id>/edit", methods=["GET", "POST"])
@conference_view(Role.ORGANIZER)
def edit_track(conference: Conference, track_id: int):
    """Change a track's names or colour."""
    track = Track.get_or_404(conference, track_id)
    form = TrackForm(obj=track if request.method == "GET" else None)
    if form.validate_on_submit():
        if _saved(form, lambda: update_track(track, form.track_data()), _("The track has been saved.")):
            return redirect(url_for("events.tracks", slug=conference.slug))
    return render_template("events/track_form.html", conference=conference, form=form, track=track)


@bp.post("/<slug>/manage/tracks/<int:track_id>/move/<direction>", endpoint="move_track")
@conference_view(Role.ORGANIZER)
def move_track_view(conference: Conference, track_id: int, direction: str):
    """Move a track one place up or down."""
    track, step = Track.get_or_404(conference, track_id), _step(direction)
    if ConfirmForm().validate_on_submit():
        perform(lambda: move_track(track, step))
    return redirect(url_for("events.tracks", slug=conference.slug, _anchor=f"track-{track_id}"))


@bp.post("/<slug>/manage/tracks/<int:track_id>/delete", endpoint="delete_track")
@conference_view(Role.ORGANIZER)
def delete_track_view(conference: Conference, track_id: int):
    """Delete a track that no session or proposal uses (otherwise say how many do)."""
    track = Track.get_or_404(conference, track_id)
    if ConfirmForm().validate_on_submit():
        name = track.name_en
        perform(lambda: delete_track(track), _("The track “%(name)s” has been deleted.", name=name))
    return redirect(url_for("events.tracks", slug=conference.slug))
