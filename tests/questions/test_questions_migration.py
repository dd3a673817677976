"""Migration 0019 on a database with a conference: passports are kept 30 days after it, there are no questions."""
from __future__ import annotations

from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from conference import create_app
from conference.extensions import db
from tests.conftest import OLD_CONFERENCE, app_config, insert_rows


def test_migration_0019_gives_existing_conferences_the_passport_retention(empty_database_url):
    app = create_app(app_config(empty_database_url))
    with app.app_context():
        upgrade(revision="0018")
        with db.engine.begin() as conn:
            insert_rows(conn, "conferences", OLD_CONFERENCE)
        upgrade(revision="0019")
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT passport_retention_days FROM conferences")).scalar_one() == 30
            assert conn.execute(text("SELECT count(*) FROM questions")).scalar_one() == 0
        downgrade(revision="0018")
        assert "questions" not in inspect(db.engine).get_table_names()
        db.engine.dispose()
