"""Public agenda pages, the personal agenda and the exports; each reads one published version."""
from __future__ import annotations

import io
import json
from datetime import date, datetime
from functools import cache, cached_property, wraps
from typing import Callable

from flask import Response, abort, current_app, flash, jsonify, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from ..accounts.access import conference_view, login_required_view
from ..accounts.forms import ConfirmForm
from ..core.actions import perform
from ..core.i18n import fmt_time, lang, zone_label
from ..core.pagecache import cached, page_key, shared_page, shared_response
from ..core.params import parse_date, parse_id, safe_next
from ..core.text import isolate
from ..events.models import Conference, ConferenceCalendar
from ..extensions import db
from ..types import utcnow
from . import bp
from .exports import agenda_ics, person_name, pick, schedule_json, schedule_xml
from .grid import day_grid
from .models import INTERPRETATION_TITLES, KIND_TITLES, LANGUAGE_TITLES, SessionKind
from .personal import feed_owner, feed_token, my_sessions, reset_feed, set_star, starred_ids
from .programme import programme_pdf as render_programme
from .snapshot import PublishedSession
from .versions import Head, Published, changelog, published, published_for, read_head

KINDS = frozenset(kind.value for kind in SessionKind)
MAX_AGE = 60  # seconds a phone may keep a public page of the agenda before asking again (mostly a 304)


@bp.app_context_processor
def agenda_helpers() -> dict:
    """Names of kinds and languages (translated once per page), and a clock that formats each instant once."""
    language = lang()
    clocks: dict[tuple[datetime, str], str] = {}

    def clock(moment: datetime, timezone: str) -> str:
        key = (moment, timezone)
        if key not in clocks:
            clocks[key] = fmt_time(moment, timezone)
        return clocks[key]

    return {"session_kinds": {k: str(v) for k, v in KIND_TITLES.items()},
            "session_languages": {k: str(v) for k, v in LANGUAGE_TITLES.items()},
            "interpretation_titles": {k: str(v) for k, v in INTERPRETATION_TITLES.items()},
            "pick": lambda item, field: pick(item, field, language) if item else "",
            "person_name": lambda person: person_name(person, language), "clock": clock, "isolate": isolate,
            "zone_label": zone_label}


_CARDS: dict[tuple, dict[int, tuple[Markup, Markup]]] = {}  # per worker: a version's cards never change


def session_cards(conference: Conference, agenda: Published) -> dict[int, tuple[Markup, Markup]]:
    """Each session's grid cell and list row in the page language, rendered once per version (stars come apart)."""
    key = (conference.slug, agenda.conference_id, agenda.number, agenda.published_at, lang(), conference.timezone)
    cards = _CARDS.get(key)
    if cards is None:
        if len(_CARDS) >= 16:
            _CARDS.clear()
        module = current_app.jinja_env.get_template("agenda/_cards.html").make_module(
            {**agenda_helpers(), "conference": conference})
        cards = _CARDS[key] = {s.id: (Markup(module.grid_card(s)), Markup(module.list_card(s)))
                               for s in agenda.sessions}
    return cards


def _filters(agenda: Published) -> dict:
    """The ?track=, ?kind= and ?language= filters that name something real (others are ignored)."""
    args = request.args
    track = parse_id(args.get("track"))
    return {
        "track": track if track in agenda.track_by_id else None,
        "kind": args.get("kind") if args.get("kind") in KINDS else None,
        "language": args.get("language") if args.get("language") in LANGUAGE_TITLES else None,
    }


def _matches(session: PublishedSession, filters: dict) -> bool:
    if filters["track"] is not None and session.track_id != filters["track"]:
        return False
    if filters["kind"] and session.kind != filters["kind"]:
        return False
    if filters["language"] and session.language not in (filters["language"], "both") \
            and session.interpretation not in (filters["language"], "both"):
        return False
    return True


def _now_and_next(calendar: ConferenceCalendar, agenda: Published,
                  now: datetime) -> tuple[list[PublishedSession], list[PublishedSession]] | None:
    """During the conference days: what runs at `now` and what starts next (None on other days)."""
    if calendar.local_date(now) not in calendar.days:
        return None
    running = [s for s in agenda.sessions if s.starts_at <= now < s.ends_at]
    upcoming = [s for s in agenda.sessions if s.starts_at > now]
    first = min((s.starts_at for s in upcoming), default=None)
    return running, [s for s in upcoming if s.starts_at == first]


def _day(calendar: ConferenceCalendar) -> date:
    day = parse_date(request.args.get("day"))
    if day in calendar.days:
        return day
    today = calendar.local_date(utcnow())
    return today if today in calendar.days else calendar.start_date


class PublicAgenda:
    """What a public page of the agenda reads: the conference's head at once, the rest only when it renders."""

    def __init__(self, head: Head) -> None:
        self.head = head

    @cached_property
    def conference(self) -> Conference:
        """The conference itself, for a render (its rooms, its navigation)."""
        return db.session.get(Conference, self.head.id) or abort(404)

    @cached_property
    def version(self) -> Published | None:
        """The latest published version (None before the first)."""
        return published_for(self.head)


def public_view(view: Callable) -> Callable:
    """Decorator of the shared public pages: the view gets the PublicAgenda of the conference named by `slug`.

    A repeat (a 304, or a page stored whole) is answered after the head's one query, before any other is made.
    """
    @wraps(view)
    def wrapper(slug: str, **kwargs):
        head = read_head(slug)
        if head is None:
            abort(404)
        return view(PublicAgenda(head), **kwargs)

    return wrapper


def shared_key(kind: str, head: Head, *parts) -> str:
    """The cache key of a public page: the conference as saved, its latest version, the language, `parts`.

    The moment the conference's row last changed is in it (its name, dates and zone are on every page), so that an
    edit of the conference shows at once like a new version.
    """
    return page_key(kind, head.id, head.updated_at, head.version_id, lang(), *parts)


def _minute() -> datetime:
    return utcnow().replace(second=0, microsecond=0)


def not_published(page: PublicAgenda) -> str:
    """The page a public page of the agenda answers before the first publication."""
    return render_template("agenda/not_published.html", conference=page.conference)


def page_frame(page: PublicAgenda) -> Callable[[], dict]:
    """What base.html needs around a shared page (the conference, loaded only if the page is not stored whole)."""
    return lambda: {"conference": page.conference}


@bp.get("/<slug>/agenda")
@public_view
def agenda(page: PublicAgenda):
    """The published agenda: a tab per day, a grid on wide screens, a list on phones, filters.

    A shared page: its blocks rendered once per version, language, day and filters (and per minute while "now and
    next" runs: the minute also names the day shown by default), the whole page stored per address.
    """
    head, version = page.head, page.version
    if version is None:
        return not_published(page)
    minute = _minute()
    live = head.local_date(minute) in head.days  # "now and next" is shown
    key = shared_key("agenda", head, minute if live else None)
    last_modified = max(head.updated_at, minute) if live else head.updated_at

    @cache
    def asked() -> tuple[date, dict]:
        """The day and filters this address asks for, as understood (read only for a render)."""
        return _day(head), _filters(version)

    def context() -> dict:
        conference = page.conference
        day, filters = asked()
        now_next = _now_and_next(head, version, minute)
        shown = [s for s in version.sessions if _matches(s, filters)]
        todays = [s for s in shown if conference.local_date(s.starts_at) == day]
        page_url = url_for("agenda.agenda", slug=conference.slug, day=day.isoformat(),
                           **{name: value for name, value in filters.items() if value is not None})
        return {"conference": conference, "agenda": version, "day": day, "sessions": todays, "filters": filters,
                "zone": zone_label(conference), "now_next": now_next,
                "day_body": _day_body(conference, version, day, todays, page_url)}

    return shared_page(key, last_modified, "agenda/agenda.html", context, max_age=MAX_AGE, frame=page_frame(page),
                       blocks=lambda: page_key(key, *asked()))


def _day_body(conference: Conference, agenda: Published, day: date, todays: list[PublishedSession],
              page_url: str) -> Markup:
    """The day's grid and list, the same for every reader."""
    if not todays:
        return Markup("")
    grid = day_grid(conference, day, agenda.rooms, todays, lambda s: (s.starts_at, s.ends_at), lambda s: s.room_id)
    return Markup(render_template("agenda/_day.html", conference=conference, grid=grid, sessions=todays,
                                  cards=session_cards(conference, agenda), page_url=page_url))


@bp.get("/<slug>/agenda/<int:session_id>")
@public_view
def session(page: PublicAgenda, session_id: int):
    """One session: time, room, people, language and interpretation, description (a shared page)."""
    version = page.version
    if version is None:
        return not_published(page)
    item, cancelled = _published_session(version, session_id)
    if item is None:
        abort(404)
    return shared_page(shared_key("session", page.head, session_id), page.head.updated_at, "agenda/session.html",
                       lambda: {"conference": page.conference, "agenda": version, "item": item,
                                "cancelled": cancelled, "zone": zone_label(page.conference)},
                       max_age=MAX_AGE, frame=page_frame(page))


def _published_session(version: Published, session_id: int) -> tuple[PublishedSession | None, bool]:
    """The session of the version, or the one it cancelled (True), or (None, False)."""
    item = version.by_id.get(session_id)
    if item is not None:
        return item, False
    item = next((s for s in version.cancelled if s.id == session_id), None)
    return item, item is not None


@bp.get("/<slug>/agenda/stars")
@conference_view()
@login_required_view
def stars(conference: Conference):
    """This reader's stars, for agenda.js to turn the shared pages' star links into buttons."""
    return jsonify({"starred": sorted(starred_ids(conference, current_user)), "csrf_token": generate_csrf()})


@bp.get("/<slug>/me/agenda/<int:session_id>")
@conference_view()
@login_required_view
def star_page(conference: Conference, session_id: int):
    """Star or unstar without JavaScript: the session with this reader's button."""
    version = published(conference)
    item = version.by_id.get(session_id) if version else None
    if item is None:
        abort(404)
    next_url = safe_next(request.args.get("next"), url_for("agenda.session", slug=conference.slug,
                                                           session_id=session_id))
    return render_template("agenda/star.html", conference=conference, item=item, next_url=next_url,
                           starred=starred_ids(conference, current_user))


@bp.get("/<slug>/agenda/changes")
@public_view
def changes(page: PublicAgenda):
    """What changed between consecutive published versions (a shared page)."""
    head = page.head
    return shared_page(shared_key("changes", head), head.updated_at, "agenda/changes.html",
                       lambda: {"conference": page.conference, "history": changelog(page.conference),
                                "zone": zone_label(page.conference)},
                       max_age=MAX_AGE, frame=page_frame(page))


@bp.post("/<slug>/agenda/<int:session_id>/star")
@conference_view()
@login_required_view
def star(conference: Conference, session_id: int):
    """Star or unstar a session: a JSON answer for the page's script, else back to the page."""
    wants_json = request.accept_mimetypes.best == "application/json"
    if not ConfirmForm().validate_on_submit():
        abort(400)
    agenda = published(conference)
    if agenda is None or session_id not in agenda.by_id:  # set_star's refusal, answered here as not found
        if wants_json:
            return jsonify({"status": "error", "message": _("This session is not on the published agenda.")}), 404
        abort(404)
    wanted = request.form.get("starred") == "1"
    # A double click collides on the one star a person may have on a session: the other click made it, as asked.
    perform(lambda: set_star(conference, current_user, agenda, session_id, wanted), conflict="")
    if wants_json:
        return jsonify({"status": "ok", "starred": wanted})
    flash(_("Added to your agenda.") if wanted else _("Removed from your agenda."), "success")
    return redirect(safe_next(request.form.get("next"), url_for("agenda.session", slug=conference.slug,
                                                                session_id=session_id)))


@bp.get("/<slug>/me/agenda")
@conference_view()
@login_required_view
def my_agenda(conference: Conference):
    """The sessions I starred, with overlaps, and my private calendar address."""
    version = published(conference)
    rows = my_sessions(version, starred_ids(conference, current_user))
    # The feed's address is made on the first visit; a visit colliding with another finds theirs.
    token = perform(lambda: feed_token(conference, current_user), conflict="").value or feed_token(
        conference, current_user)
    feed_url = url_for("agenda.feed", slug=conference.slug, token=token, _external=True)
    return render_template("agenda/my_agenda.html", conference=conference, agenda=version, rows=rows,
                           feed_url=feed_url, zone=zone_label(conference), form=ConfirmForm(),
                           starred={row.session.id for row in rows})


@bp.post("/<slug>/me/agenda/feed/reset")
@conference_view()
@login_required_view
def reset_feed_token(conference: Conference):
    """Give the calendar feed a new secret address; the old one stops working."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    perform(lambda: reset_feed(conference, current_user),
            _("Your calendar address has been replaced. Subscribe again with the new one."))
    return redirect(url_for("agenda.my_agenda", slug=conference.slug))


def _export_language() -> str:
    return request.args.get("lang") if request.args.get("lang") in ("ar", "en") else lang()


def _session_url(conference: Conference | Head) -> str:
    return url_for("agenda.session", slug=conference.slug, session_id=0, _external=True)[:-1] + "{id}"


def _export(page: PublicAgenda, kind: str, render: Callable[[], bytes],
            respond: Callable[[bytes], Response]) -> Response:
    """An export of the published version in the asked language, rendered once for every worker and host."""
    head = page.head
    key = shared_key(kind, head, _export_language(), request.host_url)
    return shared_response(key, head.updated_at, lambda: respond(cached(key, render)), max_age=MAX_AGE)


def _ics_response(body: bytes, filename: str) -> Response:
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@bp.get("/<slug>/agenda/feed/<token>.ics")
@conference_view()
def feed(conference: Conference, token: str):
    """A person's starred sessions as a calendar, at a secret address (calendar apps cannot log in)."""
    user = feed_owner(conference, token)
    if user is None:
        abort(404)
    language = user.locale if user.locale in ("ar", "en") else "en"
    body = agenda_ics(conference, published(conference), language, _session_url(conference),
                      only=starred_ids(conference, user), name=_("My agenda"))
    response = _ics_response(body, f"{conference.slug}-my-agenda.ics")
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/<slug>/agenda.ics")
@public_view
def ics(page: PublicAgenda):
    """The whole published agenda as an iCalendar file."""
    return _export(page, "ics", lambda: agenda_ics(
        page.conference, page.version, _export_language(), _session_url(page.head)),
        lambda body: _ics_response(body, f"{page.head.slug}.ics"))


@bp.get("/<slug>/schedule.xml")
@public_view
def schedule_xml_export(page: PublicAgenda):
    """The published agenda in the frab/c3voc schedule XML format."""
    base = url_for("agenda.agenda", slug=page.head.slug, _external=True)
    return _export(page, "xml", lambda: schedule_xml(
        page.conference, page.version, _export_language(), base, _session_url(page.head)),
        lambda body: Response(body, mimetype="application/xml"))


@bp.get("/<slug>/schedule.json")
@public_view
def schedule_json_export(page: PublicAgenda):
    """The published agenda in the c3voc schedule JSON format."""
    base = url_for("agenda.agenda", slug=page.head.slug, _external=True)
    return _export(page, "json", lambda: json.dumps(schedule_json(
        page.conference, page.version, _export_language(), base, _session_url(page.head)),
        ensure_ascii=False).encode(), lambda body: Response(body, mimetype="application/json"))


@bp.get("/<slug>/agenda.pdf")
@public_view
def programme_pdf(page: PublicAgenda):
    """The printed programme (A5) of the published version, in Arabic or English."""
    if page.version is None:
        return not_published(page)
    language = _export_language()
    return _export(page, "pdf", lambda: render_programme(page.conference, page.version, language).getvalue(),
                   lambda body: send_file(io.BytesIO(body), mimetype="application/pdf",
                                          download_name=f"{page.head.slug}-programme-{language}.pdf"))


