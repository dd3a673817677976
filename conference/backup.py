"""Backups of one conference as JSON: every row that belongs to it, in every area, and the accounts they name.

What belongs to a conference is read from the schema, not listed by hand: a row of a table with a
conference_id of that conference, or a row whose foreign key points at a row that belongs (an audit entry of a
delegate, a review of a proposal, a star on a session), and the user accounts that any of those rows names.
A new area's tables are therefore backed up without touching this file.

Import restores the rows with their own ids (links such as /agenda/<id>, published agenda snapshots, calendar
UIDs and feed tokens keep working, and the snapshots hold ids inside their JSON), so it goes into a database that
holds none of those ids yet: an id already taken is refused, never renumbered. The file is not trusted. Before
anything is written, every value is checked against its column, every row against the one conference the import
creates (its conference_id, or a link to a row of the backup) and every id against the database; then the whole
import is one transaction. Accounts are matched by e-mail address and an existing account is left exactly as it
is; a new account takes only ACCOUNT_COLUMNS from the file, so never the administrator flag. An import never
sends mail by itself: queued messages arrive as drafts, for an organizer to read and release. Credentials of one
server's sessions (the scanner pages' door tokens, NOT_CARRIED) are neither written nor read.
"""
from __future__ import annotations

import base64
import enum
import json
import re
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any, BinaryIO, Iterator, TextIO

from sqlalchemy import Column, Table, func, insert, or_, select, text, update
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.types import BigInteger, Boolean, Date, DateTime, Enum, Integer, LargeBinary, SmallInteger, String, Time

from .accounts.services import normalize_email
from .agenda.versions import point_to_latest_version
from .extensions import db
from .mail.models import MailState
from .messages.models import MessageState
from .types import UTCDateTime

FORMAT = "conference-backup"
VERSION = 1
DOCUMENT_KEYS = ("format", "version", "slug", "tables")
ROOT_TABLE = "conferences"
USERS_TABLE = "users"
# What a new account takes from a backup. Every other column of users keeps its default here: is_admin above all,
# and any column added later until someone decides it may travel (a test holds this list to the schema).
ACCOUNT_COLUMNS = ("email", "password_hash", "display_name", "locale", "created_at", "email_verified_at")
INTEGER_LIMITS = ((SmallInteger, 2**15), (BigInteger, 2**63), (Integer, 2**31))  # subclasses before Integer
MOMENTS = ((UTCDateTime, datetime, "a date and time"), (DateTime, datetime, "a date and time"),
           (Date, date, "a date"), (Time, time, "a time"))
# Password hashes as werkzeug writes them. The parameters are bounded because a login computes the hash with them:
# a crafted work factor would stall or crash every login attempt for that address.
PASSWORD_HASH = re.compile(r"(?:scrypt:([0-9]{1,6}):([0-9]{1,2}):([0-9])|pbkdf2:sha256:([0-9]{1,7}))"
                           r"\$[A-Za-z0-9]{1,64}\$[0-9a-f]{64,128}")
# Tables that never travel: a door token belongs to a staff member's session on this server, for an hour.
NOT_CARRIED = ("checkin_door_tokens",)
OUTBOX_TABLE = "outbox_messages"
MESSAGES_TABLE = "messages"
ID_BATCH = 500  # ids per query when looking for ids the database holds already


class BackupError(ValueError):
    """A backup that cannot be written or restored, with the reason."""


@dataclass(frozen=True)
class Restored:
    """What an import wrote: rows per table, and the accounts it created or found by e-mail address."""

    rows: dict[str, int]
    accounts_created: int
    accounts_found: int


def _refused(reason: str) -> BackupError:
    return BackupError(f"import refused: {reason}")


def _tables() -> list[Table]:
    """Every table in dependency order (parents first)."""
    return list(db.metadata.sorted_tables)


def _links() -> dict[str, list]:
    """How each table's rows belong to a conference: by their own id or conference_id ([]), or by these links."""
    # Tables whose rows can never belong (the accounts, and tables only about accounts) are left out.
    links: dict[str, list] = {}
    for table in _tables():
        if table.name == USERS_TABLE or table.name in NOT_CARRIED:
            continue
        if table.name == ROOT_TABLE or "conference_id" in table.c:
            links[table.name] = []
            continue
        via = [fk for fk in table.foreign_keys if fk.column.table.name in links]
        if via:
            links[table.name] = via
    return links


def _encode(value: Any) -> Any:
    """A column value as JSON (bytes as base64, times as ISO 8601, enums by value)."""
    if isinstance(value, bytes):
        return {"base64": base64.b64encode(value).decode("ascii")}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    return value


def _belonging_rows(conference_id: int) -> dict[str, list[dict]]:
    """Rows of every table that belong to the conference, as column -> raw value mappings, ordered by key."""
    conditions: dict[str, Any] = {}
    kept: dict[str, list[dict]] = {}
    for name, via in _links().items():
        table = db.metadata.tables[name]
        condition = conditions[name] = _belongs(table, conference_id, via, conditions)
        rows = [dict(row._mapping) for row in db.session.execute(
            select(table).where(condition).order_by(*table.primary_key.columns))]
        if rows:
            kept[name] = rows
    return kept


def _belongs(table: Table, conference_id: int, via: list, conditions: dict[str, Any]):
    """The WHERE clause selecting the table's rows of the conference.

    A row belongs through its own conference_id, or through a foreign key to a row that belongs
    (the parent's clause as a subquery, so no list of ids is ever sent).
    """
    if table.name == ROOT_TABLE:
        return table.c.id == conference_id
    if "conference_id" in table.c:
        return table.c.conference_id == conference_id
    return or_(*(fk.parent.in_(select(fk.column).where(conditions[fk.column.table.name])) for fk in via))


def _user_columns(table: Table) -> list[str]:
    return [fk.parent.name for fk in table.foreign_keys if fk.column.table.name == USERS_TABLE]


def export_conference(slug: str, out: TextIO) -> dict[str, int]:
    """Write the conference named by `slug` as JSON to `out`; returns rows per table."""
    conferences = db.metadata.tables[ROOT_TABLE]
    conference_id = db.session.scalar(select(conferences.c.id).where(conferences.c.slug == slug))
    if conference_id is None:
        raise BackupError(f"no conference with the slug {slug!r}")
    rows = _belonging_rows(conference_id)
    user_ids = {row[column] for name, table_rows in rows.items() for column in _user_columns(db.metadata.tables[name])
                for row in table_rows if row[column] is not None}
    users = db.metadata.tables[USERS_TABLE]
    rows[USERS_TABLE] = [dict(row._mapping) for row in db.session.execute(
        select(users).where(users.c.id.in_(sorted(user_ids))).order_by(users.c.id))] if user_ids else []
    document = {
        "format": FORMAT, "version": VERSION, "slug": slug,
        "tables": {name: [{key: _encode(value) for key, value in row.items()} for row in table_rows]
                   for name, table_rows in rows.items()},
    }
    json.dump(document, out, ensure_ascii=False, indent=None, separators=(",", ":"))
    return {name: len(table_rows) for name, table_rows in rows.items()}


def import_conference(source: BinaryIO | TextIO) -> Restored:
    """Restore a conference from a backup, in one transaction, after checking all of it; BackupError says why not."""
    try:
        document = _read(source)
        rows = _checked_rows(document["tables"])
        conference_id = _the_conference(rows, document["slug"])
        _check_ids(rows)
        _check_belonging(rows, conference_id)
        found = _accounts(rows.get(USERS_TABLE, []))
        _check_free(rows, document["slug"])
        _hold_mail(rows)
        restored = _write(rows, found)
        point_to_latest_version(conference_id)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return restored


def _hold_mail(rows: dict[str, list[dict]]) -> None:
    """Queued mail of the backup arrives as a draft: the file, not an organizer, would otherwise send it."""
    for row in rows.get(OUTBOX_TABLE, []):
        if row.get("state") == MailState.QUEUED:
            row["state"] = MailState.DRAFT
    # A message to a group not yet queued (scheduled, or half-queued) would be queued by this server's workers.
    for row in rows.get(MESSAGES_TABLE, []):
        if row.get("state") in (MessageState.WAITING, MessageState.QUEUING):
            row["state"] = MessageState.CANCELLED


def _read(source: BinaryIO | TextIO) -> dict:
    """The backup document, with its keys checked."""
    try:
        document = json.load(source, parse_constant=_no_constant)
    except (ValueError, RecursionError) as error:
        raise _refused(f"not a backup file ({error})") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise _refused("not a conference backup file")
    if document.get("version") != VERSION:
        raise _refused(f"backup version {document.get('version')!r} cannot be read (this system reads {VERSION})")
    missing = [key for key in DOCUMENT_KEYS if key not in document]
    if missing:
        raise _refused(f"the backup has no {missing[0]!r}")
    unknown = sorted(set(document) - set(DOCUMENT_KEYS))
    if unknown:
        raise _refused(f"the backup has a key this system does not know: {unknown[0]!r}")
    if not isinstance(document["slug"], str):
        raise _refused("the backup's slug is not text")
    return document


def _no_constant(name: str) -> None:
    """JSON's NaN and Infinity: Python reads them, no column holds them."""
    raise ValueError(f"{name} is not a value a backup holds")


def _checked_rows(tables: Any) -> dict[str, list[dict]]:
    """The backup's rows by table, every value checked against its column and decoded."""
    if not isinstance(tables, dict):
        raise _refused("the backup's 'tables' is not an object")
    links = _links()
    rows = {}
    for name, table_rows in tables.items():
        if name not in db.metadata.tables:
            raise _refused(f"the backup has a table this system does not know: {name!r}")
        if name != USERS_TABLE and name not in links:
            raise _refused(f"table {name} does not belong to a conference, so a backup never holds it")
        if not isinstance(table_rows, list):
            raise _refused(f"table {name} is not a list of rows")
        columns = {column.name: column for column in db.metadata.tables[name].columns}
        required = [name for name, column in columns.items() if _required(column)]
        rows[name] = [_checked_row(f"{name} row {number}", row, columns, required)
                      for number, row in enumerate(table_rows, 1)]
    return rows


def _checked_row(label: str, row: Any, columns: dict[str, Column], required: list[str]) -> dict:
    """One row decoded; refuses a row that is not an object, an unknown or missing column, a wrong value."""
    if not isinstance(row, dict):
        raise _refused(f"{label} is not an object")
    unknown = sorted(set(row) - set(columns))
    if unknown:
        raise _refused(f"{label} has a column this system does not know: {unknown[0]!r}")
    missing = [name for name in required if name not in row]
    if missing:
        raise _refused(f"{label} has no {missing[0]}")
    decoded = {}
    for name, value in row.items():
        try:
            decoded[name] = _decode(columns[name], value)
        except ValueError as error:
            raise _refused(f"{label}, column {name}: {error}") from None
    return decoded


def _required(column: Column) -> bool:
    """A column a row must carry: its key, or one that has neither a default nor room for NULL."""
    return column.primary_key or not (column.nullable or column.default is not None
                                      or column.server_default is not None)


def _decode(column: Column, value: Any) -> Any:
    """A JSON value back into what the column takes; ValueError says what is wrong with it."""
    if value is None:
        if column.nullable:
            return None
        raise ValueError("must have a value")
    kind = column.type
    if isinstance(kind, (UTCDateTime, DateTime, Date, Time)):
        return _moment(kind, value)
    if isinstance(kind, LargeBinary):
        if not (isinstance(value, dict) and set(value) == {"base64"} and isinstance(value["base64"], str)):
            raise ValueError('not {"base64": "..."}')
        return base64.b64decode(value["base64"], validate=True)
    if isinstance(kind, Enum):  # before String: an Enum is a String
        return _member(kind, value)
    if isinstance(kind, Boolean):
        if not isinstance(value, bool):
            raise ValueError("not true or false")
        return value
    if isinstance(kind, Integer):
        return _integer(kind, value)
    if isinstance(kind, String):
        return _text(kind, value)
    raise ValueError(f"a column of type {kind!r} cannot be restored")


def _moment(kind, value: Any) -> date | datetime | time:
    parse, what = next((parse, what) for type_, parse, what in MOMENTS if isinstance(kind, type_))
    try:
        moment = parse.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        moment = None
    if moment is None:
        raise ValueError(f"not {what} in ISO 8601")
    if isinstance(kind, UTCDateTime) and moment.tzinfo is None:  # stored as UTC: the offset is needed
        raise ValueError("a date and time without its offset from UTC")
    return moment


def _member(kind: Enum, value: Any) -> Any:
    if not isinstance(value, str) or value not in kind.enums:
        raise ValueError(f"not one of {', '.join(kind.enums)}")
    return kind.enum_class(value) if kind.enum_class is not None else value


def _integer(kind: Integer, value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError("not a whole number")
    limit = next(limit for type_, limit in INTEGER_LIMITS if isinstance(kind, type_))
    if not -limit <= value < limit:
        raise ValueError("a number out of range")
    return value


def _text(kind: String, value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("not text")
    if "\x00" in value:  # PostgreSQL cannot store it
        raise ValueError("text with a NUL character")
    if kind.length is not None and len(value) > kind.length:
        raise ValueError(f"longer than {kind.length} characters")
    return value


def _the_conference(rows: dict[str, list[dict]], slug: str) -> int:
    """The id of the one conference the backup holds, under the slug it names."""
    conferences = rows.get(ROOT_TABLE, [])
    if len(conferences) != 1:
        raise _refused(f"the backup holds {len(conferences)} conferences; an import creates exactly one")
    if conferences[0]["slug"] != slug:
        raise _refused(f"conferences row 1 has the slug {conferences[0]['slug']!r}, the backup names {slug!r}")
    return conferences[0]["id"]


def _check_ids(rows: dict[str, list[dict]]) -> None:
    """Refuses two rows of a table with the same id."""
    for name, table_rows in rows.items():
        key = _key(db.metadata.tables[name])
        if key is None:
            continue
        seen: dict[Any, int] = {}
        for number, row in enumerate(table_rows, 1):
            if row[key.name] in seen:
                raise _refused(f"{name} row {number} repeats the id {row[key.name]} of row {seen[row[key.name]]}")
            seen[row[key.name]] = number


def _key(table: Table) -> Column | None:
    """The table's one-column primary key (None for a composite one)."""
    columns = list(table.primary_key.columns)
    return columns[0] if len(columns) == 1 else None


def _check_belonging(rows: dict[str, list[dict]], conference_id: int) -> None:
    """Every row is of the imported conference, every link stays inside the backup, every account is named by one."""
    links = _links()
    targets = {fk.column for name in rows for fk in db.metadata.tables[name].foreign_keys}
    present = {column: {row.get(column.name) for row in rows.get(column.table.name, [])} - {None}
               for column in targets}
    named: set[int] = set()
    for name, table_rows in rows.items():
        if name == USERS_TABLE:
            continue
        table = db.metadata.tables[name]
        parents = [(fk.parent.name, present[fk.column]) for fk in links[name]]
        for number, row in enumerate(table_rows, 1):
            label = f"{name} row {number}"
            _check_owner(table, label, row, conference_id, parents)
            named |= _check_links(table, label, row, present)
    for number, row in enumerate(rows.get(USERS_TABLE, []), 1):
        if row["id"] not in named:
            raise _refused(f"users row {number} is named by no row of the conference")


def _check_owner(table: Table, label: str, row: dict, conference_id: int, parents: list[tuple[str, set]]) -> None:
    """Refuses a row not of the imported conference: by its conference_id, else by a link in `parents`."""
    if table.name == ROOT_TABLE:
        return
    if "conference_id" in table.c:
        owner = row.get("conference_id")
        if owner is None:
            raise _refused(f"{label} belongs to no conference")
        if owner != conference_id:
            raise _refused(f"{label} belongs to conference {owner}, not the imported conference")
        return
    if not any(row.get(column) in keys for column, keys in parents):
        raise _refused(f"{label} belongs to no row of the imported conference")


def _check_links(table: Table, label: str, row: dict, present: dict) -> set[int]:
    """Refuses a link to a row that is not in the backup; returns the accounts the row names."""
    named = set()
    for fk in table.foreign_keys:
        value = row.get(fk.parent.name)
        if value is None:
            continue
        if value not in present[fk.column]:
            raise _refused(f"{label}: {fk.parent.name} {value} is not a {fk.column.table.name} row of the backup")
        if fk.column.table.name == USERS_TABLE:
            named.add(value)
    return named


def _accounts(rows: list[dict]) -> dict[str, int]:
    """Checks the backup's accounts; returns those this database has already, e-mail address -> id."""
    numbers: dict[str, int] = {}
    for number, row in enumerate(rows, 1):
        email = normalize_email(row["email"])
        if "@" not in email:
            raise _refused(f"users row {number} has no e-mail address")
        if email in numbers:
            raise _refused(f"users row {number} repeats the e-mail address of row {numbers[email]}")
        numbers[email] = number
    users = db.metadata.tables[USERS_TABLE]
    found: dict[str, int] = {}
    for batch in _batches(sorted(numbers)):
        found.update(db.session.execute(select(users.c.email, users.c.id).where(users.c.email.in_(batch))).all())
    for email, number in numbers.items():
        if email not in found and not _usable_password_hash(rows[number - 1]["password_hash"]):
            raise _refused(f"users row {number}: password_hash is not a password hash this system checks")
    return found


def _usable_password_hash(value: str) -> bool:
    """A werkzeug scrypt or pbkdf2:sha256 hash whose cost a login can bear."""
    match = PASSWORD_HASH.fullmatch(value)
    if match is None:
        return False
    n, r, p, iterations = (int(group) if group else None for group in match.groups())
    if iterations is not None:
        return 1 <= iterations <= 2_000_000
    return 2 <= n <= 2**16 and n & (n - 1) == 0 and 1 <= r <= 8 and 1 <= p <= 2


def _batches(values: list) -> Iterator[list]:
    for start in range(0, len(values), ID_BATCH):
        yield values[start:start + ID_BATCH]


def _check_free(rows: dict[str, list[dict]], slug: str) -> None:
    """Refuses a slug or an id that the database holds already (accounts are matched instead, by e-mail)."""
    conferences = db.metadata.tables[ROOT_TABLE]
    if db.session.scalar(select(conferences.c.id).where(conferences.c.slug == slug)) is not None:
        raise _refused(f"a conference with the slug {slug!r} exists already")
    for name, table_rows in rows.items():
        key = _key(db.metadata.tables[name])
        if name == USERS_TABLE or key is None:
            continue
        numbers = {row[key.name]: number for number, row in enumerate(table_rows, 1)}
        for batch in _batches(sorted(numbers)):
            taken = db.session.scalar(select(key).where(key.in_(batch)).order_by(key).limit(1))
            if taken is not None:
                raise _refused(f"{name} row {numbers[taken]} has the id {taken}, which this database holds already "
                               "(a backup keeps its ids)")


def _write(rows: dict[str, list[dict]], found: dict[str, int]) -> Restored:
    """Insert every row (after the checks): accounts first, then each table in dependency order."""
    user_ids = _restore_users(rows.get(USERS_TABLE, []), found)
    counts = {USERS_TABLE: len(rows.get(USERS_TABLE, []))}
    postponed = []
    for table in _tables():
        if table.name != USERS_TABLE and table.name in rows:
            postponed += _restore_table(table, rows[table.name], user_ids)
            counts[table.name] = len(rows[table.name])
    for table, label, key, values in postponed:  # links that close a cycle, once both ends exist
        _execute(label, update(table).where(table.c[_key(table).name] == key).values(values))
    _reset_sequences()
    return Restored(counts, accounts_created=counts[USERS_TABLE] - len(found), accounts_found=len(found))


def _execute(label: str, statement) -> Any:
    """Run one row's statement; a constraint of this database that refuses it is a refusal of the import."""
    try:
        return db.session.execute(statement)
    except (IntegrityError, DataError) as error:
        reason = str(error.orig).strip().splitlines()[0]
        raise _refused(f"{label} does not fit this database ({reason})") from None


def _restore_users(rows: list[dict], found: dict[str, int]) -> dict[int, int]:
    """Reuse the accounts found by e-mail, untouched; create the others. Returns backup user id -> id here."""
    users = db.metadata.tables[USERS_TABLE]
    mapping = {}
    for number, row in enumerate(rows, 1):
        email = normalize_email(row["email"])
        if email in found:  # an account of this database keeps its password, its flags and its roles elsewhere
            mapping[row["id"]] = found[email]
            continue
        values = {name: row[name] for name in ACCOUNT_COLUMNS if name in row} | {"email": email}
        mapping[row["id"]] = _execute(f"users row {number}",
                                      insert(users).values(values).returning(users.c.id)).scalar_one()
    return mapping


def _restore_table(table: Table, rows: list[dict], user_ids: dict[int, int]) -> list[tuple]:
    """Insert one table's rows with their ids, user links through `user_ids`; returns the cycle links left to set."""
    user_columns = set(_user_columns(table))
    key = _key(table)
    deferred = {fk.parent.name for fk in table.foreign_keys if fk.use_alter} if key is not None else set()
    later = []
    for number, row in enumerate(rows, 1):
        values = {name: user_ids[value] if name in user_columns and value is not None else value
                  for name, value in row.items()}
        cycle = {name: values.pop(name) for name in deferred if values.get(name) is not None}
        _execute(f"{table.name} row {number}", insert(table).values(values))
        if cycle:
            later.append((table, f"{table.name} row {number}", row[key.name], cycle))
    return later


def _reset_sequences() -> None:
    """PostgreSQL hands out ids from sequences, which rows inserted with their own ids do not advance."""
    if db.session.get_bind().dialect.name != "postgresql":
        return
    for table in _tables():
        key = _key(table)
        if key is None or not isinstance(key.type, Integer) or table.name == USERS_TABLE:
            continue
        highest = db.session.scalar(select(func.max(key)))
        if highest is not None:
            db.session.execute(text("SELECT setval(pg_get_serial_sequence(:table, :column), :value)"),
                               {"table": table.name, "column": key.name, "value": highest})
