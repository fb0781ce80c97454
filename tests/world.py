"""A university of a given size for the query-count tests: every list a student or lecturer
sees (exams, seats, grades, consultations, bookings, attendance) holds `n` rows.

`build(app, n, prefix)` adds it under its own ids, so two sizes can live in one database and
be compared request by request. The people: `student` (attends everything), `lecturer`
(teaches every group, examines every exam, holds every meeting) and `coordinator` (of every
course edition).
"""
from datetime import timedelta
from types import SimpleNamespace

from portal import clock
from portal.attendance.models import AttendanceEntry, AttendanceList
from portal.auth.models import User
from portal.exams.models import Exam, ExamGroup, ExaminationSession, ExamRegistration, ExamSlot
from portal.extensions import db
from portal.grades.models import ExamReport, ExamSession, Grade
from portal.langdict import ld
from portal.meetings.models import Meeting, MeetingDate, Participant, Substantiation
from portal.university.models import (Building, ClassGroup, Course, CourseEdition, CourseUnit, Faculty, GradeValue,
                                      Room, Term)

from .factories import demo_hash


def _person(prefix, name, **roles):
    return User(login=f"{prefix}-{name}", password_hash=demo_hash(), first_name=name.title(), last_name=prefix,
                email=f"{prefix}-{name}@example.edu.pl", **roles)


def build(app, n, prefix):
    """The world of size `n`; returns the ids the tests need (no ORM objects)."""
    with app.app_context():
        now = clock.now().replace(microsecond=0)
        today = now.date()
        fac = Faculty(id=f"{prefix}F", name=ld(f"Wydział {prefix}", f"Faculty {prefix}"))
        term = Term(id=f"{prefix}T", name=ld("Semestr", "Term"), start_date=today - timedelta(days=30),
                    end_date=today + timedelta(days=60), finish_date=today + timedelta(days=70),
                    order_key=len(prefix) * 1000 + n, is_active=True)
        building = db.session.get(Building, "W") or Building(id="W", name=ld("Budynek W", "Building W"))
        room = Room(number=f"{prefix}-1", building=building, capacity=30)
        student = _person(prefix, "student", is_student=True, faculty_id=fac.id, student_number=f"{prefix}0")
        lecturer = _person(prefix, "lecturer", is_lecturer=True, faculty_id=fac.id)
        coordinator = _person(prefix, "coordinator", is_lecturer=True, faculty_id=fac.id)
        others = [_person(prefix, f"s{i}", is_student=True, faculty_id=fac.id, student_number=f"{prefix}{i + 1}")
                  for i in range(n)]
        db.session.add_all([fac, term, room, student, lecturer, coordinator, *others])

        # The main course: a lecture and a class group of everyone; n more courses of the student alone.
        main = CourseEdition(course=Course(id=f"{prefix}-MAIN", name=ld("Główny", "Main"), fac_id=fac.id),
                             term=term, coordinators=[coordinator])
        lecture_unit, classes_unit = CourseUnit(edition=main, classtype_id="WYK"), CourseUnit(edition=main,
                                                                                             classtype_id="CW")
        lecture = ClassGroup(unit=lecture_unit, number=1, lecturers=[lecturer], participants=[student, *others])
        classes = ClassGroup(unit=classes_unit, number=1, lecturers=[lecturer], participants=[student, *others])
        editions, groups = [], []
        for i in range(n):
            edition = CourseEdition(course=Course(id=f"{prefix}-C{i}", name=ld(f"Przedmiot {i}", f"Course {i}"),
                                                  fac_id=fac.id), term=term, coordinators=[coordinator])
            groups.append(ClassGroup(unit=CourseUnit(edition=edition, classtype_id="WYK"), number=1,
                                     lecturers=[lecturer], participants=[student]))
            editions.append(edition)
        db.session.add_all([main, lecture, classes, *editions, *groups])
        db.session.flush()

        # Exams: one per course with the student seated, and the main one with n groups of a slot each.
        sessions = [ExaminationSession(name=ld(f"Sesja {i}", f"Session {i}"), status="active", faculty_id=fac.id)
                    for i in range(n + 1)]
        session = sessions[-1]
        db.session.add_all(sessions)
        window = dict(registration_start=now - timedelta(days=1), registration_end=now + timedelta(days=5))
        exams = [Exam(session=sessions[i], course_id=e.course_id, term_id=term.id, code=f"{prefix}-E{i}",
                      name=ld(f"Egzamin {i}", f"Exam {i}"), **window) for i, e in enumerate(editions)]
        main_exam = Exam(session=session, course_id=main.course_id, term_id=term.id, code=f"{prefix}-EMAIN",
                         name=ld("Egzamin główny", "Main exam"), **window)
        db.session.add_all([*exams, main_exam])
        start = now + timedelta(days=10)

        def group(exam, number, capacity):
            g = ExamGroup(exam=exam, number=number, start=start, end=start + timedelta(hours=2), capacity=capacity,
                          number_of_slots=1, room=room, examiners=[lecturer])
            g.slots = [ExamSlot(number=1, start=g.start, end=g.end, capacity=capacity, taken=0)]
            return g

        seated = [(e, group(e, 1, 5), student) for e in exams]
        seated += [(main_exam, group(main_exam, i + 1, 2), person) for i, person in enumerate(others)]
        db.session.add_all([g for _e, g, _p in seated])
        db.session.flush()
        for exam, g, person in seated:
            g.slots[0].taken = 1
            db.session.add(ExamRegistration(exam_id=exam.id, slot_id=g.slots[0].id, user_id=person.id,
                                            created_at=now))

        # Grades: a report per course with the student's grade; the main class report grades everyone.
        values = {v.symbol: v.id for v in db.session.scalars(db.select(GradeValue).filter_by(grade_type_id="PL"))}

        def report(edition, unit=None):
            r = ExamReport(edition=edition, unit=unit, grade_type_id="PL", type_id="E", description=ld("Protokół",
                                                                                                      "Report"))
            r.sessions = [ExamSession(number=k, status="active", description=ld(f"Termin {k}", f"Session {k}"),
                                      deadline=now + timedelta(days=30)) for k in (1, 2)]
            return r

        reports = [report(e) for e in editions]
        main_report = report(main, classes_unit)
        db.session.add_all([*reports, main_report])
        db.session.flush()
        graded = [(r, student) for r in reports] + [(main_report, p) for p in others]
        db.session.add_all([Grade(session_id=r.sessions[0].id, student_id=p.id, value_id=values["4"],
                                  date_modified=now - timedelta(hours=1), modified_by_id=lecturer.id,
                                  comment="ok") for r, p in graded])

        # Consultations: n meetings with a date booked by the student; the main one has n dates,
        # its first date n participants.
        subs = [Substantiation(type=kind, faculty_id=fac.id, name=ld(f"Powód {i}", f"Reason {i}"))
                for i in range(n) for kind in ("meeting", "rejection")]
        sub = subs[0]
        db.session.add_all(subs)

        def date(meeting, days):
            begin = (now + timedelta(days=days)).replace(hour=10, minute=0, second=0)
            return MeetingDate(meeting=meeting, start_time=begin, end_time=begin + timedelta(hours=1),
                               registration_start_time=now - timedelta(days=1),
                               registration_end_time=begin - timedelta(hours=1), seats_limit=n + 5,
                               reserve_seats_limit=2, room=room)

        meetings = [Meeting(name=ld(f"Konsultacje {i}", f"Office hours {i}"), faculty_id=fac.id, term_id=term.id,
                            lecturer=lecturer, open=True, state="active", groups=[groups[i], lecture])
                    for i in range(n)]
        meeting_dates = [date(m, 2 + i % 5) for i, m in enumerate(meetings)]
        main_meeting = Meeting(name=ld("Dyżur", "Duty"), faculty_id=fac.id, term_id=term.id, lecturer=lecturer,
                               open=True, state="active")
        main_dates = [date(main_meeting, 1 + i % 6) for i in range(n)]
        db.session.add_all([*meetings, main_meeting, *meeting_dates, *main_dates])
        db.session.flush()
        entries = [(d, student) for d in meeting_dates] + [(main_dates[0], p) for p in others]
        db.session.add_all([Participant(meeting_date_id=d.id, user_id=p.id, status="accepted", is_reserve=False,
                                        queue_number=k + 1 if d is main_dates[0] else 1, substantiation_id=sub.id,
                                        created_at=now) for k, (d, p) in enumerate(entries)])

        # Attendance: n lists of the lecture group, the first filled in; a list in each course's group.
        lists = [AttendanceList(group_id=lecture.id, owner_id=lecturer.id, date=now - timedelta(days=i + 1),
                                created_at=now) for i in range(n)]
        lists += [AttendanceList(group_id=g.id, owner_id=lecturer.id, date=now - timedelta(days=1), created_at=now)
                  for g in groups]
        db.session.add_all(lists)
        db.session.flush()
        db.session.add_all([AttendanceEntry(list_id=lists[0].id, student_id=p.id, mode="intramural",
                                            updated_at=now, updated_by_id=lecturer.id) for p in [student, *others]])
        db.session.add_all([AttendanceEntry(list_id=lst.id, student_id=student.id, mode="absence", updated_at=now,
                                            updated_by_id=lecturer.id) for lst in lists[n:]])
        db.session.commit()
        participants = list(db.session.scalars(db.select(Participant.id).where(
            Participant.meeting_date_id == main_dates[0].id)))
        grade = db.session.scalar(db.select(Grade.id).where(Grade.student_id == student.id).order_by(Grade.id))
        return SimpleNamespace(
            n=n, prefix=prefix, faculty=fac.id, term=term.id, student=student.id, lecturer=lecturer.id,
            coordinator=coordinator.id, logins={"student": student.login, "lecturer": lecturer.login,
                                                "coordinator": coordinator.login},
            others=[p.id for p in others], main_edition=main.id, main_course=main.course_id,
            lecture=lecture.id, lecture_unit=lecture_unit.id, classes_unit=classes_unit.id, groups=[g.id for g in groups], main_exam=main_exam.id, exams=[e.id for e in exams],
            session=session.id, sessions=[x.id for x in sessions], main_report=main_report.id, reports=[r.id for r in reports],
            grade=grade, meetings=[m.id for m in meetings], main_meeting=main_meeting.id,
            main_dates=[d.id for d in main_dates], meeting_dates=[d.id for d in meeting_dates],
            participants=participants, lists=[lst.id for lst in lists], first_list=lists[0].id, substantiation=sub.id)
