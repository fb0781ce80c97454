"""Demo attendance: lists up to today in each mode, partly filled; lecturer1 and student1 see them."""
from portal import clock
from portal.attendance.models import AttendanceEntry, AttendanceList
from portal.auth.models import User
from portal.extensions import db


def test_demo_attendance(app, client):
    with app.app_context():
        from portal.demo import seed_demo
        seed_demo()
        lists = db.session.scalars(db.select(AttendanceList)).all()
        assert lists and max(lst.date for lst in lists) <= clock.now()
        assert {lst.mode for lst in lists} == {"intramural", "remote", "hybrid"}
        modes = set(db.session.scalars(db.select(AttendanceEntry.mode).distinct()))
        assert modes == {"intramural", "remote", "justified_absence", "absence"}
        lecturer1 = db.session.scalar(db.select(User).filter_by(login="lecturer1"))
        mine = [lst for lst in lists if lst.group.is_lecturer(lecturer1)]
        assert mine
        unfilled = [lst for lst in lists if len(lst.entries) < len(lst.group.participants)]
        assert unfilled  # partly filled: the latest meetings still wait
        group_id = mine[0].group_id
        student1 = db.session.scalar(db.select(User).filter_by(login="student1"))
        assert db.session.scalar(db.select(db.func.count(AttendanceEntry.id)).filter_by(student_id=student1.id)) > 0
    client.post("/login", data={"login": "lecturer1", "password": "demo"})
    r = client.get(f"/attendance/groups/{group_id}/summary")
    assert r.status_code == 200 and "%" in r.text
    client.post("/logout")
    client.post("/login", data={"login": "student1", "password": "demo"})
    r = client.get("/attendance/")
    assert r.status_code == 200 and "/attendance/my/" in r.text
