"""Demo agenda for the Doha conference: two days in four rooms, version 1 published, then version 2 with changes."""
from __future__ import annotations

from datetime import time

from sqlalchemy import func, select

from ..events.models import Conference
from ..extensions import db
from ..registration.models import Delegate, DelegateStatus
from .checks import AgendaError, agenda_warnings
from .models import AgendaSession, AgendaVersion
from .services import (
    SessionData,
    create_session,
    place_session,
    proposals_to_schedule,
    save_hours,
    schedule_proposal,
    unplace_session,
    working_sessions,
)
from .versions import publish_agenda

HAMAD = "hamad.alhousni@example.org"
# (day, room, start, end, kind, title_en, title_ar, language, interpretation, track, speakers, moderators, chair)
# room: 0 Main Hall, 1 Al Majlis Room, 2-3 workshop rooms; track: index into the seed's tracks or None;
# people: indexes into the demo speakers list (0 is Hamad bin Saif Al-Housni), None for nobody.
SESSIONS = (
    (0, 0, "08:30", "09:00", "break", "Registration and welcome coffee", "التسجيل وقهوة الترحيب", "both", "", None, (), (), None),
    (0, 0, "09:00", "10:00", "ceremony", "Opening ceremony", "حفل الافتتاح", "ar", "en", None, (1, 2), (), 3),
    (0, 0, "10:00", "11:00", "plenary", "Child helplines internationally: challenges and opportunities",
     "خطوط مساندة الطفل على المستوى الدولي: التحديات والفرص", "en", "ar", 0, (4, 5), (), 6),
    (0, 0, "11:00", "11:30", "break", "Coffee break", "استراحة قهوة", "both", "", None, (), (), None),
    (0, 0, "11:30", "12:30", "plenary", "Child helplines in the region: the MENA experience",
     "خطوط مساندة الطفل في المنطقة: تجربة الشرق الأوسط وشمال إفريقيا", "ar", "en", 0, (7, 8), (), 9),
    (0, 1, "11:30", "12:30", "talk", "Oman's child protection hotline: the experience of the Sultanate",
     "خط حماية الطفل في سلطنة عمان: تجربة السلطنة", "ar", "en", 0, (0,), (), 10),
    (0, 2, "11:30", "12:30", "workshop", "Workshop: answering a child in distress", "ورشة عمل: الرد على طفل في ضائقة",
     "ar", "", 3, (11,), (), None),
    (0, 0, "12:30", "13:30", "break", "Lunch", "الغداء", "both", "", None, (), (), None),
    (0, 0, "13:30", "15:00", "panel", "Children in emergencies and political crises: response with UN organizations",
     "الأطفال في حالات الطوارئ والأزمات السياسية: الاستجابة عبر منظمات الأمم المتحدة", "en", "ar", 1, (12, 13, 14), (15,), None),
    (0, 1, "13:30", "14:30", "talk", "Referral pathways between helplines and child protection services",
     "مسارات الإحالة بين خطوط المساندة وخدمات حماية الطفل", "ar", "", 0, (16,), (), 17),
    (0, 3, "13:30", "15:00", "workshop", "Workshop: data collection and case classification",
     "ورشة عمل: جمع البيانات وتصنيف الحالات", "en", "", 3, (18,), (), None),
    (0, 0, "15:00", "15:30", "break", "Coffee break", "استراحة قهوة", "both", "", None, (), (), None),
    (0, 0, "15:30", "16:30", "panel", "Helplines and the sustainable development goals",
     "دور خطوط مساندة الطفل في تحقيق أهداف التنمية المستدامة", "both", "both", 2, (19, 20), (21,), None),
    (0, 1, "15:30", "16:30", "talk", "Reaching children online: chat and messaging helplines",
     "الوصول إلى الأطفال عبر الإنترنت: خدمات المحادثة والرسائل", "en", "", 3, (22,), (), None),
    (1, 0, "08:30", "09:00", "break", "Morning coffee", "قهوة الصباح", "both", "", None, (), (), None),
    (1, 0, "09:00", "10:30", "plenary", "Best practice in child helplines: international and regional review",
     "أفضل الممارسات في خطوط مساندة الطفل: مراجعة دولية وإقليمية", "en", "ar", 3, (23, 24), (), 25),
    (1, 1, "09:00", "10:00", "talk", "Training and supporting helpline counsellors", "تدريب مستشاري خطوط المساندة ودعمهم",
     "ar", "", 0, (26,), (), None),
    (1, 2, "09:00", "10:30", "workshop", "Workshop: setting up a national child helpline",
     "ورشة عمل: إنشاء خط وطني لمساندة الطفل", "ar", "en", 0, (27,), (), None),
    (1, 0, "10:30", "11:00", "break", "Coffee break", "استراحة قهوة", "both", "", None, (), (), None),
    (1, 0, "11:00", "12:30", "panel", "Laws, systems and policies for child protection",
     "القوانين والنظم والسياسات في حماية الطفل", "ar", "en", 2, (28, 29, 30), (31,), None),
    (1, 1, "11:00", "12:00", "talk", "Measuring the impact of helpline services", "قياس أثر خدمات خطوط المساندة",
     "en", "ar", 3, (32,), (), None),
    (1, 3, "11:00", "12:30", "workshop", "Workshop: psychological first aid for children in crises",
     "ورشة عمل: الإسعافات النفسية الأولية للأطفال في الأزمات", "en", "", 1, (33,), (), None),
    (1, 0, "12:30", "13:30", "break", "Lunch", "الغداء", "both", "", None, (), (), None),
    (1, 0, "13:30", "14:30", "plenary", "Coordinating policies between helpline providers in the Gulf",
     "تنسيق السياسات بين مقدمي خدمات خطوط المساندة في الخليج", "ar", "en", 2, (34, 39), (), 35),
    (1, 1, "13:30", "14:30", "talk", "Aman Shield: an e-platform for child protection workers",
     "درع أمان: منصة إلكترونية للعاملين في حماية الطفل", "ar", "", 3, (36,), (), None),
    (1, 0, "14:30", "15:30", "ceremony", "Recommendations and closing ceremony", "التوصيات وحفل الختام", "ar", "en",
     None, (1, 37), (), 3),
)
# What version 2 corrects: a move, a new title, a new room, a cancelled session and one added.
MOVED = "Workshop: data collection and case classification"
RENAMED = "Measuring the impact of helpline services"
CANCELLED = "Training and supporting helpline counsellors"
PINNED = "Child helplines internationally: challenges and opportunities"  # the assistant never moves it
LEFT_FOR_THE_ASSISTANT = 4  # confirmed proposals left to schedule


def _speakers(conference: Conference) -> list[Delegate]:
    """Hamad bin Saif Al-Housni, then approved demo delegates, enough for every part."""
    hamad = db.session.scalar(Delegate.of(conference).where(Delegate.email == HAMAD))
    others = db.session.scalars(
        Delegate.of(conference).where(Delegate.status == DelegateStatus.APPROVED,
                               Delegate.email != HAMAD).order_by(Delegate.id).limit(40)).all()
    return ([hamad] if hamad else []) + list(others)


def _person(people: list[Delegate], index: int | None) -> int | None:
    return people[index % len(people)].id if people and index is not None else None


def seed_agenda(conference: Conference) -> None:
    """The two Doha days (once: a conference with sessions is left alone), published twice."""
    if db.session.scalar(select(func.count(AgendaSession.id)).where(AgendaSession.conference_id == conference.id)):
        return
    rooms, tracks, people = conference.rooms, conference.tracks, _speakers(conference)
    if len(rooms) < 4:
        return
    _venue_for_the_assistant(rooms)
    # Day 1 goes on after its last coffee break (no closing on day 1): the organizers set its hours.
    save_hours(conference, conference.days[0], time(8, 30), time(16, 30))
    by_title: dict[str, AgendaSession] = {}
    for day, room, start, end, kind, title_en, title_ar, language, interpretation, track, speakers, moderators, \
            chair in SESSIONS:
        data = SessionData(
            title_en=title_en, title_ar=title_ar, kind=kind, day=conference.days[min(day, len(conference.days) - 1)],
            start=time.fromisoformat(start), end=time.fromisoformat(end), room_id=rooms[room].id,
            track_id=tracks[track].id if track is not None and track < len(tracks) else None,
            speaker_ids=[i for i in (_person(people, n) for n in speakers) if i],
            moderator_ids=[i for i in (_person(people, n) for n in moderators) if i],
            chair_id=_person(people, chair), language=language, interpretation=interpretation,
            expected_audience=80 if kind in ("talk", "panel") else None,
        )
        by_title[title_en] = create_session(conference, data)
    by_title[PINNED].pinned = True
    _place_confirmed_proposals(conference)
    db.session.flush()
    # No warnings_seen: a published demo version must be free of clashes (publishing refuses otherwise).
    publish_agenda(conference, None, "First programme · البرنامج الأول")
    _second_version(conference, by_title)
    publish_agenda(conference, None, "Room and time changes after confirmations · تعديلات في القاعات والأوقات بعد التأكيدات")
    _draft_after_publication(conference, by_title)


# Free slots of the smaller rooms, in order of preference, for the call's confirmed proposals.
# (Never during a ceremony or a break, nor after the day's closing: agenda_warnings says so, and the slot is skipped.)
PROPOSAL_SLOTS = ((1, 2, "13:30"), (1, 3, "13:30"), (0, 2, "15:30"), (0, 3, "15:30"), (0, 3, "10:00"),
                  (0, 2, "10:00"), (0, 1, "10:00"), (0, 3, "11:30"), (1, 2, "11:00"), (1, 1, "12:00"))


def _venue_for_the_assistant(rooms: list) -> None:
    """Interpretation booths in the two large rooms; the workshop rooms open from 08:30 to 17:30."""
    for room in rooms[:2]:
        room.interpretation_booths = True
    for room in rooms[2:4]:
        room.opens_at, room.closes_at = time(8, 30), time(17, 30)


def _place_confirmed_proposals(conference: Conference) -> None:
    """Put each confirmed proposal into the first free slot that adds no warning (a published demo has no clash).

    The last few stay in the "to be scheduled" list, for the placement assistant to place.
    """
    taken: set[tuple[int, int, str]] = set()
    for proposal in proposals_to_schedule(conference)[:-LEFT_FOR_THE_ASSISTANT or None]:
        if (proposal.duration_minutes or 30) > 90:
            continue
        session = schedule_proposal(conference, proposal.id, None, None, None)
        for slot in PROPOSAL_SLOTS:
            day, room, start = slot
            if slot in taken:
                continue
            try:
                place_session(conference, session, conference.rooms[room].id,
                              conference.days[min(day, len(conference.days) - 1)], time.fromisoformat(start))
            except AgendaError:
                continue
            if not any(session.id in w.session_ids for w in agenda_warnings(conference, working_sessions(conference))):
                taken.add(slot)
                break
            unplace_session(conference, session)
        else:
            if session.placed:
                unplace_session(conference, session)


def _second_version(conference: Conference, by_title: dict[str, AgendaSession]) -> None:
    """The corrections that make the changelog's content."""
    last = conference.days[-1]
    place_session(conference, by_title[MOVED], conference.rooms[3].id, last, time(9))
    by_title[RENAMED].title_en = "Measuring the impact of child helplines: data and evaluation"
    by_title[RENAMED].title_ar = "قياس أثر خطوط مساندة الطفل: البيانات والتقييم"
    db.session.delete(by_title[CANCELLED])
    people = _speakers(conference)
    create_session(conference, SessionData(
        title_en="Youth voices: what children tell helplines", title_ar="أصوات الشباب: ما يقوله الأطفال لخطوط المساندة",
        kind="talk", day=last, start=time(9), end=time(10), room_id=conference.rooms[1].id,
        speaker_ids=[i for i in (_person(people, 38),) if i], language="both", interpretation="both",
        track_id=conference.tracks[0].id if conference.tracks else None))
    db.session.flush()


def _draft_after_publication(conference: Conference, by_title: dict[str, AgendaSession]) -> None:
    """Unpublished edits that leave warnings for the editor's panel: a full room, and a workshop moved into the
    closing ceremony under its chair."""
    workshop = by_title["Workshop: answering a child in distress"]
    capacity = workshop.room.capacity if workshop.room is not None else None
    if capacity:
        workshop.expected_audience = capacity + 20
    closing, plenary = by_title["Recommendations and closing ceremony"], by_title[MOVED]
    if closing.chair_id:
        plenary.chair_id = closing.chair_id
        plenary.starts_at, plenary.ends_at = closing.starts_at, closing.ends_at
    db.session.flush()


def demo_versions(conference: Conference) -> int:
    """How many versions the demo has (for the command's summary)."""
    return db.session.scalar(select(func.count(AgendaVersion.id)).where(AgendaVersion.conference_id == conference.id))
