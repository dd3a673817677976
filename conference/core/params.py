"""What people put in addresses, query strings and forms, read strictly at the edge: ids, page numbers, dates, and
the page to go back to. Anything else is refused politely (None, a 404, a field's error), never a server error.
"""
from __future__ import annotations

import re
from datetime import date, datetime, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

from flask import Flask, abort, request
from flask_babel import lazy_gettext as _l
from werkzeug.routing import BaseConverter, ValidationError
from wtforms import SelectField, SelectMultipleField
from wtforms.validators import ValidationError as FieldError

MAX_ID = 2**31 - 1  # the largest value every database's integer column holds (SQLite's and PostgreSQL's)
MAX_PAGE = 100_000
# Every date the system deals with lies in these years. Far from datetime's own limits (years 1 and 9999), so that
# a date read from a request can be moved between time zones or have days added to it without an OverflowError.
FIRST_YEAR, LAST_YEAR = 2000, 2100
MAX_NEXT_LENGTH = 2000
CHOOSE_FROM_LIST = _l("Please choose from the list.")


def refuse_nul_in_address() -> None:
    """Before every request: a NUL character in the path or the query string is a 400.

    No address has a use for one, and PostgreSQL can neither store nor compare text that holds one: a slug, a token
    or a search with a NUL would fail its query. (Forms refuse it per field, with CleanText.)
    """
    if "\x00" in request.path or any("\x00" in key + value for key, value in request.args.items(multi=True)):
        abort(400)


def init_app(app: Flask) -> None:
    """Read addresses strictly: <int:…> is an id (IdConverter), and no NUL anywhere in them."""
    app.url_map.converters["int"] = IdConverter  # every <int:…> is an id: 2**64 is a 404, not a 500
    app.before_request(refuse_nul_in_address)


def parse_id(value: str | None) -> int | None:
    """A positive id from ASCII digits only (str.isdigit also accepts '²'), else None."""
    if not value or len(value) > 10 or not value.isascii() or not value.isdigit():
        return None
    number = int(value)
    return number if 1 <= number <= MAX_ID else None


def page_number(args) -> int:
    """The ?page= number, 1 when absent or not a sensible page."""
    page = parse_id(args.get("page"))
    return min(page, MAX_PAGE) if page else 1


class IdConverter(BaseConverter):
    """The app's <int:…> URL converter: an id as parse_id reads it, so anything else (2**64, '٣', 0) is a 404."""

    regex = r"[0-9]+"  # ASCII digits only: \d, Werkzeug's default, also matches '٣'
    weight = 50  # as Werkzeug's own int converter, so rules keep their order

    def to_python(self, value: str) -> int:
        number = parse_id(value)
        if number is None:
            raise ValidationError()
        return number

    def to_url(self, value) -> str:
        return str(int(value))


def coerce_id(value) -> int:
    """WTForms' coerce for a choice of one row by id: ValueError unless an id as parse_id reads it."""
    number = value if isinstance(value, int) and not isinstance(value, bool) else parse_id(str(value))
    if number is None or not 1 <= number <= MAX_ID:
        raise ValueError(value)
    return number


def coerce_optional_id(value) -> int | None:
    """coerce_id, with the blank choice ('' or None) read as None."""
    return None if value in (None, "", "None") else coerce_id(value)


class IdField(SelectField):
    """A choice of one row by its id; the blank choice is None. The service checks which rows may be chosen; a value
    that is not an id at all (letters, '²', 2**64) is this field's error and never reaches the database."""

    def __init__(self, label=None, validators=None, validate_choice: bool = False, **kwargs) -> None:
        super().__init__(label, validators, coerce=coerce_optional_id, validate_choice=validate_choice, **kwargs)

    def process_formdata(self, valuelist) -> None:
        if valuelist:
            try:
                self.data = coerce_optional_id(valuelist[0])
            except ValueError:
                raise ValueError(CHOOSE_FROM_LIST) from None


class IdsField(SelectMultipleField):
    """A choice of several rows by their ids, read as IdField reads one."""

    def __init__(self, label=None, validators=None, validate_choice: bool = False, **kwargs) -> None:
        # coerce_optional_id when the choices are drawn (a blank choice must not break the page); strict on input
        super().__init__(label, validators, coerce=coerce_optional_id, validate_choice=validate_choice, **kwargs)

    def process_formdata(self, valuelist) -> None:
        try:
            self.data = [coerce_id(value) for value in valuelist]
        except ValueError:
            self.data = []
            raise ValueError(CHOOSE_FROM_LIST) from None


def sensible_year(moment: date | None) -> bool:
    """True for a date (or date and time) between FIRST_YEAR and LAST_YEAR."""
    return moment is not None and FIRST_YEAR <= moment.year <= LAST_YEAR


def parse_date(value: str | None) -> date | None:
    """An ISO date (2026-05-23) between FIRST_YEAR and LAST_YEAR, else None."""
    if not isinstance(value, str) or len(value) > 10:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return None
    return day if sensible_year(day) else None


def parse_moment(value: str | None) -> datetime | None:
    """An ISO 8601 date and time with its zone, between FIRST_YEAR and LAST_YEAR, in UTC; else None (also for a time
    without a zone, which would be read in the server's zone)."""
    if not isinstance(value, str) or len(value) > 40:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is None or not sensible_year(moment):
        return None
    return moment.astimezone(timezone.utc)  # cannot overflow: the year is far from datetime's limits


MAX_NUMBER_LENGTH = 20
NUMBER = re.compile(r"-?[0-9]{1,12}(?:\.[0-9]{1,6})?")


def parse_number(value: str | None) -> Decimal | None:
    """A decimal number in ASCII digits (-12, 3.5), at most twelve digits before the point and six after; else None."""
    if not isinstance(value, str) or len(value) > MAX_NUMBER_LENGTH or not NUMBER.fullmatch(value.strip()):
        return None
    return Decimal(value.strip())


def parse_local_moment(value: str | None, zone: ZoneInfo) -> datetime | None:
    """A browser's date and time without a zone (2027-05-22T10:30), read in `zone`, in UTC; else None."""
    if not isinstance(value, str) or not 16 <= len(value) <= 19 or not value.isascii():
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is not None or not sensible_year(moment):
        return None
    return moment.replace(tzinfo=zone).astimezone(timezone.utc)


class SensibleYear:
    """A form field's check: a date between FIRST_YEAR and LAST_YEAR (year 1 or 9999 cannot even be moved between
    time zones)."""

    def __call__(self, form, field) -> None:
        if field.data and not sensible_year(field.data):
            raise FieldError(_l("Please give a date between %(first)s and %(last)s.", first=FIRST_YEAR,
                                last=LAST_YEAR))


def is_local_path(target) -> bool:
    """True for a plain path on this site that every browser reads the same way.

    Browsers drop tabs and newlines and read a backslash as a slash, so '/\\t/evil', '/\\\\evil' and '\\\\/evil' all
    mean //evil, another site: only printable ASCII is accepted, without backslashes, starting with one slash.
    """
    return (isinstance(target, str) and 0 < len(target) <= MAX_NEXT_LENGTH and target.startswith("/")
            and not target.startswith("//") and all("!" <= ch <= "~" and ch != "\\" for ch in target))


def safe_next(target, default: str) -> str:
    """`target` (a ?next= or a form's next) when it is a plain path on this site, else `default`."""
    return target if is_local_path(target) else default
