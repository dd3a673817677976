"""Demo proposals for the Doha conference: the call's texts, about 40 proposals, reviews and decisions."""
from __future__ import annotations

import random
from datetime import datetime, time, timedelta, timezone

from sqlalchemy import func, select

from ..accounts.models import Role, User
from ..accounts.services import create_user, find_user, grant_role
from ..events.models import Conference
from ..extensions import db
from ..mail.models import MailState
from ..registration.demo import DEMO_PASSWORD
from ..registration.models import Delegate, DelegateStatus
from ..registration.services import register_speaker
from .call import call_of, proposal_types
from .models import (
    CO_SPEAKER,
    SUBMITTER,
    Proposal,
    ProposalLogEntry,
    ProposalSpeaker,
    ProposalStatus,
    ReviewAssignment,
    SpeakerAvailability,
    SpeakerProfile,
)
from .workflow import notify_speakers

CALL_EN = (
    "The International Conference of Child Helplines invites practitioners, ministries, NGOs, researchers and UN "
    "agencies to propose talks, panels and workshops for its two days in Doha.\n\n"
    "We welcome proposals on child protection and helpline practice in the Gulf and beyond; children in "
    "emergencies and political crises, and the response of UN organizations; helplines and the development "
    "goals; data, technology and evaluation; and international and regional best practice in laws, systems and "
    "policies.\n\n"
    "Sessions are held in Arabic, in English, or in both with simultaneous interpretation. A committee reviews "
    "every proposal without seeing the speakers' names. Speakers of accepted sessions confirm on this site and "
    "receive their badge with their registration."
)
CALL_AR = (
    "يدعو المؤتمر الدولي لخطوط مساندة الطفل العاملين في الميدان والوزارات والمنظمات غير الحكومية والباحثين "
    "ووكالات الأمم المتحدة إلى تقديم مقترحات لمحاضرات وجلسات حوارية وورش عمل خلال يومي المؤتمر في الدوحة.\n\n"
    "نرحب بالمقترحات حول حماية الطفل وممارسات خطوط المساندة في الخليج وخارجه؛ والأطفال في حالات الطوارئ "
    "والأزمات السياسية واستجابة منظمات الأمم المتحدة؛ ودور خطوط المساندة في تحقيق أهداف التنمية؛ والبيانات "
    "والتقنية والتقييم؛ وأفضل الممارسات الدولية والإقليمية في القوانين والأنظمة والسياسات.\n\n"
    "تُعقد الجلسات بالعربية أو بالإنجليزية أو باللغتين مع ترجمة فورية. تراجع لجنة كل مقترح دون الاطلاع على "
    "أسماء المتحدثين، ويؤكد متحدثو الجلسات المقبولة مشاركتهم عبر هذا الموقع ويحصلون على بطاقاتهم مع تسجيلهم."
)
EXTRA_REVIEWERS = (("reviewer2@example.org", "Layla Haddad"), ("reviewer3@example.org", "Tarek El-Alaoui"))

# (title, abstract, type: 0 talk / 1 panel / 2 workshop, track 0-3, language)
PROPOSALS = [
    ("تجربة سلطنة عمان في خط حماية الطفل", "نعرض تجربة سلطنة عمان في تشغيل خط حماية الطفل منذ إنشائه: آليات استقبال البلاغات، والتنسيق مع الجهات المعنية، وتدريب المستشارين، وما تعلمناه من عشر سنوات من الاستجابة للأطفال وأسرهم.", 0, 0, "ar"),
    ("Answering in the night: staffing a 24-hour child helpline", "How a small national helpline covers nights and holidays without burning out its counsellors: rotas, remote shifts, supervision and the data that convinced the ministry to fund them.", 0, 0, "en"),
    ("UN agencies and helplines in the first 72 hours of a crisis", "A panel of UNICEF, UNHCR and national helplines on who does what when children are displaced overnight: referral pathways, shared hotlines and protecting children's data under pressure.", 1, 1, "both"),
    ("الاستجابة الطارئة للأطفال في الأزمات السياسية", "كيف تتكامل خطوط المساندة مع منظمات الأمم المتحدة في الاستجابة الطارئة للأطفال خلال الأزمات السياسية، مع أمثلة من المنطقة حول الإحالة والدعم النفسي عن بُعد.", 1, 1, "ar"),
    ("Helplines and the Sustainable Development Goals", "Target 16.2 asks us to end violence against children. We show how helpline data can report progress on the SDGs and what ministries need from us to use it.", 0, 2, "en"),
    ("دور خطوط المساندة في تحقيق أهداف التنمية المستدامة", "تقدم الورقة قراءة في مساهمة خطوط مساندة الطفل في تحقيق الهدف السادس عشر من أهداف التنمية المستدامة، وكيف يمكن توظيف بياناتها في التقارير الوطنية.", 0, 2, "ar"),
    ("Counting calls that matter: a common data set for MENA helplines", "A proposal for shared categories and indicators so that helplines in the region can compare their data and learn from each other without sharing personal information.", 0, 3, "en"),
    ("Chat, text and voice: what children choose in 2027", "Three years of contact data from a Gulf helpline show children moving from calls to chat. We discuss staffing, safety and quality when the conversation is written.", 0, 3, "en"),
    ("ورشة عمل: الإصغاء الفعّال للأطفال عبر الهاتف", "ورشة تطبيقية للمستشارين الجدد حول مهارات الإصغاء الفعّال وطرح الأسئلة المفتوحة وتقييم الخطر خلال المكالمة، مع تمارين لعب الأدوار.", 2, 0, "ar"),
    ("Workshop: risk assessment on a live chat", "Hands-on practice with anonymised chat transcripts: spotting risk, escalating safely and writing notes that the next counsellor can use.", 2, 0, "en"),
    ("Laws that protect: comparing child protection acts in the Gulf", "A comparative review of child protection laws in GCC states: mandatory reporting, the place of helplines in the law, and gaps that practitioners meet every day.", 0, 2, "both"),
    ("مراجعة أفضل الممارسات الدولية والإقليمية في السياسات", "عرض لأفضل الممارسات الدولية والإقليمية في القوانين والأنظمة والسياسات المتعلقة بحماية الطفل، مع توصيات عملية للدول التي تعتزم إنشاء خطوط مساندة.", 1, 2, "ar"),
    ("Setting up a national child helpline: a practical guide", "For states considering a helpline: legal basis, short number, partnerships with police, health and schools, and the first year's budget.", 2, 2, "en"),
    ("Online sexual exploitation: what helplines hear first", "Children often tell a helpline before anyone else. We share how counsellors respond to online exploitation and how reports reach the platforms and the police.", 0, 3, "en"),
    ("الحماية الرقمية للأطفال: دور خطوط المساندة", "تتناول المحاضرة المخاطر الرقمية التي يواجهها الأطفال، ودور خطوط المساندة في التوعية والاستجابة للبلاغات بالتعاون مع الجهات الأمنية والمنصات.", 0, 3, "ar"),
    ("Children on the move: helplines for refugee and migrant children", "Language, trust and legal status: what changes when the child calling is a refugee, and how helplines work with UNHCR and shelters.", 0, 1, "en"),
    ("Supervision and self-care for helpline counsellors", "Vicarious trauma is the hidden cost of helpline work. A panel on supervision models, peer support and what managers can do.", 1, 0, "en"),
    ("الصحة النفسية للمستشارين في خطوط المساندة", "كيف نحمي الصحة النفسية للعاملين في خطوط المساندة؟ تجارب من مراكز عربية في الإشراف المهني والدعم بين الأقران.", 1, 0, "ar"),
    ("Schools and helplines: a referral partnership", "A pilot in which school counsellors and the national helpline share a referral protocol, with results from the first school year.", 0, 0, "en"),
    ("Measuring quality: call monitoring that counsellors accept", "A quality framework built with counsellors rather than imposed on them: listening sessions, feedback and measurable standards.", 0, 3, "en"),
    ("شراكة خطوط المساندة مع الشرطة والنيابة", "نموذج للتعاون بين خط مساندة الطفل وجهات إنفاذ القانون يحفظ مصلحة الطفل الفضلى ويحمي سرية المتصل.", 0, 2, "ar"),
    ("Artificial intelligence on a child helpline: help or harm?", "Triage bots, transcription and risk flags: a debate on what AI can safely do on a helpline and what must stay human.", 1, 3, "en"),
    ("Workshop: designing a helpline awareness campaign with children", "Participants design a campaign with a youth advisory group: messages, channels and how to measure whether children know the number.", 2, 0, "both"),
    ("أطفال ذوو إعاقة: إتاحة خطوط المساندة للجميع", "كيف نجعل خطوط المساندة متاحة للأطفال ذوي الإعاقة السمعية والبصرية: المحادثة النصية، ولغة الإشارة، والتدريب المتخصص.", 0, 0, "ar"),
    ("Child marriage and helplines: listening without judging", "Calls about early marriage raise legal, cultural and safety questions. Counsellors share how they respond and when they refer.", 0, 2, "both"),
    ("Emergency helplines after earthquakes and floods", "What a helpline learnt from two natural disasters: surge staffing, psychological first aid by phone and working with the Red Crescent.", 0, 1, "en"),
    ("خطوط المساندة في مخيمات اللجوء", "تجربة تشغيل خط مساندة للأطفال في مخيمات اللجوء بالتعاون مع منظمات الأمم المتحدة: التحديات واللغة وبناء الثقة.", 0, 1, "ar"),
    ("Financing helplines: from pilot project to public service", "How helplines in the region moved from donor funding to state budgets, and what evidence convinced finance ministries.", 1, 2, "en"),
    ("Workshop: writing a helpline annual report ministries read", "From raw contact data to a ten-page report with the three numbers decision makers remember.", 2, 3, "en"),
    ("الإساءة داخل الأسرة: التدخل المبكر عبر الهاتف", "دراسة حالات مجهّلة توضح كيف يمكن للتدخل المبكر عبر خط المساندة أن يمنع تفاقم الإساءة داخل الأسرة، ومتى تجب الإحالة.", 0, 0, "ar"),
    ("Youth advisory boards: children shaping the helpline", "Children aged 13 to 17 advise our helpline on language, opening hours and campaigns. What changed, and how we keep it safe.", 0, 0, "en"),
    ("Cross-border cases: when the child calls from another country", "Referral between national helplines across borders, with Child Helpline International's network and the legal limits of sharing.", 0, 2, "en"),
    ("بناء القدرات في منطقة الشرق الأوسط وشمال أفريقيا", "عرض لنهج مركز أمان في بناء قدرات العاملين في حماية الطفل في المنطقة: التدريب، والإرشاد، وتبادل الخبرات بين الدول.", 1, 0, "ar"),
    ("Privacy by design for helpline case systems", "What a case management system must do to protect children's data: minimal records, retention, access logs and encryption.", 0, 3, "en"),
    ("Bullying calls: patterns across a school year", "Contact data show when bullying calls peak and what children ask for. Implications for schools and ministries of education.", 0, 3, "en"),
    ("Workshop: psychological first aid for children by phone", "A practical introduction to psychological first aid adapted to phone and chat, for helpline staff and volunteers.", 2, 1, "both"),
    ("دور الإعلام في التعريف بخطوط مساندة الطفل", "كيف يمكن للإعلام التقليدي والرقمي أن يعرّف الأطفال بخطوط المساندة دون المساس بخصوصيتهم أو إثارة الخوف.", 0, 0, "ar"),
    ("Helplines and juvenile justice", "Children in conflict with the law call helplines too. A panel on advice, referral and the right to be heard.", 1, 2, "en"),
    ("Evaluating a helpline: a randomised study that almost worked", "An honest account of evaluating helpline outcomes: what we measured, what went wrong, and what we would do differently.", 0, 3, "en"),
    ("خط المساندة والمدرسة: برنامج إحالة مشترك", "برنامج تجريبي للإحالة المتبادلة بين المرشدين في المدارس وخط مساندة الطفل، ونتائج العام الدراسي الأول.", 0, 0, "ar"),
    ("Rural children and the digital divide", "Children in rural areas have fewer phones and less privacy. Outreach approaches that reached them in three countries.", 0, 0, "en"),
    ("Draft: helpline volunteers in the Gulf", "", 0, 0, "en"),
]
# Fate of each proposal above, in order (the first, Hamad's, is confirmed).
FATES = ([ProposalStatus.CONFIRMED] * 15 + [ProposalStatus.ACCEPTED] * 5 + [ProposalStatus.REJECTED] * 8 + [ProposalStatus.SUBMITTED] * 8 + [ProposalStatus.WITHDRAWN] * 2
         + [ProposalStatus.DRAFT] * 4)
BIO_EN = "{job} at {organization}. Works on child protection and child helplines."
BIO_AR = "يعمل في {organization} في مجال حماية الطفل وخطوط المساندة."


def _reviewers(conference: Conference) -> list[User]:
    reviewers = []
    main = find_user("reviewer@example.org")
    if main is not None:
        reviewers.append(main)
    for email, name in EXTRA_REVIEWERS:
        user = find_user(email) or create_user(email, DEMO_PASSWORD, name, verified=True)
        grant_role(user, conference.id, Role.REVIEWER)
        reviewers.append(user)
    return reviewers


def _profile(conference: Conference, delegate: Delegate) -> SpeakerProfile:
    profile = db.session.scalar(SpeakerProfile.of(conference).where(
                                                             SpeakerProfile.user_id == delegate.user_id))
    if profile is None:
        organization = delegate.organization or "National Child Helpline"
        profile = SpeakerProfile(
            conference_id=conference.id, user_id=delegate.user_id, name=delegate.name,
            name_latin=delegate.name_latin, name_ar=delegate.name_ar, organization=organization,
            country=delegate.country, bio_en=BIO_EN.format(job=delegate.job_title or "Child protection specialist",
                                                          organization=organization),
            bio_ar=BIO_AR.format(organization=organization))
        db.session.add(profile)
    return profile


def seed_proposals(conference: Conference) -> None:
    """The call's texts, about 40 proposals with speakers, reviews and decisions; once per conference."""
    if db.session.scalar(select(func.count(Proposal.id)).where(Proposal.conference_id == conference.id)):
        return
    rng = random.Random(923)
    call = call_of(conference)
    call.text_en, call.text_ar, call.abstract_word_limit, call.reviewers_per_proposal = CALL_EN, CALL_AR, 300, 2
    types = proposal_types(conference)
    tracks = conference.tracks
    reviewers = _reviewers(conference)
    organizer = find_user("organizer@example.org")
    people = db.session.scalars(
        Delegate.of(conference).where(
                               Delegate.status.in_((DelegateStatus.APPROVED, DelegateStatus.PENDING)))
        .order_by(Delegate.id)).all()
    hamad = next((d for d in people if d.email == "hamad.alhousni@example.org"), None)
    others = [d for d in people if d is not hamad]
    rng.shuffle(others)
    authors = ([hamad] if hamad else []) + others
    now = datetime.now(timezone.utc)
    used = 0
    for n, ((title, abstract, kind, track, language), fate) in enumerate(zip(PROPOSALS, FATES, strict=False)):
        author = authors[used]
        used += 1
        co_count = 1 if n % 4 == 1 else 2 if n % 9 == 2 else 0
        co_speakers = authors[used:used + co_count]
        used += co_count
        created = now - timedelta(days=30 - n // 2, hours=rng.randint(0, 20))
        proposal = Proposal(
            conference_id=conference.id, title=title, abstract=abstract, proposal_type_id=types[kind].id,
            track_id=tracks[track].id if tracks else None, language=language,
            duration_minutes=types[kind].duration_minutes, status=fate, submitted_by_id=author.user_id,
            notes="We can also run this as a shorter talk." if n % 7 == 3 else "", created_at=created,
            updated_at=created)
        proposal.speakers.append(ProposalSpeaker(user_id=author.user_id, email=author.email, role=SUBMITTER,
                                                 position=0, locale=author.locale, accepted_at=created))
        for position, co in enumerate(co_speakers, start=1):
            proposal.speakers.append(ProposalSpeaker(user_id=co.user_id, email=co.email, role=CO_SPEAKER,
                                                     position=position, locale=co.locale, invited_at=created,
                                                     accepted_at=created + timedelta(hours=5)))
        if n == 2:  # one invitation still open
            proposal.speakers.append(ProposalSpeaker(email="ngozi.eze@example.org", role=CO_SPEAKER, position=3,
                                                     locale="en", invited_at=created))
        for delegate in [author, *co_speakers]:
            _profile(conference, delegate)
        _history(proposal, fate, created, author.user_id, organizer)
        db.session.add(proposal)
        db.session.flush()
        _reviews(proposal, fate, reviewers, n, rng, created)
        if fate == ProposalStatus.CONFIRMED:
            # The speakers confirmed, so their acceptance letters went out (a speaker answers a letter received).
            for letter in notify_speakers(proposal, conference, "proposal_accepted"):
                letter.state, letter.created_at, letter.sent_at = MailState.SENT, proposal.decided_at, proposal.decided_at
            for delegate in [author, *co_speakers]:
                register_speaker(conference, delegate.user, organizer, profile=_profile(conference, delegate))
        if fate == ProposalStatus.ACCEPTED:  # their letters wait in the outbox for the organizers to release
            notify_speakers(proposal, conference, "proposal_accepted", draft=True)
    _availability(conference, authors[:3])
    db.session.flush()


def _history(proposal: Proposal, fate: ProposalStatus, created: datetime, author_id: int,
             organizer: User | None) -> None:
    """The state log a proposal would have, up to its fate."""
    steps = [(None, ProposalStatus.DRAFT, author_id)]
    if fate != ProposalStatus.DRAFT:
        steps.append((ProposalStatus.DRAFT, ProposalStatus.SUBMITTED, author_id))
    if fate in (ProposalStatus.ACCEPTED, ProposalStatus.CONFIRMED):
        steps.append((ProposalStatus.SUBMITTED, ProposalStatus.ACCEPTED, organizer.id if organizer else None))
    if fate == ProposalStatus.CONFIRMED:
        steps.append((ProposalStatus.ACCEPTED, ProposalStatus.CONFIRMED, author_id))
    if fate == ProposalStatus.REJECTED:
        steps.append((ProposalStatus.SUBMITTED, ProposalStatus.REJECTED, organizer.id if organizer else None))
    if fate == ProposalStatus.WITHDRAWN:
        steps.append((ProposalStatus.SUBMITTED, ProposalStatus.WITHDRAWN, author_id))
    for day, (old, new, actor) in enumerate(steps):
        proposal.log.append(ProposalLogEntry(actor_id=actor, at=created + timedelta(days=day, hours=1),
                                             from_status=old.value if old else None, to_status=new.value))
    if fate != ProposalStatus.DRAFT:
        proposal.submitted_at = created + timedelta(days=1, hours=1)
    if fate in (ProposalStatus.ACCEPTED, ProposalStatus.CONFIRMED, ProposalStatus.REJECTED):
        proposal.decided_at = created + timedelta(days=2, hours=1)


def _reviews(proposal: Proposal, fate: ProposalStatus, reviewers: list[User], n: int, rng: random.Random,
             created: datetime) -> None:
    """Two reviewers per proposal, in turn; decided ones fully reviewed, some submitted ones still open."""
    if fate == ProposalStatus.DRAFT or not reviewers:
        return
    chosen = [reviewers[n % len(reviewers)], reviewers[(n + 1) % len(reviewers)]]
    for k, reviewer in enumerate(dict.fromkeys(chosen)):
        assignment = ReviewAssignment(proposal_id=proposal.id, reviewer_id=reviewer.id,
                                      assigned_at=created + timedelta(days=1, hours=2))
        open_review = fate in (ProposalStatus.SUBMITTED, ProposalStatus.WITHDRAWN) and (n + k) % 3 == 0
        if not open_review:
            high = fate in (ProposalStatus.ACCEPTED, ProposalStatus.CONFIRMED)
            assignment.score = rng.choice((4, 5, 5)) if high else rng.choice((1, 2, 3)) if fate == ProposalStatus.REJECTED \
                else rng.randint(2, 5)
            assignment.comment = COMMENTS[assignment.score]
            assignment.reviewed_at = created + timedelta(days=1, hours=6)
        db.session.add(assignment)


COMMENTS = {
    1: "Outside the conference's themes.",
    2: "Interesting, but the abstract does not say what participants will learn.",
    3: "Relevant; would be stronger with data from the helpline itself.",
    4: "Clear, practical and relevant to helplines in the region.",
    5: "Excellent: exactly what the programme needs.",
}


def _availability(conference: Conference, speakers: list[Delegate]) -> None:
    """A few speakers who can only speak at some times (the agenda warns outside them)."""
    tz = conference.tz
    first, last = conference.days[0], conference.days[-1]
    ranges = [
        [(first, time(9, 0), time(13, 0))],
        [(last, time(9, 0), time(17, 0))],
        [(first, time(14, 0), time(18, 0)), (last, time(9, 0), time(12, 0))],
    ]
    for delegate, windows in zip(speakers, ranges, strict=False):
        for day, start, end in windows:
            db.session.add(SpeakerAvailability(conference_id=conference.id, user_id=delegate.user_id,
                                               starts_at=datetime.combine(day, start, tzinfo=tz),
                                               ends_at=datetime.combine(day, end, tzinfo=tz)))
