"""The public agenda renders a day once per version, language, day and filters; stars stay per reader."""

from __future__ import annotations

import re
from contextlib import contextmanager

import pytest
from flask import template_rendered

from conference.agenda.personal import set_star
from conference.agenda.versions import publish_agenda, published
from conference.extensions import db
from tests.conftest import login


@pytest.fixture
def sessions(venue, add_session):
    made = [
        add_session("Keynote", start="09:00", end="10:00"),
        add_session("Panel", room=1, start="09:30", end="10:30"),
    ]
    add_session("Day two", day=1)
    publish_agenda(venue["conference"], None)
    db.session.commit()
    return made


@contextmanager
def day_renders(app):
    seen = []

    def record(sender, template, context, **extra):
        if template.name == "agenda/_day.html":
            seen.append(template.name)

    template_rendered.connect(record, app)
    try:
        yield seen
    finally:
        template_rendered.disconnect(record, app)


def test_a_day_is_rendered_once_for_many_readers(app, client, sessions):
    with day_renders(app) as seen:
        first = client.get("/doha/agenda?lang=ar").get_data(as_text=True)
        second = client.get("/doha/agenda?lang=ar").get_data(as_text=True)
    assert len(seen) == 1 and "Keynote" in second
    assert re.sub(r'csrf-token" content="[^"]*"', "", first) == re.sub(r'csrf-token" content="[^"]*"', "", second)


@pytest.mark.parametrize("second", ["/doha/agenda?lang=en", "/doha/agenda?lang=ar&kind=talk",
                                    "/doha/agenda?lang=ar&day={second_day}"], ids=["language", "filter", "day"])
def test_another_language_filter_or_day_is_rendered_apart(app, client, venue, sessions, second):
    days = venue["conference"].days
    with day_renders(app) as seen:
        client.get(f"/doha/agenda?lang=ar&day={days[0].isoformat()}")
        client.get(second.format(second_day=days[1].isoformat()))
    assert len(seen) == 2


def test_a_reader_sees_their_own_stars_in_a_cached_day(app, client, sessions, people, venue):
    client.get("/doha/agenda?lang=en")  # an anonymous reader fills the cache
    set_star(venue["conference"], people["delegate"], published(venue["conference"]), sessions[1].id, True)
    db.session.commit()
    login(client, people["delegate"])
    html = client.get("/doha/agenda?lang=en").get_data(as_text=True)
    assert html.count('aria-pressed="true"') == 2  # the grid's and the list's button of the starred session
    assert html.count('aria-pressed="false"') == 2
    assert "<!--star:" not in html
