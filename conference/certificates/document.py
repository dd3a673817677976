"""Certificates as one A4 PDF, page by page: plain records in, bytes out (no Flask, no database).

Each page faces English (left) with Arabic (right). The text is laid out by the badges' text engine (Arabic shaped
and ordered by badges.fit, each run in a font that has it) and written by the badges' streaming PDF writer with its
embedded font subsets, whose ToUnicode maps give the letters, so Arabic is searched and copied as typed. Memory
stays flat however many pages: each page goes out as soon as it is drawn. The QR code holds the verification
page's absolute address and is drawn as vector squares.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from badges.draw import text_operators
from badges.fit import Style, fit_text
from badges.images import EmbeddedImage, ImageStore
from badges.layouts import MM, Box
from badges.pdf import PdfWriter, pdf_number
from badges.pdffonts import FontEncoder
from badges.text import BOLD, REGULAR

from .qr import qr_rows

WIDTH, HEIGHT = 210 * MM, 297 * MM
MARGIN = 20 * MM
INNER = WIDTH - 2 * MARGIN
HALF = (INNER - 8 * MM) / 2  # the QR code's and the signature's columns
BRAND = "0.043 0.431 0.431"
MUTED = "0.34 0.38 0.45"
INK = "0 0 0"
QR_SIZE = 34 * MM
_TEXT_CACHE_LIMIT = 512
MAX_ROWS = 6  # lines of days or sessions a page shows; more are summed up in one line


@dataclass(frozen=True)
class Facing:
    """One line in English and its Arabic counterpart."""

    en: str
    ar: str


@dataclass(frozen=True)
class CertificateRecord:
    """Everything one certificate page shows, already in words (both languages)."""

    title: Facing
    conference: Facing
    organizer: Facing
    dates: Facing
    intro: Facing
    name: str
    name_latin: str
    wording: Facing
    heading: Facing
    rows: tuple[Facing, ...]
    summary: Facing | None
    signatory_name: str
    signatory_title: str
    code: str
    url: str
    verify_label: Facing
    signature: bytes | None = field(default=None, repr=False)


def _qr_ops(text: str, box: Box) -> str:
    """The QR code as an inline image mask (one bit a module, dark painted black), scaled without smoothing into
    `box`: a few bytes a row, where a rectangle per dark run costs more than the rest of the page."""
    rows = qr_rows(text)
    count = len(rows)
    pad = -count % 8
    width = (count + pad) // 8
    # In an image mask a 0 bit is painted: the modules' "1" (dark) become 0s.
    data = b"".join((int(row, 2) << pad ^ (1 << count + pad) - 1).to_bytes(width, "big") for row in rows)
    size = pdf_number(box.w)
    return (f"q 0 0 0 rg {size} 0 0 {size} {pdf_number(box.x)} {pdf_number(box.y)} cm\n"
            f"BI /W {count} /H {count} /IM true /BPC 1 /Interpolate false /F /AHx ID\n{data.hex()}>\nEI Q")


class _Page:
    """Text and drawing operators of one page, with the document's shared fonts."""

    def __init__(self, fonts: FontEncoder, cache: dict) -> None:
        self._fonts = fonts
        self._cache = cache  # drawn texts of the document: most lines repeat on every page
        self.ops: list[str] = []

    def text(self, text: str, box: Box, size: float, *, bold: bool = False, align: str = "center",
             lines: int = 1, colour: str = INK, min_size: float | None = None) -> None:
        """Fit `text` (any script, logical order) into `box` and draw it."""
        if not text:
            return
        style = Style(BOLD if bold else REGULAR, size, min_size or size * 0.6, lines, align)
        key = (text, box, style, colour)
        cached = self._cache.get(key)
        if cached is None:
            if len(self._cache) >= _TEXT_CACHE_LIMIT:
                self._cache.clear()  # bounded memory over huge batches
            cached = self._cache[key] = self._encode(text, box, style, colour)
        if cached:
            self.ops.append(cached)

    def _encode(self, text: str, box: Box, style: Style, colour: str) -> str:
        return text_operators(self._fonts, fit_text(text, box, style), f"{colour} rg")

    def facing(self, pair: Facing, top: float, line: float, size: float, **options) -> float:
        """The English line, then the Arabic one under it, centred, each on its own baseline (so that a reader
        extracts each in its own direction); returns where the next text starts."""
        top = self.line(pair.en, top, line, size, **options)
        if pair.ar and pair.ar != pair.en:
            top = self.line(pair.ar, top, line, size, **options)
        return top

    def line(self, text: str, top: float, height: float, size: float, **options) -> float:
        """One text in a full-width band of `height` below `top`; returns the band's bottom."""
        self.text(text, Box(MARGIN, top - height, INNER, height), size, **options)
        return top - height


def _frame() -> str:
    """A double border in the conference colour."""
    outer, inner = 10 * MM, 12.5 * MM
    return (f"q {BRAND} RG 1.6 w {pdf_number(outer)} {pdf_number(outer)} {pdf_number(WIDTH - 2 * outer)} "
            f"{pdf_number(HEIGHT - 2 * outer)} re S 0.5 w {pdf_number(inner)} {pdf_number(inner)} "
            f"{pdf_number(WIDTH - 2 * inner)} {pdf_number(HEIGHT - 2 * inner)} re S Q")


def _draw(record: CertificateRecord, page: _Page, signature: EmbeddedImage | None) -> None:
    """Lay out one certificate, top to bottom, English above Arabic."""
    page.ops.append(_frame())
    y = page.facing(record.conference, HEIGHT - MARGIN - 2 * MM, 7 * MM, 12.5, bold=True, colour=BRAND)
    y = page.facing(record.organizer, y, 5.5 * MM, 9.5, colour=MUTED, min_size=6.5)
    y = page.facing(record.dates, y, 5.5 * MM, 9.5, colour=MUTED)
    y = page.facing(record.title, y - 5 * MM, 13 * MM, 25, bold=True, colour=BRAND, min_size=14)
    y = page.facing(record.intro, y - 3 * MM, 6 * MM, 11, colour=MUTED)
    y = page.line(record.name, y, 15 * MM, 24, bold=True, lines=2, min_size=12)
    if record.name_latin and record.name_latin != record.name:
        y = page.line(record.name_latin, y, 7 * MM, 13, colour=MUTED)
    y = page.facing(record.wording, y - 2 * MM, 10 * MM, 11, lines=2, min_size=8)
    y = page.facing(record.heading, y - 3 * MM, 6.5 * MM, 11, bold=True, colour=BRAND)
    for row in record.rows[:MAX_ROWS]:
        y = page.facing(row, y, 5 * MM, 9, min_size=6)
    if record.summary is not None:
        page.facing(record.summary, y - 1 * MM, 5.5 * MM, 9.5, bold=True, min_size=6)
    _bottom(record, page, signature)


def _bottom(record: CertificateRecord, page: _Page, signature: EmbeddedImage | None) -> None:
    """The QR code and its code on the left; the signature, the signatory's name and title on the right."""
    base = MARGIN + 4 * MM
    qr_box = Box(MARGIN, base + 12 * MM, QR_SIZE, QR_SIZE)
    page.ops.append(_qr_ops(record.url, qr_box))
    page.text(record.code, Box(MARGIN, base, HALF, 5 * MM), 8, align="left")
    page.text(record.verify_label.en, Box(MARGIN, base + 51 * MM, HALF, 4 * MM), 7.5, align="left", colour=MUTED)
    page.text(record.verify_label.ar, Box(MARGIN, base + 47 * MM, HALF, 4 * MM), 7.5, align="left", colour=MUTED)
    # The address without the code: the same on every page (drawn once per document), the code on its own line.
    prefix = record.url[:-len(record.code)] if record.url.endswith(record.code) else record.url
    page.text(prefix, Box(MARGIN, base + 6 * MM, HALF + 20 * MM, 5 * MM), 7, align="left", colour=MUTED, min_size=4)
    right = WIDTH - MARGIN - HALF
    if signature is not None:
        height = 22 * MM
        width = min(HALF, height * signature.width / signature.height)
        x = WIDTH - MARGIN - width
        page.ops.append(f"q {pdf_number(width)} 0 0 {pdf_number(height)} {pdf_number(x)} "
                        f"{pdf_number(base + 24 * MM)} cm /{signature.name} Do Q")
    page.ops.append(f"q {MUTED} RG 0.6 w {pdf_number(right + HALF * 0.3)} {pdf_number(base + 22 * MM)} m "
                    f"{pdf_number(WIDTH - MARGIN)} {pdf_number(base + 22 * MM)} l S Q")
    page.text(record.signatory_name, Box(right, base + 14 * MM, HALF, 7 * MM), 11, bold=True, align="right")
    page.text(record.signatory_title, Box(right, base + 7 * MM, HALF, 7 * MM), 9, align="right", colour=MUTED,
              lines=2)


def _resources(fonts: dict[str, int], images: dict[str, int]) -> str:
    font_refs = " ".join(f"/{name} {num} 0 R" for name, num in fonts.items())
    image_refs = " ".join(f"/{name} {num} 0 R" for name, num in images.items())
    return f"<< /Font << {font_refs} >> /XObject << {image_refs} >> /ProcSet [/PDF /Text /ImageB /ImageC] >>"


class _Chunks:
    """A write-only stream that hands out what was written since the last time it was asked."""

    def __init__(self) -> None:
        self._parts: list[bytes] = []

    def write(self, data: bytes) -> int:
        self._parts.append(data)
        return len(data)

    def take(self) -> bytes:
        data = b"".join(self._parts)
        self._parts.clear()
        return data


def certificate_chunks(records: Iterable[CertificateRecord], counter: list[int] | None = None) -> Iterator[bytes]:
    """The PDF of `records`, one page per certificate, as chunks of bytes to send or write as they come.

    `counter`, when given, receives the number of pages written in its first item. No record: no bytes at all.
    """
    chunks = _Chunks()
    writer = PdfWriter(chunks, producer="conference certificates")
    fonts, images = FontEncoder(), ImageStore()
    signatures: dict[bytes, EmbeddedImage | None] = {}
    cache: dict = {}
    pages = 0
    for record in records:
        signature = None
        if record.signature:
            if record.signature not in signatures:
                try:
                    signatures[record.signature] = images.add(writer, record.signature)
                except ValueError:  # not an image after all: the certificate goes out unsigned rather than not
                    signatures[record.signature] = None
            signature = signatures[record.signature]
        page = _Page(fonts, cache)
        _draw(record, page, signature)
        writer.add_page(WIDTH, HEIGHT, "\n".join(page.ops).encode("latin-1"))
        pages += 1
        if counter is not None:
            counter[:1] = [pages]
        yield chunks.take()
    if pages:
        writer.close(_resources(fonts.embed(writer), images.objects))
        yield chunks.take()


def write_certificates(records: Iterable[CertificateRecord], stream: BinaryIO) -> int:
    """Write the PDF of `records` to `stream`; returns the number of pages (none: nothing written)."""
    counter = [0]
    for chunk in certificate_chunks(records, counter):
        stream.write(chunk)
    return counter[0]
