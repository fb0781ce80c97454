"""The demo university's people in full: study programmes and who is on them, staff positions,
functions, office hours and phone numbers, middle names and library cards.

Uses a generator of its own, so that the rest of the demo (seeded from ctx.rng) stays the same."""
import random
from datetime import date

from ..extensions import db
from ..langdict import ld
from ..university.models import (EmploymentFunction, EmploymentGroup, EmploymentPosition, Position, Programme,
                                 StudentProgramme)

FULL_TIME, PART_TIME = ld("stacjonarne", "full-time"), ld("niestacjonarne", "part-time")
FIRST = ld("studia pierwszego stopnia", "first-cycle studies")
SECOND = ld("studia drugiego stopnia", "second-cycle studies")
# id: (pl, en, faculty, level, level of studies, mode, duration (pl, en), title (pl, en))
PROGRAMMES = {
    "INF-S1": ("Informatyka", "Computer Science", "WMI", "first_cycle", FIRST, FULL_TIME,
               ("3,5 roku", "3.5 years"), ("inżynier", "engineer")),
    "INF-N1": ("Informatyka (niestacjonarne)", "Computer Science (part-time)", "WMI", "first_cycle", FIRST,
               PART_TIME, ("4 lata", "4 years"), ("inżynier", "engineer")),
    "INF-S2": ("Informatyka", "Computer Science", "WMI", "second_cycle", SECOND, FULL_TIME,
               ("1,5 roku", "1.5 years"), ("magister", "master")),
    "MAT-S1": ("Matematyka", "Mathematics", "WMI", "first_cycle", FIRST, FULL_TIME, ("3 lata", "3 years"),
               ("licencjat", "bachelor")),
    "FIZ-S1": ("Fizyka", "Physics", "WF", "first_cycle", FIRST, FULL_TIME, ("3 lata", "3 years"),
               ("licencjat", "bachelor")),
    "SD-NS": ("Szkoła Doktorska Nauk Ścisłych", "Doctoral School of Exact Sciences", "UNI", "phd_school",
              ld("kształcenie w szkole doktorskiej", "doctoral school"), FULL_TIME, ("4 lata", "4 years"),
              ("doktor", "PhD")),
}
GROUPS = {"NA": (ld("Nauczyciele akademiccy", "Academic teachers"), True),
          "PA": (ld("Pracownicy administracji", "Administrative staff"), False)}
POSITIONS = {"PROF": (ld("profesor", "professor"), "NA"),
             "PROF-U": (ld("profesor uczelni", "university professor"), "NA"),
             "ADIUNKT": (ld("adiunkt", "assistant professor"), "NA"),
             "ASYSTENT": (ld("asystent", "assistant"), "NA"),
             "SPEC": (ld("specjalista", "specialist"), "PA")}
TITLE_POSITION = {"prof. dr hab.": "PROF", "dr hab.": "PROF-U", "dr": "ADIUNKT", "dr inż.": "ADIUNKT"}
FUNCTIONS = {"lecturer1": (ld("Kierownik Zakładu Algorytmiki", "Head of the Algorithms Division"), "WMI"),
             "lecturer2": (ld("Prodziekan ds. studenckich", "Vice-Dean for Student Affairs"), "WMI"),
             "lecturer12": (ld("Dziekan", "Dean"), "WF"),
             "admin": (ld("Kierownik Dziekanatu", "Head of the Dean's Office"), "UNI")}
DAYS = [("pon.", "Mon"), ("wt.", "Tue"), ("śr.", "Wed"), ("czw.", "Thu"), ("pt.", "Fri")]


def seed_people(ctx):
    rng = random.Random(20261002)
    _middle_names(ctx, rng)
    _programmes(ctx)
    _staff(ctx, rng)
    db.session.flush()


def _middle_names(ctx, rng):
    from .university import FIRST
    for person in [*ctx.lecturers, *ctx.students]:
        if rng.random() < 0.3:
            same_sex = [n for n in FIRST if n.endswith("a") == (person.sex == "F") and n != person.first_name]
            person.middle_names = rng.choice(same_sex)


def _admitted(ctx, years_ago):
    start = ctx.current_term.start_date
    year = start.year if start.month >= 10 else start.year - 1  # the academic year under way
    return date(year - years_ago, 10, 1)


def _programmes(ctx):
    programmes = {}
    for pid, (pl, en, fac, level, level_text, mode, duration, title) in PROGRAMMES.items():
        programmes[pid] = Programme(id=pid, name=ld(pl, en), faculty_id=fac, level=level, level_of_studies=level_text,
                                    mode_of_studies=mode, duration=ld(*duration), professional_status=ld(*title))
    db.session.add_all(programmes.values())

    def enrol(person, pid, years_ago, status="active", primary=True):
        db.session.add(StudentProgramme(user=person, programme=programmes[pid], status=status,
                                        admission_date=_admitted(ctx, years_ago), is_primary=primary))

    for i, student in enumerate(ctx.students, start=1):
        student.library_card_id = f"29{student.student_number}"
        if i <= 160:
            enrol(student, "INF-S1", i % 3)
        elif i <= 200:
            enrol(student, "INF-S2", i % 2)
            enrol(student, "INF-S1", i % 2 + 4, status="graduated_diploma", primary=False)
        elif i <= 220:
            enrol(student, "INF-N1", i % 4)
        elif i <= 240:
            enrol(student, "MAT-S1", i % 3)
        else:
            enrol(student, "FIZ-S1", i % 3)
    enrol(ctx.students[1], "MAT-S1", 0, primary=False)  # student2 studies two programmes
    enrol(ctx.students[99], "MAT-S1", 1, status="cancelled", primary=False)
    doctoral = ctx.user("lecturer11")
    enrol(doctoral, "SD-NS", 1)
    doctoral.library_card_id = "2940001"


def _staff(ctx, rng):
    groups = {gid: EmploymentGroup(id=gid, name=name, university_teachers=teachers)
              for gid, (name, teachers) in GROUPS.items()}
    positions = {pid: Position(id=pid, name=name, employment_group=groups[gid])
                 for pid, (name, gid) in POSITIONS.items()}
    db.session.add_all([*groups.values(), *positions.values()])
    for i, person in enumerate([ctx.admin, *ctx.lecturers]):
        doctoral = person.is_student
        position = "SPEC" if person.is_admin else "ASYSTENT" if doctoral else TITLE_POSITION[person.titles_before]
        person.employment_positions.append(EmploymentPosition(position=positions[position],
                                                              faculty_id=person.faculty_id))
        person.phone_numbers = [f"+48 61 829 {1100 + i}"]
        if person.library_card_id is None:
            person.library_card_id = f"P{i:05d}"
        if person.is_lecturer:
            (pl_day, en_day), hour = DAYS[i % 5], 9 + i % 6
            room = ["2.10", "2.11", "1.03", "0.06"][i % 4]
            person.office_hours = ld(f"{pl_day} {hour}:00–{hour + 1}:30, pok. {room}",
                                     f"{en_day} {hour}:00–{hour + 1}:30, room {room}")
            if position in ("PROF", "PROF-U"):
                person.homepage_url = f"https://indeks.example.edu.pl/~{person.login}"
                person.interests = rng.choice([ld("teoria grafów", "graph theory"), ld("kryptografia", "cryptography"),
                                               ld("fizyka materii skondensowanej", "condensed matter physics"),
                                               ld("równania różniczkowe", "differential equations")])
        if person.login in FUNCTIONS:
            function, faculty = FUNCTIONS[person.login]
            person.employment_functions.append(EmploymentFunction(function=function, faculty_id=faculty))
