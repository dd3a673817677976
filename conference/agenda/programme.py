"""The printed programme: an A5 booklet of the published version, in Arabic or English.

Each day opens with an overview grid (rooms × start times), then its sessions; a speaker index with page numbers
closes the booklet. Every page has a running header (conference, day) and its number. Each paragraph is laid out
in its own direction (an Arabic title in the English edition runs right to left), Arabic is drawn shaped by the
badges' text engine and kept searchable as letters (badges.searchable), and every font is embedded.
"""
from __future__ import annotations

import io
from datetime import date, datetime

from babel.dates import format_date, format_time
from flask_babel import force_locale
from flask_babel import gettext as _
from reportlab.lib.pagesizes import A5
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    PageBreak,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from badges.searchable import searchable_pdf
from badges.text import (
    BOLD,
    REGULAR,
    RELATIVE_SIZE,
    FontStack,
    base_direction,
    font_runs,
    register_fonts,
    strip_uncovered,
    visual_text,
)

from ..core.i18n import zone_label
from ..events.models import Conference
from .exports import clean, person_name, pick
from .models import INTERPRETATION_TITLES, KIND_TITLES, LANGUAGE_TITLES
from .snapshot import PublishedPerson, PublishedSession
from .versions import Published

MARGIN = 12 * mm
HEADER = 7 * mm  # the running header's band above the text, and the page number's below it
BRAND = (0.043, 0.431, 0.431)
MUTED = (0.34, 0.38, 0.45)
GRID_LINE = (0.8, 0.83, 0.87)
EVERYONE = ("break", "ceremony")


def _runs(text: str, size: float, fonts: FontStack, rtl: bool) -> list[tuple[str, str, float]]:
    """(font, visual text, size) runs of one line; Arabic a little larger, as on badges (RELATIVE_SIZE)."""
    ordered = visual_text(strip_uncovered(text, fonts), "R" if rtl else "L")
    return [(font, run, size * RELATIVE_SIZE.get(font, 1.0)) for font, run in font_runs(ordered, fonts)]


def _width(text: str, size: float, fonts: FontStack, rtl: bool = False) -> float:
    return sum(stringWidth(run, font, run_size) for font, run, run_size in _runs(text, size, fonts, rtl))


def draw_line(canvas, text: str, size: float, fonts: FontStack, x: float, y: float, width: float,
              rtl: bool, colour=(0, 0, 0)) -> None:
    """One line at baseline `y` in a box from `x` of `width`: left-aligned, or right-aligned when `rtl`."""
    runs = _runs(text, size, fonts, rtl)
    total = sum(stringWidth(run, font, run_size) for font, run, run_size in runs)
    left = x + width - total if rtl else x
    canvas.setFillColorRGB(*colour)
    for font, run, run_size in runs:
        canvas.setFont(font, run_size)
        canvas.drawString(left, y, run)
        left += stringWidth(run, font, run_size)


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
    """One line of text, Arabic shaped and ordered, in its paragraph's direction, each run in a font that has it."""

    def __init__(self, text: str, size: float, rtl: bool, fonts: FontStack = REGULAR, colour=(0, 0, 0),
                 leading: float = 1.35) -> None:
        super().__init__()
        self.text, self.size, self.rtl, self.fonts, self.colour = text, size, rtl, fonts, colour
        self.height = size * leading

    def wrap(self, available_width, available_height):
        self.width = available_width
        return available_width, self.height

    def draw(self) -> None:
        draw_line(self.canv, self.text, self.size, self.fonts, 0, self.size * 0.3, self.width, self.rtl, self.colour)


class Rule(Flowable):
    """A thin line across the frame."""

    def wrap(self, available_width, available_height):
        self.width = available_width
        return available_width, 4

    def draw(self) -> None:
        self.canv.setStrokeColorRGB(*BRAND)
        self.canv.setLineWidth(0.8)
        self.canv.line(0, 2, self.width, 2)


class Mark(Flowable):
    """Nothing to draw: tells the document where a day begins or a session is (for the header and the index)."""

    def __init__(self, day_label: str | None = None, session_id: int | None = None) -> None:
        super().__init__()
        self.day_label, self.session_id = day_label, session_id

    def wrap(self, available_width, available_height):
        return 0, 0

    def draw(self) -> None:
        pass


def _lines(text: str, size: float, page_rtl: bool, width: float, fonts: FontStack = REGULAR,
           colour=(0, 0, 0)) -> list:
    """A paragraph as lines, laid out in its own direction (its first strong letter; the page's when none)."""
    lines = []
    for paragraph in clean(text).split("\n"):
        rtl = _direction(paragraph, page_rtl)
        lines += [Line(line, size, rtl, fonts, colour) for line in _wrap(paragraph, width, size, fonts)]
    return lines


def _direction(text: str, page_rtl: bool) -> bool:
    """True when the paragraph runs right to left (Unicode bidi rules P2 and P3; no strong letter: the page's)."""
    if not any(ch.isalpha() for ch in text):
        return page_rtl
    return base_direction(text) == "R"


class Booklet(SimpleDocTemplate):
    """The document: records on which page each session lies, and draws the running header and page number."""

    def __init__(self, out, conference_name: str, rtl: bool, **options) -> None:
        super().__init__(out, **options)
        self.conference_name, self.rtl = conference_name, rtl
        self.day_label = ""
        self.session_pages: dict[int, int] = {}

    def afterFlowable(self, flowable) -> None:
        if isinstance(flowable, Mark):
            if flowable.day_label:
                self.day_label = flowable.day_label
            if flowable.session_id is not None:
                self.session_pages.setdefault(flowable.session_id, self.page)

    def afterPage(self) -> None:
        canvas, width = self.canv, self.width
        top = self.pagesize[1] - MARGIN + HEADER * 0.45
        first, second = (self.day_label, self.conference_name) if self.rtl else (self.conference_name, self.day_label)
        if self.page > 1:
            draw_line(canvas, second, 7, REGULAR, MARGIN, top, width, True, MUTED)
            draw_line(canvas, first, 7, REGULAR, MARGIN, top, width / 2, False, MUTED)
        number = str(self.page)
        canvas.setFillColorRGB(*MUTED)
        canvas.setFont("DejaVuSans", 8)
        canvas.drawCentredString(self.pagesize[0] / 2, MARGIN - HEADER * 0.6, number)


def programme_pdf(conference: Conference, agenda: Published, language: str) -> io.BytesIO:
    """The booklet as PDF bytes: built twice, the second time with the speaker index's page numbers."""
    register_fonts()
    with force_locale(language):
        pages: dict[int, int] = {}
        for _pass in range(2):
            out = io.BytesIO()
            pages = _build(conference, agenda, language, out, pages)
    return io.BytesIO(searchable_pdf(out.getvalue()))


def _build(conference: Conference, agenda: Published, language: str, out: io.BytesIO,
           pages: dict[int, int]) -> dict[int, int]:
    rtl = language == "ar"
    name = pick(conference, "name", language)
    document = Booklet(out, name, rtl, pagesize=A5, leftMargin=MARGIN, rightMargin=MARGIN,
                       topMargin=MARGIN + HEADER * 0.3, bottomMargin=MARGIN, title=f"{name} · {_('Programme')}",
                       author=name, lang=language, initialFontName="DejaVuSans")  # no unembedded Helvetica
    width = document.width
    story: list = [Mark(day_label="")]
    story += _lines(name, 16, rtl, width, BOLD, BRAND)
    venue = ("، " if rtl else ", ").join(
        p for p in (pick(conference, "venue", language), pick(conference, "city", language)) if p)
    if venue:
        story += _lines(venue, 10, rtl, width)
    story += _lines(_("Programme, version %(n)s", n=agenda.number), 10, rtl, width, colour=MUTED)
    story += _lines(_("All times are %(zone)s.", zone=zone_label(conference)), 9, rtl, width, colour=MUTED)
    for index, day in enumerate(conference.days):
        sessions = [s for s in agenda.sessions if s.starts_at.astimezone(conference.tz).date() == day]
        story += [PageBreak()] if index else [Spacer(1, 5 * mm)]
        label = _("Day %(n)s", n=index + 1) + " · " + format_date(day, "full", locale=language)
        story.append(Mark(day_label=label))
        story += _lines(label, 13, rtl, width, BOLD, BRAND)
        story.append(Rule())
        if not sessions:
            story += _lines(_("No sessions on this day."), 10, rtl, width, colour=MUTED)
            continue
        story.append(_overview(conference, agenda, day, sessions, language, width))
        for session in sessions:
            story.append(CondPageBreak(30 * mm))
            story.append(KeepTogether(_session_block(session, conference, language, rtl, width)))
    story += _speaker_index(agenda, language, rtl, width, pages)
    document.build(story)
    return document.session_pages


def _clock(moment: datetime, conference: Conference) -> str:
    return format_time(moment.astimezone(conference.tz), "HH:mm", locale="en")


def _overview(conference: Conference, agenda: Published, day: date, sessions: list[PublishedSession],
              language: str, width: float) -> Table:
    """The day at a glance: a row per start time, a column per room; sessions for everyone span the rooms."""
    rtl = language == "ar"
    rooms = [room for room in agenda.rooms if any(s.room_id == room.id for s in sessions)]
    starts = sorted({s.starts_at for s in sessions})
    time_width = 12 * mm
    room_width = (width - time_width) / max(len(rooms), 1)
    size = 6.3

    def cell(text: str, cell_width: float, fonts: FontStack = REGULAR, colour=(0, 0, 0)) -> list:
        return _lines(text, size, rtl, cell_width - 4, fonts, colour)[:3]

    header = [cell(pick(room, "name", language), room_width, BOLD, BRAND) for room in rooms]
    rows = [[cell("", time_width)] + header]
    everyone_rows = []
    first_room = len(rooms) if rtl else 1  # a spanning cell's text goes in its first cell, which the row reversal moves
    for start in starts:
        row = [cell(_clock(start, conference), time_width, colour=MUTED)] + [[] for _ in rooms]
        for session in (s for s in sessions if s.starts_at == start):
            column = next((i for i, room in enumerate(rooms, start=1) if room.id == session.room_id), None)
            if column is None:
                continue
            if session.kind in EVERYONE:
                row[first_room] = cell(pick(session, "title", language), width - time_width, colour=MUTED)
                everyone_rows.append(len(rows))
            else:
                row[column] = cell(pick(session, "title", language), room_width)
        rows.append(row)
    if rtl:  # the time column on the right, the first room beside it
        rows = [list(reversed(row)) for row in rows]
    low, high = (0, len(rooms) - 1) if rtl else (1, len(rooms))
    spans = [("SPAN", (low, row), (high, row)) for row in everyone_rows]
    columns = [time_width] + [room_width] * len(rooms)
    table = Table(rows, colWidths=list(reversed(columns)) if rtl else columns, repeatRows=1)
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), "DejaVuSans", size),  # the cells draw our lines; the table's own font too
        ("GRID", (0, 0), (-1, -1), 0.4, GRID_LINE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 2), ("RIGHTPADDING", (0, 0), (-1, -1), 2),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
        *spans,
    ]))
    table.spaceBefore, table.spaceAfter = 2 * mm, 3 * mm
    return table


def _session_block(session: PublishedSession, conference: Conference, language: str, rtl: bool,
                   width: float) -> list:
    times = f"{_clock(session.starts_at, conference)}–{_clock(session.ends_at, conference)}"
    facts = [times, pick(session.room, "name", language), str(KIND_TITLES.get(session.kind, ""))]
    block = [Mark(session_id=session.id), Spacer(1, 2.5 * mm)]
    block += _lines(pick(session, "title", language), 11, rtl, width, BOLD)
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


def _speaker_index(agenda: Published, language: str, rtl: bool, width: float, pages: dict[int, int]) -> list:
    """Every speaker, moderator and chair by name, with the pages of their sessions."""
    people: dict[int, tuple[PublishedPerson, set[int]]] = {}
    for session in agenda.sessions:
        for person in [*session.speakers, *session.moderators, *([session.chair] if session.chair else [])]:
            people.setdefault(person.id, (person, set()))[1].add(session.id)
    if not people:
        return []
    story = [PageBreak(), Mark(day_label=_("Index of speakers"))]
    story += _lines(_("Index of speakers"), 13, rtl, width, BOLD, BRAND)
    story.append(Rule())
    comma = "، " if rtl else ", "
    for person, session_ids in sorted(people.values(), key=lambda item: person_name(item[0], language).casefold()):
        numbers = sorted({pages[i] for i in session_ids if i in pages})
        text = person_name(person, language) + (" · " + comma.join(map(str, numbers)) if numbers else "")
        story += _lines(text, 8.5, rtl, width)
    return story
