"""Arabic and English: direction, translated strings, the language switch, locale formats."""
from __future__ import annotations

from datetime import date

import pytest

from conference.core.i18n import choose_language


def test_arabic_pages_run_right_to_left(client):
    html = client.get("/?lang=ar").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in html
    assert "المؤتمرات" in html and "تسجيل الدخول" in html


def test_english_pages_run_left_to_right(client):
    html = client.get("/?lang=en").get_data(as_text=True)
    assert '<html lang="en" dir="ltr">' in html
    assert "Conferences" in html


def test_language_choice_is_remembered(client):
    client.get("/?lang=ar")
    assert 'lang="ar"' in client.get("/login").get_data(as_text=True)
    client.get("/login?lang=en")
    assert 'lang="en"' in client.get("/").get_data(as_text=True)


def test_default_language_from_browser(client):
    html = client.get("/", headers={"Accept-Language": "ar-QA,ar;q=0.9,en;q=0.5"}).get_data(as_text=True)
    assert 'dir="rtl"' in html
    html = client.get("/", headers={"Accept-Language": "fr-FR"}).get_data(as_text=True)
    assert 'lang="en"' in html


def test_unknown_language_is_ignored(client):
    assert 'lang="en"' in client.get("/?lang=xx").get_data(as_text=True)


def test_dates_are_formatted_for_the_locale(app):
    from flask_babel import force_locale

    from conference.core.i18n import date_range, fmt_number

    with app.test_request_context(), force_locale("ar"):
        text = date_range(date(2027, 5, 23), date(2027, 5, 24))
        assert "مايو" in text
        assert fmt_number(1234) in {"1,234", "١٬٢٣٤"}
    with app.test_request_context(), force_locale("en"):
        assert date_range(date(2027, 5, 23), date(2027, 5, 24)) == "May 23\u2009\u2013\u200924, 2027"


def test_form_errors_are_translated(client):
    html = client.post("/login?lang=ar", data={}).get_data(as_text=True)
    assert "انتهت صلاحية هذا النموذج" in html


def test_catalog_has_no_untranslated_strings():
    from pathlib import Path

    from babel.messages.pofile import read_po

    path = Path(__file__).resolve().parents[2] / "conference/translations/ar/LC_MESSAGES/messages.po"
    catalog = read_po(path.open("rb"))
    missing = [m.id for m in catalog if m.id and not (m.string if isinstance(m.string, str) else all(m.string))]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert missing == [] and fuzzy == []


@pytest.mark.parametrize("chosen, header, expected", [
    (None, "ar-QA,ar;q=0.9,en;q=0.8", "ar"), (None, "en-GB,en;q=0.9", "en"), (None, "fr, ar;q=0.5", "ar"),
    (None, "", "en"), (None, None, "en"), (None, ";;q=x,%%%", "en"), ("en", "ar", "en"), ("xx", "ar", "ar")])
def test_the_language_is_the_chosen_one_else_the_browsers_preference(chosen, header, expected):
    assert choose_language(("en", "ar"), chosen, header) == expected
    assert choose_language(["en", "ar"], chosen, header) == expected  # a list in the settings works as well
