"""Names and titles inserted into sentences of the other script keep their own direction (Unicode isolation)."""
from __future__ import annotations

from markupsafe import Markup, escape

from ..core.text import isolate
from . import bp


@bp.app_template_filter("isolate")
def isolate_filter(value: object) -> str:
    """Jinja: {{ name|isolate }} in text e-mails."""
    return isolate(value)


@bp.app_template_filter("bdi")
def bdi_filter(value: object) -> Markup:
    """Jinja: {{ name|bdi }} in HTML, escaped and wrapped in <bdi>."""
    return Markup("<bdi>%s</bdi>") % escape(value)
