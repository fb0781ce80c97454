"""Read-only questions about reports and grades, shared by the API and the portal."""
from datetime import timedelta
from decimal import Decimal

from sqlalchemy.orm import joinedload, selectinload

from .. import clock
from ..extensions import db
from ..university.models import (ClassGroup, CourseEdition, CourseUnit, Term, edition_coordinators,
                                  group_lecturers, group_participants)
from . import access
from .models import ExamReport, ExamSession, Grade


def reports_of_editions(edition_ids, options=()):
    """Reports of these editions: by edition, the general reports first, then by unit."""
    if not edition_ids:
        return []
    return list(db.session.scalars(db.select(ExamReport).where(ExamReport.edition_id.in_(edition_ids))
                                   .order_by(ExamReport.edition_id, ExamReport.unit_id.is_not(None),
                                             ExamReport.unit_id, ExamReport.id).options(*options)))


def graded_report():
    """Loader options for lists of reports with who may grade them: what shown_report loads,
    and the coordinators, groups, lecturers and participants the access rules read."""
    edition = joinedload(ExamReport.edition)
    unit = joinedload(ExamReport.unit)
    options = [edition.selectinload(CourseEdition.coordinators), joinedload(ExamReport.grade_type)]
    for groups in (edition.selectinload(CourseEdition.units).selectinload(CourseUnit.groups),
                   unit.selectinload(CourseUnit.groups)):
        options += [groups.selectinload(ClassGroup.lecturers), groups.selectinload(ClassGroup.participants)]
    return (*shown_report(), *options)


def shown_report():
    """Loader options for what report lists show: course, term, class type, sessions."""
    edition = joinedload(ExamReport.edition)
    return (edition.joinedload(CourseEdition.course), edition.joinedload(CourseEdition.term),
            joinedload(ExamReport.unit).joinedload(CourseUnit.classtype), selectinload(ExamReport.sessions))


def report_for_grid(report_id):
    """The report with everything a session's grid reads (course, coordinators, sessions,
    scale, its groups with their participants and lecturers) in a fixed number of queries;
    None when there is no such report."""
    from ..university.models import GradeType
    report = db.session.get(ExamReport, report_id)
    if report is None:
        return None
    edition = joinedload(ExamReport.edition)
    units = joinedload(ExamReport.unit) if report.unit_id is not None else edition.selectinload(CourseEdition.units)
    groups = units.selectinload(CourseUnit.groups)
    return db.session.scalars(
        db.select(ExamReport).where(ExamReport.id == report.id)
        .options(edition.joinedload(CourseEdition.course), edition.selectinload(CourseEdition.coordinators),
                 units.joinedload(CourseUnit.classtype), groups.selectinload(ClassGroup.participants),
                 groups.selectinload(ClassGroup.lecturers), selectinload(ExamReport.sessions),
                 joinedload(ExamReport.grade_type).selectinload(GradeType.values))).one()


class GradeBook:
    """A student's reports and every grade in them, read in a fixed number of queries however
    many courses, reports and sessions there are (the student's pages and grades API)."""

    def __init__(self, user_id):
        self.user_id = user_id
        attended = db.session.execute(
            db.select(CourseUnit.id, CourseUnit.edition_id).join(ClassGroup, ClassGroup.unit_id == CourseUnit.id)
            .join(group_participants, group_participants.c.group_id == ClassGroup.id)
            .where(group_participants.c.user_id == user_id)).all()
        self._units = {unit for unit, _edition in attended}
        self._editions = {edition for _unit, edition in attended}
        graded = set(db.session.scalars(db.select(ExamReport.edition_id).join(ExamSession).join(Grade)
                                        .where(Grade.student_id == user_id, Grade.given)))
        self.edition_ids = self._editions | graded
        candidates = reports_of_editions(self.edition_ids, shown_report())
        self._grades = {}
        if candidates:
            for grade in db.session.scalars(
                    db.select(Grade).join(ExamSession).where(
                        Grade.student_id == user_id, Grade.given,
                        ExamSession.report_id.in_([r.id for r in candidates]))
                    .options(joinedload(Grade.value), joinedload(Grade.session))):
                self._grades[grade.session.report_id, grade.session.number] = grade
        graded_reports = {report_id for report_id, _number in self._grades}
        self.reports = [r for r in candidates if self.has_student(r) or r.id in graded_reports]

    def has_student(self, report):
        """ExamReport.has_student without loading the report's groups and their participants."""
        return report.unit_id in self._units if report.unit_id is not None else report.edition_id in self._editions

    def of(self, term_id=None, course_id=None, edition_id=None):
        return [r for r in self.reports if (term_id is None or r.edition.term_id == term_id)
                and (course_id is None or r.edition.course_id == course_id)
                and (edition_id is None or r.edition_id == edition_id)]

    def by_session(self, report):
        """{session number: Grade or None} for every session of the report."""
        return {s.number: self._grades.get((report.id, s.number)) for s in report.sessions}

    def final(self, report):
        """The grade of the latest session that has a value (a resit overrides the first sitting)."""
        latest = None
        for number, grade in sorted(self.by_session(report).items()):
            if grade is not None and grade.value is not None:
                latest = grade
        return latest

    def average(self, term_id):
        """Mean of the final grades of reports that count into the average and have a numeric value."""
        counted = []
        for report in self.of(term_id=term_id):
            grade = self.final(report) if report.counts_into_average else None
            if grade is not None and grade.value.decimal_value is not None:
                counted.append((report, grade))
        if not counted:
            return None, counted
        total = sum((Decimal(g.value.decimal_value) for _r, g in counted), Decimal(0))
        return (total / len(counted)).quantize(Decimal("0.01")), counted

    def terms(self):
        """The terms of the editions the student attends or is graded in, newest first."""
        if not self.edition_ids:
            return []
        term_ids = db.select(CourseEdition.term_id).where(CourseEdition.id.in_(self.edition_ids))
        return list(db.session.scalars(db.select(Term).where(Term.id.in_(term_ids)).order_by(Term.order_key.desc())))


def staff_edition_ids(user):
    """Editions the person coordinates or teaches a group of."""
    coordinated = db.select(edition_coordinators.c.edition_id).where(edition_coordinators.c.user_id == user.id)
    taught = (db.select(CourseUnit.edition_id).join(ClassGroup, ClassGroup.unit_id == CourseUnit.id)
              .join(group_lecturers, group_lecturers.c.group_id == ClassGroup.id)
              .where(group_lecturers.c.user_id == user.id))
    return set(db.session.scalars(coordinated)) | set(db.session.scalars(taught))


def student_edition_ids(user_id):
    attended = (db.select(CourseUnit.edition_id).join(ClassGroup, ClassGroup.unit_id == CourseUnit.id)
                .join(group_participants, group_participants.c.group_id == ClassGroup.id)
                .where(group_participants.c.user_id == user_id))
    graded = (db.select(ExamReport.edition_id).join(ExamSession).join(Grade)
              .where(Grade.student_id == user_id))
    return set(db.session.scalars(attended)) | set(db.session.scalars(graded))


def _active(report):
    return report.edition.term.is_active


def grader_reports(user, only_writable=False, active_terms_only=True):
    """Reports whose grades `user` may read (what services/examrep2/grader answers)."""
    if user is None:
        return []
    found = []
    now = clock.now()
    candidates = reports_of_editions(staff_edition_ids(user), graded_report())
    known = {r.id for r in candidates}
    extra = access.examiner_report_ids(user.id) - known
    if extra:
        candidates += list(db.session.scalars(db.select(ExamReport).where(ExamReport.id.in_(extra))
                                              .order_by(ExamReport.id).options(*graded_report())))
    access.preload_examiner(user.id, [r.id for r in candidates])
    for report in candidates:
        if active_terms_only and not _active(report):
            continue
        if not access.accesses(user, report, access.READ):
            continue
        if only_writable and not (access.accesses(user, report, access.WRITE)
                                  and any(s.is_open(now) for s in report.sessions)):
            continue
        found.append(report)
    return found


def examinee_reports(user, student):
    """Reports in which `user` may change the grades of `student`."""
    reports = reports_of_editions(student_edition_ids(student.id), graded_report())
    access.preload_examiner(user.id, [r.id for r in reports])
    return [r for r in reports if access.can(user, r, student.id, access.WRITE)]


def grades_by_session(report, user_id):
    """{session number: Grade or None} for every session of the report."""
    rows = {g.session.number: g for g in db.session.scalars(
        db.select(Grade).join(ExamSession).where(ExamSession.report_id == report.id,
                                                 Grade.student_id == user_id, Grade.given))}
    return {s.number: rows.get(s.number) for s in report.sessions}


def student_editions(user_id, term_ids=None, course_ids=None):
    """{term_id: {course_id: edition}} of the editions a student takes."""
    ids = student_edition_ids(user_id)
    out = {}
    if not ids:
        return out
    for edition in db.session.scalars(db.select(CourseEdition).where(CourseEdition.id.in_(ids))
                                      .order_by(CourseEdition.term_id, CourseEdition.course_id)):
        if term_ids is not None and edition.term_id not in term_ids:
            continue
        if course_ids and edition.course_id not in course_ids:
            continue
        out.setdefault(edition.term_id, {})[edition.course_id] = edition
    return out


def latest_grades(user_id, days=7):
    """The student's grades changed in the last `days`, newest first, with what lists show."""
    since = clock.now() - timedelta(days=days)
    report = joinedload(Grade.session).joinedload(ExamSession.report)
    return list(db.session.scalars(db.select(Grade).where(Grade.student_id == user_id, Grade.given, Grade.date_modified >= since)
                                   .order_by(Grade.date_modified.desc(), Grade.id.desc())
                                   .options(joinedload(Grade.value),
                                            report.joinedload(ExamReport.edition).joinedload(CourseEdition.course))))


def reports_of_courses(course_ids):
    """The exam reports of these courses' editions (newest term first), sessions loaded, for pickers."""
    if not course_ids:
        return []
    query = (db.select(ExamReport).join(CourseEdition, CourseEdition.id == ExamReport.edition_id)
             .where(CourseEdition.course_id.in_(course_ids))
             .options(db.selectinload(ExamReport.sessions), db.joinedload(ExamReport.edition),
                      db.joinedload(ExamReport.unit).joinedload(CourseUnit.classtype))
             .order_by(CourseEdition.term_id.desc(), CourseEdition.course_id, ExamReport.unit_id.is_not(None),
                       ExamReport.id))
    return list(db.session.scalars(query).unique())


def reports_by_id(report_ids):
    """{id: report} of these exam reports, with their editions and units loaded."""
    if not report_ids:
        return {}
    query = (db.select(ExamReport).where(ExamReport.id.in_(set(report_ids)))
             .options(db.joinedload(ExamReport.edition), db.joinedload(ExamReport.unit).joinedload(CourseUnit.classtype)))
    return {r.id: r for r in db.session.scalars(query).unique()}


def grades_by_edition(user_id, edition_ids):
    """{edition id: the student's grades there, by report and session} in one query."""
    from sqlalchemy.orm import joinedload
    out = {}
    if not edition_ids:
        return out
    query = (db.select(Grade).join(ExamSession).join(ExamReport)
             .where(Grade.student_id == user_id, Grade.given, ExamReport.edition_id.in_(edition_ids))
             .options(joinedload(Grade.value), joinedload(Grade.session).joinedload(ExamSession.report))
             .order_by(ExamReport.id, ExamSession.number))
    for grade in db.session.scalars(query):
        out.setdefault(grade.report.edition_id, []).append(grade)
    return out


def passing_status(grades, reports):
    """passed, failed or not_yet_passed: what a student's final grades say of a course edition.

    The general reports decide when the edition has any, otherwise its unit reports; a report's
    final grade is that of its latest session with a value (a resit replaces the first sitting).
    Any failing final grade fails; passing final grades in every deciding report pass."""
    general = [r for r in reports if r.is_general]
    deciding = general or reports
    if not deciding:
        return "not_yet_passed"
    finals = {}
    for grade in grades:
        if grade.value is not None and grade.report in deciding:
            finals[grade.report.id] = grade  # sessions come in order: the latest wins
    if any(not g.value.passes for g in finals.values()):
        return "failed"
    return "passed" if len(finals) == len(deciding) else "not_yet_passed"


def passing_statuses(user_id, edition_ids):
    """{edition id: passing_status} for a student's editions, in two queries."""
    grades = grades_by_edition(user_id, edition_ids)
    reports = {}
    for report in reports_of_editions(list(edition_ids)):
        reports.setdefault(report.edition_id, []).append(report)
    return {e: passing_status(grades.get(e, []), reports.get(e, [])) for e in edition_ids}
