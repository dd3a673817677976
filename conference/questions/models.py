"""Questions an organizer adds to the registration form or the call for proposals, their choices and answers."""
from __future__ import annotations

import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, CheckConstraint, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.i18n import localized
from ..core.params import parse_id
from ..core.scoping import ConferenceOwned
from ..extensions import db
from ..types import UTCDateTime, string_enum, utcnow

LABEL_LENGTH, HELP_LENGTH, TEXT_LENGTH, LONG_TEXT_LENGTH = 200, 500, 500, 5000


class QuestionKind(str, enum.Enum):
    """What kind of answer a question takes."""

    TEXT = "text"
    LONG_TEXT = "long_text"
    NUMBER = "number"
    DATE = "date"
    DATETIME = "datetime"
    YES_NO = "yes_no"
    CHOICE = "choice"
    CHOICES = "choices"
    COUNTRY = "country"

    @property
    def title(self) -> str:
        return str(KIND_TITLES[self])

    @property
    def has_choices(self) -> bool:
        return self in (QuestionKind.CHOICE, QuestionKind.CHOICES)

    @property
    def filterable(self) -> bool:
        """Kinds whose answers the delegates table filters by (a closed list of values)."""
        return self in (QuestionKind.CHOICE, QuestionKind.CHOICES, QuestionKind.YES_NO, QuestionKind.COUNTRY)


KIND_TITLES = {
    QuestionKind.TEXT: _l("Short text"),
    QuestionKind.LONG_TEXT: _l("Long text"),
    QuestionKind.NUMBER: _l("Number"),
    QuestionKind.DATE: _l("Date"),
    QuestionKind.DATETIME: _l("Date and time"),
    QuestionKind.YES_NO: _l("Yes or no"),
    QuestionKind.CHOICE: _l("One choice"),
    QuestionKind.CHOICES: _l("Several choices"),
    QuestionKind.COUNTRY: _l("Country"),
}
# Kinds another question's condition may look at: their answers are one of a known list.
CONDITION_KINDS = (QuestionKind.CHOICE, QuestionKind.CHOICES, QuestionKind.YES_NO)


class QuestionTarget(str, enum.Enum):
    """Which form asks the question."""

    REGISTRATION = "registration"
    PROPOSAL = "proposal"


class Question(ConferenceOwned, db.Model):
    """One question of a conference's registration form or call for proposals."""

    __tablename__ = "questions"
    __table_args__ = (
        CheckConstraint("min_value IS NULL OR max_value IS NULL OR min_value <= max_value", name="min_below_max"),
        CheckConstraint("retention_days IS NULL OR retention_days BETWEEN 0 AND 3650", name="retention_range"),
        Index("ix_questions_conference_target", "conference_id", "target", "position"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("conferences.id", ondelete="CASCADE"))
    target: Mapped[QuestionTarget] = mapped_column(string_enum(QuestionTarget, "question_target"))
    kind: Mapped[QuestionKind] = mapped_column(string_enum(QuestionKind, "question_kind"))
    label_en: Mapped[str] = mapped_column(String(LABEL_LENGTH))
    label_ar: Mapped[str] = mapped_column(String(LABEL_LENGTH), default="")
    help_en: Mapped[str] = mapped_column(String(HELP_LENGTH), default="")
    help_ar: Mapped[str] = mapped_column(String(HELP_LENGTH), default="")
    required: Mapped[bool] = mapped_column(Boolean, default=False)
    # Whom it is asked of; empty: everyone. Category values (registration) or proposal type ids (proposals),
    # separated by spaces.
    categories: Mapped[str] = mapped_column(String(200), default="")
    proposal_type_ids: Mapped[str] = mapped_column(String(500), default="")
    about_speaker: Mapped[bool] = mapped_column(Boolean, default=False)  # hidden in anonymized review
    position: Mapped[int] = mapped_column(Integer, default=0)
    # Ask only when an earlier question's answer is one of these values (choice ids, or "yes"/"no").
    condition_question_id: Mapped[int | None] = mapped_column(ForeignKey("questions.id"), index=True)
    condition_values: Mapped[str] = mapped_column(String(500), default="")
    min_value: Mapped[float | None] = mapped_column(Float)
    max_value: Mapped[float | None] = mapped_column(Float)
    retention_days: Mapped[int | None] = mapped_column(Integer)  # days after the conference's last day; None: kept
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    choices: Mapped[list[QuestionChoice]] = relationship(back_populates="question", order_by="QuestionChoice.position",
                                                         cascade="all, delete-orphan")
    condition_question: Mapped[Question | None] = relationship(remote_side=[id])

    @property
    def label(self) -> str:
        return localized(self, "label")

    @property
    def help(self) -> str:
        return localized(self, "help")

    @property
    def category_list(self) -> list[str]:
        return self.categories.split()

    @property
    def type_id_list(self) -> list[int]:
        return [number for number in map(parse_id, self.proposal_type_ids.split()) if number]

    @property
    def condition_list(self) -> list[str]:
        return self.condition_values.split()

    @property
    def active_choices(self) -> list[QuestionChoice]:
        return [choice for choice in self.choices if choice.retired_at is None]

    def label_in(self, language: str) -> str:
        """The label in `language`, falling back to the other."""
        return (self.label_ar or self.label_en) if language == "ar" else (self.label_en or self.label_ar)


class QuestionChoice(ConferenceOwned, db.Model):
    """One of the choices of a choice question, in both languages."""

    __owner__ = "question"
    __tablename__ = "question_choices"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"), index=True)
    label_en: Mapped[str] = mapped_column(String(LABEL_LENGTH))
    label_ar: Mapped[str] = mapped_column(String(LABEL_LENGTH), default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    question: Mapped[Question] = relationship(back_populates="choices")

    @property
    def label(self) -> str:
        return localized(self, "label")

    def label_in(self, language: str) -> str:
        """The label in `language`, falling back to the other."""
        return (self.label_ar or self.label_en) if language == "ar" else (self.label_en or self.label_ar)


class Answer(ConferenceOwned, db.Model):
    """A delegate's or a proposal's answer to a question; a several-choices answer is one row per choice."""

    __owner__ = "question"
    __tablename__ = "question_answers"
    __table_args__ = (
        CheckConstraint("(delegate_id IS NULL) <> (proposal_id IS NULL)", name="one_owner"),
        Index("ix_question_answers_question_choice", "question_id", "choice_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # A question or choice with answers is retired, never deleted: the database refuses it too.
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id"))
    delegate_id: Mapped[int | None] = mapped_column(ForeignKey("delegates.id", ondelete="CASCADE"), index=True)
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), index=True)
    choice_id: Mapped[int | None] = mapped_column(ForeignKey("question_choices.id"))
    value: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    question: Mapped[Question] = relationship()
    choice: Mapped[QuestionChoice | None] = relationship()


class PurgeRecord(ConferenceOwned, db.Model):
    """What one run of the purge erased for a conference: how many values of what, never the values."""

    __tablename__ = "personal_data_purges"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("conferences.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    what: Mapped[str] = mapped_column(String(250))  # "question:<id>" or "passport"
    count: Mapped[int] = mapped_column(Integer, default=0)
