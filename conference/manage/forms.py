"""Organizer forms: status changes, bulk actions, delegate edits, delegations."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from ..core.params import IdField
from ..core.text import CleanText, multiline_filter, strip_filter, text_field
from ..registration.forms import DetailsForm, country_select_choices
from ..registration.models import Category

BULK_ACTIONS = {
    "approve": _l("Approve"),
    "reject": _l("Reject"),
    "waitlist": _l("Move to the waiting list"),
    "promote": _l("Promote from the waiting list"),
    "cancel": _l("Cancel the registration"),
}


def category_choices() -> list[SelectChoice]:
    return [SelectChoice(c.value, c.title) for c in Category]


class NoteForm(FlaskForm):
    """A status change, with an optional note for the audit trail."""

    note = TextAreaField(
        _l("Note (for the organizers; not shown to the delegate)"),
        validators=[Optional(), Length(max=2000), CleanText(multiline=True)],
        filters=[multiline_filter],
    )


class BulkForm(FlaskForm):
    """One action for many selected delegates."""

    action = SelectField(_l("Action"), validators=[DataRequired()])
    confirmed = HiddenField()

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.action.choices = [SelectChoice(k, str(v)) for k, v in BULK_ACTIONS.items()] + [
            SelectChoice(f"category:{c.value}", str(_l("Set category: %(name)s", name=c.title))) for c in Category
        ]


class OrganizerDetailsForm(DetailsForm):
    """Everything about a delegate that an organizer may change."""

    category = SelectField(_l("Category"), validators=[DataRequired()])

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.category.choices = category_choices()

    def details(self) -> dict:
        return {**super().details(), "category": self.category.data}


class DelegationForm(FlaskForm):
    """A new official delegation."""

    country = SelectField(
        _l("Country"),
        validators=[DataRequired(message=_l("Please choose a country from the list."))],
        render_kw={"data-search": _l("Type to search countries")},
    )
    name = StringField(_l("Name of the delegation"), validators=[DataRequired(), Length(max=200), CleanText()],
                       filters=[strip_filter], description=_l("For example: Delegation of the Sultanate of Oman"))
    name_ar = text_field(_l("Name of the delegation in Arabic"), description=_l("For example: وفد سلطنة عمان"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.country.choices = country_select_choices(_l("Choose a country"))


class DelegationMemberForm(FlaskForm):
    """Pick a delegate of the delegation's country (to add as member or name as head)."""

    delegate_id = IdField(_l("Delegate"), validators=[DataRequired()], validate_choice=True)
