"""generate_meeting_dates: every frequency, week_day, start_even, the faculty calendar's days off."""
from datetime import date

import pytest

from portal.extensions import db
from portal.meetings.models import MeetingDate

from .factories_meetings import MeetingFactory
from .test_meetings_signup import M, ok


def gen(api, user, **kw):
    kw.setdefault("end_date", "2026-12-31")
    return api.call(M + "generate_meeting_dates", user=user, **kw)


@pytest.mark.parametrize("frequency,extra,expected", [
    ("daily", {}, ["2026-03-02", "2026-03-03", "2026-03-04"]),
    ("weekly", {"week_day": "3"}, ["2026-03-04", "2026-03-11", "2026-03-18"]),
    ("weekly", {}, ["2026-03-02", "2026-03-09", "2026-03-16"]),
    ("week_days", {"start_date": "2026-03-06"}, ["2026-03-06", "2026-03-09", "2026-03-10"]),
    ("weekends", {}, ["2026-03-07", "2026-03-08", "2026-03-14"]),
    ("biweekly_odd", {"week_day": "1"}, ["2026-03-02", "2026-03-16", "2026-03-30"]),
    ("biweekly_even", {"week_day": "1"}, ["2026-03-09", "2026-03-23", "2026-04-06"]),
    ("biweekly_odd", {"week_day": "1", "start_even": True}, ["2026-03-09", "2026-03-23", "2026-04-06"]),
    ("biweekly_even", {"week_day": "5", "start_even": True}, ["2026-03-06", "2026-03-20", "2026-04-03"]),
    ("monthly", {"start_date": "2026-01-31"}, ["2026-01-31", "2026-02-28", "2026-03-31"]),
])
def test_frequencies(api, app, uni, frequency, extra, expected):
    params = {"start_date": "2026-03-02", "number": 3, "frequency": frequency, **extra}
    assert ok(gen(api, uni.coordinator, **params)) == expected
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(MeetingDate.id))) == 0


def test_end_date_and_number_limit(api, uni):
    assert ok(gen(api, uni.coordinator, start_date="2026-03-02", end_date="2026-03-10", number=30,
                  frequency="weekly")) == ["2026-03-02", "2026-03-09"]


def test_use_calendar_skips_days_off(api, app, uni, make):
    mf = MeetingFactory(app)
    mf.day_off(date(2026, 3, 11), name="Rektorskie")             # whole university
    mf.day_off(date(2026, 3, 18), date(2026, 3, 19), faculty=uni.parent)  # parent of FAC
    mf.day_off(date(2026, 3, 25), faculty=make.faculty("OTH"))   # another faculty's
    base = dict(start_date="2026-03-02", number=4, frequency="weekly", week_day="3")
    assert ok(gen(api, uni.coordinator, **base)) == ["2026-03-04", "2026-03-11", "2026-03-18", "2026-03-25"]
    assert ok(gen(api, uni.coordinator, use_calendar=True, **base)) == [
        "2026-03-04", "2026-03-18", "2026-03-25", "2026-04-01"]
    assert ok(gen(api, uni.coordinator, use_calendar=True, fac_id="FAC", **base)) == [
        "2026-03-04", "2026-03-25", "2026-04-01", "2026-04-08"]


@pytest.mark.parametrize("params,error,param_name", [
    ({"start_date": "2026-03-02", "end_date": "2026-03-01"}, "param_invalid", "end_date"),
    ({"frequency": "hourly"}, "param_invalid", "frequency"),
    ({"week_day": "8"}, "param_invalid", "week_day"),
    ({"number": 0}, "param_invalid", "number"),
    ({"number": "x"}, "param_invalid", "number"),
    ({"start_date": "2026-13-01"}, "param_invalid", "start_date"),
    ({"fac_id": "NOPE"}, "object_not_found", "fac_id"),
    ({"frequency": None}, "param_missing", "frequency"),
])
def test_bad_input(api, uni, params, error, param_name):
    base = {"start_date": "2026-03-02", "number": 3, "frequency": "daily"}
    base.update(params)
    r = gen(api, uni.coordinator, **base)
    assert r.status_code == 400, r.get_json()
    assert r.get_json()["error"] == error and r.get_json()["param_name"] == param_name
