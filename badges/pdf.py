"""An append-only PDF writer that keeps memory flat however many pages it writes.

Each page's objects go to the output as soon as the page is finished; the
writer remembers only one offset per object and one number per page.  Fonts,
images and the shared resource dictionary are written once, at the end.
"""
from __future__ import annotations

import zlib
from array import array
from typing import BinaryIO

_HEADER = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
_CHUNK = 2000  # xref lines / page references written per write() call
_COMPRESSION = 6


def pdf_number(value: float) -> str:
    """Format a number compactly for PDF syntax."""
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return text if text not in ("", "-0") else "0"


class PdfWriter:
    """Writes objects straight to a binary stream; call close() exactly once at the end."""

    def __init__(self, stream: BinaryIO, producer: str = "badges") -> None:
        self._stream = stream
        self._pos = len(_HEADER)  # offsets count the header, which is written with the first object
        self._offsets = array("I", [0])  # index is the object number; widened past 4 GiB
        self._pages = array("I")  # page object numbers; 4 bytes each keeps big batches small
        self._producer = producer
        self._info = 0
        self._header_due = True  # so a batch that fails before its first page leaves the stream empty
        self.catalog = self.reserve()
        self.page_tree = self.reserve()
        self.resources = self.reserve()

    def _write(self, data: bytes) -> None:
        """Write bytes and advance the offset counter (the stream need not be seekable)."""
        if self._header_due:
            self._header_due = False
            self._stream.write(_HEADER)
        self._stream.write(data)
        self._pos += len(data)

    def _set_offset(self, num: int, pos: int) -> None:
        """Record where object num starts, widening the offset table for files over 4 GiB."""
        try:
            self._offsets[num] = pos
        except OverflowError:
            self._offsets = array("Q", self._offsets)
            self._offsets[num] = pos

    def reserve(self) -> int:
        """Allocate an object number to be written later."""
        self._offsets.append(0)
        return len(self._offsets) - 1

    @staticmethod
    def _object_bytes(num: int, body: bytes) -> bytes:
        """Wrap a body as an indirect object."""
        return b"%d 0 obj\n%s\nendobj\n" % (num, body)

    @staticmethod
    def _stream_body(data: bytes, extra: str, compress: bool) -> bytes:
        """Build a stream object's body, Flate-compressing when asked."""
        filters = ""
        if compress:
            data = zlib.compress(data, _COMPRESSION)
            filters = " /Filter /FlateDecode"
        head = f"<< /Length {len(data)}{filters}{extra} >>\nstream\n".encode("ascii")
        return head + data + b"\nendstream"

    def add_object(self, body: bytes | str, num: int | None = None) -> int:
        """Write an object (optionally one reserved earlier); return its number."""
        num = self.reserve() if num is None else num
        raw = body.encode("latin-1") if isinstance(body, str) else body
        self._set_offset(num, self._pos)
        self._write(self._object_bytes(num, raw))
        return num

    def add_stream(self, data: bytes, extra: str = "", compress: bool = True) -> int:
        """Write a stream object; extra is appended to its dictionary."""
        return self.add_object(self._stream_body(data, " " + extra if extra else "", compress))

    def add_page(self, width: float, height: float, content: bytes) -> None:
        """Write one page and its content stream in a single write."""
        content_num, page_num = self.reserve(), self.reserve()
        stream_obj = self._object_bytes(content_num, self._stream_body(content, "", True))
        page_obj = self._object_bytes(page_num, (
            f"<< /Type /Page /Parent {self.page_tree} 0 R /MediaBox [0 0 {pdf_number(width)} {pdf_number(height)}]"
            f" /Resources {self.resources} 0 R /Contents {content_num} 0 R >>"
        ).encode("ascii"))
        self._set_offset(content_num, self._pos)
        self._set_offset(page_num, self._pos + len(stream_obj))
        self._write(stream_obj + page_obj)
        self._pages.append(page_num)

    @property
    def page_count(self) -> int:
        """Number of pages written so far."""
        return len(self._pages)

    def _write_page_tree(self) -> None:
        """Write the single page-tree node listing every page, in chunks."""
        self._set_offset(self.page_tree, self._pos)
        self._write(b"%d 0 obj\n<< /Type /Pages /Count %d /Kids [" % (self.page_tree, len(self._pages)))
        for start in range(0, len(self._pages), _CHUNK):
            refs = " ".join(f"{n} 0 R" for n in self._pages[start:start + _CHUNK])
            self._write(refs.encode("ascii") + b"\n")
        self._write(b"] >>\nendobj\n")

    def _write_xref(self) -> None:
        """Write the cross-reference table and trailer."""
        missing = [n for n in range(1, len(self._offsets)) if self._offsets[n] == 0]
        if missing:
            raise RuntimeError(f"PDF objects reserved but never written: {missing[:5]}")
        start = self._pos
        self._write(b"xref\n0 %d\n0000000000 65535 f \n" % len(self._offsets))
        for first in range(1, len(self._offsets), _CHUNK):
            chunk = self._offsets[first:first + _CHUNK]
            self._write("".join(f"{off:010d} 00000 n \n" for off in chunk).encode("ascii"))
        trailer = b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\n" % (
            len(self._offsets), self.catalog, self._info)
        self._write(trailer + b"startxref\n%d\n%%%%EOF\n" % start)

    def close(self, resources: str) -> None:
        """Write the shared resources, page tree, catalog and cross-reference table."""
        self.add_object(resources, self.resources)
        self._write_page_tree()
        self.add_object(f"<< /Type /Catalog /Pages {self.page_tree} 0 R >>", self.catalog)
        self._info = self.add_object(f"<< /Producer ({self._producer}) >>")
        self._write_xref()
