"""Demo data of the certificates area: the Doha conference's certificates, configured and released."""
from __future__ import annotations

from ..events.models import Conference
from .services import save_settings, settings_of

DEMO_SETTINGS = {
    "title_en": "Certificate of Attendance",
    "title_ar": "شهادة حضور",
    "wording_en": "attended the International Conference of Child Helplines in Doha, Qatar.",
    "wording_ar": "حضر المؤتمر الدولي لخطوط نجدة الطفل في الدوحة، قطر.",
    "organizer_en": "Child Helpline International and the National Child Helpline of Qatar",
    "organizer_ar": "منظمة خطوط نجدة الطفل الدولية وخط نجدة الطفل الوطني في قطر",
    "signatory_name": "Dr. Amal Al-Mansoori",
    "signatory_title": "Chair of the Organizing Committee",
    "list_sessions": True,
}


def seed_certificates(conference: Conference) -> None:
    """Configure the certificates once, released from the first day, so that the demo shows them at once."""
    if settings_of(conference) is not None:
        return
    save_settings(conference, {**DEMO_SETTINGS, "release_on": conference.start_date})
