"""What every page that asks questions needs in its templates (globals, so that imported macros see them)."""
from __future__ import annotations

from flask import Flask

from ..core.countries import country_choices
from ..core.i18n import lang, zone_label


def question_countries() -> list[tuple[str, str]]:
    """The countries for a country question, named and sorted in the page's language."""
    return country_choices(lang())


def add_template_globals(app: Flask) -> None:
    """The helpers the question macros use: the countries, the venue's time zone."""
    app.jinja_env.globals.update(question_countries=question_countries, question_zone=zone_label)
