"""Every area's models, imported together so the metadata (and Alembic) sees all tables."""
from .accounts.models import Membership, User  # noqa: F401
from .agenda import models as agenda_models  # noqa: F401
from .badging.models import RevokedBadge  # noqa: F401
from .certificates.models import Certificate, CertificateSettings  # noqa: F401
from .checkin.models import CheckIn, Device, ScanLog  # noqa: F401
from .events.models import Conference, Room, Track  # noqa: F401
from .feedback.models import SessionFeedback  # noqa: F401
from .mail.models import OutboxMessage  # noqa: F401
from .messages.models import Message  # noqa: F401
from .questions.models import Answer, PurgeRecord, Question, QuestionChoice  # noqa: F401
from .registration.models import AuditEntry, Delegate, Delegation  # noqa: F401
from .submissions import models as submissions_models  # noqa: F401
