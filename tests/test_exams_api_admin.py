"""services/exams: the administrative methods, the search and the batch (un)registrations."""
import json

import pytest

from portal.exams.models import ExamRegistration, ExamSlot
from portal.extensions import db

from .factories_exams import ExamFactory
from .test_exams_api import EXAM_DEFAULT, err, ok, register


def test_administrative_session_lists(app, api, uni, ex):
    factory = ExamFactory(app)
    closed = factory.session(uni.faculty.id, status="closed")
    err(api.call("services/exams/active_examination_sessions"), 403, "method_forbidden", reason="trusted_required")
    body = ok(api.call("services/exams/active_examination_sessions", admin=True, fields="id|status"))
    assert body == [{"id": str(ex.session.id), "status": "active"}]
    body = ok(api.call("services/exams/faculty_examination_sessions", admin=True, faculty_id=uni.faculty.id,
                       status="closed|active", fields="id"))
    assert body == [{"id": str(ex.session.id)}, {"id": str(closed.id)}]
    err(api.call("services/exams/faculty_examination_sessions", admin=True, faculty_id=uni.faculty.id,
                 status="open"), 400, "param_invalid", param_name="status")
    err(api.call("services/exams/faculty_examination_sessions", admin=True, faculty_id="NOPE", status="active"),
        400, "object_not_found")
    body = ok(api.call("services/exams/administrator", user=uni.admin, fields="id"))
    assert body == {uni.faculty.id: [{"id": str(ex.session.id)}, {"id": str(closed.id)}]}
    assert ok(api.call("services/exams/administrator", user=uni.student)) == {}
    err(api.call("services/exams/administrator", user=uni.admin, scopes=("studies",)), 403, "method_forbidden",
        reason="scope_missing")
    err(api.call("services/exams/administrator"), 401, "method_forbidden", reason="user_missing")


def test_user_and_student_exams(app, api, uni, ex):
    register(app, ex, uni.students[0], ex.slot1)
    body = ok(api.call("services/exams/user", admin=True, user=uni.lecturer, fields="id"))
    assert body == [{"id": str(ex.session.id)}]
    assert ok(api.call("services/exams/user", admin=True, user=uni.outsider)) == []
    err(api.call("services/exams/user", user=uni.lecturer), 403, "method_forbidden", reason="trusted_required")
    body = ok(api.call("services/exams/student_exams", user=uni.students[2]))
    assert [e["id"] for e in body] == [str(ex.exam.id)] and set(body[0]) == EXAM_DEFAULT
    assert ok(api.call("services/exams/student_exams", user=uni.outsider)) == []
    err(api.call("services/exams/student_exams", user=uni.student, fields="admitted_students"), 400, "field_invalid")
    err(api.call("services/exams/student_exams", user=uni.student, scopes=("grades",)), 403, "method_forbidden",
        reason="scope_missing")


def test_search(api, uni, ex):
    today = ex.exam.registration_start.date()
    body = ok(api.call("services/exams/search_exams_registrations", start_date=today.isoformat(),
                       end_date=today.isoformat(), fields="id"))
    assert body == [{"id": str(ex.exam.id)}]
    body = ok(api.call("services/exams/search_exams_registrations", start_date=today.isoformat(),
                       end_date=today.isoformat(), faculty_id=uni.parent.id, user_related=True, user=uni.outsider))
    assert body == []
    body = ok(api.call("services/exams/search_exams_registrations", start_date=today.isoformat(),
                       end_date=today.isoformat(), user_related=True, user=uni.student, fields="code"))
    assert body == [{"code": ex.exam.code}]
    err(api.call("services/exams/search_exams_registrations", start_date="2026-05-10", end_date="2026-05-01"),
        400, "params_invalid", reason="session_not_found")
    err(api.call("services/exams/search_exams_registrations", start_date="2026-01-31", end_date="2026-03-02"),
        400, "params_invalid", reason="too_long_date_range")
    err(api.call("services/exams/search_exams_registrations", start_date="2026-01-01", end_date="2026-01-02",
                 faculty_id="NOPE"), 400, "object_not_found", param_name="faculty_id")
    err(api.call("services/exams/search_exams_registrations", start_date="x", end_date="2026-01-02"),
        400, "param_invalid", param_name="start_date")


def test_batch_register_and_unregister(app, api, uni, ex):
    s = uni.students
    values = {"1": {"1": [s[0].id, s[1].id, s[2].id, uni.outsider.id]}}
    body = ok(api.call("services/exams/batch_register_exam", admin=True, exam_id=ex.exam.id,
                       values=json.dumps(values)))
    assert body == {"1": {"1": {str(s[0].id): "success", str(s[1].id): "success", str(s[2].id): "e_not_permitted",
                                str(uni.outsider.id): "e_not_permitted"}}}
    values = {"1": {"1": [s[0].id]}, "2": {"1": [s[1].id]}}
    body = ok(api.call("services/exams/batch_register_exam", admin=True, exam_id=ex.exam.id, values=json.dumps(values)))
    assert body == {"1": {"1": {str(s[0].id): "w_already_registered"}}, "2": {"1": {str(s[1].id): "e_already_registered"}}}
    body = ok(api.call("services/exams/batch_unregister_exam", admin=True, exam_id=ex.exam.id,
                       values=json.dumps({"1": {"1": [s[0].id, s[3].id]}})))
    assert body == {str(s[0].id): "success", str(s[3].id): "w_already_not_registered"}
    body = ok(api.call("services/exams/batch_registration", admin=True, exam_id=ex.exam.id,
                       unregister=json.dumps({"1": {"1": [s[1].id]}}), register=json.dumps({"2": {"1": [s[1].id]}})))
    assert body == {"unregister": {str(s[1].id): "success"}, "register": {"2": {"1": {str(s[1].id): "success"}}}}
    with app.app_context():
        rows = {(r.user_id, r.slot_id) for r in db.session.scalars(db.select(ExamRegistration))}
        assert rows == {(s[1].id, ex.g2slot.id)}
        assert db.session.get(ExamSlot, ex.slot1.id).taken == 0 and db.session.get(ExamSlot, ex.g2slot.id).taken == 1


@pytest.mark.parametrize("values", ["not json", "[1, 2]", '{"1": [1]}', '{"1": {"1": "5"}}', '{"1": {"1": [true]}}',
                                    '{"1": {"1": ["x"]}}',
                                    '{"1": {"1": [99999999999999999999]}}', '{"1": {"1": ["\u00b2"]}}'])
def test_batch_malformed_values(api, ex, values):
    err(api.call("services/exams/batch_register_exam", admin=True, exam_id=ex.exam.id, values=values),
        400, "param_invalid", param_name="values")


def test_batch_errors(api, uni, ex):
    err(api.call("services/exams/batch_register_exam", admin=True, exam_id=999, values="{}"),
        400, "object_not_found", param_name="exam_id")
    err(api.call("services/exams/batch_register_exam", admin=True, exam_id=ex.exam.id, values='{"9": {"1": [1]}}'),
        400, "object_not_found", param_name="values")
    err(api.call("services/exams/batch_unregister_exam", user=uni.admin, exam_id=ex.exam.id, values="{}"),
        403, "method_forbidden", reason="trusted_required")
    err(api.call("services/exams/batch_registration", admin=True, exam_id=ex.exam.id, unregister="{}",
                 register="[]"), 400, "param_invalid", param_name="register")
    err(api.call("services/exams/batch_registration", admin=True, exam_id=ex.exam.id, unregister="{}"),
        400, "param_missing", param_name="register")


def test_batch_respects_capacity(app, api, uni, ex):
    ids = [s.id for s in uni.students[:3]]
    body = ok(api.call("services/exams/batch_register_exam", admin=True, exam_id=ex.exam.id,
                       values=json.dumps({"2": {"1": ids}})))
    assert list(body["2"]["1"].values()) == ["success", "success", "e_not_permitted"]
    with app.app_context():
        assert db.session.get(ExamSlot, ex.g2slot.id).taken == 2
