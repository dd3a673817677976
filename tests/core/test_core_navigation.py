"""The conference's navigation: an organizer's pages in sections, the current section and page lit."""
from __future__ import annotations

import re

from tests.conftest import login


def lit(page: str, css_class: str = "conference-links") -> list[tuple[str, str]]:
    """(aria-current value, link text) of the lit links in one row of the navigation."""
    row = re.search(rf'<div class="{css_class}"[^>]*>(.*?)</div>', page, re.S)
    return re.findall(r'aria-current="(\w+)">([^<]+)</a>', row.group(1)) if row else []


def test_an_organizer_finds_a_delegates_page_under_registration(client, people, make_delegate, doha):
    delegate = make_delegate(doha)
    login(client, people["organizer"])
    page = client.get("/doha/manage/delegates?lang=en").get_data(as_text=True)
    assert lit(page) == [("true", "Registration")]
    assert lit(page, "conference-sublinks") == [("page", "Delegates")]
    assert "Delegations" in page and "Badges" in page  # the section's other pages, one click away
    # A delegate's own page keeps its tab lit, as a part of it rather than the page itself.
    page = client.get(f"/doha/manage/delegates/{delegate.id}?lang=en").get_data(as_text=True)
    assert lit(page) == [("true", "Registration")] and lit(page, "conference-sublinks") == [("true", "Delegates")]


def test_a_door_staff_member_sees_the_door_as_a_page_not_a_section(client, people):
    login(client, people["staff"])
    page = client.get("/doha/checkin?lang=en").get_data(as_text=True)
    assert lit(page) == [("page", "Door check-in")]
    assert 'class="conference-sublinks"' not in page and "nav-section" not in page
