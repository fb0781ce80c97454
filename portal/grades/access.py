"""Who may read and write which grades of an exam report.

- the course coordinator: every grade of every report of the edition;
- a lecturer: in a course-unit report, the participants of the unit's groups they teach
  (write); in a general report they may only read their groups' participants;
- an examiner: the attendees of their exam groups (from the exams module).
"""
from dataclasses import dataclass, field

from flask import g, has_request_context

READ, WRITE = "read", "write"


@dataclass
class Access:
    """One reason a person reaches grades of a report (one row of examrep_session_access)."""
    cause: str                      # coordinator, lecturer, examiner
    groups: list = field(default_factory=list)   # ClassGroups when limited to groups
    exam_groups: list = field(default_factory=list)  # the exams module's groups, for examiners
    student_ids: set = field(default_factory=set)
    unassigned: bool = False
    everyone: bool = False

    def covers(self, student_id):
        return self.everyone or student_id in self.student_ids


def examiner_student_ids(user_id, report_id):
    """Students the examiner grades in this report, as the exams module knows them."""
    try:
        from ..exams.services import examiner_student_ids as from_exams
        return set(from_exams(user_id, report_id) or ())
    except Exception:  # noqa: BLE001  (exams absent or half-built must not break grading)
        return set()


def examiner_exam_groups(user_id, report_id):
    """The exam groups of this report's exams that the person examines (empty without exams)."""
    try:
        from ..exams.models import Exam, ExamGroup, exam_group_examiners
        from ..extensions import db
        return list(db.session.scalars(
            db.select(ExamGroup).join(Exam, Exam.id == ExamGroup.exam_id)
            .join(exam_group_examiners, exam_group_examiners.c.group_id == ExamGroup.id)
            .where(Exam.examrep_id == report_id, exam_group_examiners.c.user_id == user_id)))
    except Exception:  # noqa: BLE001  (exams absent or half-built must not break grading)
        return []


def examiner_report_ids(user_id):
    """Reports linked to exams in which the person examines a group."""
    try:
        from ..exams.models import Exam, ExamGroup, exam_group_examiners
        from ..extensions import db
        return set(db.session.scalars(
            db.select(Exam.examrep_id).join(ExamGroup, ExamGroup.exam_id == Exam.id)
            .join(exam_group_examiners, exam_group_examiners.c.group_id == ExamGroup.id)
            .where(exam_group_examiners.c.user_id == user_id, Exam.examrep_id.is_not(None))))
    except Exception:  # noqa: BLE001  (exams absent or half-built must not break grading)
        return set()


def accesses(user, report, kind=READ):
    """Every way `user` reaches the grades of `report` for reading or writing (computed once
    per request: a grid or a list of grades asks for every row)."""
    if user is None or not getattr(user, "is_authenticated", True):
        return []
    if not has_request_context():
        return _accesses(user, report, kind)
    cache = g.setdefault("grades_accesses", {})
    key = (user.id, report.id, kind)
    if key not in cache:
        cache[key] = _accesses(user, report, kind)
    return cache[key]


def _accesses(user, report, kind):
    found = []
    if report.edition.is_coordinator(user):
        found.append(Access("coordinator", everyone=True, unassigned=True))
    if kind == READ or not report.is_general:
        groups = [g for g in report.groups() if g.is_lecturer(user)]
        if groups:
            ids = {u.id for g in groups for u in g.participants}
            found.append(Access("lecturer", groups=groups, student_ids=ids))
    exam_ids, exam_groups = _examiner(user.id, report.id)
    if exam_ids:
        found.append(Access("examiner", student_ids=exam_ids, exam_groups=exam_groups))
    return found


def _examiner(user_id, report_id):
    """(student ids, exam groups) the person examines in this report; asked once per request
    for reading and writing alike."""
    if not has_request_context():
        return _examiner_now(user_id, report_id)
    cache = g.setdefault("grades_examiner", {})
    if (user_id, report_id) not in cache:
        cache[user_id, report_id] = _examiner_now(user_id, report_id)
    return cache[user_id, report_id]


def _examiner_now(user_id, report_id):
    ids = examiner_student_ids(user_id, report_id)
    return ids, (examiner_exam_groups(user_id, report_id) if ids else [])


def preload_examiner(user_id, report_ids):
    """What `_examiner` answers for many reports, in one query (lists of reports)."""
    if not has_request_context() or not report_ids:
        return
    try:
        from ..exams.models import Exam, ExamGroup, exam_group_examiners
        from ..exams.services import examiner_students_by_report
        from ..extensions import db
        found = examiner_students_by_report(user_id, report_ids)
        groups = {}
        for group, report_id in db.session.execute(
                db.select(ExamGroup, Exam.examrep_id).join(Exam, Exam.id == ExamGroup.exam_id)
                .join(exam_group_examiners, exam_group_examiners.c.group_id == ExamGroup.id)
                .where(Exam.examrep_id.in_([r for r, ids in found.items() if ids]),
                       exam_group_examiners.c.user_id == user_id)):
            groups.setdefault(report_id, []).append(group)
    except Exception:  # noqa: BLE001  (exams absent or half-built must not break grading)
        return
    cache = g.setdefault("grades_examiner", {})
    for report_id, ids in found.items():
        cache.setdefault((user_id, report_id), (ids, groups.get(report_id, []) if ids else []))


def reachable_ids(user, report, kind=READ):
    """None = every student of the report; otherwise the set of ids `user` reaches."""
    found = accesses(user, report, kind)
    if any(a.everyone for a in found):
        return None
    ids = set()
    for a in found:
        ids |= a.student_ids
    return ids


def can(user, report, student_id, kind=READ):
    if kind == READ and user is not None and getattr(user, "id", None) == student_id:
        return True
    return any(a.covers(student_id) for a in accesses(user, report, kind))


def is_grader(user, report):
    return bool(accesses(user, report, READ))


def visible_students(user, report, kind=READ):
    """The report's students `user` reaches, by name."""
    ids = reachable_ids(user, report, kind)
    students = report.students()
    if ids is None:
        return students
    if kind == READ and user is not None and report.has_student(user.id):
        ids.add(user.id)  # everyone reads their own grade
    known = {s.id for s in students}
    extra = ids - known  # examiners' attendees need not sit in a class group
    if extra:
        from ..auth.models import User
        from ..extensions import db
        students = students + list(db.session.scalars(db.select(User).where(User.id.in_(extra))))
    return [s for s in students if s.id in ids]
