"""Glyph metrics of the registered fonts: advances and ink boxes, in points at size 1."""
from __future__ import annotations

import struct
from dataclasses import dataclass
from functools import lru_cache

from reportlab.pdfbase import pdfmetrics

from badges.text import RELATIVE_SIZE, register_fonts

InkBox = tuple[float, float, float, float]


@dataclass(frozen=True)
class Extent:
    """Advance and ink box of a line of text at 1 pt; x measured from the pen start."""

    advance: float
    left: float
    right: float
    top: float
    bottom: float

    @property
    def width(self) -> float:
        """Ink width at 1 pt."""
        return self.right - self.left

    @property
    def height(self) -> float:
        """Ink height at 1 pt."""
        return self.top - self.bottom


class FontMetrics:
    """Per-character advance and ink box of one TrueType font, read lazily from its tables."""

    def __init__(self, font_name: str) -> None:
        register_fonts()
        face = pdfmetrics.getFont(font_name).face
        self._widths = face.charWidths
        self._default_width = face.defaultWidth
        self._cmap = face.charToGlyph
        self._glyph_pos = face.glyphPos
        self._glyf = face.get_table("glyf")
        self._scale = 1.0 / face.unitsPerEm
        self._boxes: dict[str, InkBox | None] = {}

    def advance(self, ch: str) -> float:
        """Return the advance width of ch at 1 pt (the same figure reportlab's stringWidth uses)."""
        return self._widths.get(ord(ch), self._default_width) / 1000.0

    def ink(self, ch: str) -> InkBox | None:
        """Return (x_min, y_min, x_max, y_max) of ch's outline at 1 pt, or None if it has no ink."""
        try:
            return self._boxes[ch]
        except KeyError:
            box = self._boxes[ch] = self._read_box(self._cmap.get(ord(ch), 0))
            return box

    def _read_box(self, gid: int) -> InkBox | None:
        """Read a glyph's bounding box from its glyf header."""
        start, end = self._glyph_pos[gid], self._glyph_pos[gid + 1]
        if end - start < 10:
            return None
        x0, y0, x1, y1 = struct.unpack_from(">4h", self._glyf, start + 2)
        s = self._scale
        return (x0 * s, y0 * s, x1 * s, y1 * s)


@lru_cache(maxsize=None)
def font_metrics(font_name: str) -> FontMetrics:
    """Return the shared metrics object of a registered font."""
    return FontMetrics(font_name)


def measure(runs: tuple[tuple[str, str], ...]) -> Extent:
    """Measure runs laid out left to right from pen position 0 at 1 pt (RELATIVE_SIZE applied)."""
    pen = 0.0
    left = bottom = float("inf")
    right = top = float("-inf")
    for font_name, text in runs:
        metrics = font_metrics(font_name)
        k = RELATIVE_SIZE.get(font_name, 1.0)
        for ch in text:
            box = metrics.ink(ch)
            if box is not None:
                x0, y0, x1, y1 = box
                left = min(left, pen + k * x0)
                right = max(right, pen + k * x1)
                top = max(top, k * y1)
                bottom = min(bottom, k * y0)
            pen += k * metrics.advance(ch)
    if right == float("-inf"):
        return Extent(pen, 0.0, 0.0, 0.0, 0.0)
    return Extent(pen, left, right, top, bottom)
