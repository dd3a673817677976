"""Times, names and titles in the other script's text are bidi isolates: Arabic pages and e-mails read in order."""

from __future__ import annotations

import re

import pytest

from conference.agenda.versions import publish_agenda
from conference.extensions import db
from tests.conftest import login

RANGE = re.compile(r'<span class="session-time"[^>]*>(.*?)</span>', re.S)


@pytest.fixture
def published(venue, add_session, speakers):
    opening = add_session("Opening ceremony", start="09:00", end="10:00", speaker_ids=[speakers[0].id],
                          title_ar="حفل الافتتاح", kind="ceremony")
    publish_agenda(venue["conference"], None)
    db.session.commit()
    return opening


@pytest.mark.parametrize("path", ["/doha/agenda?lang=ar", "/doha/agenda/{id}?lang=ar"], ids=["agenda", "session"])
def test_each_time_of_a_range_is_isolated(client, published, path):
    html = client.get(path.format(id=published.id)).get_data(as_text=True)
    ranges = RANGE.findall(html)
    assert ranges
    for text in ranges:
        assert re.fullmatch(r"\s*<bdi><time[^>]*>[^<]+</time></bdi>–<bdi><time[^>]*>[^<]+</time></bdi>\s*", text), text


def test_the_editor_grid_isolates_each_time(client, people, published):
    login(client, people["organizer"])
    html = client.get("/doha/manage/agenda?lang=ar").get_data(as_text=True)
    [meta] = re.findall(r'<span class="grid-meta[^"]*"[^>]*>(.*?)</span>', html, re.S)
    assert re.fullmatch(r"<bdi>[^<]+</bdi>–<bdi>[^<]+</bdi>", meta.strip()), meta


def test_the_grid_time_labels_are_isolated(client, published):
    html = client.get("/doha/agenda?lang=ar").get_data(as_text=True)
    labels = re.findall(r'<div class="grid-time[^"]*">(.*?)</div>', html, re.S)
    assert labels and all(label.startswith("<bdi>") for label in labels)


def _arabic_mail_about_a_move(venue, add_session, speakers):
    from sqlalchemy import select

    from conference.agenda.services import SessionData, update_session
    from conference.mail.models import OutboxMessage

    conference = venue["conference"]
    speakers[0].locale = "ar"
    session = add_session("Panel on helplines", start="10:00", end="11:00", speaker_ids=[speakers[0].id])
    publish_agenda(conference, None)
    db.session.commit()
    update_session(conference, session, SessionData(title_en="Panel on helplines", day=conference.days[0],
                                                    start=session.starts_at.astimezone(conference.tz).time().replace(hour=15),
                                                    end=session.ends_at.astimezone(conference.tz).time().replace(hour=16),
                                                    room_id=venue["rooms"][0].id, speaker_ids=[speakers[0].id]))
    publish_agenda(conference, None)
    db.session.commit()
    return db.session.scalar(select(OutboxMessage).where(OutboxMessage.template == "agenda_changed"))


def test_the_arabic_text_mail_isolates_titles_rooms_and_times(venue, add_session, speakers):
    mail = _arabic_mail_about_a_move(venue, add_session, speakers)
    text = mail.body_text
    assert "\u2068Panel on helplines\u2069" in text
    assert re.search("\u2068[^\u2069]*3:00[^\u2069]*\u2069–\u2068[^\u2069]*4:00[^\u2069]*\u2069", text), text


def test_the_arabic_html_mail_isolates_titles_and_times(venue, add_session, speakers):
    mail = _arabic_mail_about_a_move(venue, add_session, speakers)
    html = mail.body_html
    assert re.search(r"<bdi>[^<]*3:00[^<]*</bdi>–<bdi>[^<]*4:00[^<]*</bdi>", html), html


@pytest.fixture
def clash(venue, add_session, speakers):
    """Hamad bin Saif Al-Housni (an Arabic name) in two sessions at once: a warning whose first word is Arabic."""
    first = add_session("Coordinating policies", start="09:00", end="10:00", speaker_ids=[speakers[0].id])
    add_session("Closing ceremony", room=1, start="09:30", end="10:30", speaker_ids=[speakers[0].id])
    return first


@pytest.mark.parametrize("path", ["/doha/manage/agenda?lang=en", "/doha/manage/agenda/publish?lang=en",
                                  "/doha/manage/agenda/{id}/edit?lang=en"], ids=["editor", "publish", "session"])
def test_a_warning_takes_the_page_direction_not_its_first_name(client, people, clash, path):
    """dir="auto" would make an English sentence starting with an Arabic name right to left (scrambling it)."""
    login(client, people["organizer"])
    html = client.get(path.format(id=clash.id)).get_data(as_text=True)
    items = re.findall(r'<li class="warning warning-person"[^>]*>.*?</li>', html, re.S)
    assert items and all('dir="auto"' not in item for item in items)
    assert "is in “" in items[0]


@pytest.mark.parametrize("path", ["/doha/manage/agenda?lang=ar", "/doha/manage/agenda/new?lang=ar"],
                         ids=["editor", "session-form"])
def test_organizer_pages_name_the_zone_as_the_public_pages_do(client, people, venue, path):
    """The zone as the public pages name it ("Doha time, UTC+3"), not only the database's "Asia/Qatar"."""
    login(client, people["organizer"])
    html = client.get(path).get_data(as_text=True)
    assert "UTC+3" in html


def test_the_change_mail_names_the_zone_in_the_readers_language(venue, add_session, speakers):
    mail = _arabic_mail_about_a_move(venue, add_session, speakers)
    assert "UTC+3" in mail.body_text
