"""Numbers read from query strings and forms, refused politely when they are not plain numbers."""
from __future__ import annotations

from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1  # the largest value every database's integer column holds
MAX_PAGE = 100_000


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


class BoundedIntConverter(IntegerConverter):
    """The <int:…> URL converter, limited to what a database integer holds (a larger id is a 404)."""

    def __init__(self, url_map, *args, **kwargs) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)
