"""Background work on a task queue (Huey): SQLite in the instance folder by default, Redis when configured.

The database stays the record of what must be done (the outbox, messages waiting to be queued): a task carries
only ids and says "look now", so a task lost with its queue costs a delay, never a mail. The periodic tasks pick
up whatever a lost or never-enqueued task left behind.

Add periodic work in one line, in the area's `tasks.py` (imported by its init_app):

    periodic(crontab(hour="3", minute="0"), purge_something)

A task runs inside the application's context; what it changed is committed when it returns (rolled back when it
raises), and its database session is removed afterwards.
"""
from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from pathlib import Path

from flask import Flask, current_app
from huey import Huey, MemoryHuey, RedisHuey, SqliteHuey, crontab
from sqlalchemy import event
from sqlalchemy.orm import Session

from ..extensions import db

__all__ = ["crontab", "enqueue", "init_app", "periodic", "queue", "run_pending", "run_worker", "task",
           "wake_after_commit"]

log = logging.getLogger(__name__)


class _Queue:
    """The one Huey of this process, built from the application's settings by init_app."""

    huey: Huey = MemoryHuey("conference")  # until an application is made (a module imported alone)
    app: Flask | None = None


def queue() -> Huey:
    """This process's Huey."""
    return _Queue.huey


QUICK_PERIODIC: list[Callable[[], object]] = []  # periodic work that `send-mail` (once) also does


def make_huey(url: str, instance: Path) -> Huey:
    """Huey on `url`: "" is a SQLite file in the instance folder, redis:// a Redis server, memory:// this process."""
    if url.startswith(("redis://", "rediss://", "unix://")):
        return RedisHuey("conference", url=url)
    if url == "memory://":
        return MemoryHuey("conference")
    path = url.removeprefix("sqlite:///") if url else str(instance / "tasks.db")
    return SqliteHuey("conference", filename=path)


_TASKS: list[tuple[Callable, dict]] = []  # (function, huey settings): registered again on each application's Huey


def init_app(app: Flask) -> None:
    """Build this process's queue for `app` and register every task on it."""
    built = make_huey(app.config.get("TASK_QUEUE_URL", ""), Path(app.instance_path))
    _Queue.huey, _Queue.app = built, app
    for function, settings in _TASKS:
        _register(built, function, settings)
    if not event.contains(Session, "after_commit", _enqueue_woken):
        event.listen(Session, "after_commit", _enqueue_woken)
        event.listen(Session, "after_rollback", _forget_woken)


def _in_app_context(function: Callable) -> Callable:
    """`function` run in the application's context, its work committed (a service leaves committing to its caller)."""
    @functools.wraps(function)
    def run(*args, **kwargs):
        if _Queue.app is None:
            raise RuntimeError("no application: create_app() before running tasks")
        with _Queue.app.app_context():
            try:
                result = function(*args, **kwargs)
                db.session.commit()
            except Exception:
                db.session.rollback()
                raise
            return result
    return run


def _register(huey: Huey, function: Callable, settings: dict) -> None:
    run = _in_app_context(function)
    if "validate_datetime" in settings:  # its own name: the same function may also be a task
        huey.periodic_task(settings["validate_datetime"], name=f"{function.__qualname__}.periodic")(run)
    else:
        function.__dict__["_huey_wrapper"] = huey.task(name=function.__qualname__)(run)


def task(function: Callable) -> Callable:
    """Make `function` a background task: `enqueue(function, *args)` puts it on the queue."""
    _TASKS.append((function, {}))
    if _Queue.app is not None:
        _register(_Queue.huey, function, {})
    return function


def periodic(when: Callable, function: Callable, quick: bool = False) -> Callable:
    """Run `function()` on the queue's schedule `when` (a crontab); quick: `send-mail` also runs it once."""
    settings = {"validate_datetime": when}
    _TASKS.append((function, settings))
    if quick:
        QUICK_PERIODIC.append(function)
    if _Queue.app is not None:
        _register(_Queue.huey, function, settings)
    return function


def enqueue(function: Callable, *args) -> None:
    """Put a call of a task on the queue; a queue that cannot be reached is logged (periodic work catches up)."""
    try:
        function._huey_wrapper(*args)
    except Exception:  # the database holds the work; a failed enqueue only delays it until the next periodic run
        log.exception("could not enqueue %s", function.__name__)


def run_pending(quick_periodic: bool = True) -> int:
    """Run every task waiting on the queue, then (optionally) the quick periodic work once; returns tasks run."""
    huey = _Queue.huey
    done = 0
    while (item := huey.dequeue()) is not None:
        try:
            huey.execute(item)
        except Exception:  # one failing task does not stop the others; Huey has logged it
            current_app.logger.exception("task %s failed", item)
        done += 1
    if quick_periodic:
        for function in QUICK_PERIODIC:
            _in_app_context(function)()
            done += 1
        # tasks the periodic work put on the queue (a message to queue in batches)
        while (item := huey.dequeue()) is not None:
            huey.execute(item)
            done += 1
    return done


def run_worker(workers: int = 2) -> None:
    """Consume the queue until stopped: tasks as they come, periodic work on its schedule (`send-mail --watch`)."""
    logger = logging.getLogger("huey")
    if not logger.handlers:  # the worker says what it runs, as the web server logs its requests
        logger.addHandler(logging.StreamHandler())
        logger.setLevel(logging.INFO)
    consumer = _Queue.huey.create_consumer(workers=workers, worker_type="thread", periodic=True,
                                           check_worker_health=True)
    consumer.run()


def wake_after_commit(session, function: Callable, *args) -> None:
    """Enqueue a task once `session` commits (never for work that was rolled back)."""
    pending = session.info.setdefault("tasks_after_commit", [])
    if (function, args) not in pending:
        pending.append((function, args))


def _enqueue_woken(session) -> None:
    for function, args in session.info.pop("tasks_after_commit", []):
        enqueue(function, *args)


def _forget_woken(session) -> None:
    session.info.pop("tasks_after_commit", None)
