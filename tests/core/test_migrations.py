"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""
from __future__ import annotations

from datetime import date

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import func, select

from conference import create_app
from conference.accounts.models import User
from conference.agenda.models import AgendaVersion
from conference.events.models import Conference
from conference.extensions import db
from conference.registration.models import Delegate
from conference.types import utcnow
from tests.conftest import app_config


def test_migrations_match_models(empty_database_url):
    app = create_app(app_config(empty_database_url))
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), db.metadata)
        db.engine.dispose()
    assert diff == []


def test_a_migration_that_rebuilds_the_conferences_table_keeps_every_row(empty_database_url):
    """SQLite rebuilds a table to change a column; the rows that cascade from a conference stay (and 0025 fills in
    each conference's latest version)."""
    app = create_app(app_config(empty_database_url))
    with app.app_context():
        upgrade()
        conference = Conference(slug="doha", name_en="Doha", timezone="Asia/Qatar", start_date=date(2027, 1, 6),
                                end_date=date(2027, 1, 7))
        db.session.add(conference)
        db.session.flush()
        user = User(email="d@example.org", password_hash="x", display_name="D")
        db.session.add(user)
        db.session.flush()
        db.session.add(Delegate(conference_id=conference.id, user_id=user.id, email=user.email, name="D",
                                country="QA", consent_privacy=True, code="D-0001", badge_token="t" * 39))
        db.session.add_all([AgendaVersion(conference_id=conference.id, number=n, published_at=utcnow(), content="{}")
                            for n in (1, 2)])
        db.session.commit()
        latest = db.session.scalar(select(AgendaVersion.id).where(AgendaVersion.number == 2))
        db.session.remove()
        downgrade(revision="0024")
        upgrade()
        assert db.session.scalar(select(func.count()).select_from(Delegate)) == 1
        assert db.session.scalar(select(Conference.agenda_version_id)) == latest
        assert db.session.scalar(select(Conference.updated_at)) is not None
        db.session.remove()
        db.engine.dispose()
