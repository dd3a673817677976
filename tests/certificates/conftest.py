"""Fixtures of the certificates' tests: a conference that is over, admitted delegates, a speaker, the settings."""
from __future__ import annotations

import io
from datetime import datetime, time, timedelta, timezone

import pytest
from PIL import Image

from conference.accounts.models import Role
from conference.agenda.models import SPEAKER, AgendaSession, SessionPerson
from conference.certificates.services import save_settings
from conference.checkin.models import CheckIn, SessionAttendance
from conference.extensions import db
from tests.conftest import login


def png(width: int = 60, height: int = 30, mode: str = "RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, (width, height), "white" if mode == "RGB" else 1).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def past(make_conference):
    """A conference held last week (so its certificates are released the day after its last day)."""
    today = datetime.now(timezone.utc).date()
    return make_conference("doha", start_date=today - timedelta(days=8), end_date=today - timedelta(days=7),
                           name_en="International Conference of Child Helplines",
                           name_ar="المؤتمر الدولي لخطوط نجدة الطفل")


def at(conference, day_index: int, clock: str) -> datetime:
    hours, minutes = map(int, clock.split(":"))
    return datetime.combine(conference.days[day_index], time(hours, minutes), tzinfo=conference.tz)


@pytest.fixture
def make_session(past):
    def make(title_en: str, day: int, start: str, end: str, title_ar: str = "", proposal_id=None) -> AgendaSession:
        session = AgendaSession(conference_id=past.id, title_en=title_en, title_ar=title_ar,
                                starts_at=at(past, day, start), ends_at=at(past, day, end), proposal_id=proposal_id)
        db.session.add(session)
        db.session.commit()
        return session

    return make


def admit(delegate, *days) -> None:
    for day in days:
        db.session.add(CheckIn(conference_id=delegate.conference_id, delegate_id=delegate.id, day=day))
    db.session.commit()


def attend(delegate, session) -> None:
    db.session.add(SessionAttendance(conference_id=delegate.conference_id, delegate_id=delegate.id,
                                     session_id=session.id, at=session.starts_at))
    db.session.commit()


def speak(delegate, session) -> None:
    db.session.add(SessionPerson(session_id=session.id, delegate_id=delegate.id, role=SPEAKER))
    db.session.commit()


@pytest.fixture
def configured(past):
    """Settings with a signature (released: the conference is over)."""
    settings = save_settings(past, {"title_en": "Certificate of Attendance", "title_ar": "شهادة حضور",
                                    "organizer_en": "Child Helpline International",
                                    "organizer_ar": "منظمة خطوط نجدة الطفل الدولية",
                                    "signatory_name": "Dr. Amal Al-Mansoori", "signatory_title": "Chair",
                                    "list_sessions": True}, png())
    db.session.commit()
    return settings


@pytest.fixture
def attendees(past, make_delegate, make_session):
    """Hamad (Arabic name) admitted both days and recorded in a session; Charlotte one day; Ivan never; Sara
    speaks on a session."""
    hamad = make_delegate(past, name="حمد بن سيف الحوسني", name_latin="Hamad bin Saif Al-Housni", locale="ar")
    charlotte = make_delegate(past, name="Charlotte Evans", country="GB", category="press")
    ivan = make_delegate(past, name="Ivan Petrov", country="RU")
    sara = make_delegate(past, name="Sara Haddad", country="JO", category="speaker")
    admit(hamad, *past.days)
    admit(charlotte, past.days[0])
    opening = make_session("Opening plenary", 0, "09:00", "10:30", "الجلسة الافتتاحية")
    attend(hamad, opening)
    talk = make_session("Helplines online", 1, "11:00", "12:00", "خطوط المساندة عبر الإنترنت")
    speak(sara, talk)
    return {"hamad": hamad, "charlotte": charlotte, "ivan": ivan, "sara": sara, "opening": opening, "talk": talk}


@pytest.fixture
def organizer(client, past, make_user):
    login(client, make_user("boss@example.org", Role.ORGANIZER, past))
    return client
