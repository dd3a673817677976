"""The demo agenda: the two Doha days in four rooms, two published versions with a changelog, idempotent."""
from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from conference.agenda.models import AgendaSession, AgendaVersion
from conference.agenda.versions import changelog, published
from conference.extensions import db


def test_the_demo_agenda(app):
    from conference.seed import seed_demo

    conference = seed_demo(date(2026, 12, 1))
    seed_demo(date(2026, 12, 1))  # a second run changes nothing
    sessions = db.session.scalars(select(AgendaSession).where(AgendaSession.conference_id == conference.id)).all()
    assert len(sessions) >= 24
    assert db.session.scalar(select(func.count(AgendaVersion.id))) == 2
    agenda = published(conference)
    assert {conference.local_date(s["start"]) for s in agenda.sessions} == set(conference.days)
    assert len({s["room_id"] for s in agenda.sessions}) == 4
    assert {s["language"] for s in agenda.sessions} == {"ar", "en", "both"}
    assert any(s["interpretation"] for s in agenda.sessions)
    assert {"ceremony", "plenary", "panel", "workshop", "talk", "break"} <= {s["kind"] for s in agenda.sessions}
    names = {p["name_latin"] for s in agenda.sessions for p in s["speakers"]}
    assert "Hamad bin Saif Al-Housni" in names
    assert any(s["chair"] for s in agenda.sessions)
    (latest, changes), _ = changelog(conference)
    assert latest.number == 2 and {c.kind for c in changes} >= {"added", "cancelled", "moved", "retitled"}
    assert any(s.proposal_id for s in sessions)  # confirmed proposals of the call were placed
