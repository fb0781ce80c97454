"""Demo grades: sessions open, expired and closed, a resit; lecturer1 and student1 see real data."""
from portal import clock
from portal.auth.models import User
from portal.extensions import db
from portal.grades.models import ExamReport, ExamSession, Grade, GradeChange


def test_demo_grades(app, client):
    with app.app_context():
        from portal.demo import seed_demo
        seed_demo()
        now = clock.now()
        sessions = db.session.scalars(db.select(ExamSession)).all()
        assert any(s.is_open(now) for s in sessions)
        assert any(s.status == "active" and s.is_expired(now) for s in sessions)
        assert any(s.status == "closed" for s in sessions)
        assert any(s.number == 2 for s in sessions if s.report.edition.term.is_active)
        student1 = db.session.scalar(db.select(User).filter_by(login="student1"))
        lecturer1 = db.session.scalar(db.select(User).filter_by(login="lecturer1"))
        alg = next(r for r in db.session.scalars(db.select(ExamReport))
                   if r.edition.course_id == "INF-ALG" and r.edition.term.is_active and r.is_general)
        assert alg.edition.is_coordinator(lecturer1) and alg.has_student(student1.id)
        mine = db.session.scalars(db.select(Grade).filter_by(student_id=student1.id)).all()
        assert {g.session.number for g in mine if g.report.id == alg.id} == {1, 2}  # failed, then a resit
        grades = db.session.scalars(db.select(Grade)).all()
        assert any(g.resignation for g in grades) and any(g.comment for g in grades)
        assert {True, False} <= {g.value.passes for g in grades}
        assert db.session.scalar(db.select(db.func.count(GradeChange.id))) >= len(mine)
        report_id = alg.id
    client.post("/lang/en")
    client.post("/login", data={"login": "lecturer1", "password": "demo"})
    page = client.get("/grades/reports").get_data(as_text=True)
    assert f"/grades/reports/{report_id}/sessions/1" in page
    page = client.get(f"/grades/reports/{report_id}/sessions/1").get_data(as_text=True)
    assert student1.last_name in page and "Graded" in page
    client.post("/logout")
    client.post("/login", data={"login": "student1", "password": "demo"})
    page = client.get("/grades/my").get_data(as_text=True)
    assert "Term average" in page and "Algorithms" in page
