"""Migration 0011 on accounts that already exist: admins and role holders count as confirmed, others do not."""
from __future__ import annotations

from flask_migrate import upgrade
from sqlalchemy import text

from conference import create_app
from conference.extensions import db
from tests.conftest import OLD_CONFERENCE, OLD_USER, app_config, insert_rows


def test_existing_admins_and_role_holders_are_confirmed_and_others_not(empty_database_url):
    app = create_app(app_config(empty_database_url))
    with app.app_context():
        upgrade(revision="0010")
        with db.engine.begin() as conn:
            insert_rows(conn, "conferences", OLD_CONFERENCE)
            insert_rows(conn, "users", *({**OLD_USER, "id": number, "email": email, "is_admin": admin}
                                         for number, (email, admin) in enumerate(
                                             [("admin@example.org", True), ("staff@example.org", False),
                                              ("delegate@example.org", False)], start=1)))
            conn.execute(text("INSERT INTO memberships (user_id, conference_id, role) VALUES (2, 1, 'staff')"))
        upgrade(revision="0011")
        with db.engine.connect() as conn:
            confirmed = dict(conn.execute(text(
                "SELECT email, email_verified_at IS NOT NULL FROM users ORDER BY id")).all())
        db.engine.dispose()
    assert confirmed == {"admin@example.org": True, "staff@example.org": True, "delegate@example.org": False}
