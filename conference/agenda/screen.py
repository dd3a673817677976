"""The venue screen: a full-screen lobby or room-door display in Arabic and English, refreshed in place."""
from __future__ import annotations

from datetime import date, datetime

from babel import Locale
from babel.dates import format_date, format_datetime
from flask import abort, make_response, render_template, request
from flask_babel import force_locale, ngettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..accounts.access import conference_view, has_role
from ..accounts.models import Role
from ..core.i18n import moment_pattern, zone_label
from ..core.pagecache import cached
from ..core.params import parse_id, parse_local_moment
from ..core.signals import room_occupancy
from ..events.models import Conference
from ..types import utcnow
from . import bp
from .board import Board, venue_board
from .exports import clean, person_name
from .snapshot import PublishedRoom
from .versions import CHANGE_TITLES, published, published_room
from .views import PublicAgenda, public_view, shared_key

LANGUAGES = ("en", "ar")
REFRESH_SECONDS, MAX_REFRESH_SECONDS = 30, 3600
LATER_SHOWN = 4  # sessions of "later today" (two rows of two) that fit under the rooms at the screen's type size

LABELS = {
    "screen": _l("Venue screen"),
    "now": _l("Now"),
    "next": _l("Next"),
    "later": _l("Later today"),
    "nothing_now": _l("Nothing is running right now."),
    "nothing_next": _l("Nothing more today."),
    "ended": _l("The conference has ended. Thank you for joining us."),
    "unpublished": _l("The agenda has not been published yet."),
    "stale": _l("No connection: showing the programme as of"),
    "preview": _l("Preview for organizers: the screen as it will be at this time"),
    "full": _l("Full"),
    **{f"change_{kind}": title for kind, title in CHANGE_TITLES.items()},
}


def in_both(render) -> dict[str, str]:
    """`render()` called once in English and once in Arabic, whatever the page's own language."""
    texts = {}
    for language in LANGUAGES:
        with force_locale(language):
            texts[language] = str(render())
    return texts


def _hm(moment: datetime, conference: Conference) -> str:
    """A venue clock time, 24-hour: the same digits in both languages, read from a distance."""
    return moment.astimezone(conference.tz).strftime("%H:%M")


def _day_text(day: date, language: str) -> str:
    return format_date(day, "full", locale=language)


def screen_texts(conference: Conference, board: Board) -> dict[str, dict[str, str]]:
    """Every label and sentence of the screen, in English and in Arabic."""
    texts = {name: in_both(lambda label=label: label) for name, label in LABELS.items()}
    texts["name"] = {"en": conference.name_en or conference.name_ar, "ar": conference.name_ar or conference.name_en}
    texts["zone"] = in_both(lambda: _l("All times are %(zone)s.", zone=zone_label(conference)))
    texts["today"] = {language: _day_text(board.today, language) for language in LANGUAGES}
    texts["starts"] = {language: _starts(conference, language) for language in LANGUAGES}
    if board.next_day:
        texts["continues"] = {language: _continues(board.next_day, language) for language in LANGUAGES}
    more = len(board.later) - LATER_SHOWN
    if more > 0:
        texts["more"] = in_both(lambda: ngettext("%(num)s more session later today",
                                                 "%(num)s more sessions later today", more))
    return texts


def _starts(conference: Conference, language: str) -> str:
    with force_locale(language):
        return str(_l("The programme starts on %(day)s.", day=_day_text(conference.start_date, language)))


def _continues(day: date, language: str) -> str:
    with force_locale(language):
        return str(_l("The programme continues on %(day)s.", day=_day_text(day, language)))


def _moved_from(change, conference: Conference) -> dict[str, str] | None:
    """'Was 09:00, Main Hall' for a moved session, in both languages."""
    before = change.before
    if before is None:
        return None
    texts = {}
    for language in LANGUAGES:
        room = clean((getattr(before.room, f"name_{language}") or before.room.name_en) if before.room else "")
        when = _hm(before.starts_at, conference)
        if conference.local_date(before.starts_at) != conference.local_date(change.session.starts_at):
            when = f"{format_date(conference.local_date(before.starts_at), 'EEEE', locale=language)} {when}"
        with force_locale(language):
            texts[language] = str(_l("Was %(when)s, %(room)s", when=when, room=room))
    return texts


def _room(conference: Conference, agenda) -> PublishedRoom | None:
    """The ?room= of a door screen: a room of this conference (404 for any other value)."""
    raw = request.args.get("room")
    if raw is None or raw == "":
        return None
    room_id = parse_id(raw)
    if agenda is not None and room_id in agenda.room_by_id:
        return agenda.room_by_id[room_id]
    room = next((r for r in conference.rooms if r.id == room_id), None)
    if room is None:
        abort(404)
    return published_room(room)


def _preview_moment(conference: Conference) -> datetime | None:
    """The ?at= an organizer previews the screen at (local time); None for anyone else or without it."""
    if not (current_user.is_authenticated and has_role(current_user, conference, Role.ORGANIZER)):
        return None
    return parse_local_moment(request.args.get("at"), conference.tz)


def occupancy_of(conference: Conference, now: datetime) -> dict[int, tuple[int, int | None]]:
    """{room id: (present, seats)} of the rooms in use at `now`, as the areas that record it answer
    (core.signals.room_occupancy: the room doors); empty when none does."""
    found: dict[int, tuple[int, int | None]] = {}
    for _receiver, answer in room_occupancy.send(conference, now=now):
        found.update(answer or {})
    return found


def seats_text(present: int, capacity: int | None) -> dict[str, str]:
    """'312 / 400 seats' (or '312 present' for a room without a capacity), in both languages."""
    if capacity:
        return in_both(lambda: ngettext("%(present)s / %(num)s seat", "%(present)s / %(num)s seats", capacity,
                                        present=present))
    return in_both(lambda: ngettext("%(num)s present", "%(num)s present", present))


def _occupancy(conference: Conference, preview: datetime | None, now: datetime) -> dict[int, tuple[int, int | None]]:
    """The rooms' occupancy now; none in a preview of another time, when no one is recorded yet."""
    return {} if preview is not None else occupancy_of(conference, now)


def _context(conference: Conference, agenda, room: PublishedRoom | None, preview: datetime | None,
             now: datetime, occupancy: dict[int, tuple[int, int | None]]) -> dict:
    board = venue_board(conference, agenda, preview or now, room.id if room else None)
    if board.state != "open":
        occupancy = {}
    published_at = {language: format_datetime(agenda.published_at, moment_pattern(Locale.parse(language), "medium"),
                                                 tzinfo=conference.tz, locale=language)
                    for language in LANGUAGES} if agenda else None
    return {"conference": conference, "board": board, "room": room, "texts": screen_texts(conference, board),
            "preview": preview,
            "later_shown": LATER_SHOWN, "hm": lambda moment: _hm(moment, conference), "clean": clean,
            "names": lambda people, language: [person_name(p, language) for p in people],
            "moved_from": lambda change: _moved_from(change, conference), "published_at": published_at,
            "occupancy": occupancy, "seats": seats_text}


@bp.get("/<slug>/screen")
@conference_view()
def screen(conference: Conference):
    """The full-screen page; its script fetches the board again every ?refresh= seconds (30 by default)."""
    refresh = min(parse_id(request.args.get("refresh")) or REFRESH_SECONDS, MAX_REFRESH_SECONDS)
    agenda = published(conference)
    preview, now = _preview_moment(conference), utcnow()
    return render_template("agenda/screen.html", refresh=refresh, **_context(
        conference, agenda, _room(conference, agenda), preview, now, _occupancy(conference, preview, now)))


@bp.get("/<slug>/screen/board")
@public_view
def screen_board(page: PublicAgenda):
    """The board alone (an HTML fragment), for the screen's script to swap in; the server's time in a header.

    Every screen polls it, so it is rendered once per minute, version and room for every worker and host (a session
    starts and ends on a minute); an organizer's preview of another moment is rendered for them alone.
    """
    conference, agenda = page.conference, page.version
    room = _room(conference, agenda)
    preview = _preview_moment(conference)
    now = utcnow()
    minute = now.replace(second=0, microsecond=0)

    # Who is in the rooms changes within a minute: it is read each time (three queries) and names the rendering.
    occupancy = _occupancy(conference, preview, minute)

    def render() -> bytes:
        return render_template("agenda/_screen_board.html",
                               **_context(conference, agenda, room, preview, minute, occupancy)).encode()

    if preview is None:
        body = cached(shared_key("screen-board", page.head, room.id if room else None, minute,
                                 sorted(occupancy.items())), render)
    else:
        body = render()
    response = make_response(body)
    response.headers["X-Screen-Now"] = (preview or now).isoformat()
    response.headers["Cache-Control"] = "no-store"  # every screen asks for the present, never for a stored copy
    return response
