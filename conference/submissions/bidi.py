"""Names and titles inserted into sentences of the other script keep their own direction (Unicode isolation)."""
from __future__ import annotations

from markupsafe import Markup, escape

from . import bp

FIRST_STRONG_ISOLATE, POP_DIRECTIONAL_ISOLATE = "\u2068", "\u2069"


def isolate(value: object) -> str:
    """`value` between U+2068 and U+2069, for plain text (e-mails, flash messages)."""
    return f"{FIRST_STRONG_ISOLATE}{value}{POP_DIRECTIONAL_ISOLATE}"


@bp.app_template_filter("isolate")
def isolate_filter(value: object) -> str:
    """Jinja: {{ name|isolate }} in text e-mails."""
    return isolate(value)


@bp.app_template_filter("bdi")
def bdi_filter(value: object) -> Markup:
    """Jinja: {{ name|bdi }} in HTML, escaped and wrapped in <bdi>."""
    return Markup("<bdi>%s</bdi>") % escape(value)
