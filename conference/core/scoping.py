"""Rows that belong to one conference, loaded for a conference and never by id alone.

Every conference-owned model takes the ConferenceOwned mixin. A page or service that loads one by an id it was
given (from a URL or a form) asks for it within its conference: `Delegate.get_for(conference, delegate_id)`, or
`get_or_404` in a page; a list is `Model.of(conference)`. An id of another conference then finds nothing, as an
unknown id does. tests/core/test_core_scoping.py fails when code loads such a row another way (`db.session.get`).
"""
from __future__ import annotations

from typing import Any, ClassVar

from flask import abort
from sqlalchemy import ColumnElement, Select, select

from ..extensions import db


class ConferenceOwned:
    """A row of one conference: by its own conference_id, or through the parent named in `__owner__`."""

    # The relationship to the conference-owned row this one belongs through (e.g. "proposal"); None: conference_id.
    __owner__: ClassVar[str | None] = None

    @classmethod
    def owned_by(cls, conference_id: int) -> ColumnElement[bool]:
        """The condition that a row belongs to the conference."""
        if cls.__owner__ is None:
            return cls.conference_id == conference_id  # type: ignore[attr-defined]
        relationship = getattr(cls, cls.__owner__)
        return relationship.has(relationship.property.mapper.class_.owned_by(conference_id))

    @classmethod
    def of(cls, conference: Any) -> Select:
        """SELECT of the conference's rows (`conference`: a conference, anything with its id, or the id)."""
        return select(cls).where(cls.owned_by(getattr(conference, "id", conference)))

    @classmethod
    def get_for(cls, conference: Any, row_id: int | None):
        """The row with this id if it belongs to the conference, else None."""
        if row_id is None:
            return None
        return db.session.scalar(cls.of(conference).where(cls.id == row_id))  # type: ignore[attr-defined]

    @classmethod
    def get_signed(cls, row_id: object):
        """The row that a signed token names: the signature, checked by the caller, scopes it (no conference is
        in the link, as in a team invitation's). None for anything but an id."""
        if not isinstance(row_id, int) or isinstance(row_id, bool):
            return None
        return db.session.get(cls, row_id)

    @classmethod
    def get_or_404(cls, conference: Any, row_id: int | None):
        """The row with this id if it belongs to the conference; otherwise the page answers 404."""
        row = cls.get_for(conference, row_id)
        if row is None:
            abort(404)
        return row
