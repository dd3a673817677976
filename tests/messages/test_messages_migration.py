"""Migration 0020: the messages table, each outbox mail's message, the conferences' contact address."""
from __future__ import annotations

from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from conference import create_app
from conference.extensions import db
from tests.conftest import OLD_CONFERENCE, OLD_USER, app_config, insert_rows


def test_migration_0020_keeps_the_outbox_and_goes_back(empty_database_url):
    app = create_app(app_config(empty_database_url))
    with app.app_context():
        upgrade(revision="0018")
        with db.engine.begin() as conn:
            insert_rows(conn, "conferences", {**OLD_CONFERENCE, "changeover_minutes": 0})
            insert_rows(conn, "users", {**OLD_USER, "id": 1, "email": "old@example.org"})
            insert_rows(conn, "outbox_messages", {
                "id": 1, "conference_id": 1, "recipient": "old@example.org", "subject": "Old", "body_text": "t",
                "body_html": "h", "template": "welcome", "locale": "en", "state": "sent", "attempts": 1,
                "last_error": "", "created_at": "2026-01-01 00:00:00"})
        upgrade(revision="0020")
        with db.engine.begin() as conn:
            contact = conn.execute(text("SELECT contact_email FROM conferences")).scalar_one()
            mail = conn.execute(text("SELECT subject, message_id FROM outbox_messages")).one()
            assert conn.execute(text("SELECT count(*) FROM messages")).scalar_one() == 0
        downgrade(revision="0018")
        with db.engine.begin() as conn:
            kept = conn.execute(text("SELECT subject FROM outbox_messages")).scalar_one()
        db.session.remove()
        db.engine.dispose()
    assert (contact, tuple(mail), kept) == ("", ("Old", None), "Old")
