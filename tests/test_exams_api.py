"""services/exams: every method, its default fields, nested selectors and errors."""

from portal.exams.models import ExamCondition, ExamRegistration, ExamSlot
from portal.extensions import db
from portal.university.models import GradeType

from .factories_exams import ExamFactory

EXAM_DEFAULT = {"id", "examination_session_id", "term", "course", "registration_start", "registration_end",
                "examiners_visible", "groups", "code", "has_priorities", "preferences_limit"}


def register(app, ex, student, slot):
    with app.app_context():
        db.session.add(ExamRegistration(exam_id=ex.exam.id, slot_id=slot.id, user_id=student.id,
                                        created_at=ex.exam.registration_start))
        db.session.get(ExamSlot, slot.id).taken += 1
        db.session.commit()


def ok(r):
    assert r.status_code == 200, r.get_json()
    return r.get_json()


def err(r, status, error, **keys):
    body = r.get_json()
    assert r.status_code == status, body
    assert body["error"] == error, body
    for k, v in keys.items():
        assert body[k] == v, body
    return body


def test_exam_default_fields_and_nested(api, uni, ex):
    body = ok(api.call("services/exams/exam", id=ex.exam.id))
    assert set(body) == EXAM_DEFAULT
    assert body["id"] == str(ex.exam.id) and body["examination_session_id"] == str(ex.session.id)
    assert body["course"] == {"id": uni.course.id, "name": {"pl": "Przedmiot C-1", "en": "Course C-1"}}
    assert body["term"]["id"] == uni.term.id
    assert [g["number"] for g in body["groups"]] == [1, 2]
    g1 = body["groups"][0]
    assert g1["capacity"] == 4 and g1["number_of_slots"] == 2
    assert [s["capacity"] for s in g1["slots"]] == [2, 2]
    assert g1["examiners"] == [{"id": str(uni.lecturer.id), "first_name": uni.lecturer.first_name,
                                "last_name": uni.lecturer.last_name}]
    assert g1["slots"][0]["attendees"] is None  # anonymous: the default selector hides them
    body = ok(api.call("services/exams/exam", id=ex.exam.id, fields="name|micro_round_length|students_count|"
                       "register_until|unregister_until|exchange_until|description|"
                       "groups[number|room[number]|is_examiner|slots[number|start|end|attendees_count]]"))
    assert body["students_count"] == len(uni.students) and body["micro_round_length"] is None
    assert body["groups"][0]["room"] == {"number": "101"}
    assert body["groups"][0]["slots"][0] == {"number": 1, "start": ex.slot1.start.strftime("%Y-%m-%d %H:%M:%S"),
                                             "end": ex.slot1.end.strftime("%Y-%m-%d %H:%M:%S"),
                                             "attendees_count": 0}


def test_exam_errors(api, ex):
    err(api.call("services/exams/exam", id="999"), 400, "object_not_found", param_name="id")
    err(api.call("services/exams/exam"), 400, "param_missing", param_name="id")
    err(api.call("services/exams/exam", id=ex.exam.id, fields="nope"), 400, "field_not_found")
    err(api.call("services/exams/exam", id=ex.exam.id, fields="code[x]"), 400, "field_invalid")
    err(api.call("services/exams/exam", id=ex.exam.id, fields="course[is_currently_conducted|x]"), 400,
        "field_not_found")


def test_exam_secondary_fields(app, api, uni, ex, monkeypatch):
    with app.app_context():
        db.session.add(ExamCondition(exam_id=ex.exam.id, examrep_id=77,
                                     grade_value=db.session.get(GradeType, "PL").value_for("4")))
        db.session.commit()
    passed = {uni.students[0].id}

    def best(user_id, examrep_id):
        return db.session.get(GradeType, "PL").value_for("4,5" if user_id in passed else "3")
    monkeypatch.setattr("portal.grades.services.student_best_grade", best, raising=False)
    r = api.call("services/exams/exam", id=ex.exam.id, fields="admitted_students")
    err(r, 403, "field_forbidden", field_name="admitted_students")
    body = ok(api.call("services/exams/exam", admin=True, id=ex.exam.id,
                       fields="admitted_students|unadmitted_students|admission_conditions[grade_value]"))
    assert body["admitted_students"] == [str(uni.students[0].id)]
    assert body["unadmitted_students"] == {str(s.id): ["77"] for s in uni.students[1:]}
    assert body["admission_conditions"]["77"]["grade_value"]["symbol"] == "4"
    body = ok(api.call("services/exams/exam", user=uni.coordinator, admin=True, id=ex.exam.id,
                       fields="unadmitted_students"))
    assert len(body["unadmitted_students"]) == len(uni.students) - 1
    # "Consumer key with administrative access is required", even for the coordinator
    err(api.call("services/exams/exam", user=uni.coordinator, id=ex.exam.id, fields="unadmitted_students"),
        403, "field_forbidden", reason="trusted_required")
    err(api.call("services/exams/exam", user=uni.student, admin=True, id=ex.exam.id, fields="admitted_students"),
        403, "field_forbidden", reason="examiner_only")
    err(api.call("services/exams/student_exams", user=uni.student, fields="unadmitted_students"), 400, "field_invalid")


def test_examrep_references(app, api, uni, ex):
    """The links to exam reports resolve through services/examrep/* (portal.grades)."""
    from portal.api.registry import METHODS, RESOURCES
    # the legacy services/examrep methods answer these links: they must exist, never be skipped
    assert {"services/examrep/exam_session", "services/examrep/exam"} <= set(RESOURCES)
    assert {"services/examrep/exam_session", "services/examrep/exam"} <= set(METHODS)
    from portal.grades.models import ExamReport, ExamSession
    with app.app_context():
        report = ExamReport(edition_id=uni.edition.id, type_id="E", grade_type_id="PL", description={"pl": "E", "en": "E"})
        report.sessions.append(ExamSession(number=1, description={"pl": "1", "en": "1"}))
        db.session.add(report)
        db.session.flush()
        exam = db.session.get(type(ex.exam), ex.exam.id)
        exam.examrep_id, exam.examrep_session_number = report.id, 1
        db.session.add(ExamCondition(exam_id=exam.id, examrep_id=report.id))
        db.session.commit()
        report_id = report.id
    body = ok(api.call("services/exams/exam", id=ex.exam.id, fields="examrep_session|admission_conditions"))
    assert (body["examrep_session"]["examrep_id"], body["examrep_session"]["number"]) == (str(report_id), 1)
    assert body["admission_conditions"][str(report_id)]["examrep"]["id"] == str(report_id)
    body = ok(api.call("services/exams/condition", exam_id=ex.exam.id, examrep_id=report_id))
    assert set(body) == {"examrep", "grade_value"} and body["grade_value"] is None


def test_exams_dict(api, ex):
    body = ok(api.call("services/exams/exams", ids=f"{ex.exam.id}|555", fields="id|code"))
    assert body == {str(ex.exam.id): {"id": str(ex.exam.id), "code": ex.exam.code}, "555": None}


def test_group_and_attendees_permissions(app, api, uni, ex):
    register(app, ex, uni.students[0], ex.slot1)
    params = dict(exam_id=ex.exam.id, group_number=1)
    body = ok(api.call("services/exams/group", **params))
    assert set(body) == {"exam_id", "number", "exam_start", "exam_end", "capacity", "number_of_slots", "slots",
                         "examiners"}
    assert body["slots"][0]["attendees_count"] == 1 and body["slots"][0]["attendees"] is None
    body = ok(api.call("services/exams/group", user=uni.lecturer, admin=True, **params,
                       fields="slots[attendees]|is_examiner|registration_start|register_until|unregister_until"))
    assert body["slots"][0]["attendees"] == [str(uni.students[0].id)] and body["is_examiner"] is True
    err(api.call("services/exams/group", user=uni.lecturer, **params, fields="slots[attendees]"),
        403, "field_forbidden", reason="trusted_required")  # attendees need an administrative consumer
    err(api.call("services/exams/group", user=uni.student, admin=True, **params, fields="slots[attendees]"),
        403, "object_forbidden", reason="examiner_only")
    err(api.call("services/exams/group", user=uni.other_lecturer, admin=True, **params, fields="slots[attendees]"),
        403, "object_forbidden", reason="coordinator_only")
    err(api.call("services/exams/group", exam_id=ex.exam.id, group_number=9), 400, "object_not_found",
        param_name="group_number")
    err(api.call("services/exams/group", exam_id="x1", group_number=1), 400, "object_not_found", param_name="exam_id")


def test_exam_group_attendees(app, api, uni, ex):
    register(app, ex, uni.students[1], ex.slot2)
    params = dict(exam_id=ex.exam.id, group_number=1)
    body = ok(api.call("services/exams/exam_group", **params))
    assert set(body) == {"exam_id", "number", "exam_start", "exam_end"} and body["number"] == 1
    body = ok(api.call("services/exams/exam_group", user=uni.coordinator, admin=True, **params,
                       fields="attendees[id|last_name]"))
    assert body["attendees"] == [{"id": str(uni.students[1].id), "last_name": uni.students[1].last_name}]
    body = ok(api.call("services/exams/exam_group", admin=True, **params, fields="attendees"))
    assert [a["id"] for a in body["attendees"]] == [str(uni.students[1].id)]
    err(api.call("services/exams/exam_group", user=uni.students[1], admin=True, **params, fields="attendees"),
        403, "object_forbidden", reason="examiner_only")
    err(api.call("services/exams/exam_group", **params, fields="attendees"), 403, "field_forbidden",
        reason="trusted_required")
    err(api.call("services/exams/exam_group", user=uni.other_lecturer, admin=True, **params, fields="attendees"),
        403, "object_forbidden", reason="coordinator_only")
    err(api.call("services/exams/exam_group", exam_id=ex.exam.id, group_number=3), 400, "object_not_found")


def test_slot(app, api, uni, ex):
    register(app, ex, uni.students[0], ex.slot1)
    params = dict(exam_id=ex.exam.id, group_number=1, slot_number=1)
    body = ok(api.call("services/exams/slot", user=uni.lecturer, admin=True, **params))
    assert body == {"number": 1, "capacity": 2, "attendees_count": 1, "attendees": [str(uni.students[0].id)]}
    assert ok(api.call("services/exams/slot", user=uni.lecturer, **params))["attendees"] is None
    assert ok(api.call("services/exams/slot", **params))["attendees"] is None
    err(api.call("services/exams/slot", user=uni.student, admin=True, **params, fields="number|attendees"),
        403, "object_forbidden", reason="examiner_only")
    for name, bad in (("exam_id", dict(exam_id=999)), ("group_number", dict(group_number=5)),
                      ("slot_number", dict(slot_number=7))):
        err(api.call("services/exams/slot", **{**params, **bad}), 400, "object_not_found", param_name=name)


def test_condition(app, api, ex):
    with app.app_context():
        db.session.add(ExamCondition(exam_id=ex.exam.id, examrep_id=5, grade_value=None))
        db.session.commit()
    body = ok(api.call("services/exams/condition", exam_id=ex.exam.id, examrep_id=5, fields="grade_value"))
    assert body == {"grade_value": None}
    err(api.call("services/exams/condition", exam_id=ex.exam.id, examrep_id=6, fields="grade_value"),
        400, "object_not_found", param_name="examrep_id")
    err(api.call("services/exams/condition", exam_id=999, examrep_id=5, fields="grade_value"),
        400, "object_not_found", param_name="exam_id")


def test_sessions(app, api, uni, ex):
    factory = ExamFactory(app)
    hidden = factory.session(uni.faculty.id, status="in_preparation")
    body = ok(api.call("services/exams/examination_session", id=ex.session.id))
    assert set(body) == {"id", "status", "exams", "faculty"}
    assert body["status"] == "active" and body["faculty"]["id"] == uni.faculty.id
    assert set(body["exams"][0]) == EXAM_DEFAULT
    body = ok(api.call("services/exams/examination_session", id=ex.session.id,
                       fields="name|description|exams[id|code]"))
    assert body["exams"] == [{"id": str(ex.exam.id), "code": ex.exam.code}] and body["name"]["en"] == "Winter session"
    err(api.call("services/exams/examination_session", id=ex.session.id, fields="exams[admitted_students]"),
        400, "field_invalid")
    err(api.call("services/exams/examination_session", id=hidden.id), 400, "object_not_found", param_name="id")
    assert ok(api.call("services/exams/examination_session", admin=True, id=hidden.id))["status"] == "in_preparation"
    body = ok(api.call("services/exams/examination_sessions", ids=f"{ex.session.id}|{hidden.id}|77", fields="id"))
    assert body == {str(ex.session.id): {"id": str(ex.session.id)}, str(hidden.id): None, "77": None}


def test_examiners_hidden(app, api, uni, ex):
    with app.app_context():
        db.session.get(type(ex.exam), ex.exam.id).examiners_visible = False
        db.session.commit()
    params = dict(exam_id=ex.exam.id, group_number=1, fields="examiners[id]")
    assert ok(api.call("services/exams/group", user=uni.student, **params))["examiners"] is None
    assert ok(api.call("services/exams/group", user=uni.coordinator, **params))["examiners"] == [
        {"id": str(uni.lecturer.id)}]
