"""Fit text into a box: shrink to a minimum size, then wrap, then truncate with an ellipsis.

Lines are measured by their real ink (glyph outlines), so a fitted text never
leaves its box, whatever the script.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from badges.layouts import Box
from badges.metrics import Extent, measure
from badges.text import BOLD, ELLIPSIS, REGULAR, FontStack, base_direction, clean_text, font_runs, visual_text

LINE_PITCH = 1.2  # baseline to baseline, in em, unless the ink needs more
LINE_GAP = 0.08  # minimum ink gap between lines, in em

Runs = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Style:
    """How a text may be sized and placed."""

    fonts: FontStack
    size: float
    min_size: float
    lines: int = 1
    align: str = "center"

    @classmethod
    def of(cls, size: float, min_size: float, bold: bool, lines: int, align: str) -> Style:
        """Build a style from plain slot settings."""
        return cls(BOLD if bold else REGULAR, size, min_size, lines, align)


@dataclass(frozen=True)
class Line:
    """One placed line: pen start (x, baseline y) in points and its runs in drawing order."""

    x: float
    y: float
    runs: Runs


@dataclass(frozen=True)
class Fitted:
    """The result of fitting: font size, placed lines, and whether text was cut."""

    size: float
    lines: tuple[Line, ...]
    truncated: bool = False


@dataclass(frozen=True)
class _Measured:
    """A logical line with its visual runs and ink extent."""

    text: str
    runs: Runs
    extent: Extent


def _measure(text: str, fonts: FontStack, base: str) -> _Measured:
    """Shape, order and measure one logical line."""
    runs = tuple(font_runs(visual_text(text, base), fonts))
    return _Measured(text, runs, measure(runs))


def _pitches(lines: list[_Measured]) -> list[float]:
    """Return the baseline distance (em) between consecutive lines."""
    return [
        max(LINE_PITCH, -upper.extent.bottom + lower.extent.top + LINE_GAP)
        for upper, lower in zip(lines, lines[1:], strict=False)
    ]


def _block_height(lines: list[_Measured]) -> float:
    """Return the ink height of stacked lines at 1 pt."""
    return lines[0].extent.top + sum(_pitches(lines)) - lines[-1].extent.bottom


def _largest_size(lines: list[_Measured], box: Box, limit: float) -> float:
    """Return the largest size <= limit at which the lines fit the box."""
    width = max(line.extent.width for line in lines)
    height = _block_height(lines)
    size = limit
    if width > 0:
        size = min(size, box.w / width)
    if height > 0:
        size = min(size, box.h / height)
    return size


def _place(lines: list[_Measured], size: float, box: Box, align: str, truncated: bool) -> Fitted:
    """Position lines so their ink block is vertically centred and aligned in the box."""
    pitches = _pitches(lines)
    y = box.y + (box.h + _block_height(lines) * size) / 2 - lines[0].extent.top * size
    placed = []
    for i, line in enumerate(lines):
        ext = line.extent
        if align == "left":
            x = box.x - ext.left * size
        elif align == "right":
            x = box.right - ext.right * size
        else:
            x = box.x + box.w / 2 - (ext.left + ext.right) / 2 * size
        placed.append(Line(x, y, line.runs))
        if i < len(pitches):
            y -= pitches[i] * size
    return Fitted(size, tuple(placed), truncated)


def _best_split(words: list[str], fonts: FontStack, base: str, box: Box, style: Style) -> tuple[list[_Measured], float]:
    """Split words into two lines at the boundary that allows the largest size."""
    best: tuple[list[_Measured], float] = ([], 0.0)
    for i in range(1, len(words)):
        pair = [_measure(" ".join(words[:i]), fonts, base), _measure(" ".join(words[i:]), fonts, base)]
        size = _largest_size(pair, box, style.size)
        if size > best[1]:
            best = (pair, size)
    return best


def _cut_point(text: str, cut: int) -> int:
    """Move a cut left so it never separates a combining mark from its base."""
    while 0 < cut < len(text) and unicodedata.combining(text[cut]):
        cut -= 1
    return cut


def _longest_prefix(text: str, fits: Callable[[str], bool], suffix: str = "") -> int:
    """Binary-search the longest prefix length whose (prefix + suffix) fits; at least 1."""
    lo, hi = 1, len(text)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if fits(text[:mid].rstrip() + suffix):
            lo = mid
        else:
            hi = mid - 1
    return max(1, _cut_point(text, lo))


def _wrap(text: str, fits: Callable[[str], bool]) -> list[str]:
    """Greedily wrap text at spaces, breaking words that are too long on their own."""
    lines: list[str] = []
    current = ""
    words = text.split(" ")
    while words:
        word = words[0]
        candidate = f"{current} {word}" if current else word
        if fits(candidate):
            current = candidate
            words.pop(0)
        elif current:
            lines.append(current)
            current = ""
        else:
            cut = _longest_prefix(word, fits)
            lines.append(word[:cut])
            words[0] = word[cut:]
    if current:
        lines.append(current)
    return lines


def _wrap_and_truncate(text: str, fonts: FontStack, base: str, box: Box, style: Style) -> tuple[list[str], bool]:
    """Wrap at the minimum size; cut the last allowed line with an ellipsis if text remains."""

    def fits(candidate: str) -> bool:
        return _measure(candidate, fonts, base).extent.width * style.min_size <= box.w

    lines = _wrap(text, fits)
    if len(lines) <= style.lines:
        return lines, False
    rest = " ".join(lines[style.lines - 1:])
    cut = _longest_prefix(rest, fits, ELLIPSIS)
    last = rest[:cut].rstrip() + ELLIPSIS
    if not fits(last):
        last = ELLIPSIS
    return lines[:style.lines - 1] + [last], True


@lru_cache(maxsize=512)
def fit_text(text: str, box: Box, style: Style) -> Fitted:
    """Fit text (logical order, any script) into box (points) following style."""
    logical = clean_text(text)
    if not logical:
        return Fitted(style.size, ())
    base = base_direction(logical)
    one = [_measure(logical, style.fonts, base)]
    size = _largest_size(one, box, style.size)
    if size >= style.min_size:
        return _place(one, size, box, style.align, False)
    words = logical.split(" ")
    if style.lines >= 2 and len(words) >= 2:
        pair, size = _best_split(words, style.fonts, base, box, style)
        if size >= style.min_size:
            return _place(pair, size, box, style.align, False)
    texts, truncated = _wrap_and_truncate(logical, style.fonts, base, box, style)
    lines = [_measure(t, style.fonts, base) for t in texts]
    # Height only binds when the box is too short for min-size lines: shrinking beats crossing.
    size = _largest_size(lines, box, style.min_size)
    return _place(lines, size, box, style.align, truncated)
