"""The delegates table's bulk-action select is valid HTML: required, so its first option is an empty placeholder."""
from __future__ import annotations

from html.parser import HTMLParser

import pytest

from conference.accounts.models import Role
from conference.extensions import db
from conference.registration.models import Delegate, DelegateStatus
from tests.conftest import login, post_form


class SelectReader(HTMLParser):
    """Collect the attributes and options of the <select name="action">."""

    def __init__(self) -> None:
        super().__init__()
        self.attributes: dict[str, str | None] | None = None
        self.options: list[tuple[str, str]] = []
        self._inside = self._in_option = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "select" and attributes.get("name") == "action":
            self.attributes, self._inside = attributes, True
        elif tag == "option" and self._inside:
            self.options.append((attributes.get("value", ""), ""))
            self._in_option = True

    def handle_data(self, data):
        if self._in_option:
            value, label = self.options[-1]
            self.options[-1] = (value, label + data)

    def handle_endtag(self, tag):
        if tag == "option":
            self._in_option = False
        elif tag == "select":
            self._inside = False


@pytest.fixture
def page_reader(client, doha, make_user, make_delegate):
    make_delegate(doha, status="pending")
    login(client, make_user("boss@example.org", Role.ORGANIZER, doha))

    def read(lang: str = "en") -> SelectReader:
        reader = SelectReader()
        reader.feed(client.get(f"/doha/manage/delegates?lang={lang}").get_data(as_text=True))
        return reader

    return read


@pytest.mark.parametrize("lang, placeholder", [("en", "Choose an action"), ("ar", "اختر إجراءً")])
def test_required_select_starts_with_an_empty_placeholder(page_reader, lang, placeholder):
    reader = page_reader(lang)
    assert reader.attributes is not None and "required" in reader.attributes
    assert "multiple" not in reader.attributes and "size" not in reader.attributes
    assert reader.options[0] == ("", placeholder)
    assert all(value for value, _label in reader.options[1:])


def test_every_action_is_still_offered(page_reader):
    values = [value for value, _label in page_reader().options[1:]]
    assert {"approve", "reject", "waitlist", "category:speaker"} <= set(values)
    assert len(values) == len(set(values))


def test_placeholder_submitted_changes_nothing(client, page_reader, doha):
    page_reader()  # one pending delegate, organizer logged in
    pending = db.session.scalars(db.select(Delegate)).one()
    response = post_form(client, "/doha/manage/delegates/bulk", {"action": "", "ids": [pending.id]})
    assert response.status_code == 302
    db.session.refresh(pending)
    assert pending.status == DelegateStatus.PENDING
    page = client.get(response.headers["Location"] + "?lang=en").get_data(as_text=True)
    assert "Choose at least one delegate and an action." in page
