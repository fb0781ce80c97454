"""The grading rules students see: the final grade (the latest session with a grade), the term
average (counting reports only), private comments never shown to students; and the optimistic
concurrency guard of the grade UPDATE, exercised on SQLite too. Grades are entered through the
grading service, as graders enter them, so every change has its history row."""
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import event, update

from portal.extensions import db
from portal.grades import queries, services
from portal.grades.models import Grade, GradeChange
from portal.university.models import GradeType

from .factories_grades import GradesFactory
from .requests_helpers import request_scope, write_grade

HX = {"HX-Request": "true"}


@pytest.fixture
def uni(make, app):
    """The university of Factory.university plus a second course of the same term that the
    first student attends, and reports: general (two sessions, counts), the second course's
    (counts), a non-counting one and a pass/fail one."""
    u = make.university(n_students=2)
    g = GradesFactory(app)
    other = make.edition(make.course("C-2", faculty=u.faculty), u.term, coordinators=[u.coordinator])
    make.group(make.unit(other, "WYK"), 1, lecturers=[u.coordinator], participants=[u.student])
    u.general = g.report(u.edition, sessions=2)
    u.second = g.report(other)
    u.extra = g.report(u.edition, counts=False)
    u.passfail = g.report(u.edition, grade_type="ZAL")
    return u


def english(client, auth, login):
    auth.login(login)
    client.post("/lang/en")


def final_symbol(app, report, student):
    with app.app_context():
        from portal.grades.models import ExamReport
        grade = queries.final_grade(db.session.get(ExamReport, report.id), student.id)
        return grade.value.symbol if grade else None


def test_resit_replaces_the_first_sitting(app, client, auth, uni):
    write_grade(app, uni.coordinator, uni.general, uni.student, "5", 1)
    assert final_symbol(app, uni.general, uni.student) == "5"
    write_grade(app, uni.coordinator, uni.general, uni.student, "3", 2)  # the resit is final, even if lower
    assert final_symbol(app, uni.general, uni.student) == "3"
    write_grade(app, uni.coordinator, uni.general, uni.students[1], "2", 1)
    write_grade(app, uni.coordinator, uni.general, uni.students[1], "", 2, comment="absent")  # no grade
    assert final_symbol(app, uni.general, uni.students[1]) == "2"
    english(client, auth, "stud1")
    page = client.get(f"/grades/my/course/{uni.edition.id}").get_data(as_text=True)
    assert re.search(r"Final grade: <strong[^>]*>3</strong>", page), page


def test_term_average_leaves_out_non_counting_and_pass_fail_reports(app, client, auth, uni):
    write_grade(app, uni.coordinator, uni.general, uni.student, "2", 1)
    write_grade(app, uni.coordinator, uni.general, uni.student, "4", 2)   # final 4
    write_grade(app, uni.coordinator, uni.second, uni.student, "5")       # final 5
    write_grade(app, uni.coordinator, uni.extra, uni.student, "2")        # does not count
    write_grade(app, uni.coordinator, uni.passfail, uni.student, "ZAL")   # pass/fail: no number
    with app.app_context():
        average, counted = queries.term_average(uni.student.id, uni.term.id)
    assert average == Decimal("4.50")
    assert sorted(report.id for report, _grade in counted) == sorted([uni.general.id, uni.second.id])
    english(client, auth, "stud1")
    page = client.get("/grades/my").get_data(as_text=True)
    assert "Term average: 4.50" in page and "Counted: 2." in page


def test_students_never_see_private_comments(app, client, auth, uni):
    grade_id = write_grade(app, uni.coordinator, uni.general, uni.student, "3", comment="See me",
                           private_comment="GRADER-ONLY-1")
    write_grade(app, uni.coordinator, uni.general, uni.student, "4", private_comment="GRADER-ONLY-2")
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(GradeChange.id)).filter_by(grade_id=grade_id)) == 2
    english(client, auth, "coord")  # graders do see them: the data is there
    grid_history = client.get(f"/grades/reports/{uni.general.id}/sessions/1/students/{uni.student.id}/history")
    assert "GRADER-ONLY-1" in grid_history.get_data(as_text=True)
    auth.logout()
    english(client, auth, "stud1")
    for headers in ({}, HX):
        r = client.get(f"/grades/my/grades/{grade_id}/history", headers=headers)
        page = r.get_data(as_text=True)
        assert r.status_code == 200 and 'data-testid="history"' in page
        assert "See me" in page and "<strong>3</strong>" in page and "<strong>4</strong>" in page
        assert "GRADER-ONLY" not in page and "Private comment" not in page
    for url in ("/grades/my", "/grades/my/latest", f"/grades/my/course/{uni.edition.id}"):
        page = client.get(url).get_data(as_text=True)
        assert "See me" in page and "GRADER-ONLY" not in page, url


@pytest.mark.parametrize("expected", ["seen", "unset"])
def test_update_guard_refuses_a_change_made_between_read_and_write(app, uni, expected):
    """Another grader's change lands after this writer read the grade and before its UPDATE
    (on SQLite the write lock makes that impossible between requests, so the change is made on
    the writer's own connection): the UPDATE's date_modified guard refuses to overwrite it."""
    grade_id = write_grade(app, uni.coordinator, uni.general, uni.student, "3")
    with app.app_context():
        grade = db.session.get(Grade, grade_id)
        seen, other_value = grade.date_modified, db.session.get(GradeType, "PL").value_for("3,5").id
    fired = []

    def concurrent_change(conn, cursor, statement, parameters, context, executemany):
        if not fired and statement.lstrip().upper().startswith("UPDATE GRADE_GRADES"):
            fired.append(statement)
            conn.execute(update(Grade).where(Grade.id == grade_id).values(
                value_id=other_value, date_modified=seen + timedelta(seconds=5)))

    with request_scope(app):
        event.listen(db.engine, "before_cursor_execute", concurrent_change)
        try:
            with pytest.raises(services.Conflict) as conflict:
                services.update_grade(db.session.get(type(uni.coordinator), uni.coordinator.id), uni.general.id,
                                      1, uni.student.id, value="5",
                                      **({"expected": seen} if expected == "seen" else {}))
        finally:
            event.remove(db.engine, "before_cursor_execute", concurrent_change)
        db.session.rollback()
    assert fired, "the grade UPDATE was never sent"
    assert conflict.value.extra["grades"][str(uni.student.id)]["value_symbol"] == "3,5"  # what is there now
    with app.app_context():
        assert db.session.get(Grade, grade_id).value.symbol == "3"  # nothing of this writer's
        assert db.session.scalar(db.select(db.func.count(GradeChange.id))) == 1
