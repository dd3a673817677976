"""End-to-end rendering: every QR decodes, text stays in its boxes, the PDF is vector and self-contained."""
from __future__ import annotations

import io
import re
from dataclasses import replace

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
import zxingcpp

from badges import LAYOUTS, NoBadges, UnknownLayout, render_badges
from badges.layouts import MM, Box, Layout
from badges.qr import QUIET, SIZE

DPI = 200
TOLERANCE = 1.0  # points; pdfium and our glyph boxes may differ by rounding


def _badge_boxes(layout: Layout) -> list[Box]:
    """Return each slot's badge rectangle on the page, in points."""
    d = layout.design
    return [Box(x, y, d.width, d.height).scaled(MM) for x, y in layout.slots]


def _in_badge(box: Box, inner: Box) -> Box:
    """Move a badge-relative box (mm) onto the page (points) inside badge box."""
    pt = inner.scaled(MM)
    return Box(box.x + pt.x, box.y + pt.y, pt.w, pt.h)


def _decode(page: pdfium.PdfPage, layout: Layout) -> list[list[zxingcpp.Result]]:
    """Rasterize the page and decode the barcodes found in each badge slot."""
    image = page.render(scale=DPI / 72, grayscale=True).to_pil()
    height = page.get_height()
    scale = DPI / 72
    found = []
    for box in _badge_boxes(layout):
        crop = image.crop((round(box.x * scale), round((height - box.top) * scale),
                           round(box.right * scale), round((height - box.y) * scale)))
        found.append(zxingcpp.read_barcodes(crop))
    return found


def _chars(page: pdfium.PdfPage) -> list[tuple[str, tuple[float, float, float, float]]]:
    """Return every non-space character on the page with its tight box (left, b, r, t)."""
    textpage = page.get_textpage()
    chars = []
    for i in range(textpage.count_chars()):
        ch = textpage.get_text_range(i, 1)
        if ch.strip():
            chars.append((ch, textpage.get_charbox(i)))
    return chars


def _inside(outer: Box, left: float, b: float, r: float, t: float) -> bool:
    """Tell whether a char box lies in outer, within tolerance."""
    return (outer.x - TOLERANCE <= left and r <= outer.right + TOLERANCE
            and outer.y - TOLERANCE <= b and t <= outer.top + TOLERANCE)


def _overlaps(outer: Box, left: float, b: float, r: float, t: float) -> bool:
    """Tell whether a char box overlaps outer by more than the tolerance."""
    return (left < outer.right - TOLERANCE and r > outer.x + TOLERANCE
            and b < outer.top - TOLERANCE and t > outer.y + TOLERANCE)


def _page_text(doc: pdfium.PdfDocument) -> str:
    """All text of the document."""
    return "\n".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))


@pytest.mark.parametrize("layout_name", sorted(LAYOUTS))
def test_every_qr_decodes_to_its_token(layout_name, records, render, open_pdf) -> None:
    data, result = render(records, layout_name)
    layout = LAYOUTS[layout_name]
    doc = open_pdf(data)
    assert result.count == len(records)
    assert len(doc) == -(-len(records) // len(layout.slots))
    decoded = []
    for i in range(len(doc)):
        for found in _decode(doc[i], layout):
            decoded.extend(found)
    assert [r.text for r in decoded] == [r.token for r in records]
    for r in decoded:
        assert r.format == zxingcpp.BarcodeFormat.QRCode
        assert r.ec_level == "Q" and r.extra["Version"] == "2"


@pytest.mark.parametrize("layout_name", sorted(LAYOUTS))
def test_text_stays_in_its_boxes_and_off_the_qr(layout_name, records, render, open_pdf) -> None:
    layout = LAYOUTS[layout_name]
    design = layout.design
    doc = open_pdf(render(records, layout_name)[0])
    checked = 0
    for i in range(len(doc)):
        for ch, (left, b, r, t) in _chars(doc[i]):
            badge = next(box for box in _badge_boxes(layout)
                         if box.x <= (left + r) / 2 <= box.right and box.y <= (b + t) / 2 <= box.top)
            assert _inside(badge, left, b, r, t), ch
            assert not _overlaps(_in_badge(badge, design.qr), left, b, r, t), ch
            slots = [s.box for s in design.text_slots().values()] + [design.reissue]
            assert any(_inside(_in_badge(badge, s), left, b, r, t) for s in slots), ch
            checked += 1
    assert checked > 100 * len(records) // 10


def test_long_name_stays_in_name_box(base_record, render, open_pdf) -> None:
    record = replace(base_record, name="Wolfeschlegelsteinhausenbergerdorff " * 4, name_other="")
    layout = LAYOUTS["a6"]
    doc = open_pdf(render([record], "a6")[0])
    name_box = _in_badge(_badge_boxes(layout)[0], layout.design.name.box)
    band_top = layout.design.band.top * MM
    big = [(ch, box) for ch, box in _chars(doc[0])
           if box[3] - box[1] > 10 and box[1] > band_top and (ch.isascii() or ch == "…")]
    assert len(big) > 20 and all(_inside(name_box, *box) for _, box in big)
    assert "…" in _page_text(doc)


@pytest.mark.parametrize("layout_name", sorted(LAYOUTS))
def test_qr_is_one_vector_path_and_no_image(layout_name, records, render, open_pdf) -> None:
    layout = LAYOUTS[layout_name]
    data, _ = render(records[:len(layout.slots)], layout_name)
    assert b"/Subtype /Image" not in data
    doc = open_pdf(data)
    page = doc[0]
    assert not list(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE]))
    module = layout.design.qr.w * MM / (SIZE + 2 * QUIET)
    symbols = []
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH]):
        left, b, r, t = obj.get_bounds()
        if abs((r - left) - SIZE * module) < 0.5 and abs((t - b) - SIZE * module) < 0.5:
            symbols.append(obj)
    assert len(symbols) == len(layout.slots)  # all modules of a badge's QR are a single path object
    assert SIZE * layout.design.qr.w / (SIZE + 2 * QUIET) >= 25.0  # at least 25 mm on paper


def test_fonts_are_embedded_subsets(records, render) -> None:
    data, _ = render(records, "a6")
    fonts = re.findall(rb"/Subtype /TrueType /BaseFont /([A-Z]{6})\+([\w-]+)", data)
    assert {name for _, name in fonts} == {b"Amiri-Bold", b"Amiri-Regular", b"DejaVuSans", b"DejaVuSans-Bold"}
    assert data.count(b"/FontFile2") == data.count(b"/Type /FontDescriptor") == len(fonts)
    assert len(data) < 400_000  # subsets, not whole fonts (the four files total 2.5 MB)


def test_warnings_and_fallbacks(records, render, open_pdf) -> None:
    data, result = render(records, "a6")
    text = _page_text(open_pdf(data))
    by_code: dict[str, list[str]] = {}
    for code, message in result.warnings:
        by_code.setdefault(code, []).append(message)
    assert any("Latin name" in m for m in by_code["OM-0007"])  # CJK name
    assert "Bruce Lee" in text and "李" not in text
    assert any("left out" in m for m in by_code["OM-0008"])  # emoji
    assert "Zoë Smith" in text
    assert any("blank" in m for m in by_code["OM-0010"])
    assert "Blank Name" in text
    assert any("ellipsis" in m for m in by_code["OM-0006"])  # the 120-character name
    assert "RTL override name" in text and "OM-0009" not in by_code
    assert not by_code.get("OM-0001")


def test_arabic_and_both_category_languages_are_printed(records, render, open_pdf) -> None:
    text = _page_text(open_pdf(render(records[:1], "a6")[0]))
    for expected in ("حمد بن سيف الحوسني", "Delegate", "مندوب", "Oman", "OM-0001", "23–24 May 2027"):
        assert expected in text


def test_reissue_counter_is_printed(base_record, render, open_pdf) -> None:
    layout = LAYOUTS["a6"]
    doc = open_pdf(render([replace(base_record, reissue=3)], "a6")[0])
    box = _in_badge(_badge_boxes(layout)[0], layout.design.reissue)
    assert [ch for ch, b in _chars(doc[0]) if _inside(box, *b)] == ["3"]
    doc = open_pdf(render([base_record], "a6")[0])
    assert not [ch for ch, b in _chars(doc[0]) if _inside(box, *b)]


def test_unknown_layout_writes_nothing(records) -> None:
    out = io.BytesIO()
    with pytest.raises(UnknownLayout) as info:
        render_badges(records, "letter", out)
    assert isinstance(info.value, ValueError)
    assert all(name in str(info.value) for name in LAYOUTS)
    assert out.getvalue() == b""


@pytest.mark.parametrize("empty", [[], (), iter([])])
def test_no_badges(empty) -> None:
    out = io.BytesIO()
    with pytest.raises(NoBadges):
        render_badges(empty, "a6", out)
    assert isinstance(NoBadges(), ValueError)
    assert out.getvalue() == b""


def test_bad_token_raises_before_anything_is_written(base_record) -> None:
    out = io.BytesIO()
    with pytest.raises(ValueError, match="OM-0001"):
        render_badges([replace(base_record, token="12345"), base_record], "a6", out)
    assert out.getvalue() == b""


def test_progress_and_streaming(base_record, open_pdf) -> None:
    out = io.BytesIO()
    sizes: list[tuple[int, int]] = []

    def items():
        for i in range(12):
            yield replace(base_record, code=f"OM-{i:04d}")

    result = render_badges(items(), "a4-4up", out, on_progress=lambda n: sizes.append((n, len(out.getvalue()))))
    assert [n for n, _ in sizes] == list(range(1, 13)) and result.count == 12
    # Pages are written as they are finished: the output grows while badges are still coming.
    assert 0 < sizes[4][1] < sizes[8][1] < len(out.getvalue())
    assert len(open_pdf(out.getvalue())) == 3


def test_invalid_colour_falls_back_with_warning(base_record, render) -> None:
    _, result = render([replace(base_record, category_color="green")], "a6")
    assert any("colour" in m for _, m in result.warnings)


def _logo(fmt: str) -> bytes:
    """Make a small logo image: PNG with transparency or plain JPEG."""
    from PIL import Image, ImageDraw

    image = Image.new("RGBA" if fmt == "PNG" else "RGB", (120, 60), (0, 0, 0, 0) if fmt == "PNG" else "white")
    ImageDraw.Draw(image).ellipse([5, 5, 115, 55], fill=(200, 30, 30, 255))
    out = io.BytesIO()
    image.save(out, fmt)
    return out.getvalue()


@pytest.mark.parametrize("fmt, images_per_logo", [("PNG", 2), ("JPEG", 1)])
def test_logo_is_embedded_once_and_text_avoids_it(fmt, images_per_logo, base_record, render, open_pdf) -> None:
    logo = _logo(fmt)
    items = [replace(base_record, code=f"OM-{i}", logo=logo) for i in range(3)]
    data, result = render(items, "a6")
    assert not result.warnings
    assert data.count(b"/Subtype /Image") == images_per_logo  # shared by all three pages (alpha is a soft mask)
    doc = open_pdf(data)
    for i in range(len(doc)):
        page = doc[i]
        (image,) = page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE])
        left, b, r, t = image.get_bounds()
        assert (r - left) / (t - b) == pytest.approx(2.0, rel=0.01)  # aspect kept
        logo_box = Box(left, b, r - left, t - b)
        assert not any(_overlaps(logo_box, *box) for _, box in _chars(page))


def test_unreadable_logo_is_skipped_with_warning(base_record, render) -> None:
    data, result = render([replace(base_record, logo=b"not an image")], "a6")
    assert b"/Subtype /Image" not in data
    assert any("logo" in m for _, m in result.warnings)


def test_card_layout_has_no_logo_slot(base_record, render) -> None:
    data, result = render([replace(base_record, logo=_logo("PNG"))], "cr80")
    assert b"/Subtype /Image" not in data and not result.warnings


def test_cross_reference_offsets_are_exact(records, render) -> None:
    """pdfium silently repairs broken offsets, so check the xref table ourselves."""
    data, _ = render(records, "a4-4up")
    assert data.startswith(b"%PDF-1.7\n") and data.rstrip().endswith(b"%%EOF")
    start = int(re.search(rb"startxref\s+(\d+)\s+%%EOF\s*$", data).group(1))
    assert data[start:start + 4] == b"xref"
    header = re.match(rb"xref\n0 (\d+)\n", data[start:])
    count = int(header.group(1))
    table = data[start + header.end():].split(b"\n")[:count]
    assert table[0].startswith(b"0000000000 65535 f")
    for num, line in enumerate(table[1:], start=1):
        offset = int(line[:10])
        assert data[offset:].startswith(b"%d 0 obj" % num), num
    assert re.search(rb"trailer\s*<< /Size %d /Root 1 0 R" % count, data)


def test_stream_lengths_are_exact(records, render) -> None:
    data, _ = render(records[:3], "a6")
    streams = list(re.finditer(rb"<< /Length (\d+)[^>]*?(?:>>[^>]*?)?>>\nstream\n", data))
    assert len(streams) > 6
    for match in streams:
        end = match.end() + int(match.group(1))
        assert data[end:end + 10] == b"\nendstream", match.group(0)


def test_more_than_256_glyphs_of_one_font_open_a_second_subset(base_record, render, open_pdf) -> None:
    """Names in Latin, Greek and Cyrillic need over 256 glyphs of the bold Latin font: all still print and read back."""
    letters = [chr(cp) for block in ((0xC0, 0x17F), (0x391, 0x3CA), (0x410, 0x450)) for cp in range(*block)
               if chr(cp).isalpha()]
    assert len(set(letters)) > 256
    names = ["".join(letters[i:i + 12]) for i in range(0, len(letters), 12)]
    items = [replace(base_record, name=name, name_other="", name_latin="", code=f"XX-{n:04d}", token=f"{n:039d}")
             for n, name in enumerate(names)]
    data, result = render(items, "a6")
    assert result.count == len(names) and result.warnings == []
    assert len(re.findall(rb"/BaseFont /[A-Z]{6}\+DejaVuSans-Bold", data)) >= 2
    doc = open_pdf(data)
    for n, name in enumerate(names):
        assert name in doc[n].get_textpage().get_text_range(), name
