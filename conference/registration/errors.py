"""The one error registration raises: a change that cannot be made, with a message for the person."""
from __future__ import annotations

from ..core.actions import ServiceError


class RegistrationError(ServiceError):
    """A registration change that cannot be made, with a message for the person."""
