"""The session form, placing a session into a slot, and publishing."""
from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectChoice, SelectField, TextAreaField, TimeField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from ..core.i18n import fmt_date, localized
from ..core.params import IdField, IdsField, parse_date
from ..core.text import CleanText, multiline_filter, text_field
from .models import INTERPRETATION, INTERPRETATION_TITLES, KIND_TITLES, LANGUAGE_TITLES, LANGUAGES, SessionKind
from .services import SessionData


def optional_date(value):
    """WTForms' coerce for a day: '' → None; an ISO date in the years the system knows; else ValueError."""
    if value in (None, "", "None") or isinstance(value, date):
        return value or None
    day = parse_date(value)
    if day is None:
        raise ValueError(value)
    return day


def person_label(delegate) -> str:
    """A delegate as listed on the form: the name as written, the Latin form when different, the organization."""
    label = delegate.name
    if delegate.name_latin and delegate.name_latin != delegate.name:
        label += f" ({delegate.name_latin})"
    return label + (f" · {delegate.organization}" if delegate.organization else "")


def _area(label) -> TextAreaField:
    return TextAreaField(label, validators=[Optional(), Length(max=5000), CleanText(multiline=True)],
                         filters=[multiline_filter], default="")


def day_choices(conference, blank=None) -> list[SelectChoice]:
    """The conference's days, named in the page language."""
    choices = [SelectChoice("", str(blank))] if blank else []
    return choices + [SelectChoice(day.isoformat(), fmt_date(day, "full")) for day in conference.days]


def room_choices(conference, blank=None) -> list[SelectChoice]:
    choices = [SelectChoice("", str(blank))] if blank else []
    return choices + [SelectChoice(str(room.id), localized(room, "name")) for room in conference.rooms]


class SessionForm(FlaskForm):
    """Everything about one session of the working copy."""

    title_en = text_field(_l("Title in English"), max_length=250)
    title_ar = text_field(_l("Title in Arabic"), max_length=250)
    description_en = _area(_l("Description in English"))
    description_ar = _area(_l("Description in Arabic"))
    kind = SelectField(_l("Kind"), choices=[SelectChoice(k.value, KIND_TITLES[k]) for k in SessionKind], default="talk")
    day = SelectField(_l("Day"), coerce=optional_date, validate_choice=False, validators=[Optional()])
    start = TimeField(_l("Starts at (local time)"), validators=[Optional()], render_kw={"step": 300})
    end = TimeField(_l("Ends at (local time)"), validators=[Optional()], render_kw={"step": 300})
    duration_minutes = IntegerField(_l("Duration in minutes (while not on the grid)"), default=30,
                                    validators=[Optional(), NumberRange(min=5, max=1440)])
    room_id = IdField(_l("Room"), validators=[Optional()])
    track_id = IdField(_l("Track"), validators=[Optional()])
    chair_id = IdField(_l("Chair"), validators=[Optional()], render_kw={"data-search": _l("Type to search people")})
    speaker_ids = IdsField(_l("Speakers"), validators=[Optional()],
                           description=_l("Hold Ctrl (or ⌘) to choose several."),
                           render_kw={"data-filter": _l("Type to filter the list")})
    moderator_ids = IdsField(_l("Moderators"), validators=[Optional()],
                             render_kw={"data-filter": _l("Type to filter the list")})
    language = SelectField(_l("Language"), choices=[SelectChoice(code, LANGUAGE_TITLES[code]) for code in LANGUAGES],
                           default="en")
    interpretation = SelectField(
        _l("Interpretation"),
        choices=[SelectChoice(code, INTERPRETATION_TITLES[code]) for code in INTERPRETATION],
        default="",
    )
    expected_audience = IntegerField(_l("Expected audience"), validators=[Optional(), NumberRange(min=0, max=100_000)])
    pinned = BooleanField(_l("Pinned: the placement assistant never moves it"))
    for_everyone = BooleanField(_l("For everyone: no other session runs while it does (breaks and ceremonies always)"))

    def __init__(self, *args, conference=None, people=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.day.choices = day_choices(conference, _l("Not on the grid yet"))
        self.room_id.choices = room_choices(conference, _l("No room yet"))
        self.track_id.choices = [SelectChoice("", str(_l("No track")))] + [
            SelectChoice(str(t.id), localized(t, "name")) for t in conference.tracks]
        people_choices = [SelectChoice(str(d.id), person_label(d)) for d in people]
        self.chair_id.choices = [SelectChoice("", str(_l("No chair")))] + people_choices
        self.speaker_ids.choices = people_choices
        self.moderator_ids.choices = people_choices

    def session_data(self) -> SessionData:
        """The form's values for the services."""
        return SessionData(
            title_en=self.title_en.data or "", title_ar=self.title_ar.data or "",
            description_en=self.description_en.data or "", description_ar=self.description_ar.data or "",
            kind=self.kind.data, day=self.day.data, start=self.start.data, end=self.end.data,
            duration_minutes=self.duration_minutes.data, room_id=self.room_id.data, track_id=self.track_id.data,
            chair_id=self.chair_id.data, speaker_ids=list(self.speaker_ids.data or []),
            moderator_ids=list(self.moderator_ids.data or []), language=self.language.data,
            interpretation=self.interpretation.data, expected_audience=self.expected_audience.data,
            pinned=bool(self.pinned.data), for_everyone=bool(self.for_everyone.data),
        )


class PlaceForm(FlaskForm):
    """Put a session (or a confirmed proposal) into a room at a time."""

    room_id = IdField(_l("Room"), validators=[InputRequired(message=_l("Choose a room."))])
    day = SelectField(_l("Day"), coerce=optional_date, validate_choice=False,
                      validators=[InputRequired(message=_l("Choose a day."))])
    start = TimeField(_l("Starts at"), validators=[InputRequired(message=_l("Give a start time."))],
                      render_kw={"step": 300})

    def __init__(self, *args, conference=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.room_id.choices = room_choices(conference)
        self.day.choices = day_choices(conference)


class ProgrammeHoursForm(FlaskForm):
    """A day's programme hours, set by organizers (or cleared: the sessions for everyone shape the day again)."""

    day = SelectField(_l("Day"), coerce=optional_date, validate_choice=False,
                      validators=[InputRequired(message=_l("Choose a day."))])
    starts = TimeField(_l("Programme starts"), validators=[Optional()], render_kw={"step": 300})
    ends = TimeField(_l("Programme ends"), validators=[Optional()], render_kw={"step": 300})

    def __init__(self, *args, conference=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.day.choices = day_choices(conference)


class PublishForm(FlaskForm):
    """Publish the working copy as the next version."""

    note = text_field(_l("What changed (optional, shown in the changelog)"), max_length=500)
    confirm_warnings = BooleanField(_l("I have looked at the open warnings; publish anyway"))
