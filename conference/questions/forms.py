"""The organizer's question form and the form that adds a choice."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    IntegerField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Length, NumberRange, Optional, ValidationError

from ..core.params import IdField, IdsField, parse_number
from ..core.text import CleanText, multiline_filter, strip_filter, text_field
from .models import HELP_LENGTH, LABEL_LENGTH, QuestionKind

MAX_CHOICE_LINES = 5000  # the text of the first choices of a new question


class NumberText:
    """A field's check: empty, or a number as core.params reads it."""

    def __call__(self, form, field) -> None:
        if field.data and parse_number(field.data) is None:
            raise ValidationError(_l("Please give a number, such as 12 or 3.5."))


class QuestionForm(FlaskForm):
    """A question: its kind, labels and help in both languages, whom it is asked of, condition and retention."""

    kind = SelectField(_l("Kind of answer"), choices=[SelectChoice(k.value, k.title) for k in QuestionKind])
    label_en = text_field(_l("Question in English"), max_length=LABEL_LENGTH)
    label_ar = text_field(_l("Question in Arabic"), max_length=LABEL_LENGTH)
    help_en = text_field(_l("Help text in English"), max_length=HELP_LENGTH)
    help_ar = text_field(_l("Help text in Arabic"), max_length=HELP_LENGTH)
    required = BooleanField(_l("An answer is required (when the question is asked)"))
    categories = SelectMultipleField(_l("Asked of these categories (none chosen: everyone)"))
    proposal_type_ids = IdsField(_l("Asked for these kinds of proposal (none chosen: every kind)"),
                                 validate_choice=True)  # a type of another conference is refused here
    about_speaker = BooleanField(_l("About the speaker (hidden in anonymized review)"))
    choices_text = TextAreaField(
        _l("Choices, one per line: English | Arabic"), validators=[Optional(), Length(max=MAX_CHOICE_LINES),
                                                                    CleanText(multiline=True)],
        filters=[multiline_filter], description=_l("For example: Yes, by air | نعم، جوًا. More can be added later."))
    condition_question_id = IdField(_l("Ask only when this earlier question…"), validators=[Optional()])
    condition_values = SelectMultipleField(_l("…has one of these answers"))
    min_value = StringField(_l("Smallest number allowed"), validators=[Optional(), Length(max=20), NumberText()],
                            filters=[strip_filter])
    max_value = StringField(_l("Largest number allowed"), validators=[Optional(), Length(max=20), NumberText()],
                            filters=[strip_filter])
    retention_days = IntegerField(_l("Erase the answers this many days after the conference's last day"),
                                  validators=[Optional(), NumberRange(min=0, max=3650)],
                                  description=_l("Leave empty to keep them until you delete them."))

    def __init__(self, *args, categories=(), types=(), conditions=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.categories.choices = [SelectChoice(value, str(title)) for value, title in categories]
        self.proposal_type_ids.choices = [SelectChoice(str(n), name) for n, name in types]
        self.condition_question_id.choices = [SelectChoice("", str(_l("Always ask")))] + [
            SelectChoice(str(q.id), q.label) for q in conditions]
        self.condition_values.choices = [SelectChoice(value, label) for q in conditions
                                         for value, label in condition_options(q)]

    def choice_lines(self) -> list[tuple[str, str]]:
        """The new choices typed as lines of 'English | Arabic'."""
        lines = []
        for line in (self.choices_text.data or "").splitlines():
            english, _bar, arabic = line.partition("|")
            lines.append((strip_filter(english), strip_filter(arabic)))
        return [line for line in lines if any(line)]

    def data_for_service(self) -> dict:
        """The cleaned values for questions.services.save_question."""
        data = {name: self[name].data for name in ("kind", "label_en", "label_ar", "help_en", "help_ar", "required",
                                                   "categories", "proposal_type_ids", "about_speaker",
                                                   "condition_question_id", "condition_values", "retention_days")}
        for bound in ("min_value", "max_value"):
            number = parse_number(self[bound].data or "")
            data[bound] = float(number) if number is not None else None
        return data


def condition_options(question) -> list[tuple[str, str]]:
    """The answers a condition on `question` can name: yes and no, or its choices."""
    if question.kind == QuestionKind.YES_NO:
        return [("yes", f"{question.label}: {_l('Yes')}"), ("no", f"{question.label}: {_l('No')}")]
    return [(str(choice.id), f"{question.label}: {choice.label}") for choice in question.choices]


class ChoiceForm(FlaskForm):
    """A new choice, in both languages."""

    label_en = text_field(_l("Choice in English"), max_length=LABEL_LENGTH)
    label_ar = text_field(_l("Choice in Arabic"), max_length=LABEL_LENGTH)

    def validate_label_ar(self, field) -> None:
        if not (field.data or self.label_en.data):
            raise ValidationError(_l("Please give the choice in English or Arabic."))
