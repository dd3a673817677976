"""ISO 3166-1 countries with names from Babel's CLDR data in the page language."""
from __future__ import annotations

import unicodedata
from functools import lru_cache

from babel import Locale

from .i18n import lang

# CLDR territory codes that are not countries (regions, groupings, test codes).
NOT_COUNTRIES = {"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"}


def _sort_key(name: str) -> str:
    """Accent-insensitive, case-insensitive order, good for Latin and Arabic alike."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


@lru_cache(maxsize=8)
def _names(language: str) -> dict[str, str]:
    territories = Locale.parse(language).territories
    return {
        code: name for code, name in territories.items()
        if len(code) == 2 and code.isalpha() and code not in NOT_COUNTRIES
    }


@lru_cache(maxsize=8)
def country_choices(language: str) -> list[tuple[str, str]]:
    """(code, name) pairs of every country, sorted for the language."""
    names = _names(language)
    return sorted(names.items(), key=lambda item: _sort_key(item[1]))


def is_country(code: str | None) -> bool:
    """True for an ISO 3166-1 alpha-2 code that we know."""
    return bool(code) and code.upper() in _names("en")


def country_name(code: str | None, language: str | None = None) -> str:
    """The country's name in `language` (default: the page's)."""
    if not code:
        return ""
    return _names(language or lang()).get(code.upper(), code.upper())
