"""The outbox on the task queue: a request queues mail and wakes a worker; the worker delivers."""
from __future__ import annotations

from ..core.tasks import crontab, periodic, task
from .services import deliver_all


@task
def deliver_outbox() -> None:
    """Deliver every queued message (woken after a commit that queued mail, and every minute)."""
    deliver_all()


@task
def retry_failed() -> None:
    """Deliver queued mail and try failed mail again."""
    deliver_all(include_failed=True)


periodic(crontab(), deliver_outbox, quick=True)  # catches up on any wake-up lost with the queue
periodic(crontab(minute="*/5"), retry_failed)
