"""The registration form and the delegate's own edit form."""
from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, EmailField, PasswordField, SelectChoice, SelectField
from wtforms.validators import DataRequired, Email, EqualTo, InputRequired, Length, Optional, ValidationError

from ..accounts.services import MIN_PASSWORD_LENGTH
from ..core.countries import country_choices
from ..core.i18n import lang
from ..core.params import IdField, SensibleYear
from ..core.text import strip_filter, text_field

ARABIC_LETTER = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")


def country_select_choices(blank_label) -> list[SelectChoice]:
    """Every country, named and sorted in the page language, after a blank choice."""
    return [SelectChoice("", str(blank_label))] + [SelectChoice(c, n) for c, n in country_choices(lang())]


class DetailsForm(FlaskForm):
    """What a delegate tells about themselves; shared by registering and editing."""

    name = text_field(_l("Full name, as you write it"), required=True,
                 description=_l("In any script, e.g. حمد بن سيف الحوسني or Hamad bin Saif Al-Housni."))
    name_latin = text_field(
        _l("Name in Latin letters"), description=_l("As in your passport, if your name is not in Latin letters.")
    )
    name_ar = text_field(_l("Name in Arabic"), description=_l("Optional; printed on your badge."))
    country = SelectField(
        _l("Country"),
        validators=[DataRequired(message=_l("Please choose a country from the list."))],
        render_kw={"data-search": _l("Type to search countries")},
    )
    organization = text_field(_l("Organization"))
    job_title = text_field(_l("Job title"))
    delegation_id = IdField(_l("Official delegation"), validators=[Optional()])
    diet = text_field(_l("Dietary needs"), max_length=500)
    accessibility = text_field(_l("Accessibility needs"), max_length=500)
    visa_requested = BooleanField(_l("I need a visa invitation letter"))
    passport_name = text_field(_l("Name as in the passport"))
    nationality = SelectField(_l("Nationality"), validators=[Optional()],
                              render_kw={"data-search": _l("Type to search countries")})
    passport_number = text_field(_l("Passport number"), max_length=40)
    passport_expiry = DateField(_l("Passport expiry date"), validators=[Optional(), SensibleYear()])
    consent_public_list = BooleanField(_l("List my name, organization and country on the public participants page"))

    def __init__(self, *args, delegations=(), conference=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.conference = conference
        self.country.choices = country_select_choices(_l("Choose a country"))
        self.nationality.choices = country_select_choices(_l("Choose a nationality"))
        self.delegation_id.choices = [SelectChoice("", str(_l("None")))] + [
            SelectChoice(str(d.id), d.title, render_kw={"data-country": d.country}) for d in delegations
        ]
        self._delegation_ids = {d.id for d in delegations}

    def validate_name_ar(self, field) -> None:
        if field.data and not ARABIC_LETTER.search(field.data):
            raise ValidationError(_l("Please write this name in Arabic letters, or leave it empty."))

    def validate_name_latin(self, field) -> None:
        if field.data and ARABIC_LETTER.search(field.data):
            raise ValidationError(_l("Please use Latin letters here."))

    def validate_delegation_id(self, field) -> None:
        if field.data is not None and field.data not in self._delegation_ids:
            raise ValidationError(_l("Please choose a delegation from the list."))

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if self.visa_requested.data:
            for required in (self.passport_name, self.nationality, self.passport_number, self.passport_expiry):
                if not required.data:
                    required.errors = [*required.errors, _l("Needed for the visa letter.")]
                    ok = False
        return ok

    def validate_passport_expiry(self, field) -> None:
        if self.visa_requested.data and field.data and self.conference and field.data <= self.conference.end_date:
            raise ValidationError(_l("The passport must still be valid after the conference."))

    def details(self) -> dict:
        """The cleaned values, ready for the registration services."""
        data = {name: self[name].data for name in (
            "name", "name_latin", "name_ar", "country", "organization", "job_title", "delegation_id", "diet",
            "accessibility", "visa_requested", "passport_name", "nationality", "passport_number",
            "passport_expiry", "consent_public_list")}
        if not data["visa_requested"]:
            data.update(passport_name="", nationality="", passport_number="", passport_expiry=None)
        return data


class RegistrationForm(DetailsForm):
    """Registering: details, an account when not logged in, and consent."""

    email = EmailField(_l("E-mail"), validators=[Optional(), Email(), Length(max=254)], filters=[strip_filter])
    password = PasswordField(
        _l("Choose a password"),
        validators=[Optional(), Length(min=MIN_PASSWORD_LENGTH, max=200)],
        description=_l(
            "At least %(n)d characters. You will use it to see your registration and badge.", n=MIN_PASSWORD_LENGTH
        ),
    )
    confirm = PasswordField(_l("Repeat the password"),
                            validators=[EqualTo("password", message=_l("The two passwords do not match."))])
    consent_privacy = BooleanField(
        _l("I agree that the organizers process my data to run this conference, as the privacy notice explains"),
        validators=[InputRequired(message=_l("Please accept the privacy notice to register."))],
    )

    def __init__(self, *args, needs_account: bool = True, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.needs_account = needs_account
        if not needs_account:
            del self.email, self.password, self.confirm

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if self.needs_account:
            for field in (self.email, self.password):
                if not field.data:
                    field.errors = [*field.errors, _l("This field is required.")]
                    ok = False
        return ok

    def details(self) -> dict:
        return {**super().details(), "consent_privacy": self.consent_privacy.data}
