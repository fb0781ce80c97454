"""Dates from a rule (the timetable's generation algorithm) and the academic calendar's days off."""
import calendar as _calendar
from datetime import timedelta

from sqlalchemy import or_, select

from .. import clock
from ..database import begin_write
from ..errors import ServiceError
from ..extensions import db
from ..langdict import ld
from ..university.models import Faculty
from .models import DayOff

FREQUENCIES = ("daily", "weekly", "week_days", "weekends", "biweekly_odd", "biweekly_even", "monthly")
MAX_DATES = 366


def invalid(param, message, pl):
    return ServiceError("param_invalid", message, param_name=param, user_message=ld(pl, message))


def entries_off(faculty, start, end):
    """The days-off entries overlapping [start, end] that apply to `faculty` (its own, its
    parents', the university's), by start date."""
    fac_ids = [f.id for f in faculty.with_parents()] if faculty is not None else []
    stmt = select(DayOff).where(DayOff.start_date <= end, DayOff.end_date >= start,
                                or_(DayOff.faculty_id.is_(None), DayOff.faculty_id.in_(fac_ids)))
    return list(db.session.scalars(stmt.order_by(DayOff.start_date, DayOff.id)))


def days_off(faculty, start, end):
    """Dates in [start, end] that are days off for `faculty` (its own, its parents', the university's)."""
    off = set()
    for entry in entries_off(faculty, start, end):
        day = max(entry.start_date, start)
        while day <= min(entry.end_date, end):
            off.add(day)
            day += timedelta(days=1)
    return off


def _add_month(day, months, wanted_day):
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(year=year, month=month, day=min(wanted_day, _calendar.monthrange(year, month)[1]))


def _candidates(start, end, frequency, week_day, start_even):
    """Every date of the rule from `start` to `end`, in order."""
    if frequency in ("daily", "week_days", "weekends"):
        day = start
        while day <= end:
            wd = day.isoweekday()
            if frequency == "daily" or (frequency == "week_days" and wd <= 5) or \
                    (frequency == "weekends" and wd >= 6):
                yield day
            day += timedelta(days=1)
        return
    wd = week_day or start.isoweekday()
    first = start + timedelta(days=(wd - start.isoweekday()) % 7)
    if frequency == "monthly":
        n = 0
        while (day := _add_month(first, n, first.day)) <= end:
            yield day
            n += 1
        return
    step = 7 if frequency == "weekly" else 14
    if frequency in ("biweekly_odd", "biweekly_even"):
        # Weeks count from the week of `start`: week 1 (odd), or week 2 (even) with start_even.
        week_of_first = (first - (start - timedelta(days=start.isoweekday() - 1))).days // 7
        number = week_of_first + (2 if start_even else 1)
        if (number % 2 == 1) != (frequency == "biweekly_odd"):
            first += timedelta(days=7)
    day = first
    while day <= end:
        yield day
        day += timedelta(days=step)


def generate_dates(start_date, end_date, number, frequency, week_day=None, use_calendar=False,
                   fac_id=None, start_even=False):
    """Up to `number` dates of the rule between the two dates, skipping days off when asked.

    `week_day` is 1 (Monday) .. 7 (Sunday); weekly, biweekly and monthly rules default to the
    weekday of `start_date`. Nothing is created.
    """
    if frequency not in FREQUENCIES:
        raise invalid("frequency", "Unknown frequency.", "Nieznana częstotliwość.")
    if end_date < start_date:
        raise invalid("end_date", "The end date is before the start date.",
                      "Data końcowa jest wcześniejsza niż początkowa.")
    if (end_date - start_date).days > 3 * 366:
        raise invalid("end_date", "The period is longer than three years.", "Okres dłuższy niż trzy lata.")
    if number is None or not 1 <= number <= MAX_DATES:
        raise invalid("number", f"The number of dates must be 1..{MAX_DATES}.",
                      f"Liczba terminów musi być z zakresu 1..{MAX_DATES}.")
    if week_day is not None and not 1 <= week_day <= 7:
        raise invalid("week_day", "The week day must be 1 (Monday) .. 7 (Sunday).",
                      "Dzień tygodnia: 1 (poniedziałek) .. 7 (niedziela).")
    faculty = None
    if fac_id:
        faculty = db.session.get(Faculty, fac_id)
        if faculty is None:
            raise ServiceError("object_not_found", "Faculty referenced by fac_id was not found.",
                               param_name="fac_id", method_name="services/meetings/generate_meeting_dates",
                               user_message=ld("Nie znaleziono jednostki.", "Faculty not found."))
    off = days_off(faculty, start_date, end_date) if use_calendar else set()
    result = []
    for day in _candidates(start_date, end_date, frequency, week_day, start_even):
        if day in off:
            continue
        result.append(day)
        if len(result) >= number:
            break
    return result


def calendar_admins_only():
    return ServiceError("method_forbidden", "Only administrators may change the academic calendar.",
                        reason="admin_only", status=403, user_message=ld(
                            "Tylko administratorzy mogą zmieniać kalendarz akademicki.",
                            "Only administrators can change the academic calendar."))


def add_day_off(actor, faculty_id, start_date, end_date, name_pl, name_en=None):
    """Staff add a holiday or break (faculty_id None: the whole university)."""
    begin_write()
    if not DayOff.can_edit(actor):
        raise calendar_admins_only()
    if end_date < start_date:
        raise invalid("end_date", "The end date is before the start date.",
                      "Data końcowa jest wcześniejsza niż początkowa.")
    if faculty_id and db.session.get(Faculty, faculty_id) is None:
        raise invalid("faculty_id", "Unknown faculty.", "Nieznana jednostka.")
    entry = DayOff(faculty_id=faculty_id or None, start_date=start_date, end_date=end_date,
                   name=ld(name_pl.strip(), (name_en or "").strip() or None))
    db.session.add(entry)
    db.session.flush()
    return entry


def delete_day_off(actor, day_off_id):
    begin_write()
    if not DayOff.can_edit(actor):
        raise calendar_admins_only()
    entry = db.session.get(DayOff, day_off_id)
    if entry is None:
        raise invalid("day_off_id", "No such day off.", "Nie ma takiego dnia wolnego.")
    db.session.delete(entry)
    db.session.flush()


def upcoming_days_off():
    return list(db.session.scalars(select(DayOff).where(DayOff.end_date >= clock.today() - timedelta(days=30))
                                   .order_by(DayOff.start_date)))
