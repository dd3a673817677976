"""Database connections: a pooled connection is checked before use only when it has been idle a while.

SQLAlchemy's pool_pre_ping sends a `SELECT 1` before every use of a pooled connection, one round trip more for
every request: on PostgreSQL that was a quarter of the door's round trips per scan. A connection used a moment
ago is as alive as one just pinged, so the ping is kept for connections idle longer than DB_PING_AFTER_IDLE
seconds (the ones a database restart or an idle timeout may have closed). A connection that died within that
window fails the request using it; SQLAlchemy then discards every connection of the pool, and the next requests
connect anew.
"""
from __future__ import annotations

import functools
import math
import time

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError

_IDLE_SINCE = "idle_since"
# Time that goes on while the machine sleeps (a venue laptop closed overnight): the monotonic clock stops then,
# and a connection idle all night would look fresh.
_clock = functools.partial(time.clock_gettime, time.CLOCK_BOOTTIME) if hasattr(time, "CLOCK_BOOTTIME") \
    else time.monotonic


def ping_idle_connections(engine: Engine, after: float) -> None:
    """Ping a connection on checkout when it was last returned to the pool more than `after` seconds ago."""

    @event.listens_for(engine, "connect")
    def _connected(_dbapi_connection, record) -> None:
        record.info[_IDLE_SINCE] = math.inf  # a new connection needs no ping

    @event.listens_for(engine, "checkin")
    def _returned(_dbapi_connection, record) -> None:
        record.info[_IDLE_SINCE] = _clock()

    @event.listens_for(engine, "checkout")
    def _checked_out(dbapi_connection, record, _proxy) -> None:
        if _clock() - record.info.get(_IDLE_SINCE, 0.0) <= after:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as error:  # whatever the driver raises for a dead connection
            # The pool discards this connection and checks out another (a new one if need be).
            raise DisconnectionError("the pooled connection did not answer") from error
