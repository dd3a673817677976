"""Capacity holds when many people register at the same moment (SQLite and PostgreSQL)."""
from __future__ import annotations

import threading

from sqlalchemy import func, select

from conference.extensions import db
from conference.registration.models import Delegate, DelegateStatus
from conference.registration.services import register_delegate
from tests.conftest import quick_user


def test_forty_registrations_at_once_for_twenty_five_places(app, make_conference, make_delegate):
    conference = make_conference("rush", capacity=30)
    for _ in range(5):
        make_delegate(conference, status="approved")
    users = [quick_user(f"rush{n}@example.org").id for n in range(40)]
    db.session.commit()
    conference_id = conference.id  # read here: threads must not touch the main thread's session
    barrier = threading.Barrier(40, timeout=60)
    errors: list[BaseException] = []

    def register(user_id: int) -> None:
        with app.app_context():
            try:
                from conference.accounts.models import User
                from conference.events.models import Conference

                user = db.session.get(User, user_id)
                target = db.session.get(Conference, conference_id)
                db.session.commit()  # hand the connection back while waiting for the others
                barrier.wait()
                register_delegate(target, user, {"name": f"Person {user_id}", "country": "QA",
                                                 "consent_privacy": True})
                db.session.commit()
            except BaseException as error:  # collected and reported by the main thread
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=register, args=(user_id,)) for user_id in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [], "".join(__import__("traceback").format_exception(errors[0])) if errors else ""
    counts = dict(db.session.execute(
        select(Delegate.status, func.count()).where(Delegate.conference_id == conference_id).group_by(Delegate.status)
    ).all())
    assert counts[DelegateStatus.PENDING] == 25
    assert counts[DelegateStatus.WAITLISTED] == 15
    codes = db.session.scalars(select(Delegate.code).where(Delegate.conference_id == conference_id,
                                                           Delegate.country == "QA")).all()
    assert len(set(codes)) == 40
