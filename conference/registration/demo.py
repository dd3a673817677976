"""Demo delegates for the Doha conference: many countries, both scripts, every status."""
from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

from ..accounts.models import User
from ..events.models import Conference
from ..extensions import db
from .models import AuditEntry, Category, Delegate, DelegateStatus, Delegation
from .services import new_badge_token
from .workflow import places_taken

DEMO_PASSWORD = "doha-demo-2027"  # every demo account's password

ARAB_FIRST = [("محمد", "Mohammed"), ("أحمد", "Ahmed"), ("فاطمة", "Fatima"), ("مريم", "Mariam"), ("خالد", "Khaled"),
              ("نورة", "Noura"), ("يوسف", "Youssef"), ("سارة", "Sara"), ("عبدالله", "Abdullah"), ("ليلى", "Layla"),
              ("عمر", "Omar"), ("هند", "Hind"), ("سلطان", "Sultan"), ("عائشة", "Aisha"), ("حسن", "Hassan"),
              ("رنا", "Rana"), ("طارق", "Tarek"), ("دانة", "Dana"), ("إبراهيم", "Ibrahim"), ("منى", "Mona"),
              ("سعيد", "Saeed"), ("أمل", "Amal"), ("ناصر", "Nasser"), ("هبة", "Heba"), ("كريم", "Karim")]
ARAB_FAMILY = [("الكواري", "Al-Kuwari"), ("المري", "Al-Marri"), ("الحربي", "Al-Harbi"), ("البلوشي", "Al-Balushi"),
               ("الزعبي", "Al-Zoubi"), ("المصري", "El-Masry"), ("بنعلي", "Benali"), ("الشمري", "Al-Shammari"),
               ("حداد", "Haddad"), ("الهاشمي", "Al-Hashimi"), ("العنزي", "Al-Enezi"), ("التونسي", "Ettounsi"),
               ("الفلاسي", "Al-Falasi"), ("السويدي", "Al-Suwaidi"), ("الراشد", "Al-Rashed"), ("المهيري", "Al-Muhairi"),
               ("الجبوري", "Al-Jubouri"), ("الخطيب", "Al-Khatib"), ("العلوي", "El-Alaoui"), ("الحوسني", "Al-Housni")]
ARAB_COUNTRIES = ["QA", "SA", "AE", "KW", "BH", "OM", "JO", "LB", "EG", "IQ", "PS", "YE", "SD", "LY", "TN", "DZ",
                  "MA", "MR"]
# Names as people in these countries write them, with the Latin-letter form where the script differs.
OTHER_NAMES = {
    "TR": [("Elif Yılmaz", ""), ("Mehmet Kaya", ""), ("Zeynep Demir", "")],
    "IR": [("مریم رضایی", "Maryam Rezaei"), ("علی حسینی", "Ali Hosseini")],
    "PK": [("Ayesha Khan", ""), ("Imran Qureshi", "")],
    "IN": [("Priya Sharma", ""), ("Rahul Mehta", "")],
    "GB": [("Charlotte Evans", ""), ("James O'Connor", ""), ("Sophie Williams", "")],
    "FR": [("Camille Dubois", ""), ("Étienne Lefèvre", "")],
    "DE": [("Anna Schröder", ""), ("Jonas Müller", "")],
    "US": [("Emily Johnson", ""), ("Michael Brown", "")],
    "KE": [("Wanjiru Kamau", ""), ("Otieno Odhiambo", "")],
    "NG": [("Chiamaka Okafor", ""), ("Babatunde Adeyemi", "")],
    "ZA": [("Thandiwe Nkosi", ""), ("Pieter van der Merwe", "")],
    "SE": [("Astrid Lindqvist", ""), ("Erik Johansson", "")],
    "NL": [("Sanne de Vries", ""), ("Daan Bakker", "")],
    "ES": [("Lucía García", ""), ("Javier Martínez", "")],
    "MY": [("Nurul Aisyah binti Ahmad", ""), ("Tan Wei Ming", "")],
    "ID": [("Siti Rahmawati", ""), ("Budi Santoso", "")],
    "RU": [("Анна Смирнова", "Anna Smirnova"), ("Дмитрий Иванов", "Dmitry Ivanov")],
    "GR": [("Ελένη Παπαδοπούλου", "Eleni Papadopoulou"), ("Γιώργος Νικολάου", "Giorgos Nikolaou")],
    "BR": [("Ana Beatriz Souza", ""), ("João Pereira", "")],
}
ORGANIZATIONS = ["Ministry of Social Development", "National Child Helpline", "UNICEF", "UNHCR",
                 "World Health Organization", "Child Helpline International", "Save the Children",
                 "International Labour Organization", "UNFPA", "National Council for Childhood and Motherhood",
                 "Family Protection Department", "Ministry of Education", "Red Crescent Society",
                 "Protection and Social Rehabilitation Centre (AMAN)", "University Hospital", "Ombudsman for Children"]
ORGANIZATIONS_AR = ["وزارة التنمية الاجتماعية", "خط مساندة الطفل الوطني", "اليونيسف", "مفوضية الأمم المتحدة لشؤون اللاجئين",
                    "منظمة الصحة العالمية", "المجلس الوطني لشؤون الأسرة", "وزارة التربية والتعليم", "جمعية الهلال الأحمر",
                    "مركز الحماية والتأهيل الاجتماعي (أمان)", "إدارة حماية الأسرة"]
JOBS = ["Director", "Programme Officer", "Helpline Coordinator", "Child Protection Specialist", "Psychologist",
        "Social Worker", "Policy Adviser", "Researcher", "Head of Department", "Counsellor"]
DELEGATIONS = {
    "OM": ("Delegation of the Sultanate of Oman", "وفد سلطنة عمان"),
    "QA": ("Delegation of the State of Qatar", "وفد دولة قطر"),
    "SA": ("Delegation of the Kingdom of Saudi Arabia", "وفد المملكة العربية السعودية"),
    "JO": ("Delegation of the Hashemite Kingdom of Jordan", "وفد المملكة الأردنية الهاشمية"),
    "EG": ("Delegation of the Arab Republic of Egypt", "وفد جمهورية مصر العربية"),
    "MA": ("Delegation of the Kingdom of Morocco", "وفد المملكة المغربية"),
    "KW": ("Delegation of the State of Kuwait", "وفد دولة الكويت"),
    "TN": ("Delegation of the Republic of Tunisia", "وفد الجمهورية التونسية"),
}
STATUS_WEIGHTS = [(DelegateStatus.APPROVED, 68), (DelegateStatus.PENDING, 14), (DelegateStatus.WAITLISTED, 7),
                  (DelegateStatus.REJECTED, 5), (DelegateStatus.CANCELLED, 6)]
CATEGORY_WEIGHTS = [(Category.DELEGATE, 78), (Category.SPEAKER, 9), (Category.PRESS, 5), (Category.VIP, 4),
                    (Category.STAFF, 2), (Category.ORGANIZER, 2)]


def _pick(rng: random.Random, weighted: list) -> object:
    return rng.choices([value for value, _ in weighted], weights=[weight for _, weight in weighted])[0]


def _people(rng: random.Random, count: int) -> list[dict]:
    """Generated people: mostly from Arab countries, a third from elsewhere."""
    people = []
    for n in range(count):
        if n % 3 == 2:
            country = rng.choice(sorted(OTHER_NAMES))
            name, latin = rng.choice(OTHER_NAMES[country])
            arabic, organization = "", rng.choice(ORGANIZATIONS)
        else:
            country = rng.choice(ARAB_COUNTRIES)
            first, family = rng.choice(ARAB_FIRST), rng.choice(ARAB_FAMILY)
            arabic, latin = f"{first[0]} {family[0]}", f"{first[1]} {family[1]}"
            write_arabic = rng.random() < 0.7
            name = arabic if write_arabic else latin
            organization = rng.choice(ORGANIZATIONS_AR if write_arabic and rng.random() < 0.5 else ORGANIZATIONS)
        people.append({"name": name, "name_latin": latin if latin != name else "", "name_ar": arabic,
                       "country": country, "organization": organization, "job_title": rng.choice(JOBS)})
    return people


def _add(conference: Conference, person: dict, email: str, password_hash: str, when: datetime,
         status: DelegateStatus, category: Category, codes: dict[str, int], **extra) -> Delegate:
    user = User(email=email, password_hash=password_hash, display_name=person["name"], locale="ar"
                if person["name_ar"] == person["name"] else "en", created_at=when, email_verified_at=when)
    codes[person["country"]] = codes.get(person["country"], 0) + 1
    delegate = Delegate(
        conference_id=conference.id, user=user, email=email, status=status, category=category,
        code=f"{person['country']}-{codes[person['country']]:04d}", badge_token=new_badge_token(),
        consent_privacy=True, consent_public_list=True, locale=user.locale, created_at=when, updated_at=when,
        waitlisted_at=when if status == DelegateStatus.WAITLISTED else None, **person, **extra,
    )
    delegate.audit.append(AuditEntry(event="registered", to_status=DelegateStatus.PENDING.value, at=when))
    if status != DelegateStatus.PENDING:
        delegate.audit.append(AuditEntry(event="status", from_status="pending", to_status=status.value,
                                         at=when + timedelta(days=1)))
    db.session.add(delegate)
    return delegate


def seed_delegates(conference: Conference, count: int = 260) -> None:
    """Add the demo delegates once (a conference that has delegates is left alone)."""
    if db.session.scalar(select(func.count(Delegate.id)).where(Delegate.conference_id == conference.id)):
        return
    rng = random.Random(2027)
    password_hash = generate_password_hash(DEMO_PASSWORD)  # hashed once: demo accounts share it
    start = datetime.now(timezone.utc) - timedelta(days=60)
    codes: dict[str, int] = {}
    delegations = {code: Delegation(conference_id=conference.id, country=code, name=name, name_ar=name_ar)
                   for code, (name, name_ar) in DELEGATIONS.items()}
    db.session.add_all(delegations.values())
    hamad = _add(conference, {"name": "حمد بن سيف الحوسني", "name_latin": "Hamad bin Saif Al-Housni",
                              "name_ar": "حمد بن سيف الحوسني", "country": "OM",
                              "organization": "وزارة التنمية الاجتماعية", "job_title": "Head of delegation"},
                 "hamad.alhousni@example.org", password_hash, start, DelegateStatus.APPROVED, Category.VIP, codes,
                 delegation=delegations["OM"])
    db.session.flush()
    delegations["OM"].head_id = hamad.id
    for n, person in enumerate(_people(rng, count - 1), start=1):
        when = start + timedelta(minutes=rng.randint(0, 60 * 24 * 58))
        delegation = delegations.get(person["country"]) if rng.random() < 0.5 else None
        _add(conference, person, f"delegate{n:03d}@example.org", password_hash, when, _pick(rng, STATUS_WEIGHTS),
             _pick(rng, CATEGORY_WEIGHTS), codes, delegation=delegation)
    db.session.flush()
    # The demo has a waiting list, so the conference is full: every place is approved or pending.
    conference.capacity = places_taken(conference.id)
