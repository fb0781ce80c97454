"""The grading rules: reading reports and grades, and the one way a grade changes."""
from dataclasses import dataclass
from datetime import timedelta
from typing import Optional

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from .. import clock
from ..auth.models import User
from ..database import begin_write
from ..errors import ServiceError
from ..extensions import db
from ..langdict import ld
from . import access, notices
from .models import EDITABLE_STATUSES, ExamReport, ExamSession, Grade, GradeChange
from ..ids import int_id, small_int

UNSET = object()
PARAMS = {"report": "examrep_id", "session": "examrep_session_number", "student": "student_id"}


@dataclass
class Slot:
    """A student's place in a session: the grade, or None when there is none yet."""
    session: ExamSession
    student: User
    grade: Optional[Grade]

    @property
    def report(self):
        return self.session.report


def not_found(param, message, reason=None, pl="Nie znaleziono.", en="Not found."):
    extra = {"reason": reason} if reason else {}
    return ServiceError("object_not_found", message, param_name=param, user_message=ld(pl, en),
                        status=400 if param else 404, **extra)


def get_report(report_id, param="examrep_id"):
    report = db.session.get(ExamReport, int_id(report_id)) if int_id(report_id) is not None else None
    if report is None:
        raise not_found(param, "Exam report not found.", pl="Nie ma takiego protokołu.",
                        en="No such exam report.")
    return report


def get_session(report, number, param="examrep_session_number"):
    session = report.session(small_int(number)) if small_int(number) is not None else None
    if session is None:
        raise not_found(param, "Exam report session not found.", pl="Nie ma takiego terminu.",
                        en="No such exam session.")
    return session


def get_student(student_id, param="student_id"):
    user = db.session.get(User, int_id(student_id)) if int_id(student_id) is not None else None
    if user is None:
        raise not_found(param, "User not found.", pl="Nie ma takiej osoby.", en="No such person.")
    return user


def grade_of(session, student_id, fresh=False):
    query = db.select(Grade).filter_by(session_id=session.id, student_id=student_id)
    if fresh:
        query = query.execution_options(populate_existing=True)
    return db.session.scalar(query)


def slot(session, student):
    return Slot(session, student, grade_of(session, student.id))


def slots(session, students):
    """Slots of many students in one query."""
    ids = [u.id for u in students]
    found = {g.student_id: g for g in db.session.scalars(
        db.select(Grade).where(Grade.session_id == session.id, Grade.student_id.in_(ids)))} if ids else {}
    return [Slot(session, u, found.get(u.id)) for u in students]


def forbidden(reason, message, pl, en):
    return ServiceError("object_forbidden", message, reason=reason, status=403, user_message=ld(pl, en))


def check_read(user, report, student_id):
    if not access.can(user, report, student_id, access.READ):
        raise forbidden("grade_forbidden", "You have no access to this grade.",
                        "Nie masz dostępu do tej oceny.", "You have no access to this grade.")


def check_write(user, report, student_id):
    check_read(user, report, student_id)
    if not access.can(user, report, student_id, access.WRITE):
        raise forbidden("grade_write_forbidden", "You are not permitted to update this grade.",
                        "Nie możesz zmieniać tej oceny.", "You may not change this grade.")


def session_state_error(session, now=None):
    """Why the session refuses writes (a ServiceError), or None when it is open."""
    now = now or clock.now()
    if session.status not in EDITABLE_STATUSES:
        return ServiceError("object_invalid", "The exam session's status does not allow changes.",
                            reason="invalid_exam_status",
                            user_message=ld("Ten termin jest zamknięty.", "This session is closed."))
    if session.is_expired(now):
        return ServiceError("object_invalid", "The exam session is expired.", reason="exam_session_expired",
                            user_message=ld("Termin wystawiania ocen minął.", "The grading deadline has passed."))
    return None


def why_cannot_edit(grade):
    if grade is None:
        return None
    if grade.resignation:
        return "resignation"
    if grade.inactive_links:
        return "inactive_links"
    return None


def is_editable(user, slot_):
    return (access.can(user, slot_.report, slot_.student.id, access.WRITE)
            and session_state_error(slot_.session) is None and why_cannot_edit(slot_.grade) is None)


def grade_summary(grade):
    """What services/grades/grade answers by default, plus the concurrency token."""
    if grade is None:
        return None
    value = grade.value
    return {"value_symbol": value.symbol if value else None, "passes": value.passes if value else None,
            "value_description": value.name if value else None, "exam_id": str(grade.session.report_id),
            "exam_session_number": grade.session.number,
            "date_modified": clock.fmt_datetime(grade.date_modified),
            "modification_author": str(grade.modified_by_id) if grade.modified_by_id else None}


class Conflict(ServiceError):
    """The grade changed since the writer read it; `current` is what it is now."""

    def __init__(self, student_id, current):
        super().__init__("object_invalid", "The grade was changed concurrently.", reason="updated_concurrently",
                         user_message=ld("Ktoś inny zmienił tę ocenę w międzyczasie.",
                                         "Someone else changed this grade meanwhile."),
                         grades={str(student_id): grade_summary(current)})
        self.current = current


def parse_value(report, symbol, student_id):
    if symbol is None or str(symbol).strip() == "":
        return None
    value = report.grade_type.value_for(symbol)
    if value is None:
        allowed = ", ".join(v.symbol for v in report.grade_type.values)
        raise ServiceError("object_invalid", f"Invalid grade value {symbol!r}.", reason="invalid_value",
                           user_message=ld(f"Niedozwolona ocena „{symbol}”. Dozwolone: {allowed}.",
                                           f"Invalid grade “{symbol}”. Allowed: {allowed}."),
                           grades={str(student_id): {"value_symbol": str(symbol),
                                                     "message": f"Allowed values: {allowed}."}})
    return value


def _clean(text):
    if text is None:
        return None
    text = str(text).strip()
    return text or None


def update_grade(actor, report_id, session_number, student_id, *, value=UNSET, comment=UNSET,
                 private_comment=UNSET, date_acquisition=UNSET, expected=UNSET, params=PARAMS):
    """Change one grade. `expected`: the date_modified the writer saw (None = "no grade yet");
    a stale one is refused with Conflict, never applied. Returns the grade (None if untouched)."""
    begin_write()
    report = get_report(report_id, params["report"])
    session = get_session(report, session_number, params["session"])
    student = get_student(student_id, params["student"])
    check_write(actor, report, student.id)
    if not report.has_student(student.id) and student.id not in access.examiner_student_ids(actor.id, report.id):
        raise not_found(params["student"], "The student is not graded in this report.",
                        pl="Ta osoba nie jest w protokole.", en="This person is not in the report.")
    error = session_state_error(session)
    if error:
        raise error
    grade = grade_of(session, student.id, fresh=True)
    if why_cannot_edit(grade):
        raise ServiceError("object_invalid", "The grade is not editable.", reason="grade_not_editable",
                           user_message=ld("Tej oceny nie można zmieniać.", "This grade cannot be changed."))
    new = {
        "value_id": (grade.value_id if grade else None) if value is UNSET
        else getattr(parse_value(report, value, student.id), "id", None),
        "comment": (grade.comment if grade else None) if comment is UNSET else _clean(comment),
        "private_comment": (grade.private_comment if grade else None) if private_comment is UNSET
        else _clean(private_comment),
        "date_acquisition": (grade.date_acquisition if grade else None) if date_acquisition is UNSET
        else date_acquisition,
    }
    if session.is_acquisition_date_required and new["value_id"] is not None and new["date_acquisition"] is None:
        raise ServiceError("object_invalid", "This session requires the acquisition date.",
                           reason="missing_acquisition_date",
                           user_message=ld("Podaj datę uzyskania oceny.", "Enter the date the grade was obtained."))
    if grade is None and all(v is None for v in new.values()):
        return None  # an empty grade where there is none: nothing to write
    if expected is not UNSET:
        # A grade cleared of everything is "no grade yet" to a writer too (the update below
        # still refuses one changed meanwhile).
        seen = grade.date_modified if grade is not None and not grade.blank else None
        if seen != expected:
            raise Conflict(student.id, grade)
    old = {k: getattr(grade, k) if grade else None for k in new}
    if grade is not None and old == new:
        return grade
    now = clock.now().replace(microsecond=0)
    if grade is None:
        grade = Grade(session_id=session.id, student_id=student.id, date_modified=now,
                      modified_by_id=actor.id, **new)
        try:
            with db.session.begin_nested():
                db.session.add(grade)
        except IntegrityError:
            # Someone created it between our read and our insert (PostgreSQL).
            raise Conflict(student.id, grade_of(session, student.id, fresh=True)) from None
    else:
        stamp = max(now, grade.date_modified + timedelta(seconds=1))
        done = db.session.execute(
            update(Grade).where(Grade.id == grade.id, Grade.date_modified == grade.date_modified)
            .values(date_modified=stamp, modified_by_id=actor.id, **new)
            .execution_options(synchronize_session=False))
        if done.rowcount != 1:
            raise Conflict(student.id, grade_of(session, student.id, fresh=True))
        db.session.refresh(grade)
    db.session.add(GradeChange(
        grade_id=grade.id, changed_at=grade.date_modified, changed_by_id=actor.id,
        old_value_id=old["value_id"], new_value_id=new["value_id"], old_comment=old["comment"],
        new_comment=new["comment"], old_private_comment=old["private_comment"],
        new_private_comment=new["private_comment"], old_date_acquisition=old["date_acquisition"],
        new_date_acquisition=new["date_acquisition"]))
    db.session.flush()
    notices.grade_changed(actor, session, student, grade, old, new)
    return grade


def datetime_from(text):
    from datetime import datetime
    return datetime.strptime(text, "%Y-%m-%d %H:%M:%S")


def history(grade):
    if grade is None:
        return []
    return list(db.session.scalars(db.select(GradeChange).filter_by(grade_id=grade.id)
                                   .order_by(GradeChange.changed_at.desc(), GradeChange.id.desc())))


def student_best_grade(user_id, examrep_id):
    """The best grade value the student holds in any session of the exam report, or None."""
    values = db.session.scalars(
        db.select(Grade).join(ExamSession).where(ExamSession.report_id == int(examrep_id),
                                                 Grade.student_id == int(user_id),
                                                 Grade.value_id.is_not(None))).all()
    best = None
    for grade in values:
        if best is None or grade.value.order_key > best.order_key:
            best = grade.value
    return best
