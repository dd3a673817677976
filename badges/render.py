"""Render a batch of badges into one PDF, streaming page by page."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from itertools import chain
from typing import BinaryIO

from badges.draw import BadgePainter
from badges.images import ImageStore
from badges.layouts import MM, Layout, get_layout
from badges.model import BadgeRecord, NoBadges, RenderResult
from badges.pdf import PdfWriter, pdf_number
from badges.pdffonts import FontEncoder
from badges.prepare import prepare

CROP_MARK = 3.0 * MM  # arm length; the designs keep 5 mm (3 mm on cards) clear of content


def crop_marks(layout: Layout) -> str:
    """Draw thin marks on the cut lines where badge edges meet, inside the blank badge margins."""
    xs = sorted({x for x, _ in layout.slots} | {x + layout.design.width for x, _ in layout.slots})
    ys = sorted({y for _, y in layout.slots} | {y + layout.design.height for _, y in layout.slots})
    lines = []
    for x in xs:
        for y in ys:
            px, py = x * MM, y * MM
            lines.append(
                f"{pdf_number(px - CROP_MARK)} {pdf_number(py)} m {pdf_number(px + CROP_MARK)} {pdf_number(py)} l"
            )
            lines.append(
                f"{pdf_number(px)} {pdf_number(py - CROP_MARK)} m {pdf_number(px)} {pdf_number(py + CROP_MARK)} l"
            )
    return "q 0 G 0.25 w\n" + "\n".join(lines) + "\nS Q"


def _resources(fonts: dict[str, int], images: dict[str, int]) -> str:
    """Build the resource dictionary shared by every page."""
    font_refs = " ".join(f"/{name} {num} 0 R" for name, num in fonts.items())
    image_refs = " ".join(f"/{name} {num} 0 R" for name, num in images.items())
    return f"<< /Font << {font_refs} >> /XObject << {image_refs} >> /ProcSet [/PDF /Text /ImageB /ImageC] >>"


def _pages(records: Iterator[BadgeRecord], per_page: int) -> Iterator[list[BadgeRecord]]:
    """Group records into pages without materialising the whole iterable."""
    page: list[BadgeRecord] = []
    for record in records:
        page.append(record)
        if len(page) == per_page:
            yield page
            page = []
    if page:
        yield page


def render_layout(
    records: Iterable[BadgeRecord],
    layout: Layout,
    stream: BinaryIO,
    on_progress: Callable[[int], None] | None = None,
    *,
    with_qr: bool = True,
) -> RenderResult:
    """Render records with a Layout object; with_qr=False exists to benchmark the no-QR floor."""
    it = iter(records)
    first = next(it, None)
    if first is None:
        raise NoBadges("no badges to render")
    writer = PdfWriter(stream)
    fonts, images = FontEncoder(), ImageStore()
    painter = BadgePainter(layout.design, writer, fonts, images, with_qr=with_qr)
    result = RenderResult()
    marks = crop_marks(layout) if layout.crop_marks else ""
    width, height = layout.page_width * MM, layout.page_height * MM
    for page in _pages(chain([first], it), len(layout.slots)):
        ops = [marks] if marks else []
        prepared = [prepare(record) for record in page]  # bad input fails before the page starts
        for (badge, warnings), (x, y) in zip(prepared, layout.slots, strict=False):
            badge_ops, draw_warnings = painter.draw(badge)
            ops.append(f"q 1 0 0 1 {pdf_number(x * MM)} {pdf_number(y * MM)} cm\n{badge_ops}\nQ")
            result.warnings.extend((badge.code, message) for message in warnings + draw_warnings)
            result.count += 1
            if on_progress is not None:
                on_progress(result.count)
        writer.add_page(width, height, "\n".join(ops).encode("latin-1"))
    writer.close(_resources(fonts.embed(writer), images.objects))
    return result


def render_badges(
    records: Iterable[BadgeRecord],
    layout: str,
    stream: BinaryIO,
    on_progress: Callable[[int], None] | None = None,
) -> RenderResult:
    """Write one PDF of badges for records in the named layout to stream, page by page.

    Raises UnknownLayout or NoBadges before writing anything, and ValueError for a
    record whose token is not 39 digits (the output is then incomplete unless that
    record was on the first page, in which case nothing was written).
    """
    return render_layout(records, get_layout(layout), stream, on_progress)
