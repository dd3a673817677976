"""Forms of the door area: naming a gate device, undoing an admission."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice, StringField
from wtforms.validators import DataRequired, Length, Optional

from ..core.i18n import localized
from ..core.params import IdField
from ..core.text import CleanText, strip_filter


class DeviceForm(FlaskForm):
    """A new gate device: its name is what the attendance page shows as the gate."""

    name = StringField(_l("Device or gate name"), validators=[DataRequired(), Length(max=60), CleanText()],
                       filters=[strip_filter], description=_l("For example “Main entrance, scanner 2”."))
    room_id = IdField(_l("Scans at"), validators=[Optional()],
                      description=_l("A device at a room's door records who attends the sessions held there."))

    def __init__(self, *args, rooms=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.room_id.choices = [SelectChoice("", _l("The entrance"))] + [SelectChoice(room.id, localized(room, "name"))
                                                                   for room in rooms]


class UndoForm(FlaskForm):
    """Take back an admission, with an optional reason for the audit trail."""

    note = StringField(_l("Reason"), validators=[Length(max=200), CleanText()], filters=[strip_filter])
