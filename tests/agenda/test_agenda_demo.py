"""The demo agenda: the two Doha days in four rooms, two published versions with a changelog, idempotent."""
from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from conference.agenda.models import AgendaSession, AgendaVersion
from conference.agenda.snapshot import Snapshot
from conference.agenda.versions import changelog, published, read_version
from conference.extensions import db


def test_the_demo_agenda(app):
    from conference.seed import seed_demo

    conference = seed_demo(date(2026, 12, 1))
    seed_demo(date(2026, 12, 1))  # a second run changes nothing
    sessions = db.session.scalars(select(AgendaSession).where(AgendaSession.conference_id == conference.id)).all()
    assert len(sessions) >= 24
    assert db.session.scalar(select(func.count(AgendaVersion.id))) == 2
    agenda = published(conference)
    assert {conference.local_date(s.starts_at) for s in agenda.sessions} == set(conference.days)
    assert len({s.room_id for s in agenda.sessions}) == 4
    assert {s.language for s in agenda.sessions} == {"ar", "en", "both"}
    assert any(s.interpretation for s in agenda.sessions)
    assert {"ceremony", "plenary", "panel", "workshop", "talk", "break"} <= {s.kind for s in agenda.sessions}
    names = {p.name_latin for s in agenda.sessions for p in s.speakers}
    assert "Hamad bin Saif Al-Housni" in names
    assert any(s.chair for s in agenda.sessions)
    (latest, changes), _ = changelog(conference)
    assert latest.number == 2 and {c.kind for c in changes} >= {"added", "cancelled", "moved", "retitled"}
    assert any(s.proposal_id for s in sessions)  # confirmed proposals of the call were placed


def _hard_conflicts(conference, content: Snapshot) -> list[str]:
    """Rooms or people in two sessions at once, and speakers outside their availability, in a version's content."""
    from conference.submissions.models import SpeakerAvailability

    windows: dict[int, list] = {}
    for row in db.session.scalars(
        select(SpeakerAvailability).where(SpeakerAvailability.conference_id == conference.id)
    ):
        windows.setdefault(row.user_id, []).append((row.starts_at, row.ends_at))
    found = []
    sessions = content.sessions
    for i, a in enumerate(sessions):
        people_a = {p.id for p in a.people}
        for b in sessions[i + 1:]:
            if a.starts_at < b.ends_at and b.starts_at < a.ends_at:
                everyone = {a.kind, b.kind} & {"break", "ceremony"}  # a session for everyone holds every room
                if a.room_id == b.room_id or people_a & {p.id for p in b.people} or everyone:
                    found.append(f"{a.title_en or a.title_ar} / {b.title_en or b.title_ar}")
        for person in a.speakers:
            spans = windows.get(person.user_id)
            if spans and not any(s <= a.starts_at and a.ends_at <= e for s, e in spans):
                found.append(f"{person.name} outside availability in {a.title_en or a.title_ar}")
    return found


def test_the_published_demo_versions_are_free_of_conflicts(app):
    from conference.seed import seed_demo

    conference = seed_demo(date(2026, 12, 1))
    history = changelog(conference)
    assert len(history) == 2
    for version, _ in history:
        assert _hard_conflicts(conference, read_version(version)) == [], version.number


def test_the_published_demo_versions_keep_to_each_days_programme(app):
    """Nothing before the first or after the last session for everyone (day 1: the hours organizers set)."""
    from conference.seed import seed_demo

    conference = seed_demo(date(2026, 12, 1))
    hours = {conference.days[0]: ("08:30", "16:30"), conference.days[1]: ("08:30", "15:30")}
    for version, _ in changelog(conference):
        for session in read_version(version).sessions:
            opens, closes = hours[conference.local_date(session.starts_at)]
            starts, ends = (moment.astimezone(conference.tz).strftime("%H:%M")
                            for moment in (session.starts_at, session.ends_at))
            assert opens <= starts and ends <= closes, (version.number, session.title_en, starts, ends)


def test_the_demo_working_copy_leaves_a_few_warnings_after_the_last_publication(app):
    from conference.agenda.checks import agenda_warnings
    from conference.agenda.services import working_sessions
    from conference.seed import seed_demo

    conference = seed_demo(date(2026, 12, 1))
    warnings = agenda_warnings(conference, working_sessions(conference))
    assert {w.kind for w in warnings} == {"capacity", "person", "everyone"}
