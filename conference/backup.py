"""Backups of one conference as JSON: every row that belongs to it, in every area, and the accounts they name.

What belongs to a conference is read from the schema, not listed by hand: a row of a table with a
conference_id of that conference, or a row whose foreign key points at a row that belongs (an audit entry of a
delegate, a review of a proposal, a star on a session), and the user accounts that any of those rows names.
A new area's tables are therefore backed up without touching this file.

Import restores the rows with their own ids (links such as /agenda/<id>, published agenda snapshots, calendar
UIDs and feed tokens keep working) into a database where the conference does not exist yet; accounts are
matched by e-mail address, so a person who already has an account on the target keeps it.
"""
from __future__ import annotations

import base64
import enum
import json
from datetime import date, datetime, time
from typing import Any, BinaryIO, TextIO

from sqlalchemy import Integer, Table, func, insert, or_, select, text, update
from sqlalchemy.types import Date, DateTime, LargeBinary, Time

from .extensions import db
from .types import UTCDateTime

FORMAT = "conference-backup"
VERSION = 1
ROOT_TABLE = "conferences"
USERS_TABLE = "users"


class BackupError(ValueError):
    """A backup that cannot be written or restored, with the reason."""


def _tables() -> list[Table]:
    """Every table in dependency order (parents first)."""
    return list(db.metadata.sorted_tables)


def _encode(value: Any) -> Any:
    """A column value as JSON (bytes as base64, times as ISO 8601, enums by value)."""
    if isinstance(value, bytes):
        return {"base64": base64.b64encode(value).decode("ascii")}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    return value


def _decode(column, value: Any) -> Any:
    """A JSON value back into what the column takes."""
    if value is None:
        return None
    kind = column.type
    if isinstance(kind, LargeBinary):
        return base64.b64decode(value["base64"])
    if isinstance(kind, UTCDateTime):
        return datetime.fromisoformat(value)
    if isinstance(kind, DateTime):
        return datetime.fromisoformat(value)
    if isinstance(kind, Date):
        return date.fromisoformat(value)
    if isinstance(kind, Time):
        return time.fromisoformat(value)
    enum_class = getattr(kind, "enum_class", None)
    if enum_class is not None:
        return enum_class(value)
    return value


def _belonging_rows(conference_id: int) -> dict[str, list[dict]]:
    """Rows of every table that belong to the conference, as column -> raw value mappings, ordered by key."""
    conditions: dict[str, Any] = {}
    kept: dict[str, list[dict]] = {}
    for table in _tables():
        if table.name == USERS_TABLE:
            continue
        condition = _belongs(table, conference_id, conditions)
        if condition is None:
            continue
        conditions[table.name] = condition
        rows = [dict(row._mapping) for row in db.session.execute(
            select(table).where(condition).order_by(*table.primary_key.columns))]
        if rows:
            kept[table.name] = rows
    return kept


def _belongs(table: Table, conference_id: int, conditions: dict[str, Any]):
    """The WHERE clause selecting the table's rows of the conference, or None when none can belong.

    A row belongs through its own conference_id, or through a foreign key to a row that belongs
    (the parent's clause as a subquery, so no list of ids is ever sent).
    """
    if table.name == ROOT_TABLE:
        return table.c.id == conference_id
    if "conference_id" in table.c:
        return table.c.conference_id == conference_id
    links = [fk for fk in table.foreign_keys if fk.column.table.name in conditions]
    if not links:
        return None
    return or_(*(fk.parent.in_(select(fk.column).where(conditions[fk.column.table.name])) for fk in links))


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


def _read(source: BinaryIO | TextIO) -> dict:
    try:
        document = json.load(source)
    except (ValueError, RecursionError) as error:
        raise BackupError(f"not a backup file: {error}") from error
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise BackupError("not a conference backup file")
    if document.get("version") != VERSION:
        raise BackupError(f"backup version {document.get('version')} cannot be read (this system reads {VERSION})")
    return document


def import_conference(source: BinaryIO | TextIO) -> dict[str, int]:
    """Restore a conference from a backup, in one transaction; returns rows per table."""
    document = _read(source)
    tables = document["tables"]
    conferences = db.metadata.tables[ROOT_TABLE]
    if db.session.scalar(select(conferences.c.id).where(conferences.c.slug == document["slug"])) is not None:
        raise BackupError(f"a conference with the slug {document['slug']!r} exists already")
    unknown = sorted(set(tables) - set(db.metadata.tables))
    if unknown:
        raise BackupError(f"the backup has tables this system does not know: {', '.join(unknown)}")
    user_ids = _restore_users(tables.get(USERS_TABLE, []))
    counts = {}
    postponed = []
    try:
        for table in _tables():
            if table.name == USERS_TABLE or table.name not in tables:
                continue
            counts[table.name] = _restore_table(table, tables[table.name], user_ids, postponed)
        for table, key, column, values in postponed:  # links that close a cycle, once both ends exist
            for row_key, value in values:
                db.session.execute(update(table).where(table.c[key] == row_key).values({column: value}))
        _reset_sequences()
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    counts[USERS_TABLE] = len(tables.get(USERS_TABLE, []))
    return counts


def _restore_users(rows: list[dict]) -> dict[int, int]:
    """Reuse accounts with the same e-mail; create the others. Returns backup user id -> id here."""
    users = db.metadata.tables[USERS_TABLE]
    mapping = {}
    for row in rows:
        existing = db.session.scalar(select(users.c.id).where(users.c.email == row["email"]))
        if existing is not None:
            mapping[row["id"]] = existing
            continue
        values = {column.name: _decode(column, row[column.name]) for column in users.columns
                  if column.name in row and column.name != "id"}  # a new account gets an id of this database
        mapping[row["id"]] = db.session.execute(insert(users).values(values).returning(users.c.id)).scalar_one()
    return mapping


def _restore_table(table: Table, rows: list[dict], user_ids: dict[int, int], postponed: list) -> int:
    """Insert one table's rows with their ids; user links go through `user_ids`; cycle links wait."""
    user_columns = set(_user_columns(table))
    key = next(iter(table.primary_key.columns)).name if len(table.primary_key.columns) == 1 else None
    deferred = {fk.parent.name for fk in table.foreign_keys if fk.use_alter} if key else set()
    later: dict[str, list] = {column: [] for column in deferred}
    for row in rows:
        values = {}
        for column in table.columns:
            if column.name not in row:
                continue
            value = _decode(column, row[column.name])
            if column.name in user_columns and value is not None:
                value = user_ids[value]
            if column.name in deferred and value is not None:
                later[column.name].append((row[key], value))
                value = None
            values[column.name] = value
        db.session.execute(insert(table).values(values))
    postponed.extend((table, key, column, values) for column, values in later.items() if values)
    return len(rows)


def _reset_sequences() -> None:
    """PostgreSQL hands out ids from sequences, which rows inserted with their own ids do not advance."""
    if db.session.get_bind().dialect.name != "postgresql":
        return
    for table in _tables():
        columns = list(table.primary_key.columns)
        if len(columns) != 1 or not isinstance(columns[0].type, Integer) or table.name == USERS_TABLE:
            continue
        highest = db.session.scalar(select(func.max(columns[0])))
        if highest is not None:
            db.session.execute(text("SELECT setval(pg_get_serial_sequence(:table, :column), :value)"),
                               {"table": table.name, "column": columns[0].name, "value": highest})
