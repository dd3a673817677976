"""Backups: a whole conference exported to JSON and imported into the other kind of database, row for row."""
from __future__ import annotations

import io
import json
import uuid
from datetime import date

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from conference import create_app
from conference.backup import BackupError, export_conference, import_conference
from conference.events.models import Conference
from conference.extensions import db
from tests.conftest import IN_CI, app_config, new_database

POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


@pytest.fixture
def other_database(database_url):
    """An empty database of the OTHER kind: PostgreSQL when the suite runs on SQLite, and the reverse."""
    if make_url(database_url).get_backend_name() == "postgresql":
        other = "sqlite://"
    else:
        other = POSTGRES
        try:
            create_engine(POSTGRES).connect().close()
        except OperationalError:
            if IN_CI:
                raise
            pytest.skip("the round trip to PostgreSQL needs the server at 127.0.0.1:5432")
    with new_database(other, "restore") as url:
        yield url


@pytest.fixture
def demo(app):
    """The Doha demo (every area's demo data), with admissions, a reissued badge and scans added."""
    from conference.badging.services import reissue_badge
    from conference.checkin.services import check_in
    from conference.registration.models import Delegate, DelegateStatus
    from conference.seed import seed_demo

    conference = seed_demo(date(2026, 12, 1))
    approved = db.session.scalars(db.select(Delegate).where(Delegate.status == DelegateStatus.APPROVED)
                                  .order_by(Delegate.id).limit(3)).all()
    reissue_badge(approved[0], None)
    db.session.commit()
    for delegate in approved:
        check_in(conference, delegate.badge_token, gate="Main", nonce=uuid.uuid4().hex)
    db.session.commit()
    from conference.certificates.models import Certificate
    from conference.certificates.services import issue_certificates, reissue_certificate

    issue_certificates(conference)  # the demo configures them; one is revoked and replaced
    reissue_certificate(conference, db.session.scalars(Certificate.of(conference).order_by(Certificate.id)).first(),
                        None)
    db.session.commit()
    return conference


def canonical(document: dict) -> dict:
    """The backup with account ids replaced by e-mail addresses (accounts get new ids where restored)."""
    emails = {row["id"]: row["email"] for row in document["tables"]["users"]}
    tables = {}
    for name, rows in document["tables"].items():
        table = db.metadata.tables[name]
        user_columns = {fk.parent.name for fk in table.foreign_keys if fk.column.table.name == "users"}
        tables[name] = [{key: (emails.get(value) if key in user_columns else value)
                         for key, value in row.items() if not (name == "users" and key == "id")}
                        for row in rows]
    return tables


def export_json(slug: str) -> dict:
    out = io.StringIO()
    export_conference(slug, out)
    return json.loads(out.getvalue())


def test_a_conference_round_trips_to_the_other_database_row_for_row(app, demo, other_database):
    exported = export_json(demo.slug)
    assert {"conferences", "delegates", "delegations", "checkins", "checkin_scans", "revoked_badges", "users",
            "certificate_settings", "certificates"} <= set(exported["tables"])
    assert any(row["replaced_by_id"] for row in exported["tables"]["certificates"])
    other = create_app(app_config(other_database))
    with other.app_context():
        db.create_all()
        import_conference(io.StringIO(json.dumps(exported)))
        restored = export_json(demo.slug)
        db.session.remove()
        db.drop_all()
        db.engine.dispose()
    # Row for row, but for the mail still queued at export: an import sends nothing by itself, so it is a draft.
    for row in exported["tables"].get("outbox_messages", []):
        row["state"] = "draft" if row["state"] == "queued" else row["state"]
    assert canonical(restored) == canonical(exported)


@pytest.mark.parametrize("pointer", [None, 999999], ids=["missing", "foreign"])
def test_a_restored_conference_points_at_its_own_latest_version(app, demo, other_database, pointer):
    """The pointer public pages are named by comes from the restored versions, never from the file."""
    exported = export_json(demo.slug)
    versions = exported["tables"]["agenda_versions"]
    latest = max(versions, key=lambda row: row["number"])["id"]
    exported["tables"]["conferences"][0]["agenda_version_id"] = pointer
    other = create_app(app_config(other_database))
    with other.app_context():
        db.create_all()
        import_conference(io.StringIO(json.dumps(exported)))
        assert db.session.scalar(select(Conference.agenda_version_id)) == latest
        assert other.test_client().get(f"/{demo.slug}/agenda?lang=en").status_code == 200
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


def test_every_area_with_demo_rows_is_in_the_backup(app, demo):
    """Each table the demo fills (but the mail outbox of other conferences) comes along."""
    exported = export_json(demo.slug)
    filled = {table.name for table in db.metadata.sorted_tables
              if db.session.scalar(db.select(db.func.count()).select_from(table))}
    assert filled - set(exported["tables"]) == set()


def test_import_refuses_a_conference_that_exists(app, demo):
    backup = io.StringIO()
    export_conference(demo.slug, backup)
    with pytest.raises(BackupError, match="exists already"):
        import_conference(io.StringIO(backup.getvalue()))


@pytest.mark.parametrize("content", ["", "not json", "[]", '{"format": "other"}',
                                     '{"format": "conference-backup", "version": 99}',
                                     "[" * 5000 + "]" * 5000],
                         ids=["empty", "not-json", "a-list", "other-format", "newer-version", "deeply-nested"])
def test_a_file_that_is_not_a_backup_is_refused(app, content):
    with pytest.raises(BackupError):
        import_conference(io.StringIO(content))


def test_unknown_slug_is_refused(app):
    with pytest.raises(BackupError, match="no conference"):
        export_conference("nowhere", io.StringIO())


def test_commands_export_and_import(app, runner, doha, tmp_path):
    path = tmp_path / "doha.json"
    result = runner.invoke(args=["export-conference", "doha", "--out", str(path)])
    assert result.exit_code == 0 and "rows" in result.output
    result = runner.invoke(args=["import-conference", str(path)])
    assert result.exit_code != 0 and "exists already" in result.output


def test_a_failed_export_leaves_the_earlier_backup_whole(app, runner, doha, tmp_path):
    path = tmp_path / "doha.json"
    assert runner.invoke(args=["export-conference", "doha", "--out", str(path)]).exit_code == 0
    earlier = path.read_bytes()
    result = runner.invoke(args=["export-conference", "dhoa", "--out", str(path)])
    assert result.exit_code != 0 and "no conference with the slug 'dhoa'" in result.output
    assert path.read_bytes() == earlier and list(tmp_path.iterdir()) == [path]
