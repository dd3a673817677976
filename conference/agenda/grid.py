"""A day laid out as a grid of rooms × 5-minute rows, for the editor and the public agenda (CSS classes only)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from ..events.models import Conference

STEP = timedelta(minutes=5)
DAY_START, DAY_END = time(8), time(18)  # the grid shows at least these hours
MAX_ROWS = 288  # a whole day in 5-minute rows; agenda.css has a class for each


@dataclass
class Cell:
    """One session on the grid: its column (room), first row and row span; lane 1 when it overlaps another."""

    item: object
    column: int
    row: int
    span: int
    lane: int = 0


@dataclass
class DayGrid:
    """The rows, hour labels and cells of one day."""

    day: date
    rooms: list
    start: datetime
    rows: int
    cells: list[Cell] = field(default_factory=list)
    labels: list[tuple[int, datetime]] = field(default_factory=list)  # (row, time) every half hour
    slots: list[tuple[int, int, object, datetime]] = field(default_factory=list)  # (column, row, room, time)


def _floor_hour(moment: datetime) -> datetime:
    return moment.replace(minute=0, second=0, microsecond=0)


def day_grid(conference: Conference, day: date, rooms: list, items: list, when, room_of) -> DayGrid:
    """Lay out `items` of `day`: when(item) gives (start, end) aware instants, room_of(item) the room id."""
    tz = conference.tz
    midnight = datetime.combine(day, time(0), tzinfo=tz)
    first = datetime.combine(day, DAY_START, tzinfo=tz)
    last = datetime.combine(day, DAY_END, tzinfo=tz)
    todays = [item for item in items if when(item)[0].astimezone(tz).date() == day]
    for item in todays:
        start, end = when(item)
        first = min(first, _floor_hour(start.astimezone(tz)))
        last = max(last, end.astimezone(tz))
    first = max(first, midnight)
    rows = min(int((last - first) / STEP), MAX_ROWS)
    grid = DayGrid(day=day, rooms=rooms, start=first, rows=rows)
    columns = {room.id: index for index, room in enumerate(rooms)}
    ends: dict[int, list[datetime]] = {}
    for item in sorted(todays, key=lambda i: when(i)[0]):
        start, end = when(item)
        column = columns.get(room_of(item))
        if column is None:
            continue
        row = int((start - first) / STEP)
        span = max(1, min(int((end - start) / STEP), rows - row))
        lane = 1 if any(start < other for other in ends.get(column, [])) else 0
        ends.setdefault(column, []).append(end)
        grid.cells.append(Cell(item, column + 2, row + 2, span, lane))
    for row in range(0, rows, 6):
        moment = first + row * STEP
        grid.labels.append((row + 2, moment))
        for index, room in enumerate(rooms):
            grid.slots.append((index + 2, row + 2, room, moment))
    return grid
