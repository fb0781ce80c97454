"""services/examrep2: every method, its fields, errors and the permission rules."""
import sys
import types
from datetime import timedelta

import pytest

from portal import clock
from portal.extensions import db
from portal.grades.models import Grade, GradeChange

from .factories_grades import GradesFactory

M = "services/examrep2/"


@pytest.fixture
def uni(make, app):
    u = make.university()
    g = GradesFactory(app)
    u.general = g.report(u.edition, sessions=2)
    u.unitrep = g.report(u.edition, u.classes_unit)
    u.grade = g.grade(u.general, u.student, "3", by=u.coordinator, comment="ok", private_comment="secret")
    u.g = g
    return u


def ok(r):
    assert r.status_code == 200, r.get_json()
    return r.get_json()


def err(r, status, error, reason=None):
    body = r.get_json()
    assert r.status_code == status, body
    assert body["error"] == error, body
    if reason:
        assert body.get("reason") == reason, body
    return body


def test_examrep_default_nested_and_secondary(api, uni):
    body = ok(api.call(M + "examrep", examrep_id=uni.general.id))
    assert body["id"] == str(uni.general.id) and body["is_general_report"] is True
    assert [s["number"] for s in body["sessions"]] == [1, 2]
    assert set(body["sessions"][0]) == {"examrep_id", "number", "status", "description", "deadline", "is_open"}
    assert body["sessions"][0]["is_open"] is True
    body = ok(api.call(M + "examrep", user=uni.lecturer, examrep_id=uni.unitrep.id,
                       fields="grade_type[id|values[symbol]]|course_unit|course_edition|active_sessions[number]"
                              "|counts_into_average|edit_access"))
    assert body["grade_type"]["id"] == "PL" and "4,5" in [v["symbol"] for v in body["grade_type"]["values"]]
    assert body["course_unit"]["id"] == str(uni.classes_unit.id)
    assert body["course_edition"]["course"]["id"] == uni.course.id  # course_edition2 by default: course, term
    assert body["active_sessions"] == [{"number": 1}]
    assert body["edit_access"] is True and body["counts_into_average"] is True
    assert ok(api.call(M + "examrep", user=uni.lecturer, examrep_id=uni.general.id,
                       fields="edit_access"))["edit_access"] is False
    err(api.call(M + "examrep", examrep_id="999"), 400, "object_not_found")
    err(api.call(M + "examrep", examrep_id=uni.general.id, fields="active_sessions[all_grades]"),
        400, "field_invalid")


def test_examrep_session_fields_and_access(api, uni):
    body = ok(api.call(M + "examrep_session", examrep_id=uni.general.id, examrep_session_number=1))
    assert body["examrep_id"] == str(uni.general.id) and body["status"] == "active"
    r = api.call(M + "examrep_session", examrep_id=uni.general.id, examrep_session_number=1,
                 fields="all_grades", signed=False)
    err(r, 403, "field_forbidden")
    body = ok(api.call(M + "examrep_session", user=uni.coordinator, examrep_id=uni.general.id,
                       examrep_session_number=1,
                       fields="is_acquisition_date_required|all_grades[user[id]|grade_value|private_comment]"
                              "|write_access[cause|unassigned]|read_access"))
    assert len(body["all_grades"]) == len(uni.students)
    mine = next(gr for gr in body["all_grades"] if gr["user"]["id"] == str(uni.student.id))
    assert mine["grade_value"]["symbol"] == "3" and mine["private_comment"] == "secret"
    assert body["write_access"] == [{"cause": "coordinator", "unassigned": True}]
    body = ok(api.call(M + "examrep_session", user=uni.student, examrep_id=uni.general.id,
                       examrep_session_number=1, fields="all_grades[user[id]|private_comment]|issuer_grade"))
    assert body["all_grades"] == [{"user": {"id": str(uni.student.id)}, "private_comment": None}]
    assert body["issuer_grade"]["grade_value"]["symbol"] == "3"
    err(api.call(M + "examrep_session", examrep_id=uni.general.id, examrep_session_number=9),
        400, "object_not_found")


def test_session_access_rules(api, uni):
    def access(user, report, kind):
        return ok(api.call(M + "examrep_session_access", user=user, examrep_id=report.id,
                           examrep_session_number=1, type=kind))
    assert access(uni.coordinator, uni.general, "write") == [
        {"cause": "coordinator", "groups": [], "exam_groups": [], "unassigned": True}]
    lect = access(uni.lecturer, uni.unitrep, "write")
    assert lect[0]["cause"] == "lecturer" and lect[0]["groups"][0]["number"] == 1
    assert lect[0]["unassigned"] is False
    assert access(uni.lecturer, uni.general, "write") == []  # lecturers write only in unit reports
    assert access(uni.lecturer, uni.general, "read")[0]["cause"] == "lecturer"
    assert access(uni.outsider, uni.general, "read") == []
    err(api.call(M + "examrep_session_access", user=uni.coordinator, examrep_id=uni.general.id,
                 examrep_session_number=1, type="nope"), 400, "param_invalid")
    err(api.call(M + "examrep_session_access", signed=False, examrep_id=uni.general.id,
                 examrep_session_number=1, type="read"), 401, "method_forbidden")
    r = api.call(M + "examrep_session_access", user=uni.coordinator, scopes=("studies",),
                 examrep_id=uni.general.id, examrep_session_number=1, type="read")
    assert err(r, 403, "method_forbidden", "scope_missing")["missing_scopes"] == ["grades"]


def test_types_and_values(api, uni):
    assert ok(api.call(M + "examrep_type", examrep_type_id="E")) == {"id": "E", "name": {"pl": "Egzamin", "en": "Exam"}}
    assert ok(api.call(M + "examrep_type", examrep_type_id="Z", fields="grade_type"))["grade_type"]["id"] == "ZAL"
    err(api.call(M + "examrep_type", examrep_type_id="X"), 400, "object_not_found")
    body = ok(api.call(M + "grade_type", grade_type_id="PL", fields="id|name|values[symbol|passes|decimal_value]"))
    assert body["values"][0] == {"symbol": "2", "passes": False, "decimal_value": "2.0"}
    assert set(ok(api.call(M + "grade_type", grade_type_id="ZAL"))) == {"id", "name"}
    err(api.call(M + "grade_type", grade_type_id="XX"), 400, "object_not_found")
    body = ok(api.call(M + "grade_value", grade_type_id="PL", order_key=5,
                       fields="order_key|symbol|name|passes|decimal_value|grade_type"))
    assert body["symbol"] == "4,5" and body["decimal_value"] == "4.5" and body["grade_type"]["id"] == "PL"
    err(api.call(M + "grade_value", grade_type_id="PL", order_key=99), 400, "object_not_found")
    err(api.call(M + "grade_value", grade_type_id="PL", order_key=1, fields="grade_type[values]"),
        400, "field_invalid")


def test_grader_and_examinee(api, uni):
    ids = lambda body: sorted(r["id"] for r in body)  # noqa: E731
    both = sorted([str(uni.general.id), str(uni.unitrep.id)])
    assert ids(ok(api.call(M + "grader", user=uni.coordinator))) == both
    assert ids(ok(api.call(M + "grader", user=uni.lecturer))) == both
    assert ids(ok(api.call(M + "grader", user=uni.lecturer, only_writable=True))) == [str(uni.unitrep.id)]
    assert ok(api.call(M + "grader", user=uni.outsider)) == []
    assert ok(api.call(M + "grader", user=uni.student)) == []
    body = ok(api.call(M + "examinee", user=uni.coordinator, user_id=uni.student.id))
    assert ids(body) == both and set(body[0]) == {"id", "description", "is_general_report", "sessions"}
    assert ids(ok(api.call(M + "examinee", user=uni.lecturer, user_id=uni.student.id))) == [str(uni.unitrep.id)]
    assert ok(api.call(M + "examinee", user=uni.other_lecturer, user_id=uni.student.id)) == []
    err(api.call(M + "examinee", user=uni.coordinator, user_id=uni.student.id, fields="course_unit"),
        400, "field_invalid")
    err(api.call(M + "examinee", user=uni.coordinator, user_id="424242"), 400, "object_not_found")


def test_student_grade_permissions(api, uni):
    args = dict(examrep_id=uni.general.id, examrep_session_number=1, student_id=uni.student.id)
    body = ok(api.call(M + "student_grade", user=uni.coordinator, **args))
    assert body["grade_value"]["symbol"] == "3" and body["comment"] == "ok"
    assert body["private_comment"] == "secret" and body["user"]["id"] == str(uni.student.id)
    body = ok(api.call(M + "student_grade", user=uni.coordinator, fields="grader|last_updated|is_editable|resignation"
                       "|inactive_links|why_cannot_edit|date_acquisition|examrep_session[number]", **args))
    assert body["grader"]["id"] == str(uni.coordinator.id) and body["is_editable"] is True
    assert body["why_cannot_edit"] is None and body["examrep_session"] == {"number": 1}
    mine = ok(api.call(M + "student_grade", user=uni.student, fields="private_comment|is_editable", **args))
    assert mine == {"private_comment": None, "is_editable": False}
    err(api.call(M + "student_grade", user=uni.students[1], **args), 403, "object_forbidden", "grade_forbidden")
    err(api.call(M + "student_grade", user=uni.outsider, **args), 403, "object_forbidden", "grade_forbidden")
    err(api.call(M + "student_grade", user=uni.other_lecturer, **args), 403, "object_forbidden", "grade_forbidden")
    ok(api.call(M + "student_grade", user=uni.lecturer, **args))  # reads its group's students
    empty = ok(api.call(M + "student_grade", user=uni.coordinator, **dict(args, examrep_session_number=2)))
    assert empty["grade_value"] is None and empty["comment"] is None


def test_student_grades_class_group_user_grade(api, uni):
    body = ok(api.call(M + "student_grades", user=uni.coordinator, examrep_id=uni.general.id,
                       student_id=uni.student.id, fields="grade_value[symbol]|examrep_session[number]"))
    assert body == [{"grade_value": {"symbol": "3"}, "examrep_session": {"number": 1}},
                    {"grade_value": None, "examrep_session": {"number": 2}}]
    err(api.call(M + "student_grades", user=uni.outsider, examrep_id=uni.general.id, student_id=uni.student.id),
        403, "object_forbidden")
    err(api.call(M + "class_group", user=uni.lecturer, examrep_id=uni.unitrep.id,
                 course_unit_id=uni.classes_unit.id, group_number=1), 400, "param_missing")
    body = ok(api.call(M + "class_group", user=uni.lecturer, examrep_id=uni.unitrep.id,
                       course_unit_id=uni.classes_unit.id, group_number=1, fields="class_group|grades[user[id]]"))
    assert body["class_group"]["number"] == 1 and len(body["grades"]) == len(uni.students)
    err(api.call(M + "class_group", user=uni.lecturer, examrep_id=uni.unitrep.id,
                 course_unit_id=uni.lecture_unit.id, group_number=1, fields="grades"), 400, "object_not_found")
    err(api.call(M + "class_group", user=uni.outsider, examrep_id=uni.unitrep.id,
                 course_unit_id=uni.classes_unit.id, group_number=1, fields="grades"), 403, "object_forbidden")
    body = ok(api.call(M + "user_grade", user=uni.student, examrep_id=uni.general.id, examrep_session_number=1))
    assert body["grade_value"]["symbol"] == "3" and body["comment"] == "ok" and body["last_updated"]
    err(api.call(M + "user_grade", user=uni.outsider, examrep_id=uni.general.id, examrep_session_number=1),
        403, "object_forbidden")


def changes(app, grade_id):
    with app.app_context():
        return db.session.scalar(db.select(db.func.count(GradeChange.id)).filter_by(grade_id=grade_id))


def current(app, grade_id):
    with app.app_context():
        g = db.session.get(Grade, grade_id)
        return g.value.symbol if g.value else None, g.date_modified


def test_update_student_grade_and_history(api, app, uni):
    _sym, stamp = current(app, uni.grade.id)
    base = dict(examrep_id=uni.general.id, examrep_session_number=1, student_id=uni.student.id)
    assert ok(api.call(M + "update_student_grade", user=uni.coordinator, value_symbol="4.5",
                       date_modified=clock.fmt_datetime(stamp), **base)) == {}
    sym, new_stamp = current(app, uni.grade.id)
    assert sym == "4,5" and new_stamp > stamp and changes(app, uni.grade.id) == 1
    # a stale date_modified is refused with the current grade, and nothing changes
    body = err(api.call(M + "update_student_grade", user=uni.coordinator, value_symbol="2",
                        date_modified=clock.fmt_datetime(stamp), **base), 400, "object_invalid", "updated_concurrently")
    assert body["grades"][str(uni.student.id)]["value_symbol"] == "4,5"
    assert current(app, uni.grade.id)[0] == "4,5" and changes(app, uni.grade.id) == 1
    # "" = I expect no grade: refused when there is one; a new grade is created otherwise
    err(api.call(M + "update_student_grade", user=uni.coordinator, value_symbol="5", date_modified="", **base),
        400, "object_invalid", "updated_concurrently")
    assert ok(api.call(M + "update_student_grade", user=uni.lecturer, value_symbol="5", date_modified="",
                       comment="well done", examrep_id=uni.unitrep.id, examrep_session_number=1,
                       student_id=uni.students[1].id)) == {}
    err(api.call(M + "update_student_grade", user=uni.coordinator, date_modified="yesterday", value_symbol="3",
                 **base), 400, "param_invalid")


def test_update_errors(api, app, uni):
    base = dict(examrep_id=uni.general.id, examrep_session_number=1, student_id=uni.student.id)
    call = lambda user, **kw: api.call(M + "update_student_grade", user=user, **{**base, **kw})  # noqa: E731
    err(call(uni.outsider, value_symbol="5"), 403, "object_forbidden", "grade_forbidden")
    err(call(uni.lecturer, value_symbol="5"), 403, "object_forbidden", "grade_write_forbidden")
    err(call(uni.other_lecturer, value_symbol="5", examrep_id=uni.unitrep.id), 403, "object_forbidden", "grade_forbidden")
    body = err(call(uni.coordinator, value_symbol="6"), 400, "object_invalid", "invalid_value")
    assert str(uni.student.id) in body["grades"] and "user_messages" in body
    err(call(uni.coordinator, value_symbol="5", student_id=uni.outsider.id), 400, "object_not_found")
    err(call(uni.coordinator, value_symbol="5", examrep_session_number=7), 400, "object_not_found")
    closed = uni.g.report(uni.edition, status="closed")
    err(call(uni.coordinator, value_symbol="5", examrep_id=closed.id), 400, "object_invalid", "invalid_exam_status")
    expired = uni.g.report(uni.edition, deadline_days=-1)
    err(call(uni.coordinator, value_symbol="5", examrep_id=expired.id), 400, "object_invalid", "exam_session_expired")
    acq = uni.g.report(uni.edition, acquisition_required=True)
    err(call(uni.coordinator, value_symbol="5", examrep_id=acq.id), 400, "object_invalid", "missing_acquisition_date")
    ok(call(uni.coordinator, value_symbol="5", examrep_id=acq.id, date_acquisition="2026-01-10"))
    uni.g.grade(uni.unitrep, uni.students[2], "3", resignation=True)
    err(call(uni.coordinator, value_symbol="5", examrep_id=uni.unitrep.id, student_id=uni.students[2].id),
        400, "object_invalid", "grade_not_editable")
    why = ok(api.call(M + "student_grade", user=uni.coordinator, examrep_id=uni.unitrep.id, examrep_session_number=1,
                      student_id=uni.students[2].id, fields="is_editable|why_cannot_edit"))
    assert why == {"is_editable": False, "why_cannot_edit": "resignation"}
    err(api.call(M + "update_student_grade", user=uni.coordinator, scopes=("grades",), value_symbol="5", **base),
        403, "method_forbidden", "scope_missing")
    assert current(app, uni.grade.id)[0] == "3" and changes(app, uni.grade.id) == 0


def test_examiner_rule(api, app, uni, monkeypatch):
    def fake(examiner_id, report_id):
        return {uni.students[3].id} if examiner_id == uni.other_lecturer.id else set()
    try:
        import portal.exams.services as exams_services
        monkeypatch.setattr(exams_services, "examiner_student_ids", fake, raising=False)
    except Exception:  # noqa: BLE001  (exams not built yet)
        monkeypatch.setitem(sys.modules, "portal.exams.services", types.SimpleNamespace(examiner_student_ids=fake))
    base = dict(examrep_id=uni.general.id, examrep_session_number=1)
    ok(api.call(M + "update_student_grade", user=uni.other_lecturer, value_symbol="4", student_id=uni.students[3].id,
                **base))
    err(api.call(M + "update_student_grade", user=uni.other_lecturer, value_symbol="4", student_id=uni.student.id,
                 **base), 403, "object_forbidden", "grade_forbidden")
    acc = ok(api.call(M + "examrep_session_access", user=uni.other_lecturer, type="write", **base))
    assert acc[0]["cause"] == "examiner"


def test_student_best_grade(app, uni):
    from portal.grades.services import student_best_grade
    uni.g.grade(uni.general, uni.student, "4,5", number=2)
    with app.app_context():
        assert student_best_grade(uni.student.id, uni.general.id).symbol == "4,5"
        assert student_best_grade(uni.students[1].id, uni.general.id) is None


def test_deadline_moves_into_past(api, app, uni):
    with app.app_context():
        from portal.grades.models import ExamSession
        s = db.session.scalar(db.select(ExamSession).filter_by(report_id=uni.general.id, number=1))
        s.deadline = clock.now() - timedelta(seconds=1)
        db.session.commit()
    body = ok(api.call(M + "examrep_session", examrep_id=uni.general.id, examrep_session_number=1))
    assert body["is_open"] is False


def test_a_cleared_grade_is_no_grade_and_an_empty_write_creates_none(api, app, uni):
    """Clearing a grade keeps its row and history, but the grades module answers as if there
    were none, and a writer expecting none ("") may write it again; writing nothing where there
    is no grade creates no row."""
    base = dict(examrep_id=uni.general.id, examrep_session_number=1)
    other = uni.students[1].id
    with app.app_context():
        assert db.session.scalar(db.select(Grade).filter_by(student_id=other, session_id=uni.grade.session_id)) is None
    assert ok(api.call(M + "update_student_grade", user=uni.coordinator, value_symbol="", date_modified="",
                       student_id=other, **base)) == {}
    with app.app_context():
        assert db.session.scalar(db.select(Grade).filter_by(student_id=other, session_id=uni.grade.session_id)) is None
    _sym, stamp = current(app, uni.grade.id)
    with app.app_context():
        g = db.session.get(Grade, uni.grade.id)
        g.comment = g.private_comment = g.date_acquisition = None
        db.session.commit()
    _sym, stamp = current(app, uni.grade.id)
    assert ok(api.call(M + "update_student_grade", user=uni.coordinator, value_symbol="",
                       date_modified=clock.fmt_datetime(stamp), student_id=uni.student.id, **base)) == {}
    assert current(app, uni.grade.id)[0] is None and changes(app, uni.grade.id) == 1  # the row and its history stay
    r = api.call("services/grades/grade", user=uni.student, exam_id=uni.general.id, exam_session_number=1)
    assert r.status_code == 400 and r.get_json()["reason"] == "grade_not_found", r.get_json()
    r = api.call("services/grades/exam", user=uni.student, exam_id=uni.general.id)
    assert r.status_code == 200 and r.get_json()["1"] is None, r.get_json()
    assert [g for g in api.call("services/grades/latest", user=uni.student, days=30).get_json()
            if g["exam_id"] == str(uni.general.id) and g["exam_session_number"] == 1] == []
    assert ok(api.call(M + "update_student_grade", user=uni.coordinator, value_symbol="4", date_modified="",
                       student_id=uni.student.id, **base)) == {}
    assert current(app, uni.grade.id)[0] == "4" and changes(app, uni.grade.id) == 2


@pytest.mark.parametrize("typed,stored", [("3,0", "3"), ("4.0", "4"), (" 5,0 ", "5"), ("4,5", "4,5")])
def test_grades_written_with_a_zero_decimal_are_the_whole_grade(api, app, uni, typed, stored):
    _sym, stamp = current(app, uni.grade.id)
    assert ok(api.call(M + "update_student_grade", user=uni.coordinator, value_symbol=typed,
                       date_modified=clock.fmt_datetime(stamp), examrep_id=uni.general.id,
                       examrep_session_number=1, student_id=uni.student.id)) == {}
    assert current(app, uni.grade.id)[0] == stored


def test_a_zero_decimal_does_not_make_a_grade_of_a_pass(app, uni):
    from portal.university.models import GradeType
    with app.app_context():
        scale = db.session.get(GradeType, "PL")
        assert scale.value_for("2,5") is None and scale.value_for(",0") is None and scale.value_for("6,0") is None
