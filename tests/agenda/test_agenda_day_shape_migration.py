"""Migration 0021: sessions for everyone (a flag, off for every existing session) and a day's programme hours."""
from __future__ import annotations

from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from conference import create_app
from conference.extensions import db
from tests.conftest import OLD_CONFERENCE, app_config, insert_rows


def test_migration_0021_keeps_the_sessions_and_goes_back(empty_database_url):
    app = create_app(app_config(empty_database_url))
    with app.app_context():
        upgrade(revision="0020")
        with db.engine.begin() as conn:
            insert_rows(conn, "conferences", {**OLD_CONFERENCE, "changeover_minutes": 0})
            insert_rows(conn, "agenda_sessions", {
                "id": 1, "conference_id": 1, "uid": "00000000-0000-4000-8000-000000000001", "title_en": "Keynote",
                "title_ar": "", "description_en": "", "description_ar": "", "kind": "plenary",
                "duration_minutes": 60, "language": "en", "interpretation": "", "pinned": False,
                "created_at": "2026-01-01 00:00:00", "updated_at": "2026-01-01 00:00:00"})
        upgrade(revision="0021")
        with db.engine.begin() as conn:
            flag = conn.execute(text("SELECT for_everyone FROM agenda_sessions")).scalar_one()
            conn.execute(text("INSERT INTO agenda_programme_days (conference_id, day, starts, ends) "
                              "VALUES (1, '2027-05-23', '08:30:00', '16:30:00')"))
            days = conn.execute(text("SELECT count(*) FROM agenda_programme_days")).scalar_one()
        downgrade(revision="0020")
        with db.engine.begin() as conn:
            kept = conn.execute(text("SELECT title_en FROM agenda_sessions")).scalar_one()
        db.session.remove()
        db.engine.dispose()
    assert (bool(flag), days, kept) == (False, 1, "Keynote")
