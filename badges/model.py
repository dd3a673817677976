"""Public data types and errors of the badge renderer."""
from __future__ import annotations

from dataclasses import dataclass, field


class UnknownLayout(ValueError):
    """Raised when a layout name is not one of LAYOUTS."""


class NoBadges(ValueError):
    """Raised when there is no record to render."""


@dataclass(frozen=True)
class BadgeRecord:
    """Everything printed on one attendee's badge, already chosen and formatted by the caller."""

    name: str
    name_other: str
    name_latin: str
    organization: str
    country_en: str
    country_ar: str
    category_en: str
    category_ar: str
    category_color: str
    code: str
    token: str
    conference_en: str
    conference_ar: str
    dates: str
    reissue: int = 1
    logo: bytes | None = None


@dataclass
class RenderResult:
    """How many badges were written and what needed a human look (code, message)."""

    count: int = 0
    warnings: list[tuple[str, str]] = field(default_factory=list)
