"""Organizers publishing at the same moment: one version, never two with the same number."""
from __future__ import annotations

from functools import partial

import pytest
from sqlalchemy import select

from conference import create_app
from conference.agenda.models import AgendaVersion
from conference.agenda.services import AgendaError
from conference.agenda.versions import publish_agenda
from conference.events.models import Conference
from conference.extensions import db
from tests.conftest import app_config, run_together

THREADS = 6


@pytest.fixture
def wide_app(app, database_url):
    """A second application on the same database whose pool gives every thread its own connection."""
    other = create_app(app_config(database_url, SQLALCHEMY_ENGINE_OPTIONS={
        "pool_size": THREADS + 2, "max_overflow": 0, "pool_timeout": 60}))
    yield other
    with other.app_context():
        db.engine.dispose()


def test_simultaneous_publications_get_distinct_numbers(wide_app, venue, add_session):
    add_session("Opening")
    conference_id = venue["conference"].id

    def publish(n: int, ready) -> int:
        conference = db.session.get(Conference, conference_id)
        ready()
        return publish_agenda(conference, None, f"organizer {n}").number

    results = run_together([partial(publish, n) for n in range(THREADS)], wide_app, expected=(AgendaError,))
    db.session.expire_all()
    stored = db.session.scalars(select(AgendaVersion.number).order_by(AgendaVersion.number)).all()
    assert sorted(n for n in results if not isinstance(n, AgendaError)) == stored
    assert stored == [1]  # the others found the same content already published and were refused
