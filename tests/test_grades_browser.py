"""In a real browser: a lecturer grades from the keyboard, meets a conflict; the student sees the grade."""
import pytest

from portal.auth.models import User
from portal.database import set_write_intent
from portal.extensions import db
from portal.grades import services
from portal.grades.models import Grade

from .conftest import browser_login
from .factories_grades import GradesFactory
from .test_grades_live import patient_start  # noqa: F401  (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.live]


def symbol_of(app, report_id, student_id):
    with app.app_context():
        grade = db.session.scalar(db.select(Grade).where(Grade.student_id == student_id,
                                                         Grade.session.has(report_id=report_id)))
        return grade.value.symbol if grade and grade.value else None


def change_meanwhile(app, actor_id, report_id, student_id, value):
    with app.app_context():
        set_write_intent(True)
        try:
            services.update_grade(db.session.get(User, actor_id), report_id, 1, student_id, value=value)
            db.session.commit()
        finally:
            set_write_intent(False)


def test_keyboard_grading_conflict_and_student_view(app, make, live_server, page, patient_start):  # noqa: F811
    uni = make.university(n_students=4)
    report = GradesFactory(app).report(uni.edition, uni.classes_unit)
    srv = live_server(workers=2)
    by_id = {s.id: s for s in uni.students}

    browser_login(page, srv.url, "lect")
    page.goto(f"{srv.url}/grades/reports/{report.id}/sessions/1")
    rows = [int(page.locator("tr.grade-row").nth(i).get_attribute("id").split("-")[1]) for i in range(4)]
    assert page.get_by_test_id("graded-count").inner_text() == "Graded 0 of 4"

    page.get_by_test_id(f"grade-{rows[0]}").click()
    page.keyboard.type("4,5")
    page.keyboard.press("Enter")
    page.locator(f"#row-{rows[0]}[data-state=saved]").wait_for()
    # Enter saved the row and moved the focus to the next student's grade
    page.locator(f"[data-testid='grade-{rows[1]}']:focus").wait_for()
    page.keyboard.type("4.5")
    page.keyboard.press("Enter")
    page.locator(f"#row-{rows[1]}[data-state=saved]").wait_for()
    page.locator(f"[data-testid='grade-{rows[2]}']:focus").wait_for()
    assert page.get_by_test_id(f"grade-{rows[1]}").input_value() == "4,5"

    # the coordinator grades the third student meanwhile; the lecturer's save meets a conflict
    change_meanwhile(app, uni.coordinator.id, report.id, rows[2], "2")
    page.keyboard.type("3")
    page.keyboard.press("Enter")
    conflict = page.locator(f"#row-{rows[2]}[data-state=conflict]")
    conflict.wait_for()
    text = conflict.get_by_test_id("conflict").inner_text()
    assert "now 2" in text and uni.coordinator.last_name in text
    page.locator(f"[data-testid='grade-{rows[2]}']:focus").wait_for()
    assert [symbol_of(app, report.id, sid) for sid in rows[:3]] == ["4,5", "4,5", "2"]

    # the first student signs in and sees the grade
    page.context.clear_cookies()
    browser_login(page, srv.url, by_id[rows[0]].login)
    page.goto(f"{srv.url}/grades/my")
    assert "4,5" in page.get_by_test_id("term-grades").inner_text()
    assert page.get_by_test_id("new").count() >= 1
