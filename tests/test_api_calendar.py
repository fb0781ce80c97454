"""services/calendar/search: a faculty's academic calendar from Indeks's data: the days off of the
university, of the faculty and of its parents (not of other faculties), and its visible
examination sessions from their first to their last exam."""
from datetime import date, datetime, timedelta

import pytest

from portal.extensions import db
from portal.langdict import ld
from portal.meetings.models import DayOff

from .factories_exams import ExamFactory


@pytest.fixture
def uni(make):
    return make.university()


@pytest.fixture
def calendar(app, uni):
    """Days off of the university, of the parent faculty, of the faculty and of another one."""
    d = date.today()
    with app.app_context():
        from portal.university.models import Faculty
        db.session.add(Faculty(id="OTHER", name=ld("Inny", "Other")))
        rows = [DayOff(start_date=d + timedelta(days=2), end_date=d + timedelta(days=2), name=ld("Święto", "Holiday")),
                DayOff(start_date=d + timedelta(days=5), end_date=d + timedelta(days=9), name=ld("Przerwa", "Break")),
                DayOff(start_date=d + timedelta(days=3), end_date=d + timedelta(days=3), name=ld("Dzień PAR", "PAR day"),
                       faculty_id=uni.parent.id),
                DayOff(start_date=d + timedelta(days=4), end_date=d + timedelta(days=4), name=ld("Dzień FAC", "FAC day"),
                       faculty_id=uni.faculty.id),
                DayOff(start_date=d + timedelta(days=4), end_date=d + timedelta(days=4), name=ld("Inny", "Other day"),
                       faculty_id="OTHER")]
        db.session.add_all(rows)
        db.session.commit()
        return [r.id for r in rows]


def search(api, user, faculty, start, end, **kw):
    return api.call("services/calendar/search", user=user, faculty_id=faculty, start_date=start.isoformat(),
                    end_date=end.isoformat(), **kw)


def test_days_off_of_the_faculty_its_parents_and_the_university(api, uni, calendar):
    d = date.today()
    r = search(api, uni.student, uni.faculty.id, d, d + timedelta(days=30), fields="id|name|start_date|end_date|type|"
               "is_day_off|faculty")
    assert r.status_code == 200, r.get_json()
    holiday, par, fac, brk = r.get_json()
    assert holiday == {"id": f"day-off-{calendar[0]}", "name": {"pl": "Święto", "en": "Holiday"},
                       "start_date": f"{d + timedelta(days=2)} 00:00:00", "end_date": f"{d + timedelta(days=2)} 23:59:59",
                       "type": "rector", "is_day_off": True, "faculty": None}
    assert (par["type"], par["faculty"]) == ("dean", {"id": uni.parent.id, "name": {"pl": "Wydział PAR", "en": "Faculty PAR"}})
    assert (fac["type"], fac["faculty"]["id"]) == ("dean", uni.faculty.id)
    assert (brk["type"], brk["end_date"]) == ("holidays", f"{d + timedelta(days=9)} 23:59:59")
    # the parent faculty does not get its children's days off; another faculty gets only the university's
    assert [e["id"] for e in search(api, uni.student, uni.parent.id, d, d + timedelta(days=30)).get_json()] == [
        f"day-off-{calendar[0]}", f"day-off-{calendar[2]}", f"day-off-{calendar[1]}"]
    assert [e["type"] for e in search(api, uni.student, "OTHER", d, d + timedelta(days=30)).get_json()] == [
        "rector", "dean", "holidays"]
    # the range: an event touching it is in, one outside is not
    assert [e["id"] for e in search(api, uni.student, uni.faculty.id, d + timedelta(days=9), d + timedelta(days=9))
            .get_json()] == [f"day-off-{calendar[1]}"]
    assert search(api, uni.student, uni.faculty.id, d + timedelta(days=10), d + timedelta(days=20)).get_json() == []


def test_examination_sessions_span_their_exams(app, api, uni):
    factory = ExamFactory(app)
    ex = factory.setup(uni)  # groups on day 7 (9:00-11:00) and day 8
    hidden = factory.session(uni.faculty.id, status="in_preparation")
    factory.group(factory.exam(hidden, uni.course.id, uni.term.id), day=7)
    d = date.today()
    events = search(api, uni.student, uni.faculty.id, d, d + timedelta(days=30),
                    fields="id|type|is_day_off|start_date|end_date").get_json()
    start, end = datetime.combine(d + timedelta(days=7), datetime.min.time()), d + timedelta(days=8)
    assert events == [{"id": f"exam-session-{ex.session.id}", "type": "exam_session", "is_day_off": False,
                       "start_date": f"{start.date()} 09:00:00", "end_date": f"{end} 11:00:00"}]


def test_errors(api, uni):
    d = date.today()
    r = search(api, uni.student, "NOPE", d, d)
    assert r.status_code == 400 and r.get_json()["error"] == "object_not_found"
    assert r.get_json()["param_name"] == "faculty_id" and r.get_json()["method_name"] == "services/calendar/search"
    r = search(api, uni.student, uni.faculty.id, d, d - timedelta(days=1))
    assert r.status_code == 400 and r.get_json()["param_name"] == "end_date"
    r = api.call("services/calendar/search", signed=False, faculty_id=uni.faculty.id, start_date=str(d), end_date=str(d))
    assert r.status_code == 401 and r.get_json()["reason"] == "consumer_missing"
