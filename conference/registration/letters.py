"""The visa invitation letter: a one-page PDF with an Arabic and English letterhead."""
from __future__ import annotations

import io
from datetime import datetime

from babel.dates import format_date
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from badges.text import BOLD, REGULAR, FontStack, font_runs, register_fonts, strip_uncovered, visual_text

from ..core.countries import country_name
from ..events.models import Conference
from .models import Delegate

MARGIN = 20 * mm
WIDTH, HEIGHT = A4
BRAND = (0.043, 0.431, 0.431)


def text_width(text: str, size: float, fonts: FontStack = REGULAR) -> float:
    """Printed width of `text` (logical order) at `size` points."""
    return sum(stringWidth(run, font, size) for font, run in font_runs(visual_text(text), fonts))


def draw_text(canvas: Canvas, text: str, x: float, y: float, size: float, align: str = "left",
              fonts: FontStack = REGULAR) -> None:
    """Draw one line with Arabic shaped and ordered, each run in a font that has its glyphs."""
    runs = font_runs(visual_text(strip_uncovered(text, fonts)), fonts)
    width = sum(stringWidth(run, font, size) for font, run in runs)
    start = {"left": x, "right": x - width, "center": x - width / 2}[align]
    for font, run in runs:
        canvas.setFont(font, size)
        canvas.drawString(start, y, run)
        start += stringWidth(run, font, size)


def wrap(text: str, width: float, size: float) -> list[str]:
    """Split a paragraph (logical order) into lines no wider than `width`."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if current and text_width(candidate, size) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    return lines + ([current] if current else [])


def _paragraph(canvas: Canvas, text: str, y: float, size: float, rtl: bool) -> float:
    """Draw a wrapped paragraph; returns the y below it."""
    for line in wrap(text, WIDTH - 2 * MARGIN, size):
        draw_text(canvas, line, WIDTH - MARGIN if rtl else MARGIN, y, size, "right" if rtl else "left")
        y -= size * 1.6
    return y - size * 0.8


def _letterhead(canvas: Canvas, conference: Conference) -> float:
    top = HEIGHT - MARGIN
    draw_text(canvas, conference.name_en, MARGIN, top, 13, fonts=BOLD)
    draw_text(canvas, conference.name_ar or conference.name_en, WIDTH - MARGIN, top, 15, "right", fonts=BOLD)
    place_en = ", ".join(p for p in (conference.venue_en, conference.city_en) if p)
    place_ar = "، ".join(p for p in (conference.venue_ar, conference.city_ar) if p)
    draw_text(canvas, place_en, MARGIN, top - 16, 9)
    draw_text(canvas, place_ar, WIDTH - MARGIN, top - 16, 10, "right")
    canvas.setStrokeColorRGB(*BRAND)
    canvas.setLineWidth(1.5)
    canvas.line(MARGIN, top - 26, WIDTH - MARGIN, top - 26)
    return top - 60


def _texts(delegate: Delegate, conference: Conference) -> tuple[str, str]:
    def dates(locale: str) -> str:
        return f"{format_date(conference.start_date, 'long', locale=locale)} – " \
               f"{format_date(conference.end_date, 'long', locale=locale)}"

    english = (
        f"This letter confirms that {delegate.passport_name}, "
        f"a national of {country_name(delegate.nationality, 'en')}, "
        f"holder of passport number {delegate.passport_number}, is registered and invited to attend the "
        f"{conference.name_en}, held in {conference.city_en or conference.venue_en} "
        f"({country_name(conference.country, 'en')}) from {dates('en')}. "
        f"The participant's organization is {delegate.organization or '—'}. "
        "We kindly ask the competent authorities to grant the necessary entry visa."
    )
    arabic = (
        f"نفيد بأن {delegate.passport_name}، من مواطني {country_name(delegate.nationality, 'ar')}، "
        f"وحامل جواز السفر رقم {delegate.passport_number}، مسجل ومدعو لحضور {conference.name_ar or conference.name_en} "
        f"المنعقد في {conference.city_ar or conference.city_en} ({country_name(conference.country, 'ar')}) "
        f"خلال الفترة {dates('ar')}. جهة عمل المشارك: {delegate.organization or '—'}. "
        "نرجو من الجهات المختصة التكرم بمنحه تأشيرة الدخول اللازمة."
    )
    return english, arabic


def visa_letter_pdf(delegate: Delegate, conference: Conference, today: datetime | None = None) -> io.BytesIO:
    """The letter as a PDF in memory, ready to send."""
    register_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1)
    canvas.setTitle(f"Visa invitation letter {delegate.visa_letter_ref}")
    y = _letterhead(canvas, conference)
    issued = delegate.visa_letter_issued_at or today
    issued = conference.local_date(issued) if issued else None
    draw_text(canvas, f"Ref.: {delegate.visa_letter_ref}", MARGIN, y, 10)
    draw_text(canvas, f"الرقم المرجعي: {delegate.visa_letter_ref}", WIDTH - MARGIN, y, 11, "right")
    if issued:
        draw_text(canvas, format_date(issued, "long", locale="en"), MARGIN, y - 14, 10)
        draw_text(canvas, format_date(issued, "long", locale="ar"), WIDTH - MARGIN, y - 14, 11, "right")
    y -= 50
    draw_text(canvas, "VISA INVITATION LETTER", MARGIN, y, 14, fonts=BOLD)
    draw_text(canvas, "خطاب دعوة لغرض التأشيرة", WIDTH - MARGIN, y, 15, "right", fonts=BOLD)
    y -= 34
    english, arabic = _texts(delegate, conference)
    draw_text(canvas, "To whom it may concern,", MARGIN, y, 11)
    y = _paragraph(canvas, english, y - 20, 11, rtl=False)
    draw_text(canvas, "إلى من يهمه الأمر،", WIDTH - MARGIN, y, 12, "right")
    y = _paragraph(canvas, arabic, y - 22, 12, rtl=True)
    y -= 20
    details = [
        ("Name in passport", "الاسم في جواز السفر", delegate.passport_name),
        (
            "Nationality",
            "الجنسية",
            f"{country_name(delegate.nationality, 'en')} / {country_name(delegate.nationality, 'ar')}",
        ),
        ("Passport number", "رقم جواز السفر", delegate.passport_number),
        (
            "Passport expiry",
            "تاريخ انتهاء الجواز",
            delegate.passport_expiry.isoformat() if delegate.passport_expiry else "",
        ),
        ("Registration code", "رمز التسجيل", delegate.code),
    ]
    for english_label, arabic_label, value in details:
        draw_text(canvas, english_label, MARGIN, y, 10, fonts=BOLD)
        draw_text(canvas, arabic_label, WIDTH - MARGIN, y, 11, "right", fonts=BOLD)
        draw_text(canvas, value, WIDTH / 2, y, 10, "center")
        y -= 18
    canvas.showPage()
    canvas.save()
    buffer.seek(0)
    return buffer
