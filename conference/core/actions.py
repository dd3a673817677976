"""The one place where a page's change is committed or rolled back, and the person told which.

Services change rows and raise a ServiceError (an area's own subclass) when a change cannot be made; they never
commit. A view hands the change to perform(): it commits and flashes the success message, or rolls everything
back and flashes the service's own message. Views are left to parse the form, call, and redirect.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

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


def perform(action: Callable[[], T], success: str | Callable[[T], str | None] | None = None,
            conflict: str | None = None, field: Any = None) -> Outcome[T]:
    """Run a service action and commit, flashing `success`; on a ServiceError or a collision roll back and say why.

    `success` may be a function of the action's result; `conflict` replaces the message for a unique-constraint
    collision (for example, when naming the collision would reveal something), and an empty `conflict` says
    nothing, for a page that answers a collision as it answers success. With `field` (a form field), a refusal
    is written under that field instead of flashed, as a form's own errors are.
    """
    try:
        value = action()
        db.session.commit()
    except ServiceError as error:
        db.session.rollback()
        if field is not None:
            field.errors.append(str(error))
        else:
            flash(str(error), error.category)
        return Outcome(False, error=error)
    except IntegrityError as error:
        db.session.rollback()
        message = CONCURRENT_CHANGE if conflict is None else conflict
        if message:
            flash(str(message), "error")
        return Outcome(False, error=error)
    message = success(value) if callable(success) else success
    if message:
        flash(str(message), "success")
    return Outcome(True, value)
