"""The task queue: Huey's consumer runs the tasks in the application's context; periodic work is registered."""
from __future__ import annotations

import time
from pathlib import Path
from types import SimpleNamespace

from huey import MemoryHuey, RedisHuey, SqliteHuey

from conference.core.tasks import make_huey, queue
from conference.extensions import db
from conference.mail.models import MailState, OutboxMessage
from conference.mail.services import queue_mail


def test_the_queue_is_sqlite_in_the_instance_folder_unless_redis_is_configured(tmp_path):
    assert isinstance(make_huey("", tmp_path), SqliteHuey)
    assert make_huey("", tmp_path).storage.filename == str(tmp_path / "tasks.db")
    assert isinstance(make_huey("redis://127.0.0.1:6379/1", tmp_path), RedisHuey)
    assert isinstance(make_huey("memory://", Path(".")), MemoryHuey)


def test_the_periodic_work_is_scheduled_in_the_queue(app):
    periodic = [name for name in queue()._registry._registry if name.endswith(".periodic")]
    for task in ("deliver_outbox", "retry_failed", "queue_due_messages", "purge_personal_data"):
        assert any(name.endswith(f".{task}.periodic") for name in periodic), (task, periodic)


def test_the_consumer_delivers_what_a_commit_queued(app, doha):
    message = queue_mail("layla@example.org", "welcome", "en", conference=doha,
                         user=SimpleNamespace(display_name="Layla"), login_url="https://conference.example.org/login")
    db.session.commit()
    consumer = queue().create_consumer(workers=2, worker_type="thread", periodic=False)
    consumer.start()
    try:
        for _ in range(200):  # the worker threads poll the queue; wait for them, not for a time
            db.session.expire_all()
            if db.session.get(OutboxMessage, message.id).state == MailState.SENT:
                break
            time.sleep(0.05)
    finally:
        consumer.stop(graceful=True)
    assert db.session.get(OutboxMessage, message.id).state == MailState.SENT


def test_with_redis_a_commit_wakes_a_worker_through_redis(database_url, app, doha):
    """TASK_QUEUE_URL pointing at Redis (several hosts' workers): the wake-up travels through Redis."""
    import os
    import uuid

    import pytest
    import redis

    from conference import create_app
    from conference.core import tasks
    from tests.conftest import IN_CI, app_config

    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    try:
        redis.Redis.from_url(url).ping()
    except redis.ConnectionError:
        if IN_CI:
            raise
        pytest.skip("no Redis at " + url)
    other = create_app(app_config(database_url, TASK_QUEUE_URL=url))
    try:
        huey = tasks.queue()
        assert isinstance(huey, RedisHuey)
        huey.name = f"conference-test-{uuid.uuid4().hex}"  # this test's own queue in the shared Redis
        huey.storage = type(huey.storage)(huey.name, url=url)
        with other.app_context():
            message = queue_mail("layla@example.org", "welcome", "en", conference=doha,
                                 user=SimpleNamespace(display_name="Layla"), login_url="https://example.org/login")
            db.session.commit()  # wakes a worker: a task in Redis
            assert huey.pending_count() == 1
            assert tasks.run_pending(quick_periodic=False) >= 1
            db.session.expire_all()
            assert db.session.get(OutboxMessage, message.id).state == MailState.SENT
            huey.storage.flush_all()
    finally:
        tasks.init_app(app)  # the test application's own queue again
