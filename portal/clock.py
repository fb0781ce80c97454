"""The institution's clock. USOS DateTimes are naive institution-local times."""
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

DEFAULT_TZ = "Europe/Warsaw"


def tz():
    name = current_app.config.get("PORTAL_TIMEZONE", DEFAULT_TZ) if has_app_context() else DEFAULT_TZ
    return ZoneInfo(name)


def now():
    """Current institution-local time, naive, to the microsecond."""
    return datetime.now(tz()).replace(tzinfo=None)


def today():
    return now().date()


def fmt_datetime(value):
    """USOS DateTime "YYYY-MM-DD HH:MM:SS" (the year in four digits: strftime drops the zeros of 0001)."""
    if value is None:
        return None
    if not isinstance(value, datetime):
        value = datetime.combine(value, datetime.min.time())
    return value.replace(microsecond=0).isoformat(sep=" ")


def fmt_date(value):
    """USOS Date "YYYY-MM-DD"."""
    return None if value is None else value.isoformat()[:10]
