"""Fixtures for the badges library tests: records in many scripts, rendering and rasterizing."""
from __future__ import annotations

import io
import random
import sys
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pypdfium2 as pdfium
import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from badges import BadgeRecord, RenderResult, render_badges  # noqa: E402
from tests.pdfcheck import assert_clean_pdf  # noqa: E402

BASE = BadgeRecord(
    name="Hamad bin Saif Al Hosni",
    name_other="حمد بن سيف الحوسني",
    name_latin="Hamad bin Saif Al Hosni",
    organization="وزارة التنمية الاجتماعية",
    country_en="Oman",
    country_ar="عُمان",
    category_en="Delegate",
    category_ar="مندوب",
    category_color="#16a34a",
    code="OM-0001",
    token="0" * 39,
    conference_en="International Conference on Social Development 2027",
    conference_ar="المؤتمر الدولي للتنمية الاجتماعية ٢٠٢٧",
    dates="23–24 May 2027",
)

LONG_NAME = ("Maximiliana Alexandrina Konstantinopoulou-Vanderbilt de la Cruz y Montenegro "
             "Fitzgerald-Oyelaran Abernathy Wolfeschlegel")[:120]

NAMES = [
    ("حمد بن سيف الحوسني", "Hamad bin Saif Al Hosni", "Hamad bin Saif Al Hosni"),
    ("Maria Fernández", "ماريا فرنانديز", "Maria Fernandez"),
    ("أحمد Ahmed 2027 الكندي", "", "Ahmed Al Kindi"),
    ("Дмитрий Сергеевич Иванов", "", "Dmitry Ivanov"),
    ("Γιώργος Παπαδόπουλος", "", "Giorgos Papadopoulos"),
    (LONG_NAME, "", ""),
    ("李小龙", "Bruce Lee", "Bruce Lee"),
    ("Zoë 🦄 Smith", "", ""),
    ("\u202eRTL override\u202c name", "", ""),
    ("   ", "", "Blank Name"),
]


def make_token(rng: random.Random) -> str:
    """Return a random 39-digit token."""
    return "".join(rng.choice("0123456789") for _ in range(39))


@pytest.fixture
def base_record() -> BadgeRecord:
    """A plain, valid record."""
    return BASE


@pytest.fixture
def records() -> list[BadgeRecord]:
    """Records covering Arabic, Latin, mixed, Cyrillic, Greek, a 120-char name, CJK, emoji, blanks."""
    rng = random.Random(42)
    out = []
    for i, (name, other, latin) in enumerate(NAMES):
        out.append(replace(
            BASE, name=name, name_other=other, name_latin=latin, code=f"OM-{i + 1:04d}",
            token=make_token(rng), reissue=2 if i == 1 else 1,
            organization="Ministry of Social Development and Family Affairs" if i % 2 else BASE.organization,
        ))
    return out


@pytest.fixture
def render() -> Callable[..., tuple[bytes, RenderResult]]:
    """Render records in a layout (checked by qpdf); return the PDF bytes and the result."""
    def _render(items: list[BadgeRecord], layout: str, **kwargs: object) -> tuple[bytes, RenderResult]:
        out = io.BytesIO()
        result = render_badges(items, layout, out, **kwargs)
        if result.count:
            assert_clean_pdf(out.getvalue())
        return out.getvalue(), result
    return _render


@pytest.fixture
def open_pdf() -> Iterator[Callable[[bytes], pdfium.PdfDocument]]:
    """Open PDF bytes with pdfium, closing the document at teardown."""
    docs: list[pdfium.PdfDocument] = []

    def _open(data: bytes) -> pdfium.PdfDocument:
        doc = pdfium.PdfDocument(data)
        docs.append(doc)
        return doc
    yield _open
    for doc in docs:
        doc.close()
