"""The one place where a page's change is committed or rolled back, and the person told which.

Services change rows and raise a ServiceError (an area's own subclass) when a change cannot be made; they never
commit. A view hands the change to perform(): it commits and flashes the success message, or rolls everything
back and flashes the service's own message. Views are left to parse the form, call, and redirect.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from flask import flash
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from ..extensions import db

T = TypeVar("T")

# Two people saving one thing at once: a unique constraint refused the second change.
CONCURRENT_CHANGE = _l("Someone changed this at the same moment. Please look again and try again.")


class ServiceError(ValueError):
    """A change a service will not make; str() is the message for the person who asked, in the page language."""

    category = "error"  # how the message is flashed


@dataclass
class Outcome(Generic[T]):
    """What perform() did: `ok` when committed (with the action's `value`), else the `error` that was shown."""

    ok: bool
    value: T | None = None
    error: Exception | None = None


def perform(action: Callable[[], T], success: str | Callable[[T], str] | None = None,
            conflict: str | None = None) -> Outcome[T]:
    """Run a service action and commit, flashing `success`; on a ServiceError or a collision roll back and say why.

    `success` may be a function of the action's result; `conflict` replaces the message for a unique-constraint
    collision (for example, when naming the collision would reveal something).
    """
    try:
        value = action()
        db.session.commit()
    except ServiceError as error:
        db.session.rollback()
        flash(str(error), error.category)
        return Outcome(False, error=error)
    except IntegrityError as error:
        db.session.rollback()
        flash(conflict or str(CONCURRENT_CHANGE), "error")
        return Outcome(False, error=error)
    message = success(value) if callable(success) else success
    if message:
        flash(str(message), "success")
    return Outcome(True, value)
