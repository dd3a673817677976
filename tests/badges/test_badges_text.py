"""Arabic shaping, bidi order, cleaning and per-character font fallback."""
from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from reportlab.pdfbase import pdfmetrics

from badges.metrics import measure
from badges.text import (
    BOLD,
    FONT_DIR,
    FONT_FILES,
    RELATIVE_SIZE,
    clean_text,
    font_runs,
    register_fonts,
    strip_uncovered,
    uncovered,
    visual_text,
)


def _presentation_forms(s: str) -> int:
    """Count Arabic presentation-form characters."""
    return sum(1 for ch in s if 0xFB50 <= ord(ch) <= 0xFDFF or 0xFE70 <= ord(ch) <= 0xFEFF)


def _base_letters(s: str) -> str:
    """Map presentation forms back to their base letters (NFKC)."""
    return unicodedata.normalize("NFKC", s)


def test_register_fonts_is_idempotent_and_registers_shipped_files() -> None:
    names = register_fonts()
    assert register_fonts() == names
    assert set(names) == {"Amiri", "Amiri-Bold", "DejaVuSans", "DejaVuSans-Bold"}
    for name in names:
        assert pdfmetrics.getFont(name).face.charToGlyph
        assert (FONT_DIR / FONT_FILES[name]).is_file()


def test_fonts_ship_with_their_licences() -> None:
    assert "SIL OPEN FONT LICENSE" in (FONT_DIR / "Amiri-LICENSE.txt").read_text()
    assert "Bitstream" in (FONT_DIR / "DejaVu-LICENSE.txt").read_text()
    assert sorted(p.name for p in Path(FONT_DIR).glob("*.ttf")) == sorted(FONT_FILES.values())


@pytest.mark.parametrize("text", ["حمد بن سيف الحوسني", "وزارة التنمية الاجتماعية"])
def test_arabic_is_joined_and_reversed(text: str) -> None:
    shown = visual_text(text)
    assert _presentation_forms(shown) >= len(text.replace(" ", "")) - 2  # lam-alef may fuse two letters
    words = text.split(" ")
    shown_words = shown.split(" ")
    assert len(shown_words) == len(words)
    # Visual order: the last logical word comes first, and each word's letters are reversed.
    assert [_base_letters(w[::-1]) for w in reversed(shown_words)] == words


def test_lam_alef_ligature() -> None:
    assert "\ufefb" in visual_text("الاجتماعية") or "\ufefc" in visual_text("الاجتماعية")


def test_digits_in_arabic_keep_left_to_right_order() -> None:
    shown = visual_text("المؤتمر 2027 الدولي")
    assert "2027" in shown
    assert shown.index("2027") > 0
    assert "٢٠٢٧" in visual_text("مؤتمر ٢٠٢٧")


def test_mixed_latin_arabic_line_keeps_latin_first() -> None:
    shown = visual_text("Ahmed أحمد 42")
    assert shown.startswith("Ahmed ")
    assert "42" in shown


def test_latin_is_unchanged() -> None:
    assert visual_text("Maria Fernández") == "Maria Fernández"


def test_clean_text_drops_bidi_controls_and_format_characters() -> None:
    dirty = "\u202eAli\u202c\u200f \u2066Hassan\u2069\u200b\u00ad\tX\n"
    assert clean_text(dirty) == "Ali Hassan X"
    assert clean_text("   ") == ""
    assert clean_text("e\u0301") == "é"  # NFC


def test_combining_marks_do_not_crash() -> None:
    for text in ("e\u0301\u0302\u0303", "\u0301\u0301", "ب\u064e\u0651", "a\u20dd"):
        shown = visual_text(text)
        runs = font_runs(shown)
        assert all(font and chunk for font, chunk in runs)
        measure(tuple(runs))


def test_font_fallback_per_character() -> None:
    runs = font_runs(visual_text("Иван أحمد Γιώργος"))
    fonts = {font for font, chunk in runs for ch in chunk if not ch.isspace()}
    assert fonts == {"DejaVuSans", "Amiri"}
    for font, chunk in runs:
        for ch in chunk:
            if "\u0600" <= ch <= "\u06ff" or "\ufb50" <= ch <= "\ufeff":
                assert font == "Amiri"
            elif ch.isalpha():
                assert font == "DejaVuSans"


def test_bold_stack_uses_bold_fonts() -> None:
    assert {f for f, _ in font_runs(visual_text("Ann حمد"), BOLD)} == {"DejaVuSans-Bold", "Amiri-Bold"}


def test_uncovered_characters_are_reported_and_never_drawn() -> None:
    text = "李 Bruce 🦄"
    assert uncovered(text) == "李🦄"
    assert "".join(chunk for _, chunk in font_runs(text)) == " Bruce "
    assert strip_uncovered(text) == "Bruce"
    assert uncovered("Zoë Ωmega Дом عُمان") == ""


def test_width_matches_reportlab_string_width() -> None:
    runs = tuple(font_runs(visual_text("Hamad حمد بن سيف 42"), BOLD))
    expected = sum(pdfmetrics.stringWidth(chunk, font, RELATIVE_SIZE.get(font, 1)) for font, chunk in runs)
    assert measure(runs).advance == pytest.approx(expected)
