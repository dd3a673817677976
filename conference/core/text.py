"""Cleaning of text that people type: trimmed, NFC, no control or bidi-override characters."""
from __future__ import annotations

import re
import unicodedata

from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

# Bidi embeddings/overrides and isolates can reorder what others see (names, CSV cells).
BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_SPACES = re.compile(r"\s+")


def forbidden_characters(value: str, multiline: bool = False) -> set[str]:
    """Characters in `value` that no field accepts (control and bidi-override characters)."""
    allowed = {"\n", "\r", "\t"} if multiline else set()
    return {
        ch for ch in value
        if ch in BIDI_CONTROLS or (unicodedata.category(ch) == "Cc" and ch not in allowed)
    }


def normalize_text(value: str | None, multiline: bool = False) -> str:
    """Trim and NFC-normalise; single-line text also has its runs of spaces folded."""
    if value is None:
        return ""
    value = unicodedata.normalize("NFC", value).strip()
    if multiline:
        return value.replace("\r\n", "\n")
    return _SPACES.sub(" ", value)


def strip_filter(value):
    """WTForms filter: normalise a single-line string field."""
    return normalize_text(value) if isinstance(value, str) else value


def multiline_filter(value):
    """WTForms filter: normalise a multi-line text area."""
    return normalize_text(value, multiline=True) if isinstance(value, str) else value


class CleanText:
    """WTForms validator refusing control and bidi-override characters."""

    def __init__(self, multiline: bool = False) -> None:
        self.multiline = multiline

    def __call__(self, form, field) -> None:
        if isinstance(field.data, str) and forbidden_characters(field.data, self.multiline):
            raise ValidationError(_l("This field contains invisible control characters. Please retype it."))


def text_field(label, required: bool = False, max_length: int = 200, description=None):
    """A single-line text field: trimmed, NFC, length-checked, no control characters; '' when left out."""
    checks = [DataRequired()] if required else [Optional()]
    return StringField(label, validators=[*checks, Length(max=max_length), CleanText()], filters=[strip_filter],
                       description=description, default="")


def in_latin_letters(value: str) -> bool:
    """True when every letter of `value` is a Latin one (accents included: "Testerová" is; "حمد" is not)."""
    return all(unicodedata.name(ch, "").startswith("LATIN") for ch in value if ch.isalpha())


FIRST_STRONG_ISOLATE, POP_DIRECTIONAL_ISOLATE = "\u2068", "\u2069"


def isolate(value: object) -> str:
    """`value` as a bidi isolate (U+2068 … U+2069) inside plain text (e-mails, flash messages, refusals), so that a
    name or title in one script keeps its order in a sentence of the other."""
    return f"{FIRST_STRONG_ISOLATE}{value}{POP_DIRECTIONAL_ISOLATE}"
