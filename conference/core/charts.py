"""Small server-side SVG charts (no external services, no scripts), drawn for LTR or RTL pages."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Bar:
    """One bar of a horizontal bar chart, with its label and value positions."""

    label: str
    value: int
    value_text: str
    y: float
    x: float
    width: float
    label_x: float
    value_x: float


@dataclass(frozen=True)
class BarChart:
    """Geometry of a horizontal bar chart."""

    width: int
    height: int
    bar_height: int
    label_anchor: str
    value_anchor: str
    bars: list[Bar]


def bar_chart(rows: list[tuple[str, int]], rtl: bool, fmt=str, width: int = 640, label_width: int = 180,
              bar_height: int = 18, gap: int = 6) -> BarChart:
    """Bars from the label side to the value side; mirrored for right-to-left pages."""
    biggest = max((value for _, value in rows), default=0) or 1
    room = width - label_width - 60
    bars = []
    for index, (label, value) in enumerate(rows):
        length = room * value / biggest
        y = index * (bar_height + gap)
        if rtl:
            x = width - label_width - length
            bars.append(Bar(label, value, fmt(value), y, x, length, width - label_width + 8, x - 6))
        else:
            bars.append(
                Bar(label, value, fmt(value), y, label_width, length, label_width - 8, label_width + length + 6)
            )
    return BarChart(width, max(len(rows) * (bar_height + gap), bar_height), bar_height,
                    "start" if rtl else "end", "end" if rtl else "start", bars)


@dataclass(frozen=True)
class Column:
    """One column of a column chart (e.g. registrations on one day)."""

    label: str
    value: int
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class ColumnChart:
    """Geometry of a column chart over time."""

    width: int
    height: int
    baseline: float
    maximum: int
    columns: list[Column]
    rtl: bool


def column_chart(rows: list[tuple[str, int]], rtl: bool, width: int = 640, height: int = 160) -> ColumnChart:
    """Columns in time order, left to right (right to left on RTL pages)."""
    biggest = max((value for _, value in rows), default=0) or 1
    baseline = height - 20
    step = width / max(len(rows), 1)
    columns = []
    for index, (label, value) in enumerate(rows):
        column_height = (baseline - 10) * value / biggest
        position = len(rows) - 1 - index if rtl else index
        columns.append(Column(label, value, position * step + step * 0.1, baseline - column_height,
                              max(step * 0.8, 1), column_height))
    return ColumnChart(width, height, baseline, biggest, columns, rtl)
