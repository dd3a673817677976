"""Turn a BadgeRecord into the exact strings to print, with fallbacks and warnings."""
from __future__ import annotations

import re
from dataclasses import dataclass

from badges.model import BadgeRecord
from badges.qr import validate_token
from badges.text import BOLD, REGULAR, FontStack, clean_text, strip_uncovered, uncovered

_COLOR_RE = re.compile(r"#[0-9A-Fa-f]{6}")
FALLBACK_COLOR = "#777777"
MAX_FIELD_CHARS = 300  # far more than any box can show; bounds the work of fitting absurd input


def _clean(value: str | None) -> str:
    """Clean a field and cap its length."""
    return clean_text((value or "")[:4 * MAX_FIELD_CHARS])[:MAX_FIELD_CHARS].strip()


@dataclass(frozen=True)
class PreparedBadge:
    """Cleaned, printable badge content."""

    code: str
    token: str
    name: str
    name_other: str
    organization: str
    country: str
    category_en: str
    category_ar: str
    category_color: str
    conference_en: str
    conference_ar: str
    dates: str
    reissue: int
    logo: bytes | None


def _printable(value: str, fonts: FontStack, field: str, warnings: list[str]) -> str:
    """Clean a field and drop characters no shipped font has, warning when any are dropped."""
    text = _clean(value)
    missing = uncovered(text, fonts)
    if missing:
        warnings.append(f"{field}: no font for {missing!r}; those characters were left out")
        text = strip_uncovered(text, fonts)
    return text


def _name(record: BadgeRecord, code: str, warnings: list[str]) -> str:
    """Choose the printed name: as written, else the Latin name, else what can be drawn, else the code."""
    name = _clean(record.name)
    latin = _clean(record.name_latin)
    latin_ok = bool(latin) and not uncovered(latin, BOLD)
    if not name:
        warnings.append(f"name is blank; printed {'the Latin name' if latin_ok else 'the badge code'} instead")
        return latin if latin_ok else code
    missing = uncovered(name, BOLD)
    if not missing:
        return name
    if latin_ok:
        warnings.append(f"name: no font for {missing!r}; printed the Latin name instead")
        return latin
    drawable = strip_uncovered(name, BOLD)
    warnings.append(f"name: no font for {missing!r}; those characters were left out")
    return drawable or code


def _color(value: str, warnings: list[str]) -> str:
    """Return a valid #RRGGBB colour, falling back to grey with a warning."""
    if isinstance(value, str) and _COLOR_RE.fullmatch(value):
        return value
    warnings.append(f"category colour {value!r} is not #RRGGBB; printed grey")
    return FALLBACK_COLOR


def _join(*parts: str) -> str:
    """Join the non-empty parts with a middle dot."""
    return " \u00b7 ".join(p for p in parts if p)


def prepare(record: BadgeRecord) -> tuple[PreparedBadge, list[str]]:
    """Validate and clean a record; raise ValueError for a bad token, warn about the rest."""
    warnings: list[str] = []
    code = _clean(record.code)
    try:
        token = validate_token(record.token)
    except ValueError as exc:
        raise ValueError(f"badge {code or '?'}: {exc}") from None
    name = _name(record, code, warnings)
    other = _printable(record.name_other, REGULAR, "name_other", warnings)
    country = _join(
        _printable(record.country_en, REGULAR, "country_en", warnings),
        _printable(record.country_ar, REGULAR, "country_ar", warnings),
    )
    badge = PreparedBadge(
        code=code,
        token=token,
        name=name,
        name_other="" if other == name else other,
        organization=_printable(record.organization, REGULAR, "organization", warnings),
        country=country,
        category_en=_printable(record.category_en, BOLD, "category_en", warnings),
        category_ar=_printable(record.category_ar, BOLD, "category_ar", warnings),
        category_color=_color(record.category_color, warnings),
        conference_en=_printable(record.conference_en, BOLD, "conference_en", warnings),
        conference_ar=_printable(record.conference_ar, BOLD, "conference_ar", warnings),
        dates=_printable(record.dates, REGULAR, "dates", warnings),
        reissue=record.reissue if isinstance(record.reissue, int) else 1,
        logo=record.logo or None,
    )
    return badge, warnings
