"""Dates, times and numbers in the interface language, through Babel (CLDR), for pages and files.

The portal keeps naive institution-local times, so nothing is converted between time zones
here: Babel formats the wall-clock time as stored. Dates carry the weekday, because people
plan consultations and exams by the day of the week.
"""
from babel import dates as babel_dates
from babel import numbers as babel_numbers
from flask import has_request_context
from flask_babel import get_locale

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


def date(value, skeleton=DATE, lang=None):
    """A calendar date with its weekday: "pt., 11 gru 2026" / "Fri, Dec 11, 2026"."""
    if value is None:
        return ""
    return babel_dates.format_skeleton(skeleton, value, locale=locale(lang))


def time(value, skeleton=TIME, lang=None):
    """A time of day: "09:00" (skeleton "Hms" adds the seconds)."""
    return "" if value is None else babel_dates.format_skeleton(skeleton, value, locale=locale(lang))


def datetime(value, skeleton=DATE, lang=None):
    """Date with weekday and time, joined as the language joins them: "pt., 11 gru 2026, 09:00"."""
    if value is None:
        return ""
    loc = babel_dates.Locale.parse(locale(lang))
    pattern = loc.datetime_formats["medium"]
    return pattern.format(time(value, lang=lang), date(value, skeleton, lang))


def span(start, end, lang=None):
    """A time span: one date and two times on the same day, else two full date-times."""
    if start is None:
        return ""
    if end is None:
        return datetime(start, lang=lang)
    if start.date() == end.date():
        loc = babel_dates.Locale.parse(locale(lang))
        hours = babel_dates.format_interval(start, end, TIME, locale=loc)
        return loc.datetime_formats["medium"].format(hours, date(start, lang=lang))
    return f"{datetime(start, lang=lang)} – {datetime(end, lang=lang)}"


def times(start, end, lang=None):
    """Only the times of a span on one day: "09:00–09:40"."""
    return babel_dates.format_interval(start, end, TIME, locale=locale(lang))


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
        "grade": lambda symbol: shown_symbol(symbol, str(locale())),
    })
