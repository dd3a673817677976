"""Language choice and locale-aware formatting for pages and mails."""
from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_datetime, format_interval, format_time
from babel.numbers import format_decimal
from flask import Flask, current_app, g, has_request_context, request, session, url_for
from flask_babel import get_locale, gettext, refresh
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header

from ..extensions import babel

RTL_LANGUAGES = {"ar", "fa", "he", "ur"}


def choose_language(languages: tuple[str, ...], chosen: str | None, accept_language: str | None) -> str:
    """A language of `languages`: the one chosen (?lang= or the session's), else the browser's preference (the
    Accept-Language header)."""
    if chosen in languages:
        return chosen
    return _preferred(tuple(languages), accept_language or "")


@lru_cache(maxsize=256)
def _preferred(languages: tuple[str, ...], accept_language: str) -> str:
    # A phone sends the same header with every request: each worker parses a header once, not on every page.
    return parse_accept_header(accept_language, LanguageAccept).best_match(languages) or languages[0]


def select_locale() -> str:
    """The page language: ?lang=, then the session, then the browser's preference."""
    languages = current_app.config["LANGUAGES"]
    forced = getattr(g, "forced_lang", None)
    if forced in languages:
        return forced
    if has_request_context():
        chosen = session.get("lang")
        if chosen in languages:
            return chosen  # the browser's header is not even parsed: every shared page asks for the language
        g.language_negotiated = True  # from Accept-Language: a shared page then varies with that header
        return choose_language(languages, None, request.headers.get("Accept-Language"))
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def remember_language() -> None:
    """Store a ?lang= choice in the session so later pages keep it."""
    refresh()  # the locale is cached per app context, which a test client may share between requests
    g.pop("language_negotiated", None)  # likewise
    lang = request.args.get("lang")
    if lang in current_app.config["LANGUAGES"] and session.get("lang") != lang:
        session["lang"] = lang  # only a change is written: a shared page's repeat sets no cookie


def lang() -> str:
    """The current language code (e.g. 'ar')."""
    return str(get_locale() or "en").split("_")[0]


def text_direction() -> str:
    """'rtl' for right-to-left languages, else 'ltr'."""
    return "rtl" if lang() in RTL_LANGUAGES else "ltr"


def localized(obj, field: str) -> str:
    """The Arabic or English variant of a bilingual field, falling back to the other."""
    primary, other = (f"{field}_ar", f"{field}_en") if lang() == "ar" else (f"{field}_en", f"{field}_ar")
    return getattr(obj, primary, "") or getattr(obj, other, "") or ""


def fmt_date(value: date | datetime | None, fmt: str = "long", tz: str | None = None) -> str:
    """A date in the page language (a datetime is first moved to `tz`); `fmt` is a Babel format or a CLDR skeleton
    such as "MMMEd" (weekday, day and month, in the locale's order)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(ZoneInfo(tz)) if tz else value
        value = value.date()
    locale = get_locale()
    skeleton = locale.datetime_skeletons.get(fmt) if fmt not in ("short", "medium", "long", "full") else None
    return format_date(value, format=skeleton.pattern if skeleton else fmt, locale=locale)


# One family of formats: weekday, day and month (and year), then the locale's own clock (12 or 24 hours), never the
# numeric "12/7/26" of Babel's short and medium patterns.
MOMENT_SKELETONS = {"short": "MMMEd", "medium": "yMMMEd"}


def moment_pattern(locale: Locale, fmt: str) -> str:
    """The locale's date-and-time pattern for "short" (no year) or "medium", built from its skeletons."""
    day = locale.datetime_skeletons[MOMENT_SKELETONS[fmt]].pattern
    clock = locale.time_formats["short"].pattern
    return locale.datetime_formats["medium"].replace("{1}", day).replace("{0}", clock)


def fmt_datetime(value: datetime | None, tz: str = "UTC", fmt: str = "medium") -> str:
    """A timestamp in the page language, shown in the time zone `tz` ("short": without the year)."""
    if value is None:
        return ""
    locale = get_locale()
    pattern = moment_pattern(locale, fmt) if fmt in MOMENT_SKELETONS else fmt
    return format_datetime(value, format=pattern, tzinfo=ZoneInfo(tz), locale=locale)


def fmt_time(value: datetime | None, tz: str = "UTC") -> str:
    """A clock time in the page language and the time zone `tz`."""
    if value is None:
        return ""
    return format_time(value, format="short", tzinfo=ZoneInfo(tz), locale=get_locale())


def fmt_number(value: float | int) -> str:
    """A number with the locale's digits and grouping."""
    return format_decimal(value, locale=get_locale())


def date_range(start: date, end: date) -> str:
    """'23–24 May 2027' in the page language."""
    return format_interval(start, end, skeleton="yMMMd", locale=get_locale())


def language_name(code: str) -> str:
    """A language's own name, e.g. 'العربية' for 'ar'."""
    return Locale.parse(code).get_display_name(code) or code


def language_switch_url(language: str) -> str:
    """This page in another language: same address and query, with ?lang= set.

    Only pages that answer GET are linked again (after a form post, the page's own address may
    accept POST only), and url_for's reserved _-arguments are never taken from the query string.
    """
    rule = request.url_rule
    args = {key: value for key, value in request.args.items() if not key.startswith("_")}
    if rule is None or "GET" not in (rule.methods or ()) or request.endpoint is None:
        return url_for("events.index", lang=language)
    return url_for(request.endpoint, **{**(request.view_args or {}), **args, "lang": language})


def init_app(app: Flask) -> None:
    """Bind Flask-Babel and expose the helpers to templates."""
    babel.init_app(app, locale_selector=select_locale)
    app.before_request(remember_language)
    app.jinja_env.globals.update(
        lang=lang,
        text_direction=text_direction,
        localized=localized,
        language_name=language_name,
        language_switch_url=language_switch_url,
    )
    app.jinja_env.filters.update(
        date=fmt_date,
        datetime=fmt_datetime,
        time=fmt_time,
        number=fmt_number,
    )
    app.jinja_env.globals["date_range"] = date_range


def zone_label(conference) -> str:
    """'Doha time, UTC+3': the zone every time on the agenda is given in."""
    offset = datetime.combine(conference.start_date, datetime.min.time(), tzinfo=conference.tz).utcoffset()
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "−"
    hours, rest = divmod(abs(minutes), 60)
    text = f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")
    city = (conference.city_ar if lang() == "ar" else conference.city_en) or conference.city_en
    return gettext("%(city)s time, %(offset)s", city=city, offset=text) if city else f"{conference.timezone}, {text}"
