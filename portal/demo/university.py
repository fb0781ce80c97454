"""The demo university: two faculties under one parent, two terms, courses, people, timetable."""
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from werkzeug.security import generate_password_hash

from .. import clock
from ..auth.models import User
from ..extensions import db
from ..langdict import ld
from ..university.models import (Building, ClassGroup, Course, CourseEdition, CourseUnit,
                                 Faculty, Room, Term, TimetableMeeting)
from ..university.reference import ensure_reference_data
from ..university.terms import current_and_previous, order_key, term_bounds, term_id, term_name
from .people import seed_people

FIRST = ["Anna", "Piotr", "Katarzyna", "Tomasz", "Magdalena", "Paweł", "Agnieszka", "Michał",
         "Joanna", "Krzysztof", "Aleksandra", "Jakub", "Zofia", "Marcin", "Natalia", "Kamil",
         "Julia", "Mateusz", "Weronika", "Łukasz", "Maja", "Bartosz", "Ewa", "Szymon", "Ola",
         "Filip", "Hanna", "Wojciech", "Alicja", "Adam"]
LAST = ["Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Kowalczyk", "Kamiński", "Lewandowski",
        "Zieliński", "Szymański", "Woźniak", "Dąbrowski", "Kozłowski", "Jankowski", "Mazur",
        "Kwiatkowski", "Krawczyk", "Piotrowski", "Grabowski", "Nowakowski", "Pawłowski",
        "Michalski", "Adamczyk", "Dudek", "Zając", "Wieczorek", "Jabłoński", "Król", "Majewski"]

# (id, faculty, pl, en, units: class type -> number of groups, ECTS credits)
COURSES = [
    ("INF-ALG", "WMI", "Algorytmy i struktury danych", "Algorithms and Data Structures", {"WYK": 1, "CW": 3}, 6),
    ("INF-BD", "WMI", "Bazy danych", "Databases", {"WYK": 1, "LAB": 3}, 5),
    ("INF-SO", "WMI", "Systemy operacyjne", "Operating Systems", {"WYK": 1, "LAB": 2}, 5),
    ("INF-SK", "WMI", "Sieci komputerowe", "Computer Networks", {"WYK": 1, "LAB": 2}, 4),
    ("INF-PO", "WMI", "Programowanie obiektowe", "Object-Oriented Programming", {"WYK": 1, "LAB": 3}, 6),
    ("MAT-AM1", "WMI", "Analiza matematyczna I", "Mathematical Analysis I", {"WYK": 1, "CW": 3}, 7),
    ("MAT-ALG", "WMI", "Algebra liniowa", "Linear Algebra", {"WYK": 1, "CW": 2}, 5),
    ("MAT-PS", "WMI", "Probabilistyka i statystyka", "Probability and Statistics", {"WYK": 1, "CW": 2}, 5),
    ("FIZ-MECH", "WF", "Mechanika klasyczna", "Classical Mechanics", {"WYK": 1, "CW": 2}, 6),
    ("FIZ-ELM", "WF", "Elektromagnetyzm", "Electromagnetism", {"WYK": 1, "CW": 2}, 6),
    ("FIZ-LAB", "WF", "Pracownia fizyczna", "Physics Laboratory", {"LAB": 3}, 4),
    ("FIZ-KWANT", "WF", "Mechanika kwantowa", "Quantum Mechanics", {"WYK": 1, "SEM": 1}, 5),
]
# Last term's edition of a course that gave other credits than the course does now.
PREVIOUS_ECTS = {"INF-PO": 5}
TEACHING = {
    "WYK": ld("Wykład z prezentacją i dyskusją.", "Lecture with slides and discussion."),
    "CW": ld("Rozwiązywanie zadań przy tablicy.", "Solving problems at the blackboard."),
    "LAB": ld("Zadania praktyczne przy komputerze lub w pracowni.", "Hands-on tasks at a computer or in the lab."),
    "SEM": ld("Referaty uczestników i dyskusja.", "Participants' talks and discussion."),
}
N_LECTURERS = 15
N_STUDENTS = 300


@dataclass
class DemoContext:
    """What the core seed made, for the modules' own seeds to build on."""
    rng: random.Random = field(default_factory=lambda: random.Random(20261001))
    today: object = None
    admin: User = None
    lecturers: list = field(default_factory=list)
    students: list = field(default_factory=list)
    faculties: dict = field(default_factory=dict)
    current_term: Term = None
    previous_term: Term = None
    editions: list = field(default_factory=list)   # current term first
    groups: list = field(default_factory=list)
    rooms: list = field(default_factory=list)

    def user(self, login):
        return next(u for u in [self.admin, *self.lecturers, *self.students] if u.login == login)


def _person(rng, login, password_hash, **kwargs):
    first, last = rng.choice(FIRST), rng.choice(LAST)
    if first.endswith("a") and last.endswith("ski"):
        last = last[:-1] + "a"
    return User(login=login, password_hash=password_hash, first_name=first, last_name=last,
                sex="F" if first.endswith("a") else "M", email=f"{login}@indeks.example.edu.pl", **kwargs)


def seed_university(ctx):
    rng = ctx.rng
    ctx.today = clock.today()
    ensure_reference_data()
    # One hash for every demo account (all use "demo"): hashing 300 times would take long.
    pw = generate_password_hash("demo")

    uni = Faculty(id="UNI", name=ld("Uniwersytet Indeks", "Indeks University"))
    wmi = Faculty(id="WMI", name=ld("Wydział Matematyki i Informatyki", "Faculty of Mathematics and Computer Science"), parent=uni)
    wf = Faculty(id="WF", name=ld("Wydział Fizyki", "Faculty of Physics"), parent=uni)
    db.session.add_all([uni, wmi, wf])
    ctx.faculties = {"UNI": uni, "WMI": wmi, "WF": wf}

    current, previous = current_and_previous(ctx.today)
    terms = []
    for (year, kind), active in ((previous, False), (current, True)):
        start, end, finish = term_bounds(year, kind)
        terms.append(Term(id=term_id(year, kind), name=term_name(year, kind), start_date=start,
                          end_date=end, finish_date=finish, order_key=order_key(year, kind),
                          is_active=active))
    db.session.add_all(terms)
    ctx.previous_term, ctx.current_term = terms

    buildings = [Building(id="A", name=ld("Budynek A", "Building A")),
                 Building(id="B", name=ld("Budynek B (Fizyka)", "Building B (Physics)"))]
    db.session.add_all(buildings)
    for b, numbers in ((buildings[0], ["1.01", "1.02", "1.03", "2.10", "2.11", "Aula"]),
                       (buildings[1], ["0.05", "0.06", "1.20", "Sala Kolumnowa"])):
        for number in numbers:
            ctx.rooms.append(Room(number=number, building=b, capacity=200 if number.startswith(("Aula", "Sala")) else 30))
    db.session.add_all(ctx.rooms)

    ctx.admin = User(login="admin", password_hash=pw, first_name="Ada", last_name="Administratorska",
                     sex="F", email="admin@indeks.example.edu.pl", is_admin=True, is_lecturer=False, faculty_id="UNI")
    db.session.add(ctx.admin)
    for i in range(1, N_LECTURERS + 1):
        fac = "WF" if i > 11 else "WMI"
        lecturer = _person(rng, f"lecturer{i}", pw, is_lecturer=True, faculty_id=fac,
                           titles_before=rng.choice(["dr", "dr inż.", "dr hab.", "prof. dr hab."]))
        ctx.lecturers.append(lecturer)
    # A doctoral student who also teaches: lecturer11 studies too.
    ctx.lecturers[10].is_student = True
    ctx.lecturers[10].student_number = "400011"
    for i in range(1, N_STUDENTS + 1):
        fac = "WF" if i > 240 else "WMI"
        ctx.students.append(_person(rng, f"student{i}", pw, is_student=True, faculty_id=fac,
                                    student_number=str(300000 + i)))
    db.session.add_all(ctx.lecturers + ctx.students)
    db.session.flush()

    wmi_lecturers, wf_lecturers = ctx.lecturers[:11], ctx.lecturers[11:]
    wmi_students, wf_students = ctx.students[:240], ctx.students[240:]
    for term in (ctx.current_term, ctx.previous_term):
        for index, (cid, fac, pl, en, units, ects) in enumerate(COURSES):
            if term is ctx.current_term:
                db.session.add(_course(cid, fac, pl, en, ects))
            elif index % 3 == 2:
                continue  # not every course ran last term
            lecturers = wmi_lecturers if fac == "WMI" else wf_lecturers
            students = wmi_students if fac == "WMI" else wf_students
            coordinator = lecturers[index % len(lecturers)]
            edition = CourseEdition(course_id=cid, term=term, coordinators=[coordinator],
                                    ects_credits=PREVIOUS_ECTS.get(cid, ects) if term is ctx.previous_term else ects)
            db.session.add(edition)
            ctx.editions.append(edition)
            # Each course has its own cohort of students, a window onto the faculty's.
            start = (index * 37) % len(students)
            cohort = (students + students)[start:start + min(90, len(students))]
            if cid in ("INF-ALG", "INF-BD", "MAT-AM1") and term is ctx.current_term:
                cohort = [ctx.students[0], ctx.students[1], *[s for s in cohort if s not in ctx.students[:2]]][:90]
            for classtype, n_groups in units.items():
                unit = CourseUnit(edition=edition, classtype_id=classtype, teaching_methods=TEACHING[classtype])
                db.session.add(unit)
                for number in range(1, n_groups + 1):
                    teacher = coordinator if (classtype in ("WYK", "SEM") or number == 1) else \
                        lecturers[(index + number) % len(lecturers)]
                    members = cohort if classtype in ("WYK", "SEM") else cohort[number - 1::n_groups]
                    group = ClassGroup(unit=unit, number=number, lecturers=[teacher], participants=list(members))
                    db.session.add(group)
                    ctx.groups.append(group)
                    _timetable(ctx, group, term, weekday=(index + number) % 5, hour=8 + 2 * ((index + number) % 5))
    db.session.flush()
    seed_people(ctx)


def _course(cid, fac, pl, en, ects):
    """A course with the syllabus texts the university publishes."""
    return Course(id=cid, fac_id=fac, name=ld(pl, en), lang_id="pl", ects_credits=ects,
                  description=ld(f"Przedmiot „{pl}” wprowadza w podstawowe pojęcia, metody i wyniki dziedziny.",
                                 f"The course “{en}” introduces the basic notions, methods and results of its field."),
                  learning_outcomes=ld("Student zna pojęcia przedmiotu i potrafi je stosować do typowych zadań.",
                                       "The student knows the course's notions and can apply them to typical tasks."),
                  assessment_criteria=ld("Egzamin pisemny (60%) oraz zaliczenie ćwiczeń lub laboratorium (40%).",
                                         "A written exam (60%) and the classes or laboratory credit (40%)."),
                  bibliography=ld("Lista lektur podawana na pierwszym wykładzie.",
                                  "A reading list is given at the first lecture."))


def _timetable(ctx, group, term, weekday, hour):
    """Weekly meetings of a group through the teaching part of the term."""
    first = term.start_date + timedelta(days=(weekday - term.start_date.weekday()) % 7)
    room = ctx.rooms[(group.number + weekday) % len(ctx.rooms)]
    day = first
    while day <= term.end_date - timedelta(days=14):
        start = datetime(day.year, day.month, day.day, hour, 15)
        db.session.add(TimetableMeeting(group=group, start_time=start, end_time=start + timedelta(minutes=90), room=room))
        day += timedelta(days=7)
