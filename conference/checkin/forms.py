"""Forms of the door area: naming a gate device, undoing an admission."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from ..core.text import CleanText, strip_filter


class DeviceForm(FlaskForm):
    """A new gate device: its name is what the attendance page shows as the gate."""

    name = StringField(_l("Device or gate name"), validators=[DataRequired(), Length(max=60), CleanText()],
                       filters=[strip_filter], description=_l("For example “Main entrance, scanner 2”."))


class UndoForm(FlaskForm):
    """Take back an admission, with an optional reason for the audit trail."""

    note = StringField(_l("Reason"), validators=[Length(max=200), CleanText()], filters=[strip_filter])
