"""Layout definitions: boxes stay inside badges, away from the QR code and the crop marks."""
from __future__ import annotations

import io
from dataclasses import replace
from itertools import combinations

import pypdfium2 as pdfium
import pytest
import zxingcpp

from badges import LAYOUTS, UnknownLayout
from badges.layouts import MM, Box, Layout, get_layout
from badges.render import CROP_MARK, render_layout


def _overlap(a: Box, b: Box) -> bool:
    """Tell whether two boxes share any area."""
    return a.x < b.right and b.x < a.right and a.y < b.top and b.y < a.top


def _content_boxes(layout: Layout) -> list[Box]:
    """Every box drawn inside a badge."""
    d = layout.design
    boxes = [slot.box for slot in d.text_slots().values()] + [d.band, d.qr, d.reissue]
    return boxes + ([d.logo] if d.logo else [])


@pytest.mark.parametrize("layout", LAYOUTS.values(), ids=list(LAYOUTS))
def test_boxes_fit_inside_the_badge_and_avoid_the_qr(layout: Layout) -> None:
    d = layout.design
    margin = CROP_MARK / MM if layout.crop_marks else 0.0
    for box in _content_boxes(layout):
        assert margin <= box.x and box.right <= d.width - margin
        assert margin <= box.y and box.top <= d.height - margin
    for name, slot in d.text_slots().items():
        assert not _overlap(slot.box, d.qr), name
    assert not _overlap(d.reissue, d.qr) and not _overlap(d.band, d.qr)
    assert d.qr.w == d.qr.h and d.qr.w * 25 / 33 >= 25.0


@pytest.mark.parametrize("layout", LAYOUTS.values(), ids=list(LAYOUTS))
def test_badges_sit_on_the_page_without_overlapping(layout: Layout) -> None:
    d = layout.design
    badges = [Box(x, y, d.width, d.height) for x, y in layout.slots]
    for box in badges:
        assert 0 <= box.x and box.right <= layout.page_width + 1e-9
        assert 0 <= box.y and box.top <= layout.page_height + 1e-9
    for a, b in combinations(badges, 2):
        assert not _overlap(a, b)


def test_layout_sizes() -> None:
    assert (LAYOUTS["a6"].design.width, LAYOUTS["a6"].design.height) == (105, 148)
    assert (LAYOUTS["a4-4up"].page_width, LAYOUTS["a4-4up"].page_height) == (210, 297)
    assert len(LAYOUTS["a4-4up"].slots) == 4 and LAYOUTS["a4-4up"].crop_marks
    assert (LAYOUTS["cr80"].page_width, LAYOUTS["cr80"].page_height) == (85.6, 54)


def test_get_layout_lists_valid_names() -> None:
    with pytest.raises(UnknownLayout, match="a4-4up, a6, cr80"):
        get_layout("A7")


def test_a_new_layout_is_one_definition(base_record) -> None:
    """Two A6 badges side by side on landscape A5, defined in one statement."""
    a5 = Layout("a5-2up", 210.0, 148.0, LAYOUTS["a6"].design, ((0.0, 0.0), (105.0, 0.0)), crop_marks=True)
    out = io.BytesIO()
    items = [replace(base_record, token=str(10**38 + i)) for i in range(3)]
    assert render_layout(items, a5, out).count == 3
    doc = pdfium.PdfDocument(out.getvalue())
    assert len(doc) == 2
    page = doc[0].render(scale=150 / 72, grayscale=True).to_pil()
    assert sorted(r.text for r in zxingcpp.read_barcodes(page)) == [items[0].token, items[1].token]
    doc.close()
