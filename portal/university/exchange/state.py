"""What the database already holds, by the exchange format's keys.

Loaded once per import with one query per kind, so checking and applying a large file costs
a fixed number of queries, whatever the number of rows.
"""
from ...auth.models import User
from ...extensions import db
from ..models import (Building, ClassGroup, ClassType, Course, CourseEdition, CourseUnit,
                      Faculty, Room, Term)
from ..programmes import Programme, StudentProgramme


def person_key(user):
    """A person's key: the institution's id; people made in Indeks itself have only a login."""
    return user.external_id or user.login


def final_login(record, stored):
    """The login a person has after the import: kept when the file gives no login column."""
    if stored is not None and "login" not in record.model_fields_set:
        return stored.login
    return record.effective_login


class People:
    """Every person by key, login and student number, and the matching rule of an import."""

    def __init__(self, users):
        self.by_key, self.by_login, self.by_number = {}, {}, {}
        for user in users:
            self.by_key[person_key(user)] = user
            self.by_login[user.login] = user
            if user.student_number:
                self.by_number[user.student_number] = user

    def match(self, record):
        """The stored person a record describes, or None for a new one.

        By key first; else a person without an institutional id that has the record's login
        or student number (made locally before the first import, or at an SSO sign-in), as
        signing in would match them to each other anyway.
        """
        found = self.by_key.get(record.id)
        if found is not None:
            return found
        for candidate in (self.by_login.get(record.effective_login),
                          self.by_number.get(record.student_number) if record.student_number else None):
            if candidate is not None and candidate.external_id is None:
                return candidate
        return None


class State:
    def __init__(self):
        s = db.session
        self.faculties = {f.id: f for f in s.scalars(db.select(Faculty))}
        self.terms = {t.id: t for t in s.scalars(db.select(Term))}
        self.class_types = {c.id: c for c in s.scalars(db.select(ClassType))}
        self.buildings = {b.id: b for b in s.scalars(db.select(Building))}
        self.rooms = {}
        for room in s.scalars(db.select(Room)):
            self.rooms.setdefault((room.building_id, room.number), room)
        self.people = People(s.scalars(db.select(User)))
        self.programmes = {p.id: p for p in s.scalars(db.select(Programme))}
        self.student_programmes = {}  # (user id, programme id) -> the first such row
        for sp in s.scalars(db.select(StudentProgramme).order_by(StudentProgramme.id)):
            self.student_programmes.setdefault((sp.user_id, sp.programme_id), sp)
        self.courses = {c.id: c for c in s.scalars(db.select(Course))}
        self.editions = {(e.course_id, e.term_id): e for e in s.scalars(db.select(CourseEdition))}
        edition_keys = {e.id: key for key, e in self.editions.items()}
        self.units, self.ambiguous_units, unit_keys = {}, set(), {}
        for unit in s.scalars(db.select(CourseUnit)):
            key = (*edition_keys[unit.edition_id], unit.classtype_id)
            if key in self.units:
                self.ambiguous_units.add(key)  # only hand-made data has two; an import refuses to guess
            self.units.setdefault(key, unit)
            unit_keys[unit.id] = key
        self.groups = {(*unit_keys[g.unit_id], g.number): g for g in s.scalars(db.select(ClassGroup))}
