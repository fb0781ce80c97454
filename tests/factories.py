"""Factory helpers for tests: each returns committed objects with sensible defaults."""
import functools
import itertools
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from functools import lru_cache
from types import SimpleNamespace

from werkzeug.security import generate_password_hash

from portal import clock
from portal.auth.models import User
from portal.extensions import db
from portal.langdict import ld
from portal.university.models import (Building, ClassGroup, Course, CourseEdition, CourseUnit,
                                      Faculty, Room, Term, TimetableMeeting)

_seq = itertools.count(1)


@lru_cache(maxsize=1)
def demo_hash():
    return generate_password_hash("demo")


def in_app_context(method):
    """Run a factory method in an app context of its own (re-entrant), so that tests never
    hold one open across requests; objects come back detached with their columns loaded."""
    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        with self.context():
            return method(self, *args, **kwargs)
    return wrapper


class FactoryBase:
    """Base for the modules' factories: subclass it and decorate methods with @in_app_context."""

    def __init__(self, app):
        self.app = app
        self._depth = 0

    @contextmanager
    def context(self):
        if self._depth:
            yield db.session
            return
        self._depth += 1
        try:
            with self.app.app_context():
                db.session().expire_on_commit = False
                yield db.session
        finally:
            self._depth -= 1

    def _save(self, obj):
        db.session.add(obj)
        db.session.commit()
        return obj


class Factory(FactoryBase):
    def _save(self, obj):
        db.session.add(obj)
        db.session.commit()
        return obj

    @in_app_context
    def user(self, login=None, student=False, lecturer=False, admin=False, faculty_id=None, **kw):
        n = next(_seq)
        login = login or f"user{n}"
        kw.setdefault("first_name", f"First{n}")
        kw.setdefault("last_name", f"Last{n}")
        kw.setdefault("email", f"{login}@example.edu.pl")
        if student:
            kw.setdefault("student_number", str(500000 + n))
        return self._save(User(login=login, password_hash=demo_hash(), is_student=student,
                               is_lecturer=lecturer, is_admin=admin, faculty_id=faculty_id, **kw))

    @in_app_context
    def faculty(self, id=None, parent=None, name=None):
        id = id or f"F{next(_seq)}"
        return self._save(Faculty(id=id, name=name or ld(f"Wydział {id}", f"Faculty {id}"),
                                  parent=parent))

    @in_app_context
    def term(self, id=None, start=None, end=None, active=True):
        today = clock.today()
        start = start or today - timedelta(days=60)
        end = end or today + timedelta(days=60)
        id = id or f"{start.year}T{next(_seq)}"
        return self._save(Term(id=id, name=ld(f"Semestr {id}", f"Term {id}"), start_date=start,
                               end_date=end, finish_date=end + timedelta(days=14),
                               order_key=next(_seq), is_active=active))

    @in_app_context
    def course(self, id=None, faculty=None, name=None):
        id = id or f"C-{next(_seq)}"
        faculty = faculty or self.faculty()
        return self._save(Course(id=id, fac_id=faculty.id, name=name or ld(f"Przedmiot {id}", f"Course {id}"),
                                 lang_id="pl", ects_credits=5))

    @in_app_context
    def edition(self, course=None, term=None, coordinators=()):
        return self._save(CourseEdition(course=course or self.course(), term=term or self.term(),
                                        coordinators=list(coordinators)))

    @in_app_context
    def unit(self, edition=None, classtype="CW"):
        return self._save(CourseUnit(edition=edition or self.edition(), classtype_id=classtype))

    @in_app_context
    def group(self, unit=None, number=1, lecturers=(), participants=()):
        return self._save(ClassGroup(unit=unit or self.unit(), number=number,
                                     lecturers=list(lecturers), participants=list(participants)))

    @in_app_context
    def room(self, number=None, capacity=30):
        building = db.session.get(Building, "T") or Building(id="T", name=ld("Budynek T", "Building T"))
        return self._save(Room(number=number or f"{next(_seq)}", building=building, capacity=capacity))

    @in_app_context
    def meeting(self, group, start=None, minutes=90, room=None):
        start = start or datetime.combine(clock.today(), datetime.min.time()).replace(hour=10)
        return self._save(TimetableMeeting(group=group, start_time=start,
                                           end_time=start + timedelta(minutes=minutes), room=room))

    @in_app_context
    def university(self, n_students=4):
        """A small university: parent faculty and a child, a term, one course edition with a
        coordinator, a lecture and a classes group with their lecturers and students, an
        outsider student, a staff member and an administrator."""
        parent = self.faculty("PAR")
        fac = self.faculty("FAC", parent=parent)
        term = self.term()
        coordinator = self.user("coord", lecturer=True, faculty_id=fac.id, titles_before="dr")
        lecturer = self.user("lect", lecturer=True, faculty_id=fac.id)
        students = [self.user(f"stud{i}", student=True, faculty_id=fac.id) for i in range(1, n_students + 1)]
        outsider = self.user("outsider", student=True, faculty_id=fac.id)
        other_lecturer = self.user("otherlect", lecturer=True, faculty_id=fac.id)
        admin = self.user("admin", admin=True, faculty_id=parent.id)
        course = self.course("C-1", faculty=fac)
        edition = self.edition(course, term, coordinators=[coordinator])
        lecture_unit = self.unit(edition, "WYK")
        classes_unit = self.unit(edition, "CW")
        lecture = self.group(lecture_unit, 1, lecturers=[coordinator], participants=students)
        classes = self.group(classes_unit, 1, lecturers=[lecturer], participants=students)
        room = self.room("101")
        return SimpleNamespace(parent=parent, faculty=fac, term=term, coordinator=coordinator,
                               lecturer=lecturer, students=students, student=students[0],
                               outsider=outsider, other_lecturer=other_lecturer, admin=admin,
                               course=course, edition=edition, lecture_unit=lecture_unit,
                               classes_unit=classes_unit, lecture=lecture, classes=classes, room=room)


def day(offset=0):
    return clock.today() + timedelta(days=offset)


def at(days=0, hour=10, minute=0):
    d = clock.today() + timedelta(days=days)
    return datetime(d.year, d.month, d.day, hour, minute)


__all__ = ["Factory", "FactoryBase", "in_app_context", "day", "at", "date"]
