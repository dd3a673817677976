"""Capacity holds when many people register at the same moment (SQLite and PostgreSQL)."""
from __future__ import annotations

from functools import partial

from sqlalchemy import func, select

from conference.accounts.models import User
from conference.events.models import Conference
from conference.extensions import db
from conference.registration.models import Delegate, DelegateStatus
from conference.registration.services import register_delegate
from tests.conftest import quick_user, run_together


def test_forty_registrations_at_once_for_twenty_five_places(app, make_conference, make_delegate):
    conference = make_conference("rush", capacity=30)
    for _ in range(5):
        make_delegate(conference, status="approved")
    users = [quick_user(f"rush{n}@example.org").id for n in range(40)]
    db.session.commit()
    conference_id = conference.id  # read here: threads must not touch the main thread's session

    def register(user_id: int, ready) -> None:
        user = db.session.get(User, user_id)
        target = db.session.get(Conference, conference_id)
        db.session.commit()  # hand the connection back while waiting for the others
        ready()
        register_delegate(target, user, {"name": f"Person {user_id}", "country": "QA", "consent_privacy": True})

    run_together([partial(register, user_id) for user_id in users], app)
    counts = dict(db.session.execute(
        select(Delegate.status, func.count()).where(Delegate.conference_id == conference_id).group_by(Delegate.status)
    ).all())
    assert counts[DelegateStatus.PENDING] == 25
    assert counts[DelegateStatus.WAITLISTED] == 15
    codes = db.session.scalars(select(Delegate.code).where(Delegate.conference_id == conference_id,
                                                           Delegate.country == "QA")).all()
    assert len(set(codes)) == 40
