"""The data every benchmark seeds: the demo university, and a rush on top of it.

`seed(app, ...)` loads the demo university into an empty database (so the pages have real
amounts of data: 300 students, 66 groups, grades, consultations, attendance) and adds the
rush: `students` fresh students of one course, exams of one slot of `seats` seats each (one
per rush to run, so every run starts from an empty slot) and consultation dates of `seats`
seats + `reserve` reserve places. Everything is keyed by a fresh run id, so it may be added
to a database that already has an earlier run (PostgreSQL, two hosts).
"""
from dataclasses import dataclass, field
from datetime import timedelta

PASSWORD = "bench"


@dataclass
class Scenario:
    run_id: str
    logins: list                                  # the rush students, in order
    exam_slots: list = field(default_factory=list)   # [(exam id, slot id)], one per exam rush
    meeting_dates: list = field(default_factory=list)  # [date id], one per consultation rush
    substantiation_id: int = 0
    seats: int = 30
    reserve: int = 10
    pages: dict = field(default_factory=dict)     # name -> (login, path)


def cheap_hash():
    """Benchmarks measure their requests, not password hashing."""
    from werkzeug.security import generate_password_hash
    return generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")


def seed_demo_once(app):
    """The demo university, when the database has none yet; sign-ins then use PASSWORD."""
    from portal.auth.models import User
    from portal.demo import database_is_empty, seed_demo
    from portal.extensions import db
    with app.app_context():
        db.create_all()
        if database_is_empty():
            seed_demo()
            db.session.execute(db.update(User).values(password_hash=cheap_hash()))
            db.session.commit()


def _rush_exam(session, course, term, admin, run_id, number, seats):
    from portal import clock
    from portal.exams import manage
    from portal.exams.models import Exam
    from portal.extensions import db
    from portal.langdict import ld
    now = clock.now()
    exam = Exam(session=session, course=course, term=term, code=f"R-{run_id}-{number}",
                name=ld(f"Zapisy {number}", f"Rush {number}"),
                registration_start=now - timedelta(minutes=5), registration_end=now + timedelta(hours=3))
    db.session.add(exam)
    db.session.flush()
    start = now.replace(microsecond=0) + timedelta(days=7 + number)
    group = manage.save_group(exam, None, admin, number=1, start=start, end=start + timedelta(hours=2),
                              capacity=seats, number_of_slots=1)
    return exam.id, group.slots[0].id


def _rush_date(meeting, number, seats, reserve):
    from portal import clock
    from portal.meetings.models import MeetingDate
    now = clock.now().replace(microsecond=0)
    start = now + timedelta(days=2 + number)
    return MeetingDate(meeting=meeting, start_time=start, end_time=start + timedelta(hours=1),
                       registration_start_time=now - timedelta(minutes=5),
                       registration_end_time=start - timedelta(hours=1), seats_limit=seats,
                       reserve_seats_limit=reserve)


def seed_rush(app, run_id, students=1000, seats=30, reserve=10, exam_rushes=1, meeting_rushes=1):
    """The rush students of one course, `exam_rushes` exams and `meeting_rushes` dates."""
    from portal import clock
    from portal.auth.models import User
    from portal.exams.models import ExaminationSession
    from portal.extensions import db
    from portal.langdict import ld
    from portal.meetings.models import Meeting, Substantiation
    from portal.university.models import ClassGroup, Course, CourseEdition, CourseUnit, Faculty, Term
    with app.app_context():
        pw = cheap_hash()
        fac = db.session.get(Faculty, "WMI") or Faculty(id="WMI", name=ld("Wydział", "Faculty"))
        term = db.session.scalar(db.select(Term).order_by(Term.order_key.desc()))
        if term is None:
            today = clock.today()
            term = Term(id="BENCH", name=ld("Bench", "Bench"), start_date=today, end_date=today + timedelta(days=90),
                        finish_date=today + timedelta(days=100), order_key=9999)
        course = Course(id=f"R-{run_id}", name=ld("Zapisy", "Rush"), faculty=fac)
        people = [User(login=f"r{run_id}-{i}", password_hash=pw, first_name="Bench", last_name=f"S{i:05d}",
                       is_student=True, faculty_id=fac.id) for i in range(students)]
        admin = User(login=f"r{run_id}-admin", password_hash=pw, first_name="Bench", last_name="Admin",
                     is_admin=True, is_lecturer=True, faculty_id=fac.id)
        edition = CourseEdition(course=course, term=term)
        unit = CourseUnit(edition=edition, classtype_id="WYK")
        session = ExaminationSession(name=ld("Zapisy", "Rush"), status="active", faculty=fac)
        sub = Substantiation(type="meeting", faculty=fac, name=ld("Zapisy", "Rush"))
        meeting = Meeting(name=ld("Zapisy", "Rush"), faculty=fac, lecturer=admin, open=True, state="active",
                          auto_accept=True)
        dates = [_rush_date(meeting, n, seats, reserve) for n in range(meeting_rushes)]
        db.session.add_all([fac, term, course, edition, unit, admin, *people, session, sub, meeting, *dates,
                            ClassGroup(unit=unit, number=1, participants=people)])
        db.session.flush()
        slots = [_rush_exam(session, course, term, admin, run_id, n, seats) for n in range(exam_rushes)]
        db.session.commit()
        return Scenario(run_id, [p.login for p in people], slots, [d.id for d in dates], sub.id, seats, reserve)


def demo_pages(app):
    """name -> (login, path) of the pages a student or lecturer opens daily, on the demo data."""
    from portal import clock
    from portal.attendance.models import AttendanceList
    from portal.auth.models import User
    from portal.exams.models import Exam
    from portal.extensions import db
    from portal.grades.models import ExamReport
    from portal.meetings.models import Meeting, MeetingDate
    from portal.university.models import CourseEdition, group_lecturers
    with app.app_context():
        exam = db.session.scalar(db.select(Exam).filter_by(code="INF-ALG-E1"))
        date = db.session.scalar(db.select(MeetingDate).join(Meeting).where(
            Meeting.open.is_(True), MeetingDate.start_time > clock.now()).order_by(MeetingDate.start_time))
        lecturer1 = db.session.scalar(db.select(User).filter_by(login="lecturer1"))
        lecturer_group = db.select(group_lecturers.c.group_id).where(group_lecturers.c.user_id == lecturer1.id)
        lst = db.session.scalar(db.select(AttendanceList).where(AttendanceList.group_id.in_(lecturer_group))
                                .order_by(AttendanceList.id))
        report = db.session.scalar(db.select(ExamReport).join(CourseEdition).where(
            CourseEdition.course_id == "INF-ALG", ExamReport.type_id == "E").order_by(ExamReport.id))
        assert exam and date and lst and report, "the demo university lacks a page to measure"
        return {
            # What every page costs before its own content: the sign-in, the layout, the count.
            "home page": ("student1", "/"),
            "exam list": ("student1", "/exams/"),
            "exam page": ("student1", f"/exams/{exam.id}"),
            "my grades": ("student1", "/grades/my"),
            "consultations list": ("student1", "/meetings/"),
            "consultation date": ("student1", f"/meetings/dates/{date.id}"),
            "attendance roster": ("lecturer1", f"/attendance/lists/{lst.id}"),
            "grade grid": ("lecturer1", f"/grades/reports/{report.id}/sessions/1"),
        }
