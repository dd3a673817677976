"""The badge print form: which delegates, which layout."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField

from badges import LAYOUTS

LAYOUT_TITLES = {
    "a6": _l("A6 (one badge per page)"),
    "a4-4up": _l("A4, four badges per page with crop marks"),
    "cr80": _l("CR80 card (85.6 × 54 mm)"),
}


def layout_choices() -> list[SelectChoice]:
    """Every layout the badges library knows, with a readable title."""
    return [SelectChoice(name, str(LAYOUT_TITLES.get(name, name))) for name in sorted(LAYOUTS)]


class LayoutForm(FlaskForm):
    """Choose a layout (GET form: the download is a plain link)."""

    class Meta:
        csrf = False

    layout = SelectField(_l("Layout"), default="a6")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.layout.choices = layout_choices()
