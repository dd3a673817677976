"""The Doha demo conference: data for `flask seed-demo`, created once and left alone after."""
from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from .accounts.models import Role
from .accounts.services import create_user, find_user, grant_role
from .agenda.demo import seed_agenda
from .certificates.demo import seed_certificates
from .events.models import Conference
from .events.services import add_room, add_track, get_conference
from .extensions import db
from .feedback.demo import seed_attendance
from .messages.demo import seed_messages
from .questions.demo import seed_questions
from .registration.demo import DEMO_PASSWORD, seed_delegates
from .submissions.demo import seed_proposals

DEMO_SLUG = "doha-helplines"
DEMO_USERS = (
    ("admin@example.org", "Site Administrator", None),
    ("organizer@example.org", "Mariam Al-Kuwari", Role.ORGANIZER),
    ("reviewer@example.org", "Youssef Benali", Role.REVIEWER),
    ("staff@example.org", "Door Staff", Role.STAFF),
)
ROOMS = (
    ("Main Hall", "القاعة الرئيسية", 400),
    ("Al Majlis Room", "قاعة المجلس", 120),
    ("Workshop Room 1", "قاعة ورش العمل ١", 60),
    ("Workshop Room 2", "قاعة ورش العمل ٢", 60),
)
TRACKS = (
    ("Child protection and helpline practice", "حماية الطفل وممارسات خطوط المساندة", "#0b6e6e"),
    ("Children in emergencies and crises", "الأطفال في حالات الطوارئ والأزمات", "#b91c1c"),
    ("Law, policy and the development goals", "القوانين والسياسات وأهداف التنمية", "#1d4ed8"),
    ("Data, technology and best practice", "البيانات والتقنية وأفضل الممارسات", "#7b2cbf"),
)


def next_may_23(today: date) -> date:
    """The next 23 May after today: the demo conference is always ahead."""
    candidate = date(today.year, 5, 23)
    return candidate if candidate > today else date(today.year + 1, 5, 23)


def _demo_conference(today: date) -> Conference:
    start = next_may_23(today)
    tz = ZoneInfo("Asia/Qatar")
    return Conference(
        slug=DEMO_SLUG,
        name_en="International Conference of Child Helplines",
        name_ar="المؤتمر الدولي لخطوط مساندة الطفل",
        description_en=(
            "Two days on child protection and child helplines: Oman's child hotline experience, "
            "emergency response for children in crises with UN organizations, helplines and the "
            "development goals, and international and regional best practice in laws and policies.\n"
            "Organized by the Protection and Social Rehabilitation Centre \"AMAN\", Qatar Foundation for Social Work."
        ),
        description_ar=(
            "يومان حول حماية الطفل وخطوط مساندة الطفل: تجربة سلطنة عمان في خط حماية الطفل، وآليات الاستجابة "
            "الطارئة للأطفال في الأزمات عبر منظمات الأمم المتحدة، ودور خطوط المساندة في تحقيق أهداف التنمية، "
            "ومراجعة أفضل الممارسات الدولية والإقليمية في القوانين والأنظمة والسياسات.\n"
            "ينظمه مركز الحماية والتأهيل الاجتماعي \"أمان\"، أحد مراكز المؤسسة القطرية للعمل الاجتماعي."
        ),
        venue_en="Qatar National Convention Centre",
        venue_ar="مركز قطر الوطني للمؤتمرات",
        city_en="Doha",
        city_ar="الدوحة",
        country="QA",
        timezone="Asia/Qatar",
        start_date=start,
        end_date=date(start.year, 5, 24),
        registration_opens_at=datetime(start.year - 1, 11, 1, 9, 0, tzinfo=tz),
        registration_closes_at=datetime.combine(start, time(0, 0), tzinfo=tz),
        capacity=400,
        auto_approve=False,
        cfp_opens_at=datetime(start.year - 1, 11, 1, 9, 0, tzinfo=tz),
        cfp_closes_at=datetime(start.year, 3, 31, 23, 59, tzinfo=tz),
        agenda_published=False,
        admit_only_on_conference_days=False,  # so the demo door can be tried on any day
    )


def seed_users(conference: Conference) -> None:
    """Demo accounts for every role; an existing account is left as it is."""
    for email, name, role in DEMO_USERS:
        user = find_user(email) or create_user(email, DEMO_PASSWORD, name, is_admin=role is None, verified=True)
        if role is not None:
            grant_role(user, conference.id, role)


def seed_demo(today: date) -> Conference:
    """Create the Doha demo conference with rooms, accounts and the areas' demo data."""
    conference = get_conference(DEMO_SLUG)
    if conference is None:
        conference = _demo_conference(today)
        db.session.add(conference)
        db.session.flush()
        for name_en, name_ar, capacity in ROOMS:
            add_room(conference, name_en, name_ar, capacity)
        for name_en, name_ar, colour in TRACKS:
            add_track(conference, name_en, name_ar, colour)
    seed_users(conference)
    for extend in SEED_EXTENSIONS:
        extend(conference)
    db.session.commit()
    return conference


# Every demo account, as the start-up banner and the README list them (one password for all: DEMO_PASSWORD).
DEMO_ACCOUNTS = (
    ("admin@example.org", "site administrator (creates conferences, sees every outbox)"),
    ("organizer@example.org", f"organizer of {DEMO_SLUG}"),
    ("reviewer@example.org, reviewer2@example.org, reviewer3@example.org", "reviewers of the call for proposals"),
    ("staff@example.org", f"door staff of {DEMO_SLUG}"),
    ("hamad.alhousni@example.org", "head of the Omani delegation, approved; speaker with a confirmed proposal"),
    ("delegate001@example.org … delegate259@example.org", "demo delegates in every status"),
)


# Each area fills in its own demo data, idempotently; later areas build on earlier ones
# (the agenda places proposals that the call for proposals confirmed).
SEED_EXTENSIONS: list = [seed_delegates, seed_proposals, seed_agenda, seed_questions, seed_messages,
                         seed_attendance, seed_certificates]
