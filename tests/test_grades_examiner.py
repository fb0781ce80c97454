"""The examiner rule against the real exams module: attendees of one's exam groups, and nobody else."""
from portal import clock
from portal.exams.models import ExamRegistration
from portal.extensions import db

from .factories_exams import ExamFactory
from .factories_grades import GradesFactory
from .test_grades_api import err, ok

M = "services/examrep2/"


def test_examiner_grades_attendees_of_their_exam_groups(api, app, make):
    uni = make.university()
    report = GradesFactory(app).report(uni.edition)
    exams = ExamFactory(app).setup(uni, examrep_id=report.id)
    with app.app_context():
        db.session.add(ExamRegistration(exam_id=exams.exam.id, slot_id=exams.g2slot.id, user_id=uni.outsider.id,
                                        created_at=clock.now()))
        db.session.commit()
    base = dict(examrep_id=report.id, examrep_session_number=1)
    # other_lecturer examines group 2, where the outsider (in no class group) sits
    ok(api.call(M + "update_student_grade", user=uni.other_lecturer, value_symbol="4", student_id=uni.outsider.id,
                date_modified="", **base))
    err(api.call(M + "update_student_grade", user=uni.other_lecturer, value_symbol="4", student_id=uni.student.id,
                 **base), 403, "object_forbidden", "grade_forbidden")
    access = ok(api.call(M + "examrep_session_access", user=uni.other_lecturer, type="write", **base))
    assert [a["cause"] for a in access] == ["examiner"]
    assert len(access[0]["exam_groups"]) == 1
    body = ok(api.call(M + "examrep_session", user=uni.other_lecturer, fields="all_grades[user[id]|grade_value]",
                       **base))
    assert body["all_grades"] == [{"user": {"id": str(uni.outsider.id)}, "grade_value": body["all_grades"][0]["grade_value"]}]
    assert body["all_grades"][0]["grade_value"]["symbol"] == "4"
    assert [r["id"] for r in ok(api.call(M + "grader", user=uni.other_lecturer))] == [str(report.id)]
