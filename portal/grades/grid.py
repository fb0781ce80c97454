"""A session's grading grid: students grouped by class group, their grades, counts, distribution."""
from collections import Counter
from dataclasses import dataclass, field
from typing import Optional

from sqlalchemy.orm import joinedload

from .. import clock
from ..extensions import db
from ..langdict import ld, pick
from . import access, services
from .models import Grade


@dataclass
class Row:
    student: object
    grade: Optional[Grade]
    writable: bool
    group_label: str = ""

    @property
    def symbol(self):
        return self.grade.value.symbol if self.grade is not None and self.grade.value else ""


@dataclass
class Section:
    label: str
    rows: list = field(default_factory=list)


@dataclass
class Grid:
    report: object
    session: object
    sections: list
    closed_reason: Optional[str]   # why nobody can write here now, or None
    can_write_any: bool

    @property
    def rows(self):
        return [r for s in self.sections for r in s.rows]

    @property
    def graded(self):
        return sum(1 for r in self.rows if r.grade is not None and r.grade.value is not None)

    @property
    def total(self):
        return len(self.rows)

    def distribution(self):
        """[(symbol, count)] over the report's whole scale, in scale order."""
        counts = Counter(r.symbol for r in self.rows if r.symbol)
        return [(v.symbol, counts.get(v.symbol, 0)) for v in self.report.grade_type.values]


def group_label(group):
    return f"{pick(group.unit.classtype.name)} {group.number}"


def _grouping_units(report):
    """The unit whose groups partition the students best (the one with most groups)."""
    if report.unit is not None:
        return [report.unit]
    units = sorted(report.edition.units, key=lambda u: (-len(u.groups), u.id))
    return units[:1]


def build(user, report, session):
    """The grid as `user` may see it; raises grade_forbidden when they see nobody."""
    students = access.visible_students(user, report, access.READ)
    if not access.is_grader(user, report):
        services.check_read(None, report, -1)
    writable_ids = access.reachable_ids(user, report, access.WRITE)
    grades = {g.student_id: g for g in db.session.scalars(
        db.select(Grade).filter_by(session_id=session.id).options(joinedload(Grade.value), joinedload(Grade.modified_by)))}
    error = services.session_state_error(session, clock.now())
    sections, placed = [], set()
    visible = {s.id: s for s in students}
    for unit in _grouping_units(report):
        for group in unit.groups:
            section = Section(group_label(group))
            for user_ in group.participants:
                if user_.id in visible and user_.id not in placed:
                    placed.add(user_.id)
                    section.rows.append(_row(user_, grades, writable_ids, error, section.label))
            if section.rows:
                sections.append(section)
    rest = [s for s in students if s.id not in placed]
    if rest:
        other = Section(pick(ld("Pozostali", "Others")))
        other.rows = [_row(s, grades, writable_ids, error, other.label) for s in rest]
        sections.append(other)
    can_write_any = bool(access.accesses(user, report, access.WRITE))
    return Grid(report, session, sections, str(error) if error else None, can_write_any)


def _row(student, grades, writable_ids, error, label):
    grade = grades.get(student.id)
    writable = (error is None and (writable_ids is None or student.id in writable_ids)
                and services.why_cannot_edit(grade) is None)
    return Row(student, grade, writable, label)


def row_for(user, report, session, student):
    """One row, fresh from the database (after a save or a conflict)."""
    grade = services.grade_of(session, student.id, fresh=True)
    error = services.session_state_error(session, clock.now())
    writable = (error is None and access.can(user, report, student.id, access.WRITE)
                and services.why_cannot_edit(grade) is None)
    return Row(student, grade, writable)


def label_of(report, student):
    """The class group a student's row is listed under."""
    for unit in _grouping_units(report):
        for group in unit.groups:
            if group.has_participant(student):
                return group_label(group)
    return pick(ld("Pozostali", "Others"))
