"""Every area's models, imported together so the metadata (and Alembic) sees all tables."""
from .accounts.models import Membership, User  # noqa: F401
from .badging.models import RevokedBadge  # noqa: F401
from .checkin.models import CheckIn, Device, ScanLog  # noqa: F401
from .events.models import Conference, Room  # noqa: F401
from .mail.models import OutboxMessage  # noqa: F401
from .registration.models import AuditEntry, Delegate, Delegation  # noqa: F401
