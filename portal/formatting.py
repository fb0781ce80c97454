"""Dates, times and numbers in the interface language, through Babel (CLDR), for pages and files.

The portal keeps naive institution-local times, so nothing is converted between time zones
here: Babel formats the wall-clock time as stored. Dates carry the weekday, because people
plan consultations and exams by the day of the week.
"""
from functools import lru_cache

from babel import dates as babel_dates
from babel import numbers as babel_numbers
from flask import has_request_context
from flask_babel import get_locale, to_user_timezone

from .university.models import shown_symbol

DATE = "yMMMEd"      # pt., 11 gru 2026 · Fri, Dec 11, 2026
SHORT_DATE = "MMMEd"  # pt., 11 gru · Fri, Dec 11
TIME = "Hm"          # 09:00 (a 24-hour clock in both languages, as on Polish timetables)


def locale(lang=None):
    """The Babel locale of `lang`, else of the request's interface language, else Polish."""
    if lang:
        return lang
    loc = get_locale() if has_request_context() else None
    return loc or "pl"


# Babel works out a skeleton's pattern and formats anew on every call (tens of microseconds); a
# page shows the same few dates and times many times over (a grid's "last change" per row, a
# slot list's times), so what it made is kept per value, pattern and locale (both languages).
_cached = lru_cache(maxsize=8192)


@_cached
def _skeleton(skeleton, value, loc):
    return babel_dates.format_skeleton(skeleton, value, locale=loc)


@_cached
def _interval(start, end, skeleton, loc):
    return babel_dates.format_interval(start, end, skeleton, locale=loc)


@_cached
def _joined(loc):
    """The language's pattern joining a time ({0}) and a date ({1})."""
    return babel_dates.Locale.parse(loc).datetime_formats["medium"]


def date(value, skeleton=DATE, lang=None):
    """A calendar date with its weekday: "pt., 11 gru 2026" / "Fri, Dec 11, 2026"."""
    if value is None:
        return ""
    return _skeleton(skeleton, value, locale(lang))


def time(value, skeleton=TIME, lang=None):
    """A time of day: "09:00" (skeleton "Hms" adds the seconds)."""
    return "" if value is None else _skeleton(skeleton, value, locale(lang))


def datetime(value, skeleton=DATE, lang=None):
    """Date with weekday and time, joined as the language joins them: "pt., 11 gru 2026, 09:00"."""
    if value is None:
        return ""
    loc = locale(lang)
    return _joined(loc).format(_skeleton(TIME, value, loc), _skeleton(skeleton, value, loc))


def utc_datetime(value, lang=None):
    """A naive UTC record (sign-ins) as `datetime` shows a local time: in the institution's zone."""
    return "" if value is None else datetime(to_user_timezone(value).replace(tzinfo=None), lang=lang)


def span(start, end, lang=None):
    """A time span: one date and two times on the same day, else two full date-times."""
    if start is None:
        return ""
    if end is None:
        return datetime(start, lang=lang)
    if start.date() == end.date():
        loc = locale(lang)
        return _joined(loc).format(_interval(start, end, TIME, loc), _skeleton(DATE, start, loc))
    return f"{datetime(start, lang=lang)} – {datetime(end, lang=lang)}"


def times(start, end, lang=None):
    """Only the times of a span on one day: "09:00–09:40"."""
    return _interval(start, end, TIME, locale(lang))


def day_heading(value, lang=None):
    """A day as a heading: "Piątek, 11 grudnia 2026" / "Friday, December 11, 2026"."""
    text = babel_dates.format_date(value, "full", locale=locale(lang))
    return text[:1].upper() + text[1:]


def decimal(value, places=None, lang=None):
    """A number as the language writes it: 3,75 / 3.75; `places` fixes the decimals (4,00)."""
    if value is None:
        return ""
    pattern = None if places is None else "#,##0." + "0" * places if places else "#,##0"
    return babel_numbers.format_decimal(value, pattern, locale=locale(lang))


def percent(value, lang=None):
    """A percentage given in percent (83.3 -> "83,3%"); whole numbers without decimals."""
    if value is None:
        return ""
    return babel_numbers.format_percent(value / 100, "#,##0.#%", locale=locale(lang))


def init_app(app):
    app.jinja_env.filters.update({
        "d": date, "dt": datetime, "time": time, "span": span, "times": times,
        "day_heading": day_heading, "num": decimal, "pct": percent,
        "short_date": lambda value: date(value, SHORT_DATE),
        "utc_dt": utc_datetime,
        "grade": lambda symbol: shown_symbol(symbol, str(locale())),
    })
