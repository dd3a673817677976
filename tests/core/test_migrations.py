"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""
from __future__ import annotations

from datetime import date

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import func, select, text

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
    """SQLite rebuilds a table to change a column; the rows that cascade from a conference stay, foreign keys are
    enforced again after, and 0025 points each conference at its own latest version (by number, not by id)."""
    app = create_app(app_config(empty_database_url))
    with app.app_context():
        upgrade()
        doha, muscat, amman = (Conference(slug=slug, name_en=slug, timezone="Asia/Qatar", start_date=date(2027, 1, 6),
                                          end_date=date(2027, 1, 7)) for slug in ("doha", "muscat", "amman"))
        db.session.add_all([doha, muscat, amman])
        db.session.flush()
        user = User(email="d@example.org", password_hash="x", display_name="D")
        db.session.add(user)
        db.session.flush()
        db.session.add(Delegate(conference_id=doha.id, user_id=user.id, email=user.email, name="D", country="QA",
                                consent_privacy=True, code="D-0001", badge_token="t" * 39))
        # Ids out of the numbers' order: Doha's version 2 is written before its version 1.
        for conference, number in ((doha, 2), (muscat, 1), (doha, 1), (muscat, 2), (muscat, 3)):
            db.session.add(AgendaVersion(conference_id=conference.id, number=number, published_at=utcnow(),
                                         content="{}"))
            db.session.flush()
        db.session.commit()
        latest = {slug: db.session.scalar(select(AgendaVersion.id).join(Conference).where(
            Conference.slug == slug).order_by(AgendaVersion.number.desc()).limit(1)) for slug in ("doha", "muscat")}
        db.session.remove()
        downgrade(revision="0024")
        upgrade()
        assert db.session.scalar(select(func.count()).select_from(Delegate)) == 1
        pointers = dict(db.session.execute(select(Conference.slug, Conference.agenda_version_id)).all())
        assert pointers == {**latest, "amman": None}
        assert None not in db.session.scalars(select(Conference.updated_at)).all()
        if db.engine.dialect.name == "sqlite":
            assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        db.session.remove()
        db.engine.dispose()
