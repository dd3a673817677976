"""Messages on the task queue: a sent message is queued in batches by a worker; scheduled ones when due."""
from __future__ import annotations

from ..core.tasks import crontab, periodic, task
from .services import queue_due_messages, queue_message


@task
def queue_message_task(message_id: int) -> None:
    """Put a message's mail in the outbox, one batch per transaction (woken when the organizer sends it)."""
    queue_message(message_id)


periodic(crontab(), queue_due_messages, quick=True)  # scheduled messages, and any a dead worker left half-queued
