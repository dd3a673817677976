"""Building the questions of a conference: create, change, order, retire, delete; choices likewise."""
from __future__ import annotations

from collections.abc import Iterable

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..events.models import Conference
from ..extensions import db
from ..types import utcnow
from .errors import QuestionError
from .models import (
    CONDITION_KINDS,
    HELP_LENGTH,
    LABEL_LENGTH,
    Answer,
    Question,
    QuestionChoice,
    QuestionKind,
    QuestionTarget,
)

MAX_CHOICES = 100
MAX_QUESTIONS = 200  # per conference and form: more is a mistake, not a form
QUESTION_FIELDS = ("kind", "label_en", "label_ar", "help_en", "help_ar", "required", "about_speaker", "min_value",
                   "max_value", "retention_days")


def questions_of(conference: Conference, target: QuestionTarget) -> list[Question]:
    """Every question of one form, retired ones included, in order, with their choices."""
    return list(db.session.scalars(Question.of(conference).where(Question.target == target)
                                   .options(selectinload(Question.choices))
                                   .order_by(Question.position, Question.id)))


def answer_counts(conference: Conference) -> dict[int, int]:
    """Question id -> how many owners (delegates or proposals) answered it."""
    owner = func.coalesce(Answer.delegate_id, -Answer.proposal_id)
    rows = db.session.execute(select(Answer.question_id, func.count(func.distinct(owner)))
                              .join(Question, Question.id == Answer.question_id)
                              .where(Question.conference_id == conference.id).group_by(Answer.question_id))
    return dict(rows.all())


def choice_counts(conference: Conference) -> dict[int, int]:
    """Choice id -> how many answers chose it."""
    rows = db.session.execute(select(Answer.choice_id, func.count(Answer.id))
                              .join(Question, Question.id == Answer.question_id)
                              .where(Question.conference_id == conference.id, Answer.choice_id.is_not(None))
                              .group_by(Answer.choice_id))
    return dict(rows.all())


def _has_answers(question: Question) -> bool:
    return db.session.scalar(select(Answer.id).where(Answer.question_id == question.id).limit(1)) is not None


THE_QUESTION, A_CHOICE = _l("The question"), _l("A choice")


def _check_label(label_en: str, label_ar: str, what=THE_QUESTION) -> None:
    if not (label_en or label_ar):
        raise QuestionError(_l("%(what)s needs a label in English or Arabic.", what=what))
    if len(label_en) > LABEL_LENGTH or len(label_ar) > LABEL_LENGTH:
        raise QuestionError(_l("A label is at most %(n)d characters.", n=LABEL_LENGTH))


def _check_condition(conference: Conference, question: Question | None, target: QuestionTarget,
                     condition_id: int | None, values: list[str]) -> tuple[int | None, str]:
    """The condition as stored, after checking it points to an earlier, unconditional question of the same form."""
    if condition_id is None:
        return None, ""
    condition = Question.get_for(conference, condition_id)
    if condition is None or condition.target != target:
        raise QuestionError(_l("Please choose the condition's question from the list."))
    if question is not None and (condition.id == question.id or (condition.position, condition.id)
                                 >= (question.position, question.id)):
        raise QuestionError(_l("A condition can only look at an earlier question."))
    if condition.kind not in CONDITION_KINDS:
        raise QuestionError(_l("A condition can only look at a yes-or-no or choice question."))
    if condition.condition_question_id is not None:
        raise QuestionError(_l("A condition cannot look at a question that has a condition itself."))
    allowed = {"yes", "no"} if condition.kind == QuestionKind.YES_NO else {str(c.id) for c in condition.choices}
    chosen = [value for value in dict.fromkeys(values) if value]
    if not chosen or not set(chosen) <= allowed:
        raise QuestionError(_l("Please choose the answers that the condition asks for."))
    return condition.id, " ".join(chosen)


def _check_scope(data: dict) -> None:
    low, high = data.get("min_value"), data.get("max_value")
    if data["kind"] != QuestionKind.NUMBER:
        data["min_value"] = data["max_value"] = None
    elif low is not None and high is not None and low > high:
        raise QuestionError(_l("The smallest number cannot be larger than the largest."))
    retention = data.get("retention_days")
    if retention is not None and not 0 <= retention <= 3650:
        raise QuestionError(_l("Keep answers between 0 and 3650 days after the conference, or indefinitely."))
    if len(data.get("help_en", "")) > HELP_LENGTH or len(data.get("help_ar", "")) > HELP_LENGTH:
        raise QuestionError(_l("A help text is at most %(n)d characters.", n=HELP_LENGTH))


def save_question(conference: Conference, question: Question | None, data: dict,
                  choices: Iterable[tuple[str, str]] = ()) -> Question:
    """Create (`question` None) or change a question after checking all of it; new choices are added at the end."""
    target = question.target if question is not None else QuestionTarget(data["target"])
    kind = QuestionKind(data["kind"])
    data = {**data, "kind": kind}
    _check_label(data.get("label_en", ""), data.get("label_ar", ""))
    _check_scope(data)
    new_choices = [(en, ar) for en, ar in choices if en or ar]
    for en, ar in new_choices:
        _check_label(en, ar, A_CHOICE)
    if question is not None and question.kind != kind and _has_answers(question):
        raise QuestionError(_l("This question has answers: its kind cannot change any more. Retire it and add a "
                               "new question instead."))
    existing = [c for c in question.choices if c.retired_at is None] if question is not None else []
    if kind.has_choices and not (existing or new_choices):
        raise QuestionError(_l("A choice question needs at least one choice."))
    if len(existing) + len(new_choices) > MAX_CHOICES:
        raise QuestionError(_l("A question has at most %(n)d choices.", n=MAX_CHOICES))
    condition = _check_condition(conference, question, target, data.get("condition_question_id"),
                                 list(data.get("condition_values") or ()))
    if question is None:
        count = db.session.scalar(select(func.count(Question.id)).where(
            Question.conference_id == conference.id, Question.target == target))
        if count >= MAX_QUESTIONS:
            raise QuestionError(_l("A form has at most %(n)d questions.", n=MAX_QUESTIONS))
        last = db.session.scalar(select(func.max(Question.position)).where(
            Question.conference_id == conference.id, Question.target == target))
        question = Question(conference_id=conference.id, target=target, position=(last or 0) + 1)
        db.session.add(question)
    elif question.kind != kind and kind not in CONDITION_KINDS and _is_condition(question):
        raise QuestionError(_l("Other questions ask only on this one's answer: it must stay a yes-or-no or "
                               "choice question."))
    for field in QUESTION_FIELDS:
        if field in data:
            setattr(question, field, data[field])
    question.categories = " ".join(sorted(set(data.get("categories") or ())))
    question.proposal_type_ids = " ".join(str(n) for n in sorted(set(data.get("proposal_type_ids") or ())))
    question.condition_question_id, question.condition_values = condition
    if kind.has_choices:
        start = max((c.position for c in question.choices), default=0)
        for offset, (en, ar) in enumerate(new_choices, start=1):
            question.choices.append(QuestionChoice(label_en=en, label_ar=ar, position=start + offset))
    db.session.flush()
    return question


def _is_condition(question: Question) -> bool:
    return db.session.scalar(select(Question.id).where(Question.condition_question_id == question.id)
                             .limit(1)) is not None


def add_choice(question: Question, label_en: str, label_ar: str) -> QuestionChoice:
    """A new choice at the end of the question's list."""
    _check_label(label_en, label_ar, A_CHOICE)
    if not question.kind.has_choices:
        raise QuestionError(_l("Only a choice question has choices."))
    if len(question.choices) >= MAX_CHOICES:
        raise QuestionError(_l("A question has at most %(n)d choices.", n=MAX_CHOICES))
    choice = QuestionChoice(label_en=label_en, label_ar=label_ar,
                            position=max((c.position for c in question.choices), default=0) + 1)
    question.choices.append(choice)
    db.session.flush()
    return choice


def _swap(rows: list, row, step: int) -> bool:
    index = rows.index(row)
    other = index + step
    if not 0 <= other < len(rows):
        return False
    neighbour = rows[other]
    for position, item in enumerate(rows, start=1):
        item.position = position
    row.position, neighbour.position = neighbour.position, row.position
    return True


def move_question(question: Question, step: int) -> None:
    """Move a question one place up (-1) or down (+1); a condition keeps looking at an earlier question."""
    rows = questions_of(question.conference_id, question.target)
    index = rows.index(question)
    neighbour = rows[index + step] if 0 <= index + step < len(rows) else None
    if neighbour is None:
        return
    first, second = (neighbour, question) if step < 0 else (question, neighbour)
    if second.condition_question_id == first.id:
        raise QuestionError(_l("A question asked on another's answer must come after it."))
    _swap(rows, question, step)
    db.session.flush()


def move_choice(choice: QuestionChoice, step: int) -> None:
    """Move a choice one place up (-1) or down (+1)."""
    _swap(list(choice.question.choices), choice, step)
    db.session.flush()


def retire_question(question: Question, retired: bool = True) -> None:
    """Hide a question from new forms (its answers stay, and in the exports), or bring it back."""
    question.retired_at = utcnow() if retired else None
    db.session.flush()


def retire_choice(choice: QuestionChoice, retired: bool = True) -> None:
    """Hide a choice from new forms (its answers stay), or bring it back."""
    if retired and len(choice.question.active_choices) <= 1 and choice.retired_at is None:
        raise QuestionError(_l("A choice question needs at least one choice."))
    choice.retired_at = utcnow() if retired else None
    db.session.flush()


def delete_question(question: Question) -> None:
    """Delete a question that nobody has answered and no other question's condition looks at."""
    if _has_answers(question):
        raise QuestionError(_l("This question has answers: it can only be retired."))
    if _is_condition(question):
        raise QuestionError(_l("Other questions ask only on this one's answer: change them first."))
    db.session.delete(question)
    db.session.flush()


def delete_choice(choice: QuestionChoice) -> None:
    """Delete a choice that nobody chose and no condition names."""
    if db.session.scalar(select(Answer.id).where(Answer.choice_id == choice.id).limit(1)) is not None:
        raise QuestionError(_l("This choice has answers: it can only be retired."))
    named = db.session.scalars(select(Question.condition_values).where(
        Question.condition_question_id == choice.question_id)).all()
    if any(str(choice.id) in values.split() for values in named):
        raise QuestionError(_l("A condition names this choice: change that question first."))
    question = choice.question
    if len(question.active_choices) <= 1 and choice.retired_at is None:
        raise QuestionError(_l("A choice question needs at least one choice."))
    question.choices.remove(choice)
    db.session.flush()
