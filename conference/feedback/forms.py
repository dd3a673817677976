"""The feedback form: a rating from 1 to 5 and an optional comment."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from ..core.params import coerce_optional_id
from ..core.text import CleanText, multiline_filter
from .models import MAX_COMMENT, MAX_RATING, MIN_RATING


class FeedbackForm(FlaskForm):
    """Rate a session you attended; the comment is read by its speakers without your name."""

    # Read as strictly as an id (ASCII digits), then the choices allow 1 to 5: "abc", 0 and 6 are refused.
    rating = RadioField(_l("Your rating"), coerce=coerce_optional_id,
                        choices=[SelectChoice(n, str(n)) for n in range(MIN_RATING, MAX_RATING + 1)],
                        validators=[InputRequired(message=_l("Choose a rating from 1 to 5."))],
                        description=_l("1: poor · 5: excellent"))
    comment = TextAreaField(_l("Comment (optional)"),
                            validators=[Optional(), Length(max=MAX_COMMENT), CleanText(multiline=True)],
                            filters=[multiline_filter], default="", render_kw={"rows": 4},
                            description=_l("The speakers read comments without your name. Nothing of it is public."))
