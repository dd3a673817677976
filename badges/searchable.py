"""Searchable Arabic in PDFs that reportlab wrote: each font's ToUnicode map names the letters, not the shapes.

Shaped Arabic is drawn as presentation forms (U+FE70…); reportlab maps each glyph back to the code point it drew,
so a reader searching "المؤتمر" finds nothing. This rewrites those entries with the letters they stand for
(`logical_characters`), through pikepdf, leaving the drawing untouched.
"""
from __future__ import annotations

import io
import re

import pikepdf

from badges.text import logical_characters

_ENTRY = re.compile(rb"<([0-9A-Fa-f]{2,4})> <([0-9A-Fa-f]{4})>")


def _letters(match: re.Match) -> bytes:
    drawn = chr(int(match.group(2), 16))
    letters = logical_characters(drawn)
    if letters == drawn:
        return match.group(0)
    return b"<" + match.group(1) + b"> <" + letters.encode("utf-16-be").hex().upper().encode("ascii") + b">"


def searchable_pdf(data: bytes) -> bytes:
    """The PDF with every font's ToUnicode map giving Arabic letters instead of presentation forms."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        seen = set()
        for page in pdf.pages:
            for font in (page.Resources.get("/Font") or {}).values():
                to_unicode = font.get("/ToUnicode")
                if to_unicode is None or to_unicode.objgen in seen:
                    continue
                seen.add(to_unicode.objgen)
                to_unicode.write(_ENTRY.sub(_letters, to_unicode.read_bytes()))
        out = io.BytesIO()
        pdf.save(out)
    return out.getvalue()
