"""Small protocol promises, each pinned by a test: dates near the end of the calendar, a user
listed twice in a batch, hidden exams that must not betray themselves, errors naming the method
that was called, year 1 round-tripping, and required lists that refuse an empty value."""
import json
from datetime import date, datetime

import pytest

from portal import clock
from portal.exams.models import ExamRegistration
from portal.extensions import db

from .factories_exams import ExamFactory


@pytest.mark.parametrize("start,end,status", [
    ("9999-12-01", "9999-12-15", 200),
    ("9999-12-01", "9999-12-31", 200),
    ("9999-12-31", "9999-12-31", 200),
    ("9999-11-15", "9999-12-31", 400),  # longer than a month
    ("0001-01-01", "0001-01-31", 200),
])
def test_search_exams_registrations_at_the_ends_of_the_calendar(api, uni, start, end, status):
    r = api.call("services/exams/search_exams_registrations", user=uni.student, start_date=start, end_date=end)
    assert r.status_code == status, r.get_json()
    if status == 200:
        assert r.get_json() == []
    else:
        assert r.get_json()["error"] == "params_invalid" and r.get_json()["reason"] == "too_long_date_range"


def test_a_user_listed_twice_in_a_batch_gets_the_outcome_of_one_registration(app, api, uni, ex):
    student = str(uni.students[0].id)
    values = json.dumps({"1": {"1": [student, student]}})
    r = api.call("services/exams/batch_register_exam", admin=True, exam_id=ex.exam.id, values=values)
    assert r.status_code == 200 and r.get_json() == {"1": {"1": {student: "success"}}}
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(ExamRegistration.id))) == 1
    r = api.call("services/exams/batch_unregister_exam", admin=True, exam_id=ex.exam.id, values=values)
    assert r.status_code == 200 and r.get_json() == {student: "success"}


def test_an_exam_of_a_session_in_preparation_is_answered_as_if_it_did_not_exist(app, api, uni):
    factory = ExamFactory(app)
    hidden = factory.exam(factory.session(uni.faculty.id, status="in_preparation"), uni.course.id, uni.term.id)
    unsigned = api.call("services/exams/exam", signed=False, id=hidden.id)
    missing = api.call("services/exams/exam", signed=False, id=hidden.id + 1000)
    assert unsigned.status_code == missing.status_code == 400
    assert unsigned.get_json() == missing.get_json() == {
        "error": "object_not_found", "message": "Exam not found.", "param_name": "id",
        "method_name": "services/exams/exam",
        "user_messages": {"generic_message": {"pl": "Nie znaleziono obiektu.", "en": "Object not found."}}}
    assert api.call("services/exams/exam", signed=False, id=hidden.id, fields="id").get_json() == \
        api.call("services/exams/exam", signed=False, id=hidden.id + 1000, fields="id").get_json()
    # staff see it
    assert api.call("services/exams/exam", user=uni.admin, id=hidden.id, fields="id").get_json() == {
        "id": str(hidden.id)}


@pytest.mark.parametrize("path,params", [
    ("services/meetings/sign_up", {"substantiation_id": "1"}),
    ("services/meetings/sign_off", {}),
])
def test_an_unknown_meeting_date_names_the_method_called(api, uni, path, params):
    r = api.call(path, user=uni.student, meeting_date_id=987654, **params)
    assert r.status_code == 400
    assert r.get_json()["error"] == "object_not_found" and r.get_json()["method_name"] == path
    assert r.get_json()["param_name"] == "meeting_date_id"


def test_year_one_round_trips(api, uni):
    assert clock.fmt_datetime(datetime(1, 1, 1)) == "0001-01-01 00:00:00"
    assert clock.fmt_date(date(1, 1, 1)) == "0001-01-01"
    assert clock.fmt_datetime(datetime(9999, 12, 31, 23, 59, 59, 999999)) == "9999-12-31 23:59:59"
    r = api.call("services/attendance/create_attendance_list", user=uni.lecturer, course_unit_id=uni.classes_unit.id,
                 group_number=1, date="0001-01-01 00:00:00", mode="intramural")
    assert r.status_code == 400 and r.get_json()["reason"] == "date_outside_term", r.get_json()  # not the group's term
    from portal.attendance.models import AttendanceList
    with api.app.app_context():  # a list of year 1 all the same (an import, say): it reads back as written
        lst = AttendanceList(group_id=uni.classes.id, owner_id=uni.lecturer.id, date=datetime(1, 1, 1),
                             mode="intramural", created_at=clock.now())
        db.session.add(lst)
        db.session.commit()
        list_id = lst.id
    r = api.call("services/attendance/attendance_list", user=uni.lecturer, list_id=list_id, fields="date")
    assert r.get_json() == {"date": "0001-01-01 00:00:00"}
    r = api.call("services/attendance/attendance_list", user=uni.lecturer, list_id=list_id, fields="date",
                 format="xmlmap2")
    assert '<string key="date">0001-01-01 00:00:00</string>' in r.get_data(as_text=True)


@pytest.mark.parametrize("path,params", [
    ("services/users/users", {"user_ids": ""}),
    ("services/exams/examination_sessions", {"ids": ""}),
    ("services/grades/terms2", {"term_ids": ""}),
])
def test_required_lists_refuse_an_empty_value(api, uni, path, params):
    r = api.call(path, user=uni.student, **params)
    assert r.status_code == 400
    assert r.get_json()["error"] == "param_missing" and r.get_json()["param_name"] == next(iter(params))


def test_an_optional_list_may_be_empty(api, uni):
    r = api.call("services/grades/terms2", user=uni.student, term_ids=uni.term.id, course_ids="")
    assert r.status_code == 200  # no course_ids: every course of the term
    assert r.get_json() == {uni.term.id: {uni.course.id: {"course_grades": [], "course_units_grades": {}}}}


@pytest.mark.parametrize("raw,status", [("true", 200), ("True", 200), ("FALSE", 200), ("yes", 400), ("1", 400)])
def test_booleans_in_either_case(api, uni, raw, status):
    """usos-api sends a Python bool as str(value), "True"/"False"."""
    r = api.call("services/examrep2/grader", user=uni.coordinator, only_writable=raw)
    assert r.status_code == status, r.get_json()
    if status == 400:
        assert r.get_json()["error"] == "param_invalid" and r.get_json()["param_name"] == "only_writable"


def test_numbers_past_a_database_integer_are_refused_or_name_nothing(api, uni):
    """PostgreSQL cannot compare an integer column with a number past 2^31-1 (a 5xx once): an
    integer parameter past it is param_invalid, an ID past it names no object (both 400s)."""
    r = api.call("services/groups/group", user=uni.student, course_unit_id=str(uni.lecture_unit.id), group_number="2147483648")
    assert r.status_code == 400 and r.get_json()["error"] == "param_invalid"
    assert r.get_json()["param_name"] == "group_number"
    r = api.call("services/users/user", user=uni.student, user_id="2147483648")
    assert r.status_code == 400 and r.get_json()["error"] == "object_not_found"
    r = api.call("services/groups/user", user=uni.student, user_id="2147483648")
    assert r.status_code == 400 and r.get_json()["error"] == "object_not_found"


@pytest.mark.parametrize("path,param", [
    ("services/exams/batch_register_exam", "values"),
    ("services/exams/batch_unregister_exam", "values"),
])
@pytest.mark.parametrize("deep", ["[" * 5000 + "]" * 5000, '{"1":' * 5000 + "1" + "}" * 5000])
def test_json_nested_past_the_decoders_depth_is_param_invalid(api, ex, path, param, deep):
    """Python's JSON decoder gives up on deep nesting with RecursionError (a 500 once)."""
    r = api.call(path, admin=True, exam_id=ex.exam.id, **{param: deep})
    assert r.status_code == 400, r.get_data(as_text=True)[:200]
    assert r.get_json()["error"] == "param_invalid" and r.get_json()["param_name"] == param
