"""The registration area's periodic work on the task queue: personal data past its retention is erased daily."""
from __future__ import annotations

from ..core.tasks import crontab, periodic
from .retention import purge_expired_personal_data


def purge_personal_data() -> None:
    """Erase what has expired (the report is recorded in the database; `purge-personal-data` prints one)."""
    purge_expired_personal_data()


periodic(crontab(hour="3", minute="0"), purge_personal_data)  # 03:00 UTC, 06:00 in Doha: before anyone works
