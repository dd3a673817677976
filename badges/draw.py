"""Draw one prepared badge as PDF content operators, in badge coordinates (points)."""
from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

from badges import qr
from badges.fit import Fitted, Style, fit_text
from badges.images import ImageStore
from badges.layouts import MM, Box, Design, TextSlot
from badges.pdf import PdfWriter, pdf_number
from badges.pdffonts import FontEncoder
from badges.prepare import PreparedBadge
from badges.text import RELATIVE_SIZE

_BEZIER_CIRCLE = 0.5523  # control-point distance of a quarter circle, in radii
_LOGO_GAP = 2.0 * MM
_TEXT_CACHE_LIMIT = 512
_TEXT_FIELDS = ("conference_en", "conference_ar", "dates", "name", "name_other", "organization", "country", "code")
_WARN_IF_TRUNCATED = ("name", "organization")


@lru_cache(maxsize=256)
def rgb(color: str) -> tuple[float, float, float]:
    """Convert #RRGGBB to PDF 0..1 components."""
    return int(color[1:3], 16) / 255, int(color[3:5], 16) / 255, int(color[5:7], 16) / 255


def text_operators(fonts: FontEncoder, fitted: Fitted, fill: str) -> str:
    """PDF operators showing fitted lines in the fill colour `fill` (an operator such as "0 0 0 rg"); "" if none."""
    if not fitted.lines:
        return ""
    ops = [f"{fill} BT"]
    for line in fitted.lines:
        ops.append(f"1 0 0 1 {pdf_number(line.x)} {pdf_number(line.y)} Tm")
        for font, text in line.runs:
            size = pdf_number(fitted.size * RELATIVE_SIZE.get(font, 1.0))
            for resource, codes in fonts.encode(font, text):
                ops.append(f"/{resource} {size} Tf <{codes.hex()}> Tj")
    ops.append("ET")
    return "\n".join(ops)


def _fill_op(color: str) -> str:
    """Return the operator setting the fill colour."""
    r, g, b = rgb(color)
    return f"{pdf_number(r)} {pdf_number(g)} {pdf_number(b)} rg"


def ink_on(color: str) -> str:
    """Return black or white, whichever reads better on the colour (WCAG relative luminance)."""
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb(color))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "#000000" if luminance > 0.179 else "#ffffff"


def _rect(box: Box) -> str:
    """Return a rectangle path operator."""
    return f"{pdf_number(box.x)} {pdf_number(box.y)} {pdf_number(box.w)} {pdf_number(box.h)} re"


def _circle(cx: float, cy: float, r: float) -> str:
    """Return a closed circle path made of four Bezier curves."""
    k = r * _BEZIER_CIRCLE
    n = pdf_number
    return (
        f"{n(cx + r)} {n(cy)} m "
        f"{n(cx + r)} {n(cy + k)} {n(cx + k)} {n(cy + r)} {n(cx)} {n(cy + r)} c "
        f"{n(cx - k)} {n(cy + r)} {n(cx - r)} {n(cy + k)} {n(cx - r)} {n(cy)} c "
        f"{n(cx - r)} {n(cy - k)} {n(cx - k)} {n(cy - r)} {n(cx)} {n(cy - r)} c "
        f"{n(cx + k)} {n(cy - r)} {n(cx + r)} {n(cy - k)} {n(cx + r)} {n(cy)} c h"
    )


def _beside(box: Box, obstacle: Box) -> Box:
    """Narrow box so it starts right of obstacle when they share height."""
    if box.y >= obstacle.top or box.top <= obstacle.y:
        return box
    left = obstacle.right + _LOGO_GAP
    return Box(left, box.y, box.right - left, box.h)


class BadgePainter:
    """Turns prepared badges into content operators for one design and one document."""

    def __init__(self, design: Design, writer: PdfWriter, fonts: FontEncoder, images: ImageStore,
                 with_qr: bool = True) -> None:
        self._design = design
        self._writer = writer
        self._fonts = fonts
        self._images = images
        self._with_qr = with_qr
        self._slots = {name: replace(slot, box=slot.box.scaled(MM)) for name, slot in design.text_slots().items()}
        self._text_ops: dict[tuple[str, str, str, Box], tuple[str, bool]] = {}

    def _text(self, field: str, text: str, slot: TextSlot, color: str | None = None) -> tuple[str, bool]:
        """Return (operators, truncated) for a text fitted into its slot; cached per document."""
        color = color or slot.color
        key = (field, text, color, slot.box)
        cached = self._text_ops.get(key)
        if cached is None:
            style = Style.of(slot.size, slot.min_size, slot.bold, slot.lines, slot.align)
            fitted = fit_text(text, slot.box, style)
            if len(self._text_ops) >= _TEXT_CACHE_LIMIT:
                self._text_ops.clear()  # bounded memory over huge batches
            cached = self._text_ops[key] = (self._encode(fitted, color), fitted.truncated)
        return cached

    def _encode(self, fitted: Fitted, color: str) -> str:
        """Encode fitted lines as text-showing operators."""
        return text_operators(self._fonts, fitted, _fill_op(color))

    def draw(self, badge: PreparedBadge) -> tuple[str, list[str]]:
        """Return the badge's operators and any warnings raised while drawing it."""
        warnings: list[str] = []
        logo_ops, logo_box = self._logo(badge, warnings)
        ops = [self._band(badge), logo_ops]
        slots = dict(self._slots)
        if logo_box is not None:
            for field in ("conference_en", "conference_ar"):
                slots[field] = replace(slots[field], box=_beside(slots[field].box, logo_box))
        for field in _TEXT_FIELDS:
            text_ops, truncated = self._text(field, getattr(badge, field), slots[field])
            ops.append(text_ops)
            if truncated and field in _WARN_IF_TRUNCATED:
                warnings.append(f"{field} was too long and was shortened with an ellipsis")
        if self._with_qr:
            ops.append(self._qr(badge.token))
        ops.append(self._reissue(badge.reissue))
        return "\n".join(op for op in ops if op), warnings

    def _band(self, badge: PreparedBadge) -> str:
        """Draw the category colour band with the category named in both languages."""
        band = self._design.band.scaled(MM)
        ink = ink_on(badge.category_color)
        en, _ = self._text("category_en", badge.category_en, self._slots["category_en"], ink)
        ar, _ = self._text("category_ar", badge.category_ar, self._slots["category_ar"], ink)
        return f"{_fill_op(badge.category_color)} {_rect(band)} f\n{en}\n{ar}"

    def _qr(self, token: str) -> str:
        """Draw the quiet zone white and all dark modules as one filled path."""
        box = self._design.qr.scaled(MM)
        module = box.w / (qr.SIZE + 2 * qr.QUIET)
        x0 = box.x + qr.QUIET * module
        y0 = box.y + qr.QUIET * module
        return (
            f"q 1 g {_rect(box)} f 0 g {pdf_number(module)} 0 0 {pdf_number(module)}"
            f" {pdf_number(x0)} {pdf_number(y0)} cm\n{qr.pdf_path(token)}\nQ"
        )

    def _reissue(self, reissue: int) -> str:
        """Draw the issue counter in a dark disc when the badge is a reprint."""
        if reissue <= 1:
            return ""
        box = self._design.reissue.scaled(MM)
        r = min(box.w, box.h) / 2
        slot = TextSlot(Box(box.x + 0.2 * r, box.y + 0.45 * r, box.w - 0.4 * r, box.h - 0.9 * r),
                        size=r * 1.4, min_size=1, bold=True, color="#ffffff")
        digits, _ = self._text("reissue", str(reissue), slot)
        return f"0.1 g {_circle(box.x + box.w / 2, box.y + box.h / 2, r)} f\n{digits}"

    def _logo(self, badge: PreparedBadge, warnings: list[str]) -> tuple[str, Box | None]:
        """Draw the logo (aspect kept) if the design has room; return ops and its box."""
        if badge.logo is None or self._design.logo is None:
            return "", None
        try:
            image = self._images.add(self._writer, badge.logo)
        except ValueError as exc:
            warnings.append(str(exc))
            return "", None
        box = self._design.logo.scaled(MM)
        scale = min(box.w / image.width, box.h / image.height)
        w, h = image.width * scale, image.height * scale
        x, y = box.x + (box.w - w) / 2, box.y + (box.h - h) / 2
        ops = f"q {pdf_number(w)} 0 0 {pdf_number(h)} {pdf_number(x)} {pdf_number(y)} cm /{image.name} Do Q"
        return ops, Box(x, y, w, h)
