"""The printed programme: an A5 booklet of the published version, one section per day, in Arabic or English."""
from __future__ import annotations

import io
from datetime import datetime

from babel.dates import format_date, format_time
from flask_babel import force_locale
from flask_babel import gettext as _
from reportlab.lib.pagesizes import A5
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, PageBreak, SimpleDocTemplate, Spacer

from badges.text import BOLD, REGULAR, FontStack, font_runs, register_fonts, strip_uncovered, visual_text

from ..core.i18n import zone_label
from ..events.models import Conference
from .exports import clean, person_name, pick
from .models import INTERPRETATION_TITLES, KIND_TITLES, LANGUAGE_TITLES
from .snapshot import PublishedSession
from .versions import Published

MARGIN = 12 * mm
BRAND = (0.043, 0.431, 0.431)
MUTED = (0.34, 0.38, 0.45)


def _width(text: str, size: float, fonts: FontStack) -> float:
    return sum(stringWidth(run, font, size) for font, run in font_runs(visual_text(text), fonts))


def _wrap(text: str, width: float, size: float, fonts: FontStack) -> list[str]:
    """Lines (in logical order) no wider than `width`: wrapping happens before bidi reordering."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        current = ""
        for word in paragraph.split():
            candidate = f"{current} {word}".strip()
            if current and _width(candidate, size, fonts) > width:
                lines.append(current)
                current = word
            else:
                current = candidate
        if current:
            lines.append(current)
    return lines


class Line(Flowable):
    """One line of text, Arabic shaped and ordered, each run in a font that has its glyphs."""

    def __init__(self, text: str, size: float, rtl: bool, fonts: FontStack = REGULAR, colour=(0, 0, 0),
                 leading: float = 1.35) -> None:
        super().__init__()
        self.text, self.size, self.rtl, self.fonts, self.colour = text, size, rtl, fonts, colour
        self.height = size * leading

    def wrap(self, available_width, available_height):
        self.width = available_width
        return available_width, self.height

    def draw(self) -> None:
        runs = font_runs(visual_text(strip_uncovered(self.text, self.fonts), "R" if self.rtl else "L"), self.fonts)
        width = sum(stringWidth(run, font, self.size) for font, run in runs)
        x = self.width - width if self.rtl else 0
        self.canv.setFillColorRGB(*self.colour)
        for font, run in runs:
            self.canv.setFont(font, self.size)
            self.canv.drawString(x, self.size * 0.3, run)
            x += stringWidth(run, font, self.size)


class Rule(Flowable):
    """A thin line across the frame."""

    def wrap(self, available_width, available_height):
        self.width = available_width
        return available_width, 4

    def draw(self) -> None:
        self.canv.setStrokeColorRGB(*BRAND)
        self.canv.setLineWidth(0.8)
        self.canv.line(0, 2, self.width, 2)


def _lines(text: str, size: float, rtl: bool, width: float, fonts: FontStack = REGULAR, colour=(0, 0, 0)) -> list:
    return [Line(line, size, rtl, fonts, colour) for line in _wrap(clean(text), width, size, fonts)]


def programme_pdf(conference: Conference, agenda: Published, language: str) -> io.BytesIO:
    """The booklet as PDF bytes."""
    register_fonts()
    rtl = language == "ar"
    width = A5[0] - 2 * MARGIN
    tz = conference.tz
    out = io.BytesIO()
    name = pick(conference, "name", language)
    with force_locale(language):
        document = SimpleDocTemplate(out, pagesize=A5, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                                     bottomMargin=MARGIN, title=f"{name} · {_('Programme')}",
                                     author=name)
        story: list = []
        story += _lines(name, 17, rtl, width, BOLD, BRAND)
        venue = ("، " if rtl else ", ").join(
            p for p in (pick(conference, "venue", language), pick(conference, "city", language)) if p)
        if venue:
            story += _lines(venue, 10, rtl, width)
        story += _lines(_("Programme, version %(n)s", n=agenda.number), 10, rtl, width, colour=MUTED)

        story += _lines(_("All times are %(zone)s.", zone=zone_label(conference)), 9, rtl, width, colour=MUTED)
        for index, day in enumerate(conference.days):
            sessions = [s for s in agenda.sessions if s.starts_at.astimezone(tz).date() == day]
            if index:
                story.append(PageBreak())
            else:
                story.append(Spacer(1, 6 * mm))
            story += _lines(_("Day %(n)s", n=index + 1) + " · " + format_date(day, "full", locale=language), 13,
                            rtl, width, BOLD, BRAND)
            story.append(Rule())
            if not sessions:
                story += _lines(_("No sessions on this day."), 10, rtl, width, colour=MUTED)
            for session in sessions:
                story.append(CondPageBreak(30 * mm))
                story.append(KeepTogether(_session_block(session, conference, language, rtl, width)))
        document.build(story)
    out.seek(0)
    return out


def _session_block(session: PublishedSession, conference: Conference, language: str, rtl: bool,
                   width: float) -> list:
    tz = conference.tz
    start: datetime = session.starts_at.astimezone(tz)
    end: datetime = session.ends_at.astimezone(tz)
    times = f"{format_time(start, 'HH:mm', locale='en')}–{format_time(end, 'HH:mm', locale='en')}"
    facts = [times, pick(session.room, "name", language), str(KIND_TITLES.get(session.kind, ""))]
    block = [Spacer(1, 2.5 * mm)]
    block += _lines(pick(session, "title", language), 11.5, rtl, width, BOLD)
    block += _lines(" · ".join(f for f in facts if f), 9, rtl, width, colour=BRAND)
    if session.kind != "break":
        languages = str(LANGUAGE_TITLES.get(session.language, ""))
        if session.interpretation:
            languages += " · " + str(INTERPRETATION_TITLES[session.interpretation])
        block += _lines(languages, 8.5, rtl, width, colour=MUTED)
    if session.chair:
        block += _lines(_("Chair: %(name)s", name=person_name(session.chair, language)), 9, rtl, width)
    people = [person_name(p, language) for p in session.speakers]
    if people:
        block += _lines(_("Speakers: %(names)s", names=("، " if rtl else ", ").join(people)), 9, rtl, width)
    moderators = [person_name(p, language) for p in session.moderators]
    if moderators:
        block += _lines(_("Moderators: %(names)s", names=("، " if rtl else ", ").join(moderators)), 9, rtl, width)
    description = pick(session, "description", language)
    if description:
        block += _lines(description[:600], 8.5, rtl, width, colour=MUTED)
    return block
