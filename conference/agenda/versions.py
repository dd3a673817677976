"""Published versions: the frozen snapshot, publishing under the conference lock, the changelog, the e-mails."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import defer

from ..accounts.models import User
from ..db_locks import lock_conference
from ..events.models import Conference, ConferenceCalendar, Room, Track
from ..extensions import db
from ..mail.services import absolute_url, queue_mail
from ..registration.models import Delegate
from ..types import utcnow
from .checks import AgendaError, agenda_warnings
from .history import record_change
from .models import MODERATOR, SPEAKER, AgendaSession, AgendaVersion, ChangeAction, Star
from .services import working_sessions
from .snapshot import SCHEMA, PublishedPerson, PublishedRoom, PublishedSession, PublishedTrack, Snapshot


def _person(delegate: Delegate) -> PublishedPerson:
    return PublishedPerson(id=delegate.id, user_id=delegate.user_id, name=delegate.name,
                           name_latin=delegate.name_latin, name_ar=delegate.name_ar,
                           organization=delegate.organization, country=delegate.country)


def published_room(room: Room) -> PublishedRoom:
    """A room of the conference as a version shows it."""
    return PublishedRoom(id=room.id, name_en=room.name_en, name_ar=room.name_ar, capacity=room.capacity)


def _track(track: Track) -> PublishedTrack:
    return PublishedTrack(id=track.id, name_en=track.name_en, name_ar=track.name_ar, colour=track.colour)


def _session(session: AgendaSession) -> PublishedSession:
    return PublishedSession(
        id=session.id, uid=session.uid, title_en=session.title_en, title_ar=session.title_ar,
        description_en=session.description_en, description_ar=session.description_ar, kind=session.kind.value,
        starts_at=session.starts_at, ends_at=session.ends_at, room_id=session.room.id,
        track_id=session.track.id if session.track else None, language=session.language,
        interpretation=session.interpretation, proposal_id=session.proposal_id,
        chair=_person(session.chair) if session.chair else None,
        speakers=tuple(_person(p.delegate) for p in session.people if p.role == SPEAKER),
        moderators=tuple(_person(p.delegate) for p in session.people if p.role == MODERATOR),
    )


def build_snapshot(conference: Conference, sessions: list[AgendaSession], previous: Snapshot | None) -> Snapshot:
    """The content of a version: every placed session with its room, track, people and languages."""
    current = sorted((_session(s) for s in sessions if s.placed), key=lambda s: (s.starts_at, s.room_id, s.id))
    ids = {s.uid for s in current}
    earlier = previous.sessions + previous.cancelled if previous else ()
    return Snapshot(rooms=tuple(published_room(r) for r in conference.rooms),
                    tracks=tuple(_track(t) for t in conference.tracks), sessions=tuple(current),
                    cancelled=tuple(s for s in earlier if s.uid not in ids))


def read_version(version: AgendaVersion) -> Snapshot:
    """A stored version's content, in today's shape whatever the schema it was written with."""
    return Snapshot.from_json(json.loads(version.content), version.content_schema)


def snapshot_text(snapshot: Snapshot) -> str:
    """The JSON text stored in agenda_versions.content."""
    return json.dumps(snapshot.to_json(), ensure_ascii=False, sort_keys=True)


def latest_version(conference: Conference) -> AgendaVersion | None:
    """The published version the public sees (None before the first publication).

    Its content (the whole agenda as JSON) is loaded only when read: every public page asks which version is the
    latest, and each worker parses a version's content once (`published`).
    """
    return db.session.scalar(AgendaVersion.of(conference).options(defer(AgendaVersion.content))
                             .order_by(AgendaVersion.number.desc()).limit(1))


def all_versions(conference: Conference) -> list[AgendaVersion]:
    """Every published version, newest first."""
    return list(db.session.scalars(AgendaVersion.of(conference)
                                   .order_by(AgendaVersion.number.desc())))


@dataclass
class Change:
    """One difference between two consecutive versions."""

    kind: str  # added, cancelled, moved, retitled
    session: PublishedSession
    before: PublishedSession | None = None

    @property
    def title(self) -> str:
        return str(CHANGE_TITLES[self.kind])


CHANGE_TITLES = {"added": _l("Added"), "cancelled": _l("Cancelled"), "moved": _l("Moved"),
                 "retitled": _l("Renamed")}


def compare(before: Snapshot | None, after: Snapshot) -> list[Change]:
    """Added, cancelled, moved (room or time) and retitled sessions, by their stable uid."""
    if before is None:
        return []
    old = {s.uid: s for s in before.sessions}
    new = {s.uid: s for s in after.sessions}
    changes = [Change("added", new[i]) for i in new if i not in old]
    changes += [Change("cancelled", old[i]) for i in old if i not in new]
    for uid in new.keys() & old.keys():
        a, b = old[uid], new[uid]
        if (a.room_id, a.starts_at, a.ends_at) != (b.room_id, b.starts_at, b.ends_at):
            changes.append(Change("moved", b, a))
        if (a.title_en, a.title_ar) != (b.title_en, b.title_ar):
            changes.append(Change("retitled", b, a))
    order = {"added": 0, "moved": 1, "retitled": 2, "cancelled": 3}
    return sorted(changes, key=lambda c: (c.session.starts_at, order[c.kind], c.session.id))


@dataclass(frozen=True)
class Renamed:
    """A room or track that kept its id but changed its name between two versions."""

    kind: str  # room, track
    before: PublishedRoom | PublishedTrack
    after: PublishedRoom | PublishedTrack

    @property
    def title(self) -> str:
        return str(RENAMED_TITLES[self.kind])


RENAMED_TITLES = {"room": _l("Room renamed"), "track": _l("Track renamed")}


def renamed_places(before: Snapshot | None, after: Snapshot) -> list[Renamed]:
    """Rooms and tracks whose English or Arabic name differs between two versions (compare() lists sessions)."""
    if before is None:
        return []
    renamed = []
    for kind, earlier, later in (("room", before.rooms, after.rooms), ("track", before.tracks, after.tracks)):
        old = {item.id: item for item in earlier}
        renamed += [Renamed(kind, old[item.id], item) for item in later
                    if item.id in old and (old[item.id].name_en, old[item.id].name_ar) != (item.name_en, item.name_ar)]
    return renamed


class Published:
    """A version's snapshot read once, with lookups the pages and exports share."""

    def __init__(self, version: AgendaVersion) -> None:
        self.conference_id = version.conference_id
        self.number = version.number
        self.published_at = version.published_at
        self.snapshot = read_version(version)
        self.sessions = self.snapshot.sessions
        self.rooms = self.snapshot.rooms
        self.tracks = self.snapshot.tracks
        self.cancelled = self.snapshot.cancelled
        self.room_by_id = {r.id: r for r in self.rooms}
        self.track_by_id = {t.id: t for t in self.tracks}

    @cached_property
    def by_id(self) -> dict[int, PublishedSession]:
        return {s.id: s for s in self.sessions}

    def people(self) -> dict[int, PublishedPerson]:
        """Every person on the published agenda (speakers, moderators, chairs) by delegate id."""
        found: dict[int, PublishedPerson] = {}
        for session in self.sessions:
            for person in session.people:
                found.setdefault(person.id, person)
        return found

    def sessions_of(self, delegate_id: int) -> list[PublishedSession]:
        """The sessions a person speaks on, moderates or chairs."""
        return [s for s in self.sessions if any(p.id == delegate_id for p in s.people)]


_READ: dict[int, Published] = {}  # versions never change: each worker parses a snapshot once
_READ_LIMIT = 16


def _parsed(version: AgendaVersion) -> Published:
    """`version` parsed, reused while its id still names the same version (conference, number, published at)."""
    agenda = _READ.get(version.id)
    if agenda is None or (agenda.conference_id, agenda.number, agenda.published_at) != (
            version.conference_id, version.number, version.published_at):
        if len(_READ) >= _READ_LIMIT:
            _READ.clear()
        agenda = _READ[version.id] = Published(version)
    return agenda


def published(conference: Conference) -> Published | None:
    """The latest version, read (one query; the parsed snapshot is reused while it is the latest)."""
    version = latest_version(conference)
    if version is None:
        return None
    return _parsed(version)


@dataclass(frozen=True)
class Head(ConferenceCalendar):
    """What names a public page of the agenda, read from the conference's row alone: its latest published version
    and when the row last changed (publishing changes it too), besides the calendar.

    A repeat visit to a public page is answered from the head alone (a 304, or the page from the cache), so that
    the crowd of a conference morning costs one light query per request, about what /healthz's SELECT 1 costs.
    """

    id: int
    slug: str
    timezone: str
    start_date: date
    end_date: date
    updated_at: datetime
    version_id: int | None  # the latest published version, None before the first


_CONFERENCE = Conference.__table__
# Built once, of a few columns of one row, without the ORM: a join or the whole row cost PostgreSQL as much again.
_HEAD = select(*(_CONFERENCE.c[name] for name in ("id", "slug", "timezone", "start_date", "end_date", "updated_at",
                                                   "agenda_version_id"))).where(_CONFERENCE.c.slug == bindparam("slug"))


def read_head(slug: str) -> Head | None:
    """The head of the conference named `slug` (None when there is none)."""
    row = db.session.connection().execute(_HEAD, {"slug": slug}).first()  # the session's transaction, no ORM
    return Head(*row[:-1], version_id=row.agenda_version_id) if row is not None else None


def point_to_latest_version(conference_id: int) -> None:
    """Point the conference at its latest version as its versions say (after a restore: the file's own pointer may be
    missing, from before it existed, or name anything)."""
    version = latest_version(conference_id)
    latest = version.id if version else None
    db.session.execute(update(Conference).where(Conference.id == conference_id,
                                                Conference.agenda_version_id.is_distinct_from(latest))
                       .values(agenda_version_id=latest))


_BY_HEAD: dict[tuple, Published] = {}  # (version id, conference id, conference changed at): the version parsed


def published_for(head: Head) -> Published | None:
    """The version `head` names, read (no query once this worker has read it for this head)."""
    if head.version_id is None:
        return None
    key = (head.version_id, head.id, head.updated_at)  # an id alone could be a deleted row's, reused
    agenda = _BY_HEAD.get(key)
    if agenda is None:
        version = db.session.scalar(AgendaVersion.of(head).where(AgendaVersion.id == head.version_id)
                                    .options(defer(AgendaVersion.content)))
        if version is None:
            return None
        agenda = _parsed(version)
        if len(_BY_HEAD) >= _READ_LIMIT:
            _BY_HEAD.clear()
        _BY_HEAD[key] = agenda
    return agenda


def publish_agenda(conference: Conference, actor: User | None, note: str = "",
                   warnings_seen: bool = False) -> AgendaVersion:
    """Freeze the working copy as the next numbered version, and tell those whose sessions changed.

    Open warnings must have been shown (warnings_seen); the conference lock and the unique
    (conference, number) make two organizers publishing at once get two different numbers.
    """
    lock_conference(conference.id)
    sessions = working_sessions(conference)
    if not any(s.placed for s in sessions):
        raise AgendaError(_l("Place at least one session on the grid before publishing."))
    if agenda_warnings(conference, sessions) and not warnings_seen:
        raise AgendaError(_l("Look at the open warnings and confirm that you want to publish anyway."))
    previous_version = latest_version(conference)
    previous = read_version(previous_version) if previous_version else None
    snapshot = build_snapshot(conference, sessions, previous)
    if previous is not None and snapshot == previous:
        # A second click, the back button or a colleague publishing the same moment: no empty version.
        raise AgendaError(_l("Nothing has changed since version %(n)s, so there is nothing to publish.",
                             n=previous_version.number))
    number = (db.session.scalar(select(func.max(AgendaVersion.number))
                                .where(AgendaVersion.conference_id == conference.id)) or 0) + 1
    version = AgendaVersion(conference_id=conference.id, number=number, published_at=utcnow(),
                            published_by_id=actor.id if actor else None, note=note[:500],
                            content_schema=SCHEMA, content=snapshot_text(snapshot))
    db.session.add(version)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:
        raise AgendaError(_l("Another organizer has just published. Please reload and try again.")) from None
    conference.agenda_published = True
    conference.agenda_version_id = version.id  # names the public pages (read_head): they show it at once
    record_change(conference, ChangeAction.PUBLISHED, None, actor,
                  f"#{number}" + (f" · {version.note}" if version.note else ""))  # the version's number and note
    if previous is not None:
        notify_changes(conference, compare(previous, snapshot), version)
    return version


def notify_changes(conference: Conference, changes: list[Change], version: AgendaVersion) -> int:
    """One e-mail per person whose session changed: its speakers and moderators, and those who starred it."""
    if not changes:
        return 0
    touched = {c.session.id for c in changes}
    by_email: dict[str, tuple[str, set[int]]] = {}
    delegate_ids = {p.id for c in changes for p in c.session.people}
    delegates = db.session.scalars(select(Delegate).where(Delegate.id.in_(delegate_ids))).all() if delegate_ids else []
    for delegate in delegates:
        mine = {c.session.id for c in changes if delegate.id in {p.id for p in c.session.people}}
        locale, ids = by_email.setdefault(delegate.email, (delegate.locale, set()))
        ids.update(mine)
    for star, user in db.session.execute(select(Star, User).join(User, User.id == Star.user_id).where(
            Star.conference_id == conference.id, Star.session_id.in_(touched))):
        locale, ids = by_email.setdefault(user.email, (user.locale, set()))
        ids.add(star.session_id)
    for email, (locale, ids) in sorted(by_email.items()):
        queue_mail(email, "agenda_changed", locale if locale in ("ar", "en") else "en", conference=conference,
                   changes=[c for c in changes if c.session.id in ids], version=version,
                   agenda_url=absolute_url("agenda.agenda", slug=conference.slug),
                   changes_url=absolute_url("agenda.changes", slug=conference.slug))
    return len(by_email)


def changelog(conference: Conference) -> list[tuple[AgendaVersion, list[Change]]]:
    """Every version, newest first, with what changed since the one before it."""
    result = []
    previous = None
    for version in reversed(all_versions(conference)):
        content = read_version(version)
        result.append((version, compare(previous, content)))
        previous = content
    return list(reversed(result))
