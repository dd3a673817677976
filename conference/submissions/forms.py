"""Forms of the call for proposals: the proposal, the speaker profile, availability, review, decisions, settings."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    FieldList,
    FormField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from ..core.i18n import fmt_date, localized
from ..core.params import IdField, coerce_optional_id
from ..core.text import CleanText, multiline_filter, text_field
from ..registration.forms import ARABIC_LETTER, country_select_choices
from .call import count_words
from .models import LANGUAGE_TITLES, LANGUAGES
from .writing import MAX_CO_SPEAKERS


def text_area(label, required: bool = False, max_length: int = 20000, description=None, rows: int = 6):
    """A multi-line field: trimmed, NFC, length-checked, no control characters."""
    checks = [DataRequired()] if required else [Optional()]
    return TextAreaField(label, validators=[*checks, Length(max=max_length), CleanText(multiline=True)],
                         filters=[multiline_filter], description=description, default="", render_kw={"rows": rows})


class ProposalForm(FlaskForm):
    """Writing a proposal: what it is about, its kind, and who speaks."""

    title = text_field(_l("Title"), required=True, max_length=250)
    abstract = text_area(_l("Abstract"), rows=10)
    proposal_type_id = IdField(_l("Type"), validators=[DataRequired(message=_l("Please choose a type from the list."))])
    track_id = IdField(_l("Track"), validators=[Optional()])
    language = SelectField(_l("Session language"))  # one of the choices, checked by the field; no blank choice
    notes = text_area(_l("Notes for the committee"), max_length=4000, rows=3,
                      description=_l("Only the organizers and reviewers read these."))
    co_speakers = text_area(
        _l("Co-speakers' e-mail addresses"), max_length=2000, rows=3,
        description=_l("One address a line, at most %(n)d. Each receives an invitation to join and to write "
                       "their speaker profile.", n=MAX_CO_SPEAKERS))

    def __init__(self, *args, types=(), tracks=(), word_limit: int = 300, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.word_limit = word_limit
        self.abstract.description = _l("At most %(n)d words.", n=word_limit)
        self.abstract.render_kw = {"rows": 10, "data-word-limit": word_limit}
        self.proposal_type_id.choices = [SelectChoice("", str(_l("Choose a type")))] + [
            SelectChoice(str(t.id), _l("%(name)s (%(minutes)d min)", name=localized(t, "name"),
                                       minutes=t.duration_minutes)) for t in types]
        self.track_id.choices = [SelectChoice("", str(_l("No particular track")))] + [
            SelectChoice(str(t.id), localized(t, "name")) for t in tracks]
        self.language.choices = [SelectChoice(code, str(LANGUAGE_TITLES[code])) for code in LANGUAGES]
        self._type_ids = {t.id for t in types}
        self._track_ids = {t.id for t in tracks}

    def validate_proposal_type_id(self, field) -> None:
        if field.data not in self._type_ids:
            raise ValidationError(_l("Please choose a type from the list."))

    def validate_track_id(self, field) -> None:
        if field.data is not None and field.data not in self._track_ids:
            raise ValidationError(_l("Please choose a track from the list."))

    def validate_abstract(self, field) -> None:
        words = count_words(field.data or "")
        if words > self.word_limit:
            raise ValidationError(_l("The abstract has %(words)d words; the limit is %(n)d.", words=words,
                                     n=self.word_limit))

    def data_for_service(self) -> dict:
        """The cleaned values, ready for the services."""
        return {
            "title": self.title.data, "abstract": self.abstract.data, "proposal_type_id": self.proposal_type_id.data,
            "track_id": self.track_id.data, "language": self.language.data, "notes": self.notes.data,
            "co_speakers": [line for line in (self.co_speakers.data or "").replace(",", "\n").splitlines()
                            if line.strip()],
        }


class ProfileForm(FlaskForm):
    """What the programme shows about a speaker."""

    name = text_field(_l("Full name, as you write it"), required=True)
    name_latin = text_field(_l("Name in Latin letters"))
    name_ar = text_field(_l("Name in Arabic"))
    organization = text_field(_l("Organization"))
    country = SelectField(_l("Country"), validators=[Optional()],
                          render_kw={"data-search": _l("Type to search countries")})
    bio_en = text_area(_l("Short biography in English"), max_length=3000)
    bio_ar = text_area(_l("Short biography in Arabic"), max_length=3000)
    photo = FileField(_l("Photo"), description=_l("JPEG, PNG or WebP, up to 2 MB. It is shown at most 800 pixels "
                                                  "wide, without the file's hidden details (camera, place)."),
                      render_kw={"accept": "image/jpeg,image/png,image/webp"})
    remove_photo = BooleanField(_l("Remove my photo"))
    consent = BooleanField(
        _l("I agree that the organizers publish this profile with the programme and process my data to run "
           "the conference"),
        validators=[InputRequired(message=_l("Please agree, so that your profile can be published."))])

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.country.choices = country_select_choices(_l("Choose a country"))

    def validate_name_ar(self, field) -> None:
        if field.data and not ARABIC_LETTER.search(field.data):
            raise ValidationError(_l("Please write this name in Arabic letters, or leave it empty."))

    def validate_name_latin(self, field) -> None:
        if field.data and ARABIC_LETTER.search(field.data):
            raise ValidationError(_l("Please use Latin letters here."))

    def data_for_service(self) -> dict:
        return {name: self[name].data or "" for name in (
            "name", "name_latin", "name_ar", "organization", "country", "bio_en", "bio_ar")}


class TimeRangeForm(FlaskForm):
    """One range: a conference day, from, to."""

    class Meta:
        csrf = False  # the enclosing form carries the token

    day = SelectField(_l("Day"), validators=[Optional()], validate_choice=False)
    starts = TimeField(_l("From"), validators=[Optional()])
    ends = TimeField(_l("To"), validators=[Optional()])


AVAILABILITY_ROWS = 6


class AvailabilityForm(FlaskForm):
    """“I can only speak at these times”: up to six ranges on the conference days."""

    ranges = FieldList(FormField(TimeRangeForm), min_entries=AVAILABILITY_ROWS, max_entries=AVAILABILITY_ROWS)

    def __init__(self, *args, conference=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.days = {day.isoformat(): day for day in conference.days}
        for entry in self.ranges:
            entry.form.day.choices = [SelectChoice("", "—")] + [
                SelectChoice(day.isoformat(), fmt_date(day, "full")) for day in conference.days]

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        for entry in self.ranges:
            row = entry.form
            filled = [bool(row.day.data), row.starts.data is not None, row.ends.data is not None]
            if any(filled) and not all(filled):
                row.day.errors = [*row.day.errors, _l("Give the day, the start and the end, or leave the row empty.")]
                ok = False
            elif row.day.data and row.day.data not in self.days:
                row.day.errors = [*row.day.errors, _l("Please choose one of the conference days.")]
                ok = False
        return ok

    def ranges_for_service(self) -> list:
        return [(self.days[r.form.day.data], r.form.starts.data, r.form.ends.data)
                for r in self.ranges if r.form.day.data]


class ConsentForm(FlaskForm):
    """Confirming an accepted proposal (or accepting an invitation): the speaker agrees to the processing."""

    consent = BooleanField(
        _l("I agree that the organizers register me as a speaker and process my data to run the conference"),
        validators=[InputRequired(message=_l("Please agree, so that we can register you as a speaker."))])


class ReviewForm(FlaskForm):
    """A reviewer's score and comment."""

    # coerce_optional_id: a score is read as strictly as an id (ASCII digits); the choices then allow 1 to 5.
    score = RadioField(_l("Score"), coerce=coerce_optional_id, choices=[SelectChoice(n, str(n)) for n in range(1, 6)],
                       validators=[InputRequired(message=_l("A score is a whole number from 1 to 5."))])
    comment = text_area(_l("Comment"), max_length=5000, rows=5,
                        description=_l("For the organizers and the other reviewers; speakers do not see it."))


class AssignForm(FlaskForm):
    """Assign one reviewer to a proposal by hand."""

    reviewer_id = IdField(_l("Reviewer"), validators=[DataRequired(message=_l("Please choose a reviewer."))])


class AutoAssignForm(FlaskForm):
    """Assign reviewers automatically."""

    per_proposal = IntegerField(_l("Reviewers per proposal"), validators=[InputRequired(), NumberRange(1, 10)])


class DecisionForm(FlaskForm):
    """Accept or reject the chosen proposals, after a confirmation page."""

    action = SelectField(_l("Decision"), choices=[
        SelectChoice("accept", _l("Accept")), SelectChoice("reject", _l("Reject")),
        SelectChoice("revoke_acceptance", _l("Withdraw the acceptance")),
        SelectChoice("reverse_rejection", _l("Accept after all"))])
    ids = HiddenField()
    confirmed = HiddenField()
    note = text_field(_l("Note for the log (optional)"), max_length=500)


class DurationForm(FlaskForm):
    """Change a proposal's length."""

    duration_minutes = IntegerField(_l("Duration in minutes"), validators=[InputRequired(), NumberRange(5, 480)])


class CallForm(FlaskForm):
    """The call's texts and review settings."""

    text_en = text_area(_l("Call text in English"), max_length=20000, rows=8)
    text_ar = text_area(_l("Call text in Arabic"), max_length=20000, rows=8)
    abstract_word_limit = IntegerField(_l("Abstract word limit"), validators=[InputRequired(), NumberRange(50, 2000)])
    reviewers_per_proposal = IntegerField(_l("Reviewers per proposal"), validators=[InputRequired(),
                                                                                   NumberRange(1, 10)])
    anonymized_review = BooleanField(_l("Anonymized review: reviewers do not see speakers' names or organizations"))


class ProposalTypeForm(FlaskForm):
    """Add or change a proposal type."""

    name_en = text_field(_l("Name in English"), required=True, max_length=120)
    name_ar = text_field(_l("Name in Arabic"), max_length=120)
    duration_minutes = IntegerField(_l("Default duration in minutes"), validators=[InputRequired(),
                                                                                   NumberRange(5, 480)])

