"""The compose form: the text in both languages, the audience, when to send."""
from __future__ import annotations

import secrets
from datetime import datetime, timezone

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    HiddenField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Length, Optional, ValidationError

from ..core.params import IdField, SensibleYear
from ..core.text import CleanText, multiline_filter
from ..events.models import Conference
from ..extensions import db
from ..registration.models import Category, DelegateStatus, Delegation
from ..registration.queries import answer_filters, countries_present
from .audiences import KINDS, SPEAKER_STATES, Audience, answer_options
from .services import BODY_LIMIT, SUBJECT_LIMIT, Draft


def one_line(form, field) -> None:
    """A subject is one line: refuse a newline instead of folding it away."""
    if any("\n" in value or "\r" in value for value in field.raw_data or []):
        raise ValidationError(_l("A subject is one line."))


def _subject(label):
    return StringField(label, validators=[Optional(), one_line, Length(max=SUBJECT_LIMIT), CleanText()],
                       filters=[lambda value: value.strip() if isinstance(value, str) else value], default="")


def _body(label):
    return TextAreaField(label, validators=[Optional(), Length(max=BODY_LIMIT), CleanText(multiline=True)],
                         filters=[multiline_filter], default="")


class MessageForm(FlaskForm):
    """A message to a group; the buttons: update the recipients, preview, send a test to me, send."""

    form_token = HiddenField()
    kind = SelectField(_l("Send to"), choices=[SelectChoice(key, label) for key, label in KINDS.items()],
                       default="delegates")
    status = SelectField(_l("Registration status"), default="")
    country = SelectField(_l("Country"), default="")
    category = SelectField(_l("Category"), default="")
    delegation = IdField(_l("Delegation"), validators=[Optional()])
    head = BooleanField(_l("Heads of delegation only"))
    answer = SelectField(_l("Who answered"), default="")
    checked_in_on = DateField(_l("Checked in on"), validators=[Optional(), SensibleYear()])
    not_checked_in = BooleanField(_l("Not checked in on any day"))
    proposal_state = SelectField(_l("Speakers whose proposal is"), default="")
    session = IdField(_l("Session they starred"), validators=[Optional()])
    subject_en = _subject(_l("Subject in English"))
    body_en = _body(_l("Text in English"))
    subject_ar = _subject(_l("Subject in Arabic"))
    body_ar = _body(_l("Text in Arabic"))
    send_at = DateTimeLocalField(_l("Send at (the conference's local time; empty: now)"),
                                 validators=[Optional(), SensibleYear()])
    preview_for = SelectField(_l("Preview for"), default="", validate_choice=False)

    def __init__(self, conference: Conference, sessions: list[tuple[int, str]], *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.conference = conference
        self.status.choices = [SelectChoice("", _l("Any"))] + [SelectChoice(s.value, s.title) for s in DelegateStatus]
        self.country.choices = [SelectChoice("", _l("Any"))] + [
            SelectChoice(code, code) for code in sorted(countries_present(conference))]
        self.category.choices = [SelectChoice("", _l("Any"))] + [SelectChoice(c.value, c.title) for c in Category]
        self.delegation.choices = [SelectChoice("", _l("Any"))] + [
            SelectChoice(d.id, d.name) for d in db.session.scalars(Delegation.of(conference).order_by(Delegation.name))]
        self.proposal_state.choices = [SelectChoice("", "—")] + [
            SelectChoice(key, label) for key, (_state, label) in SPEAKER_STATES.items()]
        self.session.choices = [SelectChoice("", "—")] + [SelectChoice(id_, title) for id_, title in sessions]
        self.answer.choices = [SelectChoice("", _l("Any answer"))] + [
            SelectChoice(value, label) for value, label in answer_options(conference)]
        if not self.form_token.data:
            self.form_token.data = secrets.token_urlsafe(24)

    def audience(self) -> Audience:
        """The audience the fields describe."""
        return Audience(kind=self.kind.data or "delegates", status=self.status.data or "",
                        country=(self.country.data or "").upper()[:2], category=self.category.data or "",
                        delegation=self.delegation.data, head=bool(self.head.data),
                        checked_in_on=self.checked_in_on.data, not_checked_in=bool(self.not_checked_in.data),
                        proposal_state=self.proposal_state.data or "", session=self.session.data,
                        answers=answer_filters([self.answer.data] if self.answer.data else []))

    def draft(self) -> Draft:
        """The text the fields hold."""
        return Draft(self.subject_en.data or "", self.body_en.data or "", self.subject_ar.data or "",
                     self.body_ar.data or "")

    def send_moment(self) -> datetime | None:
        """The send-at time in UTC, read in the conference's zone."""
        if self.send_at.data is None:
            return None
        return self.send_at.data.replace(tzinfo=self.conference.tz).astimezone(timezone.utc)

