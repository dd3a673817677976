"""Migration 0011 on accounts that already exist: admins and role holders count as confirmed, others do not."""
from __future__ import annotations

from flask_migrate import upgrade
from sqlalchemy import text

from conference import create_app
from conference.extensions import db
from tests.conftest import app_config


def test_existing_admins_and_role_holders_are_confirmed_and_others_not(empty_database_url):
    app = create_app(app_config(empty_database_url))
    with app.app_context():
        upgrade(revision="0010")
        with db.engine.begin() as conn:
            conn.execute(text(
                "INSERT INTO conferences (id, slug, name_en, name_ar, description_en, description_ar, venue_en, "
                "venue_ar, city_en, city_ar, country, timezone, start_date, end_date, auto_approve, agenda_published, "
                "admit_only_on_conference_days, created_at) VALUES (1, 'doha', 'D', 'D', '', '', '', '', '', '', 'QA', "
                "'Asia/Qatar', '2027-05-23', '2027-05-24', false, false, true, '2026-01-01 00:00:00')"))
            for number, (email, admin) in enumerate([("admin@example.org", True), ("staff@example.org", False),
                                                     ("delegate@example.org", False)], start=1):
                conn.execute(text(
                    "INSERT INTO users (id, email, password_hash, display_name, locale, is_admin, created_at, "
                    "session_generation) VALUES (:id, :email, 'x', '', 'en', :admin, '2026-01-01 00:00:00', 0)"),
                    {"id": number, "email": email, "admin": admin})
            conn.execute(text("INSERT INTO memberships (user_id, conference_id, role) VALUES (2, 1, 'staff')"))
        upgrade(revision="0011")
        with db.engine.connect() as conn:
            confirmed = dict(conn.execute(text(
                "SELECT email, email_verified_at IS NOT NULL FROM users ORDER BY id")).all())
        db.engine.dispose()
    assert confirmed == {"admin@example.org": True, "staff@example.org": True, "delegate@example.org": False}
