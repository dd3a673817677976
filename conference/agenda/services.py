"""The agenda's working copy: every edit of its sessions (the checks each edit passes are in checks.py)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from ..accounts.models import User
from ..core.signals import room_in_use, track_in_use
from ..core.text import normalize_text
from ..events.models import Conference, Room, Track
from ..extensions import db
from ..registration.models import Delegate, DelegateStatus
from ..registration.services import registration_of
from ..submissions.models import Proposal, ProposalSpeaker, ProposalStatus
from .checks import STEP_MINUTES, AgendaError, check_text, check_times
from .days import set_hours
from .history import NOT_PLACED, from_to, record_change, where
from .models import (
    INTERPRETATION,
    LANGUAGES,
    MODERATOR,
    SPEAKER,
    AgendaSession,
    ChangeAction,
    ProgrammeDay,
    SessionKind,
    SessionPerson,
)

MAX_PEOPLE = 40


@dataclass
class SessionData:
    """What an organizer sets on a session (from the form, or from a test)."""

    title_en: str = ""
    title_ar: str = ""
    description_en: str = ""
    description_ar: str = ""
    kind: str = "talk"
    day: date | None = None
    start: time | None = None
    end: time | None = None
    duration_minutes: int | None = None
    room_id: int | None = None
    track_id: int | None = None
    chair_id: int | None = None
    speaker_ids: list[int] = field(default_factory=list)
    moderator_ids: list[int] = field(default_factory=list)
    language: str = "en"
    interpretation: str = ""
    expected_audience: int | None = None
    pinned: bool = False
    for_everyone: bool = False


def local_moment(conference: Conference, day: date, clock: time) -> datetime:
    """A wall-clock time on a conference day as an aware UTC instant."""
    return datetime.combine(day, clock, tzinfo=conference.tz).astimezone(timezone.utc)


def _own(model, conference: Conference, item_id: int | None, message):
    """The row of `model` with this id when it belongs to the conference; None for no id; refused otherwise."""
    if item_id is None:
        return None
    row = db.session.get(model, item_id)
    if row is None or row.conference_id != conference.id:
        raise AgendaError(message)
    return row


def _people(conference: Conference, ids: list[int]) -> list[Delegate]:
    """The conference's delegates for these ids, in the order given; any other id is refused."""
    unique = list(dict.fromkeys(ids))
    if len(unique) > MAX_PEOPLE:
        raise AgendaError(_l("Too many people on one session."))
    if not unique:
        return []
    found = {d.id: d for d in db.session.scalars(
        Delegate.of(conference).where(Delegate.id.in_(unique)))}
    if len(found) != len(unique):
        raise AgendaError(_l("Speakers, moderators and chairs must be delegates of this conference."))
    return [found[i] for i in unique]


def _apply(conference: Conference, session: AgendaSession, data: SessionData) -> None:
    """Check everything, then write it onto `session` (nothing is written when a check fails)."""
    title_en, title_ar = normalize_text(data.title_en), normalize_text(data.title_ar)
    description_en = normalize_text(data.description_en, multiline=True)
    description_ar = normalize_text(data.description_ar, multiline=True)
    check_text(title_en, title_ar, description_en, description_ar)
    if not (title_en or title_ar):
        raise AgendaError(_l("Give the session a title in English or Arabic."))
    if len(title_en) > 250 or len(title_ar) > 250:
        raise AgendaError(_l("A title has at most 250 characters."))
    try:
        kind = SessionKind(data.kind)
    except ValueError:
        raise AgendaError(_l("Choose a kind of session from the list.")) from None
    if data.language not in LANGUAGES or data.interpretation not in INTERPRETATION:
        raise AgendaError(_l("Choose the session's language from the list."))
    if data.expected_audience is not None and not 0 <= data.expected_audience <= 100_000:
        raise AgendaError(_l("The expected audience must be a number between 0 and 100000."))
    room = _own(Room, conference, data.room_id, _l("This room does not belong to this conference."))
    track = _own(Track, conference, data.track_id, _l("This track does not belong to this conference."))
    chair = _people(conference, [data.chair_id])[0] if data.chair_id else None
    speakers = _people(conference, data.speaker_ids)
    moderators = _people(conference, [i for i in data.moderator_ids if i not in set(data.speaker_ids)])
    starts_at = ends_at = None
    if data.start is not None or data.end is not None:
        if data.day is None or data.start is None or data.end is None:
            raise AgendaError(_l("Give the day, the start and the end, or none of them."))
        if data.day not in conference.days:
            raise AgendaError(_l("The session must be on one of the conference's days."))
        starts_at, ends_at = (
            local_moment(conference, data.day, data.start),
            local_moment(conference, data.day, data.end),
        )
        check_times(conference, starts_at, ends_at)
        if room is None:
            raise AgendaError(_l("Choose a room for a session with a time."))
        duration = int((ends_at - starts_at).total_seconds() // 60)
    else:
        duration = data.duration_minutes or session.duration_minutes or 30
        if not STEP_MINUTES <= duration <= 24 * 60:
            raise AgendaError(_l("A session lasts at least %(n)s minutes.", n=STEP_MINUTES))
    session.title_en, session.title_ar = title_en, title_ar
    session.description_en, session.description_ar = description_en, description_ar
    session.kind, session.language, session.interpretation = kind, data.language, data.interpretation
    session.expected_audience, session.pinned = data.expected_audience, data.pinned
    session.for_everyone = data.for_everyone
    # The objects, not only the ids: a relationship loaded earlier in the request would otherwise stay stale.
    session.room, session.track, session.chair = room, track, chair
    session.starts_at, session.ends_at, session.duration_minutes = starts_at, ends_at, duration
    wanted = [(d.id, SPEAKER) for d in speakers] + [(d.id, MODERATOR) for d in moderators]
    session.people = _merge_people(session, wanted)


def _merge_people(session: AgendaSession, wanted: list[tuple[int, str]]) -> list[SessionPerson]:
    """The session's people rows for `wanted`, reusing existing rows (so no unique key clashes on flush)."""
    existing = {person.delegate_id: person for person in session.people}
    rows = []
    for position, (delegate_id, role) in enumerate(wanted):
        row = existing.get(delegate_id) or SessionPerson(delegate_id=delegate_id)
        row.role, row.position = role, position
        rows.append(row)
    return rows


def create_session(conference: Conference, data: SessionData, actor: User | None = None) -> AgendaSession:
    """Add a session to the working copy (placed when it has a day, times and a room)."""
    session = AgendaSession(conference_id=conference.id, duration_minutes=data.duration_minutes or 30)
    _apply(conference, session, data)
    db.session.add(session)
    db.session.flush()
    record_change(conference, ChangeAction.CREATED, session, actor, where(conference, session))
    return session


def update_session(conference: Conference, session: AgendaSession, data: SessionData,
                   actor: User | None = None) -> AgendaSession:
    """Change a session of the working copy."""
    if session.conference_id != conference.id:
        raise AgendaError(_l("This session does not belong to this conference."))
    before = where(conference, session)
    _apply(conference, session, data)
    db.session.flush()
    record_change(conference, ChangeAction.EDITED, session, actor, from_to(before, where(conference, session)))
    return session


def _place(conference: Conference, session: AgendaSession, room_id: int, day: date, start: time) -> None:
    room = _own(Room, conference, room_id, _l("This room does not belong to this conference."))
    if day not in conference.days:
        raise AgendaError(_l("The session must be on one of the conference's days."))
    starts_at = local_moment(conference, day, start)
    ends_at = starts_at + timedelta(minutes=session.duration_minutes)
    check_times(conference, starts_at, ends_at)
    session.room, session.starts_at, session.ends_at = room, starts_at, ends_at  # the object: see _apply
    db.session.flush()


def place_session(conference: Conference, session: AgendaSession, room_id: int, day: date, start: time,
                  actor: User | None = None, record: bool = True) -> None:
    """Put an unplaced (or placed) session into a room at a time, keeping its duration.

    `record=False` leaves the history to the caller (the placement assistant records its own action).
    """
    if session.conference_id != conference.id:
        raise AgendaError(_l("This session does not belong to this conference."))
    before, was_placed = where(conference, session), session.placed
    _place(conference, session, room_id, day, start)
    if record:
        record_change(conference, ChangeAction.MOVED if was_placed else ChangeAction.PLACED, session, actor,
                      from_to(before, where(conference, session)))


def unplace_session(conference: Conference, session: AgendaSession, actor: User | None = None,
                    record: bool = True) -> None:
    """Take a session off the grid, back to the "to be scheduled" list (recorded only when it was on the grid)."""
    if session.conference_id != conference.id:
        raise AgendaError(_l("This session does not belong to this conference."))
    before = where(conference, session)
    if session.starts_at is not None:
        session.duration_minutes = int((session.ends_at - session.starts_at).total_seconds() // 60)
    session.starts_at = session.ends_at = None
    db.session.flush()
    if record and before != NOT_PLACED:  # taking off what was not on the grid changes nothing
        record_change(conference, ChangeAction.UNPLACED, session, actor, from_to(before, NOT_PLACED))


def delete_session(conference: Conference, session: AgendaSession, actor: User | None = None) -> None:
    """Remove a session from the working copy (once published, the next version lists it as cancelled)."""
    if session.conference_id != conference.id:
        raise AgendaError(_l("This session does not belong to this conference."))
    record_change(conference, ChangeAction.DELETED, session, actor, where(conference, session))
    db.session.delete(session)
    db.session.flush()




def save_hours(conference: Conference, day: date, starts: time | None, ends: time | None) -> None:
    """Set a day's programme hours, or clear them (both None): the sessions for everyone shape it again."""
    if day not in conference.days:
        raise AgendaError(_l("Choose one of the conference's days."))
    row = set_hours(conference).get(day)
    if starts is None and ends is None:
        if row is not None:
            db.session.delete(row)
        return
    if starts is None or ends is None or ends <= starts:
        raise AgendaError(_l("Give the hour the programme starts and a later hour it ends."))
    if starts.minute % STEP_MINUTES or ends.minute % STEP_MINUTES or starts.second or ends.second:
        raise AgendaError(_l("Sessions start and end on %(n)s-minute steps.", n=STEP_MINUTES))
    if row is None:
        row = ProgrammeDay(conference_id=conference.id, day=day)
        db.session.add(row)
    row.starts, row.ends = starts, ends
    db.session.flush()


def working_sessions(conference: Conference) -> list[AgendaSession]:
    """Every session of the working copy with its room, track and people, in a fixed number of queries."""
    return list(db.session.scalars(
        AgendaSession.of(conference)
        .options(joinedload(AgendaSession.room), joinedload(AgendaSession.track), joinedload(AgendaSession.chair),
                 selectinload(AgendaSession.people).joinedload(SessionPerson.delegate))
        .order_by(AgendaSession.starts_at, AgendaSession.room_id, AgendaSession.id)
    ).unique())


def schedule_proposal(conference: Conference, proposal_id: int, room_id: int | None, day: date | None,
                      start: time | None, actor: User | None = None, record: bool = True) -> AgendaSession:
    """Create the agenda session of a confirmed proposal (placed when a slot is given), linked to it.

    `record=False` leaves the history to the caller (the placement assistant records its own action).
    """
    proposal = Proposal.get_for(conference, proposal_id)
    if proposal is None or proposal.status != ProposalStatus.CONFIRMED:
        raise AgendaError(_l("Only confirmed proposals of this conference can be scheduled."))
    if db.session.scalar(select(AgendaSession.id).where(AgendaSession.proposal_id == proposal.id)):
        raise AgendaError(_l("This proposal is already on the agenda."))
    speakers = [registration_of(s.user, conference) for s in proposal.speakers if s.user is not None]
    language = proposal.language if proposal.language in LANGUAGES else "en"
    arabic = any("\u0600" <= ch <= "\u06ff" for ch in proposal.title)
    session = AgendaSession(
        conference_id=conference.id, proposal_id=proposal.id, kind=kind_of(proposal),
        title_ar=proposal.title[:250] if arabic else "", title_en="" if arabic else proposal.title[:250],
        description_ar=proposal.abstract if arabic else "", description_en="" if arabic else proposal.abstract,
        duration_minutes=max(proposal.duration_minutes or 30, STEP_MINUTES), track_id=proposal.track_id,
        language=language, interpretation="both" if language == "both" else "",
    )
    session.people = [SessionPerson(delegate_id=d.id, role=SPEAKER, position=n)
                      for n, d in enumerate(dict.fromkeys(d for d in speakers if d is not None))]
    db.session.add(session)
    db.session.flush()
    if room_id is not None and day is not None and start is not None:
        _place(conference, session, room_id, day, start)
    if record:
        record_change(conference, ChangeAction.SCHEDULED, session, actor, where(conference, session))
    return session


def kind_of(proposal: Proposal) -> SessionKind:
    """The session kind a proposal becomes, by its type's English name (a talk when nothing matches)."""
    name = (proposal.proposal_type.name_en if proposal.proposal_type else "").lower()
    for kind in (SessionKind.WORKSHOP, SessionKind.PANEL, SessionKind.PLENARY):
        if kind.value in name:
            return kind
    return SessionKind.TALK


def proposals_to_schedule(conference: Conference) -> list:
    """Confirmed proposals that have no agenda session yet, with their type, track and speakers."""
    scheduled = select(AgendaSession.proposal_id).where(AgendaSession.proposal_id.is_not(None))
    return list(db.session.scalars(
        Proposal.of(conference)
        .where(Proposal.status == ProposalStatus.CONFIRMED,
               Proposal.id.not_in(scheduled))
        .options(joinedload(Proposal.proposal_type), joinedload(Proposal.track),
                 selectinload(Proposal.speakers).joinedload(ProposalSpeaker.user))
        .order_by(Proposal.id)
    ).unique())


def people_choices(conference: Conference) -> list[Delegate]:
    """Delegates who may speak, moderate or chair: everyone registered and not refused or cancelled."""
    return list(db.session.scalars(
        Delegate.of(conference).where(
                               Delegate.status.in_((DelegateStatus.APPROVED, DelegateStatus.PENDING)))
        .order_by(Delegate.name)))


def actor_name(user: User | None) -> str:
    """How an organizer is named in the version history."""
    return (user.display_name or user.email) if user else ""


def _sessions_using(column, item_id: int) -> str | None:
    """How many sessions of the working copy refer to a room or track, as a sentence (None: none do)."""
    count = db.session.scalar(select(func.count()).select_from(AgendaSession).where(column == item_id))
    return ngettext("%(num)s session of the agenda", "%(num)s sessions of the agenda", count) if count else None


def _sessions_in_room(room: Room, **_extra) -> str | None:
    """Events asks before deleting a room: the working copy's sessions held in it (placed or not)."""
    return _sessions_using(AgendaSession.room_id, room.id)


def _sessions_in_track(track: Track, **_extra) -> str | None:
    """Events asks before deleting a track: the working copy's sessions in it."""
    return _sessions_using(AgendaSession.track_id, track.id)


def connect_receivers() -> None:
    """Answer events' questions before a room or track is deleted (core.signals)."""
    room_in_use.connect(_sessions_in_room)
    track_in_use.connect(_sessions_in_track)
