"""Messages on the task queue: a sent message is queued in batches by a worker; scheduled ones when due."""
from __future__ import annotations

from ..core.tasks import crontab, periodic, task
from ..events.models import Conference
from ..extensions import db
from .services import queue_due_messages, queue_message


@task
def queue_message_task(conference_id: int, message_id: int) -> None:
    """Put a message's mail in the outbox, one batch per transaction (woken when the organizer sends it)."""
    conference = db.session.get(Conference, conference_id)
    if conference is not None:  # deleted since
        queue_message(conference, message_id)


periodic(crontab(), queue_due_messages, quick=True)  # scheduled messages, and any a dead worker left half-queued
