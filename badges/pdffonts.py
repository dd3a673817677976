"""Font embedding for PdfWriter: single-byte codes in 256-glyph TrueType subsets.

Codes are handed out as characters are first drawn; the subsets are cut from
the shipped fonts (with reportlab's subsetter) and written once at the end.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFontFace

from badges.pdf import PdfWriter, pdf_number
from badges.text import logical_characters, register_fonts

_SUBSET_SIZE = 256
_FLAG_SYMBOLIC = 4  # glyphs are addressed through the font's own cmap
_CMAP_BLOCK = 100  # the PDF spec's limit of entries per bfchar block
_SUBSET_LOCK = threading.Lock()  # reportlab's subsetter moves a read cursor shared by all users of a face


@dataclass
class _FontState:
    """Code assignments of one font: char -> (subset, code); subset lists hold code points."""

    index: int
    codes: dict[str, tuple[int, int]] = field(default_factory=dict)
    subsets: list[list[int]] = field(default_factory=list)


def _subset_tag(font_index: int, subset: int) -> str:
    """Return a distinct six-letter subset tag (required prefix of subset font names)."""
    n = font_index * 4096 + subset
    letters = []
    for _ in range(6):
        n, rem = divmod(n, 26)
        letters.append(chr(ord("A") + rem))
    return "".join(reversed(letters))


def _to_unicode(subset: list[int]) -> bytes:
    """Build a ToUnicode CMap so text can be searched and extracted."""
    entries = [f"<{code:02X}> <{logical_characters(chr(cp)).encode('utf-16-be').hex().upper()}>"
               for code, cp in enumerate(subset) if code]
    blocks = []
    for start in range(0, len(entries), _CMAP_BLOCK):
        chunk = entries[start:start + _CMAP_BLOCK]
        blocks.append(f"{len(chunk)} beginbfchar\n" + "\n".join(chunk) + "\nendbfchar")
    return (
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n<00> <FF>\nendcodespacerange\n"
        + "\n".join(blocks)
        + "\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"
    ).encode("ascii")


class FontEncoder:
    """Turns (font, text) into (resource name, byte codes) and embeds the used glyphs."""

    def __init__(self) -> None:
        register_fonts()
        self._fonts: dict[str, _FontState] = {}

    def _assign(self, state: _FontState, ch: str) -> tuple[int, int]:
        """Give ch the next free code, opening a new subset when the current one is full."""
        if not state.subsets or len(state.subsets[-1]) == _SUBSET_SIZE:
            state.subsets.append([0])  # code 0 stays .notdef in every subset
        subset = state.subsets[-1]
        subset.append(ord(ch))
        assigned = state.codes[ch] = (len(state.subsets) - 1, len(subset) - 1)
        return assigned

    def encode(self, font_name: str, text: str) -> list[tuple[str, bytes]]:
        """Return (resource name, codes) pieces, one per subset switch, for text in a font."""
        state = self._fonts.get(font_name)
        if state is None:
            state = self._fonts[font_name] = _FontState(len(self._fonts))
        codes = state.codes
        pieces: list[tuple[str, bytes]] = []
        current, buf = -1, bytearray()
        for ch in text:
            subset, code = codes.get(ch) or self._assign(state, ch)
            if subset != current:
                if buf:
                    pieces.append((f"F{state.index}s{current}", bytes(buf)))
                current, buf = subset, bytearray()
            buf.append(code)
        if buf:
            pieces.append((f"F{state.index}s{current}", bytes(buf)))
        return pieces

    def embed(self, writer: PdfWriter) -> dict[str, int]:
        """Write every used subset; return resource name -> font object number."""
        objects = {}
        for font_name, state in self._fonts.items():
            face = pdfmetrics.getFont(font_name).face
            for n, subset in enumerate(state.subsets):
                objects[f"F{state.index}s{n}"] = self._embed_subset(writer, face, _subset_tag(state.index, n), subset)
        return objects

    @staticmethod
    def _embed_subset(writer: PdfWriter, face: TTFontFace, tag: str, subset: list[int]) -> int:
        """Write one subset's font file, descriptor, ToUnicode map and font dictionary."""
        with _SUBSET_LOCK:
            program = face.makeSubset(subset)
        base_font = f"{tag}+{face.name.decode('latin-1')}"
        file_ref = writer.add_stream(program, f"/Length1 {len(program)}")
        bbox = " ".join(pdf_number(v) for v in face.bbox)
        descriptor = writer.add_object(
            f"<< /Type /FontDescriptor /FontName /{base_font} /Flags {_FLAG_SYMBOLIC}"
            f" /FontBBox [{bbox}] /ItalicAngle {pdf_number(face.italicAngle)}"
            f" /Ascent {pdf_number(face.ascent)} /Descent {pdf_number(face.descent)}"
            f" /CapHeight {pdf_number(face.capHeight)} /StemV {face.stemV}"
            f" /MissingWidth {pdf_number(face.defaultWidth)} /FontFile2 {file_ref} 0 R >>"
        )
        to_unicode = writer.add_stream(_to_unicode(subset))
        widths = " ".join(pdf_number(face.getCharWidth(cp)) for cp in subset)
        return writer.add_object(
            f"<< /Type /Font /Subtype /TrueType /BaseFont /{base_font} /FirstChar 0"
            f" /LastChar {len(subset) - 1} /Widths [{widths}]"
            f" /FontDescriptor {descriptor} 0 R /ToUnicode {to_unicode} 0 R >>"
        )
