"""Text fitting: shrink, then wrap, then truncate, and never leave the box."""
from __future__ import annotations

import random
import unicodedata

import pytest

from badges.fit import Fitted, Style, fit_text
from badges.layouts import Box
from badges.metrics import measure
from badges.text import BOLD, ELLIPSIS, REGULAR

BOX = Box(10, 20, 280, 60)
NAME = Style(BOLD, size=28, min_size=14, lines=2)


def _ink_boxes(fitted: Fitted) -> list[tuple[float, float, float, float]]:
    """Return each line's ink box in points."""
    boxes = []
    for line in fitted.lines:
        ext = measure(line.runs)
        s = fitted.size
        boxes.append((line.x + ext.left * s, line.y + ext.bottom * s, line.x + ext.right * s, line.y + ext.top * s))
    return boxes


def _assert_inside(fitted: Fitted, box: Box) -> None:
    """Every line's ink lies in the box and lines do not overlap."""
    eps = 1e-6
    boxes = _ink_boxes(fitted)
    for x0, y0, x1, y1 in boxes:
        assert box.x - eps <= x0 and x1 <= box.right + eps
        assert box.y - eps <= y0 and y1 <= box.top + eps
    for upper, lower in zip(boxes, boxes[1:], strict=False):
        assert lower[3] <= upper[1] + eps


def _text(fitted: Fitted) -> str:
    """All drawn characters, line by line."""
    return "\n".join("".join(chunk for _, chunk in line.runs) for line in fitted.lines)


def test_short_name_keeps_nominal_size() -> None:
    fitted = fit_text("Ann Lee", BOX, NAME)
    assert fitted.size == 28 and len(fitted.lines) == 1 and not fitted.truncated
    _assert_inside(fitted, BOX)


def test_longer_name_shrinks_before_wrapping() -> None:
    fitted = fit_text("Maria Alejandra Fernández", BOX, NAME)
    assert 14 <= fitted.size < 28 and len(fitted.lines) == 1
    _assert_inside(fitted, BOX)


def test_long_name_wraps_to_two_lines_at_word_boundary() -> None:
    text = "Maria Alejandra Fernández de la Cruz Montenegro"
    fitted = fit_text(text, BOX, NAME)
    assert len(fitted.lines) == 2 and fitted.size >= 14 and not fitted.truncated
    assert _text(fitted).replace("\n", " ") == text
    _assert_inside(fitted, BOX)


def test_very_long_name_is_truncated_with_ellipsis() -> None:
    text = " ".join(["Konstantinopoulou"] * 10)
    fitted = fit_text(text, BOX, NAME)
    assert len(fitted.lines) == 2 and fitted.truncated
    assert _text(fitted).endswith(ELLIPSIS)
    assert fitted.size == pytest.approx(14)
    _assert_inside(fitted, BOX)


def test_one_huge_word_is_broken() -> None:
    fitted = fit_text("W" * 80, BOX, NAME)
    lines = _text(fitted).split("\n")
    assert len(lines) == 2 and lines[0].startswith("WWW") and lines[1].endswith(ELLIPSIS)
    _assert_inside(fitted, BOX)


def test_arabic_wraps_in_logical_order() -> None:
    text = "عبدالرحمن بن عبدالعزيز بن محمد بن عبدالله آل الحوسني البلوشي الكندي"
    fitted = fit_text(text, Box(0, 0, 150, 60), NAME)
    assert len(fitted.lines) == 2
    first = unicodedata.normalize("NFKC", "".join(c for _, c in fitted.lines[0].runs))
    assert first.endswith("نمحرلادبع")  # the first logical word sits at the right end of line one
    _assert_inside(fitted, Box(0, 0, 150, 60))


def test_single_line_slot_truncates() -> None:
    style = Style(REGULAR, size=10, min_size=8, lines=1)
    fitted = fit_text("Ministry of Social Development and Family Affairs of the Republic", Box(0, 0, 100, 20), style)
    assert len(fitted.lines) == 1 and fitted.truncated and _text(fitted).endswith(ELLIPSIS)


def test_empty_text_has_no_lines() -> None:
    assert fit_text("  \u200b ", BOX, NAME).lines == ()


@pytest.mark.parametrize("align", ["left", "center", "right"])
def test_alignment(align: str) -> None:
    style = Style(REGULAR, size=12, min_size=8, align=align)
    ink = _ink_boxes(fit_text("Speaker", BOX, style))[0]
    expected = {"left": ink[0] - BOX.x, "right": BOX.right - ink[2],
                "center": (ink[0] - BOX.x) - (BOX.right - ink[2])}
    assert expected[align] == pytest.approx(0, abs=1e-6)


def test_random_texts_never_leave_their_box() -> None:
    rng = random.Random(5)
    alphabet = "abcdefghij ABCDEFG Дмитрий Γιώργος حمد بن سيف الحوسني ÅÉÎõ ,.-'0123456789 " + "ـيلاق"
    for _ in range(150):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 130)))
        box = Box(0, 0, rng.uniform(40, 260), rng.uniform(12, 70))
        style = Style(rng.choice([BOLD, REGULAR]), size=rng.uniform(10, 30), min_size=rng.uniform(5, 9),
                      lines=rng.choice([1, 2]), align=rng.choice(["left", "center", "right"]))
        _assert_inside(fit_text(text, box, style), box)
