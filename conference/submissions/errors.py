"""The one error the call for proposals raises: a change that cannot be made, with a message for the person."""
from __future__ import annotations

from ..core.actions import ServiceError


class SubmissionError(ServiceError):
    """A change to a proposal that cannot be made, with a message for the person."""
