"""The Doha demo's own questions: arrival, flight, hotel, airport pick-up, interpretation, the day-2 workshop; and
for the call, the target audience and the equipment needed. Demo delegates and proposals answer them."""
from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import insert, select

from ..events.models import Conference
from ..extensions import db
from .models import Answer, Question, QuestionChoice, QuestionKind, QuestionTarget

# (kind, English, Arabic, choices, required, condition: (question index, choice indexes), retention days)
REGISTRATION = (
    (QuestionKind.CHOICE, "How are you arriving in Doha?", "كيف ستصل إلى الدوحة؟",
     (("By air", "جوًا"), ("By land", "برًا"), ("I am already in Qatar", "أنا في قطر أصلًا")), True, None, 30),
    (QuestionKind.DATE, "Arrival date", "تاريخ الوصول", (), False, None, 30),
    (QuestionKind.TEXT, "Arrival flight number", "رقم رحلة الوصول", (), False, (0, (0,)), 30),
    (QuestionKind.YES_NO, "Do you need an airport pick-up?", "هل تحتاج إلى استقبال في المطار؟", (), True, (0, (0,)),
     30),
    (QuestionKind.CHOICE, "Which hotel are you staying in?", "في أي فندق ستقيم؟",
     (("Marriott Marquis City Center Doha", "فندق ماريوت ماركيز سيتي سنتر الدوحة"),
      ("Sheraton Grand Doha", "فندق شيراتون جراند الدوحة"),
      ("InterContinental Doha The City", "فندق إنتركونتيننتال الدوحة ذا سيتي"),
      ("Other", "فندق آخر")), False, None, 60),
    (QuestionKind.CHOICE, "Interpretation needed", "هل تحتاج إلى ترجمة فورية؟",
     (("Into Arabic", "إلى العربية"), ("Into English", "إلى الإنجليزية"), ("None", "لا أحتاج")), True, None, None),
    (QuestionKind.CHOICE, "Which workshop will you join on day 2?", "في أي ورشة عمل ستشارك في اليوم الثاني؟",
     (("Answering children in crisis: first-call skills", "الرد على الأطفال في الأزمات: مهارات الاتصال الأول"),
      ("Helpline data that drives policy", "بيانات خطوط المساندة في خدمة السياسات"),
      ("Online safety reports from children", "بلاغات الأطفال عن السلامة على الإنترنت")), False, None, None),
)
PROPOSAL = (
    (QuestionKind.CHOICE, "Target audience", "الجمهور المستهدف",
     (("Helpline counsellors", "مستشارو خطوط المساندة"), ("Managers and supervisors", "المديرون والمشرفون"),
      ("Policy makers", "صناع السياسات"), ("Researchers", "الباحثون")), True, None, None),
    (QuestionKind.LONG_TEXT, "Equipment needed", "المعدات المطلوبة", (), False, None, None),
)
FLIGHTS = ("QR 1131", "QR 1073", "WY 663", "SV 1288", "EK 841", "MS 935", "RJ 642", "GF 5", "KU 1083", "TK 784")
EQUIPMENT = ("A projector and two microphones.", "Flip charts and markers for four groups.",
             "A laptop with PowerPoint; Arabic and English interpretation booths.", "")


def _questions(conference: Conference, target: QuestionTarget, specs: tuple) -> list[Question]:
    made: list[Question] = []
    for position, (kind, label_en, label_ar, choices, required, condition, retention) in enumerate(specs, start=1):
        question = Question(conference_id=conference.id, target=target, kind=kind, label_en=label_en,
                            label_ar=label_ar, required=required, position=position, retention_days=retention,
                            choices=[QuestionChoice(label_en=en, label_ar=ar, position=n)
                                     for n, (en, ar) in enumerate(choices, start=1)])
        db.session.add(question)
        db.session.flush()
        if condition is not None:
            master, chosen = made[condition[0]], condition[1]
            question.condition_question_id = master.id
            question.condition_values = " ".join(str(master.choices[n].id) for n in chosen)
        made.append(question)
    return made


def seed_questions(conference: Conference) -> None:
    """The demo's questions and plausible answers (once: a conference that has questions is left alone)."""
    if db.session.scalar(Question.of(conference).limit(1)) is not None:
        return
    how, arrival, flight, pickup, hotel, interpretation, workshop = _questions(
        conference, QuestionTarget.REGISTRATION, REGISTRATION)
    audience, equipment = _questions(conference, QuestionTarget.PROPOSAL, PROPOSAL)
    # The areas above own these tables; the demo reads their ids only.
    delegates, proposals = db.metadata.tables["delegates"], db.metadata.tables["proposals"]
    rng = random.Random(22)
    rows = []
    for delegate_id, country in db.session.execute(select(delegates.c.id, delegates.c.country).where(
            delegates.c.conference_id == conference.id).order_by(delegates.c.id)):
        way = 2 if country == "QA" else (1 if country in ("SA", "AE", "KW", "OM", "BH") and rng.random() < 0.3
                                         else 0)
        rows.append({"question_id": how.id, "delegate_id": delegate_id, "choice_id": how.choices[way].id})
        if way != 2:
            day = conference.start_date - timedelta(days=rng.choice((1, 1, 2, 3)))
            rows.append({"question_id": arrival.id, "delegate_id": delegate_id, "value": day.isoformat()})
        if way == 0:
            rows.append({"question_id": flight.id, "delegate_id": delegate_id, "value": rng.choice(FLIGHTS)})
            rows.append({"question_id": pickup.id, "delegate_id": delegate_id,
                         "value": "yes" if rng.random() < 0.6 else "no"})
        if way != 2 or rng.random() < 0.2:
            choice = rng.choices(hotel.choices, weights=(5, 3, 2, 1))[0]
            rows.append({"question_id": hotel.id, "delegate_id": delegate_id, "choice_id": choice.id})
        language = 0 if country not in ("GB", "US", "FR", "DE", "TR", "IN", "PK", "IR", "KE") else 2
        rows.append({"question_id": interpretation.id, "delegate_id": delegate_id,
                     "choice_id": interpretation.choices[1 if language == 0 and rng.random() < 0.1 else
                                                         0 if language == 2 and rng.random() < 0.7 else 2].id})
        if rng.random() < 0.8:
            rows.append({"question_id": workshop.id, "delegate_id": delegate_id,
                         "choice_id": rng.choice(workshop.choices).id})
    for proposal_id in db.session.scalars(select(proposals.c.id).where(
            proposals.c.conference_id == conference.id).order_by(proposals.c.id)):
        rows.append({"question_id": audience.id, "proposal_id": proposal_id,
                     "choice_id": rng.choice(audience.choices).id})
        text = rng.choice(EQUIPMENT)
        if text:
            rows.append({"question_id": equipment.id, "proposal_id": proposal_id, "value": text})
    if rows:
        db.session.execute(insert(Answer), [{"delegate_id": None, "proposal_id": None, "choice_id": None,
                                             "value": "", **row} for row in rows])
