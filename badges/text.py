"""Text preparation: cleaning, Arabic shaping, bidi ordering and per-character font choice."""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import arabic_reshaper
from bidi import get_display
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT_FILES: dict[str, str] = {
    "Amiri": "Amiri-Regular.ttf",
    "Amiri-Bold": "Amiri-Bold.ttf",
    "DejaVuSans": "DejaVuSans.ttf",
    "DejaVuSans-Bold": "DejaVuSans-Bold.ttf",
}
ELLIPSIS = "\u2026"
# Arabic letters sit small on the em next to DejaVu's tall x-height; drawing Amiri a
# little larger makes mixed-script lines and facing EN/AR labels look the same size.
RELATIVE_SIZE: dict[str, float] = {"Amiri": 1.15, "Amiri-Bold": 1.15}

# Harakat are dropped: without GPOS positioning they would land beside the letter.
_RESHAPER = arabic_reshaper.ArabicReshaper(configuration={"delete_harakat": True})
_DROPPED_CATEGORIES = frozenset({"Cf", "Cc", "Cs", "Co", "Cn"})
_WHITESPACE_CATEGORIES = frozenset({"Zs", "Zl", "Zp"})
_RTL_START = 0x0590  # below this no character can need shaping or reordering
_ARABIC_RANGES = (
    (0x0600, 0x06FF), (0x0750, 0x077F), (0x0870, 0x08FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF),
)


@dataclass(frozen=True)
class FontStack:
    """Registered font names to try, in order, for Arabic-script and for other characters."""

    arabic: tuple[str, ...]
    other: tuple[str, ...]


REGULAR = FontStack(arabic=("Amiri", "DejaVuSans"), other=("DejaVuSans", "Amiri"))
BOLD = FontStack(arabic=("Amiri-Bold", "DejaVuSans-Bold"), other=("DejaVuSans-Bold", "Amiri-Bold"))


@lru_cache(maxsize=None)
def register_fonts() -> tuple[str, ...]:
    """Register the shipped fonts with reportlab once; return their names."""
    registered = set(pdfmetrics.getRegisteredFontNames())
    for name, filename in FONT_FILES.items():
        if name not in registered:
            pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / filename)))
    return tuple(FONT_FILES)


@lru_cache(maxsize=None)
def _cmap(font_name: str) -> dict[int, int]:
    """Return the code point -> glyph id map of a registered TrueType font."""
    register_fonts()
    return pdfmetrics.getFont(font_name).face.charToGlyph


def covers(font_name: str, ch: str) -> bool:
    """Tell whether the font has a real glyph (not .notdef) for ch."""
    return _cmap(font_name).get(ord(ch), 0) != 0


_PRESENTATION_FORMS = ((0xFB50, 0xFDFF), (0xFE70, 0xFEFF))


def logical_characters(ch: str) -> str:
    """The letter a drawn glyph stands for: an Arabic presentation form (what shaping draws) is its letter, so
    that a PDF's text is searched and copied as it was typed.

    A ligature (lam-alef) keeps its code point: readers decompose it themselves, in the right order, while two
    letters mapped to one glyph come out reversed by readers that reorder right-to-left text (pdfium).
    """
    cp = ord(ch)
    if any(lo <= cp <= hi for lo, hi in _PRESENTATION_FORMS):
        letters = unicodedata.normalize("NFKC", ch)
        return letters if len(letters) == 1 else ch
    return ch


def is_arabic(ch: str) -> bool:
    """Tell whether ch belongs to the Arabic script blocks."""
    cp = ord(ch)
    return any(lo <= cp <= hi for lo, hi in _ARABIC_RANGES)


def _is_neutral(ch: str) -> bool:
    """Tell whether ch has no script of its own (digits, spaces, marks, punctuation)."""
    return not is_arabic(ch) and unicodedata.category(ch)[0] in "MNPSZ"


@lru_cache(maxsize=1024)
def clean_text(s: str) -> str:
    """Normalise to NFC, drop control/format/bidi-override characters, collapse spaces."""
    if s.isascii() and s.isprintable() and "  " not in s:
        return s.strip()
    kept = []
    for ch in unicodedata.normalize("NFC", s):
        cat = unicodedata.category(ch)
        if cat in _WHITESPACE_CATEGORIES or ch in "\t\n\r\v\f":
            kept.append(" ")
        elif cat not in _DROPPED_CATEGORIES:
            kept.append(ch)
    return " ".join("".join(kept).split())


@lru_cache(maxsize=1024)
def visual_text(s: str, base_dir: str | None = None) -> str:
    """Return cleaned text with Arabic joined and every character in left-to-right drawing order."""
    s = clean_text(s)
    if all(ord(ch) < _RTL_START for ch in s):
        return s
    return get_display(_RESHAPER.reshape(s), base_dir=base_dir)


def base_direction(s: str) -> str:
    """Return 'R' if the first strongly directional character is right-to-left, else 'L'."""
    for ch in s:
        kind = unicodedata.bidirectional(ch)
        if kind in ("R", "AL"):
            return "R"
        if kind == "L":
            return "L"
    return "L"


@lru_cache(maxsize=16384)
def _strong_font(ch: str, fonts: FontStack) -> str | None:
    """Return the first font of the script-appropriate list that covers ch."""
    order = fonts.arabic if is_arabic(ch) else fonts.other
    return next((name for name in order if covers(name, ch)), None)


def _fonts_per_char(s: str, fonts: FontStack) -> list[str | None]:
    """Choose a font per character; neutrals follow their neighbours to avoid needless switches."""
    strong = [None if _is_neutral(ch) else _strong_font(ch, fonts) for ch in s]
    following: list[str | None] = [None] * len(s)
    upcoming: str | None = None
    for i in range(len(s) - 1, -1, -1):
        following[i] = upcoming
        upcoming = strong[i] or upcoming
    chosen: list[str | None] = []
    previous: str | None = None
    for ch, font, after in zip(s, strong, following, strict=False):
        if font is None:
            candidates = (previous, after) + fonts.other
            font = next((f for f in candidates if f and covers(f, ch)), None)
        else:
            previous = font
        chosen.append(font)
    return chosen


def font_runs(s: str, fonts: FontStack = REGULAR) -> list[tuple[str, str]]:
    """Split s into (font name, text) runs; characters no font covers are left out."""
    runs: list[tuple[str, str]] = []
    for ch, font in zip(s, _fonts_per_char(s, fonts), strict=False):
        if font is None:
            continue
        if runs and runs[-1][0] == font:
            runs[-1] = (font, runs[-1][1] + ch)
        else:
            runs.append((font, ch))
    return runs


@lru_cache(maxsize=None)
def _drawable(fonts: FontStack) -> frozenset[str]:
    """Return every character some font of the stack has a glyph for."""
    return frozenset(
        chr(cp) for name in set(fonts.arabic + fonts.other) for cp, gid in _cmap(name).items() if gid
    ) | {" "}


def uncovered(s: str, fonts: FontStack = REGULAR) -> str:
    """Return the distinct characters of s that no font of the stack can draw, in order."""
    drawable = _drawable(fonts)
    if drawable.issuperset(s):
        return ""
    return "".join(dict.fromkeys(ch for ch in s if ch not in drawable))


def strip_uncovered(s: str, fonts: FontStack = REGULAR) -> str:
    """Remove the characters no font of the stack covers, keeping word spacing tidy."""
    missing = set(uncovered(s, fonts))
    return " ".join("".join(ch for ch in s if ch not in missing).split())
