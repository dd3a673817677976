"""The category band of a badge carries the category in English on one side and in Arabic on the other."""
from __future__ import annotations

import io
import unicodedata

import pypdfium2
import pytest

from badges import LAYOUTS
from badges.layouts import MM
from conference.accounts.models import Role
from conference.badging.services import badge_context, render_one
from conference.registration.models import Category
from tests.conftest import login

# The Arabic titles as the catalog has them (conference/translations/ar), written out so a wrong lookup shows.
ARABIC_TITLES = {
    Category.DELEGATE: "مشارك",
    Category.SPEAKER: "متحدث",
    Category.ORGANIZER: "منظِّم",
    Category.PRESS: "إعلام",
    Category.STAFF: "فريق العمل",
    Category.VIP: "كبار الشخصيات",
}
ENGLISH_TITLES = {Category.DELEGATE: "Delegate", Category.SPEAKER: "Speaker", Category.ORGANIZER: "Organizer",
                  Category.PRESS: "Press", Category.STAFF: "Staff", Category.VIP: "VIP"}


def letters(text: str) -> str:
    """Arabic as pdfium extracts it (presentation forms, maybe visual order) reduced to comparable letters."""
    folded = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in folded if unicodedata.category(ch).startswith("L"))


def band_text(pdf: bytes, slot: str, layout: str = "a6") -> str:
    """The text pdfium reads inside one category slot of the first badge on the first page."""
    design = LAYOUTS[layout].design
    x, y = LAYOUTS[layout].slots[0]
    box = getattr(design, slot).box
    page = pypdfium2.PdfDocument(pdf)[0]
    left, bottom = (x + box.x) * MM, (y + box.y) * MM
    return page.get_textpage().get_text_bounded(left, bottom, left + box.w * MM, bottom + box.h * MM)


def same_letters(found: str, expected: str) -> bool:
    """True when `found` spells `expected`, in logical or in visual (reversed) order."""
    return letters(found) in (letters(expected), letters(expected)[::-1])


@pytest.mark.parametrize("category", list(Category), ids=[c.value for c in Category])
def test_context_has_each_category_in_english_and_arabic(app, doha, category):
    english, arabic = badge_context(doha).categories[category]
    assert (english, arabic) == (ENGLISH_TITLES[category], ARABIC_TITLES[category])


@pytest.mark.parametrize("page_language", ["en", "ar"])
def test_context_does_not_depend_on_the_page_language(app, doha, page_language):
    with app.test_request_context(f"/?lang={page_language}"):
        english, arabic = badge_context(doha).categories[Category.ORGANIZER]
    assert (english, arabic) == ("Organizer", "منظِّم")


@pytest.mark.parametrize("category", [Category.DELEGATE, Category.ORGANIZER, Category.VIP],
                         ids=["delegate", "organizer", "vip"])
def test_band_prints_arabic_title_read_back_from_pdf(app, doha, make_delegate, category):
    delegate = make_delegate(doha, name="Charlotte Evans", country="GB", category=category.value)
    stream = io.BytesIO()
    render_one(delegate, doha, "a6", stream)
    pdf = stream.getvalue()
    assert same_letters(band_text(pdf, "category_ar"), ARABIC_TITLES[category])
    assert letters(band_text(pdf, "category_en")) == letters(ENGLISH_TITLES[category])


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_downloaded_badge_band_is_bilingual_in_either_page_language(client, doha, make_user, make_delegate, lang):
    delegate = make_delegate(doha, name="Charlotte Evans", country="GB", category="organizer")
    login(client, make_user("boss@example.org", Role.ORGANIZER, doha))
    response = client.get(f"/doha/manage/delegates/{delegate.id}/badge.pdf?layout=a6&lang={lang}")
    assert response.status_code == 200
    assert same_letters(band_text(response.data, "category_ar"), "منظِّم")
    assert letters(band_text(response.data, "category_en")) == "Organizer"


def test_batch_from_the_badges_page_prints_arabic_bands(client, doha, make_user, make_delegate):
    make_delegate(doha, name="Charlotte Evans", country="GB", category="press")
    login(client, make_user("boss@example.org", Role.ORGANIZER, doha))
    response = client.get("/doha/manage/badges.pdf?layout=a6&lang=en")
    assert same_letters(band_text(response.data, "category_ar"), "إعلام")
    assert letters(band_text(response.data, "category_en")) == "Press"


def test_badges_command_prints_arabic_bands(runner, doha, make_delegate, tmp_path):
    make_delegate(doha, name="Charlotte Evans", country="GB", category="speaker")
    out = tmp_path / "badges.pdf"
    result = runner.invoke(args=["badges", "doha", "--out", str(out), "--layout", "a6"])
    assert result.exit_code == 0, result.output
    assert same_letters(band_text(out.read_bytes(), "category_ar"), "متحدث")
    assert letters(band_text(out.read_bytes(), "category_en")) == "Speaker"
