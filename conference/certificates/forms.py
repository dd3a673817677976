"""Forms of the certificates' pages: the organizers' settings."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, DateField, TextAreaField
from wtforms.validators import Length, Optional

from ..core.params import SensibleYear
from ..core.text import CleanText, multiline_filter, text_field

SIGNATURE_LIMIT = 2 * 1024 * 1024  # as a speaker's photo


def _wording(label):
    return TextAreaField(label, validators=[Optional(), Length(max=1000), CleanText(multiline=True)],
                         filters=[multiline_filter], default="", render_kw={"rows": 3})


class SettingsForm(FlaskForm):
    """How the certificates read, who signs them, and when delegates may download them."""

    title_en = text_field(_l("Title in English"), description=_l("Empty: “Certificate of attendance”."))
    title_ar = text_field(_l("Title in Arabic"), description=_l("Empty: “شهادة حضور”."))
    wording_en = _wording(_l("Wording in English"))
    wording_ar = _wording(_l("Wording in Arabic"))
    organizer_en = text_field(_l("Organizer in English"))
    organizer_ar = text_field(_l("Organizer in Arabic"))
    signatory_name = text_field(_l("Signatory's name"))
    signatory_title = text_field(_l("Signatory's title"))
    signature = FileField(_l("Signature image"), description=_l(
        "JPEG, PNG or WebP, up to 2 MB, on a white background. It is re-encoded without the file's hidden details."),
        render_kw={"accept": "image/jpeg,image/png,image/webp"})
    remove_signature = BooleanField(_l("Remove the signature image"))
    list_sessions = BooleanField(_l("List the sessions attended and the hours (when rooms were scanned)"),
                                 default=True)
    release_on = DateField(_l("Release on"), validators=[Optional(), SensibleYear()], description=_l(
        "Delegates may download their certificates from this day. Empty: the day after the conference's last day."))

    FIELDS = ("title_en", "title_ar", "wording_en", "wording_ar", "organizer_en", "organizer_ar", "signatory_name",
              "signatory_title", "list_sessions", "release_on")

    def data_for_service(self) -> dict:
        return {name: self[name].data for name in self.FIELDS}
