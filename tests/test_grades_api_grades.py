"""services/grades (exam_id = an exam report's id) and the older services/examrep objects."""
import pytest

from portal import clock
from portal.extensions import db
from portal.grades.models import Grade

from .factories_grades import GradesFactory
from .test_grades_api import err, ok

M = "services/grades/"
DEFAULT = {"value_symbol", "passes", "value_description", "exam_id", "exam_session_number"}


@pytest.fixture
def uni(make, app):
    u = make.university()
    g = GradesFactory(app)
    u.general = g.report(u.edition, sessions=2)
    u.unitrep = g.report(u.edition, u.classes_unit, grade_type="ZAL", counts=False)
    u.grade = g.grade(u.general, u.student, "3", by=u.coordinator, comment="ok", private_comment="secret",
                      modified=clock.now().replace(microsecond=0))
    g.grade(u.unitrep, u.student, "ZAL", by=u.lecturer)
    u.g = g
    return u


def test_grade_default_secondary_and_errors(api, uni):
    base = dict(exam_id=uni.general.id, exam_session_number=1)
    body = ok(api.call(M + "grade", user=uni.student, **base))
    assert body == {"value_symbol": "3", "passes": True, "value_description": {"pl": "dostateczny", "en": "satisfactory"},
                    "exam_id": str(uni.general.id), "exam_session_number": 1}
    body = ok(api.call(M + "grade", user=uni.student, fields="counts_into_average|comment|grade_type_id|date_modified"
                       "|date_acquisition|modification_author|course_edition|unit|exam_report[id|sessions]|user", **base))
    assert body["counts_into_average"] is True and body["comment"] == "ok" and body["grade_type_id"] == "PL"
    assert body["modification_author"] == str(uni.coordinator.id) and body["unit"] is None
    assert body["course_edition"]["course_id"] == uni.course.id and body["user"]["id"] == str(uni.student.id)
    assert body["exam_report"]["id"] == str(uni.general.id) and len(body["exam_report"]["sessions"]) == 2
    err(api.call(M + "grade", user=uni.student, fields="exam_report[active_sessions]", **base), 400, "field_invalid")
    # the private comment: administrative consumers only, and never to the student
    err(api.call(M + "grade", user=uni.coordinator, user_id=uni.student.id, fields="private_comment", **base),
        403, "field_forbidden")
    assert ok(api.call(M + "grade", user=uni.coordinator, admin=True, user_id=uni.student.id,
                       fields="private_comment", **base)) == {"private_comment": "secret"}
    assert ok(api.call(M + "grade", user=uni.student, admin=True, fields="private_comment", **base)) == {
        "private_comment": None}
    err(api.call(M + "grade", user=uni.students[1], user_id=uni.student.id, **base), 403, "object_forbidden",
        "grade_forbidden")
    err(api.call(M + "grade", user=uni.students[1], **base), 400, "object_not_found", "grade_not_found")
    body = err(api.call(M + "grade", user=uni.student, exam_id="999", exam_session_number=1), 400, "object_not_found")
    assert body["param_name"] == "exam_id" and body["method_name"] == M + "grade"


def test_exam(api, uni):
    body = ok(api.call(M + "exam", user=uni.student, exam_id=uni.general.id))
    assert set(body) == {"1", "2"} and body["2"] is None and set(body["1"]) == DEFAULT
    body = ok(api.call(M + "exam", user=uni.coordinator, exam_id=uni.general.id, user_id=uni.student.id,
                       fields="value_symbol"))
    assert body == {"1": {"value_symbol": "3"}, "2": None}
    err(api.call(M + "exam", user=uni.outsider, exam_id=uni.general.id, user_id=uni.student.id), 403,
        "object_forbidden", "grade_forbidden")
    err(api.call(M + "exam", user=uni.student, exam_id=uni.general.id, fields="user"), 400, "field_invalid")
    assert err(api.call(M + "exam", user=uni.student, exam_id="x1"), 400, "object_not_found")["param_name"] == "exam_id"


def test_course_edition_and_terms(api, uni):
    args = dict(course_id=uni.course.id, term_id=uni.term.id)
    body = ok(api.call(M + "course_edition2", user=uni.student, fields="value_symbol", **args))
    assert body == {"course_grades": [{"1": {"value_symbol": "3"}, "2": None}],
                    "course_units_grades": {str(uni.classes_unit.id): [{"1": {"value_symbol": "ZAL"}}]}}
    body = ok(api.call(M + "course_edition", user=uni.student, fields="value_symbol", **args))
    assert body == {"course_grades": {"1": {"value_symbol": "3"}, "2": None},
                    "course_units_grades": {str(uni.classes_unit.id): {"1": {"value_symbol": "ZAL"}}}}
    err(api.call(M + "course_edition2", user=uni.student, course_id="NOPE", term_id=uni.term.id), 400, "object_not_found")
    body = ok(api.call(M + "terms2", user=uni.student, term_ids=f"{uni.term.id}|1999Z", fields="value_symbol"))
    assert body["1999Z"] is None
    assert body[uni.term.id][uni.course.id]["course_grades"] == [{"1": {"value_symbol": "3"}, "2": None}]
    body = ok(api.call(M + "terms", user=uni.student, term_ids=uni.term.id, course_ids="OTHER"))
    assert body == {uni.term.id: {}}
    body = ok(api.call(M + "terms", user=uni.student, term_ids=uni.term.id))
    assert set(body[uni.term.id][uni.course.id]["course_grades"]["1"]) == DEFAULT
    assert ok(api.call(M + "terms2", user=uni.outsider, term_ids=uni.term.id)) == {uni.term.id: {}}


def test_latest(api, app, uni):
    body = ok(api.call(M + "latest", user=uni.student, fields="value_symbol|exam_id"))
    assert body == [{"value_symbol": "3", "exam_id": str(uni.general.id)},
                    {"value_symbol": "ZAL", "exam_id": str(uni.unitrep.id)}]
    with app.app_context():
        g = db.session.get(Grade, uni.grade.id)
        g.date_modified = clock.now().replace(microsecond=0) - __import__("datetime").timedelta(days=10)
        db.session.commit()
    assert len(ok(api.call(M + "latest", user=uni.student))) == 1
    assert len(ok(api.call(M + "latest", user=uni.student, days=30))) == 2
    err(api.call(M + "latest", user=uni.student, days="x"), 400, "param_invalid")
    assert ok(api.call(M + "latest", user=uni.outsider)) == []


def test_grade_types(api, uni):
    body = ok(api.call(M + "grade_type", grade_type_id="ZAL", fields="id|name|is_current|values"))
    assert body["is_current"] is True
    assert body["values"][1] == {"symbol": "ZAL", "passes": True, "decimal_value": None,
                                 "name": {"pl": "zaliczył", "en": "pass"}, "order_key": 2}
    assert err(api.call(M + "grade_type", grade_type_id="QQ"), 400, "object_not_found")["param_name"] == "id"
    assert [t["id"] for t in ok(api.call(M + "grade_type_index"))] == ["PL", "ZAL"]
    body = ok(api.call(M + "grade_types", grade_type_ids="PL|QQ"))
    assert body["QQ"] is None and body["PL"]["id"] == "PL" and set(body["PL"]) == {"id", "name", "is_current"}
    err(api.call(M + "grade_types", grade_type_ids="PL|a%b"), 400, "param_invalid")


def test_update_grade_administrative(api, app, uni):
    base = dict(exam_id=uni.general.id, exam_session_number=1, student_id=uni.student.id)
    err(api.call(M + "update_grade", user=uni.coordinator, value_symbol="5", **base), 403, "method_forbidden",
        "trusted_required")
    assert ok(api.call(M + "update_grade", user=uni.coordinator, admin=True, value_symbol="5", comment="",
                       **base)) == {}
    with app.app_context():
        g = db.session.get(Grade, uni.grade.id)
        assert g.value.symbol == "5" and g.comment is None and g.modified_by_id == uni.coordinator.id
    err(api.call(M + "update_grade", user=uni.students[1], admin=True, value_symbol="5", **base), 403,
        "object_forbidden", "grade_forbidden")
    err(api.call(M + "update_grade", user=uni.lecturer, admin=True, value_symbol="5", **base), 403,
        "object_forbidden", "grade_write_forbidden")
    closed = uni.g.report(uni.edition, status="closed")
    err(api.call(M + "update_grade", user=uni.coordinator, admin=True, value_symbol="5",
                 **dict(base, exam_id=closed.id)), 400, "object_invalid", "invalid_exam_status")
    expired = uni.g.report(uni.edition, deadline_days=-2)
    err(api.call(M + "update_grade", user=uni.coordinator, admin=True, value_symbol="5",
                 **dict(base, exam_id=expired.id)), 400, "object_invalid", "exam_session_expired")


def test_old_examrep_objects(api, uni):
    body = ok(api.call("services/examrep/exam", id=uni.general.id))
    assert body == ok(api.call("services/examrep2/examrep", examrep_id=uni.general.id))
    body = ok(api.call("services/examrep/exam_session", exam_id=uni.general.id, number=2))
    assert body["number"] == 2 and body["examrep_id"] == str(uni.general.id)
    err(api.call("services/examrep/exam", id="77"), 400, "object_not_found")


def test_date_acquisition_is_a_datetime_as_the_reference_says(api, app, uni):
    """grades: "time of grade acquisition as datetime string"; examrep2: "datetime of grade acquisition"."""
    from datetime import date
    with app.app_context():
        g = db.session.get(Grade, uni.grade.id)
        g.date_acquisition = date(2026, 1, 15)
        db.session.commit()
    r = api.call("services/grades/grade", user=uni.student, exam_id=uni.general.id, exam_session_number=1,
                 fields="date_acquisition")
    assert r.get_json() == {"date_acquisition": "2026-01-15 00:00:00"}
    r = api.call("services/examrep2/student_grade", user=uni.coordinator, examrep_id=uni.general.id,
                 examrep_session_number=1, student_id=uni.student.id, fields="date_acquisition")
    assert r.status_code == 200 and r.get_json() == {"date_acquisition": "2026-01-15 00:00:00"}, r.get_json()
