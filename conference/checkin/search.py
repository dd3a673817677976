"""Finding a registration at the door by name (any script), e-mail or human code, for a badge that will not scan."""
from __future__ import annotations

import unicodedata
from datetime import datetime

from sqlalchemy import func, or_

from ..types import utcnow
from . import queries
from .codes import parse_code
from .services import ConferenceDays, delegate_json, execute, storable

SEARCH_LIMIT = 20


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search_delegates(conference: ConferenceDays, query: str, now: datetime | None = None) -> list[dict]:
    """Registrations whose name (any script), e-mail or human code matches, with today's admission if any."""
    query = unicodedata.normalize("NFC", storable(query or "", 100)).strip()
    if len(query) < 2:
        return []
    day = conference.local_date(now or utcnow())
    pattern = _like(query.lower())
    table = queries.delegates
    conditions = [func.lower(column).like(pattern, escape="\\")
                  for column in (table.c.name, table.c.name_latin, table.c.name_ar, table.c.email)]
    parsed = parse_code(query)
    if parsed and parsed[0] == "code":
        conditions.append(table.c.code == parsed[1])
    rows = execute(queries.DELEGATE_WITH_ADMISSION.where(table.c.conference_id == conference.id, or_(*conditions))
                .order_by(table.c.name, table.c.id).limit(SEARCH_LIMIT), day=day).all()
    return [dict(delegate_json(row), status=row.status.value, status_title=row.status.title,
                 checked_in_at=row.at.isoformat(timespec="seconds") if row.at else None, gate=row.gate)
            for row in rows]
