"""Exam registration: lookups, visibility, admission conditions, and the grades contract.

State changes live in `registration.py` (seats), `rounds.py` (micro-round draws) and
`manage.py` (staff editing); this module holds the read side they share, and queries.py the
loaders of pages and lists.
"""
from sqlalchemy.orm import selectinload

from ..errors import ServiceError
from ..extensions import db
from ..langdict import ld
from ..university.models import ClassGroup, CourseEdition, CourseUnit, group_participants
from . import reports
from .models import VISIBLE_STATUSES, Exam, ExamGroup, ExamRegistration, ExaminationSession, ExamSlot, exam_group_examiners


# --- the contract with portal.grades ----------------------------------------------------------

def examiner_student_ids(examiner_user_id, examrep_id):
    """User ids of students registered in exam groups that `examiner_user_id` examines, of the
    exams linked to exam report `examrep_id`."""
    rows = db.session.execute(
        db.select(ExamRegistration.user_id)
        .join(ExamSlot, ExamSlot.id == ExamRegistration.slot_id)
        .join(ExamGroup, ExamGroup.id == ExamSlot.group_id)
        .join(Exam, Exam.id == ExamGroup.exam_id)
        .join(exam_group_examiners, exam_group_examiners.c.group_id == ExamGroup.id)
        .where(Exam.examrep_id == int(examrep_id),
               exam_group_examiners.c.user_id == int(examiner_user_id)))
    return {row[0] for row in rows}


def examiner_students_by_report(examiner_user_id, examrep_ids):
    """{exam report id: user ids of students registered in groups the person examines}, for
    many reports in one query (examiner_student_ids of each)."""
    found = {int(r): set() for r in examrep_ids}
    if found:
        rows = db.session.execute(
            db.select(Exam.examrep_id, ExamRegistration.user_id)
            .join(ExamSlot, ExamSlot.id == ExamRegistration.slot_id)
            .join(ExamGroup, ExamGroup.id == ExamSlot.group_id)
            .join(Exam, Exam.id == ExamGroup.exam_id)
            .join(exam_group_examiners, exam_group_examiners.c.group_id == ExamGroup.id)
            .where(Exam.examrep_id.in_(found), exam_group_examiners.c.user_id == int(examiner_user_id)))
        for report_id, user_id in rows:
            found[report_id].add(user_id)
    return found


def _best_grade(user_id, examrep_id):
    from ..grades import services as grades  # lazily: the packages stay independent
    return grades.student_best_grade(user_id, examrep_id)


# --- lookups ----------------------------------------------------------------------------------

def not_found(what, param, method=None, message=None):
    return ServiceError("object_not_found", message or f"{what} not found.", status=400,
                        user_message=ld("Nie znaleziono obiektu.", "Object not found."),
                        param_name=param, **({"method_name": method} if method else {}))


def as_int(value):
    """A database id from user input (ASCII digits, in range), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 <= value < 2**31 else None
    text = str(value)
    return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else None


_int = as_int


def get_by_id(model, value):
    """The row with this id, or None (also for ids no database column could hold)."""
    key = as_int(value)
    return db.session.get(model, key) if key is not None else None


def get_session(session_id, param="id", method=None):
    session = db.session.get(ExaminationSession, _int(session_id)) if _int(session_id) is not None else None
    if session is None:
        raise not_found("Examination session", param, method)
    return session


def get_exam(exam_id, param="id", method=None):
    exam = db.session.get(Exam, _int(exam_id)) if _int(exam_id) is not None else None
    if exam is None:
        raise not_found("Exam", param, method)
    return exam


def get_group(exam, number, param="group_number", method=None):
    group = next((g for g in exam.groups if str(g.number) == str(number)), None)
    if group is None:
        raise not_found("Exam group", param, method)
    return group


def get_slot(group, number, param="slot_number", method=None):
    slot = next((s for s in group.slots if str(s.number) == str(number)), None)
    if slot is None:
        raise not_found("Slot", param, method)
    return slot


def can_view_session(session, user, trusted=False):
    """Sessions in preparation (and archived ones) are shown to staff only."""
    if session.status in VISIBLE_STATUSES or trusted:
        return True
    return user is not None and (user.is_admin or any(e.can_see_attendees(user) for e in session.exams))


def check_session_visible(session, user, trusted=False, param="id", method=None):
    if not can_view_session(session, user, trusted):
        raise not_found("Examination session", param, method)
    return session


def visible_exam(exam_id, user, trusted=False, param="id", method=None):
    """The exam, or the very same object_not_found as for an exam that does not exist when its
    session is hidden from `user` (the answer must not tell that it exists)."""
    exam = get_exam(exam_id, param, method)
    if not can_view_session(exam.session, user, trusted):
        raise not_found("Exam", param, method)
    return exam


def sessions_between(faculty_ids, start, end):
    """[(session, (first exam's start, last exam's end))] of the visible examination sessions of
    these faculties whose exams fall in the dates [start, end] (services/calendar/search)."""
    sessions = db.session.scalars(db.select(ExaminationSession).where(
        ExaminationSession.status.in_(VISIBLE_STATUSES), ExaminationSession.faculty_id.in_(faculty_ids))
        .options(selectinload(ExaminationSession.exams).selectinload(Exam.groups)).order_by(ExaminationSession.id))
    found = []
    for session in sessions:
        span = session.span()
        if span is not None and span[0].date() <= end and span[1].date() >= start:
            found.append((session, span))
    return found


def edition_student_ids(exam):
    """Students attending the exam's course edition (any of its class groups)."""
    rows = db.session.execute(
        db.select(group_participants.c.user_id).distinct()
        .join(ClassGroup, ClassGroup.id == group_participants.c.group_id)
        .join(CourseUnit, CourseUnit.id == ClassGroup.unit_id)
        .join(CourseEdition, CourseEdition.id == CourseUnit.edition_id)
        .where(CourseEdition.course_id == exam.course_id, CourseEdition.term_id == exam.term_id))
    return {row[0] for row in rows}


def attending(course, term, user):
    """SQL EXISTS: the student `user` sits in a class group of the course edition (`course`,
    `term`): bind parameters, or an exam's columns when a larger select asks it per exam."""
    return (db.select(group_participants.c.user_id)
            .join(ClassGroup, ClassGroup.id == group_participants.c.group_id)
            .join(CourseUnit, CourseUnit.id == ClassGroup.unit_id)
            .join(CourseEdition, CourseEdition.id == CourseUnit.edition_id)
            .where(CourseEdition.course_id == course, CourseEdition.term_id == term,
                   group_participants.c.user_id == user).exists())


# The rush path's queries, built once: on every click only their parameters change (building
# a statement with joins costs more than SQLite takes to run it).
_ATTENDS = db.select(attending(db.bindparam("course"), db.bindparam("term"), db.bindparam("user")))
_REGISTRATION = db.select(ExamRegistration).where(ExamRegistration.exam_id == db.bindparam("exam"),
                                                  ExamRegistration.user_id == db.bindparam("user"))


def attends_course(exam, user_id):
    """Whether the student sits in a class group of the exam's course edition (one EXISTS,
    not the edition's whole list: the rush path asks this on every click)."""
    return db.session.scalar(_ATTENDS, {"course": exam.course_id, "term": exam.term_id, "user": user_id})


def registration_of(exam, user_id):
    return db.session.scalar(_REGISTRATION, {"exam": exam.id, "user": user_id})


def group_attendees(group):
    return [r.user for s in group.slots for r in s.registrations]


# --- admission ----------------------------------------------------------------------------------

def failed_conditions(exam, user_id):
    """Exam report ids whose condition the student does not meet (empty: admitted)."""
    failed = []
    for cond in exam.conditions:
        try:
            best = _best_grade(user_id, cond.examrep_id)
        except (ImportError, AttributeError):
            best = None  # no exam reports yet: nobody meets the condition
        if best is None or not best.passes:
            failed.append(cond.examrep_id)
        elif cond.grade_value is not None and best.order_key < cond.grade_value.order_key:
            failed.append(cond.examrep_id)
    return failed


def check_admitted(exam, user_id):
    failed = failed_conditions(exam, user_id)
    if failed:
        ids = ", ".join(str(i) for i in failed)
        names = reports.labels(failed)
        raise ServiceError("object_invalid", f"The student does not meet the admission conditions "
                           f"(exam reports {ids}).", reason="not_admitted",
                           user_message=ld("Brak dopuszczenia do egzaminu: niespełniony warunek w protokole "
                                           + "; ".join(names[i]["pl"] for i in failed) + ".",
                                           "You are not admitted to this exam: the condition of "
                                           + "; ".join(names[i]["en"] for i in failed) + " is not met."),
                           examrep_ids=[str(i) for i in failed])


def admission_lists(exam):
    """(admitted user ids, {user id: [failed exam report ids]}) over the course's students."""
    admitted, unadmitted = [], {}
    for user_id in sorted(edition_student_ids(exam)):
        failed = failed_conditions(exam, user_id)
        if failed:
            unadmitted[user_id] = failed
        else:
            admitted.append(user_id)
    return admitted, unadmitted
