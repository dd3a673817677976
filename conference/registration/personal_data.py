"""Everything a conference holds about one person, for them to download (/<slug>/me/data).

Registration gathers its own rows (the registration, its history, the answers) and asks the areas above for
theirs with core.signals.personal_data_requested, so that each area describes its own data.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import inspect

from ..accounts.models import User
from ..core.signals import personal_data_requested
from ..events.models import Conference
from ..questions.answers import answered
from ..questions.models import QuestionTarget
from .models import Delegate
from .services import registration_of

# Columns that are the system's own secrets or bookkeeping, not data about the person.
NOT_PERSONAL = {"badge_token", "user_id", "conference_id", "delegation_id"}


def plain(value):
    """A column value as JSON can hold it."""
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if hasattr(value, "value"):
        return value.value
    return value


def row_data(row, leave_out=frozenset()) -> dict:
    """Every column of a row, by name, as plain JSON values."""
    return {column.key: plain(getattr(row, column.key)) for column in inspect(row).mapper.column_attrs
            if column.key not in leave_out}


def answers_data(conference: Conference, target: QuestionTarget, **owner) -> list[dict]:
    """An owner's answers as question and answer, in both languages' labels."""
    return [{"question_en": question.label_en, "question_ar": question.label_ar, "answer": text}
            for question, text in answered(conference, target, **owner)]


def personal_data(conference: Conference, user: User) -> dict:
    """The account, the registration with its history and answers, and what every other area holds."""
    data: dict = {"conference": conference.slug, "account": {"email": user.email, "display_name": user.display_name,
                                                             "locale": user.locale,
                                                             "created_at": plain(user.created_at)}}
    delegate: Delegate | None = registration_of(user, conference)
    if delegate is not None:
        data["registration"] = row_data(delegate, NOT_PERSONAL)
        data["registration"]["history"] = [
            {"at": plain(entry.at), "event": entry.event, "from": entry.from_status, "to": entry.to_status}
            for entry in delegate.audit]
        data["registration"]["answers"] = answers_data(conference, QuestionTarget.REGISTRATION,
                                                       delegate_id=delegate.id)
    for _receiver, part in personal_data_requested.send(conference, user=user, delegate=delegate):
        if part:
            data.update(part)
    return data
