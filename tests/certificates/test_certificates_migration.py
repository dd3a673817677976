"""Migration 0024: the certificates' settings and issued certificates (one live per delegate and kind)."""
from __future__ import annotations

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from conference import create_app
from conference.extensions import db
from tests.conftest import app_config, insert_rows


def test_migration_0024_creates_the_tables_and_goes_back(empty_database_url):
    app = create_app(app_config(empty_database_url))
    with app.app_context():
        upgrade(revision="0024")
        tables = set(inspect(db.engine).get_table_names())
        assert {"certificate_settings", "certificates"} <= tables
        with db.engine.begin() as conn:
            conn.execute(text("SELECT id FROM conferences"))  # the schema answers
        downgrade(revision="0023")
        left = set(inspect(db.engine).get_table_names())
        db.session.remove()
        db.engine.dispose()
    assert not {"certificate_settings", "certificates"} & left


def test_one_live_certificate_per_delegate_and_kind(app, past, make_delegate):
    delegate = make_delegate(past)
    row = {"conference_id": past.id, "delegate_id": delegate.id, "kind": "attendance",
           "issued_at": "2026-01-01 00:00:00"}
    with db.engine.begin() as conn:
        insert_rows(conn, "certificates", {**row, "code": "a" * 22, "revoked_at": "2026-01-02 00:00:00"},
                    {**row, "code": "b" * 22})
    with pytest.raises(IntegrityError), db.engine.begin() as conn:
        insert_rows(conn, "certificates", {**row, "code": "c" * 22})


