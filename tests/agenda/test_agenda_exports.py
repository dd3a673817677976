"""Exports read back: iCalendar with icalendar, schedule XML and JSON against the c3voc schemas, the PDF's text."""
from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from icalendar import Calendar

from conference.agenda.services import delete_session
from conference.agenda.versions import publish_agenda
from conference.extensions import db
from tests.pdfcheck import assert_clean_pdf

SCHEMAS = Path(__file__).resolve().parent / "schemas"  # the c3voc schemas, copied in (their README: origin, licence)


@pytest.fixture
def agenda(venue, add_session, speakers):
    """Three published sessions (one with HTML and right-to-left text), then one cancelled in version 2."""
    sessions = [
        add_session("Opening <b>ceremony</b> & welcome", title_ar="حفل الافتتاح", start="09:00", end="10:00",
                    speaker_ids=[speakers[0].id], kind="ceremony", language="both", interpretation="both",
                    description_en="Words of welcome.\nSecond line."),
        add_session("Helplines in emergencies", room=1, start="10:30", end="12:00", speaker_ids=[speakers[1].id],
                    track_id=venue["tracks"][1].id, kind="panel", moderator_ids=[speakers[2].id]),
        add_session("Coffee break", start="10:00", end="10:30", kind="break"),
        add_session("Workshop", room=2, day=1, start="09:00", end="10:30", kind="workshop", language="ar",
                    title_ar="ورشة عمل حول خطوط المساندة"),
    ]
    publish_agenda(venue["conference"], None)
    db.session.commit()
    delete_session(venue["conference"], sessions[2])
    publish_agenda(venue["conference"], None)
    db.session.commit()
    return sessions


def test_ics_parses_with_stable_uids_zone_location_and_cancellations(client, agenda):
    calendar = Calendar.from_ical(client.get("/doha/agenda.ics?lang=en").data)
    events = {str(e["uid"]): e for e in calendar.walk("VEVENT")}
    opening = events[f"{agenda[0].uid}@doha"]
    assert str(opening["summary"]) == "Opening <b>ceremony</b> & welcome"
    assert str(opening["location"]) == "Main Hall"
    assert opening.decoded("dtstart").tzinfo.key == "Asia/Qatar" and opening.decoded("dtstart").hour == 9
    assert str(opening["status"]) == "CONFIRMED"
    assert str(events[f"{agenda[2].uid}@doha"]["status"]) == "CANCELLED"
    assert calendar.walk("VTIMEZONE")


def test_ics_in_arabic_uses_arabic_titles(client, agenda):
    calendar = Calendar.from_ical(client.get("/doha/agenda.ics?lang=ar").data)
    titles = {str(e["summary"]) for e in calendar.walk("VEVENT")}
    assert "حفل الافتتاح" in titles and "القاعة الرئيسية" in {str(e["location"]) for e in calendar.walk("VEVENT")}


def test_ics_before_publication_is_an_empty_calendar(client, venue):
    calendar = Calendar.from_ical(client.get("/doha/agenda.ics").data)
    assert calendar.walk("VEVENT") == []


def test_schedule_xml_is_valid_against_the_xsd(client, agenda):
    from lxml import etree

    schema = etree.XMLSchema(etree.parse(str(SCHEMAS / "schedule.xml.xsd")))
    document = etree.fromstring(client.get("/doha/schedule.xml?lang=en").data)
    schema.assertValid(document)
    titles = document.xpath("//event/title/text()")
    assert "Opening <b>ceremony</b> & welcome" in titles and "Coffee break" not in titles


FRAB_EVENT = ("date", "start", "duration", "room", "slug", "url", "recording", "title", "subtitle", "track", "type",
              "language", "abstract", "description", "logo", "persons", "links", "attachments")


def test_schedule_xml_writes_every_element_frab_writes_and_numbers_its_people(client, agenda):
    from lxml import etree

    document = etree.fromstring(client.get("/doha/schedule.xml?lang=en").data)
    events = document.xpath("//event")
    assert events
    for event in events:
        assert [child.tag for child in event] == list(FRAB_EVENT)
        assert event.findtext("recording/optout") == "true"
    people = document.xpath("//person")
    assert people and all(person.get("id").isdigit() and person.get("guid") for person in people)
    by_guid = {}
    for person in people:  # one id per guid, and ids and guids are the same person in schedule.json
        by_guid.setdefault(person.get("guid"), set()).add(person.get("id"))
    assert all(len(ids) == 1 for ids in by_guid.values())
    data = client.get("/doha/schedule.json?lang=en").get_json()
    json_people = {p["guid"]: str(p["id"]) for day in data["schedule"]["conference"]["days"]
                   for room in day["rooms"].values() for event in room for p in event["persons"]}
    assert json_people == {guid: ids.pop() for guid, ids in by_guid.items()}


def test_two_speakers_who_share_a_name_stay_two_people(client, venue, agenda, make_delegate):
    from lxml import etree

    from conference.agenda.models import SessionPerson

    panel = agenda[1]
    twins = [make_delegate(venue["conference"], name="Dana Al-Khatib", email=f"dana{n}@example.org") for n in range(2)]
    panel.people.extend(SessionPerson(delegate_id=d.id, position=10 + n) for n, d in enumerate(twins))
    db.session.commit()
    publish_agenda(venue["conference"], None)
    db.session.commit()
    document = etree.fromstring(client.get("/doha/schedule.xml?lang=en").data)
    danas = document.xpath("//person[text()='Dana Al-Khatib']")
    assert len(danas) == 2 and len({p.get("id") for p in danas}) == 2 and len({p.get("guid") for p in danas}) == 2


@pytest.mark.parametrize("language", ["en", "ar"])
def test_schedule_json_is_valid_against_the_schema(client, agenda, language):
    import jsonschema

    schema = json.loads((SCHEMAS / "schedule.json.schema.json").read_text(encoding="utf-8"))
    document = client.get(f"/doha/schedule.json?lang={language}").get_json()
    jsonschema.validate(document, schema)
    events = [e for day in document["schedule"]["conference"]["days"] for room in day["rooms"].values() for e in room]
    assert len(events) == 3 and all(e["guid"] for e in events)


def test_schedule_files_before_publication_are_valid(client, venue):
    import jsonschema
    from lxml import etree

    jsonschema.validate(client.get("/doha/schedule.json").get_json(),
                        json.loads((SCHEMAS / "schedule.json.schema.json").read_text(encoding="utf-8")))
    etree.XMLSchema(etree.parse(str(SCHEMAS / "schedule.xml.xsd"))).assertValid(
        etree.fromstring(client.get("/doha/schedule.xml").data))


def test_exports_carry_no_email_addresses(client, agenda):
    for path in ("/doha/agenda.ics", "/doha/schedule.xml", "/doha/schedule.json"):
        assert b"@example.org" not in client.get(path).data


def _pdf_text(data: bytes) -> str:
    assert_clean_pdf(data)
    document = pdfium.PdfDocument(data)
    text = "\n".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    document.close()
    return text


def _logical(line: str) -> str:
    """A line read back by pdfium (which orders right-to-left runs logically), with the shaping undone."""
    return unicodedata.normalize("NFKC", line)


def test_programme_pdf_in_english(client, agenda):
    response = client.get("/doha/agenda.pdf?lang=en")
    assert response.mimetype == "application/pdf"
    text = _pdf_text(response.data)
    assert "Opening <b>ceremony</b> & welcome" in text and "Hamad bin Saif Al-Housni" in text
    assert "Day 2" in text and "Coffee break" not in text


def test_programme_pdf_in_arabic_reads_back_in_logical_order(client, agenda):
    text = _pdf_text(client.get("/doha/agenda.pdf?lang=ar").data)
    lines = [line.strip() for line in text.splitlines()]  # as read, without undoing any shaping
    assert "ورشة عمل حول خطوط المساندة" in lines
    assert "حفل الافتتاح" in lines
    assert "ةدناسملا طوطخ لوح لمع ةشرو" not in lines  # drawn in visual order, not typed backwards
    assert not any(0xFE70 <= ord(ch) <= 0xFEFF and len(unicodedata.normalize("NFKC", ch)) == 1 for ch in text)


def _pages(data: bytes) -> list[str]:
    document = pdfium.PdfDocument(data)
    pages = [document[i].get_textpage().get_text_range() for i in range(len(document))]
    document.close()
    return pages


@pytest.mark.parametrize("language", ["en", "ar"])
def test_programme_pdf_has_page_numbers_a_running_header_a_day_overview_and_a_speaker_index(
        client, venue, agenda, speakers, language):
    pages = _pages(client.get(f"/doha/agenda.pdf?lang={language}").data)
    assert len(pages) >= 3
    for number, text in enumerate(pages, start=1):
        assert str(number) in [line.strip() for line in text.splitlines()], number  # the page number
    name = venue["conference"].name_ar if language == "ar" else venue["conference"].name_en
    assert all(name in text for text in pages[1:])  # the running header
    first_day = pages[0]
    for room in ("Main Hall", "Al Majlis Room") if language == "en" else ("القاعة الرئيسية", "قاعة المجلس"):
        assert room in first_day  # the overview's columns
    assert first_day.index("09:00") < first_day.rindex("10:30")
    index = pages[-1]
    assert ("Index of speakers" if language == "en" else "فهرس المتحدثين") in index
    panel_page = next(n for n, text in enumerate(pages, start=1) if "10:30–12:00" in text or "12:00–10:30" in text)
    speaker = "Charlotte Evans"
    entry = next(line for line in index.splitlines() if speaker in line)
    assert str(panel_page) in entry.replace(speaker, "")


def test_programme_pdf_embeds_every_font_and_lays_out_each_paragraph_in_its_direction(client, venue, add_session):
    import io

    import pikepdf

    add_session("Helplines online", description_en="نعرض تجربة سلطنة عمان في تشغيل خط حماية الطفل.",
                start="11:00", end="12:00", room=2)
    publish_agenda(venue["conference"], None)
    db.session.commit()
    data = client.get("/doha/agenda.pdf?lang=en").data
    with pikepdf.open(io.BytesIO(data)) as pdf:
        fonts = {font.objgen: font for page in pdf.pages for font in page.Resources.Font.values()}
        assert fonts
        for font in fonts.values():
            descriptor = font.get("/FontDescriptor")
            assert descriptor is not None and any(key in descriptor for key in ("/FontFile", "/FontFile2",
                                                                                  "/FontFile3")), font.BaseFont
            assert "Helvetica" not in str(font.BaseFont)
    text = _pdf_text(data)
    assert "نعرض تجربة سلطنة عمان في تشغيل خط حماية الطفل." in [line.strip() for line in text.splitlines()]


@pytest.mark.parametrize("path", ["/doha/agenda.ics", "/doha/schedule.xml", "/doha/schedule.json", "/doha/agenda",
                                  "/doha/agenda?lang=ar", "/doha/speakers", "/doha/agenda/{session}",
                                  "/doha/speakers/{person}"])
def test_a_repeat_request_gets_304_until_what_it_shows_changes(client, venue, agenda, speakers, path):
    from conference.agenda.versions import published

    version = published(venue["conference"])
    path = path.format(session=agenda[0].id, person=next(iter(version.people())))
    first = client.get(path)
    assert first.status_code == 200 and first.headers["ETag"] and first.headers["Last-Modified"]
    assert "public" in first.headers["Cache-Control"] and "max-age=60" in first.headers["Cache-Control"]
    again = client.get(path, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    since = client.get(path, headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert since.status_code == 304
    venue["conference"].name_en = "International Conference of Child Helplines, 2027"  # on every page and export
    agenda[1].title_en = "Helplines in emergencies, revised"
    publish_agenda(venue["conference"], None)
    db.session.commit()
    changed = client.get(path, headers={"If-None-Match": first.headers["ETag"]})
    assert changed.status_code == 200 and changed.headers["ETag"] != first.headers["ETag"]


def test_a_name_is_shown_as_its_owner_wrote_it(client, venue, add_session, make_delegate):
    """Testerová on pages and in exports, not the Latin transliteration; a name in Arabic letters gets its Latin form
    on English pages and stays as written on Arabic ones."""
    czech = make_delegate(venue["conference"], name="Kateřina Testerová", name_latin="Katerina Testerova",
                          email="testerova@example.org")
    omani = make_delegate(venue["conference"], name="حمد بن سيف الحوسني", name_latin="Hamad bin Saif Al-Housni",
                          name_ar="حمد بن سيف الحوسني", email="hamad@example.org")
    add_session("Helplines in Europe", speaker_ids=[czech.id, omani.id], kind="talk")
    publish_agenda(venue["conference"], None)
    db.session.commit()
    for path in ("/doha/agenda?lang=en", "/doha/speakers?lang=en", "/doha/schedule.json?lang=en",
                 "/doha/schedule.xml?lang=en", "/doha/agenda.ics?lang=en"):
        body = client.get(path).get_data(as_text=True)
        assert "Testerová" in body and "Testerova" not in body, path
        assert "Hamad bin Saif Al-Housni" in body, path
    arabic = client.get("/doha/agenda?lang=ar").get_data(as_text=True)
    assert "Testerová" in arabic and "حمد بن سيف الحوسني" in arabic
