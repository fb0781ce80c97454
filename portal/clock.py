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
    return None if value is None else value.strftime("%Y-%m-%d %H:%M:%S")


def fmt_date(value):
    return None if value is None else value.strftime("%Y-%m-%d")
