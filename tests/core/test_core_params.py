"""What people type, read at the edge (core/params.py): ids, dates, the page to go back to; directly, no HTTP."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import SelectChoice
from wtforms.validators import Optional

from conference.core.params import (
    MAX_ID,
    IdConverter,
    IdField,
    IdsField,
    coerce_id,
    coerce_optional_id,
    is_local_path,
    parse_date,
    parse_id,
    parse_moment,
    safe_next,
)

NOT_IDS = ["", "0", "-1", "+1", " 1", "1 ", "1.0", "1e3", "²", "١٢", "１", "0x10", str(MAX_ID + 1), str(2**63),
           str(2**64), "9" * 5000, "abc", "None"]


@pytest.mark.parametrize("text", NOT_IDS)
def test_parse_id_refuses_what_is_not_an_id(text):
    assert parse_id(text) is None


def test_parse_id_reads_ids_up_to_the_database_limit():
    assert [parse_id(text) for text in ("1", "007", str(MAX_ID))] == [1, 7, MAX_ID]


@pytest.mark.parametrize("value", [*NOT_IDS, 0, -5, 2**64, True, 1.5, date(2026, 5, 23)])
def test_coerce_id_raises_a_value_error_for_anything_but_an_id(value):
    with pytest.raises(ValueError):
        coerce_id(value)


def test_coerce_optional_id_reads_the_blank_choice_as_none():
    assert [coerce_optional_id(v) for v in ("", None, "None", "12", 12)] == [None, None, None, 12, 12]


def test_the_app_reads_every_int_in_an_address_with_the_id_converter(app):
    assert app.url_map.converters["int"] is IdConverter
    converter = IdConverter(app.url_map)
    assert converter.to_python("42") == 42 and converter.to_url(42) == "42"


class _PickForm(FlaskForm):
    class Meta:
        csrf = False

    room_id = IdField("Room", validators=[Optional()], choices=[SelectChoice("", "—"), SelectChoice("1", "Hall")])
    speaker_ids = IdsField("Speakers", validators=[Optional()],
                           choices=[SelectChoice("1", "Mariam"), SelectChoice("2", "Hamad")])


@pytest.mark.parametrize("field,value", [("room_id", str(2**64)), ("room_id", "²"), ("room_id", "x"),
                                         ("speaker_ids", str(2**64)), ("speaker_ids", "١")])
def test_an_id_field_turns_a_value_that_is_no_id_into_its_own_error(app, field, value):
    with app.test_request_context(method="POST"):
        form = _PickForm(formdata=MultiDict([(field, value)]))
        assert form.validate() is False
        assert [str(error) for error in form.errors[field]] == ["Please choose from the list."]


def test_an_id_field_reads_ids_and_the_blank_choice(app):
    with app.test_request_context(method="POST"):
        form = _PickForm(formdata=MultiDict([("room_id", ""), ("speaker_ids", "1"), ("speaker_ids", "2")]))
        assert form.validate() and form.room_id.data is None and form.speaker_ids.data == [1, 2]
        assert "selected" in str(form.speaker_ids)  # the choices are still drawn with the chosen ones marked


@pytest.mark.parametrize("text", ["9999-12-31", "0001-01-01", "1999-12-31", "2101-01-01", "10000-01-01",
                                  "2026-02-30", "2026-5-23", "2026-05-23T00:00", "", None, "x" * 100])
def test_parse_date_refuses_dates_outside_the_years_the_system_knows(text):
    assert parse_date(text) is None


def test_parse_date_reads_an_iso_date():
    assert parse_date("2026-05-23") == date(2026, 5, 23)


@pytest.mark.parametrize("text", [
    "9999-12-31T23:59:59+14:00", "9999-12-31T23:59:59-14:00", "9999-12-31T23:59:59+00:00",
    "0001-01-01T00:00:00+14:00", "10000-01-01T00:00:00+00:00", "2026-05-23T09:00:00",  # no zone
    "99999999999999", "2026-05-23T09:00:00+99:00", "", None, "2026-05-23T09:00:00+03:00" + " " * 40,
])
def test_parse_moment_refuses_what_cannot_be_moved_to_utc_safely(text):
    assert parse_moment(text) is None


def test_parse_moment_reads_a_zoned_time_as_utc():
    assert parse_moment("2026-05-23T09:00:00+03:00") == datetime(2026, 5, 23, 6, tzinfo=timezone.utc)


# What a `next` may hold to lead a browser to another site (browsers drop tabs and newlines, trim spaces and control
# characters, read backslashes as slashes); the HTTP sweep in test_core_edge sends these too.
EVIL_NEXT = [
    "//evil.example/", "/\t/evil.example/", "/\n/evil.example/", "/\r\n/evil.example/", "/\\evil.example/",
    "\\/evil.example/", "/\\/evil.example/", "\\\\evil.example", "https:evil.example", "https://evil.example/",
    "http:/\\evil.example", "javascript:alert(1)", " //evil.example", "\t//evil.example", "\x00//evil.example",
    "/\x00/evil.example", "/\x7f/evil.example", "/\u3000/evil.example", "/\uff0fevil.example",
    "\uff0f/evil.example", "/\u2215evil.example", "/\u200e/evil.example", "/a\r\nLocation: https://evil.example",
    "///evil.example", "https://localhost@evil.example/", "evil.example", "./evil", "/" + "a" * 3000, "",
]


@pytest.mark.parametrize("target", [*EVIL_NEXT, None, 42, b"/x"])
def test_safe_next_refuses_whatever_a_browser_could_read_as_another_site(target):
    assert not is_local_path(target)
    assert safe_next(target, "/fallback") == "/fallback"


@pytest.mark.parametrize("target", ["/", "/doha/agenda", "/doha/agenda?day=2026-05-23&track=2#s1", "/%2F%2Fx",
                                    "/doha/participants?q=%D8%AD%D9%85%D8%AF"])
def test_safe_next_keeps_a_plain_path_of_this_site(target):
    assert safe_next(target, "/fallback") == target
