"""Badge layouts: page geometry, where badges sit on a page, and the boxes inside a badge.

All lengths are millimetres, measured from the lower-left corner (PDF convention).
Adding a layout means adding one Layout instance to LAYOUTS.
"""
from __future__ import annotations

from dataclasses import dataclass

from badges.model import UnknownLayout

MM = 72.0 / 25.4  # points per millimetre


@dataclass(frozen=True)
class Box:
    """An axis-aligned rectangle."""

    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        """Right edge."""
        return self.x + self.w

    @property
    def top(self) -> float:
        """Top edge."""
        return self.y + self.h

    def scaled(self, factor: float) -> Box:
        """Return the box with every length multiplied by factor (e.g. MM for points)."""
        return Box(self.x * factor, self.y * factor, self.w * factor, self.h * factor)


@dataclass(frozen=True)
class TextSlot:
    """A text element: its box and how it may shrink, wrap and align."""

    box: Box
    size: float  # nominal size, pt
    min_size: float  # below this the text wraps, then truncates
    bold: bool = False
    lines: int = 1
    align: str = "center"  # "left", "center" or "right"
    color: str = "#111111"


@dataclass(frozen=True)
class Design:
    """The inside of one badge: its size and the box of every element."""

    width: float
    height: float
    conference_en: TextSlot
    conference_ar: TextSlot
    dates: TextSlot
    name: TextSlot
    name_other: TextSlot
    organization: TextSlot
    country: TextSlot
    code: TextSlot
    category_en: TextSlot
    category_ar: TextSlot
    band: Box
    qr: Box  # square including the 4-module quiet zone
    reissue: Box
    logo: Box | None = None  # None: this design has no room for a logo

    def text_slots(self) -> dict[str, TextSlot]:
        """Return every text slot by field name."""
        return {k: v for k, v in vars(self).items() if isinstance(v, TextSlot)}


@dataclass(frozen=True)
class Layout:
    """A page format: page size, badge design, badge positions (filled in order), crop marks."""

    name: str
    page_width: float
    page_height: float
    design: Design
    slots: tuple[tuple[float, float], ...]  # lower-left corner of each badge on the page
    crop_marks: bool = False


_DARK = "#1f2a44"
_GREY = "#3a3f4b"

PORTRAIT_A6 = Design(
    width=105.0,
    height=148.0,
    conference_en=TextSlot(Box(5, 133.5, 95, 9.5), 11, 7, bold=True, lines=2, color=_DARK),
    conference_ar=TextSlot(Box(5, 124.5, 95, 8.5), 13, 8, bold=True, color=_DARK),
    dates=TextSlot(Box(5, 119, 95, 5), 9, 7, color=_GREY),
    name=TextSlot(Box(5, 93, 95, 25), 28, 15, bold=True, lines=2),
    name_other=TextSlot(Box(5, 84.5, 95, 8), 15, 9),
    organization=TextSlot(Box(5, 72, 95, 12), 12, 8, lines=2, color=_GREY),
    country=TextSlot(Box(5, 65.5, 95, 6), 11, 8, color=_GREY),
    code=TextSlot(Box(25, 22.5, 55, 5), 10, 7, bold=True),
    category_en=TextSlot(Box(8, 5, 44, 16), 15, 8, bold=True, lines=2, align="left"),
    category_ar=TextSlot(Box(54, 5, 43, 16), 17, 9, bold=True, lines=2, align="right"),
    band=Box(5, 5, 95, 16),
    qr=Box(34.35, 28.5, 36.3, 36.3),  # 1.1 mm modules: 27.5 mm symbol
    reissue=Box(78, 22.5, 5, 5),
    logo=Box(5, 124.5, 17, 18.5),
)

LANDSCAPE_CR80 = Design(
    width=85.6,
    height=54.0,
    conference_en=TextSlot(Box(3, 46.5, 47, 5), 7, 4.5, bold=True, lines=2, color=_DARK),
    conference_ar=TextSlot(Box(3, 42, 47, 4.5), 8, 5.5, bold=True, color=_DARK),
    dates=TextSlot(Box(3, 39, 47, 3.5), 6.5, 5, color=_GREY),
    name=TextSlot(Box(3, 26.5, 47, 12), 16, 8, bold=True, lines=2),
    name_other=TextSlot(Box(3, 22, 47, 4.5), 9, 6),
    organization=TextSlot(Box(3, 16.5, 47, 5.5), 7.5, 5.5, lines=2, color=_GREY),
    country=TextSlot(Box(3, 12.5, 47, 4), 7, 5.5, color=_GREY),
    code=TextSlot(Box(54, 13.5, 27, 4.5), 8, 6, bold=True),
    category_en=TextSlot(Box(5, 3, 38, 9), 10, 6, bold=True, lines=2, align="left"),
    category_ar=TextSlot(Box(45, 3, 35.6, 9), 11, 6, bold=True, lines=2, align="right"),
    band=Box(3, 3, 79.6, 9),
    qr=Box(51.6, 19.5, 33, 33),  # 1.0 mm modules: 25 mm symbol
    reissue=Box(80, 13.75, 4, 4),
)

LAYOUTS: dict[str, Layout] = {
    layout.name: layout
    for layout in (
        Layout("a6", 105.0, 148.0, PORTRAIT_A6, ((0.0, 0.0),)),
        Layout(
            "a4-4up", 210.0, 297.0, PORTRAIT_A6,
            ((0.0, 148.5), (105.0, 148.5), (0.0, 0.5), (105.0, 0.5)),
            crop_marks=True,
        ),
        Layout("cr80", 85.6, 54.0, LANDSCAPE_CR80, ((0.0, 0.0),)),
    )
}


def get_layout(name: str) -> Layout:
    """Return the named layout or raise UnknownLayout listing the valid names."""
    try:
        return LAYOUTS[name]
    except (KeyError, TypeError):
        valid = ", ".join(sorted(LAYOUTS))
        raise UnknownLayout(f"unknown badge layout {name!r}; valid layouts: {valid}") from None
