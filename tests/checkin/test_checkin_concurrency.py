"""Scanners at several doors at the same moment: the database admits a badge once."""
from __future__ import annotations

from collections import Counter
from functools import partial

import pytest
from sqlalchemy import func, select

from conference import create_app
from conference.checkin.models import CheckIn, ScanLog
from conference.checkin.services import check_in
from conference.events.models import Conference
from conference.extensions import db
from tests.conftest import app_config, run_together

THREADS = 50


@pytest.fixture
def wide_app(app, database_url):
    """A second application on the same database whose pool gives every thread its own connection."""
    other = create_app(app_config(database_url, SQLALCHEMY_ENGINE_OPTIONS={
        "pool_size": THREADS + 5, "max_overflow": 0, "pool_timeout": 60}))
    yield other
    with other.app_context():
        db.engine.dispose()


def scan_together(app, conference_id: int, token: str, nonce=lambda n: f"thread-{n}") -> list:
    """Run THREADS scans of `token` released at the same instant; each thread has its own session."""

    def scan(n: int, ready):
        conference = db.session.get(Conference, conference_id)
        ready()
        result = check_in(conference, token, f"Gate {n % 4}", nonce(n))
        return result.status, result.reason, result.body

    return run_together([partial(scan, n) for n in range(THREADS)], app)


def test_fifty_scanners_admit_a_badge_exactly_once(wide_app, today_conference, make_delegate):
    delegate = make_delegate(today_conference)
    results = scan_together(wide_app, today_conference.id, delegate.badge_token)
    assert Counter((status, reason) for status, reason, _ in results) == {
        ("ok", None): 1, ("error", "already_checked_in"): THREADS - 1}
    db.session.expire_all()
    assert db.session.scalar(select(func.count(CheckIn.id))) == 1
    assert db.session.scalar(select(func.count(ScanLog.id))) == THREADS


def test_a_retried_nonce_racing_itself_gets_one_answer(wide_app, today_conference, make_delegate):
    delegate = make_delegate(today_conference)
    results = scan_together(wide_app, today_conference.id, delegate.badge_token, nonce=lambda n: "one-nonce")
    assert {body for _, _, body in results} == {results[0][2]}
    assert results[0][0] == "ok"
    db.session.expire_all()
    assert db.session.scalar(select(func.count(CheckIn.id))) == 1
    assert db.session.scalar(select(func.count(ScanLog.id))) == 1
