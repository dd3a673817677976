"""Pooled connections are pinged only after they sat idle, and a dead one is replaced (core.database)."""
from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from conference.core.database import ping_idle_connections

ALWAYS, NEVER = 0.0, 3600.0  # seconds idle before a ping: every checkout, or none within a test


@pytest.fixture
def make_engine(database_url):
    """An engine on the test database with one pooled connection, pinged after `after` seconds idle."""
    engines = []

    def make(after: float):
        engine = create_engine(database_url, pool_size=1, max_overflow=0)
        ping_idle_connections(engine, after)
        engines.append(engine)
        return engine

    yield make
    for engine in engines:
        engine.dispose()


def count_pings(engine, monkeypatch) -> list:
    """A list that gets one entry per ping the engine sends."""
    pings, ping = [], engine.dialect.do_ping

    def counted(dbapi_connection):
        pings.append(dbapi_connection)
        return ping(dbapi_connection)

    monkeypatch.setattr(engine.dialect, "do_ping", counted)
    return pings


def select_one(engine) -> int:
    with engine.connect() as connection:
        return connection.execute(text("SELECT 1")).scalar()


def test_a_connection_used_a_moment_ago_is_not_pinged(make_engine, monkeypatch):
    engine = make_engine(NEVER)
    pings = count_pings(engine, monkeypatch)
    assert [select_one(engine) for _ in range(3)] == [1, 1, 1]
    assert pings == []


def test_an_idle_connection_is_pinged_before_use(make_engine, monkeypatch):
    engine = make_engine(ALWAYS)
    pings = count_pings(engine, monkeypatch)
    select_one(engine)  # a new connection: nothing to ping
    assert pings == []
    select_one(engine)
    select_one(engine)
    assert len(pings) == 2


def test_a_connection_that_fails_its_ping_is_replaced(make_engine, monkeypatch):
    engine = make_engine(ALWAYS)
    select_one(engine)
    ping = engine.dialect.do_ping

    def dead_once(dbapi_connection):
        monkeypatch.setattr(engine.dialect, "do_ping", ping)
        raise RuntimeError("server closed the connection unexpectedly")

    monkeypatch.setattr(engine.dialect, "do_ping", dead_once)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT 2")).scalar() == 2


def _backend_pid(engine) -> int:
    with engine.connect() as connection:
        return connection.execute(text("SELECT pg_backend_pid()")).scalar()


@pytest.fixture
def closed_by_the_server(make_engine, database_url):
    """An engine (pinged after `after` s idle) whose pooled connection PostgreSQL has closed, and that backend's id."""

    def close(after: float):
        engine = make_engine(after)
        if engine.dialect.name != "postgresql":
            pytest.skip("closing a connection from the server's side needs PostgreSQL")
        pid = _backend_pid(engine)
        admin = create_engine(database_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        admin.dispose()
        return engine, pid

    return close


def test_postgresql_a_connection_the_server_closed_is_replaced_when_idle(closed_by_the_server):
    engine, pid = closed_by_the_server(ALWAYS)
    assert _backend_pid(engine) != pid  # the ping found it dead; the pool connected anew


def test_postgresql_within_the_idle_window_a_dead_connection_fails_once(closed_by_the_server):
    """The cost of skipping the ping: one request fails, and the pool then starts over."""
    engine, pid = closed_by_the_server(NEVER)
    with pytest.raises(DBAPIError) as failure:
        select_one(engine)
    assert failure.value.connection_invalidated
    assert _backend_pid(engine) != pid
