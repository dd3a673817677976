"""import-conference does not trust the file: a crafted backup is refused in one line, with nothing written.

Each test runs the command (the Click runner) on the test database, which already holds conferences and accounts:
the backup either creates exactly one new conference, with roles only in it, or the database is left as it was.
"""
from __future__ import annotations

import copy
import io
import json
from datetime import date

import pytest
from sqlalchemy import UniqueConstraint, select

from conference import create_app
from conference.accounts.models import Membership, Role, User
from conference.backup import ACCOUNT_COLUMNS, export_conference
from conference.checkin.devices import issue_door_token
from conference.events.models import Conference
from conference.extensions import db
from conference.mail.models import MailState, OutboxMessage
from tests.conftest import app_config, password_hash
from tests.core.test_core_backup import canonical

OFFSET = 100_000  # above every id the tests make: a moved backup's ids are free in the same database


@pytest.fixture
def source(people, make_delegate):
    """Doha with its team and a delegate, beside another conference with an organizer and a delegate of its own."""
    doha, other = (db.session.scalar(select(Conference).where(Conference.slug == slug)) for slug in ("doha", "other"))
    make_delegate(doha)
    return {"other": other, "other_delegate": make_delegate(other), **people}


def backup_of(slug: str) -> dict:
    out = io.StringIO()
    export_conference(slug, out)
    return json.loads(out.getvalue())


def _unique_alone(table) -> set[str]:
    """Columns unique on their own (tokens, uids): a copy in the same database needs other values."""
    names = {column.name for column in table.columns if column.unique}
    names |= {next(iter(c.columns)).name for c in table.constraints
              if isinstance(c, UniqueConstraint) and len(c.columns) == 1}
    return names - {column.name for column in table.primary_key.columns}


def moved(document: dict, slug: str = "doha-copy", keep: str | None = None, offset: int = OFFSET) -> dict:
    """The backup as a new conference that fits the same database: ids moved up by `offset` (but the `keep`
    table's), unique texts changed. Accounts stay: the import finds them by e-mail address."""
    mark = chr(ord("b") + offset // OFFSET)
    document = copy.deepcopy(document)
    document["slug"] = slug
    shifted = {name for name in document["tables"] if name not in ("users", keep)}
    for name, rows in document["tables"].items():
        if name == "users":
            continue
        table = db.metadata.tables[name]
        links = {fk.parent.name for fk in table.foreign_keys if fk.column.table.name in shifted}
        if name == "agenda_stars":
            links.add("session_id")  # a session by id, without a foreign key
        for row in rows:
            for column in links | ({"id"} if name in shifted else set()):
                if row.get(column) is not None:
                    row[column] += offset
            for column in _unique_alone(table):
                if isinstance(row.get(column), str):
                    row[column] = mark + row[column][:-1]
    document["tables"]["conferences"][0]["slug"] = slug
    return document


def snapshot() -> dict:
    """Every row of every table, to prove that a refused import wrote nothing."""
    db.session.expire_all()
    return {table.name: [tuple(row) for row in db.session.execute(
        select(table).order_by(*table.primary_key.columns))] for table in db.metadata.sorted_tables}


def run_import(runner, tmp_path, document) -> object:
    path = tmp_path / "backup.json"
    path.write_text(document if isinstance(document, str) else json.dumps(document), encoding="utf-8")
    return runner.invoke(args=["import-conference", str(path)])


def assert_refused(runner, tmp_path, document, *fragments: str, before: dict | None = None) -> str:
    """The import is refused in one line without a traceback, and the database is unchanged."""
    before = before or snapshot()
    result = run_import(runner, tmp_path, document)
    assert result.exit_code != 0 and isinstance(result.exception, SystemExit), result.exception
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: import refused: "), result.output
    for fragment in fragments:
        assert fragment in lines[0]
    assert snapshot() == before
    return lines[0]


def user_id_of(document: dict, email: str) -> int:
    return next(row["id"] for row in document["tables"]["users"] if row["email"] == email)


def new_account(document: dict, email: str, **fields) -> int:
    """Add an account to the backup, named by an organizer membership of the imported conference."""
    tables = document["tables"]
    user_id = max(row["id"] for row in tables["users"]) + 1
    tables["users"].append({**tables["users"][0], "id": user_id, "email": email, **fields})
    add_membership(document, user_id, tables["conferences"][0]["id"])
    return user_id


def add_membership(document: dict, user_id: int, conference_id: int, role: str = "organizer") -> int:
    rows = document["tables"]["memberships"]
    rows.append({"id": max(row["id"] for row in rows) + 1, "user_id": user_id, "conference_id": conference_id,
                 "role": role})
    return len(rows)


def roles_of(email: str) -> set[tuple[str, Role]]:
    return set(db.session.execute(select(Conference.slug, Membership.role).join(Membership).join(User)
                                  .where(User.email == email)).tuples())


def test_a_moved_backup_imports_into_the_same_database(runner, tmp_path, source):
    """The helper's backup is a valid one: what the refusals below change is the only thing wrong with them."""
    result = run_import(runner, tmp_path, moved(backup_of("doha")))
    assert result.exit_code == 0, result.output
    assert "0 accounts created" in result.output and "rows restored" in result.output
    assert roles_of("organizer@example.org") == {("doha", Role.ORGANIZER), ("doha-copy", Role.ORGANIZER)}


def test_an_imported_account_never_becomes_a_site_administrator(runner, tmp_path, source):
    document = moved(backup_of("doha"))
    new_account(document, "mallory@example.org", is_admin=True, display_name="Mallory")
    result = run_import(runner, tmp_path, document)
    assert result.exit_code == 0, result.output
    mallory = db.session.scalar(select(User).where(User.email == "mallory@example.org"))
    assert mallory.is_admin is False and mallory.display_name == "Mallory"
    assert roles_of("mallory@example.org") == {("doha-copy", Role.ORGANIZER)}


def test_an_existing_account_keeps_its_password_flags_and_roles(runner, tmp_path, source):
    """Matched by e-mail address in any case: nothing of the backup's row reaches the account."""
    other_organizer, admin = source["other_organizer"], source["admin"]
    document = moved(backup_of("doha"))
    for user, email in ((other_organizer, "Other-Org@Example.org"), (admin, "ADMIN@example.org ")):
        new_account(document, email, is_admin=not user.is_admin, password_hash="scrypt:32768:8:1$x$" + "0" * 128,
                    display_name="Changed", session_generation=7)
    before = {user.email: (user.password_hash, user.is_admin, user.display_name, user.session_generation)
              for user in (other_organizer, admin)}
    users = db.session.scalar(select(db.func.count(User.id)))
    result = run_import(runner, tmp_path, document)
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert db.session.scalar(select(db.func.count(User.id))) == users
    assert {user.email: (user.password_hash, user.is_admin, user.display_name, user.session_generation)
            for user in (other_organizer, admin)} == before
    assert roles_of("other-org@example.org") == {("other", Role.ORGANIZER), ("doha-copy", Role.ORGANIZER)}
    assert roles_of("admin@example.org") == {("doha-copy", Role.ORGANIZER)}


def test_a_role_on_another_conference_is_refused(runner, tmp_path, source):
    document = moved(backup_of("doha"))
    other = source["other"].id
    row = add_membership(document, user_id_of(document, "delegate1@example.org"), other)
    assert_refused(runner, tmp_path, document,
                   f"memberships row {row} belongs to conference {other}, not the imported conference")
    assert roles_of("delegate1@example.org") == set()


def test_a_link_to_a_row_of_another_conference_is_refused(runner, tmp_path, source):
    """A row of the imported conference cannot point at another conference's delegate, nor hang an entry on it."""
    document = moved(backup_of("doha"))
    theirs = source["other_delegate"].id
    checkin = {"id": OFFSET + 1, "conference_id": document["tables"]["conferences"][0]["id"], "delegate_id": theirs,
               "day": "2026-12-02", "at": "2026-12-02T08:00:00+00:00", "recorded_at": "2026-12-02T08:00:00+00:00",
               "gate": "Main"}
    assert_refused(runner, tmp_path, {**document, "tables": {**document["tables"], "checkins": [checkin]}},
                   f"checkins row 1: delegate_id {theirs} is not a delegates row of the backup")
    audit = {"id": OFFSET + 1, "delegate_id": theirs, "at": "2026-12-02T08:00:00+00:00", "event": "note",
             "to_status": "approved", "note": "planted"}
    assert_refused(runner, tmp_path, {**document, "tables": {**document["tables"], "delegate_audit": [audit]}},
                   "delegate_audit row 1 belongs to no row of the imported conference")


def test_a_second_conference_is_refused(runner, tmp_path, source):
    document = moved(backup_of("doha"))
    extra = {**document["tables"]["conferences"][0], "id": OFFSET + 999, "slug": "extra"}
    document["tables"]["conferences"].append(extra)
    assert_refused(runner, tmp_path, document, "the backup holds 2 conferences; an import creates exactly one")
    assert db.session.scalar(select(Conference).where(Conference.slug == "extra")) is None


def test_an_id_the_database_holds_is_refused_in_every_table(runner, tmp_path, app):
    """The backup keeps its ids: one taken in any table it carries is a refusal naming it, not a traceback."""
    from conference.seed import seed_demo

    demo = seed_demo(date(2026, 12, 1))
    exported = backup_of(demo.slug)
    assert run_import(runner, tmp_path, moved(exported)).exit_code == 0
    before = snapshot()
    for name in exported["tables"]:
        if name != "users" and exported["tables"][name]:
            assert_refused(runner, tmp_path, moved(exported, slug="demo-again", keep=name, offset=2 * OFFSET),
                           f"{name} row 1 has the id {exported['tables'][name][0]['id']}, which this database holds",
                           before=before)


def test_a_conference_restored_over_itself_is_refused(runner, tmp_path, source):
    document = backup_of("doha")
    document["slug"] = document["tables"]["conferences"][0]["slug"] = "doha-again"
    assert_refused(runner, tmp_path, document, "conferences row 1 has the id", "holds already")


def test_a_value_another_row_holds_is_refused_by_name(runner, tmp_path, source):
    """A unique column (a badge token here) that collides is one line naming the row, not an IntegrityError."""
    document = moved(backup_of("doha"))
    theirs = source["other_delegate"].badge_token
    document["tables"]["delegates"][0]["badge_token"] = theirs
    assert_refused(runner, tmp_path, document, "delegates row 1 does not fit this database")


def test_two_rows_with_one_id_are_refused(runner, tmp_path, source):
    document = moved(backup_of("doha"))
    rows = document["tables"]["memberships"]
    rows[1]["id"] = rows[0]["id"]
    assert_refused(runner, tmp_path, document, f"memberships row 2 repeats the id {rows[0]['id']} of row 1")


def _set(path: str, value):
    """A change to the backup: `path` is table/row/column (rows from 1), or a top-level key."""
    def change(document: dict) -> dict:
        parts = path.split("/")
        if len(parts) == 1:
            document[parts[0]] = value
        else:
            document["tables"][parts[0]][int(parts[1]) - 1][parts[2]] = value
        return document
    return change


def _drop(path: str):
    def change(document: dict) -> dict:
        parts = path.split("/")
        target = document if len(parts) == 1 else document["tables"][parts[0]][int(parts[1]) - 1]
        del target[parts[-1]]
        return document
    return change


def _tables(change):
    def apply(document: dict) -> dict:
        change(document["tables"])
        return document
    return apply


MALFORMED = {
    "no-tables": (_drop("tables"), "the backup has no 'tables'"),
    "unknown-key": (_set("extra", 1), "a key this system does not know: 'extra'"),
    "slug-not-text": (_set("slug", 7), "the backup's slug is not text"),
    "tables-a-list": (_set("tables", []), "'tables' is not an object"),
    "unknown-table": (_tables(lambda t: t.update(secrets=[])), "a table this system does not know: 'secrets'"),
    "rows-not-a-list": (_tables(lambda t: t.update(memberships={})), "table memberships is not a list of rows"),
    "row-not-an-object": (_tables(lambda t: t["memberships"].append(3)), "memberships row 4 is not an object"),
    "unknown-column": (_set("memberships/1/is_admin", True),
                       "memberships row 1 has a column this system does not know: 'is_admin'"),
    "missing-id": (_drop("memberships/1/id"), "memberships row 1 has no id"),
    "missing-role": (_drop("memberships/1/role"), "memberships row 1 has no role"),
    "text-for-number": (_set("memberships/1/user_id", "1"), "memberships row 1, column user_id: not a whole number"),
    "bool-for-number": (_set("memberships/1/id", True), "memberships row 1, column id: not a whole number"),
    "huge-number": (_set("memberships/1/id", 2**40), "memberships row 1, column id: a number out of range"),
    "null-required": (_set("memberships/1/role", None), "memberships row 1, column role: must have a value"),
    "unknown-role": (_set("memberships/1/role", "admin"), "column role: not one of organizer, reviewer, staff"),
    "bad-date": (_set("conferences/1/start_date", "soon"), "conferences row 1, column start_date: not a date"),
    "naive-time": (_set("conferences/1/created_at", "2026-01-01T10:00:00"), "without its offset from UTC"),
    "number-for-text": (_set("conferences/1/name_en", 5), "conferences row 1, column name_en: not text"),
    "nul-in-text": (_set("conferences/1/name_en", "a\x00b"), "column name_en: text with a NUL character"),
    "long-text": (_set("conferences/1/country", "QAT"), "column country: longer than 2 characters"),
    "bool-as-text": (_set("conferences/1/auto_approve", "yes"), "column auto_approve: not true or false"),
    "no-conference": (_tables(lambda t: t.update(conferences=[])), "the backup holds 0 conferences"),
    "other-slug": (_set("conferences/1/slug", "elsewhere"), "has the slug 'elsewhere', the backup names 'doha-copy'"),
    "stray-account": (_tables(lambda t: t["users"].append({**t["users"][0], "id": 999_999, "email": "x@y.org"})),
                      "is named by no row of the conference"),
    "account-outside": (_set("memberships/1/user_id", 999_999),
                        "memberships row 1: user_id 999999 is not a users row of the backup"),
    "same-address-twice": (lambda d: new_account(d, d["tables"]["users"][0]["email"].upper()) and d,
                           "repeats the e-mail address of row 1"),
}


@pytest.mark.parametrize("change, message", MALFORMED.values(), ids=MALFORMED.keys())
def test_a_malformed_backup_is_refused_in_one_line(runner, tmp_path, source, change, message):
    assert_refused(runner, tmp_path, change(moved(backup_of("doha"))), message)


@pytest.mark.parametrize("content, message", [
    ("", "not a backup file"), ("[1]", "not a conference backup file"), ('{"format": "conference-backup", "version": '
                                                                         '1, "slug": "x", "tables": {"x": NaN}}',
                                                                         "NaN is not a value a backup holds"),
    ("[" * 5000 + "]" * 5000, "not a backup file"), ('{"format": "conference-backup", "version": 2}', "version 2"),
], ids=["empty", "a-list", "nan", "deeply-nested", "newer-version"])
def test_a_file_that_is_not_a_backup_is_refused_in_one_line(runner, tmp_path, source, content, message):
    assert_refused(runner, tmp_path, content, message)


@pytest.mark.parametrize("password_hash_", ["plain", "foo:bar$a$" + "0" * 64, "scrypt:x$a$" + "0" * 128,
                                            "scrypt:1048576:8:1$a$" + "0" * 128,
                                            "pbkdf2:sha256:999999999$a$" + "0" * 64],
                         ids=["not-a-hash", "unknown-method", "bad-parameters", "scrypt-too-costly",
                              "pbkdf2-too-costly"])
def test_a_new_account_needs_a_password_hash_a_login_can_check(runner, tmp_path, source, password_hash_):
    """A login computes the hash with the stored parameters: a crafted one would crash or stall it."""
    document = moved(backup_of("doha"))
    new_account(document, "mallory@example.org", password_hash=password_hash_)
    assert_refused(runner, tmp_path, document, "password_hash is not a password hash this system checks")


def test_a_new_account_takes_a_password_hash_this_system_writes(runner, tmp_path, source):
    document = moved(backup_of("doha"))
    new_account(document, "new@example.org", password_hash=password_hash())
    assert run_import(runner, tmp_path, document).exit_code == 0


def test_what_a_new_account_takes_from_a_backup_is_decided_for_every_column():
    """A column added to users travels in backups only once it is added to ACCOUNT_COLUMNS, on purpose."""
    assert set(db.metadata.tables["users"].c.keys()) == set(ACCOUNT_COLUMNS) | {"id", "is_admin", "session_generation"}


def test_commands_round_trip_into_a_fresh_database(runner, tmp_path, source, empty_database_url):
    """export-conference, then import-conference into an empty database, gives the same conference back."""
    path = tmp_path / "doha.json"
    assert runner.invoke(args=["export-conference", "doha", "--out", str(path)]).exit_code == 0
    exported = json.loads(path.read_text(encoding="utf-8"))
    fresh = create_app(app_config(empty_database_url))
    with fresh.app_context():
        db.create_all()
        result = fresh.test_cli_runner().invoke(args=["import-conference", str(path)])
        restored = canonical(backup_of("doha"))
        db.session.remove()
        db.drop_all()
        db.engine.dispose()
    assert result.exit_code == 0, result.output
    assert f"{len(exported['tables']['users'])} accounts created" in result.output
    assert restored == canonical(exported)


def test_an_import_never_sends_mail_queued_mail_arrives_as_a_draft(runner, tmp_path, source):
    """A crafted backup must not mail anyone from the organizers' address: an organizer releases it, or not."""
    document = moved(backup_of("doha"))
    document["tables"].setdefault("outbox_messages", []).append({
        "id": OFFSET * 3, "conference_id": document["tables"]["conferences"][0]["id"],
        "recipient": "victim@example.org", "subject": "Wire the money", "body_text": "Now.", "body_html": "<p>Now.</p>",
        "template": "registration_approved", "locale": "en", "state": "queued", "attempts": 0, "last_error": "",
        "created_at": "2026-12-01T10:00:00+00:00", "sent_at": None, "claimed_at": None, "proposal_id": None})
    result = run_import(runner, tmp_path, document)
    assert result.exit_code == 0, result.output
    state = db.session.scalar(select(OutboxMessage.state).where(OutboxMessage.recipient == "victim@example.org"))
    assert state == MailState.DRAFT


def test_an_import_never_sends_a_message_to_a_group_that_was_waiting(runner, tmp_path, source):
    """A scheduled message in a backup would be queued by this server's workers: it arrives cancelled."""
    from conference.messages.models import Message, MessageState

    document = moved(backup_of("doha"))
    document["tables"].setdefault("messages", []).append({
        "id": OFFSET * 3, "conference_id": document["tables"]["conferences"][0]["id"], "author_id": None,
        "form_token": "crafted", "subject_en": "Wire the money", "body_en": "Now.", "subject_ar": "", "body_ar": "",
        "audience": "{}", "audience_label": "", "state": "waiting", "send_at": None,
        "created_at": "2026-12-01T10:00:00+00:00", "claimed_at": None, "queued_at": None, "recipients": 0})
    result = run_import(runner, tmp_path, document)
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(Message.state).where(Message.form_token == "crafted")) == MessageState.CANCELLED


def test_door_tokens_never_travel(runner, tmp_path, source, people):
    doha = db.session.scalar(select(Conference).where(Conference.slug == "doha"))
    issue_door_token(doha, people["staff"])
    db.session.commit()
    document = backup_of("doha")
    assert "checkin_door_tokens" not in document["tables"]
    document = moved(document)
    document["tables"]["checkin_door_tokens"] = [{"id": 1}]
    assert_refused(runner, tmp_path, document, "checkin_door_tokens")
