"""The one error the questions raise: a change that cannot be made, with a message for the person."""
from __future__ import annotations

from ..core.actions import ServiceError


class QuestionError(ServiceError):
    """A question, choice or answer that cannot be saved as asked."""
