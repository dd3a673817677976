"""The conference settings form, and the forms of its rooms and tracks."""
from __future__ import annotations

from zoneinfo import available_timezones

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.fields import ColorField
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional, Regexp, ValidationError

from ..core.countries import country_choices
from ..core.i18n import lang
from ..core.params import SensibleYear
from ..core.text import CleanText, multiline_filter, strip_filter, text_field
from .services import ROOM_FIELDS, TRACK_FIELDS

TIMEZONES = sorted(available_timezones())
MAX_DAYS = 31


def _area(label) -> TextAreaField:
    return TextAreaField(label, validators=[Optional(), Length(max=5000), CleanText(multiline=True)],
                         filters=[multiline_filter], default="")


class ConferenceForm(FlaskForm):
    """Everything an organizer sets about one conference."""

    slug = StringField(
        _l("Short name in the address"),
        validators=[DataRequired(), Length(min=2, max=60),
                    Regexp(r"^[a-z0-9]+(-[a-z0-9]+)*$", message=_l("Use lowercase letters, digits and dashes."))],
        filters=[strip_filter],
        description=_l("For example doha-helplines; pages will live under /doha-helplines/."),
    )
    name_en = text_field(_l("Name in English"), required=True)
    name_ar = text_field(_l("Name in Arabic"))
    description_en = _area(_l("Description in English"))
    description_ar = _area(_l("Description in Arabic"))
    venue_en = text_field(_l("Venue in English"))
    venue_ar = text_field(_l("Venue in Arabic"))
    city_en = text_field(_l("City in English"), max_length=100)
    city_ar = text_field(_l("City in Arabic"), max_length=100)
    country = SelectField(_l("Country"), validators=[DataRequired()])
    timezone = SelectField(_l("Time zone"), choices=[SelectChoice(tz, tz) for tz in TIMEZONES], default="Asia/Qatar")
    contact_email = StringField(_l("Organizers' e-mail address (replies to messages go there)"),
                                validators=[Optional(), Length(max=254), Email()], filters=[strip_filter], default="")
    start_date = DateField(_l("First day"), validators=[DataRequired(), SensibleYear()])
    end_date = DateField(_l("Last day"), validators=[DataRequired(), SensibleYear()])
    registration_opens_at = DateTimeLocalField(
        _l("Registration opens (local time)"), validators=[Optional(), SensibleYear()]
    )
    registration_closes_at = DateTimeLocalField(
        _l("Registration closes (local time)"), validators=[Optional(), SensibleYear()]
    )
    capacity = IntegerField(_l("Capacity (places)"), validators=[Optional(), NumberRange(min=0, max=1_000_000)])
    auto_approve = BooleanField(_l("Approve registrations automatically"))
    cfp_opens_at = DateTimeLocalField(
        _l("Call for proposals opens (local time)"), validators=[Optional(), SensibleYear()]
    )
    cfp_closes_at = DateTimeLocalField(
        _l("Call for proposals closes (local time)"), validators=[Optional(), SensibleYear()]
    )
    agenda_published = BooleanField(_l("Agenda is published"))
    changeover_minutes = IntegerField(_l("Minutes a speaker needs between two sessions"), default=0,
                                      validators=[Optional(), NumberRange(min=0, max=240)], filters=[lambda v: v or 0],
                                      description=_l("The agenda editor warns when a person's sessions are closer."))
    passport_retention_days = IntegerField(
        _l("Erase the passport details of visa requests this many days after the last day"), default=30,
        validators=[Optional(), NumberRange(min=0, max=3650)],
        description=_l("Leave empty to keep them until you delete them. The questions page shows what is erased when."))
    admit_only_on_conference_days = BooleanField(_l("Admit at the door only on conference days"), default=True)
    allow_room_only_scanning = BooleanField(
        _l("Record a delegate at a room's door even when not admitted at the entrance that day"),
        description=_l("Leave it off to refuse them at the room with that reason."))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.country.choices = [SelectChoice("", "—")] + [SelectChoice(c, n) for c, n in country_choices(lang())]

    def validate_end_date(self, field) -> None:
        if self.start_date.data and field.data and field.data < self.start_date.data:
            raise ValidationError(_l("The last day cannot be before the first day."))
        if self.start_date.data and field.data and (field.data - self.start_date.data).days >= MAX_DAYS:
            raise ValidationError(_l("A conference lasts at most %(n)s days.", n=MAX_DAYS))

    def validate_registration_closes_at(self, field) -> None:
        opens = self.registration_opens_at.data
        if opens and field.data and field.data <= opens:
            raise ValidationError(_l("Registration must close after it opens."))

    def validate_cfp_closes_at(self, field) -> None:
        opens = self.cfp_opens_at.data
        if opens and field.data and field.data <= opens:
            raise ValidationError(_l("The call for proposals must close after it opens."))


MAX_ROOM_CAPACITY = 100_000


class RoomForm(FlaskForm):
    """A room of the venue: names, places, interpretation booths and local opening hours."""

    name_en = text_field(_l("Name in English"), required=True, max_length=120)
    name_ar = text_field(_l("Name in Arabic"), max_length=120)
    capacity = IntegerField(_l("Capacity (seats)"), validators=[Optional(), NumberRange(min=1, max=MAX_ROOM_CAPACITY)],
                            description=_l("Leave empty when it does not matter."))
    interpretation_booths = BooleanField(_l("Has interpretation booths"),
                                         description=_l("Interpreted sessions are placed in rooms with booths."))
    opens_at = TimeField(_l("Opens at (local time)"), validators=[Optional()],
                         description=_l("Empty: from the start of the day."))
    closes_at = TimeField(_l("Closes at (local time)"), validators=[Optional()],
                          description=_l("Empty: to the end of the day."))

    def validate_closes_at(self, field) -> None:
        if self.opens_at.data and field.data and field.data <= self.opens_at.data:
            raise ValidationError(_l("The room must close after it opens."))

    def room_data(self) -> dict:
        """The fields the room services take."""
        return {name: self[name].data for name in ROOM_FIELDS}


class TrackForm(FlaskForm):
    """A track of the programme: names in both languages and the colour shown beside them."""

    name_en = text_field(_l("Name in English"), required=True, max_length=120)
    name_ar = text_field(_l("Name in Arabic"), max_length=120)
    colour = ColorField(_l("Colour"), default="#0b6e6e", filters=[strip_filter],
                        validators=[DataRequired(), Regexp(r"^#[0-9a-fA-F]{6}$",
                                                           message=_l("Give a colour as #rrggbb."))])

    def track_data(self) -> dict:
        """The fields the track services take."""
        return {name: self[name].data for name in TRACK_FIELDS}
